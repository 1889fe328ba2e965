"""Column types that keep SQLite honest.

SQLAlchemy's Numeric goes through float on SQLite (12345678901234567.89 came
back as …568.00), so decimals are stored as canonical TEXT. Tables are STRICT,
which only admits INTEGER/TEXT/REAL/BLOB/ANY: booleans and timestamps get
their own small types too.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Integer, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from desktop.domain.calendar import YearMonth


class DecimalText(TypeDecorator[Decimal]):
    """An exact decimal, stored as its canonical string."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if not isinstance(value, Decimal) or not value.is_finite():
            raise ValueError(f"only finite Decimal values are stored, not {value!r}")
        return str(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)


class MonthText(TypeDecorator[YearMonth]):
    """A calendar month as 'YYYY-MM'."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: YearMonth | None, dialect: Dialect) -> str | None:
        return None if value is None else value.iso()

    def process_result_value(self, value: Any, dialect: Dialect) -> YearMonth | None:
        return None if value is None else YearMonth.from_iso(value)


class Flag(TypeDecorator[bool]):
    """A boolean as INTEGER 0/1 (STRICT tables have no BOOLEAN)."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: bool | None, dialect: Dialect) -> int | None:
        return None if value is None else int(bool(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> bool | None:
        return None if value is None else bool(value)


class UtcTimestamp(TypeDecorator[datetime]):
    """An aware UTC timestamp as ISO 8601 text with microseconds (sorts as text)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use UTC")
        return value.astimezone(UTC).isoformat(timespec="microseconds")

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return None if value is None else datetime.fromisoformat(value)
