"""Writers to one database take turns.

SQLite's busy handler is not fair: a waiting writer sleeps up to 100 ms between
tries, while a process that commits and begins again at once takes the lock back
within a millisecond. Measured with three writers and a command line loop: one
write waited 29.6 s for its turn, and without a retry bound it would have failed
after the 5 s busy timeout.

So before BEGIN IMMEDIATE a writer takes an OS lock on ``<database>.writers`` and
holds it only until its BEGIN succeeded. The next writer in line holds that lock
while it waits for the database, so the writer that just committed cannot begin
again before it: each waiting writer gets the database after at most a few other
transactions. The lock is released by the OS when a process dies. Where the lock
file cannot be created (a read-only folder), writers fall back to SQLite's own
waiting.
"""

from __future__ import annotations

import contextlib
import os
import random
import sys
import time
from pathlib import Path

if sys.platform == "win32":  # pragma: no cover - exercised on Windows
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    # flock, not fcntl record locks: those are per process (two connections of one
    # process would not exclude each other) and closing any descriptor drops them.
    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


SUFFIX = ".writers"


class WriteQueue:
    """The place in line of one connection's writes to ``database``."""

    def __init__(self, database: Path) -> None:
        self.path = database.with_name(database.name + SUFFIX)
        self._fd: int | None = None
        self._unavailable = False

    def _descriptor(self) -> int | None:
        if self._fd is None and not self._unavailable:
            try:
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
            except OSError:
                self._unavailable = True
        return self._fd

    def join(self, deadline: float) -> bool | None:
        """Wait to be next (until ``deadline``, a time.monotonic() value): True when
        this connection is next, False when the deadline passed first, None when
        there is no queue here."""
        fd = self._descriptor()
        if fd is None:
            return None
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                return False
            time.sleep(random.uniform(0.002, 0.006))
        return True

    def leave(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                _unlock(self._fd)

    def close(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None
