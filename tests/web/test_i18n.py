"""Every UI string has its Vietnamese, and the questionnaire speaks the respondent's language."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).parents[2]
PLACEHOLDER = re.compile(r"%\(\w+\)s|%%")


def _first(value: str | tuple[str, ...] | list[str]) -> str:
    """A message's singular: plural entries are (singular, plural) in Babel."""
    return value if isinstance(value, str) else value[0]


def _key(value: str | tuple[str, ...] | list[str]) -> str | tuple[str, ...]:
    return value if isinstance(value, str) else tuple(value)


def test_every_ui_string_is_translated():
    with (ROOT / "translations" / "vi" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f)
    translated = {_first(m.id): _first(m.string) for m in catalog if m.id}
    method_map = [
        ("planner/**.py", "python"),
        ("templates/**.html", "jinja2"),
        ("templates/mail/**.txt", "jinja2"),
    ]
    found = {
        message if isinstance(message, str) else message[0]
        for _, _, message, _, _ in extract_from_dir(
            str(ROOT),
            method_map,
            keywords={
                "_": None,
                "_l": None,
                "gettext": None,
                "lazy_gettext": None,
                "ngettext": (1, 2),
            },
        )
    }
    missing = sorted(m for m in found if not translated.get(m))
    assert missing == [], "run pybabel extract/update and translate: " + "; ".join(missing[:5])
    for msgid, msgstr in translated.items():
        if msgstr:
            assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(msgstr)), msgid


def test_compiled_catalogue_is_current():
    """The .mo the app reads holds exactly the .po's translations (run pybabel compile -d translations)."""
    from babel.messages.mofile import read_mo

    folder = ROOT / "translations" / "vi" / "LC_MESSAGES"
    with (folder / "messages.po").open("rb") as f:
        po = {_key(m.id): _key(m.string) for m in read_po(f) if m.id and m.string}
    with (folder / "messages.mo").open("rb") as f:
        mo = {_key(m.id): _key(m.string) for m in read_mo(f) if m.id and m.string}
    assert mo == po
