"""Numbers and texts typed by people (DESIGN §11): ASCII digits in range, NFC, no controls, isolated bidi."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.inputs import FSI, PDI, BadText, ascii_int, ascii_number, clean_text, isolate, shown


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("3", 3), (" 3 ", 3), (3, 3), ("-2", -2), ("²", None), ("١", None), ("٣", None),
     ("3.0", None), (True, None), ("", None), (None, None), ("1" * 20, None), ("+3", None)],
)  # fmt: skip
def test_ascii_int(raw, expected):
    assert ascii_int(raw, -10, 10) == expected


def test_ascii_int_keeps_to_its_range():
    assert ascii_int(str(2**63), 0, 2**63 - 1) is None
    assert ascii_int(2**63 - 1, 0, 2**63 - 1) == 2**63 - 1
    assert ascii_int("11", 1, 10) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("3.5", 3.5), ("3,5", 3.5), ("4", 4.0), ("١", None), ("nan", None), ("inf", None),
     ("1e3", None), ("9", None)],
)  # fmt: skip
def test_ascii_number(raw, expected):
    assert ascii_number(raw, 1, 5) == expected


def test_text_is_nfc():
    decomposed = unicodedata.normalize("NFD", "Công ty Bán lẻ An Phát")
    assert decomposed != "Công ty Bán lẻ An Phát"
    assert clean_text(decomposed) == "Công ty Bán lẻ An Phát"


@pytest.mark.parametrize("bad", ["a\x00b", "a\x1bb", "a\x7fb", "a\x85b"])
def test_control_characters_are_refused(bad):
    with pytest.raises(BadText, match="control characters"):
        clean_text(bad, multiline=True)


def test_tab_and_newline_only_in_multi_line_texts():
    assert clean_text("one\r\ntwo\tthree", multiline=True) == "one\ntwo\tthree"
    with pytest.raises(BadText):
        clean_text("one\ntwo")
    with pytest.raises(BadText):
        clean_text("one\ttwo")


def test_bidi_is_isolated_and_plain_text_is_not():
    assert isolate("An Phát") == "An Phát"
    assert isolate("evil\u202etxt.exe") == f"{FSI}evil\u202etxt.exe{PDI}"
    assert isolate("שלום") == f"{FSI}שלום{PDI}"
    assert shown(3) == 3


@given(st.text())
def test_clean_text_is_idempotent_or_refuses(text):
    try:
        once = clean_text(text, multiline=True)
    except BadText:
        return
    assert clean_text(once, multiline=True) == once
    assert unicodedata.is_normalized("NFC", once)
