"""Writers wait their turn (A10): real processes, one holding the write lock for longer
than SQLite's busy timeout. Every acknowledged write is stored exactly once; a holder
beyond the bound gets a clear message, not "database is locked"."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from desktop.domain.model import PeriodKind
from desktop.services import editing, plans
from desktop.services.check import check_database
from desktop.services.editing import ReportRef
from desktop.services.workspace import load_report
from desktop.store import database
from desktop.store.database import _Connection, open_database
from tests.helpers.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
REF = ReportRef("13", 2024, PeriodKind.MIDYEAR)
KPIS = ("1.II.2.k1", "1.II.2.k2", "1.II.4.k1")
BUSY_MS = 150  # SQLite's own wait per attempt, shortened so that the test stays short

# Takes the write lock, says so, and keeps it until a line arrives on stdin.
HOLDER = r"""
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN IMMEDIATE")
print("held", flush=True)
sys.stdin.readline()
con.execute("ROLLBACK")
print("released", flush=True)
"""

# Stores N figures for one KPI through the service; prints each after its commit. Also
# prints "waiting" the first time SQLite gave up waiting (after its busy timeout) and the
# store backs off to try BEGIN again, or "queued" when another writer is next in line.
WRITER = r"""
import sys, time, types
from desktop.domain.model import PeriodKind
from desktop.services import editing
from desktop.store import database, write_queue
database.BUSY_TIMEOUT_MS = int(sys.argv[4])
said = []
def telling(word):
    def sleep(seconds):
        if not said:
            said.append(print(word, flush=True))
        time.sleep(seconds)
    return types.SimpleNamespace(monotonic=time.monotonic, sleep=sleep)
database.time = telling("waiting")
write_queue.time = telling("queued")
db = database.open_database(sys.argv[1], write_wait_s=float(sys.argv[5]))
ref = editing.ReportRef("13", 2024, PeriodKind.MIDYEAR)
print("ready", flush=True)
for i in range(1, int(sys.argv[3]) + 1):
    started = time.monotonic()
    try:
        editing.set_measurement(db, ref, sys.argv[2], actor="w", value=str(i))
    except Exception as exc:
        print("error", type(exc).__name__, exc.message("en") if hasattr(exc, "message") else exc,
              flush=True)
        print("after", time.monotonic() - started, flush=True)
        break
    print("ack", i, flush=True)
