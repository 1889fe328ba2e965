"""Reviews as the window shows and does them — the presenter without a window, and
the review screen asking the database only when what it shows changed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from desktop.domain.model import Group, PeriodKind, ReportRef
from desktop.domain.review import Role, SectionState
from desktop.services import people, review
from desktop.services.changes import ReviewChanged
from desktop.ui.controller import ReportController
from desktop.ui.main_window import MainWindow
from desktop.ui.review_presenter import ReviewPresenter
from desktop.ui.settings import Settings

REF = ReportRef("13", 2024, PeriodKind.MIDYEAR)
SECTION = "2.II.3"  # 保健
OPERATIONS = "1.I.1"  # 業務
OTHER = "2.II.2"  # 保健


@pytest.fixture
def staffed(demo_db):
    people.add_user(demo_db, login="admin", display_name="管理", role=Role.ADMIN, password="a")
    for login, name, role, group, password in (
        ("staff", "担当 佐藤", Role.STAFF, None, None),
        ("hoken", "保健 鈴木", Role.SUPERVISOR, Group.HEALTH, "h-pass"),
        ("head", "支部長 山田", Role.BRANCH_HEAD, None, "head-pass"),
    ):
        people.add_user(demo_db, login=login, display_name=name, role=role, group=group,
                        password=password, admin_login="admin", admin_password="a")  # fmt: skip
    return demo_db


def _presenter(db, login: str) -> ReviewPresenter:
    controller = ReportController(db, login, "ja")
    controller.load(REF)
    return ReviewPresenter(controller)


def test_the_queue_is_what_the_reviewer_reviews_oldest_first_without_a_query(staffed, monkeypatch):
    review.submit(staffed, REF, [OTHER], login="staff")
    review.submit(staffed, REF, [OPERATIONS, SECTION], login="staff")
    supervisor = _presenter(staffed, "hoken")
    head = _presenter(staffed, "head")
    head.controller.board()  # the review board, read once with the report
    queried = []
    monkeypatch.setattr(review, "queue", lambda *a, **k: queried.append(a))
    assert [i.node_key for i in supervisor.queue()] == [OTHER, SECTION]  # 保健 only
    assert [i.node_key for i in head.queue()] == [OTHER, OPERATIONS, SECTION]
    assert head.queue()[0].submitted_by == "staff" and head.name("staff") == "担当 佐藤"
    assert _presenter(staffed, "staff").queue() == []  # staff review nothing
    assert queried == []
    # The same queue the review service reads from the database.
    monkeypatch.undo()
    assert head.queue() == review.queue(staffed, REF, login="head")


def test_a_decision_moves_the_queue_and_a_refusal_is_said(staffed):
    review.submit(staffed, REF, [OTHER, SECTION], login="staff")
    presenter = _presenter(staffed, "hoken")
    said: list[str] = []
    presenter.controller.failed.connect(said.append)
    assert presenter.approve([SECTION], "hoken", "wrong") is None
    assert said and [i.node_key for i in presenter.queue()] == [OTHER, SECTION]
    changes = presenter.approve([SECTION], "hoken", "h-pass", "確認しました")
    assert changes is not None and changes.one(ReviewChanged).state is SectionState.APPROVED
    assert [i.node_key for i in presenter.queue()] == [OTHER]
    assert presenter.controller.state(SECTION) is SectionState.APPROVED


def test_a_sections_detail_is_read_once_and_again_only_when_touched(staffed, monkeypatch):
    review.submit(staffed, REF, [SECTION], login="staff")
    presenter = _presenter(staffed, "hoken")
    reads: list[str] = []
    real = review.changes_since_approval

    def counted(db, ref, key):
        reads.append(key)
        return real(db, ref, key)

    monkeypatch.setattr(review, "changes_since_approval", counted)
    first = presenter.detail(SECTION)
    assert presenter.detail(SECTION) is first and reads == [SECTION]
    # An edit elsewhere, and one in the section: only the second makes it stale.
    controller = presenter.controller
    sent = []
    controller.changed.connect(sent.append)
    controller.set_entry(OPERATIONS, "status_text", "業務の実施状況")
    assert presenter.forget(sent[-1]) == set()
    controller.set_entry(SECTION, "status_text", "保健の実施状況")
    assert presenter.forget(sent[-1]) == {SECTION}
    assert "保健の実施状況" in str(presenter.detail(SECTION).changes.texts)
    assert reads == [SECTION, SECTION]


def test_the_review_screen_asks_and_draws_only_for_what_it_shows(
    qtbot, staffed, tmp_path, monkeypatch
):
    review.submit(staffed, REF, [SECTION], login="staff")
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    settings.set_last_report("hoken", "13/2024/midyear")
    window = MainWindow(ReportController(staffed, "hoken", "ja"), settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    screen = window.review
    window.tabs.setCurrentWidget(screen)
    assert screen.selected_keys() == [SECTION]
    reads: list[str] = []
    for name in ("changes_since_approval", "thread", "queue"):
        real = getattr(review, name)
        monkeypatch.setattr(
            review,
            name,
            lambda *a, _real=real, _name=name, **k: reads.append(_name) or _real(*a, **k),
        )
    drawn: list[int] = []
    screen.changes.textChanged.connect(lambda: drawn.append(1))

    window.controller.set_entry(OPERATIONS, "status_text", "業務の実施状況")  # not shown here
    window.controller.set_entry(OTHER, "next_steps", "次の予定")
    assert reads == [] and drawn == []

    window.controller.set_entry(SECTION, "status_text", "保健の実施状況")  # the shown section
    assert reads == ["changes_since_approval", "thread"] and drawn
    assert "保健の実施状況" in screen.changes.toPlainText()
