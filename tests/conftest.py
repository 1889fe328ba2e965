"""Shared fixtures: real SQLite files in tmp_path, never a mocked database."""

from __future__ import annotations

import contextlib
import os
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Tests never touch the real per-user data folder.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "userdata"
    monkeypatch.setenv("PLANDESK_DATA_DIR", str(folder))
    monkeypatch.setenv("PLANDESK_LANG", "ja")
    return folder


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "plandesk.sqlite3"


@pytest.fixture
def db(db_path: Path):
    from desktop.store.database import open_database

    database = open_database(db_path, create=True)
    yield database
    database.close()


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database built once per session; tests get their own copy."""
    from desktop.services import plans

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    with plans.init_database(path) as database:
        plans.install_demo(database, actor="tester")
    return path


@pytest.fixture
def demo_db(_demo_template: Path, tmp_path: Path):
    from desktop.store.database import backup_database, open_database

    path = tmp_path / "demo.sqlite3"
    backup_database(_demo_template, path)
    database = open_database(path)
    yield database
    database.close()


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Callable[[int], Path]]:
    """A real, tiny file system (tmpfs) of the given size in KiB, for disk-full and
    read-only tests. Mounting needs root: the test is skipped where it cannot."""
    mounted: list[Path] = []

    def mount(size_kb: int) -> Path:
        where = tmp_path / f"disk{len(mounted)}"
        where.mkdir()
        try:
            done = subprocess.run(
                ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k",
                 f"plandesk-{uuid.uuid4().hex[:6]}", str(where)],
                capture_output=True,
            )  # fmt: skip
        except OSError:
            done = None
        if done is None or done.returncode != 0:
            pytest.skip("cannot mount a tmpfs here (needs root)")
        mounted.append(where)
        return where

    yield mount
    for where in mounted:
        with contextlib.suppress(OSError):
            subprocess.run(["umount", "-l", str(where)], capture_output=True)


# --- the main window on the demo (UI tests and benchmarks) ---------------------------


@pytest.fixture
def settings(tmp_path: Path):
    # Qt is imported here, not at the top: the non-UI tests never load it.
    from PySide6.QtCore import QSettings

    from desktop.ui.settings import Settings

    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def window(qtbot, demo_db, settings):
    from desktop.ui.controller import ReportController
    from desktop.ui.main_window import MainWindow

    settings.set_last_report("tester", "13/2024/midyear")
    w = MainWindow(ReportController(demo_db, "tester", "ja"), settings)
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    qtbot.waitExposed(w)
    return w
