"""Use cases around whole plans: create the database, install the demo,
read a plan for display."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desktop.domain.branch_targets import branch_kpis
from desktop.domain.branches import branch as find_branch
from desktop.domain.calendar import fiscal_year_label
from desktop.domain.errors import UserError
from desktop.domain.model import PeriodKind, Plan
from desktop.domain.plan_document import load_plan_file
from desktop.paths import resource_path
from desktop.services.changes import NOTHING, Changes, PlanRef
from desktop.store import repository
from desktop.store.database import Database, open_database

DEMO_PLANS = ("plans/tokyo_2023.json", "plans/tokyo_2024.json")
HQ_TEMPLATE = "templates/hq_2025.json"


def bundled_plan(relative: str) -> Plan:
    return load_plan_file(resource_path(relative))


def init_database(path: str | Path) -> Database:
    """Create (or open and migrate) a database file."""
    return open_database(path, create=True)


@dataclass(frozen=True, slots=True)
class InstalledPlan:
    branch: str
    fiscal_year: int
    title: str
    replaced: bool
    changes: Changes = NOTHING


@dataclass(frozen=True, slots=True)
class InstalledPlans:
    """Several plans installed (the demo), each in its own transaction."""

    plans: tuple[InstalledPlan, ...]

    @property
    def changes(self) -> Changes:
        return Changes(plans=frozenset(p for i in self.plans for p in i.changes.plans))


def install_plan(db: Database, plan: Plan, *, actor: str, replace: bool = False) -> InstalledPlan:
    """Store a whole plan in one transaction, with an audit entry per value."""
    with db.write() as session:
        existed = repository.plan_row(session, plan.branch, plan.fiscal_year) is not None
        if existed and not replace:
            raise UserError(
                f"{plan.fiscal_year}年度・支部 {plan.branch} の計画は既にあります。",
                f"A plan for branch {plan.branch}, FY{plan.fiscal_year} already exists.",
            )
        repository.save_plan(
            session,
            plan,
            actor=actor,
            action="replace_plan" if existed else "create_plan",
            replace=replace,
        )
    changes = Changes(plans=frozenset({PlanRef(plan.branch, plan.fiscal_year)}))
    return InstalledPlan(plan.branch, plan.fiscal_year, plan.title, existed, changes)


def install_demo(db: Database, *, actor: str) -> InstalledPlans:
    """The bundled Tokyo demo (FY2023, FY2024) and the HQ FY2025 template.

    Re-running it restores the demo plans to their bundled state.
    """
    relatives = (*DEMO_PLANS, HQ_TEMPLATE)
    return InstalledPlans(
        tuple(install_plan(db, bundled_plan(r), actor=actor, replace=True) for r in relatives)
    )


def list_plans(db: Database) -> list[tuple[str, int, str]]:
    with db.read() as session:
        return repository.list_plans(session)


def get_plan(db: Database, branch: str, fiscal_year: int) -> Plan:
    code = find_branch(branch).code
    with db.read() as session:
        plan = repository.load_plan(session, code, fiscal_year)
    if plan is None:
        raise no_plan(code, fiscal_year)
    return plan


def no_plan(code: str, fiscal_year: int) -> UserError:
    return UserError(
        f"{fiscal_year_label(fiscal_year)}・{find_branch(code).name_ja}の計画はこのデータベースにありません。",
        f"No plan for {find_branch(code).name_en}, FY{fiscal_year} in this database.",
    )


def default_period(plan: Plan) -> PeriodKind:
    """The latest report the plan has (annual over mid-year), else mid-year."""
    periods = [r.period for r in plan.reports]
    return PeriodKind.ANNUAL if PeriodKind.ANNUAL in periods else PeriodKind.MIDYEAR


def create_from_template(
    db: Database, branch: str, *, actor: str, template: Plan | None = None
) -> InstalledPlan:
    """A new branch plan from HQ's template: same tree and KPIs, no reports; each
    KPI with the branch's target from HQ's table of targets per branch.

    Uses the newest HQ plan in the database, else the bundled template.
    """
    code = find_branch(branch).code
    if template is None:
        hq = [(y, t) for b, y, t in list_plans(db) if b == "00"]
        template = get_plan(db, "00", max(hq)[0]) if hq else bundled_plan(HQ_TEMPLATE)
    era_title = template.title.replace("本部", find_branch(code).name_ja)
    if era_title == template.title:
        era_title = f"{find_branch(code).name_ja} {template.title}"
    plan = Plan(
        branch=code,
        fiscal_year=template.fiscal_year,
        title=era_title,
        basic_policy=template.basic_policy,
        nodes=template.nodes,
        kpis=branch_kpis(template, code),
        reports=(),
        mark_rules=template.mark_rules,  # HQ's rules for suggested marks, as the template sets
        # How the report is organised, as the template says (issue 16 item 2).
        report_axis=template.report_axis,
        number_per_group=template.number_per_group,
        print_profiles=template.print_profiles,  # and the report layout per period
    )
    return install_plan(db, plan, actor=actor)
