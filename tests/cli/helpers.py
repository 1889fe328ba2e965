"""What the command-line tests share: the report they work on, a branch's people, and
``run``, the command line as a separate process (`python -m desktop`)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from desktop.domain.model import Group, PeriodKind
from desktop.domain.review import Role
from desktop.services import review
from desktop.services.editing import ReportRef
from desktop.store.database import Database

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, lang: str = "ja", stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """``plandesk ARGS`` typed by a person, in its own process, in ``lang``."""
    env = {**os.environ, "PLANDESK_LANG": lang, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env=env,
        timeout=120,
    )


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
