"""The review screen through real widgets: approve, return with a comment, and the
author seeing it; approved sections read-only in the form."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from desktop.domain.model import Group
from desktop.domain.review import Role, SectionState
from desktop.services import review
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import Settings

SECTION = "1.4"  # FY2023 ④現金給付の適正化の推進, group 業務


@pytest.fixture
def people(demo_db):
    review.add_user(demo_db, login="admin", display_name="管理", role=Role.ADMIN, password="a")
    for login, name, role, group, password in (
        ("sato", "佐藤", Role.STAFF, Group.OPERATIONS, None),
        ("suzuki", "鈴木", Role.SUPERVISOR, Group.OPERATIONS, "gyomu-pass"),
    ):
        review.add_user(
            demo_db,
            login=login,
            display_name=name,
            role=role,
            group=group,
            password=password,
            admin_login="admin",
            admin_password="a",
        )
    return demo_db


def open_window(qtbot, db, tmp_path: Path, login: str) -> MainWindow:
    settings = Settings(QSettings(str(tmp_path / f"{login}.ini"), QSettings.Format.IniFormat))
    settings.set_last_report(login, "13/2023/midyear")
    w = MainWindow(db, login, settings, "ja")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_submit_return_comment_and_approve(qtbot, people, tmp_path):
    author = open_window(qtbot, people, tmp_path, "sato")
    assert author.show_section(SECTION)
    form = author.form
    assert form.submit_button.isEnabled()
    qtbot.mouseClick(form.submit_button, Qt.MouseButton.LeftButton)
    assert author.controller.state(SECTION) is SectionState.SUBMITTED
    assert "確認待ち" in form.review_state.text()

    boss = open_window(qtbot, people, tmp_path, "suzuki")
    screen = boss.review
    boss.tabs.setCurrentWidget(screen)
    assert screen.reviewer_login == "suzuki"
    assert screen.selected_keys() == [SECTION]
    assert "柔道整復" in screen.changes.toPlainText()  # the live KPI status is shown
    screen.ask_password = lambda who: "gyomu-pass"
    screen.comment.setPlainText("8月時点の件数を追記してください")
    qtbot.mouseClick(screen.return_button, Qt.MouseButton.LeftButton)
    assert review.section_states(people, boss.controller.snapshot.ref)[SECTION] is (
        SectionState.RETURNED
    )
    assert screen.queue.count() == 0

    # The author sees the comment in the review thread of the section.
    author._open_selected()
    assert author.controller.state(SECTION) is SectionState.RETURNED
    thread = review.thread(people, author.controller.snapshot.ref, SECTION)
    assert thread[-1].text == "8月時点の件数を追記してください" and thread[-1].author == "suzuki"
    author.controller.set_entry(SECTION, "status_text", "文書照会 9,073件（8月時点）")
    qtbot.mouseClick(author.form.submit_button, Qt.MouseButton.LeftButton)

    boss.controller.load(boss.controller.snapshot.ref)
    assert screen.selected_keys() == [SECTION]
    assert "9,073件（8月時点）" in screen.changes.toPlainText()
    screen.ask_password = lambda who: "wrong"
    qtbot.mouseClick(screen.approve_button, Qt.MouseButton.LeftButton)
    assert boss.controller.state(SECTION) is SectionState.SUBMITTED  # refused, nothing changed
    screen.ask_password = lambda who: "gyomu-pass"
    boss.activateWindow()
    qtbot.waitUntil(boss.isActiveWindow, timeout=2000)
    screen.queue.setFocus()
    qtbot.keyClick(screen.queue, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert boss.controller.state(SECTION) is SectionState.APPROVED

    # Approved content is read-only in the author's form.
    author._open_selected()
    assert author.show_section(SECTION)
    assert author.form.status_text.isReadOnly()
    assert not author.form.mark.isEnabled()
    assert not author.form.submit_button.isEnabled()


def test_approve_several_at_once_with_one_confirmation(qtbot, people, tmp_path):
    author = open_window(qtbot, people, tmp_path, "sato")
    ref = author.controller.snapshot.ref
    review.submit(people, ref, ["1.2", "1.3", "1.4"], login="sato")
    boss = open_window(qtbot, people, tmp_path, "suzuki")
    screen = boss.review
    assert screen.queue.count() == 3
    screen.queue.selectAll()
    asked = []
    screen.confirm = lambda question: asked.append(question) or True
    screen.ask_password = lambda who: "gyomu-pass"
    qtbot.mouseClick(screen.approve_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1 and "3" in asked[0]
    states = review.section_states(people, ref)
    assert [states[k] for k in ("1.2", "1.3", "1.4")] == [SectionState.APPROVED] * 3
    assert screen.queue.count() == 0


def test_audit_trail_viewer_filters_and_exports(qtbot, people, tmp_path):
    window = open_window(qtbot, people, tmp_path, "sato")
    window.controller.set_entry(SECTION, "status_text", "監査の確認")
    viewer = window.show_audit_trail()
    qtbot.addWidget(viewer)
    assert viewer.table.rowCount() >= 1
    viewer.person.setCurrentIndex(viewer.person.findData("sato"))
    viewer.field.setCurrentIndex(viewer.field.findData("status_text"))
    viewer.refresh()
    assert viewer.table.rowCount() == 1
    assert viewer.table.item(0, 7).text() == "監査の確認"
    assert viewer.table.item(0, 4).text() == SECTION
    viewer.section.setText("2.")
    viewer.refresh()
    assert viewer.table.rowCount() == 0
    folder = tmp_path / "export"
    folder.mkdir()
    viewer.section.setText("")
    viewer.refresh()
    from desktop.services import audit_trail

    path = audit_trail.export_xlsx(viewer.rows, folder / "audit.xlsx")
    assert path.stat().st_size > 0


def test_an_edit_after_reopening_shows_the_section_back_in_review(qtbot, people, tmp_path):
    author = open_window(qtbot, people, tmp_path, "sato")
    ref = author.controller.snapshot.ref
    review.submit(people, ref, [SECTION], login="sato")
    review.approve(people, ref, [SECTION], login="suzuki", password="gyomu-pass")
    review.reopen(people, ref, SECTION, login="suzuki", password="gyomu-pass", reason="訂正")
    author._open_selected()
    assert author.show_section(SECTION)
    assert "再編集中" in author.form.review_state.text()
    author.controller.set_entry(SECTION, "status_text", "訂正した")
    assert author.controller.state(SECTION) is SectionState.SUBMITTED
    assert "確認待ち" in author.form.review_state.text()
