"""The error log in the data folder: technical details a person never has to read.

Messages on screen say what happened and what to do, in the person's language;
the exception, its traceback and (for database failures) the SQL statement go
here, for whoever supports them. Writing the log never raises: a full disk or a
read-only folder must not turn one failure into another. No Qt and no
database here.
"""

from __future__ import annotations

import contextlib
import faulthandler
import sys
import tempfile
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from desktop.paths import data_dir

LOG_NAME = "plandesk-error.log"
MAX_STATEMENT = 2000  # characters of SQL kept per entry
STDERR = Path("(stderr)")  # no log could be written: a line went to stderr


def log_path() -> Path:
    return data_dir() / LOG_NAME


def log_exception(context: str, exc: BaseException | None = None) -> Path:
    """Append ``exc`` (default: the exception being handled) with ``context`` to the
    error log and return the log's path. Falls back to stderr, never raises."""
    if exc is None:
        exc = sys.exc_info()[1]
    try:
        text = _entry(context, exc)
    except Exception:  # formatting must not fail either
        text = f"{context}: {exc!r}\n"
    return _write(text)


def _write(text: str) -> Path:
    """Append ``text`` to the log in the data folder or, when that cannot be written (a
    full disk, a read-only folder), to one in the temporary folder, which is often on
    another drive. When neither can be, only the entry's first and last lines (when
    and where, and the error) go to stderr: a person at a terminal reads what failed,
    never a traceback."""
    for where in (log_path, _temporary_log_path):
        try:
            path = where()
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8", errors="replace") as fh:
                fh.write(text)
            return path
        except Exception:  # a full disk, a read-only folder: the next place
            continue
    with contextlib.suppress(Exception):  # no stderr at all (a windowed build)
        sys.stderr.write(_summary(text))
    return STDERR


def _temporary_log_path() -> Path:
    return Path(tempfile.gettempdir()) / LOG_NAME


def _summary(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) <= 1 or not lines[0].startswith("==="):
        return "\n".join(lines[:1]) + "\n"
    return f"{lines[0]}\n{lines[-1].strip()}\n"


def log_hard_crashes() -> Callable[[], None]:
    """Until the returned function is called, a crash Python cannot catch (a fault
    inside Qt, an abort) still writes its Python traceback to the log. Does
    nothing when the log cannot be opened."""
    try:
        path = log_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        log = path.open("a", encoding="utf-8")
    except OSError:
        return lambda: None
    to_stderr = faulthandler.is_enabled()  # python -X faulthandler, a test runner
    try:
        faulthandler.enable(log, all_threads=True)
    except (OSError, RuntimeError, ValueError):
        log.close()
        return lambda: None

    def stop() -> None:
        faulthandler.disable()
        log.close()
        if to_stderr and sys.__stderr__ is not None:
            with contextlib.suppress(OSError, RuntimeError, ValueError):
                faulthandler.enable(sys.__stderr__, all_threads=True)

    return stop


def log_note(context: str) -> Path:
    """Append a line without an exception (something worth knowing, not a failure)."""
    return _write(f"=== {_now()} {context}\n")


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _entry(context: str, exc: BaseException | None) -> str:
    lines = [f"=== {_now()} {context}"]
    if exc is not None:
        # SQLAlchemy errors carry the statement; the driver's error its SQLite code.
        statement = getattr(exc, "statement", None)
        if statement:
            lines.append(f"SQL: {str(statement)[:MAX_STATEMENT]}")
        orig = getattr(exc, "orig", None) or exc
        code = getattr(orig, "sqlite_errorname", None)
        if code:
            lines.append(f"SQLite: {code} ({getattr(orig, 'sqlite_errorcode', '?')})")
        lines.append("".join(traceback.format_exception(exc)).rstrip())
    return "\n".join(lines) + "\n"
