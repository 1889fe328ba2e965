"""Signing a signed-off report's submission from the review screen (issue 17 item 1):
a report signed off before the branch had a key, or signed with a key since rotated,
is offered "Sign the submission…"; the passphrase dialog is typed into; a wrong
passphrase changes nothing and is said once; the right one signs through the one
change path (one audit entry, one change signal) and the screen names the key."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from desktop.services import audit_trail, signing_keys, submission_signing
from desktop.services.changes import SubmissionSigned
from desktop.services.signature_records import SIGN_ACTION, signature_record
from desktop.services.signing_keys import spoken
from desktop.store import audit
from desktop.ui.controller import ReportController
from desktop.ui.main_window import MainWindow
from desktop.ui.review_screen import ReviewScreen
from desktop.ui.settings import Settings
from tests.helpers.reports import REF, sign_off_all
from tests.ui.helpers import places_saying
from tests.ui.passphrase_typing import FAST, WRONG, signatures, type_passphrase


@pytest.fixture
def signed_off(demo_db):
    """Branch 13's midyear report signed off without a signature (no key then)."""
    sign_off_all(demo_db, REF, sign=True)
    return demo_db


def _review(qtbot, db, tmp_path: Path, login: str = "head") -> tuple[MainWindow, ReviewScreen]:
    settings = Settings(QSettings(str(tmp_path / f"{login}.ini"), QSettings.Format.IniFormat))
    settings.set_last_report(login, REF.key)
    window = MainWindow(ReportController(db, login, "ja"), settings)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    screen = window.review
    window.tabs.setCurrentWidget(screen)
    qtbot.waitUntil(screen.isVisible)
    return window, screen


def test_a_report_signed_off_before_the_key_is_signed_from_the_window(qtbot, signed_off, tmp_path):
    keys = signing_keys.keys_dir(signed_off.path)
    key = signing_keys.create_key(keys, "13", "the-right-one", cost=FAST)
    window, screen = _review(qtbot, signed_off, tmp_path)
    assert screen.sign_button.isVisible() and screen.sign_button.isEnabled()
    state = screen.signoff_label.text()
    assert "not signed" in state or "署名されていません" in state
    heard: list[object] = []
    window.controller.changed.connect(heard.append)

    # A wrong passphrase: nothing written, said once, in the screen.
    asked = type_passphrase(qtbot, "not-the-one")
    qtbot.mouseClick(screen.sign_button, Qt.MouseButton.LeftButton)
    assert asked == [False]
    said = screen.notice.text().removeprefix("✖").strip()
    assert any(w in said for w in WRONG)
    assert places_saying(said) == ["reviewNotice"]
    assert signature_record(signed_off, REF) is None and signatures(signed_off) == 0
    assert heard == [] and screen.sign_button.isVisible()

    # The right one: signed by this PC's key, one audit entry, one change signal.
    type_passphrase(qtbot, "the-right-one")
    qtbot.mouseClick(screen.sign_button, Qt.MouseButton.LeftButton)
    record = signature_record(signed_off, REF)
    assert record is not None and record.signing_key == key.fingerprint
    assert signatures(signed_off) == 1
    (entry,) = [e for e in audit_trail.entries(signed_off) if e.action == SIGN_ACTION]
    assert entry.actor == "head" and entry.entity_key == REF.key
    assert len(heard) == 1 and [r.key for r in heard[0].of(SubmissionSigned)] == [key.fingerprint]
    assert spoken(key.fingerprint) in screen.signoff_label.text()
    assert spoken(key.fingerprint) in screen.notice.text()
    assert not screen.sign_button.isVisible()
    with signed_off.read() as session:
        assert audit.verify_chain(session)[1] is None


def test_after_a_key_rotation_the_submission_is_signed_again_with_alt_m(qtbot, demo_db, tmp_path):
    sign_off_all(demo_db, REF, sign=False)
    keys = signing_keys.keys_dir(demo_db.path)
    old = signing_keys.create_key(keys, "13", "old-passphrase", cost=FAST)
    submission_signing.sign_off_and_sign(
        demo_db, REF, login="head", password="head-pass", passphrase="old-passphrase", keys=keys
    )
    _old, new = signing_keys.rotate_key(keys, "new-passphrase", cost=FAST)
    _window, screen = _review(qtbot, demo_db, tmp_path)
    state = screen.signoff_label.text()
    assert spoken(old.fingerprint) in state
    assert "not this PC's current key" in state or "現在の鍵ではありません" in state
    assert screen.sign_button.isVisible()

    type_passphrase(qtbot, "new-passphrase")
    screen.queue.setFocus()
    qtbot.waitUntil(screen.queue.hasFocus)
    qtbot.keyClick(screen.queue, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)  # sub&mission
    qtbot.waitUntil(lambda: not screen.sign_button.isVisible())
    record = signature_record(demo_db, REF)
    assert record is not None and record.signing_key == new.fingerprint
    assert spoken(new.fingerprint) in screen.signoff_label.text()
    assert spoken(old.fingerprint) not in screen.signoff_label.text()


def test_on_a_pc_without_a_key_the_dialog_makes_one_and_signs(qtbot, signed_off, tmp_path):
    """The key is made at PlanDesk's own cost here, as at sign-off (about half a second)."""
    keys = signing_keys.keys_dir(signed_off.path)
    _window, screen = _review(qtbot, signed_off, tmp_path)
    assert screen.sign_button.isVisible()
    asked = type_passphrase(qtbot, "a-new-passphrase", again="a-new-passphrase")
    qtbot.mouseClick(screen.sign_button, Qt.MouseButton.LeftButton)
    assert asked == [True]
    own = signing_keys.own_public_key(keys)
    assert own is not None and own.branch == "13"
    record = signature_record(signed_off, REF)
    assert record is not None and record.signing_key == own.fingerprint
    signing_keys.unlock(keys, "a-new-passphrase")
    assert not screen.sign_button.isVisible()


def test_the_action_is_offered_only_when_it_is_needed(qtbot, demo_db, tmp_path):
    """Not signed off: no button. Signed with this PC's key: no button. Someone other
    than the branch head sees it, disabled, saying why."""
    sign_off_all(demo_db, REF, sign=False)
    keys = signing_keys.keys_dir(demo_db.path)
    signing_keys.create_key(keys, "13", "the-right-one", cost=FAST)
    window, screen = _review(qtbot, demo_db, tmp_path)
    assert not screen.sign_button.isVisible()
    screen.confirm = lambda _question: True
    screen.ask_password = lambda _who: "head-pass"
    screen.ask_passphrase = lambda _create: "the-right-one"
    qtbot.mouseClick(screen.sign_off_button, Qt.MouseButton.LeftButton)
    assert signature_record(demo_db, REF) is not None
    assert not screen.sign_button.isVisible()
    signing_keys.rotate_key(keys, "another-one", cost=FAST)
    window.controller.set_actor("staff")  # another person: the screen reads again
    assert screen.sign_button.isVisible() and not screen.sign_button.isEnabled()
    tip = screen.sign_button.toolTip()
    assert "Only the branch head" in tip or "支部長" in tip
    QApplication.processEvents()
