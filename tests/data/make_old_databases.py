"""Make tests/data/plandesk-rev*.sqlite3.gz: databases written by PlanDesk at every
earlier schema revision, each by the code of that revision, so that the upgrade
tests (tests/store/test_upgrade_every_revision.py) open what people really have.

    .venv/bin/python tests/data/make_old_databases.py            # all of them
    .venv/bin/python tests/data/make_old_databases.py 0001 0003  # some

For each revision it checks out the newest commit whose schema head is that
revision into a temporary git worktree (never `git stash`), runs this file's
``workload`` there with that checkout first on sys.path, compacts the file
(rollback journal, VACUUM) and gzips it here. The workload uses what the old
code offers: the demo plans, entries, a KPI figure and plan text always; monthly
figures from 0002; people, review, comments and a sign-off from 0003; a
rollover and a confirmed KPI from 0005; typed reference figures from 0008; from 0013\na target per branch, Osaka's plan from the template with an own section and KPI,\nsubmitted and approved.

Revision 0004 never was a head: 0004 and 0005 came in one commit (c526603), so
no PlanDesk ever left a database at 0004. Its file is the 0003 database brought
to 0004 by the migrations of the 0005 code (Alembic stopped at 0004).

"0006" names two different schemas in the history: on main between 927b63f and
5f3af8d it was "the audit trail accounts for every stored value" (now 0007),
on the issue-12 branch "KPIs judged at a printed precision". The merge renamed
the first to 0007. A database from each line is kept: rev0006-audit and
rev0006-judged.

plandesk-rev0005.sqlite3.gz comes from tests/data/make_rev0005_database.py and
is not remade here.
"""

from __future__ import annotations

import gzip
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

# label: (commit, alembic revision stamped in the file, how it is made)
REVISIONS: dict[str, tuple[str, str, str]] = {
    "0001": ("9f5eaa3", "0001", "workload"),
    "0002": ("a75276d", "0002", "workload"),
    "0003": ("73b40c1", "0003", "workload"),
    "0004": ("9b8c87e", "0004", "0003 upgraded to 0004"),
    "0006-audit": ("6ee9a54", "0006", "workload"),
    "0006-judged": ("1361919", "0006", "workload"),
    "0008": ("0b8e095", "0008", "workload"),
    "0013": ("ea0a531", "0013", "workload"),
}


def fixture(label: str) -> Path:
    return HERE / f"plandesk-rev{label}.sqlite3.gz"


# --- run inside the old checkout ---------------------------------------------------


def workload(path: Path) -> None:
    """Everything a branch does with PlanDesk, as far as the old code can."""
    import importlib.util

    from desktop.domain.model import PeriodKind
    from desktop.services import editing, plans
    from desktop.services.editing import ReportRef

    def has(module: str) -> bool:
        return importlib.util.find_spec(module) is not None

    ref23 = ReportRef("13", 2023, PeriodKind.MIDYEAR)
    ref24 = ReportRef("13", 2024, PeriodKind.MIDYEAR)
    path.unlink(missing_ok=True)
    with plans.init_database(path) as db:
        plans.install_demo(db, actor="setup")
        editing.set_entry_field(db, ref24, "1.II.2.2", "status_text", "郵送の案内を送付した",
                                actor="sato")  # fmt: skip
        editing.set_entry_field(db, ref24, "1.II.2.2", "next_steps", "未回答者へ電話で勧奨する",
                                actor="sato")  # fmt: skip
        editing.set_measurement(db, ref24, "1.II.2.k2", value="97.1", as_of="R6.9", actor="sato")
        if hasattr(editing, "set_monthly_actual"):
            editing.set_monthly_actual(db, ref24, "1.II.2.k2", 3, "96.5", actor="sato")
            editing.set_monthly_actual(db, ref24, "1.II.2.k2", 4, "９６．８", actor="sato")
        if has("desktop.services.reference"):
            from desktop.services import reference

            reference.set_reference_figure(db, ref24, "1.II.2.k2", "prior_year_actual", "95.9",
                                           actor="sato")  # fmt: skip
            reference.set_reference_figure(db, ref24, "1.II.2.k2", "national_rank", "12",
                                           actor="sato")  # fmt: skip
        if not has("desktop.services.review"):
            return
        from desktop.domain.model import Group
        from desktop.domain.review import Role
        from desktop.services import review

        review.add_user(db, login="admin", display_name="管理 太郎", role=Role.STAFF,
                        password="a-pass")  # fmt: skip
        for login, name, role, group, password in (
            ("sato", "佐藤", Role.STAFF, Group.OPERATIONS, None),
            ("suzuki", "鈴木", Role.SUPERVISOR, Group.OPERATIONS, "gyomu-pass"),
            ("takahashi", "高橋", Role.SUPERVISOR, Group.PLANNING, "kikaku-pass"),
            ("tanaka", "田中", Role.BRANCH_HEAD, None, "head-pass"),
        ):
            review.add_user(db, login=login, display_name=name, role=role, group=group,
                            password=password, admin_login="admin", admin_password="a-pass")  # fmt: skip
        review.add_comment(
            db, ref24, "1.II.2.2", login="suzuki", text="目標との差を記載してください"
        )
        states = review.section_states(db, ref23)
        review.submit(db, ref23, list(states), login="sato")
        plan = plans.get_plan(db, "13", 2023)
        gyomu = [k for k in states if plan.effective_group(k) is Group.OPERATIONS]
        review.approve(db, ref23, gyomu, login="suzuki", password="gyomu-pass")
        rest = [k for k in states if k not in gyomu]
        review.except_section(db, ref23, rest[0], login="tanaka", password="head-pass",
                              reason="今期は報告対象外")  # fmt: skip
        review.approve(db, ref23, rest[1:], login="tanaka", password="head-pass")
        review.sign_off(db, ref23, login="tanaka", password="head-pass")
        if not has("desktop.services.rollover"):
            return
        from desktop.services import rollover

        result = rollover.roll_over(db, "13", actor="suzuki")
        if result.flagged:
            rollover.confirm_kpi(db, "13", result.fiscal_year, result.flagged[0].kpi_key,
                                 actor="tanaka")  # fmt: skip
        if has("desktop.services.plan_approval"):
            _plan_authoring(db)


