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
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from build import folder_size  # noqa: E402


def start(command: list[str], db: Path, work: Path) -> float:
    report = work / "smoke.json"
    report.unlink(missing_ok=True)
    env = dict(os.environ, PLANDESK_SMOKE_TEST=str(report), HOME=str(work),
               XDG_CONFIG_HOME=str(work / "config"), PLANDESK_DATA_DIR=str(work / "data"))  # fmt: skip
    started = time.time()
    subprocess.run([*command, "--db", str(db)], env=env, check=True, capture_output=True)
    return json.loads(report.read_text(encoding="utf-8"))["painted_at"] - started


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
