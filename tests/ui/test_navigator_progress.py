"""The navigator's ○ / ◐ / ● by what a section holds: an entry holding only the reason
for a mark, or only 具体的な取り組み, is begun (◐), not empty (○)."""

from __future__ import annotations

import pytest

from desktop.ui.navigator import ProgressRole


def _progress(window, key: str) -> str:
    nav = window.navigator.model
    return nav.itemFromIndex(nav.index_of(key)).data(ProgressRole)


@pytest.mark.parametrize("field", ["mark_reason", "actions"])
def test_a_section_holding_only_one_written_field_is_begun(window, field):
    snap = window.controller.snapshot
    key = next(
        n.key
        for n in snap.plan.nodes
        if n.parent_key and snap.plan.is_reportable(n.key) and snap.entry(n.key).is_empty
    )
    assert _progress(window, key) == "empty"
    assert window.controller.set_entry(key, field, "書いた")
    assert _progress(window, key) == "partial"
    assert window.controller.set_entry(key, field, "")
    assert _progress(window, key) == "empty"
