"""Eras and fiscal years, checked on every day 1989–2035 both ways."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.domain.calendar import (
    YearMonth,
    era_month_valid,
    era_of,
    fiscal_year_label,
    fiscal_year_months,
    from_era,
)


def test_every_day_1989_to_2035_round_trips():
    day = dt.date(1989, 1, 1)
    end = dt.date(2035, 12, 31)
    one = dt.timedelta(days=1)
    previous_era = None
    while day <= end:
        era, year = era_of(day)
        assert year >= 1
        assert from_era(era, year, day.month, day.day) == day
        if era != previous_era:
            assert (day, era) in {
                (dt.date(1989, 1, 1), "昭和"),
                (dt.date(1989, 1, 8), "平成"),
                (dt.date(2019, 5, 1), "令和"),
            }
            previous_era = era
        day += one


@pytest.mark.parametrize(
    ("era", "year", "month", "day"),
    [
        ("令和", 0, 5, 1),
        ("令和", 1, 4, 30),
        ("平成", 31, 5, 1),
        ("平成", 1, 1, 7),
        ("昭和", 64, 1, 8),
        ("大正", 1, 1, 1),
    ],
)
def test_impossible_era_dates(era, year, month, day):
    with pytest.raises(ValueError):
        from_era(era, year, month, day)


def test_era_months():
    assert era_month_valid("昭和", 64, 1) and era_month_valid("平成", 1, 1)
    assert era_month_valid("平成", 31, 4) and not era_month_valid("平成", 31, 5)
    assert era_month_valid("令和", 1, 5) and not era_month_valid("令和", 1, 4)
    assert not era_month_valid("令和", 0, 5)


@pytest.mark.parametrize(
    ("ym", "label", "short"),
    [
        ((2024, 5), "令和6年5月", "R6.5"),
        ((2019, 5), "令和元年5月", "R1.5"),
        ((2019, 4), "平成31年4月", "H31.4"),
        ((1989, 1), "平成元年1月", "H1.1"),
        ((1988, 12), "昭和63年12月", "S63.12"),
    ],
)
def test_month_labels(ym, label, short):
    m = YearMonth(*ym)
    assert m.era_label() == label
    assert m.short_era_label() == short


def test_fiscal_year_arithmetic():
    assert YearMonth(2025, 3).fiscal_year == 2024
    assert YearMonth(2024, 4).fiscal_year == 2024
    assert YearMonth(2024, 4).fiscal_index == 1
    assert YearMonth(2024, 6).fiscal_index == 3
    assert YearMonth(2025, 3).fiscal_index == 12
    months = fiscal_year_months(2024)
    assert months[0] == YearMonth(2024, 4) and months[-1] == YearMonth(2025, 3)
    assert YearMonth(2024, 12).add_months(1) == YearMonth(2025, 1)
    assert YearMonth(2024, 1).add_months(-1) == YearMonth(2023, 12)


@pytest.mark.parametrize(
    ("fy", "label"),
    [
        (2024, "令和6年度 (2024)"),
        (2019, "令和元年度 (2019)"),
        (2018, "平成30年度 (2018)"),
        (1988, "昭和63年度 (1988)"),
        (1989, "平成元年度 (1989)"),
    ],
)
def test_fiscal_year_labels(fy, label):
    assert fiscal_year_label(fy) == label
    assert fiscal_year_label(fy, "western") == f"FY{fy}"
    assert fiscal_year_label(fy, "era") == label.split(" ")[0]


@pytest.mark.parametrize("text", ["2024-5", "2024/05", "２０２４-05", "2024-13", "24-05", ""])
def test_iso_is_strict(text):
    with pytest.raises(ValueError):
        YearMonth.from_iso(text)


def test_invalid_months():
    for args in ((2024, 0), (2024, 13), (1899, 5), (2201, 1)):
        with pytest.raises(ValueError):
            YearMonth(*args)
