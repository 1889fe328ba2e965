"""The review screen through real widgets: approve, return with a comment, and the
author seeing it; approved sections read-only in the form."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from desktop.domain.model import Group
from desktop.domain.review import Role, SectionState
from desktop.services import review, signing_keys
from desktop.services.signing_keys import KdfCost
from desktop.ui.controller import ReportController
from desktop.ui.main_window import MainWindow
from desktop.ui.review_screen import KeyRole
from desktop.ui.settings import Settings
from tests.ui.helpers import choose

FAST = KdfCost(n=2**10)
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
    w = MainWindow(ReportController(db, login, "ja"), settings)
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
    choose(author.year_combo)  # the author opens the report again
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
    qtbot.waitUntil(boss.isActiveWindow, timeout=10_000)
    screen.queue.setFocus()
    qtbot.keyClick(screen.queue, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert boss.controller.state(SECTION) is SectionState.APPROVED

    # Approved content is read-only in the author's form.
    choose(author.year_combo)  # the author opens the report again
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
    assert viewer.table.item(0, 4).text() == "④現金給付の適正化の推進"
    assert SECTION in viewer.table.item(0, 4).toolTip()  # the key, for whoever needs it
    viewer.section.setText("2.")
    viewer.refresh()
    assert viewer.table.rowCount() == 0
    folder = tmp_path / "export"
    folder.mkdir()
    viewer.section.setText("")
    viewer.refresh()
    from desktop.services import audit_trail

    path = audit_trail.export_xlsx(people, viewer.rows, folder / "audit.xlsx")
    assert path.stat().st_size > 0


def test_an_edit_after_reopening_shows_the_section_back_in_review(qtbot, people, tmp_path):
    author = open_window(qtbot, people, tmp_path, "sato")
    ref = author.controller.snapshot.ref
    review.submit(people, ref, [SECTION], login="sato")
    review.approve(people, ref, [SECTION], login="suzuki", password="gyomu-pass")
    review.reopen(people, ref, SECTION, login="suzuki", password="gyomu-pass", reason="訂正")
    choose(author.year_combo)  # the author opens the report again
    assert author.show_section(SECTION)
    assert "再編集中" in author.form.review_state.text()
    author.controller.set_entry(SECTION, "status_text", "訂正した")
    assert author.controller.state(SECTION) is SectionState.SUBMITTED
    assert "確認待ち" in author.form.review_state.text()


# --- sign-off: why not yet, before anything is asked ------------------------------------


@pytest.fixture
def head(people):
    review.add_user(
        people, login="tanaka", display_name="田中 支部長", role=Role.BRANCH_HEAD,
        password="head-pass", admin_login="admin", admin_password="a",
    )  # fmt: skip
    return people


@pytest.fixture
def japanese(qapp):
    """The app's Japanese translation, as the app installs it (tests run untranslated)."""
    from PySide6.QtCore import QLocale

    from desktop.ui.i18n import install_translators

    locale = QLocale()
    assert install_translators(qapp, "ja")
    yield
    install_translators(qapp, "en")
    QLocale.setDefault(locale)


def _all_but_three(db, ref) -> tuple[str, list[str]]:
    """Every section approved except one submitted and two drafts."""
    keys = list(review.section_states(db, ref))
    submitted, drafts = keys[5], [keys[0], keys[-1]]
    handed_in = [k for k in keys if k not in drafts]
    review.submit(db, ref, handed_in, login="sato")
    review.approve(
        db, ref, [k for k in handed_in if k != submitted], login="tanaka", password="head-pass"
    )
    return submitted, drafts


def test_sign_off_says_why_not_before_asking_and_leads_to_the_sections(
    qtbot, head, tmp_path, japanese
):
    author = open_window(qtbot, head, tmp_path, "sato")
    ref = author.controller.snapshot.ref
    submitted, drafts = _all_but_three(head, ref)
    boss = open_window(qtbot, head, tmp_path, "tanaka")
    screen = boss.review
    boss.tabs.setCurrentWidget(screen)
    asked: list[str] = []
    screen.ask_password = lambda who: asked.append(who) or "head-pass"
    screen.confirm = lambda question: asked.append(question) or True

    button = screen.sign_off_button
    assert button.text() == "決裁できません：未承認 3 項目"
    assert not button.isEnabled()
    assert screen.blockers.isVisible()
    listed = [screen.blockers.item(i).data(KeyRole) for i in range(screen.blockers.count())]
    plan = boss.controller.snapshot.plan
    assert listed == [drafts[0], submitted, drafts[1]]  # in the plan's order
    first = screen.blockers.item(0).text()
    assert plan.node(drafts[0]).display_title in first and "作成中" in first
    assert "確認待ち" in screen.blockers.item(1).text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    button.clicked.emit()  # any other way in is refused before a question, too
    assert asked == [] and review.signed_off(head, ref) is None
    assert "3" in screen.notice.text() and screen.notice.isVisible()

    # A draft opens in the Sections tab; a submitted one is selected in the queue.
    screen.blockers.setCurrentRow(0)
    screen.blockers.itemActivated.emit(screen.blockers.item(0))
    assert boss.tabs.currentIndex() == 0
    assert boss.navigator.current_key() == drafts[0]
    assert boss.form.node is not None and boss.form.node.key == drafts[0]
    boss.tabs.setCurrentWidget(screen)
    screen.blockers.itemActivated.emit(screen.blockers.item(1))
    assert boss.tabs.currentWidget() is screen
    assert screen.selected_keys() == [submitted]

    # Approved here: the list shrinks and the button follows.
    qtbot.mouseClick(screen.approve_button, Qt.MouseButton.LeftButton)
    assert asked == ["田中 支部長"]
    assert button.text() == "決裁できません：未承認 2 項目"
    assert screen.blockers.count() == 2
    for key in drafts:
        review.except_section(
            head, ref, key, login="tanaka", password="head-pass", reason="今期は実施なし"
        )
    boss.controller.load(ref)
    assert button.isEnabled() and button.text() == "報告を決裁…"
    assert not screen.blockers.isVisible()
    asked.clear()
    # The branch's signing key (a low scrypt cost for the test); its passphrase is asked
    # after the password (tests/ui/test_sign_off_passphrase.py: the dialog).
    signing_keys.create_key(signing_keys.keys_dir(head.path), "13", "passphrase-13", cost=FAST)
    screen.ask_passphrase = lambda create: asked.append(f"passphrase {create}") or "passphrase-13"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert asked == ["報告全体を決裁しますか？", "田中 支部長", "passphrase False"]
    assert review.signed_off(head, ref) is not None
    assert not button.isEnabled()
    assert "田中 支部長" in screen.signoff_label.text()  # a name, not a login
    assert "提出版" in screen.notice.text() or "書き出し" in screen.notice.text()


