"""File ▸ Restore from backup… and the app's own backups (issue 17 item 2), with real
widgets on the demo database."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtGui import QAction

from desktop.domain.backup_policy import BackupKind
from desktop.services import backups, editing
from desktop.services.workspace import load_report
from desktop.ui.auto_backup import AutoBackup
from desktop.ui.restore_dialog import RestoreDialog

SECTION = "1.II.2.1"


def _open_section(window, qtbot) -> None:
    assert window.show_section(SECTION)
    qtbot.waitUntil(lambda: window.navigator.current_key() == SECTION)


def test_the_dialog_lists_the_backups_and_previews_the_chosen_one(window, qtbot, demo_db):
    older = backups.take_backup(demo_db.path, BackupKind.ON_CLOSE, now=datetime(2026, 12, 1, 18))
    editing.set_entry_field(demo_db, window.current_ref(), SECTION, "status_text", "新しい",
                            actor="sato")  # fmt: skip
    backups.take_backup(demo_db.path, BackupKind.DAILY, now=datetime(2026, 12, 2, 9))
    window.findChild(QAction, "restoreAction").trigger()  # File ▸ Restore from backup…
    dialog = window.findChild(RestoreDialog)
    qtbot.waitExposed(dialog)
    table = dialog.table
    assert table.rowCount() == 2
    assert [table.item(r, 0).text() for r in range(2)] == ["2026-12-02 09:00", "2026-12-01 18:00"]
    assert [table.item(r, 1).text() for r in range(2)] == ["毎日", "終了時"]
    assert "日次" in table.item(0, 3).text()
    preview = dialog.preview.toPlainText()
    assert "13 東京支部" in preview and "令和６年度東京支部事業計画" in preview
    assert "sato" in preview  # the last change, and who made it
    table.selectRow(1)
    preview = dialog.preview.toPlainText()
    assert "tester" in preview and older.path.name in preview
    assert dialog.restore_button.isEnabled()


def test_restoring_reloads_the_window_with_the_backed_up_state(window, qtbot, demo_db):
    _open_section(window, qtbot)
    field = window.form.status_text
    assert window.controller.set_entry(SECTION, "status_text", "バックアップした内容")
    backups.take_backup(demo_db.path, BackupKind.MANUAL)
    assert window.controller.set_entry(SECTION, "status_text", "後から書いた内容")
    qtbot.waitUntil(lambda: field.toPlainText() == "後から書いた内容")
    assert window.controller.undo_stack.count() > 0

    dialog = window.restore_from_backup()
    asked: list[str] = []
    dialog.confirm = lambda text: asked.append(text) or True
    with qtbot.waitSignal(window.controller.databaseReplaced):
        dialog.restore_button.click()

    assert len(asked) == 1 and "The current state is backed up first" in asked[0]
    qtbot.waitUntil(lambda: field.toPlainText() == "バックアップした内容")
    assert window.controller.snapshot is not None
    assert window.controller.snapshot.entries[SECTION].status_text == "バックアップした内容"
    assert window.controller.undo_stack.count() == 0  # no undo back into the replaced state
    assert load_report(demo_db, window.current_ref()).entries[SECTION].status_text == (
        "バックアップした内容"
    )
    kinds = [b.kind for b in backups.list_backups(demo_db.path)]
    assert kinds == [BackupKind.BEFORE_RESTORE, BackupKind.MANUAL]
    assert not dialog.isVisible()


def test_a_damaged_backup_is_shown_as_such_and_cannot_be_restored(window, qtbot, demo_db):
    made = backups.take_backup(demo_db.path, BackupKind.MANUAL)
    made.path.write_bytes(b"SQLite format 3\x00" + b"\x07" * 4000)
    dialog = window.restore_from_backup()
    assert "復元できません" in dialog.preview.toPlainText()
    assert not dialog.restore_button.isEnabled()


def test_the_daily_backup_runs_in_the_background_once_a_day(window, qtbot, demo_db):
    auto = AutoBackup(window.controller, window)
    with qtbot.waitSignal(auto.taken, timeout=30000) as taken:
        assert auto.check()
    made = taken.args[0]
    assert made.kind is BackupKind.DAILY and made.path.exists()
    assert not auto.check()  # today's is taken
    assert auto.on_close() is None
    # The newest of the day stays (the policy): the one on closing.
    assert [b.kind for b in backups.list_backups(demo_db.path)] == [BackupKind.ON_CLOSE]


def test_a_failed_automatic_backup_is_said_in_the_status_bar(window, qtbot, demo_db):
    (demo_db.path.parent / "backups").write_text("a file where the folder should be")
    auto = AutoBackup(window.controller, window)
    with qtbot.waitSignal(auto.failed, timeout=30000) as failed:
        assert auto.check()
    assert "バックアップ" in failed.args[0]
    assert window.statusBar().currentMessage() == failed.args[0]
    assert auto.on_close() is not None


def test_closing_the_app_takes_a_backup(qapp, _demo_template, tmp_path):
    """Started and closed through the real entry point; the window is gone (deleted, as
    a person's close leaves it) before the backup on closing is taken."""
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.cli import main
    from desktop.store.database import backup_database
    from desktop.ui.i18n import install_translators
    from desktop.ui.main_window import MainWindow

    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    database = tmp_path / "app.sqlite3"
    backup_database(_demo_template, database)

    def close() -> None:
        windows = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, MainWindow) and w.isVisible()]  # fmt: skip
        if not windows:
            QTimer.singleShot(0, close)
            return
        windows[0].close()
        windows[0].deleteLater()

    QTimer.singleShot(0, close)
    try:
        assert main(["--db", str(database)]) == 0
    finally:
        install_translators(qapp, "en")  # other modules expect no translator installed
    assert [b.kind for b in backups.list_backups(database)] == [BackupKind.ON_CLOSE]
