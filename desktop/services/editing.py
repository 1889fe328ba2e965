"""Editing a report: section texts and marks, KPI figures.

Each call is one unit of work: parse and validate with the domain, write in
one IMMEDIATE transaction with its audit entries, and return a small frozen
record of what changed (for the UI's change bus). Bad input raises a
UserError (a CellError naming the KPI and field for a figure) and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from sqlalchemy import select

from desktop.domain import limits
from desktop.domain.calendar import YearMonth
from desktop.domain.errors import BadInput, UserError
from desktop.domain.model import Direction, Measurement, ReportRef, SectionEntry
from desktop.domain.parsing import parse_decimal, parse_month
from desktop.domain.scales import scale_for
from desktop.domain.text import Text
from desktop.services.edit_scope import (
    YEAR,
    EditScope,
    KpiFigure,
    PlanText,
    Section,
    find_kpi,
    find_node,
    find_report,
)
from desktop.store import repository
from desktop.store.database import Database
from desktop.store.models import EntryRow, KpiMonthlyRow, MeasurementRow

__all__ = [  # ReportRef and the finders moved; callers still import them from here
    "Change",
    "EntryChanged",
    "MeasurementChanged",
    "MonthlyChanged",
    "PlanTextChanged",
    "ReportRef",
    "find_kpi",
    "find_node",
    "find_report",
    "set_entry_field",
    "set_measurement",
    "set_measurements",
    "set_monthly_actual",
    "set_plan_text",
]

EntryField = Literal["status_text", "mark", "mark_reason", "next_steps"]
_ENTRY_TEXT = {
    "status_text": limits.STATUS_TEXT,
    "mark": limits.MARK,
    "mark_reason": limits.MARK_REASON,
    "next_steps": limits.NEXT_STEPS,
}


@dataclass(frozen=True, slots=True)
class EntryChanged:
    report: ReportRef
    entry: SectionEntry
    field: str


@dataclass(frozen=True, slots=True)
class MeasurementChanged:
    report: ReportRef
    measurement: Measurement


@dataclass(frozen=True, slots=True)
class PlanTextChanged:
    report: ReportRef
    node_key: str
    plan_text: str


@dataclass(frozen=True, slots=True)
class MonthlyChanged:
    """A KPI's figure for one fiscal month (1 = April) set or cleared (None)."""

    report: ReportRef
    kpi_key: str
    fiscal_index: int
    value: Decimal | None


Change = EntryChanged | MeasurementChanged | PlanTextChanged | MonthlyChanged


def set_entry_field(
    db: Database, ref: ReportRef, node_key: str, field: EntryField, value: str | None, *, actor: str
) -> EntryChanged:
    """Set one field of a section entry (creating the entry on first edit)."""
    text = limits.check_text(_ENTRY_TEXT[field], value or "")
    stored: str | None = text
    if field == "mark":
        scale = scale_for(ref.period)
        if text.strip():
            symbol = scale.normalize(text)
            if symbol is None:
                raise UserError(
                    f"「{text}」は評価の記号ではありません。使える記号: {' '.join(scale.symbols)}",
                    f"'{text}' is not a mark. Use one of: {' '.join(scale.symbols)}",
                )
            stored = symbol
        else:
            stored = None
    elif field == "mark_reason":
        stored = text or None
    with db.write() as session:
        scope = EditScope(session, ref, actor=actor)
        assert scope.report is not None  # create_report=True always yields one
        node = scope.node(node_key)
        row = repository.entry_row(session, scope.report.id, node.id)
        if row is None:
            row = EntryRow(
                report_id=scope.report.id, node_id=node.id, status_text="", next_steps=""
            )
            session.add(row)
        key = f"{ref.key}/{node_key}"
        if scope.change(Section(node), row, field, stored, entity="entry", key=key):
            row.updated_by = actor
            row.updated_at = scope.stamp
        entry = SectionEntry(
            node_key=node_key,
            status_text=row.status_text,
            mark=row.mark,
            mark_reason=row.mark_reason,
            next_steps=row.next_steps,
        )
    return EntryChanged(ref, entry, field)


