"""The new target kinds travel in workbooks (format 4): a template carries the KPI
definitions (baseline and goal, monthly rule, goal in words, definition note, reference
indicator), a work file also a report's verdict by hand and old-method figure."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desktop.domain.model import PeriodKind
from desktop.workbooks.machine import Kind, Manifest, WorkbookData
from desktop.workbooks.reader import read_workbook
from desktop.workbooks.writer import write_workbook
from tests.helpers.target_plans import CHANGED, MANUAL, targets_plan

FIELDS = ("target_kind", "target", "reference_indicator", "baseline_year", "baseline_value",
          "goal_year", "target_text", "definition_note", "definition_changed")  # fmt: skip


def _data(kind: Kind) -> WorkbookData:
    plan = targets_plan()
    if kind is Kind.TEMPLATE:
        plan = replace(plan, reports=())
    manifest = Manifest(
        kind=kind,
        branch=plan.branch,
        fiscal_year=plan.fiscal_year,
        period=None if kind is Kind.TEMPLATE else PeriodKind.MIDYEAR,
        app_version="test",
        created_by="t",
        created_at=datetime(2024, 10, 1, tzinfo=UTC),
        sections=tuple(n.key for n in plan.nodes) if kind is Kind.WORK else (),
    )
    return WorkbookData(manifest=manifest, plan=plan)


@pytest.mark.parametrize("kind", [Kind.TEMPLATE, Kind.WORK], ids=lambda k: k.value)
def test_the_new_fields_round_trip(tmp_path: Path, kind: Kind):
    data = _data(kind)
    written = write_workbook(data, tmp_path / "book.xlsx")
    back = read_workbook(tmp_path / "book.xlsx")
    assert back == written
    for sent, got in zip(data.plan.kpis, back.plan.kpis, strict=True):
        assert [getattr(got, f) for f in FIELDS] == [getattr(sent, f) for f in FIELDS], sent.key
    if kind is Kind.WORK:
        figures = {m.kpi_key: m for m in back.plan.reports[0].measurements}
        assert figures[MANUAL].manual_status == "behind_pace"
        assert figures[MANUAL].manual_reason == "下期に集中して実施する"
        assert str(figures[CHANGED].old_method_value) == "99.1"
