"""Kill a writer with SIGKILL mid-stream, many times; nothing acknowledged may be lost.

Each round starts a child that stores KPI edits through the real service (one
transaction per edit, with its audit entry) and prints the value of every
edit after its commit returned. The parent kills it at a random moment, opens
the database again and checks: integrity_check ok, audit chain intact, and the
stored value is the last acknowledged one or the one in flight after it.

Usage: .venv/bin/python tests/benchmarks/kill_during_writes.py [ROUNDS]
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import sys
from desktop.domain.model import PeriodKind
from desktop.services import editing
from desktop.store.database import open_database
db = open_database(sys.argv[1])
ref = editing.ReportRef("13", 2024, PeriodKind.MIDYEAR)
i = int(sys.argv[2])
while True:
    i += 1
    editing.set_measurement(db, ref, sys.argv[3], actor="kill", value=str(i))
    print(i, flush=True)
"""


def main() -> int:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    from sqlalchemy import text

    from desktop.domain.model import PeriodKind
    from desktop.services import plans
    from desktop.services.check import check_database
    from desktop.services.workspace import ReportRef, load_report
    from desktop.store.database import open_database

    tmp = Path(tempfile.mkdtemp())
    path = tmp / "kill.sqlite3"
    with plans.init_database(path) as db:
        plans.install_demo(db, actor="kill")
        snap = load_report(db, ReportRef("13", 2024, PeriodKind.MIDYEAR))
        kpi = next(k.key for k in snap.plan.kpis if k.unit == "％")
    last_ack = 0
    failures = 0
    started = time.perf_counter()
    for _ in range(rounds):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path), str(last_ack), kpi],
            stdout=subprocess.PIPE,
            text=True,
        )
        time.sleep(random.uniform(0.3, 1.2))
        os.kill(child.pid, signal.SIGKILL)
        out, _ = child.communicate()
        acked = [int(x) for x in out.split()]
        if acked:
            last_ack = acked[-1]
        with open_database(path) as db:
            report = check_database(db)
            value = int(
                load_report(db, ReportRef("13", 2024, PeriodKind.MIDYEAR)).measurements[kpi].value
            )
            with db.read() as s:
                s.execute(text("SELECT 1"))
        if not report.ok or value not in (last_ack, last_ack + 1):
            failures += 1
            print("FAIL", value, last_ack, [f.detail for f in report.findings if not f.ok])
        last_ack = value
    elapsed = time.perf_counter() - started
    print(f"{rounds} kills, {failures} failures, {last_ack} acknowledged edits, {elapsed:.0f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
