"""Export and import dialogs through pytest-qt on real files."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from desktop.domain.errors import UserError
from desktop.domain.model import Group, PeriodKind
from desktop.services import editing, exchange, plans
from desktop.services.editing import ReportRef
from desktop.services.workspace import Database
from desktop.ui.controller import ReportController
from desktop.ui.export_dialog import ExportDialog, group_sections
from desktop.ui.import_dialog import ImportDialog
from desktop.ui.tasks import run_with_progress
from tests.helpers.reports import sign_off_all

REF = ReportRef("13", 2024, PeriodKind.MIDYEAR)
HEALTH = "2.II.3"


def export_dialog(qtbot, db, folder: Path, signed_off: bool = False) -> ExportDialog:
    plan = plans.get_plan(db, "13", 2024)
    dialog = ExportDialog(ReportController(db, "tester", "ja"), plan, REF, str(folder), signed_off)
    qtbot.addWidget(dialog)
    return dialog


def test_export_a_work_file_of_one_group(qtbot, demo_db, tmp_path: Path):
    dialog = export_dialog(qtbot, demo_db, tmp_path)
    assert not dialog.submission.isEnabled()  # not signed off
    assert dialog.work.isChecked() and dialog.signed_note.text()
    for group, check in dialog.group_checks.items():
        check.setChecked(group is Group.HEALTH)
    assert "作業ファイル" in dialog.name_hint.text()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.result_ is not None and dialog.result_.path.exists()
    data = exchange.verify_file(dialog.result_.path).data
    plan = plans.get_plan(demo_db, "13", 2024)
    assert list(data.manifest.sections) == group_sections(plan, {Group.HEALTH})
    assert all(plan.effective_group(e.node_key) is Group.HEALTH for e in data.report.entries)


def test_no_group_no_export(qtbot, demo_db, tmp_path: Path):
    dialog = export_dialog(qtbot, demo_db, tmp_path)
    for check in dialog.group_checks.values():
        check.setChecked(False)
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


def conflicting_preview(db: Database, tmp_path: Path) -> exchange.ImportPreview:
    sections = group_sections(plans.get_plan(db, "13", 2024), {Group.HEALTH})
    out = exchange.export_workbook(
        db, branch="13", fiscal_year=2024, period=PeriodKind.MIDYEAR, kind=exchange.Kind.WORK,
        out=tmp_path, actor="p", sections=sections,
    ).path  # fmt: skip
    from desktop.store.database import open_database

    with open_database(tmp_path / "g.sqlite3", create=True) as other:
        exchange.apply_import(other, exchange.preview_import(other, out), actor="g")
        editing.set_entry_field(other, REF, HEALTH, "status_text", "グループ\n二行目", actor="g")
        editing.set_entry_field(other, REF, HEALTH, "next_steps", "予定", actor="g")
        back = exchange.export_workbook(
            other, branch="13", fiscal_year=2024, period=PeriodKind.MIDYEAR,
            kind=exchange.Kind.WORK, out=tmp_path, actor="g", sections=sections,
        ).path  # fmt: skip
    editing.set_entry_field(db, REF, HEALTH, "status_text", "企画の文章", actor="p")
    return exchange.preview_import(db, back)


def test_import_needs_a_choice_per_conflict(qtbot, demo_db, tmp_path: Path):
    preview = conflicting_preview(demo_db, tmp_path)
    dialog = ImportDialog(preview, "ja")
    qtbot.addWidget(dialog)
    assert not dialog.ok.isEnabled()
    assert dialog.table.rowCount() == 2  # the conflict first, then the new next steps
    assert dialog.table.item(0, 2).text() == "企画の文章"
    assert dialog.table.item(0, 3).text() == "グループ ⏎ 二行目"
    assert "企画の文章" in dialog.detail.toPlainText()  # both versions shown
    dialog.choose(f"entry/{HEALTH}/status_text", "theirs")
    assert dialog.ok.isEnabled()
    dialog.ok.click()
    result = exchange.apply_import(demo_db, preview, actor="p", choices=dialog.choices)
    assert result.applied == 2
    entry = {e.node_key: e for e in plans.get_plan(demo_db, "13", 2024).reports[0].entries}
    assert entry[HEALTH].status_text == "グループ\n二行目"


def test_background_work_returns_and_raises(qtbot):
    assert run_with_progress(None, "…", lambda: 42) == 42

    def fail() -> None:
        raise UserError("だめ", "no")

    with pytest.raises(UserError):
        run_with_progress(None, "…", fail)


def test_steps_move_the_bar(qtbot, monkeypatch):
    from PySide6.QtWidgets import QProgressDialog

    from desktop.ui.tasks import run_with_steps

    values: list[tuple[int, int]] = []
    original = QProgressDialog.setValue

    def record(dialog: QProgressDialog, value: int) -> None:
        values.append((value, dialog.maximum()))
        original(dialog, value)

    monkeypatch.setattr(QProgressDialog, "setValue", record)

    def work(report) -> str:
        for i in range(1, 4):
            report(i, 3)  # queued to the GUI thread, each ahead of the result
        return "done"

    assert run_with_steps(None, "…", work) == "done"
    assert values[0] == (0, 0) and (3, 3) in values  # busy first, then counted to the end


def test_the_dialog_names_the_file_it_will_write(qtbot, demo_db, tmp_path: Path):
    exchange.export_workbook(
        demo_db, branch="13", fiscal_year=2024, period=PeriodKind.MIDYEAR,
        kind=exchange.Kind.WORK, out=tmp_path, actor="p",
    )  # fmt: skip
    dialog = export_dialog(qtbot, demo_db, tmp_path)
    hint = dialog.name_hint.text()
    assert "_vNN" not in hint
    assert hint.endswith("2024_13_東京支部_上期進捗_作業ファイル_v02.xlsx")
    dialog.template.setChecked(True)  # another kind, its own numbering
    assert dialog.name_hint.text().endswith("2024_13_東京支部_計画_計画テンプレート_v01.xlsx")
    dialog.work.setChecked(True)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.result_ is not None
    assert hint.endswith(dialog.result_.path.name)  # what it said is what it wrote


def test_a_folder_that_does_not_exist_is_said_before_writing(qtbot, demo_db, tmp_path: Path):
    dialog = export_dialog(qtbot, demo_db, tmp_path / "nowhere")
    assert "nowhere" in dialog.name_hint.text()
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    dialog.folder.setText(str(tmp_path))
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


def test_changes_left_out_of_a_signed_off_report_say_why(qtbot, demo_db, tmp_path: Path):
    """Not "approved here": the report is signed off, and each row says so
    (issue 12 A11c; the command line: tests/cli/test_cli_workbooks.py)."""
    preview = conflicting_preview(demo_db, tmp_path)
    sign_off_all(demo_db)
    preview = exchange.preview_import(demo_db, preview.path)
    assert preview.blocked and not preview.conflicts
    dialog = ImportDialog(preview, "ja")
    qtbot.addWidget(dialog)
    reasons = {dialog.table.item(r, 4).text() for r in range(dialog.table.rowCount())}
    assert reasons == {"決裁済みの報告のため"}
    english = ImportDialog(preview, "en")
    qtbot.addWidget(english)
    assert english.table.item(0, 4).text() == "report signed off here"
