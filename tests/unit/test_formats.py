"""Numbers and dates in the report's language (issue 9): Babel's formats, the same digits in both."""

from __future__ import annotations

from datetime import date

import pytest

from planner import formats


@pytest.mark.parametrize(
    ("value", "en", "vi"),
    [
        (2.3456, "2.35", "2,35"),
        (3.0, "3.00", "3,00"),
        (0.004, "0.00", "0,00"),
        (1234.5, "1234.50", "1234,50"),
    ],
)
def test_scores_have_two_decimals_with_the_language_s_separator(value, en, vi):
    assert formats.number(value, "en") == en
    assert formats.number(value, "vi") == vi


def test_targets_drop_trailing_zeros_and_missing_values_are_a_dash():
    assert [formats.short(v, "vi") for v in (4.0, 3.5, 2.25)] == ["4", "3,5", "2,25"]
    assert (
        formats.number(None, "vi")
        == formats.short(None, "en")
        == formats.percent(None, "vi")
        == "–"
    )


def test_percentages_are_whole():
    assert formats.percent(0.254, "vi") == "25%"
    assert formats.percent(1.0, "en") == "100%"


def test_dates():
    day = date(2026, 12, 3)
    assert formats.day(day, "vi") == "03/12/2026"
    assert formats.long_day(day, "vi") == "ngày 3 tháng 12 năm 2026"
    assert formats.long_day(day, "en") == "3 December 2026"
