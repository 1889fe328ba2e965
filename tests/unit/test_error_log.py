"""The error log never raises and keeps the technical details a message leaves out."""

from __future__ import annotations

import sqlite3

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


def test_a_folder_that_cannot_be_written_falls_back_to_stderr(monkeypatch, tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("PLANDESK_DATA_DIR", str(blocker / "sub"))
    path = error_log.log_exception("writing", ValueError("boom"))
    assert path == error_log.STDERR
    assert "boom" in capsys.readouterr().err
