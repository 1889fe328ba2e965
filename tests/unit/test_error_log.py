"""The error log never raises and keeps the technical details a message leaves out."""

from __future__ import annotations

import sqlite3
import tempfile

from desktop import error_log


def test_an_exception_is_logged_with_its_sqlite_code(tmp_path):
    con = sqlite3.connect(tmp_path / "x.sqlite3")
    try:
        con.execute("SELECT * FROM nowhere")
    except sqlite3.Error as exc:
        path = error_log.log_exception("reading", exc)
    text = path.read_text(encoding="utf-8")
    assert path == error_log.log_path() and "reading" in text
    assert "no such table: nowhere" in text and "SQLITE_ERROR" in text and "Traceback" in text


def _blocked(tmp_path, name: str):
    """A folder that cannot be made: a file stands where its parent should be."""
    blocker = tmp_path / name
    blocker.write_text("not a folder", encoding="utf-8")
    return blocker / "sub"


def _raised() -> ValueError:
    try:
        raise ValueError("boom")
    except ValueError as exc:
        return exc


def test_a_data_folder_that_cannot_be_written_logs_in_the_temporary_folder(
    monkeypatch, tmp_path, capsys
):
    monkeypatch.setenv("PLANDESK_DATA_DIR", str(_blocked(tmp_path, "data")))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "temp"))
    path = error_log.log_exception("writing", _raised())
    assert path == tmp_path / "temp" / error_log.LOG_NAME
    text = path.read_text(encoding="utf-8")
    assert "writing" in text and "Traceback" in text and "ValueError: boom" in text
    assert capsys.readouterr().err == ""


def test_with_no_log_anywhere_stderr_gets_one_line_not_a_traceback(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("PLANDESK_DATA_DIR", str(_blocked(tmp_path, "data")))
    monkeypatch.setattr(tempfile, "tempdir", str(_blocked(tmp_path, "temp")))
    path = error_log.log_exception("writing", _raised())
    assert path == error_log.STDERR
    err = capsys.readouterr().err
    assert "writing" in err and "ValueError: boom" in err
    assert "Traceback" not in err and "raise ValueError" not in err