"""


def _spawn(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
    )


@pytest.fixture
def demo_path(demo_db) -> Path:
    demo_db.close()
    return demo_db.path


def _audited_values(path: Path, kpi: str) -> list[str]:
    con = sqlite3.connect(path)
    rows = con.execute(
        "SELECT new_value FROM audit_log WHERE entity = 'measurement' AND field = 'value' "
        "AND entity_key = ? AND actor = 'w' ORDER BY id",
        (f"{REF.key}/{kpi}",),
    ).fetchall()
    con.close()
    return [r[0] for r in rows]


def test_writers_wait_for_a_holder_longer_than_the_busy_timeout(demo_path):
    holder = _spawn(HOLDER, str(demo_path))
    assert holder.stdout.readline().strip() == "held"
    writers = [_spawn(WRITER, str(demo_path), kpi, "5", str(BUSY_MS), "60") for kpi in KPIS]
    for w in writers:
        assert w.stdout.readline().strip() == "ready"
    # One has waited out SQLite's busy timeout and waits on; the others wait behind it.
    said = sorted(w.stdout.readline().strip() for w in writers)
    assert said == ["queued", "queued", "waiting"]
    holder.stdin.write("go\n")
    holder.stdin.flush()
    assert holder.stdout.readline().strip() == "released"
    holder.wait(timeout=30)
    for kpi, w in zip(KPIS, writers, strict=True):
        out, err = w.communicate(timeout=120)
        lines = out.split("\n")
        assert not [line for line in lines if line.startswith("error")], out + err
        assert [line for line in lines if line.startswith("ack")] == [
            f"ack {i}" for i in range(1, 6)
        ]
        # Every acknowledged figure was stored exactly once, in order: nothing ran twice.
        assert _audited_values(demo_path, kpi) == [str(i) for i in range(1, 6)]
    with open_database(demo_path) as db:
        snap = load_report(db, REF)
        assert {k: str(snap.measurements[k].value) for k in KPIS} == dict.fromkeys(KPIS, "5")
        assert check_database(db).ok


def test_a_holder_beyond_the_bound_gets_a_clear_message(demo_path):
    holder = _spawn(HOLDER, str(demo_path))
    assert holder.stdout.readline().strip() == "held"
    writer = _spawn(WRITER, str(demo_path), KPIS[0], "1", str(BUSY_MS), "1.0")
    out, err = writer.communicate(timeout=60)
    holder.communicate("go\n", timeout=30)
    lines = out.split("\n")
    error = next(line for line in lines if line.startswith("error"))
    waited = float(next(line for line in lines if line.startswith("after")).split()[1])
    assert "DatabaseBusy" in error and "held the database for 1 s" in error
    assert "Nothing of this change was saved" in out
    assert "locked" not in out and "sqlalchemy" not in (out + err).lower()
    assert 1.0 <= waited < 1.0 + 3 * BUSY_MS / 1000 + 1.0  # the bound, not the bound + 5 s
    assert _audited_values(demo_path, KPIS[0]) == []


def test_commit_waits_its_turn_too(tmp_path):
    """COMMIT meets SQLITE_BUSY in rollback-journal mode while a reader holds its lock;
    the transaction stays open and the commit is tried again, not the work."""
    path = tmp_path / "journal.sqlite3"
    setup = sqlite3.connect(path, isolation_level=None)
    setup.execute("PRAGMA journal_mode = DELETE")
    setup.execute("CREATE TABLE t (x INTEGER) STRICT")
    setup.execute("INSERT INTO t VALUES (0)")
    setup.close()
    reader = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM t").fetchone() == (1,)  # holds SHARED
    writer = sqlite3.connect(path, factory=_Connection, isolation_level=None,
                             check_same_thread=False)  # fmt: skip
    writer.wait_limit_s = 30
    writer.execute("PRAGMA busy_timeout = 50")
    writer.begin_immediate()
    writer.execute("INSERT INTO t VALUES (1)")
    outcome: list[object] = []
    thread = threading.Thread(target=lambda: outcome.append(writer.commit() or "committed"))
    thread.start()
    wait_until(lambda: writer.busy_retries > 0 or not thread.is_alive())
    assert writer.busy_retries >= 1 and thread.is_alive()
    reader.execute("COMMIT")  # the reader lets go
    thread.join(timeout=30)
    assert outcome == ["committed"]
    check = sqlite3.connect(path)
    assert check.execute("SELECT x FROM t ORDER BY x").fetchall() == [(0,), (1,)]
    check.close()
    writer.close()
    reader.close()


def test_the_cli_says_who_holds_the_database(demo_path, monkeypatch, capsys):
    from desktop.cli import main

    monkeypatch.setattr(database, "WRITE_WAIT_S", 1.0)
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", BUSY_MS)
    holder = _spawn(HOLDER, str(demo_path))
    assert holder.stdout.readline().strip() == "held"
    try:
        code = main(["set", "--db", str(demo_path), "--year", "2024", "--branch", "13",
                     "--kpi", KPIS[0], "97.5"])  # fmt: skip
    finally:
        holder.communicate("go\n", timeout=30)
    err = capsys.readouterr().err
    assert code == 1
    assert "別のプログラム" in err and "1 秒間" in err and "保存されていません" in err
    for word in ("sqlalchemy", "SELECT", "INSERT", "sqlalche.me", "Traceback", "locked"):
        assert word not in err


def test_plans_install_waits_like_any_write(demo_path):
    """The bound applies to every unit of work, the biggest included."""
    holder = _spawn(HOLDER, str(demo_path))
    assert holder.stdout.readline().strip() == "held"
    db = open_database(demo_path, write_wait_s=0.5)
    try:
        with pytest.raises(database.DatabaseBusy):
            plans.install_plan(db, plans.bundled_plan(plans.HQ_TEMPLATE), actor="t", replace=True)
    finally:
        holder.communicate("go\n", timeout=30)
        db.close()
    with open_database(demo_path) as again:
        editing.set_measurement(again, REF, KPIS[0], actor="t", value="1")  # free again


# Commits and begins again at once, holding the write lock ~0.3 s each time.
HOG = r"""
import sys, time
from sqlalchemy import text
from desktop.store.database import open_database
db = open_database(sys.argv[1])
for i in range(200):
    with db.write() as s:
        s.execute(text("UPDATE plans SET title = title WHERE id = 0"))
        if i == 0:
            print("hogging", flush=True)
        time.sleep(0.3)
"""


def test_a_writer_gets_its_turn_behind_one_that_begins_again_at_once(demo_path):
    """SQLite's busy handler alone lets the hog take the lock back every time; in line,
    the waiting writer is next after the hog's current transaction."""
    hog = _spawn(HOG, str(demo_path))
    try:
        assert hog.stdout.readline().strip() == "hogging"
        writer = _spawn(WRITER, str(demo_path), KPIS[0], "3", str(BUSY_MS), "5")
        out, err = writer.communicate(timeout=60)
    finally:
        hog.kill()
        hog.wait(timeout=30)
    assert [line for line in out.split("\n") if line.startswith("ack")] == [
        "ack 1",
        "ack 2",
        "ack 3",
    ], out + err
