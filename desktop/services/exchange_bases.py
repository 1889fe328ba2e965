"""What a workbook exchange carries: the scope of sections a file holds, and the
common version of each field (what this database last exchanged), which the
import's three-way merge compares against.

Export and import both use these; neither imports the other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.errors import UserError
from desktop.domain.model import Kpi, Plan, ReportRef
from desktop.services.edit_scope import find_report
from desktop.store.database import Database
from desktop.store.models import ExchangeBaseRow, ReportRow


def section_scope(plan: Plan, sections: Iterable[str] = ()) -> tuple[list[str], list[Kpi]]:
    """The nodes and the KPIs under the given nodes (all when none)."""
    chosen = set(sections)
    unknown = chosen - {n.key for n in plan.nodes}
    if unknown:
        key = sorted(unknown)[0]
        raise UserError(f"項目 {key} はこの計画にありません。", f"No plan item {key} in this plan.")
    inside: set[str] = set()
    for node in plan.nodes:  # parents come first: a node is inside when its parent is
        if not chosen or node.key in chosen or (node.parent_key in inside):
            inside.add(node.key)
    # Headings too: a heading people do not report on has no entry, so it merges as
    # empty; an entry one does carry (from older data) still travels with the plan.
    nodes = [n.key for n in plan.nodes if n.key in inside]
    kpis = [k for k in plan.kpis if k.node_key in inside]
    return nodes, kpis


# --- the common version of each field ------------------------------------------------


def bases(db: Database, ref: ReportRef) -> dict[str, str | None]:
    with db.read() as session:
        return bases_in(session, ref)


def bases_in(session: Session, ref: ReportRef) -> dict[str, str | None]:
    """What this database last exchanged per field of the report. Monthly figures
    belong to the fiscal year, not to one report: the latest exchange of either
    period's file counts for them."""
    plan_id, report = find_report(session, ref, create=False, need_report=False)
    rows = session.scalars(
        select(ExchangeBaseRow)
        .join(ReportRow, ReportRow.id == ExchangeBaseRow.report_id)
        .where(ReportRow.plan_id == plan_id)
        .order_by(ExchangeBaseRow.updated_at, ExchangeBaseRow.id)
    ).all()
    own = report.id if report is not None else None
    return {r.field: r.value for r in rows if r.report_id == own or r.field.startswith("monthly/")}


def remember(
    session: Session, report_id: int, fields: Mapping[str, str | None], stamp: datetime
) -> None:
    """Keep each field's value as the common version of the next merge (bookkeeping,
    not content: no audit entry)."""
    rows = {
        r.field: r
        for r in session.scalars(
            select(ExchangeBaseRow).where(ExchangeBaseRow.report_id == report_id)
        ).all()
    }
    for name, value in fields.items():
        row = rows.get(name)
        if row is None:
            session.add(
                ExchangeBaseRow(report_id=report_id, field=name, value=value, updated_at=stamp)
            )
        elif row.value != value:
            row.value, row.updated_at = value, stamp
