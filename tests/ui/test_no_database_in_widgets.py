"""No widget holds the database: widgets, dialogs, table models and presenters hold
the controller, which runs every read and write (issue 13).

Two ways: every class of ``desktop.ui`` is read for a constructor that takes a
database, and the running app — the main window with every dialog its menus
open — is searched for any object that keeps one.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import typing
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QWidget

import desktop.ui
from desktop.domain.review import Role
from desktop.services import exchange, people
from desktop.store.database import Database
from desktop.ui.controller import ReportController

ALLOWED = {ReportController}  # the one door to the database


def ui_classes() -> list[type]:
    found = []
    for info in pkgutil.iter_modules(desktop.ui.__path__):
        module = importlib.import_module(f"desktop.ui.{info.name}")
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__:
                found.append(cls)
    return found


def test_no_ui_class_takes_a_database():
    offenders = []
    for cls in ui_classes():
        if cls in ALLOWED or "__init__" not in vars(cls):
            continue
        hints = typing.get_type_hints(cls.__init__)
        for name in inspect.signature(cls.__init__).parameters:
            if name == "db" or hints.get(name) is Database:
                offenders.append(f"{cls.__module__}.{cls.__qualname__}({name})")
    assert offenders == []
    assert len(ui_classes()) > 30  # the walk found the UI


def _holders(objects: list[object]) -> list[str]:
    """Objects (and plain objects they keep, such as presenters) holding a database."""
    found = []
    for obj in objects:
        if isinstance(obj, ReportController):
            continue
        for name, value in vars(obj).items():
            if isinstance(value, Database):
                found.append(f"{type(obj).__qualname__}.{name}")
            elif not isinstance(value, QObject) and hasattr(value, "__dict__"):
                for inner, held in vars(value).items():
                    if isinstance(held, Database):
                        found.append(f"{type(obj).__qualname__}.{name}.{inner}")
    return found


def test_no_widget_of_the_running_app_holds_a_database(qtbot, window, tmp_path: Path):
    db = window.controller.db
    people.add_user(db, login="tester", display_name="試験", role=Role.ADMIN, password="pw")
    window.controller.set_actor("tester")
    window.settings.exchange_folder = str(tmp_path)
    work = exchange.export_workbook(
        db, branch="13", fiscal_year=2024, kind=exchange.Kind.WORK, out=tmp_path,
        actor="tester", period=window.controller.snapshot.ref.period, sections=["2.II.3"],
    ).path  # fmt: skip
    window.ask_open_file = lambda _title: str(work)
    opened = [
        window.show_audit_trail(),
        window.export_workbook(),
        window.import_workbook(),
        window.roll_over(),
        window.confirm_kpis(),
        window.show_hq_board(),
        window.switch_user(),
        window.show_users(),
    ]
    assert all(isinstance(d, QWidget) for d in opened)
    objects: list[object] = [*QApplication.allWidgets(), *window.findChildren(QObject)]
    for dialog in opened:
        objects.extend(dialog.findChildren(QObject))
    assert len(objects) > 500
    assert _holders(objects) == []
    for dialog in opened:
        dialog.close()


def test_the_search_finds_a_database_where_one_is_kept(qtbot, demo_db):
    """The check itself: a widget keeping the database is found."""
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.db = demo_db  # type: ignore[attr-defined]
    assert _holders([widget]) == ["QWidget.db"]
