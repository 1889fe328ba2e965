"""Year rollover: next year's branch plan from the new HQ template.

What carries over — baselines, resolved 対前年度 targets, which KPIs are new
or redefined and need a person's confirmation — is decided by the rules in
:mod:`desktop.domain.rollover`. This module reads the plans, stores the new
one in one transaction with its audit entries, lists the confirmations still
pending (:func:`pending_confirmations`) and records one (:func:`confirm_kpi`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.branches import Branch
from desktop.domain.branches import branch as find_branch
from desktop.domain.calendar import fiscal_year_label
from desktop.domain.errors import UserError
from desktop.domain.model import Plan
from desktop.domain.rollover import (
    Baseline,
    CarriedKpi,
    FlaggedKpi,
    LeftBehind,
    ResolvedTarget,
    UnresolvedTarget,
    kpis_to_confirm,
    next_year,
)
from desktop.services.changes import NOTHING, Changes, KpiConfirmed, PlanRef
from desktop.services.plans import HQ_TEMPLATE, bundled_plan
from desktop.store import audit, repository
from desktop.store.database import Database
from desktop.store.models import KpiConfirmationRow, KpiRow, PlanRow
from desktop.store.repository import now_utc


@dataclass(frozen=True, slots=True)
class RolloverResult:
    branch: str
    fiscal_year: int
    title: str
    from_year: int
    template: str  # "00/2025": the template's branch and year
    resolved: tuple[ResolvedTarget, ...]
    unresolved: tuple[UnresolvedTarget, ...]
    flagged: tuple[FlaggedKpi, ...]
    baselines: tuple[Baseline, ...]
    changes: Changes = NOTHING  # the new plan
    # The branch's own sections, items and KPIs (支部独自): carried over (as printed),
    # and left behind with the reason (HQ's new template no longer allows them there).
    own_carried: tuple[str, ...] = ()
    left_behind: tuple[LeftBehind, ...] = ()

    @property
    def key(self) -> str:
        return audit.plan_key(self.branch, self.fiscal_year)

    @property
    def carried(self) -> int:
        """How many KPIs got a baseline (last year's figure or pace curve)."""
        return len(self.baselines)


# --- use cases -------------------------------------------------------------------


def _branch(code: str) -> Branch:
    try:
        found = find_branch(code)
    except KeyError:
        raise UserError(
            f"支部コード「{code}」はありません。", f"No branch code '{code}'."
        ) from None
    return found


def _default_template(session: Session) -> Plan:
    """The newest HQ plan in the database, else the bundled template."""
    year = session.scalar(
        select(PlanRow.fiscal_year)
        .where(PlanRow.branch_code == "00")
        .order_by(PlanRow.fiscal_year.desc())
        .limit(1)
    )
    plan = repository.load_plan(session, "00", year) if year is not None else None
    return plan if plan is not None else bundled_plan(HQ_TEMPLATE)


def roll_over(
    db: Database,
    branch: str,
    *,
    template: Plan | None = None,
    from_year: int | None = None,
    actor: str,
) -> RolloverResult:
    """Create the branch's plan for the template's year from the template and the
    branch's plan of ``from_year`` (default: the year before). One transaction;
    refused (nothing changed) when that plan exists or last year's is missing."""
    unit = _branch(branch)
    if unit.is_hq:
        raise UserError(
            "本部の計画は年度更新できません。支部を指定してください。",
            "HQ's plan is not rolled over; name a branch.",
        )
    with db.write() as session:
        if template is None:
            template = _default_template(session)
        year = template.fiscal_year
        source_year = year - 1 if from_year is None else from_year
        if source_year >= year:
            raise UserError(
                f"引き継ぐ年度（{source_year}年度）は新しい年度（{year}年度）より前にしてください。",
                f"The year to carry from (FY{source_year}) must come before FY{year}.",
            )
        if repository.plan_row(session, unit.code, year) is not None:
            raise UserError(
                f"{fiscal_year_label(year)}・{unit.name_ja}の計画は既にあります。"
                "年度更新は行っていません。",
                f"{unit.name_en} already has a plan for FY{year}. Nothing was rolled over.",
            )
        previous = repository.load_plan(session, unit.code, source_year)
        if previous is None:
            raise UserError(
                f"{fiscal_year_label(source_year)}・{unit.name_ja}の計画がこのデータベースに"
                "ないため、前年度の実績を引き継げません。年度更新は行っていません。",
                f"No plan for {unit.name_en}, FY{source_year} in this database, so there is "
                "no last year to carry over. Nothing was rolled over.",
            )
        found = next_year(template, previous, unit)
        plan, carried = found.plan, found.carried
        repository.save_plan(
            session,
            plan,
            actor=actor,
            action="rollover",
            note=f"{template.branch}/{template.fiscal_year} + {unit.code}/{source_year}",
        )
        _audit_rollover(session, plan, template, source_year, carried, actor)
    return RolloverResult(
        branch=unit.code,
        fiscal_year=year,
        title=plan.title,
        from_year=source_year,
        template=audit.plan_key(template.branch, template.fiscal_year),
        resolved=tuple(c.resolved for c in carried if c.resolved),
        unresolved=tuple(c.unresolved for c in carried if c.unresolved),
        flagged=tuple(c.flag for c in carried if c.flag),
        baselines=tuple(c.baseline for c in carried if c.baseline),
        changes=Changes(plans=frozenset({PlanRef(unit.code, year)})),
        own_carried=tuple(
            [plan.node(key).display_title for key in found.own_nodes]
            + [f"{k.label}{k.name}" for k in plan.kpis if k.own]
        ),
        left_behind=found.left_behind,
    )


def _audit_rollover(
    session: Session,
    plan: Plan,
    template: Plan,
    source_year: int,
    carried: tuple[CarriedKpi, ...],
    actor: str,
) -> None:
    stamp = now_utc()
    key = audit.plan_key(plan.branch, plan.fiscal_year)

    def entry(entity: str, entity_key: str, field: str, new: str | None) -> None:
        audit.append(
            session,
            at=stamp,
            actor=actor,
            action="rollover",
            entity=entity,
            entity_key=entity_key,
            field=field,
            new=new,
        )

    entry("plan", key, "title", plan.title)
    entry("plan", key, "source", audit.plan_key(plan.branch, source_year))
    entry("plan", key, "template", audit.plan_key(template.branch, template.fiscal_year))
    for c in carried:
        kpi_key = audit.plan_item_key(plan.branch, plan.fiscal_year, c.kpi.key)
        if c.baseline is not None and c.baseline.value is not None:
            entry("kpi", kpi_key, "last_year_actual", str(c.baseline.value))
        if c.baseline is not None and c.baseline.profile_months:
            entry("kpi", kpi_key, "last_year_profile", f"{c.baseline.profile_months} months")
        if c.resolved is not None:
            entry("kpi", kpi_key, "target", str(c.resolved.value))
        if c.unresolved is not None:
            entry("kpi", kpi_key, "target", None)
        if c.flag is not None:
            entry("kpi", kpi_key, "needs_confirmation", c.flag.reason)


def _flags(session: Session, code: str, fiscal_year: int) -> tuple[Plan, list[FlaggedKpi]]:
    plan = repository.load_plan(session, code, fiscal_year)
    if plan is None:
        unit = find_branch(code)
        raise UserError(
            f"{fiscal_year_label(fiscal_year)}・{unit.name_ja}の計画はこのデータベースにありません。",
            f"No plan for {unit.name_en}, FY{fiscal_year} in this database.",
        )
    # Last year's plan is the newest of the branch before this year (the year
    # before, when the plan was rolled over with the default).
    previous_year = session.scalar(
        select(PlanRow.fiscal_year)
        .where(PlanRow.branch_code == code, PlanRow.fiscal_year < fiscal_year)
        .order_by(PlanRow.fiscal_year.desc())
        .limit(1)
    )
    previous = (
        repository.load_plan(session, code, previous_year) if previous_year is not None else None
    )
    return plan, kpis_to_confirm(plan, previous)


def _confirmed_ids(session: Session, code: str, fiscal_year: int) -> dict[str, KpiConfirmationRow]:
    rows = session.execute(
        select(KpiRow.key, KpiConfirmationRow)
        .join(KpiConfirmationRow, KpiConfirmationRow.kpi_id == KpiRow.id)
        .join(PlanRow, PlanRow.id == KpiRow.plan_id)
        .where(PlanRow.branch_code == code, PlanRow.fiscal_year == fiscal_year)
    )
    return {key: row for key, row in rows}


def pending_confirmations(db: Database, branch: str, fiscal_year: int) -> list[FlaggedKpi]:
    """New and redefined KPIs of the plan nobody has confirmed yet, in plan order."""
    code = _branch(branch).code
    with db.read() as session:
        _, flags = _flags(session, code, fiscal_year)
        confirmed = _confirmed_ids(session, code, fiscal_year)
    return [f for f in flags if f.kpi_key not in confirmed]


def confirm_kpi(
    db: Database, branch: str, fiscal_year: int, kpi_key: str, *, actor: str
) -> Changes:
    """Record that a person checked a new or redefined KPI (with an audit entry)."""
    code = _branch(branch).code
    with db.write() as session:
        _, flags = _flags(session, code, fiscal_year)
        plan_row = repository.plan_row(session, code, fiscal_year)
        assert plan_row is not None  # _flags refused a missing plan
        row = repository.kpi_row(session, plan_row.id, kpi_key)
        if row is None:
            raise UserError(f"KPI {kpi_key} がありません。", f"No KPI {kpi_key}.")
        flag = next((f for f in flags if f.kpi_key == kpi_key), None)
        if flag is None:
            raise UserError(
                f"KPI「{row.name}」は新設でも定義変更でもないため、確認の必要はありません。",
                f"KPI '{row.name}' is neither new nor redefined; it needs no confirmation.",
            )
        done = session.scalar(select(KpiConfirmationRow).where(KpiConfirmationRow.kpi_id == row.id))
        if done is not None:
            local = done.confirmed_at.astimezone()
            raise UserError(
                f"KPI「{row.name}」は {done.confirmed_by} さんが "
                f"{local:%Y-%m-%d %H:%M} に確認済みです。",
                f"KPI '{row.name}' was already confirmed by {done.confirmed_by} on "
                f"{local:%Y-%m-%d %H:%M}.",
            )
        stamp = now_utc()
        session.add(KpiConfirmationRow(kpi_id=row.id, confirmed_by=actor, confirmed_at=stamp))
        audit.append(
            session,
            at=stamp,
            actor=actor,
            action="confirm",
            entity="kpi",
            entity_key=audit.plan_item_key(code, fiscal_year, kpi_key),
            field="confirmation",
            new=flag.reason,
        )
    confirmed = KpiConfirmed(code, fiscal_year, kpi_key, row.name, flag.reason, actor, stamp)
    return Changes.of_records([confirmed])


# --- a summary the CLI prints ------------------------------------------------------


def format_result(result: RolloverResult, lang: str = "ja") -> str:
    """Plain text: what was created, resolved, left open and needs confirming."""
    unit = find_branch(result.branch)
    lines: list[str] = []
    if lang == "ja":
        lines.append(
            f"{fiscal_year_label(result.fiscal_year)}・{unit.name_ja}の計画を作成しました: "
            f"{result.title}"
        )
        lines.append(
            f"前年度（{fiscal_year_label(result.from_year, 'era')}）から引き継いだ実績: "
            f"{result.carried}件"
        )
        lines.append(f"対前年度の目標を確定: {len(result.resolved)}件")
        lines += [f"  {r.kpi_key} {r.name}: {r.text_ja}" for r in result.resolved]
        lines.append(f"目標未確定: {len(result.unresolved)}件")
        lines += [f"  {u.kpi_key} {u.name}: {u.reason_ja}" for u in result.unresolved]
        lines.append(f"確認が必要なKPI（新設・定義変更）: {len(result.flagged)}件")
        labels = {"new": "新設", "definition_changed": "定義変更"}
        lines += [
            f"  {f.kpi_key} {f.name}［{labels[f.reason]}］{f.detail_ja}" for f in result.flagged
        ]
        if result.own_carried or result.left_behind:
            lines.append(f"引き継いだ支部独自の項目・KPI: {len(result.own_carried)}件")
            lines += [f"  {name}" for name in result.own_carried]
            lines.append(f"引き継がなかった支部独自の項目・KPI: {len(result.left_behind)}件")
            lines += [f"  {b.name}: {b.reason_ja}" for b in result.left_behind]
        return "\n".join(lines)
    lines.append(f"Created the FY{result.fiscal_year} plan of {unit.name_en}: {result.title}")
    lines.append(f"Carried over from FY{result.from_year}: {result.carried} baseline(s)")
    lines.append(f"Last-year targets resolved: {len(result.resolved)}")
    lines += [f"  {r.kpi_key} {r.name}: {r.text_en}" for r in result.resolved]
    lines.append(f"Targets not set: {len(result.unresolved)}")
    lines += [f"  {u.kpi_key} {u.name}: {u.reason_en}" for u in result.unresolved]
    lines.append(f"KPIs to confirm (new or redefined): {len(result.flagged)}")
    lines += [f"  {f.kpi_key} {f.name} [{f.reason}] {f.detail_en}" for f in result.flagged]
    if result.own_carried or result.left_behind:
        lines.append(f"The branch's own items and KPIs carried over: {len(result.own_carried)}")
        lines += [f"  {name}" for name in result.own_carried]
        lines.append(f"The branch's own items and KPIs not carried: {len(result.left_behind)}")
        lines += [f"  {b.name}: {b.reason_en}" for b in result.left_behind]
    return "\n".join(lines)
