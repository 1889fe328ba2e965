"""People management, switching user and reopen / except, through real widgets."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QSettings, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from desktop.domain.model import Group
from desktop.domain.review import Role, SectionState
from desktop.services import review
from desktop.ui.controller import ReportController
from desktop.ui.i18n import install_translators
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import Settings
from desktop.ui.users_dialog import PasswordDialog, UserEditor, UserForm, UsersDialog
from tests.ui.helpers import choose, places_saying

SECTION = "1.4"  # FY2023 ④現金給付の適正化の推進, group 業務
ADMIN = {"admin_login": "admin", "admin_password": "a"}


@pytest.fixture(autouse=True)
def japanese(qapp):
    """The app runs in Japanese; these tests read its Japanese texts. Removed again after
    each test so that other modules see the untranslated strings they expect."""
    locale = QLocale()
    install_translators(qapp, "ja")
    yield
    install_translators(qapp, "en")
    QLocale.setDefault(locale)


@pytest.fixture
def people(demo_db):
    review.add_user(demo_db, login="admin", display_name="管理", role=Role.ADMIN, password="a")
    for login, name, role, group, password in (
        ("sato", "佐藤", Role.STAFF, Group.OPERATIONS, None),
        ("suzuki", "鈴木", Role.SUPERVISOR, Group.OPERATIONS, "gyomu-pass"),
        ("tanaka", "田中", Role.BRANCH_HEAD, None, "head-pass"),
    ):
        review.add_user(
            demo_db, login=login, display_name=name, role=role, group=group, password=password,
            **ADMIN,
        )  # fmt: skip
    return demo_db


def open_window(qtbot, db, tmp_path: Path, login: str) -> MainWindow:
    settings = Settings(QSettings(str(tmp_path / f"{login}.ini"), QSettings.Format.IniFormat))
    settings.set_last_report(login, "13/2023/midyear")
    w = MainWindow(ReportController(db, login, "ja"), settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def _fill_editor(editor: UserEditor, **values: str) -> None:
    # setText, not keyClicks: typing non-ASCII through QTest aborts the process.
    for name, value in values.items():
        widget = getattr(editor, name)
        if name in ("group", "role"):
            widget.setCurrentIndex(widget.findData(value))
        else:
            widget.setText(value)


# --- the users dialog ----------------------------------------------------------------------


def test_editor_checks_passwords_before_anything_is_stored(qtbot):
    editor = UserEditor(None, "ja")
    qtbot.addWidget(editor)
    _fill_editor(editor, login="ito", display_name="伊藤", role="supervisor", group="保健")
    editor.accept()
    assert editor.result() != QDialog.DialogCode.Accepted
    assert "パスワード" in editor.message.text()
    _fill_editor(editor, password="one", password_again="two")
    editor.accept()
    assert editor.result() != QDialog.DialogCode.Accepted
    assert editor.message.text() == editor.tr("The two passwords differ.")
    _fill_editor(editor, password_again="one")
    editor.accept()
    assert editor.result() == QDialog.DialogCode.Accepted
    form = editor.form()
    assert (form.login, form.role, form.group, form.password) == (
        "ito", Role.SUPERVISOR, Group.HEALTH, "one",
    )  # fmt: skip


def test_admin_adds_changes_resets_and_deactivates_people(qtbot, people):
    dialog = UsersDialog(ReportController(people, "admin", "ja"))
    qtbot.addWidget(dialog)
    assert [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())] == [
        "admin", "sato", "suzuki", "tanaka",
    ]  # fmt: skip
    asked = []
    dialog.ask_admin = lambda: asked.append(1) or ("admin", "a")

    def add(user, first):
        assert user is None and not first
        editor = UserEditor(None, "ja", parent=dialog)
        _fill_editor(
            editor, login="ito", display_name="伊藤", role="supervisor", group="保健",
            password="hoken-pass", password_again="hoken-pass",
        )  # fmt: skip
        editor.accept()
        return editor.form()

    dialog.edit_user = add
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    ito = review.find_user(people, "ito")
    assert ito.role is Role.SUPERVISOR and ito.group is Group.HEALTH and ito.has_password
    assert "伊藤" in dialog.message.text()
    assert dialog.selected().login == "ito"

    def edit(user, first):
        editor = UserEditor(user, "ja", parent=dialog)
        assert editor.login.isReadOnly() and editor.display_name.text() == "伊藤"
        _fill_editor(editor, display_name="伊藤 次郎", group="レセプト")
        editor.accept()
        return editor.form()

    dialog.edit_user = edit
    qtbot.mouseClick(dialog.edit_button, Qt.MouseButton.LeftButton)
    ito = review.find_user(people, "ito")
    assert (ito.display_name, ito.group, ito.role) == ("伊藤 次郎", Group.CLAIMS, Role.SUPERVISOR)
    assert review.authenticate(people, "ito", "hoken-pass")  # kept: left empty

    def new_password(user):
        box = PasswordDialog(user, "ja", dialog)
        box.password.setText("reset-1")
        box.password_again.setText("reset-1")
        box.accept()
        assert box.result() == QDialog.DialogCode.Accepted
        return box.password.text()

    dialog.ask_new_password = new_password
    qtbot.mouseClick(dialog.password_button, Qt.MouseButton.LeftButton)
    assert review.authenticate(people, "ito", "reset-1")

    dialog.confirm = lambda question: "伊藤" in question
    qtbot.mouseClick(dialog.active_button, Qt.MouseButton.LeftButton)
    assert not review.find_user(people, "ito").active
    assert dialog.table.item(dialog.table.currentRow(), 5).text() == "いいえ"
    assert dialog.active_button.text().startswith("再有効化")
    assert len(asked) == 1  # the administrator was asked once for the whole session


def test_wrong_admin_password_changes_nothing_and_is_asked_again(qtbot, people):
    dialog = UsersDialog(ReportController(people, "admin", "ja"))
    qtbot.addWidget(dialog)
    answers = iter([("admin", "wrong"), ("suzuki", "gyomu-pass"), ("admin", "a")])
    dialog.ask_admin = lambda: next(answers)
    dialog.confirm = lambda question: True
    dialog.select("sato")
    qtbot.mouseClick(dialog.active_button, Qt.MouseButton.LeftButton)
    assert "パスワードが違います" in dialog.message.text()
    qtbot.mouseClick(dialog.active_button, Qt.MouseButton.LeftButton)  # not an admin
    assert "管理者" in dialog.message.text()
    assert review.find_user(people, "sato").active
    qtbot.mouseClick(dialog.active_button, Qt.MouseButton.LeftButton)
    assert not review.find_user(people, "sato").active


def test_the_last_admin_is_refused_with_a_message(qtbot, people):
    dialog = UsersDialog(ReportController(people, "admin", "ja"))
    qtbot.addWidget(dialog)
    dialog.ask_admin = lambda: ("admin", "a")
    dialog.confirm = lambda question: True
    dialog.select("admin")
    qtbot.mouseClick(dialog.active_button, Qt.MouseButton.LeftButton)
    assert "最後の管理者" in dialog.message.text()
    assert review.find_user(people, "admin").active


def test_the_first_person_becomes_admin_without_credentials(qtbot, db):
    dialog = UsersDialog(ReportController(db, "yamada", "ja"))
    qtbot.addWidget(dialog)
    dialog.ask_admin = lambda: pytest.fail("nobody to ask yet")

    def first_person(user, first):
        assert first
        editor = UserEditor(None, "ja", first=True, parent=dialog)
        assert not editor.role.isEnabled() and editor.role.currentData() == "admin"
        _fill_editor(editor, login="yamada", display_name="山田", password="p", password_again="p")
        editor.accept()
        return editor.form()

    dialog.edit_user = first_person
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert review.find_user(db, "yamada").role is Role.ADMIN


def test_manage_users_is_in_the_users_menu(qtbot, people, tmp_path):
    window = open_window(qtbot, people, tmp_path, "admin")
    menus = {a.text(): a.menu() for a in window.menuBar().actions()}
    users_menu = next(m for text, m in menus.items() if "ユーザー" in text)
    texts = [a.text() for a in users_menu.actions()]
    assert any("切替" in t for t in texts) and any("管理" in t for t in texts)
    dialog = window.show_users()
    qtbot.addWidget(dialog)
    assert dialog.isVisible() and dialog.table.rowCount() == 4
    # A change to the person at the PC shows at once in the status bar.
    dialog.edit_user = lambda user, first: UserForm("admin", "管理 花子", Role.ADMIN, None, None)
    dialog.ask_admin = lambda: ("admin", "a")
    dialog.select("admin")
    qtbot.mouseClick(dialog.edit_button, Qt.MouseButton.LeftButton)
    assert "管理 花子" in window.user_label.text()


# --- switching user -------------------------------------------------------------------------


def test_switch_to_a_supervisor_shows_their_queue(qtbot, people, tmp_path):
    window = open_window(qtbot, people, tmp_path, "sato")
    assert "佐藤（担当者・業務）" in window.user_label.text()
    assert window.switch_button.isVisible()
    ref = window.controller.snapshot.ref
    assert window.show_section(SECTION)
    qtbot.mouseClick(window.form.submit_button, Qt.MouseButton.LeftButton)
    assert window.controller.state(SECTION) is SectionState.SUBMITTED
    assert window.review.queue.count() == 0  # sato reviews nothing
    assert window.review.reviewer_login is None  # staff review nothing

    dialog = window.switch_user()
    qtbot.addWidget(dialog)
    dialog.person.setCurrentIndex(dialog.person.findData("suzuki"))
    assert dialog.password.isEnabled()
    qtbot.keyClicks(dialog.password, "wrong")
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "パスワードが違います" in dialog.message.text()
    assert window.controller.actor == "sato" and "佐藤" in window.user_label.text()

    dialog.password.clear()
    qtbot.keyClicks(dialog.password, "gyomu-pass")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert window.controller.actor == "suzuki" and window.actor == "suzuki"
    assert "鈴木（グループ長・業務）" in window.user_label.text()
    assert window.review.reviewer_login == "suzuki"
    assert window.review.selected_keys() == [SECTION]
    assert not window.form.submit_button.isEnabled()  # submitted: nothing to submit

    # Approving as suzuki is recorded in suzuki's name.
    window.review.ask_password = lambda who: "gyomu-pass"
    qtbot.mouseClick(window.review.approve_button, Qt.MouseButton.LeftButton)
    assert review.thread(people, ref, SECTION)[-1].author == "suzuki"
    assert window.form.reopen_button.isVisible()  # suzuki may reopen what they approved

    # Back to staff: no password needed, just a pick; the reopen button goes away.
    dialog = window.switch_user()
    qtbot.addWidget(dialog)
    dialog.person.setCurrentIndex(dialog.person.findData("sato"))
    assert not dialog.password.isEnabled()
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert window.controller.actor == "sato"
    assert not window.form.reopen_button.isVisible()
    assert window.review.queue.count() == 0


def test_edits_after_switching_are_in_the_new_persons_name(qtbot, people, tmp_path):
    window = open_window(qtbot, people, tmp_path, "sato")
    assert window.show_section(SECTION)
    window.controller.set_entry(SECTION, "status_text", "佐藤が書いた")
    window.set_user("tanaka")
    assert not window.controller.undo_stack.canUndo()  # sato's edit is not tanaka's to undo
    window.controller.set_entry(SECTION, "status_text", "田中が直した")
    assert window.controller.undo_stack.count() == 1
    con = sqlite3.connect(people.path)
    actors = [
        r[0]
        for r in con.execute("SELECT actor FROM audit_log WHERE field = 'status_text' ORDER BY id")
    ]
    con.close()
    assert actors[-2:] == ["sato", "tanaka"]


def test_an_unregistered_os_login_keeps_working(qtbot, people, tmp_path):
    window = open_window(qtbot, people, tmp_path, "guest")
    assert "guest" in window.user_label.text() and "未登録" in window.user_label.text()
    assert window.show_section(SECTION)
    assert window.controller.set_entry(SECTION, "status_text", "登録外でも書ける")
    assert not window.form.reopen_button.isVisible()
    assert not window.form.except_button.isVisible()
    dialog = window.switch_user()
    qtbot.addWidget(dialog)
    dialog.reject()
    assert window.controller.actor == "guest"


# --- reopen and except ---------------------------------------------------------------------


def test_reopen_with_a_reason_makes_it_editable_and_an_edit_resubmits(qtbot, people, tmp_path):
    window = open_window(qtbot, people, tmp_path, "suzuki")
    ref = window.controller.snapshot.ref
    review.submit(people, ref, [SECTION], login="sato")
    review.approve(people, ref, [SECTION], login="suzuki", password="gyomu-pass")
    choose(window.year_combo)  # the report opened again
    assert window.show_section(SECTION)
    form = window.form
    assert form.status_text.isReadOnly() and form.reopen_button.isVisible()
    assert not form.except_button.isVisible()  # only the branch head excepts

    passwords = []
    form.ask_password = lambda who: passwords.append(who) or "gyomu-pass"
    form.ask_reason = lambda question: "   "
    qtbot.mouseClick(form.reopen_button, Qt.MouseButton.LeftButton)
    assert passwords == []  # a blank reason is refused before any password
    assert "理由" in form.kpi_message.text()
    assert places_saying(form.kpi_message.text()) == ["kpiMessage"]  # once, not the status bar
    assert window.controller.state(SECTION) is SectionState.APPROVED

    form.ask_reason = lambda question: "件数の訂正"
    form.ask_password = lambda who: "wrong"
    qtbot.mouseClick(form.reopen_button, Qt.MouseButton.LeftButton)
    assert window.controller.state(SECTION) is SectionState.APPROVED

    form.ask_password = lambda who: passwords.append(who) or "gyomu-pass"
    qtbot.mouseClick(form.reopen_button, Qt.MouseButton.LeftButton)
    assert passwords == ["鈴木"]
    assert window.controller.state(SECTION) is SectionState.REOPENED
    assert not form.status_text.isReadOnly() and form.mark.isEnabled()
    assert not form.reopen_button.isVisible()
    thread = review.thread(people, ref, SECTION)
    assert (thread[-1].action, thread[-1].text) == ("reopen", "件数の訂正")

    window.controller.set_entry(SECTION, "status_text", "訂正後の件数")
    assert window.controller.state(SECTION) is SectionState.SUBMITTED
    assert "確認待ち" in form.review_state.text()


def test_branch_head_excepts_a_section_with_a_reason(qtbot, people, tmp_path):
    window = open_window(qtbot, people, tmp_path, "tanaka")
    assert window.show_section(SECTION)
    form = window.form
    assert form.except_button.isVisible()
    form.ask_reason = lambda question: ""
    form.ask_password = lambda who: pytest.fail("no password for a blank reason")
    qtbot.mouseClick(form.except_button, Qt.MouseButton.LeftButton)
    assert window.controller.state(SECTION) is SectionState.DRAFT
    form.ask_reason = lambda question: "今期は対象外"
    form.ask_password = lambda who: "head-pass"
    qtbot.mouseClick(form.except_button, Qt.MouseButton.LeftButton)
    assert window.controller.state(SECTION) is SectionState.EXCEPTED
    assert form.status_text.isReadOnly() and not form.except_button.isVisible()
    assert form.reopen_button.isVisible()  # the branch head can take it back


def test_no_switch_while_an_edit_cannot_be_stored(qtbot, people, tmp_path, monkeypatch):
    window = open_window(qtbot, people, tmp_path, "sato")
    warned = []
    monkeypatch.setattr(
        "desktop.ui.main_window.QMessageBox.warning", lambda *args: warned.append(args[2])
    )
    window.form.flush = lambda: False
    try:
        assert not window.set_user("tanaka")
    finally:  # closing asks before losing an unsaved edit: put the real flush back
        del window.form.flush
    assert warned and window.controller.actor == "sato" and "佐藤" in window.user_label.text()
