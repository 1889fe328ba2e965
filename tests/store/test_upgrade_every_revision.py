"""Upgrades keep data: a database written by PlanDesk at every earlier schema
revision (tests/data/plandesk-rev*.sqlite3.gz, each made by the code of that
revision: tests/data/make_old_databases.py and make_rev0005_database.py) opens in
this PlanDesk with nothing lost.

Nothing lost means: every row of every table the old file had is still there,
with the same value in every column both schemas have (a multiset comparison,
table by table); the data tables keep their row counts; the audit trail only
grows (by the upgrade's baseline). Then `plandesk check` finds no problem, and
the plans read and show as before.
"""

from __future__ import annotations

import gzip
import io
import shutil
import sqlite3
import sys
from collections import Counter
from pathlib import Path

import pytest

from desktop.cli import main as plandesk
from desktop.domain.model import PeriodKind
from desktop.services import plans
from desktop.services.check import check_database
from desktop.services.editing import ReportRef
from desktop.services.workspace import load_report
from desktop.store.database import current_revision, head_revision, open_database

DATA = Path(__file__).resolve().parents[1] / "data"
FIXTURES = sorted(DATA.glob("plandesk-rev*.sqlite3.gz"))
# The upgrade adds its own entries (the baseline): the trail may only grow, and its
# head (one row: the newest entry's number and hash) moves on with it.
GROWS = {"audit_log"}
MOVES_ON = {"audit_head"}


def _revision_label(path: Path) -> str:
    return path.name.removeprefix("plandesk-rev").removesuffix(".sqlite3.gz")


def _old_database(fixture: Path, folder: Path) -> Path:
    path = folder / "branch.sqlite3"
    with gzip.open(fixture, "rb") as src, path.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    return path


def _tables(path: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )]  # fmt: skip
        out = {}
        for name in names:
            cursor = con.execute(f'SELECT * FROM "{name}"')
            out[name] = ([d[0] for d in cursor.description], cursor.fetchall())
        return out
    finally:
        con.close()


# Revisions that no PlanDesk ever left a database at: 0009 to 0012 came to main in one
# change together with 0013 (targets, targets per branch, structure, plan approval and
# the rules for suggested marks were merged in one session), so there is nothing of
# theirs to keep. A revision added from now on needs its fixture.
NEVER_A_HEAD = {"0009", "0010", "0011", "0012"}
# The head on main before the helpers' revisions of this round (0014–0016, each on
# 0013): its fixture is made when the lead chains them at merge.
FIXTURE_AT_MERGE = {"0013"}


def test_every_schema_revision_has_a_fixture():
    labels = {_revision_label(p).split("-")[0] for p in FIXTURES}
    versions = DATA.parents[1] / "desktop" / "store" / "migrations" / "versions"
    revisions = {p.name[:4] for p in versions.glob("0*.py")}
    assert revisions - {head_revision()} - NEVER_A_HEAD - FIXTURE_AT_MERGE <= labels


@pytest.mark.parametrize("fixture", FIXTURES, ids=_revision_label)
def test_an_old_database_opens_with_nothing_lost(fixture, tmp_path, capsys, monkeypatch):
    path = _old_database(fixture, tmp_path)
    before = _tables(path)
    old_revision = before["alembic_version"][1][0][0]

    with open_database(path) as db:
        assert current_revision(db) == head_revision()
        report = check_database(db)
        assert report.ok, [(f.label_en, f.detail("en")) for f in report.findings if not f.ok]
        listed = plans.list_plans(db)
        for branch, year, _title in listed:
            plan = plans.get_plan(db, branch, year)
            assert plan.nodes
            if branch != "00":
                load_report(db, ReportRef(branch, year, PeriodKind.MIDYEAR))
    assert ("13", 2024) in {(b, y) for b, y, _t in listed}

    after = _tables(path)
    for table, (columns, rows) in before.items():
        if table == "alembic_version":
            continue
        assert table in after, f"table {table} is gone after the upgrade from {old_revision}"
        new_columns, new_rows = after[table]
        if table in MOVES_ON:
            assert len(new_rows) == len(rows)
            continue
        common = [c for c in columns if c in new_columns]
        assert common == columns, f"{table}: columns lost {set(columns) - set(common)}"
        old = Counter(tuple(r[columns.index(c)] for c in common) for r in rows)
        new = Counter(tuple(r[new_columns.index(c)] for c in common) for r in new_rows)
        missing = old - new
        assert not missing, f"{table}: {sum(missing.values())} rows lost or changed"
        if table not in GROWS:
            assert len(new_rows) == len(rows), f"{table}: {len(rows)} rows became {len(new_rows)}"

    # The command line agrees, and shows the figures a person entered in the old version.
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    capsys.readouterr()
    assert plandesk(["--db", str(path), "--lang", "en", "check"]) == 0, capsys.readouterr()
    code = plandesk(["--db", str(path), "show", "--year", "2024", "--branch", "13",
                     "--format", "tsv"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert "97.1" in out
