"""What the command-line tests share: the report they work on and a branch's people."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.domain.model import Group, PeriodKind
from desktop.domain.review import Role
from desktop.services import review
from desktop.services.editing import ReportRef
from desktop.store.database import Database

REF = ReportRef("13", 2024, PeriodKind.MIDYEAR)
REPORT = ["--year", "2024", "--branch", "13", "--period", "midyear"]

# login, name, role, group, password (the first one added becomes the admin)
PEOPLE = (
    ("admin", "管理 太郎", Role.ADMIN, None, "admin-pass"),
    ("tanaka", "田中 支部長", Role.BRANCH_HEAD, None, "head-pass"),
    ("suzuki", "鈴木 業務GL", Role.SUPERVISOR, Group.OPERATIONS, "gyomu-pass"),
    ("takahashi", "高橋 企画GL", Role.SUPERVISOR, Group.PLANNING, "kikaku-pass"),
    ("sato", "佐藤", Role.STAFF, Group.OPERATIONS, None),
)


@dataclass(frozen=True)
class CliResult:
    code: int
    out: str
    err: str


def add_people(db: Database) -> None:
    for login, name, role, group, password in PEOPLE:
        review.add_user(
            db,
            login=login,
            display_name=name,
            role=role,
            group=group,
            password=password,
            admin_login="admin",
            admin_password="admin-pass",
        )
