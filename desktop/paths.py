"""Where PlanDesk keeps its files.

The database lives in the local per-user data folder (on Windows
%LOCALAPPDATA%, never the roaming %APPDATA% that group policy may redirect to
a server: SQLite locking is broken on network shares). PLANDESK_DATA_DIR
overrides it for tests and portable use. Backups of a database live in a
``backups`` folder next to it (see desktop/services/backups.py).

Bundled resources (plans, templates, translations, icons) are package data in
desktop/resources: found next to this module in a source checkout, in an
installed wheel and in a frozen build alike (PyInstaller gives every module a
``__file__`` under its bundle folder, and the spec collects desktop/resources
there), never relative to the working directory.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "PlanDesk"
DB_FILENAME = "plandesk.sqlite3"


def data_dir() -> Path:
    override = os.environ.get("PLANDESK_DATA_DIR")
    if override:
        return Path(override).expanduser()
    # roaming=False: %LOCALAPPDATA% on Windows.
    return Path(user_data_dir(APP_NAME, appauthor=False, roaming=False))


def default_db_path() -> Path:
    return data_dir() / DB_FILENAME


def backups_dir(database: Path) -> Path:
    """The backups of ``database``: a ``backups`` folder next to it, on the same local
    disk (a rename there is atomic; a network share is no place for a database)."""
    return database.parent / "backups"


def window_lock_path(database: Path) -> Path:
    """The lock file the desktop app holds while a window has ``database`` open."""
    return database.with_name(database.name + ".lock")


def resource_root() -> Path:
    return Path(__file__).resolve().parent / "resources"


def resource_path(*parts: str) -> Path:
    return resource_root().joinpath(*parts)


def looks_like_network_path(path: Path) -> bool:
    """UNC paths (\\\\server\\share) and mapped network drives on Windows."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True
    if sys.platform == "win32" and len(text) >= 2 and text[1] == ":":
        import ctypes  # only on Windows

        drive_remote = 4  # DRIVE_REMOTE
        return bool(ctypes.windll.kernel32.GetDriveTypeW(text[:3]) == drive_remote)
    return False
