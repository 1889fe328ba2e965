"""Exporting a signed submission whose signature no longer fits the file (issue 17
item 1): the export dialog says why nothing was written and offers the branch head to
sign again on the spot — the review tab's passphrase dialog, typed into — and then
writes the file; a wrong passphrase is said once and changes nothing; cancelling
changes nothing and the offer still says why. The review tab says it too.

The stored signature is made honestly: a real signature by this PC's current key,
made by the real signing code while the submission was laid out as an older PlanDesk
laid it out (print layout 2; ``tests/helpers/older_layout.py``). Today's PlanDesk
prints layout 3, so the file it writes has another digest — what a PlanDesk update
does to a branch that signed before it."""

from __future__ import annotations

import shutil
from pathlib import Path
from unittest.mock import patch

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialogButtonBox

from desktop.services import key_registry, signing_keys, submission_signing
from desktop.services.changes import SubmissionSigned
from desktop.services.key_registry import load_registry
from desktop.services.signature_records import signature_record
from desktop.services.signing_keys import spoken
from desktop.services.verify import verify_file
from desktop.store import audit
from desktop.ui.controller import ReportController
from desktop.ui.export_dialog import ExportDialog
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import Settings
from tests.helpers.older_layout import older_plandesk
from tests.helpers.reports import REF, sign_off_all
from tests.ui.helpers import places_saying
from tests.ui.passphrase_typing import FAST, WRONG, signatures, type_passphrase

PASS = "the-right-one"


@pytest.fixture
def outdated(demo_db):
    """Branch 13's midyear report signed off and signed by this PC's key under the
    older layout: the signature no longer fits what PlanDesk writes today."""
    sign_off_all(demo_db, REF, sign=True)
    keys = signing_keys.keys_dir(demo_db.path)
    signing_keys.create_key(keys, "13", PASS, cost=FAST)
    with older_plandesk():
        submission_signing.sign_again(demo_db, REF, login="head", passphrase=PASS, keys=keys)
    assert submission_signing.signing_state(demo_db, REF, keys).outdated
    return demo_db


def _window(qtbot, db, tmp_path: Path, login: str = "head") -> MainWindow:
    settings = Settings(QSettings(str(tmp_path / f"{login}.ini"), QSettings.Format.IniFormat))
    settings.set_last_report(login, REF.key)
    share = tmp_path / "share"
    share.mkdir(exist_ok=True)
    settings.exchange_folder = str(share)
    window = MainWindow(ReportController(db, login, "ja"), settings)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    return window


def _refused_export(qtbot, window: MainWindow) -> ExportDialog:
    """File ▸ Export workbook…, the submission chosen, Write pressed: refused, offered."""
    dialog = window.export_workbook()
    assert dialog is not None and dialog.submission.isChecked()
    qtbot.waitExposed(dialog)
    write = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(write, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.result_ is None
    qtbot.waitUntil(dialog.offer.isVisible)
    return dialog


def _files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "share").iterdir())


