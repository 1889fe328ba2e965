"""Export and import from the main window's File menu, on the demo database."""

from __future__ import annotations

from pathlib import Path

from desktop.domain.model import Group, PeriodKind
from desktop.services import editing, exchange
from desktop.services.editing import ReportRef
from desktop.store.database import open_database

REF = ReportRef("13", 2024, PeriodKind.MIDYEAR)
HEALTH = "2.II.3"


def test_export_then_import_a_changed_work_file(qtbot, window, tmp_path: Path):
    window.settings.exchange_folder = str(tmp_path)
    dialog = window.export_workbook()
    for group, check in dialog.group_checks.items():
        check.setChecked(group is Group.HEALTH)
    dialog.write()
    path = dialog.result_.path
    assert path.parent == tmp_path and "Written" in window.statusBar().currentMessage()

    # Another PC takes the file, edits, sends it back.
    with open_database(tmp_path / "other.sqlite3", create=True) as other:
        exchange.apply_import(other, exchange.preview_import(other, path), actor="hoken")
        editing.set_entry_field(other, REF, HEALTH, "status_text", "保健グループの更新", actor="h")
        back = exchange.export_workbook(
            other, branch="13", fiscal_year=2024, period=PeriodKind.MIDYEAR,
            kind=exchange.Kind.WORK, out=tmp_path, actor="h", sections=[HEALTH],
        ).path  # fmt: skip

    window.ask_open_file = lambda _title: str(back)
    preview_dialog = window.import_workbook()
    changed = preview_dialog.preview.new + preview_dialog.preview.changes
    assert [m.field for m in changed] == [f"entry/{HEALTH}/status_text"]
    preview_dialog.ok.click()
    qtbot.waitUntil(
        lambda: window.controller.snapshot.entry(HEALTH).status_text == "保健グループの更新"
    )


def test_a_file_of_another_year_is_refused_with_a_message(qtbot, window, tmp_path, monkeypatch):
    out = exchange.export_workbook(
        window.controller.db, branch="13", fiscal_year=2023, period=PeriodKind.MIDYEAR,
        kind=exchange.Kind.WORK, out=tmp_path, actor="p",
    ).path  # fmt: skip
    warnings: list[str] = []
    monkeypatch.setattr(
        "desktop.ui.main_window.QMessageBox.warning",
        lambda _parent, _title, text: warnings.append(text),
    )
    window.ask_open_file = lambda _title: str(out)
    assert window.import_workbook() is None
    assert warnings and "年度" in warnings[0]
