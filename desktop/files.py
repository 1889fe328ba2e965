"""Writing files so that a crash, a full disk or a locked file never leaves half a file.

No Qt and no database here: the UI, the CLI and the workbook code all write
through this.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import stat
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from desktop.domain.errors import NotWritten, UserError


def write_atomically(target: str | Path, write: Callable[[Path], None]) -> Path:
    """Let ``write`` fill a temporary file next to ``target``, flush it to disk,
    then move it over ``target`` in one step. On any failure the target is as
    it was and the temporary file is gone; OS errors become UserErrors."""
    target = Path(target)
    folder = target.parent
    if not folder.is_dir():
        raise UserError(
            f"保存先のフォルダ「{folder}」がありません。",
            f"The folder '{folder}' does not exist.",
        )
    sweep_stale_temporaries(folder, f".{glob.escape(target.stem)}.*.tmp")
    try:  # a read-only share refuses even the temporary file
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise _user_error(exc, target) from exc
    os.close(fd)
    temp = Path(temp_name)
    try:
        write(temp)
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        # mkstemp creates the file readable by its owner only (0600); an export is
        # meant to be read by others from a shared folder (HQ), like any new file.
        os.chmod(temp, new_file_mode())
        _replace(temp, target)
    except OSError as exc:
        raise _user_error(exc, target) from exc
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
    return target


# A temporary this old is a killed writer's (a PC switched off mid-backup, say), never
# one being written: even a large backup is written in seconds.
STALE_TEMPORARY_S = 3600


def sweep_stale_temporaries(folder: Path, pattern: str) -> None:
    """Remove the temporaries (``pattern``, a glob) of earlier writes that never
    finished (the writer was killed): each is as big as its file, and nothing else
    removes them. Best effort: one another user holds open stays for the next write."""
    cutoff = time.time() - STALE_TEMPORARY_S
    with contextlib.suppress(OSError):
        for leftover in folder.glob(pattern):
            with contextlib.suppress(OSError):
                if leftover.is_file() and leftover.stat().st_mtime < cutoff:
                    leftover.unlink()


_UMASK_LOCK = threading.Lock()


def current_umask() -> int:
    """The process's umask, read without changing it where the system allows
    (Linux), else by setting and restoring it: exports run on worker threads."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _UMASK_LOCK:  # the stricter mask for the instant between the two calls
        mask = os.umask(0o077)
        os.umask(mask)
    return mask


def new_file_mode() -> int:
    """The mode ``open(path, "w")`` would give a new file: 0666 less the umask."""
    return (
        stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP | stat.S_IWGRP | stat.S_IROTH | stat.S_IWOTH
    ) & ~current_umask()


# Antivirus scanners and Excel's preview hold a fresh file for a moment on Windows:
# os.replace then fails with PermissionError and succeeds a little later.
REPLACE_WAITS = (0.05, 0.1, 0.2, 0.4, 0.8)


def _replace(temp: Path, target: Path) -> None:
    for wait in REPLACE_WAITS:
        try:
            os.replace(temp, target)
            return
        except PermissionError:
            time.sleep(wait)
    os.replace(temp, target)  # the last try: its error is the one reported


def _user_error(exc: OSError, target: Path) -> NotWritten:
    if isinstance(exc, PermissionError):
        return NotWritten(
            f"「{target.name}」に書き込めません。ファイルが Excel などで開かれているか、"
            "フォルダが読み取り専用です。",
            f"Cannot write '{target.name}': the file is open (e.g. in Excel) or the folder "
            "is read-only.",
        )
    if exc.errno == errno.ENOSPC:
        return NotWritten(
            f"ディスクの空き容量が足りないため「{target.name}」を保存できません。",
            f"Not enough disk space to save '{target.name}'.",
        )
    return NotWritten(
        f"「{target.name}」を保存できません（{exc.strerror or exc}）。",
        f"Cannot save '{target.name}' ({exc.strerror or exc}).",
    )
