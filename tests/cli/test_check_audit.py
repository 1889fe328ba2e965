"""`plandesk check` on a real file: intact, a middle entry edited, the newest deleted."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, lang: str = "ja") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PLANDESK_LANG": lang, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env=env,
        timeout=120,
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("check") / "demo.sqlite3"
    assert run("demo", "--db", str(path)).returncode == 0
    return path


def _copy(demo: Path, tmp_path: Path) -> tuple[Path, int]:
    db = tmp_path / "copy.sqlite3"
    db.write_bytes(demo.read_bytes())
    con = sqlite3.connect(db)
    last = con.execute("SELECT max(id) FROM audit_log").fetchone()[0]
    con.close()
    return db, last


def test_intact(demo):
    result = run("check", "--db", str(demo), lang="en")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No problems found" in result.stdout


def test_deleting_the_last_audit_entry_fails_the_check_and_names_it(demo, tmp_path):
    db, last = _copy(demo, tmp_path)
    con = sqlite3.connect(db)
    con.execute("DELETE FROM audit_log WHERE id = ?", (last,))
    con.commit()
    con.close()
    result = run("check", "--db", str(db))
    assert result.returncode == 1, result.stdout
    assert f"監査ログ {last} 番" in result.stdout and f"{last} 番まであるはず" in result.stdout
    assert "NG" in result.stdout


def test_editing_a_middle_entry_fails_the_check_and_names_it(demo, tmp_path):
    db, last = _copy(demo, tmp_path)
    middle = last // 2
    con = sqlite3.connect(db)
    con.execute("UPDATE audit_log SET new_value = 'x' WHERE id = ?", (middle,))
    con.commit()
    con.close()
    result = run("check", "--db", str(db), lang="en")
    assert result.returncode == 1
    assert f"audit entry {middle}: Audit entry {middle} has been altered" in result.stdout
