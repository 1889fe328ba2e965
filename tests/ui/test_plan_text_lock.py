"""Plan text in the app follows the review lock (issue 12, A2)."""

from __future__ import annotations

from desktop.domain.review import Role, SectionState
from desktop.services import review
from tests.ui.helpers import REF

SECTION = "2.II.3"


def _people(db) -> None:
    review.add_user(db, login="admin", display_name="管理", role=Role.STAFF, password="a-pw")
    review.add_user(db, login="head", display_name="支部長", role=Role.BRANCH_HEAD,
                    password="head-pass", admin_login="admin", admin_password="a-pw")  # fmt: skip


def test_plan_text_of_an_approved_section_is_refused_and_a_reopened_one_resubmits(window, demo_db):
    _people(demo_db)
    review.submit(demo_db, REF, [SECTION], login="head")
    review.approve(demo_db, REF, [SECTION], login="head", password="head-pass")
    controller = window.controller
    controller.load(REF)
    messages: list[str] = []
    controller.failed.connect(messages.append)
    assert not controller.set_plan_text(SECTION, "承認後に書き換え")
    assert messages and "承認済み" in messages[-1]
    review.reopen(demo_db, REF, SECTION, login="head", password="head-pass", reason="修正")
    controller.load(REF)
    assert controller.state(SECTION) is SectionState.REOPENED
    assert controller.set_plan_text(SECTION, "再編集で書き換え")
    assert controller.state(SECTION) is SectionState.SUBMITTED  # shown as back in review
