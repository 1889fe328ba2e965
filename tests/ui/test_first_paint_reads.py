"""The window paints from the quick first reads and opens its database right after
the first paint (issue 14 item 6). Typing cannot outrun that: a write opens the
database itself, so an edit made at once is stored, never lost or sent elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.services.first_view import first_reads
from desktop.services.workspace import load_report
from desktop.store.database import backup_database, open_database
from desktop.ui.controller import ReportController
from desktop.ui.main_window import MainWindow
from tests.ui.helpers import REF, commit_text, receipt_item


@pytest.fixture
def started(qtbot, _demo_template, tmp_path, settings):
    """The window as the app starts it on a database at the current schema."""
    path = tmp_path / "demo.sqlite3"
    backup_database(_demo_template, path)
    opened: list = []

    def open_now():
        opened.append(open_database(path))
        return opened[-1]

    first = first_reads(path)
    assert first is not None
    settings.set_last_report("tester", "13/2024/midyear")
    controller = ReportController(None, "tester", "ja", first_reads=first, open_database=open_now)
    window = MainWindow(controller, settings)
    qtbot.addWidget(window)
    yield window, path, opened
    for database in opened:
        database.close()


def _stored_text(path: Path, node_key: str) -> str:
    with open_database(path) as database:
        return load_report(database, REF).entries[node_key].status_text


def test_the_window_is_built_without_its_database_and_opens_it_after_the_first_paint(
    started, qtbot
):
    window, _path, opened = started
    assert window.controller.snapshot is not None  # the report, the tree, the form …
    assert window.navigator.visible_keys() and window.form.node is not None
    assert not window.controller.attached and opened == []  # … all from the quick reads
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.controller.attached)
    assert len(opened) == 1


def test_an_edit_typed_before_the_database_is_open_is_stored(started):
    window, path, opened = started
    item = receipt_item(window)
    window.show_section(item)
    field = window.form.status_text
    field.setFocus()
    field.moveCursor(field.textCursor().MoveOperation.End)
    assert not window.controller.attached
    commit_text(field, "すぐに入力した。")
    assert field.flush()  # as focus leaving or the pause would store it
    assert window.controller.attached and len(opened) == 1  # the write opened it
    assert _stored_text(path, item).endswith("すぐに入力した。")
    assert window.controller.snapshot.entry(item).status_text.endswith("すぐに入力した。")
    window.controller.attach()  # the timer after the first paint: nothing opened twice
    assert len(opened) == 1
