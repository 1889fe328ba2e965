"""Sign-off in the window asks the signing passphrase (issue 17 item 1): a wrong one
is refused with nothing changed; the right one signs the submission; on a PC without
a key the dialog sets the passphrase and the key is made."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel

from desktop.services import review, signing_keys
from desktop.services.signature_records import signature_record
from desktop.services.signing_keys import KdfCost
from desktop.ui.controller import ReportController
from desktop.ui.main_window import MainWindow
from desktop.ui.passphrase_dialog import PassphraseDialog
from desktop.ui.settings import Settings
from tests.helpers.reports import REF, sign_off_all
from tests.ui.helpers import when_shown

FAST = KdfCost(n=2**10)


@pytest.fixture
def ready(demo_db):
    """Branch 13's midyear report with every section approved, not signed off yet."""
    sign_off_all(demo_db, REF, sign=False)
    return demo_db


def _screen(qtbot, db, tmp_path: Path):
    settings = Settings(QSettings(str(tmp_path / "head.ini"), QSettings.Format.IniFormat))
    settings.set_last_report("head", REF.key)
    window = MainWindow(ReportController(db, "head", "ja"), settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    screen = window.review
    window.tabs.setCurrentWidget(screen)
    screen.confirm = lambda _question: True
    screen.ask_password = lambda _who: "head-pass"
    qtbot.waitUntil(screen.sign_off_button.isEnabled)
    return screen


def test_a_wrong_passphrase_is_refused_and_the_right_one_signs(qtbot, ready, tmp_path):
    keys = signing_keys.keys_dir(ready.path)
    signing_keys.create_key(keys, "13", "the-right-one", cost=FAST)
    screen = _screen(qtbot, ready, tmp_path)
    asked: list[bool] = []
    screen.ask_passphrase = lambda create: asked.append(create) or "not-the-one"
    qtbot.mouseClick(screen.sign_off_button, Qt.MouseButton.LeftButton)
    assert asked == [False]
    assert (
        "Wrong passphrase" in screen.notice.text()
        or "パスフレーズが違います" in screen.notice.text()
    )
    assert review.signed_off(ready, REF) is None and signature_record(ready, REF) is None

    screen.ask_passphrase = lambda create: "the-right-one"
    qtbot.mouseClick(screen.sign_off_button, Qt.MouseButton.LeftButton)
    assert review.signed_off(ready, REF) is not None
    record = signature_record(ready, REF)
    assert (
        record is not None and record.signing_key == signing_keys.own_public_key(keys).fingerprint
    )


def test_cancelling_the_passphrase_changes_nothing(qtbot, ready, tmp_path):
    signing_keys.create_key(signing_keys.keys_dir(ready.path), "13", "the-right-one", cost=FAST)
    screen = _screen(qtbot, ready, tmp_path)
    screen.ask_passphrase = lambda create: None
    qtbot.mouseClick(screen.sign_off_button, Qt.MouseButton.LeftButton)
    assert review.signed_off(ready, REF) is None


def test_the_dialog_asks_for_the_passphrase_and_signs(qtbot, ready, tmp_path):
    """The real dialog, typed into: first sign-off on this PC sets the passphrase twice
    (a mismatch is said in the dialog), and the key is made at PlanDesk's own cost."""
    keys = signing_keys.keys_dir(ready.path)
    screen = _screen(qtbot, ready, tmp_path)
    seen: list[str] = []

    def fill(dialog: PassphraseDialog) -> None:
        assert dialog.again.isVisible()  # setting a new passphrase: twice
        qtbot.keyClicks(dialog.passphrase, "new-passphrase")
        qtbot.keyClicks(dialog.again, "new-passphrasX")
        dialog.accept()
        seen.append(dialog.problem.text())
        assert dialog.isVisible()
        dialog.again.clear()
        qtbot.keyClicks(dialog.again, "new-passphrase")
        dialog.accept()

    when_shown(PassphraseDialog, fill)
    qtbot.mouseClick(screen.sign_off_button, Qt.MouseButton.LeftButton)
    assert seen == ["The two passphrases differ."] or seen == ["2 つのパスフレーズが一致しません。"]
    assert review.signed_off(ready, REF) is not None
    assert signing_keys.own_public_key(keys) is not None
    assert signature_record(ready, REF) is not None
    signing_keys.unlock(keys, "new-passphrase")


def test_the_dialog_for_an_existing_key_asks_once(qtbot):
    dialog = PassphraseDialog(False)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.again.isVisible()
    dialog.accept()
    assert dialog.problem.isVisible() and dialog.isVisible()  # empty: says so
    qtbot.keyClicks(dialog.passphrase, "x")
    dialog.accept()
    assert not dialog.isVisible() and dialog.value() == "x"


def test_the_import_dialog_warns_of_an_unsigned_template(qtbot, demo_db, tmp_path):
    from desktop.services import exchange
    from desktop.ui.import_dialog import ImportDialog
    from desktop.workbooks.machine import Kind

    path = exchange.export_workbook(
        demo_db, branch="00", fiscal_year=2025, kind=Kind.TEMPLATE, out=tmp_path, actor="hq"
    ).path
    preview = exchange.preview_import(demo_db, path, exchange.Expectation(kinds=(Kind.TEMPLATE,)))
    dialog = ImportDialog(preview, "ja")
    qtbot.addWidget(dialog)
    notes = dialog.findChild(QLabel, "importNotes")
    assert "電子署名のないファイルです" in notes.text()
