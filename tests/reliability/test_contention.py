"""Three writers at once on one database: every acknowledged edit is stored once.

How it works: a fork server (tests/reliability/store_rounds.py) forks three writer
processes that run at the same time on one demo database, each storing figures
through the editing service and saying "ack" once a call returned:
w1 and w2 each write a KPI of their own in the mid-year report, w3 one in the
annual report (a different report) and, every tenth time, re-installs HQ's
template — a whole plan in one long transaction; all three also write one shared
KPI of the mid-year report, the same field. The store lines writers up
(desktop/store/write_queue.py) and waits up to 60 s for its turn; a write that
still finds the database held is refused with DatabaseBusy — a clear message,
counted as a *refusal*, not as an error. Then:

- `check` passes and the database opens — otherwise *unopenable*;
- for each writer and field, the audit trail holds exactly the acknowledged values,
  in the order they were acknowledged, none twice; each writer's own field holds
  its last acknowledged value and the shared field the value the trail says came
  last — otherwise *lost*;
- no writer raised anything but DatabaseBusy, and each ran to its end —
  otherwise *unexpected*.

The existing tests of the mechanism stay where they are (tests/store/
test_write_contention.py: waiting for a holder, the bound's message, COMMIT retried);
tests/benchmarks/contention.py measures waits and lock errors with a CLI loop.
`PLANDESK_RELIABILITY=full`: 1,000 edits per writer (docs/RELIABILITY.md); CI: 20.
"""

from __future__ import annotations

import sqlite3
import time
from collections import Counter
from pathlib import Path

import pytest

from desktop.domain.model import PeriodKind, ReportRef
from desktop.services.check import check_database
from desktop.services.workspace import load_report
from desktop.store.database import open_database
from tests.helpers.fork import needs_fork
from tests.reliability import store_rounds
from tests.reliability.scale import count
from tests.reliability.store_rounds import REF, SHARED_KPI, WRITERS, read_acks, read_log

# The children are forked and killed with SIGKILL: POSIX only (CI runs on Linux).
pytestmark = needs_fork


@pytest.fixture
def server(tmp_path: Path):
    yield from store_rounds.fork_server(tmp_path / "server-data")


def _audited(path: Path, report: tuple[str, int, str], kpi: str) -> list[tuple[str, str]]:
    """(actor, value) of every figure the trail records for the field, in order."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute(
            "SELECT actor, new_value FROM audit_log WHERE entity = 'measurement' "
            "AND field = 'value' AND entity_key = ? AND actor IN ('w1', 'w2', 'w3') ORDER BY id",
            ("/".join(map(str, report)) + f"/{kpi}",),
        ).fetchall()
    finally:
        con.close()


def _stored(path: Path, report: tuple[str, int, str], kpi: str) -> str:
    with open_database(path) as db:
        m = load_report(db, ReportRef(report[0], report[1], PeriodKind(report[2]))).measurements
        return str(m[kpi].value)


def test_three_writers_lose_nothing(demo_db, server, tmp_path):
    path = demo_db.path
    demo_db.close()
    edits = count(short=20, full=1000)
    started = time.monotonic()
    pids = {}
    for name in WRITERS:
        acks, log = tmp_path / f"{name}.acks", tmp_path / f"{name}.log"
        pids[name] = server.fork("writer", path=path, name=name, edits=edits, acks=acks, log=log)
    codes = {name: server.wait(pid) for name, pid in pids.items()}
    elapsed = time.monotonic() - started

    refusals: Counter[str] = Counter()
    acked = {name: read_acks(tmp_path / f"{name}.acks") for name in WRITERS}
    unexpected = [
        f"{name}: exit {codes[name]}: {read_log(tmp_path / f'{name}.log')}"
        for name in WRITERS
        if codes[name] != 0 or acked[name][-1] != ["done"]
    ]
    for lines in acked.values():
        for line in lines:
            if line[0] == "refused":
                refusals[line[1]] += 1
    unexpected += [f"refused with {kind}" for kind in refusals if kind != "DatabaseBusy"]

    lost: list[str] = []
    with open_database(path) as db:
        report = check_database(db)
    if not report.ok:
        lost.append(f"check: {[f.detail.en for f in report.findings if not f.ok]}")
    shared_trail = _audited(path, REF, SHARED_KPI)
    for name, (ref, own) in WRITERS.items():
        own_acks = [line[2] for line in acked[name] if line[:2] == ["ack", "own"]]
        shared_acks = [line[2] for line in acked[name] if line[:2] == ["ack", "shared"]]
        if [v for _, v in _audited(path, ref, own)] != own_acks:
            lost.append(f"{name}: the trail of its own figure differs from what it acknowledged")
        if [v for who, v in shared_trail if who == name] != shared_acks:
            lost.append(f"{name}: the trail of the shared figure differs from its acks")
        if own_acks and _stored(path, ref, own) != own_acks[-1]:
            lost.append(f"{name}: its figure is not its last acknowledged one")
    if shared_trail and _stored(path, REF, SHARED_KPI) != shared_trail[-1][1]:
        lost.append("the shared figure is not the one the trail says came last")
    total = sum(1 for lines in acked.values() for line in lines if line[0] == "ack")
    print(
        f"\nRELIABILITY contention: 3 writers x {edits} edits, {total} acknowledged, "
        f"refusals {dict(refusals) or 0}, lost {len(lost)}, unexpected {len(unexpected)}, "
        f"{elapsed:.0f} s"
    )
    assert unexpected == []
    assert lost == []
