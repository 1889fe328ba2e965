"""Kill a writer with SIGKILL mid-stream, many times; nothing acknowledged may be lost.

Moved: the kill test is tests/reliability/test_kills.py (varied edits, `check` after
every kill, a fork server so that 1,000 kills take minutes). This script runs it
with the number of kills asked for.

Usage: .venv/bin/python tests/benchmarks/kill_during_writes.py [ROUNDS]
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    rounds = sys.argv[1] if len(sys.argv) > 1 else "50"
    test = "tests/reliability/test_kills.py"
    env = {**os.environ, "PLANDESK_RELIABILITY_ROUNDS": rounds}
    command = [sys.executable, "-m", "pytest", test, "-q", "-s", "-p", "no:cacheprovider"]
    return subprocess.run(command, cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    raise SystemExit(main())
