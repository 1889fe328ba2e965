"""Input that used to end in a traceback (exit 3) is a message and exit 2, nothing changed.

A folder (or an unreadable file) as the database, bytes that are not text in an
argument, and a password prompt with no terminal to type it in.
"""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.helpers import REPORT

ROOT = Path(__file__).resolve().parents[2]


def _audit_rows(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    finally:
        con.close()


def _users(db: Path) -> list[str]:
    con = sqlite3.connect(db)
    try:
        return [r[0] for r in con.execute("SELECT login FROM users ORDER BY id")]
    finally:
        con.close()


# --- the database path ---------------------------------------------------------------------


@pytest.mark.parametrize("command", [["list"], ["init"], ["demo"], ["check"], ["user", "list"]])
def test_a_folder_as_the_database_is_refused(command, cli, tmp_path, _isolated_data_dir):
    folder = tmp_path / "a folder"
    folder.mkdir()
    result = cli(*command, "--db", folder)
    assert result.code == 2, result.err
    assert "フォルダです" in result.err and str(folder) in result.err
    assert "Traceback" not in result.err
    assert list(folder.iterdir()) == []
    assert not _isolated_data_dir.exists()  # no crash log either: nothing unexpected
    english = cli(*command, "--db", folder, "--lang", "en")
    assert english.code == 2 and "It is a folder" in english.err


def test_a_file_in_the_middle_of_the_path_is_refused(cli, tmp_path):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("not a folder", encoding="utf-8")
    result = cli("init", "--db", blocker / "plandesk.sqlite3", "--lang", "en")
    assert result.code == 2
    assert f"'{blocker}' on the way is a file" in result.err
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_an_unreadable_database_is_refused(cli, people_db, monkeypatch):
    if os.geteuid() == 0:
        # root reads every file whatever its mode: only the refusal to open can stand in.
        real_open = Path.open

        def denied(self: Path, *args, **kwargs):
            if self == people_db:
                raise PermissionError(13, "Permission denied")
            return real_open(self, *args, **kwargs)

        monkeypatch.setattr(Path, "open", denied)
    else:
        people_db.chmod(0)
    result = cli("list", "--db", people_db, "--lang", "en")
    assert result.code == 2
    assert "cannot be read (Permission denied)" in result.err and "Traceback" not in result.err


# --- arguments that are not text -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "value"),
    [("--kpi", "1.II.2.k\udcff"), ("--unavailable", "集計中\udc82\udca0"), ("--as-of", "\udce9")],
)
def test_bytes_that_are_not_text_are_refused(option, value, cli, people_db):
    before = _audit_rows(people_db)
    args = {"--kpi": "1.II.2.k2", "--unavailable": None, "--as-of": None}
    args[option] = value
    flat = [str(a) for pair in args.items() if pair[1] is not None for a in pair]
    result = cli("set", "--db", people_db, "--year", "2024", "--branch", "13", *flat)
    assert result.code == 2
    assert f"{option} の値" in result.err and "UTF-8" in result.err
    assert "\\x" in result.err  # the bad bytes shown as escapes, not as garbage
    assert _audit_rows(people_db) == before


def test_real_non_utf8_argv_and_no_terminal_through_a_subprocess(people_db):
    """The operating system hands Python bytes; stdin is a file, not a terminal."""
    env = {**os.environ, "PLANDESK_LANG": "en", "PYTHONIOENCODING": "utf-8"}
    before = _audit_rows(people_db)

    def run(*args: str | bytes) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "desktop", *args],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            encoding="utf-8",
            cwd=ROOT,
            env=env,
            timeout=120,
        )

    bad = run("set", "--db", str(people_db), "--year", "2024", "--branch", "13",
              "--kpi", b"1.II.2.k\xff\xfe", "98")  # fmt: skip
    assert bad.returncode == 2, bad.stderr
    assert "The value of --kpi '1.II.2.k\\xff\\xfe' holds bytes that are not UTF-8" in bad.stderr
    reason = run("set", "--db", str(people_db), "--year", "2024", "--branch", "13",
                 "--kpi", "1.II.2.k2", "--unavailable", "集計中".encode("cp932"))  # fmt: skip
    assert reason.returncode == 2 and "--unavailable" in reason.stderr
    add = run("user", "add", "--db", str(people_db), "--login", "kato", "--name", "加藤",
              "--admin", "admin")  # fmt: skip
    assert add.returncode == 2
    assert "no terminal to type the password in" in add.stderr and "--password-stdin" in add.stderr
    assert "Traceback" not in bad.stderr + reason.stderr + add.stderr
    assert _audit_rows(people_db) == before and "kato" not in _users(people_db)


