"""Reference figures a branch types itself (参考): last year's and the year before's
actuals, last year's national figures, and this year's national figures while HQ's
benchmark pack is not there (desktop/domain/reference.py says where each comes from).

One writing service, :func:`set_reference_figure`, through the one write path: one
transaction, an audit entry per stored value, the review lock of what the figure
belongs to (``EditScope``), and a ``Changes`` naming the figure as stored. Figures of
the plan (last year's, the year before's) are locked like the plan text of the KPI's
section — by any signed-off report of the plan or an approval of that section, but not
by the plan's own approval (``edit_scope.PlanFigure``: facts that arrive after the plan
is agreed, not plan content); this year's national figures like the KPI's figure in that report. HQ's figures are never
overwritten by typing: once a pack filled a report's national figures, typing them is
refused (a later pack replaces typed ones: desktop/services/benchmarks.py).
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from desktop.domain.errors import Refused
from desktop.domain.model import ReportRef, Source
from desktop.domain.reference import Field, field_named, parse_figure
from desktop.services.changes import NOTHING, Changes, ReferenceChanged
from desktop.services.edit_scope import EditScope, KpiFigure, PlanFigure
from desktop.store import audit
from desktop.store.database import Database
from desktop.store.models import BenchmarkRow, KpiRow, NodeRow

# The plan's actuals and the column that says where each came from.
_SOURCE_OF = {
    Field.LAST_YEAR_ACTUAL: "last_year_source",
    Field.PRIOR_YEAR_ACTUAL: "prior_year_source",
}

Value = Decimal | int | None


def set_reference_figure(
    db: Database,
    ref: ReportRef,
    kpi_key: str,
    field: Field | str,
    raw: str | None,
    *,
    actor: str,
) -> Changes:
    """Type (or clear, with a blank ``raw``) one reference figure of ``kpi_key``.

    ``ref`` names the plan (branch, year) and, for this year's national figures, the
    report period. The figure is parsed in the KPI's unit (a rank: 1 to 47); a bad
    value raises BadInput and nothing is written."""
    what = field if isinstance(field, Field) else field_named(field)
    with db.write() as session:
        scope = EditScope(session, ref, actor=actor, create_report=what.of_report)
        kpi = scope.kpi(kpi_key)
        value = parse_figure(kpi.unit, what, raw)
        if what.of_report:
            changed, source = _set_national(scope, kpi, what, value)
        else:
            changed, source = _set_plan_figure(scope, kpi, what, value)
        if not changed:
            return NOTHING
        # A content record like a KPI figure: the open report folds it in (a plan's
        # figure into both reports of the year), nothing is read again.
        record = ReferenceChanged(ref, kpi.key, what.value, value, source)
        return Changes(records=(record,)) + scope.changes()


def _set_plan_figure(
    scope: EditScope, kpi: KpiRow, what: Field, value: Value
) -> tuple[bool, Source | None]:
    node = scope.session.get(NodeRow, kpi.node_id)
    assert node is not None
    owner = PlanFigure(node)
    key = audit.plan_item_key(scope.ref.branch, scope.ref.fiscal_year, kpi.key)
    source = None if value is None else Source.TYPED
    changed = scope.change(owner, kpi, what.value, value, entity="kpi", key=key)
    column = _SOURCE_OF.get(what)
    if column is not None:
        stored = None if source is None else source.value
        changed |= scope.change(owner, kpi, column, stored, entity="kpi", key=key)
    return changed, source


def _set_national(scope: EditScope, kpi: KpiRow, what: Field, value: Value) -> tuple[bool, Source]:
    report = scope.report
    assert report is not None
    row = scope.session.scalars(
        select(BenchmarkRow).where(
            BenchmarkRow.report_id == report.id, BenchmarkRow.kpi_id == kpi.id
        )
    ).one_or_none()
    if row is not None and row.source == Source.PACK.value:
        raise Refused(
            f"KPI {kpi.key} の全国平均・順位は本部提供の値が取り込まれているため、入力できません。",
            f"KPI {kpi.key}'s national figures come from HQ's pack and cannot be typed.",
        )
    key = audit.report_item_key(scope.ref.key, kpi.key)
    owner = KpiFigure(kpi)
    if row is None:
        if value is None:
            return False, Source.TYPED
        scope.guard(owner)
        row = BenchmarkRow(report_id=report.id, kpi_id=kpi.id, source=Source.TYPED.value)
        scope.session.add(row)
        scope.record("benchmark", key, "national_source", None, Source.TYPED.value)
    changed = scope.change(owner, row, what.value, value, entity="benchmark", key=key)
    return changed, Source.TYPED
