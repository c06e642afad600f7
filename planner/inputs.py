"""PURE: what a number or a text typed by a person must be before anything stores it (DESIGN §11).

- Numbers are ASCII digits within range: `"²".isdigit()` and `"١".isdigit()` are true in Python,
  and `int("١")` is 1 while `int("²")` raises, so `str.isdigit()` is never the check.
- Text is NFC-normalised (a name typed on a Mac and on Windows is one name) and carries no NUL
  or other control characters; tab and newline only where the field has several lines.
- Right-to-left text and bidirectional controls are kept, but isolated where shown, so that a
  U+202E in a name cannot reverse the text around it.
"""

from __future__ import annotations

import re
import unicodedata

_ASCII_INT = re.compile(r"-?[0-9]{1,19}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# explicit embeddings, overrides and isolates, marks, and any right-to-left letter
_BIDI = re.compile(
    "[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]"
)
FSI, PDI = "\u2068", "\u2069"
CONTROL_MESSAGE = "Remove the control characters (such as NUL) from this text."


class BadText(ValueError):
    """A text a person typed that cannot be stored as it is."""


def ascii_int(raw: object, low: int, high: int) -> int | None:
    """`raw` as an int when it is a whole number within [low, high] written in ASCII digits."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and _ASCII_INT.fullmatch(raw.strip()):
        value = int(raw.strip())
    else:
        return None
    return value if low <= value <= high else None


_ASCII_NUMBER = re.compile(r"-?[0-9]{1,9}(?:[.,][0-9]{1,9})?")


def ascii_number(raw: object, low: float, high: float) -> float | None:
    """`raw` as a float when it is a plain decimal (ASCII, `.` or `,`) within [low, high].

    `float()` alone takes "١", "nan", "inf" and "1e308"; none of them is a target.
    """
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        value = float(raw)
    elif isinstance(raw, str) and _ASCII_NUMBER.fullmatch(raw.strip()):
        value = float(raw.strip().replace(",", "."))
    else:
        return None
    return value if low <= value <= high else None


def clean_text(text: str, *, multiline: bool = False) -> str:
    """NFC, with line ends as \\n; raise BadText for control characters."""
    text = unicodedata.normalize("NFC", text)
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if (_CONTROL if multiline else _CONTROL_ONE_LINE).search(text):
        raise BadText(CONTROL_MESSAGE)
    return text


def isolate(text: str) -> str:
    """The text between FSI and PDI when it holds right-to-left or bidi-control characters.

    PDI also closes any embedding or override left open inside (UAX #9, X6a), so the text
    around it keeps its direction — in HTML pages, attributes and the PDF alike.
    """
    return f"{FSI}{text}{PDI}" if _BIDI.search(text) else text


def shown(value: object) -> object:
    """Jinja's `finalize` for pages and the PDF: every plain text printed is isolated as above.

    Markup (already escaped HTML, charts) passes unchanged.
    """
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return isolate(value)
    return value