def _plan_authoring(db) -> None:  # the old checkout's Database
    """Schema 0013: targets per branch, a branch plan with its own parts, approval."""
    from desktop.domain.model import TargetKind
    from desktop.services import branch_targets, plan_approval, plan_editing, plans
    from desktop.services.plan_editing import KpiDraft, PlanRef

    template = plans.get_plan(db, "00", 2025)
    rate = next(k for k in template.kpis if k.unit == "％" and k.target is not None)
    branch_targets.set_branch_targets(db, 2025, {("27", rate.key): "65.0"}, actor="hq")
    plans.create_from_template(db, "27", actor="sato")
    osaka = PlanRef("27", 2025)
    pillar = next(n for n in plans.get_plan(db, "27", 2025).nodes if n.parent_key is None)
    plan_editing.add_node(db, osaka, pillar.key, title="大阪独自の健診受診勧奨", actor="sato")
    own = next(n for n in plans.get_plan(db, "27", 2025).nodes if n.own)
    plan_editing.add_kpi(db, osaka, own.key, KpiDraft(name="勧奨通知の送付件数", unit="件",
                         target_kind=TargetKind.FIXED, target="1200"), actor="sato")  # fmt: skip
    plan_approval.submit_plan(db, "27", 2025, login="takahashi")
    plan_approval.approve_plan(db, "27", 2025, login="tanaka", password="head-pass")


def upgrade_to(path: Path, revision: str) -> None:
    """Alembic's upgrade to ``revision`` as the old store ran it (one transaction,
    foreign keys off), stopping there instead of at the head."""
    from alembic import command

    from desktop.store import database

    engine = database._make_engine(path, foreign_keys=False)
    try:
        with engine.begin() as conn:
            cfg = database.alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    finally:
        engine.dispose()


# --- run here ----------------------------------------------------------------------


def compact(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=DELETE")
    con.execute("VACUUM")
    con.close()


def stamped(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        con.close()


def in_checkout(commit: str, args: list[str], work: Path) -> None:
    checkout = work / f"code-{commit}"
    if not checkout.exists():
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q",
                        str(checkout), commit], check=True)  # fmt: skip
    try:
        subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--in-checkout", *args],
            check=True,
            cwd=checkout,
            env={
                "PYTHONPATH": str(checkout),
                "PLANDESK_DATA_DIR": str(work / "data"),
                "PATH": "/usr/bin:/bin",
            },
        )
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(checkout)],
                       check=True)  # fmt: skip


def make(label: str, work: Path) -> Path:
    commit, revision, how = REVISIONS[label]
    out = work / f"rev{label}.sqlite3"
    if how == "workload":
        in_checkout(commit, ["workload", str(out)], work)
    else:  # "0003 upgraded to 0004"
        base, _, target = how.partition(" upgraded to ")
        shutil.copy(make(base, work), out)
        in_checkout(commit, ["upgrade", str(out), target], work)
    compact(out)
    assert stamped(out) == revision, (label, stamped(out))
    return out


def main(argv: list[str]) -> int:
    if argv[:1] == ["--in-checkout"]:
        sys.path.insert(0, str(Path.cwd()))  # the old code, before this checkout's
        if argv[1] == "workload":
            workload(Path(argv[2]))
        else:
            upgrade_to(Path(argv[2]), argv[3])
        return 0
    labels = argv or list(REVISIONS)
    with tempfile.TemporaryDirectory(prefix="plandesk-old-") as tmp:
        for label in labels:
            made = make(label, Path(tmp))
            with made.open("rb") as src, gzip.GzipFile(fixture(label), "wb", 9, mtime=0) as dst:
                shutil.copyfileobj(src, dst)
            print(f"{fixture(label).name}: {fixture(label).stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
