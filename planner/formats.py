"""Numbers and dates as the report's reader writes them (Babel): 2.35 and 3 December 2026 in
English, 2,35 and 03/12/2026 in Vietnamese. Values are rounded first as everywhere else (§5: two
decimals), so the English and Vietnamese reports never disagree on a digit.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from babel.dates import format_date
from babel.numbers import format_decimal

NONE = "–"
DATE = {"en": "d MMMM yyyy", "vi": "dd/MM/yyyy"}
LONG_DATE = {"en": "d MMMM yyyy", "vi": "'ngày' d 'tháng' M 'năm' yyyy"}


def r2(value: float | None) -> float | None:
    """A value as JSON carries it: two decimals (§5), None stays None."""
    return None if value is None else round(value, 2)


def number(value: float | None, lang: str, digits: int = 2) -> str:
    """A score or gap with `digits` decimals: 2.35 / 2,35."""
    if value is None:
        return NONE
    pattern = "0." + "0" * digits if digits else "0"
    return format_decimal(round(value, digits), pattern, locale=lang)


def short(value: float | None, lang: str) -> str:
    """A target or level: no trailing zeros (4, 3.5 / 3,5)."""
    if value is None:
        return NONE
    return format_decimal(round(value, 2), "0.##", locale=lang)


def percent(share: float | None, lang: str) -> str:
    """A share (0.25) as a whole percentage: 25%."""
    return NONE if share is None else f"{format_decimal(round(share * 100), '0', locale=lang)}%"


def day(value: date, lang: str) -> str:
    return format_date(value, DATE.get(lang, DATE["en"]), locale=lang)


def long_day(value: date, lang: str) -> str:
    """The cover's date, spelled out: 3 December 2026 / ngày 3 tháng 12 năm 2026."""
    return format_date(value, LONG_DATE.get(lang, LONG_DATE["en"]), locale=lang)


def slug(text: str, limit: int = 48) -> str:
    """Lowercase ASCII words joined by hyphens: Vietnamese letters lose their marks (đ is d),
    so "Công ty Đông Á" is "cong-ty-dong-a". Empty when nothing is left."""
    plain = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    words = re.findall(r"[a-z0-9]+", plain.encode("ascii", "ignore").decode().lower())
    return "-".join(words)[:limit].strip("-")
