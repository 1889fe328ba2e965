"""The audit trail viewer through real widgets: words, not codes; the date fits."""

from __future__ import annotations

import pytest

from desktop.domain.model import Group, PeriodKind
from desktop.domain.review import Role
from desktop.services import editing, review
from desktop.services.editing import ReportRef
from desktop.ui.audit_viewer import AuditViewer
from desktop.ui.controller import ReportController

REF = ReportRef("13", 2024, PeriodKind.MIDYEAR)
COLUMNS = ("when", "person", "action", "what", "section", "field", "before", "after")


@pytest.fixture
def history(demo_db):
    review.add_user(demo_db, login="admin", display_name="管理 太郎", role=Role.ADMIN, password="a")
    for login, name, role, password in (
        ("sato", "佐藤 花子", Role.STAFF, None),
        ("suzuki", "鈴木 次郎", Role.SUPERVISOR, "s"),
    ):
        review.add_user(
            demo_db, login=login, display_name=name, role=role, group=Group.OPERATIONS,
            password=password, admin_login="admin", admin_password="a",
        )  # fmt: skip
    editing.set_entry_field(demo_db, REF, "1.II.2.1", "status_text", "実施した", actor="sato")
    review.submit(demo_db, REF, ["1.II.2.1"], login="sato")
    review.approve(demo_db, REF, ["1.II.2.1"], login="suzuki", password="s")
    return demo_db


def _rows(viewer: AuditViewer) -> list[dict[str, str]]:
    table = viewer.table
    return [
        {name: table.item(r, c).text() for c, name in enumerate(COLUMNS)}
        for r in range(table.rowCount())
    ]


def test_the_audit_trail_shows_names_titles_and_words(qtbot, history):
    viewer = AuditViewer(ReportController(history, "tester", "ja"), REF.key)
    qtbot.addWidget(viewer)
    viewer.show()
    qtbot.waitExposed(viewer)
    rows = _rows(viewer)
    # Newest first; an approval also records the content it approved (its own row).
    states = [row for row in rows if row["field"] == "状態"]
    approved, submitted = states[0], states[1]
    edited = next(row for row in rows if row["field"] == "実施状況")
    assert approved == {
        "when": approved["when"], "person": "鈴木 次郎", "action": "承認", "what": "確認・承認",
        "section": "①迅速な業務処理とサービススタンダードの遵守", "field": "状態",
        "before": "確認待ち", "after": "承認済み",
    }  # fmt: skip
    assert (submitted["person"], submitted["action"]) == ("佐藤 花子", "提出")
    assert (submitted["before"], submitted["after"]) == ("作成中", "確認待ち")
    assert (edited["action"], edited["field"], edited["after"]) == ("編集", "実施状況", "実施した")
    codes = {"approve", "submit", "submitted", "approved", "suzuki", "sato", "1.II.2.1", "state"}
    assert not codes & {value for row in rows for value in row.values()}
    assert viewer.table.item(0, 1).toolTip() == "suzuki"  # the login stays at hand
    # People and fields are picked by name.
    assert viewer.person.itemText(viewer.person.findData("suzuki")) == "鈴木 次郎"
    assert viewer.field.itemText(viewer.field.findData("status_text")) == "実施状況"

    # The date column fits its text.
    metrics = viewer.table.fontMetrics()
    assert viewer.table.columnWidth(0) > metrics.horizontalAdvance(approved["when"])
