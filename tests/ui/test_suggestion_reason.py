"""The suggested mark says in words which figures led to it: one short line with
the KPIs' names and figures (Japanese in a Japanese session), the per-KPI
reasoning under "Why?" and in the tooltip — never a KPI's internal key."""

from __future__ import annotations

from desktop.ui.section_presenter import suggestion

COLLABO = "2.II.5"  # コラボヘルスの推進: 健康宣言事業所数 short of its target in the demo


def _item(window) -> str:
    """The first item under コラボヘルスの推進, marked under the heading's KPI."""
    return window.controller.snapshot.plan.children(COLLABO)[0].key


def test_the_form_shows_the_reason_in_japanese_with_kpi_names(window, qtbot):
    form = window.form
    assert window.show_section(_item(window))
    kpi = window.controller.snapshot.plan.kpis_of(COLLABO)[0]
    line = form.suggested.text()
    assert "△" in line
    assert kpi.name[:10] in line and "事業所" in line and "未達成" in line
    assert kpi.key not in line and COLLABO not in line
    # The reasoning per KPI, folded away until asked for; also in the tooltip.
    assert form.suggestion_why.isVisibleTo(form)
    assert not form.suggestion_details.isVisibleTo(form)
    qtbot.mouseClick(form.suggestion_why, qtbot_left())
    qtbot.waitUntil(lambda: form.suggestion_details.isVisibleTo(form))
    details = form.suggestion_details.text()
    assert kpi.name in details and "目標比" in details and "目安: △" in details
    assert kpi.key not in details
    assert form.suggested.toolTip() == details

    # The figures change: the line follows at once.
    target = kpi.target
    assert target is not None
    assert window.controller.set_measurements([(kpi.key, {"value": str(target)})]) is None
    qtbot.waitUntil(lambda: "○" in form.suggested.text())
    assert "達成" in form.suggested.text() and "未達成" not in form.suggested.text()
    assert "（５）コラボヘルスの推進" in form.suggested.text()  # whose KPIs speak for the item


def test_the_reason_in_english_names_the_kpis_too(window):
    snap = window.controller.snapshot
    kpi = snap.plan.kpis_of(COLLABO)[0]
    view = suggestion(snap, _item(window), "en")
    assert kpi.name[:10] in view.reason and "not met" in view.reason
    assert any("of target" in line for line in view.details)
    assert view.details[-1].startswith("Rule: △")
    assert all(kpi.key not in line for line in (view.reason, *view.details))


def qtbot_left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
