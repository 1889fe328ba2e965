"""Every service that stores a text checks the domain's limit for its kind."""

from __future__ import annotations

import pytest

from desktop.domain import limits
from desktop.domain.errors import UserError
from desktop.domain.model import PeriodKind, ReportRef
from desktop.domain.review import Role
from desktop.services import editing, plans, review
from desktop.services.audit_trail import entries
from desktop.services.changes import EntryChanged

REF = ReportRef("13", 2024, PeriodKind.MIDYEAR)
SECTION = "2.II.3"
KPI = "2.II.3.k1"


def _people(db) -> None:
    review.add_user(db, login="admin", display_name="管理", role=Role.STAFF, password="a-pw")
    review.add_user(db, login="head", display_name="支部長", role=Role.BRANCH_HEAD,
                    password="head-pass", admin_login="admin", admin_password="a-pw")  # fmt: skip


def _snapshot(db) -> tuple[object, int, object]:
    return plans.get_plan(db, "13", 2024), len(entries(db)), review.list_users(db)


def _too_long(kind: limits.TextKind) -> str:
    return "あ" * (kind.limit + 1)


CALLS = {
    "status_text": lambda db: editing.set_entry_field(
        db, REF, SECTION, "status_text", _too_long(limits.STATUS_TEXT), actor="a"
    ),
    "next_steps": lambda db: editing.set_entry_field(
        db, REF, SECTION, "next_steps", _too_long(limits.NEXT_STEPS), actor="a"
    ),
    "mark_reason": lambda db: editing.set_entry_field(
        db, REF, SECTION, "mark_reason", _too_long(limits.MARK_REASON), actor="a"
    ),
    "plan_text": lambda db: editing.set_plan_text(
        db, REF, SECTION, _too_long(limits.PLAN_TEXT), actor="a"
    ),
    "unavailable_reason": lambda db: editing.set_measurement(
        db, REF, KPI, unavailable_reason=_too_long(limits.UNAVAILABLE_REASON), actor="a"
    ),
    "comment": lambda db: review.add_comment(
        db, REF, SECTION, login="head", text=_too_long(limits.REVIEW_TEXT)
    ),
    "return reason": lambda db: review.return_section(
        db, REF, SECTION, login="head", password="head-pass", comment=_too_long(limits.REVIEW_TEXT)
    ),
    "login": lambda db: review.add_user(
        db, login="x" * 65, display_name="名", role=Role.STAFF,
        admin_login="admin", admin_password="a-pw",
    ),
    "display name": lambda db: review.add_user(
        db, login="x", display_name=_too_long(limits.DISPLAY_NAME), role=Role.STAFF,
        admin_login="admin", admin_password="a-pw",
    ),
    "renamed": lambda db: review.update_user(
        db, "head", display_name=_too_long(limits.DISPLAY_NAME), role=Role.BRANCH_HEAD,
        group=None, admin_login="admin", admin_password="a-pw",
    ),
    "a login over two lines": lambda db: review.add_user(
        db, login="sato\nsuzuki", display_name="佐藤", role=Role.STAFF,
        admin_login="admin", admin_password="a-pw",
    ),
}  # fmt: skip


@pytest.mark.parametrize("what", CALLS)
def test_an_over_long_text_is_refused_and_nothing_changes(demo_db, what: str):
    _people(demo_db)
    before = _snapshot(demo_db)
    with pytest.raises(UserError) as err:  # a TextRefused, or a CellError naming the KPI
        CALLS[what](demo_db)
    assert "長すぎます" in err.value.message("ja") or "改行" in err.value.message("ja")
    assert _snapshot(demo_db) == before


def test_line_breaks_typed_on_windows_are_stored_as_newlines(demo_db):
    change = editing.set_entry_field(demo_db, REF, SECTION, "status_text", "a\r\nb\rc", actor="a")
    assert change.one(EntryChanged).entry.status_text == "a\nb\nc"


def test_the_limit_counts_characters_not_bytes(demo_db):
    text = "😀" * limits.STATUS_TEXT.limit  # 4 bytes and 2 UTF-16 units each
    change = editing.set_entry_field(demo_db, REF, SECTION, "status_text", text, actor="a")
    assert change.one(EntryChanged).entry.status_text == text
