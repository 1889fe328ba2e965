"""The window's views follow the controller's one change signal, and nothing else.

A review action, an import and a rollover are each done through the window as a
person does them. Each must reach the views by exactly one ``changed`` emission
(no report reloaded, no plans re-listed by name), after which the navigator, the
section form, the dashboard, the review queue and the pickers show exactly what a
window opened afresh on the same database shows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QAbstractItemModel, QModelIndex, QSettings, Qt
from PySide6.QtWidgets import QApplication

from desktop.domain.model import PeriodKind, ReportRef
from desktop.domain.review import Role, SectionState
from desktop.services import editing, people, review
from desktop.services.changes import Changes, ReviewChanged
from desktop.store.database import Database
from desktop.ui.controller import ReportController
from desktop.ui.main_window import MainWindow
from desktop.ui.review_screen import KeyRole
from desktop.ui.settings import Settings
from tests.helpers.reports import group_pc_file

REF = ReportRef("13", 2024, PeriodKind.MIDYEAR)
SECTION = "2.II.3"  # 保健: its own texts and KPIs
OTHER = "2.II.2"
KPI = "2.II.3.k1"


@pytest.fixture
def staffed(demo_db):
    people.add_user(demo_db, login="admin", display_name="管理", role=Role.ADMIN, password="a")
    for login, name, role, password in (
        ("head", "支部長 山田", Role.BRANCH_HEAD, "head-pass"),
        ("staff", "担当 佐藤", Role.STAFF, None),
    ):
        people.add_user(demo_db, login=login, display_name=name, role=role, password=password,
                        admin_login="admin", admin_password="a")  # fmt: skip
    return demo_db


def _settings(tmp_path: Path, login: str) -> Settings:
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    settings.set_last_report(login, "13/2024/midyear")
    settings.set_last_section(login, REF.key, SECTION)
    return settings


def _open(qtbot, db: Database, settings: Settings, login: str) -> MainWindow:
    window = MainWindow(ReportController(db, login, "ja"), settings)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    return window


def _cells(model: QAbstractItemModel, parent: QModelIndex | None = None) -> list[Any]:
    """Every cell's text and tooltip, depth first (trees too)."""
    parent = parent or QModelIndex()
    out: list[Any] = []
    for row in range(model.rowCount(parent)):
        for column in range(model.columnCount(parent)):
            index = model.index(row, column, parent)
            out.append((index.data(), index.data(Qt.ItemDataRole.ToolTipRole)))
        out.extend(_cells(model, model.index(row, 0, parent)))
    return out


def view_state(window: MainWindow) -> dict[str, Any]:
    """What a person sees in each view (each tab brought on screen in turn)."""
    QApplication.processEvents()
    form = window.form
    combos = (window.branch_combo, window.year_combo, window.period_combo)
    state: dict[str, Any] = {
        "pickers": [([c.itemText(i) for i in range(c.count())], c.currentText()) for c in combos],
        "title": window.windowTitle(),
        "navigator": _cells(window.navigator.model),
        "section": window.navigator.current_key(),
        "form": {
            "node": form.node.key if form.node else None,
            "review": (form.review_state.text(), form.review_state.isVisibleTo(form)),
            "buttons": [
                (b.isVisibleTo(form), b.isEnabled())
                for b in (form.submit_button, form.reopen_button, form.except_button)
            ],
            "texts": [(t.toPlainText(), t.isReadOnly()) for t in form.text_fields],
            "mark": (form.mark.currentData(), form.mark.isEnabled()),
            "suggested": form.suggested.text(),
            "kpis": _cells(form.kpi_model),
            "monthly": _cells(form.monthly_model),
        },
    }
    window.tabs.setCurrentWidget(window.dashboard)
    QApplication.processEvents()
    board = window.dashboard
    state["dashboard"] = {
        "table": _cells(board.model),
        "complete": board.completeness.text(),
        "marks": board.marks.text(),
    }
    window.tabs.setCurrentWidget(window.review)
    QApplication.processEvents()
    screen = window.review
    state["review"] = {
        "reviewer": screen.reviewer.text(),
        "queue": [screen.queue.item(i).text() for i in range(screen.queue.count())],
        "selected": screen.selected_keys(),
        "sign_off": (screen.sign_off_button.text(), screen.sign_off_button.isEnabled()),
        "blockers": [screen.blockers.item(i).text() for i in range(screen.blockers.count())],
        "changes": screen.changes.toPlainText(),
        "thread": screen.thread.toPlainText(),
    }
    window.tabs.setCurrentIndex(0)
    QApplication.processEvents()
    return state


