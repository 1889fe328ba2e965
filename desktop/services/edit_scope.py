"""The one way an editing service reaches what it changes in a report.

Every service that changes report content — typed in the app or the command
line, or merged from a workbook — opens an ``EditScope`` inside its write
transaction. The scope resolves the report, its sections and KPIs by key, and
writes each field through ``change``, which applies the review lock of what
the field belongs to before the first change (once per owner) and appends the
audit entry. So the lock is not something each service has to remember: a
field written through the scope is guarded, and tests/services/test_edit_locks.py
finds every writing service of the service API and checks that it is refused
on a signed-off report and an approved section (or is a listed exception).

What a field belongs to decides the lock:

- ``Section``: a section's texts and mark — locked when the report is signed
  off or the section approved (an edit to a reopened section resubmits it).
- ``KpiFigure``: a KPI's figure — locked with the section it hangs on (see
  ``locks.guard_kpi_edit`` for KPIs under headings).
- ``PlanText``: a node's 事業計画 text — shared by every report of the plan,
  so locked when any of them is signed off or has the section approved.
- ``YEAR``: monthly figures (月次実績) — deliberately not locked: they belong
  to the fiscal year, not to one report (docs/workbook-format.md), and keep
  arriving after a report is signed off.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.branches import branch as find_branch
from desktop.domain.calendar import YearMonth
from desktop.domain.errors import UserError
from desktop.domain.model import PeriodKind, ReportRef
from desktop.services.locks import guard_edit, guard_kpi_edit
from desktop.store import audit, repository
from desktop.store.models import KpiRow, NodeRow, ReportRow
from desktop.store.repository import now_utc


def find_report(
    session: Session,
    ref: ReportRef,
    *,
    create: bool,
    need_report: bool = True,
    actor: str | None = None,
) -> tuple[int, ReportRow | None]:
    """The plan's id and the report (created on first use when ``create``, with an
    audit entry by ``actor`` for its as-of month)."""
    code = find_branch(ref.branch).code
    plan = repository.plan_row(session, code, ref.fiscal_year)
    if plan is None:
        raise UserError(
            f"{ref.fiscal_year}年度・支部 {code} の計画がありません。",
            f"No plan for branch {code}, FY{ref.fiscal_year}.",
        )
    report = repository.report_row(session, plan.id, ref.period)
    if report is None and need_report:
        if not create:
            raise UserError(
                "この報告期間はまだありません。", "This report period does not exist yet."
            )
        if actor is None:
            raise ValueError("creating a report needs the actor for its audit entry")
        as_of = ref.period.closing_month(ref.fiscal_year)
        report = ReportRow(plan_id=plan.id, period=ref.period.value, as_of=as_of, title="")
        session.add(report)
        session.flush()
        audit.append(session, at=now_utc(), actor=actor, action="create", entity="report",
                     entity_key=ref.key, field="as_of", new=as_of.iso())  # fmt: skip
    return plan.id, report


def find_node(session: Session, plan_id: int, node_key: str) -> NodeRow:
    node = repository.node_row(session, plan_id, node_key)
    if node is None:
        raise UserError(f"項目 {node_key} がありません。", f"No plan item {node_key}.")
    return node


def find_kpi(session: Session, plan_id: int, kpi_key: str) -> KpiRow:
    kpi = repository.kpi_row(session, plan_id, kpi_key)
    if kpi is None:
        raise UserError(f"KPI {kpi_key} がありません。", f"No KPI {kpi_key}.")
    return kpi


# --- what a field belongs to ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Section:
    node: NodeRow


@dataclass(frozen=True, slots=True)
class KpiFigure:
    kpi: KpiRow


@dataclass(frozen=True, slots=True)
class PlanText:
    node: NodeRow


@dataclass(frozen=True, slots=True)
class _Year:
    """Monthly figures: the fiscal year's, not one report's (see the module doc)."""


YEAR = _Year()
Owner = Section | KpiFigure | PlanText | _Year


class EditScope:
    """The report an editing service writes to, inside its write transaction.

    ``create_report``: make the report row on the first edit of a period
    (texts and figures); False for what belongs to the plan or the year
    (plan text, monthly figures), which need no report of this period.
    """

    def __init__(
        self,
        session: Session,
        ref: ReportRef,
        *,
        actor: str,
        action: str = "edit",
        create_report: bool = True,
        stamp: datetime | None = None,
    ) -> None:
        self.session, self.ref, self.actor, self.action = session, ref, actor, action
        self.stamp = stamp or now_utc()
        self.plan_id, self.report = find_report(
            session, ref, create=create_report, need_report=create_report, actor=actor
        )
        self._guarded: set[tuple[str, int]] = set()

    def node(self, node_key: str) -> NodeRow:
        return find_node(self.session, self.plan_id, node_key)

    def kpi(self, kpi_key: str) -> KpiRow:
        return find_kpi(self.session, self.plan_id, kpi_key)

    def guard(self, owner: Owner) -> None:
        """Refuse (ReviewRefused) when the review lock of ``owner`` forbids a change.
        Called by ``change``; call it directly only for rows added or deleted whole."""
        if isinstance(owner, _Year):
            return  # deliberately unlocked: see the module doc
        token = (
            type(owner).__name__,
            owner.node.id if not isinstance(owner, KpiFigure) else owner.kpi.id,
        )
        if token in self._guarded:
            return
        if isinstance(owner, Section):
            guard_edit(self.session, self.ref, self._report(), owner.node, actor=self.actor)
        elif isinstance(owner, KpiFigure):
            guard_kpi_edit(self.session, self.ref, self._report(), owner.kpi, actor=self.actor)
        else:
            for period, report in self._plan_reports():
                ref = ReportRef(self.ref.branch, self.ref.fiscal_year, period)
                guard_edit(self.session, ref, report, owner.node, actor=self.actor)
        self._guarded.add(token)

    def change(
        self, owner: Owner, row: object, field: str, new: object, *, entity: str, key: str
    ) -> bool:
        """Set ``row.field`` to ``new`` when it differs: guarded, with its audit entry.
        True when it changed."""
        old = getattr(row, field)
        if old == new:
            return False
        self.guard(owner)
        setattr(row, field, new)
        self.record(entity, key, field, old, new)
        return True

    def record(self, entity: str, key: str, field: str, old: object, new: object) -> None:
        """The audit entry of one change (``change`` makes it; rows added or deleted
        whole are recorded by the service, after ``guard``)."""
        audit.append(
            self.session,
            at=self.stamp,
            actor=self.actor,
            action=self.action,
            entity=entity,
            entity_key=key,
            field=field,
            old=audit_text(old),
            new=audit_text(new),
        )

    def _report(self) -> ReportRow:
        if self.report is None:  # pragma: no cover - a programming error, not user input
            raise RuntimeError("a section or KPI edit needs a scope with create_report=True")
        return self.report

    def _plan_reports(self) -> list[tuple[PeriodKind, ReportRow]]:
        rows = self.session.scalars(
            select(ReportRow).where(ReportRow.plan_id == self.plan_id).order_by(ReportRow.id)
        ).all()
        return [(PeriodKind(r.period), r) for r in rows]


def audit_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, YearMonth):
        return value.iso()
    return str(value)