def set_plan_text(
    db: Database, ref: ReportRef, node_key: str, value: str, *, actor: str
) -> PlanTextChanged:
    """Change a node's plan text (事業計画), while the plan is being written.

    The text is part of every report of the plan: refused once one of them is
    signed off or has the section approved."""
    text = limits.check_text(limits.PLAN_TEXT, value)
    with db.write() as session:
        scope = EditScope(session, ref, actor=actor, create_report=False)
        node = scope.node(node_key)
        key = f"{ref.branch}/{ref.fiscal_year}/{node_key}"
        scope.change(PlanText(node), node, "plan_text", text, entity="node", key=key)
    return PlanTextChanged(ref, node_key, text)


MEASUREMENT_FIELDS = frozenset(
    {"value", "as_of", "numerator", "denominator", "done", "preliminary", "unavailable_reason"}
)


class CellError(BadInput):
    """A rejected value, with the KPI and field it was typed into."""

    def __init__(self, kpi_key: str, field: str, error: UserError | ValueError) -> None:
        super().__init__(error.text if isinstance(error, UserError) else Text.same(str(error)))
        self.kpi_key = kpi_key
        self.field = field


def set_measurement(
    db: Database,
    ref: ReportRef,
    kpi_key: str,
    *,
    actor: str,
    value: str | None = None,
    as_of: str | None = None,
    numerator: str | None = None,
    denominator: str | None = None,
    done: bool | None = None,
    preliminary: bool | None = None,
    unavailable_reason: str | None = None,
    fields: frozenset[str] | None = None,
) -> MeasurementChanged:
    """Set the figure of a KPI from what the user typed.

    Only the fields named in ``fields`` are changed (default: those given
    as non-None). Values go through the domain parser; a parse error leaves
    the database untouched.
    """
    given = {
        "value": value,
        "as_of": as_of,
        "numerator": numerator,
        "denominator": denominator,
        "done": done,
        "preliminary": preliminary,
        "unavailable_reason": unavailable_reason,
    }
    names = (
        fields if fields is not None else frozenset(k for k, v in given.items() if v is not None)
    )
    return set_measurements(db, ref, [(kpi_key, {n: given[n] for n in names})], actor=actor)[0]


def set_measurements(
    db: Database,
    ref: ReportRef,
    edits: list[tuple[str, dict[str, object]]],
    *,
    actor: str,
) -> list[MeasurementChanged]:
    """Apply several KPI edits in one transaction: all of them or none.

    Each edit is (kpi key, {field: raw value as typed}). The first rejected
    value raises a CellError naming its KPI and field; nothing is stored.
    """
    results: list[MeasurementChanged] = []
    with db.write() as session:
        scope = EditScope(session, ref, actor=actor)
        report = scope.report
        assert report is not None  # create_report=True always yields one
        for kpi_key, raw_fields in edits:
            kpi = scope.kpi(kpi_key)
            parsed = {}
            for name, raw in raw_fields.items():
                try:
                    parsed[name] = _parse_field(name, raw, kpi.unit, kpi.direction)
                except (UserError, ValueError) as exc:
                    raise CellError(kpi_key, name, exc) from exc
            row = repository.measurement_row(session, report.id, kpi.id)
            if row is None:
                row = MeasurementRow(report_id=report.id, kpi_id=kpi.id, preliminary=False)
                session.add(row)
            changed = False
            for name, new in parsed.items():
                key = f"{ref.key}/{kpi_key}"
                if scope.change(KpiFigure(kpi), row, name, new, entity="measurement", key=key):
                    changed = True
            try:
                _check_row(row, ref)
            except UserError as exc:
                raise CellError(kpi_key, next(iter(parsed), "value"), exc) from exc
            if changed:
                row.entered_by = actor
                row.entered_at = scope.stamp
            session.flush()
            results.append(MeasurementChanged(ref, repository.measurement_from_row(row, kpi_key)))
    return results


