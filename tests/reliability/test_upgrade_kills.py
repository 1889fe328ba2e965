"""SIGKILL the app while it upgrades an old database; the next start finishes the job.

How it works: the newest old-database fixture (tests/data/plandesk-rev0013: targets
per branch, Osaka's plan with its own section and KPI, submitted and approved — see
tests/store/test_upgrade_every_revision.py) is upgraded by the app's own path,
``open_database``: the backup before the upgrade (online backup into a temporary
file, checked, renamed), then the migrations to head in one transaction. A fork
server (tests/reliability/store_rounds.py) runs that in a child. First a few
uninterrupted upgrades give the reference — the tables as an upgrade leaves them —
and the duration D (from the fork to the
child's word that the upgrade is done, by the system's monotonic clock). Then each round copies the old file afresh,
starts the upgrade and kills it with SIGKILL at a moment drawn uniformly from
[-0.1 D, 1.1 D] (a negative moment: killed at once, before it opened anything;
past D: it had finished). Then it opens the database as the app does and requires:

- it opens (upgrading again where the killed one had not committed) and `check`
  passes — otherwise the round counts as *unopenable*;
- every table equals the reference, row for row — otherwise *lost*;
- every backup that carries a backup's name is a sound copy of the old database
  (a killed backup leaves at most a temporary file, never a damaged backup) —
  otherwise *lost* too.

`PLANDESK_RELIABILITY=full`: 300 kills (docs/RELIABILITY.md); CI: 4.
"""

from __future__ import annotations

import gzip
import random
import signal
import sqlite3
import statistics
import time
from collections import Counter
from pathlib import Path

import pytest

from desktop.store.database import SCHEMA_HEAD
from tests.helpers.fork import needs_fork
from tests.reliability import store_rounds
from tests.reliability.scale import count
from tests.reliability.store_rounds import read_acks, read_log, reopen

OLD = Path(__file__).resolve().parents[1] / "data" / "plandesk-rev0013.sqlite3.gz"


# The children are forked and killed with SIGKILL: POSIX only (CI runs on Linux).
pytestmark = needs_fork


@pytest.fixture
def server(tmp_path: Path):
    yield from store_rounds.fork_server(tmp_path / "server-data")


def _dump(path: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every table: its columns and its rows in a stable order."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )]  # fmt: skip
        out = {}
        for name in names:
            cursor = con.execute(f'SELECT * FROM "{name}"')
            rows = cursor.fetchall()
            out[name] = ([d[0] for d in cursor.description], sorted(rows, key=repr))
        return out
    finally:
        con.close()


def _revision(path: Path) -> str:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        con.close()


def _phase(said: list[str], backups: Path) -> str:
    """Where the kill landed, from what the child said and the files it left (the
    database itself is not opened here: that is the app's first move after the kill)."""
    if not said:
        return "before it began"
    if "upgraded" in said:
        return "after it finished"
    names = [p.name for p in backups.iterdir()] if backups.is_dir() else []
    if any(not n.startswith(".") for n in names):
        return "in the migration"
    return "in the backup" if names else "before the backup"


def _sound(path: Path) -> bool:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        finally:
            con.close()
    except sqlite3.Error:
        return False


def test_a_killed_upgrade_is_finished_by_the_next_start(server, tmp_path):
    old = gzip.decompress(OLD.read_bytes())
    rounds = count(short=4, full=300)
    rng = random.Random()

    def fresh(name: str) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        path = folder / "branch.sqlite3"
        path.write_bytes(old)
        return path

    old_tables = _dump(fresh("old"))
    durations = []
    reference = None
    for k in range(3):
        path = fresh(f"reference-{k}")
        begun = time.monotonic()
        pid = server.fork(
            "upgrade", path=path, acks=path.with_suffix(".acks"), log=tmp_path / "r.log"
        )
        assert server.wait(pid) == 0, read_log(tmp_path / "r.log")
        # Until the child said it had upgraded, not until it was reaped: closing and
        # leaving take as long again, and kills there would say nothing of the upgrade.
        upgraded = dict((w[0], float(w[1])) for w in read_acks(path.with_suffix(".acks")))
        durations.append(upgraded["upgraded"] - begun)
        tables = _dump(path)
        assert reference is None or tables == reference  # the reference is one thing
        reference = tables
    assert reference is not None and reference != old_tables
    duration = statistics.median(durations)

    phases: Counter[str] = Counter()
    lost = unopenable = unexpected = leftovers = 0
    failures: list[str] = []
    started = time.monotonic()
    for r in range(rounds):
        path = fresh(f"round-{r}")
        acks, log = path.with_suffix(".acks"), path.with_suffix(".log")
        moment = rng.uniform(-0.1 * duration, 1.1 * duration)
        pid = server.fork("upgrade", path=path, acks=acks, log=log)
        code = server.kill(pid, after_s=max(0.0, moment))
        said = [w[0] for w in read_acks(acks)]
        finished = "upgraded" in said
        if (code != -signal.SIGKILL and not (finished and code == 0)) or read_log(log).strip():
            unexpected += 1
            failures.append(f"round {r}: exit {code}, log: {read_log(log)}")
        phases[_phase(said, path.parent / "backups")] += 1
        after = reopen(path)
        if after.unopenable:
            unopenable += 1
            failures.append(f"round {r}, killed at {moment:.3f} s: {after.unopenable}")
            if not after.opened:
                continue
        if _revision(path) != SCHEMA_HEAD or _dump(path) != reference:
            lost += 1
            failures.append(f"round {r}: the tables differ from an uninterrupted upgrade")
        for backup in (path.parent / "backups").iterdir():
            if backup.name.startswith("."):
                leftovers += 1  # a temporary the kill left: never taken for a backup
            elif not _sound(backup) or _dump(backup) != old_tables:
                lost += 1
                failures.append(f"round {r}: backup {backup.name} is not the old database")
    elapsed = time.monotonic() - started
    print(
        f"\nRELIABILITY upgrade kills: {rounds} kills over an upgrade of {duration:.2f} s "
        f"({dict(sorted(phases.items()))}), lost {lost}, unopenable {unopenable}, "
        f"unexpected {unexpected}, {leftovers} temporary backup files left, {elapsed:.0f} s"
    )
    assert failures == []
