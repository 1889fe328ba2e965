"""Rows ↔ domain objects. Every query the app runs lives in the store."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.mark_rules import dump_rules
from desktop.domain.model import (
    BranchTarget,
    PeriodKind,
    Plan,
    Report,
    Source,
)
from desktop.domain.print_profiles import dump_profiles
from desktop.store import content
from desktop.store.models import (
    BenchmarkRow,
    BranchTargetRow,
    EntryRow,
    KpiMonthlyRow,
    KpiProfileRow,
    KpiRow,
    MeasurementRow,
    NodeRow,
    PlanRow,
    ReportRow,
)
from desktop.store.row_mapping import (  # the services map one measurement with it too
    measurement_from_row,  # noqa: F401
    plan_from_rows,
    report_from_rows,
)


def now_utc() -> datetime:
    return datetime.now(UTC)


def plan_row(session: Session, branch: str, fiscal_year: int) -> PlanRow | None:
    return session.scalar(
        select(PlanRow).where(PlanRow.branch_code == branch, PlanRow.fiscal_year == fiscal_year)
    )


def list_plans(session: Session) -> list[tuple[str, int, str]]:
    rows = session.execute(
        select(PlanRow.branch_code, PlanRow.fiscal_year, PlanRow.title).order_by(
            PlanRow.branch_code, PlanRow.fiscal_year
        )
    )
    return [(b, y, t) for b, y, t in rows]


def report_row(session: Session, plan_id: int, period: PeriodKind) -> ReportRow | None:
    return session.scalar(
        select(ReportRow).where(ReportRow.plan_id == plan_id, ReportRow.period == period.value)
    )


def save_plan(
    session: Session,
    plan: Plan,
    *,
    actor: str,
    action: str,
    note: str | None = None,
    replace: bool = False,
) -> PlanRow:
    """Store a whole plan with its reports, and the audit entries for every value
    it holds (``action``: create_plan, import, rollover …; ``note`` on its
    ``created`` entry, default the title). An existing plan for the same branch
    and year is an error unless ``replace``."""
    existing = plan_row(session, plan.branch, plan.fiscal_year)
    if existing is not None:
        if not replace:
            raise ValueError(f"plan {plan.branch}/{plan.fiscal_year} exists")
        session.delete(existing)
        session.flush()
    stamp = now_utc()
    row = PlanRow(
        branch_code=plan.branch,
        fiscal_year=plan.fiscal_year,
        title=plan.title,
        basic_policy="\n".join(plan.basic_policy),
        created_at=stamp,
        mark_rules=dump_rules(plan.mark_rules) if plan.mark_rules is not None else None,
        report_axis=plan.report_axis.value,
        number_per_group=plan.number_per_group,
        print_profiles=dump_profiles(plan.print_profiles),
    )
    session.add(row)
    session.flush()
    node_ids: dict[str, int] = {}
    # Parents come before children in plan.nodes (document order).
    for node in plan.nodes:
        n = NodeRow(
            plan_id=row.id,
            key=node.key,
            parent_id=node_ids[node.parent_key] if node.parent_key else None,
            level=node.level.value,
            label=node.label,
            title=node.title,
            plan_text=node.plan_text,
            group_name=node.group.value if node.group else None,
            importance=node.importance,
            difficulty=node.difficulty,
            footnotes=json.dumps(list(node.footnotes), ensure_ascii=False),
            position=node.position,
            own=node.own,
            branch_may_add=node.branch_may_add,
            report_position=node.report_position,
            rated_with=node.rated_with,
        )
        session.add(n)
        session.flush()
        node_ids[node.key] = n.id
    kpi_ids: dict[str, int] = {}
    for position, k in enumerate(plan.kpis):
        kr = KpiRow(
            plan_id=row.id,
            node_id=node_ids[k.node_key],
            key=k.key,
            label=k.label,
            name=k.name,
            unit=k.unit,
            decimals=k.decimals,
            direction=k.direction.value,
            target_kind=k.target_kind.value,
            target=k.target,
            cumulative=k.cumulative,
            is_new=k.is_new,
            definition_changed=k.definition_changed,
            numerator_label=k.numerator_label,
            denominator_label=k.denominator_label,
            numerator_target=k.numerator_target,
            denominator_target=k.denominator_target,
            last_year_actual=k.last_year_actual,
            reference=k.reference,
            note=k.note,
            judged_decimals=k.judged_decimals,
            last_year_source=_source_text(k.last_year_source),
            prior_year_actual=k.prior_year_actual,
            prior_year_source=_source_text(k.prior_year_source),
            last_year_national_average=k.last_year_national_average,
            last_year_national_rank=k.last_year_national_rank,
            target_by_branch=k.target_by_branch,
            reference_indicator=k.reference_indicator,
            baseline_year=k.baseline_year,
            baseline_value=k.baseline_value,
            goal_year=k.goal_year,
            target_text=k.target_text,
            definition_note=k.definition_note,
            own=k.own,
            position=position,
            profile=[KpiProfileRow(fiscal_index=i, value=v) for i, v in k.last_year_profile],
            monthly=[
                KpiMonthlyRow(fiscal_index=i, value=v, entered_by=actor, entered_at=stamp)
                for i, v in k.monthly_actuals
            ],
        )
        session.add(kr)
        session.flush()
        kpi_ids[k.key] = kr.id
    for branch, kpi_key, target in plan.branch_targets.cells:
        session.add(branch_target_row(row.id, kpi_ids[kpi_key], branch, target))
    for report in plan.reports:
        rr = ReportRow(
            plan_id=row.id, period=report.period.value, as_of=report.as_of, title=report.title
        )
        session.add(rr)
        session.flush()
        for e in report.entries:
            session.add(
                EntryRow(
                    report_id=rr.id,
                    node_id=node_ids[e.node_key],
                    status_text=e.status_text,
                    mark=e.mark,
                    mark_reason=e.mark_reason,
                    next_steps=e.next_steps,
                    actions=e.actions,
                    updated_by=actor,
                    updated_at=stamp,
                )
            )
        for m in report.measurements:
            session.add(
                MeasurementRow(
                    report_id=rr.id,
                    kpi_id=kpi_ids[m.kpi_key],
                    value=m.value,
                    numerator=m.numerator,
                    denominator=m.denominator,
                    done=m.done,
                    as_of=m.as_of,
                    preliminary=m.preliminary,
                    unavailable_reason=m.unavailable_reason,
                    manual_status=m.manual_status,
                    manual_reason=m.manual_reason,
                    old_method_value=m.old_method_value,
                    entered_by=m.entered_by or actor,
                    entered_at=m.entered_at or stamp,
                )
            )
        for b in report.benchmarks:
            session.add(
                BenchmarkRow(
                    report_id=rr.id,
                    kpi_id=kpi_ids[b.kpi_key],
                    national_average=b.national_average,
                    national_rank=b.national_rank,
                    branch_count=b.branch_count,
                    source=b.source.value,
                )
            )
    session.flush()
    content.record_created(
        session,
        plan.branch,
        plan.fiscal_year,
        actor=actor,
        action=action,
        at=stamp,
        note=plan.title if note is None else note,
    )
    return row


def load_plan(session: Session, branch: str, fiscal_year: int) -> Plan | None:
    """The whole plan with its reports, as domain objects (5 queries)."""
    row = plan_row(session, branch, fiscal_year)
    if row is None:
        return None
    nodes = session.scalars(select(NodeRow).where(NodeRow.plan_id == row.id)).all()
    key_of = {n.id: n.key for n in nodes}
    kpis = session.scalars(
        select(KpiRow).where(KpiRow.plan_id == row.id).order_by(KpiRow.position)
    ).all()
    profiles: dict[int, list[KpiProfileRow]] = {}
    for p in session.scalars(
        select(KpiProfileRow).join(KpiRow).where(KpiRow.plan_id == row.id)
    ).all():
        profiles.setdefault(p.kpi_id, []).append(p)
    monthly: dict[int, list[KpiMonthlyRow]] = {}
    for mr in session.scalars(
        select(KpiMonthlyRow).join(KpiRow).where(KpiRow.plan_id == row.id)
    ).all():
        monthly.setdefault(mr.kpi_id, []).append(mr)
    kpi_key_of = {k.id: k.key for k in kpis}
    reports = []
    for rr in session.scalars(select(ReportRow).where(ReportRow.plan_id == row.id)).all():
        reports.append(_report(session, rr, key_of, kpi_key_of))
    targets = session.scalars(
        select(BranchTargetRow)
        .where(BranchTargetRow.plan_id == row.id)
        .order_by(BranchTargetRow.id)
    ).all()
    return plan_from_rows(row, nodes, kpis, profiles, monthly, reports, targets)


def branch_target_row(
    plan_id: int, kpi_id: int, branch: str, target: BranchTarget
) -> BranchTargetRow:
    return BranchTargetRow(
        plan_id=plan_id, kpi_id=kpi_id, branch_code=branch, kind=target.kind.value,
        value=target.value,
    )  # fmt: skip


def _source_text(source: Source | None) -> str | None:
    return None if source is None else source.value


def _report(
    session: Session, rr: ReportRow, key_of: dict[int, str], kpi_key_of: dict[int, str]
) -> Report:
    entries = session.scalars(
        select(EntryRow).where(EntryRow.report_id == rr.id).order_by(EntryRow.id)
    ).all()
    measurements = session.scalars(
        select(MeasurementRow).where(MeasurementRow.report_id == rr.id).order_by(MeasurementRow.id)
    ).all()
    benchmarks = session.scalars(
        select(BenchmarkRow).where(BenchmarkRow.report_id == rr.id).order_by(BenchmarkRow.id)
    ).all()
    return report_from_rows(rr, entries, measurements, benchmarks, key_of, kpi_key_of)


def kpi_row(session: Session, plan_id: int, key: str) -> KpiRow | None:
    return session.scalar(select(KpiRow).where(KpiRow.plan_id == plan_id, KpiRow.key == key))


def node_row(session: Session, plan_id: int, key: str) -> NodeRow | None:
    return session.scalar(select(NodeRow).where(NodeRow.plan_id == plan_id, NodeRow.key == key))


def measurement_row(session: Session, report_id: int, kpi_id: int) -> MeasurementRow | None:
    return session.scalar(
        select(MeasurementRow).where(
            MeasurementRow.report_id == report_id, MeasurementRow.kpi_id == kpi_id
        )
    )


def entry_row(session: Session, report_id: int, node_id: int) -> EntryRow | None:
    return session.scalar(
        select(EntryRow).where(EntryRow.report_id == report_id, EntryRow.node_id == node_id)
    )
