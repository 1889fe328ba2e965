"""The demo branch's report and what the service tests do to it again and again:
sign it off, send a group's sections to another PC and back (real files, real
databases)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from desktop.domain.model import Group, PeriodKind
from desktop.domain.review import Role
from desktop.services import editing, exchange, plans, review
from desktop.services.editing import ReportRef
from desktop.store.database import Database, open_database
from desktop.workbooks.machine import Kind

REF = ReportRef("13", 2024, PeriodKind.MIDYEAR)
HEALTH = "2.II.3"  # a 保健 section with its own texts


def add_reviewers(db: Database) -> None:
    """The people of a review: "staff" (hands sections in) and "head" (the branch head,
    password "head-pass", approves, returns, reopens, signs off)."""
    if review.find_user(db, "head") is None:
        review.add_user(db, login="admin", display_name="管理", role=Role.STAFF, password="a-pw")
        for login, name, role, password in (
            ("head", "支部長 山田", Role.BRANCH_HEAD, "head-pass"),
            ("staff", "担当", Role.STAFF, None),
        ):
            review.add_user(db, login=login, display_name=name, role=role, password=password,
                            admin_login="admin", admin_password="a-pw")  # fmt: skip


def sign_off_all(db: Database, ref: ReportRef = REF, *, sign: bool = True) -> None:
    """Staff submit everything, the branch head approves and (``sign``) signs off."""
    add_reviewers(db)
    open_keys = [k for k, s in review.section_states(db, ref).items() if not s.settled]
    review.submit(db, ref, open_keys, login="staff")
    review.approve(db, ref, open_keys, login="head", password="head-pass")
    if sign:
        review.sign_off(db, ref, login="head", password="head-pass")


def export_work_result(db: Database, out: Path, sections: list[str], *, actor: str):
    return exchange.export_workbook(
        db, branch="13", fiscal_year=2024, period=PeriodKind.MIDYEAR, kind=Kind.WORK,
        out=out, actor=actor, sections=sections,
    )  # fmt: skip


def export_work(db: Database, out: Path, sections: list[str], *, actor: str) -> Path:
    return export_work_result(db, out, sections, actor=actor).path


def group_sections(db: Database, group: Group) -> list[str]:
    plan = plans.get_plan(db, REF.branch, REF.fiscal_year)
    return [n.key for n in plan.nodes if n.group is group]


def group_pc_file(db: Database, tmp_path: Path, edit: Callable[[Database], object]) -> Path:
    """The planning PC sends the 保健 sections to a group PC (a new database), ``edit``
    changes them there, and the group sends its work file back."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    sections = group_sections(db, Group.HEALTH)
    out = export_work(db, tmp_path, sections, actor="p")
    with open_database(tmp_path / "group.sqlite3", create=True) as other:
        exchange.apply_import(other, exchange.preview_import(other, out), actor="g")
        edit(other)
        return export_work(other, tmp_path, sections, actor="g")


def edited_by_the_group(db: Database, tmp_path: Path, **texts: str) -> Path:
    """The group PC sets HEALTH's texts and sends its work file back."""

    def edit(other: Database) -> None:
        for field, text in texts.items():
            editing.set_entry_field(other, REF, HEALTH, field, text, actor="g")

    return group_pc_file(db, tmp_path, edit)
