"""Group names are words in the UI's language; the Japanese value stays the key
(stored in the database, in files and in the filters' data)."""

from __future__ import annotations

from desktop.domain.model import Group, PeriodKind, ReportRef
from desktop.ui.controller import ReportController
from desktop.ui.dashboard_model import COL, DashboardModel, GroupRole
from desktop.ui.navigator import Navigator

REF = ReportRef("13", 2024, PeriodKind.MIDYEAR)


def test_every_group_has_its_english_name_and_keeps_its_japanese_one():
    assert {g.label("en") for g in Group} == {
        "Operations",
        "Claims review",
        "Health",
        "Planning and general affairs",
    }
    assert [g.label("ja") for g in Group] == [g.value for g in Group]


def test_dashboard_shows_the_group_in_english_and_filters_by_its_key(qapp, demo_db):
    controller = ReportController(demo_db, "tester", "en")
    controller.load(REF)
    model = DashboardModel(controller)
    model.reload()
    shown = {model.index(r, COL["group"]).data() for r in range(model.rowCount())}
    keys = {model.index(r, 0).data(GroupRole) for r in range(model.rowCount())}
    assert "Health" in shown and "保健" not in shown
    assert "保健" in keys  # what the group filter compares


def test_navigator_group_filters_follow_the_language(qapp):
    navigator = Navigator()
    texts = [navigator.filter.itemText(i) for i in range(navigator.filter.count())]
    assert any(t.endswith("保健") for t in texts)
    navigator.set_lang("en")
    texts = [navigator.filter.itemText(i) for i in range(navigator.filter.count())]
    data = [navigator.filter.itemData(i) for i in range(navigator.filter.count())]
    assert any(t.endswith("Claims review") for t in texts)
    assert not any("レセプト" in t for t in texts)
    assert "group:レセプト" in data
