"""The reason for a mark on the form: its own field, named for the period's scale,
beside any mark set (always for the annual self-rating), and never hidden while it
holds text (issue 16 item 4)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from tests.ui.helpers import choose, commit_text


def _settle(window, key: str) -> None:
    assert window.show_section(key)
    QApplication.processEvents()
    assert window.form.node.key == key


def test_the_reason_field_shows_beside_a_mark_and_keeps_its_text_in_view(window, qtbot):
    form = window.form
    snap = window.controller.snapshot
    key = next(
        n.key
        for n in snap.plan.nodes
        if snap.plan.is_reportable(n.key) and snap.entry(n.key).mark == "○"
    )
    _settle(window, key)
    assert form.reason_label.text().startswith("Reas&on for the mark")
    assert form.mark_reason.isVisibleTo(form)  # a mid-year ○: its reason can be given
    choose(form.mark, None)
    qtbot.waitUntil(lambda: window.controller.snapshot.entry(key).mark is None)
    qtbot.waitUntil(lambda: not form.mark_reason.isVisibleTo(form))  # no mark, no reason
    choose(form.mark, "○")
    qtbot.waitUntil(lambda: form.mark_reason.isVisibleTo(form))
    commit_text(form.mark_reason, "理由")
    assert form.mark_reason.flush()  # what leaving the field does
    qtbot.waitUntil(lambda: window.controller.snapshot.entry(key).mark_reason == "理由")
    choose(form.mark, None)
    qtbot.waitUntil(lambda: window.controller.snapshot.entry(key).mark is None)
    assert form.mark_reason.isVisibleTo(form)  # it holds text: never hidden
    assert window.controller.snapshot.entry(key).mark_reason == "理由"
