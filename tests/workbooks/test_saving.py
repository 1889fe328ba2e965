"""A full disk while a workbook is being saved: one clear message, nothing on stderr.

The disk is made "full" at the file-write layer: every file opened for writing
under the test's folder (the temporary file of ``desktop.files``) raises
OSError(ENOSPC) once it would grow past a limit, whichever layer opened it
(``zipfile`` by name, or our code by handle). Python reports an exception
raised in a ``__del__`` (an unclosed ZipFile finishing itself on the full
disk) through ``sys.unraisablehook``: the tests collect those and expect none.
"""

from __future__ import annotations

import builtins
import errno
import gc
import io
import sys
from pathlib import Path

import pytest

from desktop.domain.errors import UserError
from desktop.domain.model import PeriodKind
from desktop.services.demo_submissions import write_demo_submissions


class _FullDisk:
    """A file that refuses to grow past ``limit`` bytes, as a full disk would."""

    def __init__(self, handle: io.BufferedWriter, limit: int) -> None:
        self._handle = handle
        self._limit = limit

    def write(self, data: bytes) -> int:
        if self._handle.tell() + len(data) > self._limit:
            raise OSError(errno.ENOSPC, "No space left on device")
        return self._handle.write(data)

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()

    def __getattr__(self, name: str) -> object:
        return getattr(self._handle, name)


@pytest.fixture
def unraisable(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    monkeypatch.setattr(
        sys, "unraisablehook", lambda u: seen.append(f"{u.exc_type.__name__} in {u.object!r}")
    )
    return seen


def _fill_disk_at(monkeypatch: pytest.MonkeyPatch, folder: Path, limit: int) -> None:
    real_open = io.open

    def open_(file, mode="r", *args, **kwargs):
        handle = real_open(file, mode, *args, **kwargs)
        if "w" in mode and str(file).startswith(str(folder)) and str(file).endswith(".tmp"):
            return _FullDisk(handle, limit)
        return handle

    monkeypatch.setattr(io, "open", open_)
    monkeypatch.setattr(builtins, "open", open_)


@pytest.mark.parametrize("limit", [500, 20_000, 60_000])
def test_a_full_disk_during_demo_submissions_prints_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unraisable: list[str], limit: int
):
    folder = tmp_path / "out"
    folder.mkdir()
    _fill_disk_at(monkeypatch, folder, limit)
    with pytest.raises(UserError) as err:
        write_demo_submissions(folder, fiscal_year=2024, period=PeriodKind.MIDYEAR)
    assert "ディスクの空き容量が足りない" in err.value.message("ja")
    del err
    gc.collect()
    assert unraisable == []
    assert list(folder.iterdir()) == []  # no half-written file, no temporary left


def test_the_command_says_the_disk_is_full_and_nothing_more(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    unraisable: list[str],
    capsys: pytest.CaptureFixture[str],
):
    from desktop.cli import main

    folder = tmp_path / "out"
    folder.mkdir()
    _fill_disk_at(monkeypatch, folder, 500)
    code = main(["demo", "--submissions", str(folder)])
    gc.collect()
    captured = capsys.readouterr()
    assert code == 1  # the machine's state (README: exit codes), not bad input (2)
    assert captured.err.strip().splitlines() == [
        next(line for line in captured.err.splitlines() if "ディスク" in line)
    ]
    assert unraisable == []