def set_monthly_actual(
    db: Database, ref: ReportRef, kpi_key: str, fiscal_index: int, raw: str | None, *, actor: str
) -> MonthlyChanged:
    """Set (or clear, when blank) a KPI's figure for one fiscal month.

    The month series belongs to the fiscal year, not to a report period, so it
    is the same in the mid-year and the annual report.
    """
    if not 1 <= fiscal_index <= 12:
        raise ValueError(f"fiscal month 1..12 expected, got {fiscal_index}")
    with db.write() as session:
        scope = EditScope(session, ref, actor=actor, create_report=False)
        kpi = scope.kpi(kpi_key)
        if kpi.direction == Direction.QUALITATIVE.value:
            raise UserError(
                "実施・未実施で報告する KPI に月次の数値はありません。",
                "A done / not done KPI has no monthly figures.",
            )
        try:
            value = parse_decimal(raw or "", unit=kpi.unit)
        except (UserError, ValueError) as exc:
            raise CellError(kpi_key, "monthly", exc) from exc
        row = session.scalars(
            select(KpiMonthlyRow).where(
                KpiMonthlyRow.kpi_id == kpi.id, KpiMonthlyRow.fiscal_index == fiscal_index
            )
        ).one_or_none()
        old = row.value if row is not None else None
        if old != value:
            scope.guard(YEAR)  # rows added or deleted whole: guarded and recorded here
            if value is None:
                assert row is not None
                session.delete(row)
            elif row is None:
                session.add(
                    KpiMonthlyRow(
                        kpi_id=kpi.id,
                        fiscal_index=fiscal_index,
                        value=value,
                        entered_by=actor,
                        entered_at=scope.stamp,
                    )
                )
            else:
                row.value, row.entered_by, row.entered_at = value, actor, scope.stamp
            month = YearMonth(ref.fiscal_year, 4).add_months(fiscal_index - 1)
            key = f"{ref.branch}/{ref.fiscal_year}/{kpi_key}/{month.iso()}"
            scope.record("monthly", key, "value", old, value)
    return MonthlyChanged(ref, kpi_key, fiscal_index, value)


def _parse_field(name: str, raw: object, unit: str, direction: str) -> object:
    if name not in MEASUREMENT_FIELDS:
        raise ValueError(f"unknown measurement field {name!r}")
    if name in ("value", "numerator", "denominator"):
        if name == "value" and direction == Direction.QUALITATIVE.value and raw not in (None, ""):
            raise UserError(
                "この KPI は数値ではなく実施・未実施で入力します。",
                "This KPI is reported as done / not done, not as a number.",
            )
        return parse_decimal(raw, unit=unit if name == "value" else None)  # type: ignore[arg-type]
    if name == "as_of":
        return parse_month(raw)  # type: ignore[arg-type]
    if name == "unavailable_reason":
        text = limits.check_text(limits.UNAVAILABLE_REASON, str(raw) if raw is not None else "")
        return text.strip() or None
    if name == "done":
        if raw is not None and not isinstance(raw, bool):
            raise ValueError("done is True, False or None")
        if raw is not None and direction != Direction.QUALITATIVE.value:
            raise UserError(
                "この KPI は実施・未実施ではなく数値で入力します。",
                "This KPI is reported as a number, not as done / not done.",
            )
        return raw
    return bool(raw)  # preliminary


def _check_row(row: MeasurementRow, ref: ReportRef) -> None:
    if row.denominator is not None and row.denominator <= 0:
        raise UserError("分母は0より大きい数にしてください。", "The denominator must be above 0.")
    if row.numerator is not None and row.numerator < 0:
        raise UserError("分子は0以上にしてください。", "The numerator cannot be negative.")
    if row.as_of is not None:
        _check_month(row.as_of, ref)


def _check_month(as_of: YearMonth, ref: ReportRef) -> None:
    """A figure's month must lie in the plan's fiscal year (or the month after
    it ends, when year-end figures are confirmed)."""
    first = YearMonth(ref.fiscal_year, 4)
    last = YearMonth(ref.fiscal_year + 1, 3)
    if not first <= as_of <= last.add_months(3):
        raise UserError(
            f"時点「{as_of.era_label()}」は{ref.fiscal_year}年度の範囲外です。",
            f"As-of month {as_of.iso()} lies outside FY{ref.fiscal_year}.",
        )
