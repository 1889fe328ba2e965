"""Guidance on the length of 実施状況 and 今後の実施予定等 (issue 12, B22)."""

from __future__ import annotations

from desktop.domain import limits
from desktop.services.workspace import load_report
from tests.ui.helpers import REF, commit_text, receipt_item


def test_the_count_shows_the_limit_then_hints_then_warns(window, qtbot, demo_db):
    item = receipt_item(window)
    window.show_section(item)
    field, counter = window.form.status_text, window.form.status_count
    stored = load_report(demo_db, REF).entries[item].status_text
    # (Tests run without the Japanese translation: the English source texts.)
    assert counter.text() == f"{len(stored):,} / 5,000 characters" and counter.state == "ok"
    assert "about 700 print in one cell" in counter.toolTip()

    field.setFocus()
    field.selectAll()
    commit_text(field, "あ" * 1_200)  # the length the tester typed, and more
    assert counter.state == "long"
    assert counter.text() == "1,200 / 5,000 characters · long for print"
    assert "continues over several rows" in counter.toolTip()
    qtbot.waitUntil(lambda: len(load_report(demo_db, REF).entries[item].status_text) == 1_200)

    field.selectAll()
    commit_text(field, "い" * (limits.STATUS_TEXT.limit + 1))
    assert counter.state == "over"
    assert counter.text() == "5,001 / 5,000 characters · too long to save"
    assert not field.flush()  # refused by the service: the stored text stays as it was
    assert len(load_report(demo_db, REF).entries[item].status_text) == 1_200
    assert field.is_dirty
    field.selectAll()
    commit_text(field, "短くした。")  # shortened, it is stored (and the window closes cleanly)
    assert field.flush() and counter.state == "ok"


def test_next_steps_hint_at_their_narrower_column(window):
    window.show_section(receipt_item(window))
    counter = window.form.next_count
    assert counter.kind is limits.NEXT_STEPS and "about 520 print" in counter.toolTip()
