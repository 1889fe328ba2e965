"""Months, Japanese eras and fiscal years (April to March).

Era boundaries are exact days: 昭和 from 1926-12-25, 平成 from 1989-01-08,
令和 from 2019-05-01. A month is labelled with the era in effect on its last
day (2019-04 → 平成31年4月, 2019-05 → 令和元年5月), which is how documents
label months.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Era:
    name: str  # 令和
    letter: str  # R
    start: dt.date
    end: dt.date | None  # last day, None for the current era


ERAS: tuple[Era, ...] = (
    Era("昭和", "S", dt.date(1926, 12, 25), dt.date(1989, 1, 7)),
    Era("平成", "H", dt.date(1989, 1, 8), dt.date(2019, 4, 30)),
    Era("令和", "R", dt.date(2019, 5, 1), None),
)
ERA_BY_NAME = {e.name: e for e in ERAS}
ERA_BY_LETTER = {e.letter: e for e in ERAS}

MIN_YEAR, MAX_YEAR = 1900, 2200


def _era_year_text(year: int) -> str:
    return "元" if year == 1 else str(year)


@dataclass(frozen=True, order=True, slots=True)
class YearMonth:
    """A calendar month in the western calendar."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not isinstance(self.year, int) or not MIN_YEAR <= self.year <= MAX_YEAR:
            raise ValueError(f"year out of range: {self.year!r}")
        if not isinstance(self.month, int) or not 1 <= self.month <= 12:
            raise ValueError(f"month out of range: {self.month!r}")

    @classmethod
    def from_iso(cls, text: str) -> YearMonth:
        """Strictly 'YYYY-MM'."""
        if (
            not isinstance(text, str)
            or len(text) != 7
            or text[4] != "-"
            or not (text[:4] + text[5:]).isascii()
            or not (text[:4] + text[5:]).isdigit()
        ):
            raise ValueError(f"not a YYYY-MM month: {text!r}")
        return cls(int(text[:4]), int(text[5:]))

    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def fiscal_year(self) -> int:
        """The fiscal year (April–March) the month belongs to: 2025-03 → 2024."""
        return self.year if self.month >= 4 else self.year - 1

    @property
    def fiscal_index(self) -> int:
        """April = 1 … March = 12."""
        return (self.month - 4) % 12 + 1

    def last_day(self) -> dt.date:
        following = self.add_months(1) if self < YearMonth(MAX_YEAR, 12) else None
        if following is None:
            return dt.date(self.year, 12, 31)
        return dt.date(following.year, following.month, 1) - dt.timedelta(days=1)

    def add_months(self, n: int) -> YearMonth:
        index = self.year * 12 + (self.month - 1) + n
        return YearMonth(index // 12, index % 12 + 1)

    def era_label(self) -> str:
        """'令和6年5月', '令和元年5月', '平成31年4月'."""
        era, year = era_of(self.last_day())
        return f"{era}{_era_year_text(year)}年{self.month}月"

    def short_era_label(self) -> str:
        """'R6.5', 'H31.4'."""
        era, year = era_of(self.last_day())
        return f"{ERA_BY_NAME[era].letter}{year}.{self.month}"


def era_of(day: dt.date) -> tuple[str, int]:
    """('令和', 6) for a day in 2024. Days before 昭和 raise ValueError."""
    for era in reversed(ERAS):
        if day >= era.start:
            return era.name, day.year - era.start.year + 1
    raise ValueError(f"no era known for {day}")


def from_era(era: str, year: int, month: int, day: int) -> dt.date:
    """The western date of an era date; ValueError if that day is not in the era."""
    info = ERA_BY_NAME.get(era)
    if info is None:
        raise ValueError(f"unknown era {era!r}")
    if year < 1:
        raise ValueError(f"{era}{year}年 does not exist")
    date = dt.date(info.start.year + year - 1, month, day)
    if date < info.start or (info.end is not None and date > info.end):
        raise ValueError(f"{era}{year}年{month}月{day}日 is outside the era")
    return date


def era_month_valid(era: str, year: int, month: int) -> bool:
    """Whether any day of the era month lies inside the era (昭和64年1月 and
    平成元年1月 both exist; 平成31年5月 does not)."""
    info = ERA_BY_NAME.get(era)
    if info is None or year < 1 or not 1 <= month <= 12:
        return False
    western = info.start.year + year - 1
    if not MIN_YEAR <= western <= MAX_YEAR:
        return False
    ym = YearMonth(western, month)
    first, last = dt.date(western, month, 1), ym.last_day()
    return last >= info.start and (info.end is None or first <= info.end)


def fiscal_year_label(fy: int, style: str = "both") -> str:
    """'令和6年度 (2024)' (both), '令和6年度' (era) or 'FY2024' (western).

    A fiscal year takes the era in force at its end, numbered from its April:
    FY2019 (April 2019 was still 平成31年) is 令和元年度, as documents say.
    """
    if style == "western":
        return f"FY{fy}"
    era, _ = era_of(dt.date(fy + 1, 3, 31))
    year = fy - ERA_BY_NAME[era].start.year + 1
    if year < 1:  # the era began after this fiscal year's April: FY1988 = 昭和63年度
        era, year = era_of(dt.date(fy, 4, 1))
    label = f"{era}{_era_year_text(year)}年度"
    if style == "era":
        return label
    return f"{label} ({fy})"


def fiscal_year_months(fy: int) -> list[YearMonth]:
    """April of ``fy`` to March of the next year."""
    start = YearMonth(fy, 4)
    return [start.add_months(i) for i in range(12)]