def test_refused_export_offers_signing_again_then_writes_a_valid_file(qtbot, outdated, tmp_path):
    keys = signing_keys.keys_dir(outdated.path)
    key = signing_keys.own_public_key(keys)
    window = _window(qtbot, outdated, tmp_path)
    # The review tab says so before anyone exports (the state lays the file out once).
    window.tabs.setCurrentWidget(window.review)
    qtbot.waitUntil(window.review.isVisible)
    state = window.review.signoff_label.text()
    assert "no longer fits" in state or "合わなくなりました" in state
    assert window.review.sign_button.isVisible()
    heard: list[object] = []
    window.controller.changed.connect(heard.append)

    dialog = _refused_export(qtbot, window)
    said = dialog.offer_text.text()
    assert "no longer fits" in said or "合わなくなった" in said
    assert "plandesk keys sign" not in said
    assert dialog.sign_again_button.isEnabled() and dialog.sign_again_button.hasFocus()
    assert _files(tmp_path) == [] and heard == []

    # A wrong passphrase: said once, in the offer; nothing written, nothing signed.
    before = signature_record(outdated, REF)
    asked = type_passphrase(qtbot, "not-the-one")
    qtbot.keyClick(dialog.sign_again_button, Qt.Key.Key_Space)
    assert asked == [False]
    problem = dialog.offer_problem.text()
    assert any(w in problem for w in WRONG)
    assert places_saying(problem) == ["signAgainProblem"]
    assert signature_record(outdated, REF) == before and signatures(outdated) == 1
    assert heard == [] and _files(tmp_path) == [] and dialog.isVisible()

    # The right one: signed again (one audit entry, one change signal), then written.
    type_passphrase(qtbot, PASS)
    qtbot.keyClick(dialog.sign_again_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert dialog.result_ is not None
    assert signatures(outdated) == 2
    assert len(heard) == 1 and [r.key for r in heard[0].of(SubmissionSigned)] == [key.fingerprint]
    (written,) = _files(tmp_path)
    assert written == dialog.result_.path
    message = window.statusBar().currentMessage()
    assert str(written) in message and spoken(key.fingerprint) in message
    # The review tab follows the one signal: signed with the current key, fitting.
    assert not window.review.sign_button.isVisible()
    assert "no longer fits" not in window.review.signoff_label.text()
    assert "合わなくなりました" not in window.review.signoff_label.text()

    hq = tmp_path / "hq" / "keys"
    signing_keys.export_public_key(keys, tmp_path / "13.pub.json")
    key_registry.import_key(hq, tmp_path / "13.pub.json")
    verdict = verify_file(written, load_registry(hq))
    assert verdict.ok, verdict.problems_en
    assert verdict.data.manifest.signing_key == key.fingerprint
    with outdated.read() as session:
        assert audit.verify_chain(session)[1] is None


def test_cancelling_the_passphrase_changes_nothing(qtbot, outdated, tmp_path):
    window = _window(qtbot, outdated, tmp_path)
    heard: list[object] = []
    window.controller.changed.connect(heard.append)
    dialog = _refused_export(qtbot, window)
    said = dialog.offer_text.text()
    before = signature_record(outdated, REF)
    asked = type_passphrase(qtbot, None)
    qtbot.mouseClick(dialog.sign_again_button, Qt.MouseButton.LeftButton)
    assert asked == [False]
    assert signature_record(outdated, REF) == before and signatures(outdated) == 1
    assert heard == [] and _files(tmp_path) == []
    # Still open, still saying why nothing was written; no problem said.
    assert dialog.isVisible() and dialog.offer.isVisible()
    assert dialog.offer_text.text() == said and not dialog.offer_problem.isVisible()
    # Writing again is refused the same way and offered again.
    write = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(write, Qt.MouseButton.LeftButton)
    assert dialog.offer.isVisible() and _files(tmp_path) == []
    dialog.reject()


def test_someone_else_is_told_who_can_sign_again(qtbot, outdated, tmp_path):
    """Staff at the PC: the offer says only the branch head can, its button disabled."""
    window = _window(qtbot, outdated, tmp_path, login="staff")
    dialog = _refused_export(qtbot, window)
    said = dialog.offer_text.text()
    assert "Only the branch head" in said or "支部長だけ" in said
    assert not dialog.sign_again_button.isEnabled()
    assert signatures(outdated) == 1 and _files(tmp_path) == []
    dialog.reject()


def test_on_a_pc_without_a_key_the_offer_makes_one_signs_and_writes(qtbot, outdated, tmp_path):
    """The database was brought to a PC without the signing key (its keys folder is not
    there): the offer sets a new key's passphrase, twice, makes the key at PlanDesk's
    own cost (about half a second), signs with it and writes the file."""
    keys = signing_keys.keys_dir(outdated.path)
    shutil.rmtree(keys)
    window = _window(qtbot, outdated, tmp_path)
    dialog = _refused_export(qtbot, window)
    asked = type_passphrase(qtbot, "a-new-passphrase", again="a-new-passphrase")
    qtbot.mouseClick(dialog.sign_again_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert asked == [True]
    own = signing_keys.own_public_key(keys)
    assert own is not None and own.branch == "13"
    assert signature_record(outdated, REF).signing_key == own.fingerprint
    (written,) = _files(tmp_path)
    assert written == dialog.result_.path
    signing_keys.unlock(keys, "a-new-passphrase")


def test_choosing_another_kind_puts_the_offer_away(qtbot, outdated, tmp_path):
    window = _window(qtbot, outdated, tmp_path)
    dialog = _refused_export(qtbot, window)
    qtbot.mouseClick(dialog.work, Qt.MouseButton.LeftButton)
    assert dialog.work.isChecked() and not dialog.offer.isVisible()
    dialog.reject()


def test_the_review_tab_signs_an_outdated_signature_again(qtbot, outdated, tmp_path):
    """The tab's own "Sign the submission…" (Alt+M) takes the same case: the line then
    names the key without the warning, and export writes at once."""
    keys = signing_keys.keys_dir(outdated.path)
    key = signing_keys.own_public_key(keys)
    window = _window(qtbot, outdated, tmp_path)
    screen = window.review
    window.tabs.setCurrentWidget(screen)
    qtbot.waitUntil(screen.isVisible)
    assert screen.sign_button.isVisible() and screen.sign_button.isEnabled()
    type_passphrase(qtbot, PASS)
    screen.queue.setFocus()
    qtbot.waitUntil(screen.queue.hasFocus)
    qtbot.keyClick(screen.queue, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: not screen.sign_button.isVisible())
    line = screen.signoff_label.text()
    assert spoken(key.fingerprint) in line
    assert "no longer fits" not in line and "合わなくなりました" not in line
    assert signatures(outdated) == 2
    dialog = window.export_workbook()
    dialog.write()
    assert dialog.result_ is not None and not dialog.offer.isVisible()
    assert _files(tmp_path) == [dialog.result_.path]


def test_the_review_tabs_long_signature_line_wraps_and_the_window_fits_a_laptop(
    qtbot, outdated, tmp_path
):
    """The line saying the signature no longer fits (a fingerprint and why) is the
    longest the tab shows: wrapped, it leaves the window as narrow as a 1280-pixel
    screen allows (unwrapped, it made the window ≈1,450–1,500 pixels wide at the least)."""
    window = _window(qtbot, outdated, tmp_path)
    screen = window.review
    window.tabs.setCurrentWidget(screen)
    qtbot.waitUntil(screen.isVisible)
    assert "no longer fits" in screen.signoff_label.text()
    assert window.minimumSizeHint().width() <= 1280
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.width() == 1280)
    label = screen.signoff_label
    assert label.height() >= label.heightForWidth(label.width())  # shown whole, wrapped


def test_the_file_is_laid_out_once_not_on_every_refresh(qtbot, outdated, tmp_path):
    """Knowing whether the signature fits costs a layout (≈20 ms on the demo report,
    docs/PERFORMANCE.md): the tab does it when it first shows the signature and keeps
    the answer; refreshing the tab does not lay the file out again."""
    laid_out: list[object] = []
    fits = submission_signing.signature_fits

    def counted(db, ref):
        laid_out.append(ref)
        return fits(db, ref)

    with patch.object(submission_signing, "signature_fits", counted):
        window = _window(qtbot, outdated, tmp_path)
        screen = window.review
        window.tabs.setCurrentWidget(screen)
        qtbot.waitUntil(screen.isVisible)
        assert laid_out == [REF]
        for _ in range(3):
            screen.refresh()
        window.tabs.setCurrentIndex(0)
        window.tabs.setCurrentWidget(screen)
        assert laid_out == [REF]
        assert screen.sign_button.isVisible()  # still known: outdated
