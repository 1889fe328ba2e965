"""The few reads the window's first paint needs, with the standard library's sqlite3.

Importing SQLAlchemy and declaring the ORM models costs about a third of a second,
half of the window's start (docs/PERFORMANCE.md). The window paints from these
reads and opens the ``Database`` right after its first paint; every write goes
through the ``Database`` as always. A read-only connection (``mode=ro``) per call:
nothing here can change the file.

The rows these queries return go through the same mapping as the ORM's
(``row_mapping``), with the same column types applied (``COLUMN_TYPES``, checked
against the models by tests/store/test_quick_read.py), so a plan read here is the
plan ``repository.load_plan`` gives.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from desktop.domain.calendar import YearMonth
from desktop.domain.model import Plan
from desktop.domain.review import User
from desktop.store.database import translated
from desktop.store.row_mapping import plan_from_rows, report_from_rows, user_from_row

SQLITE_HEADER = b"SQLite format 3\x00"


def _decimal(value: str) -> Decimal:
    return Decimal(value)


def _flag(value: int) -> bool:
    return bool(value)


DECIMAL: Callable[[Any], Any] = _decimal
MONTH: Callable[[Any], Any] = YearMonth.from_iso
FLAG: Callable[[Any], Any] = _flag
STAMP: Callable[[Any], Any] = datetime.fromisoformat

# The columns whose stored text or integer becomes another type (desktop/store/types.py).
COLUMN_TYPES: dict[str, dict[str, Callable[[Any], Any]]] = {
    "plans": {"created_at": STAMP, "number_per_group": FLAG},
    "plan_nodes": {"own": FLAG, "branch_may_add": FLAG},
    "kpis": {
        "target": DECIMAL,
        "cumulative": FLAG,
        "is_new": FLAG,
        "definition_changed": FLAG,
        "numerator_target": DECIMAL,
        "denominator_target": DECIMAL,
        "last_year_actual": DECIMAL,
        "prior_year_actual": DECIMAL,
        "last_year_national_average": DECIMAL,
        "target_by_branch": FLAG,
        "reference_indicator": FLAG,
        "own": FLAG,
        "baseline_value": DECIMAL,
    },
    "branch_targets": {"value": DECIMAL},
    "kpi_profiles": {"value": DECIMAL},
    "kpi_monthly": {"value": DECIMAL, "entered_at": STAMP},
    "reports": {"as_of": MONTH},
    "section_entries": {"updated_at": STAMP},
    "measurements": {
        "value": DECIMAL,
        "numerator": DECIMAL,
        "denominator": DECIMAL,
        "done": FLAG,
        "as_of": MONTH,
        "preliminary": FLAG,
        "entered_at": STAMP,
        "old_method_value": DECIMAL,
    },
    "benchmarks": {"national_average": DECIMAL},
    "users": {"active": FLAG, "created_at": STAMP},
    "section_reviews": {"submitted_at": STAMP, "updated_at": STAMP},
    "report_signoffs": {"signed_at": STAMP},
}


def file_revision(path: Path, application_id: int) -> str | None:
    """The schema revision of an existing PlanDesk file, else None (missing, empty,
    not SQLite, another program's file, unreadable): the caller then opens the
    ``Database``, which says what is wrong or creates and migrates the file."""
    try:
        with path.open("rb") as fh:
            if fh.read(16) != SQLITE_HEADER:
                return None
        con = _connect(path)
    except (OSError, sqlite3.Error):
        return None
    try:
        if con.execute("PRAGMA application_id").fetchone()[0] != application_id:
            return None
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    except sqlite3.Error:
        return None
    finally:
        con.close()


class QuickReader:
    """Reads of one file, each in its own read-only snapshot."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def list_plans(self) -> list[tuple[str, int, str]]:
        with self._reading() as con:
            return [
                (b, y, t)
                for b, y, t in con.execute(
                    "SELECT branch_code, fiscal_year, title FROM plans "
                    "ORDER BY branch_code, fiscal_year"
                )
            ]

    def find_user(self, login: str) -> User | None:
        with self._reading() as con:
            rows = _rows(con, "users", "SELECT * FROM users WHERE login = ?", login)
        return user_from_row(rows[0]) if rows else None

    def load_plan(self, branch: str, fiscal_year: int) -> Plan | None:
        """``repository.load_plan``: the same queries, in one snapshot."""
        with self._reading() as con:
            found = _rows(
                con,
                "plans",
                "SELECT * FROM plans WHERE branch_code = ? AND fiscal_year = ?",
                branch,
                fiscal_year,
            )
            if not found:
                return None
            row = found[0]
            nodes = _rows(con, "plan_nodes", "SELECT * FROM plan_nodes WHERE plan_id = ?", row.id)
            kpis = _rows(
                con, "kpis", "SELECT * FROM kpis WHERE plan_id = ? ORDER BY position", row.id
            )
            profiles: dict[int, list[Any]] = {}
            for p in _rows(con, "kpi_profiles", _OF_PLAN_KPIS.format(table="kpi_profiles"), row.id):
                profiles.setdefault(p.kpi_id, []).append(p)
            monthly: dict[int, list[Any]] = {}
            for m in _rows(con, "kpi_monthly", _OF_PLAN_KPIS.format(table="kpi_monthly"), row.id):
                monthly.setdefault(m.kpi_id, []).append(m)
            key_of = {n.id: n.key for n in nodes}
            kpi_key_of = {k.id: k.key for k in kpis}
            reports = []
            for rr in _rows(con, "reports", "SELECT * FROM reports WHERE plan_id = ?", row.id):
                of_report = [
                    _rows(
                        con, table, f"SELECT * FROM {table} WHERE report_id = ? ORDER BY id", rr.id
                    )
                    for table in ("section_entries", "measurements", "benchmarks")
                ]
                reports.append(report_from_rows(rr, *of_report, key_of, kpi_key_of))
            targets = _rows(
                con,
                "branch_targets",
                "SELECT * FROM branch_targets WHERE plan_id = ? ORDER BY id",
                row.id,
            )
        return plan_from_rows(row, nodes, kpis, profiles, monthly, reports, targets)

    def review_rows(
        self, branch: str, fiscal_year: int, period: str
    ) -> tuple[dict[str, Any], Any | None]:
        """The report's section review rows by node key and its sign-off row (empty and
        None when the report does not exist yet)."""
        with self._reading() as con:
            report = con.execute(
                "SELECT r.id FROM reports r JOIN plans p ON p.id = r.plan_id "
                "WHERE p.branch_code = ? AND p.fiscal_year = ? AND r.period = ?",
                (branch, fiscal_year, period),
            ).fetchone()
            if report is None:
                return {}, None
            reviews = _rows(
                con,
                "section_reviews",
                "SELECT s.*, n.key AS node_key FROM section_reviews s "
                "JOIN plan_nodes n ON n.id = s.node_id WHERE s.report_id = ?",
                report[0],
            )
            signed = _rows(
                con,
                "report_signoffs",
                "SELECT * FROM report_signoffs WHERE report_id = ?",
                report[0],
            )
        return {r.node_key: r for r in reviews}, (signed[0] if signed else None)

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """A read-only connection holding one read transaction (one consistent view);
        a failure of SQLite becomes the StoreError the Database would raise."""
        with translated(self.path, "read", writing=False):
            con = _connect(self.path)
            try:
                con.execute("BEGIN")
                yield con
            finally:
                con.close()


_OF_PLAN_KPIS = "SELECT t.* FROM {table} t JOIN kpis k ON k.id = t.kpi_id WHERE k.plan_id = ?"


def _connect(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
    con.execute("PRAGMA busy_timeout = 5000")
    return con


def _rows(con: sqlite3.Connection, table: str, sql: str, *params: Any) -> list[Any]:
    """Rows as objects with one attribute per column, the column types applied."""
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    types = COLUMN_TYPES[table]
    out = []
    for values in cursor:
        row = dict(zip(names, values, strict=True))
        for name, convert in types.items():
            if row.get(name) is not None:
                row[name] = convert(row[name])
        out.append(SimpleNamespace(**row))
    return out
