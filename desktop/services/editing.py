"""Editing a report: section texts and marks, KPI figures.

Each call is one unit of work: parse and validate what was typed with the
domain, write it through the edit scope (the one writer of report rows, which
an import uses too) in one IMMEDIATE transaction with its audit entries, and
return the envelope of what changed (``services.changes.Changes``: the field's
record, and the resubmission when the section had been reopened). Bad input
raises a UserError (a CellError naming the KPI and field for a figure)
and changes nothing.
"""

from __future__ import annotations

from typing import Literal

from desktop.domain import limits
from desktop.domain.errors import BadInput, UserError
from desktop.domain.model import Direction, ReportRef, TargetKind
from desktop.domain.parsing import parse_decimal, parse_month
from desktop.domain.scales import scale_for
from desktop.domain.text import Text
from desktop.domain.verdicts import MANUAL_STATUSES
from desktop.services.changes import (
    Changes,
    EntryChanged,
    MeasurementChanged,
    MonthlyChanged,
    PlanTextChanged,
)
from desktop.services.edit_scope import (
    ENTRY_TEXT,
    MEASUREMENT_FIELDS,
    EditScope,
    find_kpi,
    find_node,
    find_report,
)
from desktop.store.database import Database
from desktop.store.models import KpiRow

__all__ = [  # the records and finders moved; callers still import them from here
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

EntryField = Literal["status_text", "mark", "mark_reason", "next_steps", "actions"]
Change = EntryChanged | MeasurementChanged | PlanTextChanged | MonthlyChanged


def set_entry_field(
    db: Database, ref: ReportRef, node_key: str, field: EntryField, value: str | None, *, actor: str
) -> Changes:
    """Set one field of a section entry (creating the entry on first edit)."""
    text = limits.check_text(ENTRY_TEXT[field], value or "")
    if field == "mark" and text.strip():
        scale = scale_for(ref.period)
        symbol = scale.normalize(text)
        if symbol is None:
            raise UserError(
                f"「{text}」は評価の記号ではありません。使える記号: {' '.join(scale.symbols)}",
                f"'{text}' is not a mark. Use one of: {' '.join(scale.symbols)}",
            )
        text = symbol
    elif field == "mark":
        text = ""
    with db.write() as session:
        scope = EditScope(session, ref, actor=actor)
        scope.set_entry(scope.node(node_key), field, text)
        return scope.changes()


def set_plan_text(
    db: Database, ref: ReportRef, node_key: str, value: str, *, actor: str
) -> Changes:
    """Change a node's plan text (事業計画), while the plan is being written.

    The text is part of every report of the plan: refused once one of them is
    signed off or has the section approved."""
    text = limits.check_text(limits.PLAN_TEXT, value)
    with db.write() as session:
        scope = EditScope(session, ref, actor=actor, create_report=False)
        scope.set_plan_text(scope.node(node_key), text)
        return scope.changes()


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
) -> Changes:
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
    return set_measurements(db, ref, [(kpi_key, {n: given[n] for n in names})], actor=actor)


def set_measurements(
    db: Database,
    ref: ReportRef,
    edits: list[tuple[str, dict[str, object]]],
    *,
    actor: str,
) -> Changes:
    """Apply several KPI edits in one transaction: all of them or none.

    Each edit is (kpi key, {field: raw value as typed}). The first rejected
    value raises a CellError naming its KPI and field; nothing is stored.
    """
    with db.write() as session:
        scope = EditScope(session, ref, actor=actor)
        for kpi_key, raw_fields in edits:
            kpi = scope.kpi(kpi_key)
            parsed = {}
            for name, raw in raw_fields.items():
                try:
                    parsed[name] = _parse_field(name, raw, kpi)
                except (UserError, ValueError) as exc:
                    raise CellError(kpi_key, name, exc) from exc
            scope.figure_row(kpi)  # a figure is recorded even when nothing differs
            for name, new in parsed.items():
                scope.set_figure(kpi, name, new)
            try:
                scope.check_figure(kpi_key)
            except UserError as exc:
                raise CellError(kpi_key, next(iter(parsed), "value"), exc) from exc
        return scope.changes()


def set_monthly_actual(
    db: Database, ref: ReportRef, kpi_key: str, fiscal_index: int, raw: str | None, *, actor: str
) -> Changes:
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
        scope.set_monthly(kpi, fiscal_index, value)
        return scope.changes()


def _parse_field(name: str, raw: object, kpi: KpiRow) -> object:
    unit, direction = kpi.unit, kpi.direction
    if name not in MEASUREMENT_FIELDS:
        raise ValueError(f"unknown measurement field {name!r}")
    if name in ("manual_status", "manual_reason"):
        return _parse_manual(name, raw, kpi)
    if name == "old_method_value":
        if raw not in (None, "") and not kpi.definition_changed:
            raise UserError(
                "旧算出方法による実績は、算出方法が変更された KPI にだけ入力できます。",
                "A figure by the old method is only for a KPI whose definition changed.",
            )
        return parse_decimal(raw, unit=unit)  # type: ignore[arg-type]
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


def _parse_manual(name: str, raw: object, kpi: KpiRow) -> str | None:
    """A person's verdict (a Status value, or its Japanese / English label) or its
    reason; only for a KPI whose goal is stated in words (手動判定)."""
    text = "" if raw is None else str(raw)
    if name == "manual_reason":
        return limits.check_text(limits.MANUAL_REASON, text).strip() or None
    text = text.strip()
    if not text:
        return None
    if kpi.target_kind != TargetKind.MANUAL.value:
        raise UserError(
            "この KPI の判定は実績から計算されます。手動判定は文章の目標の KPI だけです。",
            "This KPI is judged from its figures; only a goal in words is judged by hand.",
        )
    for status in MANUAL_STATUSES:
        if text.lower() in (status.value, status.label_ja, status.label_en.lower()):
            return status.value
    words = "、".join(s.label_ja for s in MANUAL_STATUSES)
    raise UserError(
        f"「{text}」は判定として使えません。使える判定: {words}",
        f"'{text}' is not a verdict. Use one of: " + ", ".join(s.label_en for s in MANUAL_STATUSES),
    )
