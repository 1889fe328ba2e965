"""Atomic file writes: the target is whole or untouched, never half-written."""

from __future__ import annotations

import errno
import os
import time

import pytest

from desktop.domain.errors import UserError
from desktop.files import write_atomically


def test_writes_and_replaces(tmp_path):
    target = tmp_path / "chart.png"
    target.write_bytes(b"old")
    write_atomically(target, lambda temp: temp.write_bytes(b"new"))
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["chart.png"]


def test_a_failing_writer_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "chart.png"
    target.write_bytes(b"old")

    def broken(temp):
        temp.write_bytes(b"half")
        raise OSError(errno.EIO, "I/O error")

    with pytest.raises(UserError) as err:
        write_atomically(target, broken)
    assert "保存できません" in err.value.message("ja")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["chart.png"]


def test_missing_folder_is_named(tmp_path):
    with pytest.raises(UserError) as err:
        write_atomically(tmp_path / "nope" / "x.png", lambda temp: temp.write_bytes(b"x"))
    assert "nope" in err.value.message("ja") and "does not exist" in err.value.message("en")


def test_file_held_open_on_windows(tmp_path, monkeypatch):
    """Windows refuses to replace a file Excel holds open (PermissionError). That
    cannot happen on Linux, so os.replace is made to fail the same way here."""
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"old")

    def refuse(src, dst):
        raise PermissionError(errno.EACCES, "Permission denied", str(dst))

    monkeypatch.setattr(os, "replace", refuse)
    monkeypatch.setattr("desktop.files.time.sleep", lambda _s: None)
    with pytest.raises(UserError) as err:
        write_atomically(target, lambda temp: temp.write_bytes(b"new"))
    assert "Excel" in err.value.message("ja")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]


def test_full_disk_message(tmp_path):
    def full(temp):
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(UserError) as err:
        write_atomically(tmp_path / "x.png", full)
    assert "空き容量" in err.value.message("ja")
    assert list(tmp_path.iterdir()) == []


def test_a_short_lived_lock_is_waited_out(tmp_path, monkeypatch):
    """An antivirus scan holds the file for a moment: the replace is retried with
    growing waits (mocked: PermissionError cannot be provoked on Linux)."""
    import time

    target = tmp_path / "report.xlsx"
    real_replace = os.replace
    attempts: list[float] = []

    def busy_twice(src, dst):
        if len(attempts) < 2:
            attempts.append(0)
            raise PermissionError(errno.EACCES, "sharing violation", str(dst))
        real_replace(src, dst)

    waits: list[float] = []
    monkeypatch.setattr(os, "replace", busy_twice)
    monkeypatch.setattr(time, "sleep", waits.append)
    write_atomically(target, lambda temp: temp.write_bytes(b"new"))
    assert target.read_bytes() == b"new" and waits == [0.05, 0.1]


def test_read_only_folder_refuses_with_a_message(tmp_path, monkeypatch):
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(UserError) as err:
        write_atomically(tmp_path / "x.xlsx", lambda temp: temp.write_bytes(b"new"))
    assert "読み取り専用" in err.value.message("ja")


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_a_written_file_gets_the_mode_of_any_new_file(tmp_path, umask):
    """mkstemp makes 0600 files: HQ could not read an export from a shared folder.
    The written file has 0666 less the umask, as a file made by open() would."""
    old = os.umask(umask)
    try:
        target = tmp_path / "report.xlsx"
        write_atomically(target, lambda temp: temp.write_bytes(b"new"))
        plain = tmp_path / "plain.txt"
        plain.write_bytes(b"x")
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    assert target.stat().st_mode & 0o777 == plain.stat().st_mode & 0o777


def test_the_umask_is_read_without_changing_it():
    from desktop.files import current_umask

    old = os.umask(0o027)
    try:
        assert current_umask() == 0o027
        assert current_umask() == 0o027
    finally:
        os.umask(old)


def test_a_killed_writers_old_temporaries_are_swept_and_a_fresh_one_is_left(tmp_path):
    """A writer killed mid-write (the upgrade kill test left 73 backups' worth) leaves
    its temporary: the next write of that file removes those older than an hour, and
    leaves alone one that may be another writer's, and other files' temporaries."""
    target = tmp_path / "branch [13].sqlite3"
    stale = tmp_path / ".branch [13].abc123.tmp"
    fresh = tmp_path / ".branch [13].def456.tmp"
    other = tmp_path / ".other.ghi789.tmp"
    for leftover in (stale, fresh, other):
        leftover.write_bytes(b"half a file")
    two_hours_ago = time.time() - 7200
    os.utime(stale, (two_hours_ago, two_hours_ago))
    os.utime(other, (two_hours_ago, two_hours_ago))

    write_atomically(target, lambda p: p.write_bytes(b"whole"))

    assert target.read_bytes() == b"whole"
    assert not stale.exists()
    assert fresh.exists() and other.exists()