class Signals:
    """Every way the controller could tell the views something, counted; and the
    window's old side route (re-listing the plans and reopening) made to fail."""

    def __init__(self, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
        self.changed: list[Changes] = []
        self.loaded = 0
        window.controller.changed.connect(self.changed.append)
        window.controller.reportLoaded.connect(self._loaded)

        def side_route() -> None:
            raise AssertionError("the window re-read the plans by name")

        monkeypatch.setattr(window, "refresh_plans", side_route)

    def _loaded(self) -> None:
        self.loaded += 1

    def one(self) -> Changes:
        assert self.loaded == 0, "the report was loaded again instead of updated"
        assert len(self.changed) == 1, f"{len(self.changed)} change signals"
        return self.changed[0]


def _same_as_a_fresh_window(qtbot, window: MainWindow, db: Database, login: str) -> None:
    after = view_state(window)
    fresh = _open(qtbot, db, window.settings, login)
    assert view_state(fresh) == after


def test_a_review_action_updates_every_view_from_the_one_signal(
    qtbot, staffed, tmp_path, monkeypatch
):
    review.submit(staffed, REF, [OTHER, SECTION], login="staff")
    window = _open(qtbot, staffed, _settings(tmp_path, "head"), "head")
    before = view_state(window)
    screen = window.review
    window.tabs.setCurrentWidget(screen)
    assert len(before["review"]["queue"]) == 2
    row = next(
        i for i in range(screen.queue.count()) if screen.queue.item(i).data(KeyRole) == SECTION
    )
    screen.queue.clearSelection()
    screen.queue.item(row).setSelected(True)
    assert screen.selected_keys() == [SECTION]
    screen.ask_password = lambda _who: "head-pass"
    signals = Signals(window, monkeypatch)

    screen.approve_button.click()

    changes = signals.one()
    assert [(r.node_key, r.state) for r in changes.of(ReviewChanged)] == [
        (SECTION, SectionState.APPROVED)
    ]
    after = view_state(window)
    assert after["review"]["queue"] != before["review"]["queue"]  # the queue followed
    assert after["form"] != before["form"]  # approved: read-only, no submit
    assert after["form"]["texts"][1][1] is True
    _same_as_a_fresh_window(qtbot, window, staffed, "head")


def _group_file(db: Database, tmp_path: Path) -> Path:
    """The 保健 group's PC changes SECTION's texts and a figure, and sends them back."""

    def edit(group: Database) -> None:
        editing.set_entry_field(group, REF, SECTION, "status_text", "保健PCで更新", actor="h")
        editing.set_entry_field(group, REF, SECTION, "mark", "◎", actor="h")
        editing.set_measurement(group, REF, KPI, value="1.25", actor="h")

    return group_pc_file(db, tmp_path, edit)


def test_an_import_updates_every_view_from_the_one_signal(qtbot, staffed, tmp_path, monkeypatch):
    """The section was reopened here: the import's edit sends it back to review, and the
    branch head's queue shows it — from the same envelope as the edits."""
    incoming = _group_file(staffed, tmp_path)
    review.submit(staffed, REF, [SECTION], login="staff")
    review.approve(staffed, REF, [SECTION], login="head", password="head-pass")
    review.reopen(staffed, REF, SECTION, login="head", password="head-pass", reason="訂正")
    window = _open(qtbot, staffed, _settings(tmp_path, "head"), "head")
    before = view_state(window)
    assert before["form"]["node"] == SECTION and before["review"]["queue"] == []
    window.ask_open_file = lambda _title: str(incoming)
    dialog = window.import_workbook()
    signals = Signals(window, monkeypatch)

    dialog.ok.click()

    changes = signals.one()
    assert {type(r).__name__ for r in changes.records} >= {"EntryChanged", "MeasurementChanged"}
    assert changes.one(ReviewChanged).state is SectionState.SUBMITTED
    after = view_state(window)
    assert after["form"]["texts"][1][0] == "保健PCで更新"
    assert after["form"]["mark"][0] == "◎"
    assert after["navigator"] != before["navigator"]
    assert after["dashboard"]["table"] != before["dashboard"]["table"]
    assert len(after["review"]["queue"]) == 1
    _same_as_a_fresh_window(qtbot, window, staffed, "head")


def test_a_rollover_updates_every_view_from_the_one_signal(qtbot, staffed, tmp_path, monkeypatch):
    window = _open(qtbot, staffed, _settings(tmp_path, "head"), "head")
    before = view_state(window)
    dialog = window.roll_over()
    signals = Signals(window, monkeypatch)

    dialog.create()
    dialog.accept()

    changes = signals.one()
    assert {(p.branch, p.fiscal_year) for p in changes.plans} == {("13", 2025)}
    after = view_state(window)
    years, was = after["pickers"][1][0], before["pickers"][1][0]
    assert len(years) == len(was) + 1 and any("2025" in y for y in years)
    assert after["pickers"][1][1] == before["pickers"][1][1]  # still the report worked on
    assert {k: v for k, v in after.items() if k != "pickers"} == {
        k: v for k, v in before.items() if k != "pickers"
    }
    _same_as_a_fresh_window(qtbot, window, staffed, "head")