# --- passwords -------------------------------------------------------------------------------------


def test_user_add_without_a_terminal_asks_for_password_stdin(cli, people_db):
    result = cli("user", "add", "--db", people_db, "--login", "kato", "--name", "加藤",
                 "--admin", "admin")  # fmt: skip
    assert result.code == 2
    assert "パスワードを入力する端末がありません" in result.err and "--password-stdin" in result.err
    assert "kato" not in _users(people_db)


def test_review_without_a_terminal_asks_for_password_stdin(cli, people_db):
    cli("review", "submit", "--db", people_db, *REPORT, "--section", "1.II.2.1", "--as", "sato")
    before = _audit_rows(people_db)
    result = cli("review", "approve", "--db", people_db, *REPORT, "--section", "1.II.2.1",
                 "--as", "suzuki")  # fmt: skip
    assert result.code == 2 and "--password-stdin" in result.err
    assert _audit_rows(people_db) == before


def test_a_password_on_stdin_that_is_not_text_is_refused(people_db):
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "user", "add", "--db", str(people_db), "--login",
         "kato", "--name", "加藤", "--admin", "admin", "--password-stdin"],
        input=b"\xff\xfeadmin\n",
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "PLANDESK_LANG": "en", "PYTHONIOENCODING": "utf-8"},
        timeout=120,
    )  # fmt: skip
    err = result.stderr.decode("utf-8")
    assert result.returncode == 2 and "not UTF-8 text" in err and "Traceback" not in err
    assert "kato" not in _users(people_db)


def test_a_reader_that_goes_away_is_not_an_unexpected_error(people_db, monkeypatch):
    """`plandesk review status … | head -2`: the reader closes the pipe mid-table."""
    from desktop.cli import main

    read_end, write_end = os.pipe()
    os.close(read_end)
    pipe = io.TextIOWrapper(os.fdopen(write_end, "wb"), encoding="utf-8", line_buffering=True)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    monkeypatch.setattr(sys, "stdout", pipe)
    try:
        code = main(["review", "status", "--db", str(people_db), *REPORT])
    finally:
        monkeypatch.undo()
        pipe.close()
    assert code == 1
    assert not (people_db.parent / "userdata").exists()  # no crash log


def test_input_that_ends_at_a_conflict_question_stops_the_import(cli, people_db, tmp_path):
    """At a terminal the import asks m/t for each conflict; Ctrl+D ends the input."""
    import pty

    kpi = "2.II.3.k1"
    second = tmp_path / "second.sqlite3"
    out = tmp_path / "out"
    out.mkdir()
    work = ["--year", "2024", "--branch", "13", "--period", "midyear", "--kind", "work"]
    assert cli("export", "--db", people_db, *work, "--sections", "2.II.3", "--out", out).code == 0
    (first_file,) = out.glob("*.xlsx")
    assert cli("import", "--db", second, first_file).code == 0
    for db, value in ((second, "123"), (people_db, "456")):
        assert (
            cli("set", "--db", db, "--year", "2024", "--branch", "13", "--kpi", kpi, value).code
            == 0
        )
    back = tmp_path / "back.xlsx"
    assert cli("export", "--db", second, *work, "--sections", "2.II.3", "--out", back).code == 0
    before = _audit_rows(people_db)

    controller, terminal = pty.openpty()
    try:
        os.write(controller, b"\x04")  # Ctrl+D at the start of a line: end of input
        result = subprocess.run(
            [sys.executable, "-m", "desktop", "import", "--db", str(people_db), str(back)],
            stdin=terminal,
            capture_output=True,
            text=True,
            encoding="utf-8",
            cwd=ROOT,
            env={**os.environ, "PLANDESK_LANG": "en", "PYTHONIOENCODING": "utf-8"},
            timeout=120,
        )
    finally:
        os.close(terminal)
        os.close(controller)
    assert "m/t?" in result.stdout
    assert result.returncode == 2 and "Input ended" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and _audit_rows(people_db) == before
