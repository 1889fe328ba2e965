"""Three writers and a CLI loop on one database: how many writes fail with a lock error?

The scenario of issue 12 (A10): for SECONDS (default 45) three writer processes
and a command-line loop work on one demo database at once:
- writers 1 and 2 store KPI figures through the editing service, one transaction
  (with its audit entries) after the other, as fast as they can;
- writer 3 re-installs the HQ template plan again and again: a whole plan in one
  transaction, holding the write lock for a while, as an import does;
- the CLI loop runs `plandesk set` (a write) and `plandesk show` (a read), each a
  new process, one after the other.
Every failure is counted; a lock error is one that says the database was locked
(SQLite's "database is locked", or PlanDesk's "held the database").

Usage: .venv/bin/python tests/benchmarks/contention.py [SECONDS]
(with PYTHONPATH=<another checkout> it measures that version of PlanDesk)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WRITER = r"""
import sys, time, traceback
from desktop.domain.model import PeriodKind
from desktop.services import editing, plans
from desktop.store.database import open_database
path, role, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
db = open_database(path)
ref = editing.ReportRef("13", 2024, PeriodKind.MIDYEAR)
template = plans.bundled_plan(plans.HQ_TEMPLATE)
kpi = {"1": "1.II.2.k1", "2": "1.II.2.k2"}.get(role)
done = locked = other = 0
longest = 0.0
i = 0
end = time.monotonic() + seconds
while time.monotonic() < end:
    i += 1
    started = time.monotonic()
    try:
        if kpi:
            editing.set_measurement(db, ref, kpi, actor=f"w{role}", value=f"{50 + i % 50}.{i % 10}")
        else:
            plans.install_plan(db, template, actor="w3", replace=True)
        done += 1
        longest = max(longest, time.monotonic() - started)
    except Exception as exc:
        text = str(exc) if not hasattr(exc, "message") else exc.message("en")
        if "locked" in text or "held the database" in text:
            locked += 1
        else:
            other += 1
        print(type(exc).__name__, text.splitlines()[0][:200], file=sys.stderr, flush=True)
print(done, locked, other, f"{longest:.2f}")
"""


def _cli(path: Path, args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args, "--db", str(path), "--lang", "en"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=path.parent,  # not the checkout: PYTHONPATH decides which PlanDesk runs
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def main() -> int:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 45.0
    from desktop.services import plans

    folder = Path(tempfile.mkdtemp())
    path = folder / "contention.sqlite3"
    with plans.init_database(path) as db:
        plans.install_demo(db, actor="setup")
    env = {**os.environ, "PLANDESK_DATA_DIR": str(folder / "data")}
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), role, str(seconds)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=folder,
            env=env,
        )
        for role in ("1", "2", "3")
    ]
    cli_done = cli_locked = cli_other = 0
    end = time.monotonic() + seconds
    i = 0
    while time.monotonic() < end:
        i += 1
        if i % 2:
            args = ["set", "--year", "2024", "--branch", "13", "--kpi", "1.II.4.k1", f"0.{i}"]
        else:
            args = ["show", "--year", "2024", "--branch", "13"]
        result = _cli(path, args)
        if result.returncode == 0:
            cli_done += 1
        elif "locked" in result.stderr or "held the database" in result.stderr:
            cli_locked += 1
            print("CLI:", result.stderr.strip().splitlines()[0][:200], file=sys.stderr)
        else:
            cli_other += 1
            print("CLI:", result.stderr.strip()[:300], file=sys.stderr)
    totals = []
    for role, proc in zip(("1", "2", "3"), writers, strict=True):
        out, err = proc.communicate(timeout=seconds + 120)
        if err.strip():
            print(f"writer {role}:", err.strip()[:1000], file=sys.stderr)
        fields = out.split()
        done, locked, other = (int(x) for x in fields[:3])
        totals.append((done, locked, other))
        print(
            f"writer {role}: {done} writes, {locked} lock errors, {other} other errors, "
            f"longest successful write {fields[3]} s"
        )
    print(f"CLI loop: {cli_done} commands, {cli_locked} lock errors, {cli_other} other errors")
    lock_errors = sum(t[1] for t in totals) + cli_locked
    other_errors = sum(t[2] for t in totals) + cli_other
    print(f"{seconds:.0f} s: lock errors {lock_errors}, other errors {other_errors}")
    return 1 if lock_errors or other_errors else 0


if __name__ == "__main__":
    sys.exit(main())
