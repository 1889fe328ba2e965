"""Cold start to the painted main window, frozen folder against the source install,
alternated in one run (docs/PERFORMANCE.md):

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/measure_start.py dist/PlanDesk [--runs 7]

Each start is the smoke-test start (PLANDESK_SMOKE_TEST): the real window on
the demo database, timed from launching the process to its first paint, with
a fresh settings folder each time. Also prints the folder's size.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from build import folder_size  # noqa: E402


@dataclass(frozen=True)
class Start:
    seconds: float  # from launching the process to the window's first paint
    peak_rss_mib: float | None  # the process's peak resident memory (None where unknown)
    facts: dict  # what the started program wrote to its smoke report


def start_once(command: list[str], db: Path, work: Path) -> Start:
    """One cold start of ``command --db DB`` with a fresh settings folder, timed to
    its first paint (the program writes it to PLANDESK_SMOKE_TEST)."""
    report = work / "smoke.json"
    report.unlink(missing_ok=True)
    shutil.rmtree(work / "config", ignore_errors=True)
    env = dict(os.environ, PLANDESK_SMOKE_TEST=str(report), HOME=str(work),
               XDG_CONFIG_HOME=str(work / "config"), PLANDESK_DATA_DIR=str(work / "data"))  # fmt: skip
    started = time.time()
    process = subprocess.Popen([*command, "--db", str(db)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    rss = None
    if hasattr(os, "wait4"):  # POSIX: the child's peak RSS (KiB on Linux)
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        rss = usage.ru_maxrss / 1024
    else:
        process.wait()
    if process.returncode != 0:
        raise subprocess.CalledProcessError(process.returncode, command)
    facts = json.loads(report.read_text(encoding="utf-8"))
    return Start(facts["painted_at"] - started, rss, facts)


def start(command: list[str], db: Path, work: Path) -> float:
    return start_once(command, db, work).seconds


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    exe = ".exe" if sys.platform == "win32" else ""
    frozen_gui = [str(args.folder / f"PlanDesk{exe}")]
    source_gui = [sys.executable, "-m", "desktop"]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db = work / "demo.sqlite3"
        subprocess.run([str(args.folder / f"plandesk-cli{exe}"), "--db", str(db), "demo"],
                       check=True, capture_output=True)  # fmt: skip
        times: dict[str, list[float]] = {"frozen": [], "source": []}
        for _ in range(args.runs):
            times["frozen"].append(start(frozen_gui, db, work))
            times["source"].append(start(source_gui, db, work))
    for name, values in times.items():
        print(f"{name}: median {statistics.median(values):.2f} s, "
              f"min {min(values):.2f} s, max {max(values):.2f} s ({len(values)} starts)")  # fmt: skip
    print(f"folder: {folder_size(args.folder) / 2**20:.0f} MiB, load {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