def test_a_supervisor_is_told_only_the_branch_head_signs_off(qtbot, head, tmp_path):
    boss = open_window(qtbot, head, tmp_path, "suzuki")
    screen = boss.review
    asked: list[str] = []
    screen.ask_password = lambda who: asked.append(who) or "gyomu-pass"
    screen.confirm = lambda question: asked.append(question) or True
    assert not screen.sign_off_button.isEnabled()
    assert "branch head" in screen.sign_off_button.toolTip()
    screen.sign_off_button.clicked.emit()  # even if it reached the action
    assert asked == []


# --- every decision is confirmed in the screen, and the queue moves on ----------------


def test_approving_and_returning_are_confirmed_and_the_queue_moves_on(qtbot, people, tmp_path):
    author = open_window(qtbot, people, tmp_path, "sato")
    ref = author.controller.snapshot.ref
    review.submit(people, ref, ["1.2", "1.3", "1.4"], login="sato")
    boss = open_window(qtbot, people, tmp_path, "suzuki")
    screen = boss.review
    boss.tabs.setCurrentWidget(screen)
    screen.ask_password = lambda who: "gyomu-pass"
    plan = boss.controller.snapshot.plan
    assert not screen.notice.isVisible()
    screen.queue.setCurrentRow(1)
    assert screen.selected_keys() == ["1.3"]
    qtbot.mouseClick(screen.approve_button, Qt.MouseButton.LeftButton)
    assert boss.controller.state("1.3") is SectionState.APPROVED
    notice = screen.notice.text()
    assert screen.notice.isVisible() and notice.startswith("✔")
    assert f"Approved: {plan.node('1.3').display_title}." in notice
    # The next section is selected (the one after the approved one) and named.
    assert screen.selected_keys() == ["1.4"]
    assert plan.node("1.4").display_title in notice and "2 waiting" in notice

    screen.comment.setPlainText("出典を追記してください")
    qtbot.mouseClick(screen.return_button, Qt.MouseButton.LeftButton)
    assert boss.controller.state("1.4") is SectionState.RETURNED
    assert "Returned" in screen.notice.text() and screen.notice.text().startswith("✔")
    assert screen.selected_keys() == ["1.2"]

    # A refusal shows in the screen, not only in the status bar.
    screen.ask_password = lambda who: "wrong"
    qtbot.mouseClick(screen.approve_button, Qt.MouseButton.LeftButton)
    assert screen.notice.text().startswith("✖") and "パスワード" in screen.notice.text()
    screen.ask_password = lambda who: "gyomu-pass"
    qtbot.mouseClick(screen.approve_button, Qt.MouseButton.LeftButton)
    assert "Nothing else waits for your review." in screen.notice.text()


def test_the_reason_for_a_mark_is_a_field_of_its_own_in_the_review(qtbot, people, tmp_path):
    """Under the mark it explains, apart from 実施状況 and 今後の実施予定等."""
    author = open_window(qtbot, people, tmp_path, "sato")
    reason = "部位ころがしの照会が遅れたため"
    for field, value in (("mark", "×"), ("mark_reason", reason), ("next_steps", "下期に照会する")):
        assert author.controller.set_entry(SECTION, field, value)
    assert author.show_section(SECTION)
    qtbot.mouseClick(author.form.submit_button, Qt.MouseButton.LeftButton)

    boss = open_window(qtbot, people, tmp_path, "suzuki")
    boss.tabs.setCurrentWidget(boss.review)
    text = boss.review.changes.toPlainText()
    mark, named, steps = text.index("→ ×"), text.index("評価の理由"), text.index("今後の実施予定等")
    assert text.index("実施状況") < mark < named < steps
    assert reason in text[named:steps]
    assert reason not in text[:named] + text[steps:]
