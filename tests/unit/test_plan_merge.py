"""The plan document as text (dump_plan / parse_plan_text) and the merge of an
incoming plan with a stored one (domain/plan_merge.py): pure, no database."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from desktop.domain.merge import Outcome
from desktop.domain.model import Benchmark, PeriodKind
from desktop.domain.plan_document import PlanDocumentError, dump_plan, parse_plan_text
from desktop.domain.plan_merge import Change, holds_entered_data, merge_plan
from tests.helpers.plan_documents import with_entry

RESOURCES = Path(__file__).resolve().parents[2] / "desktop" / "resources"
BUNDLED = sorted(RESOURCES.glob("*/*.json"))


def _load(name: str):
    return parse_plan_text((RESOURCES / name).read_text(encoding="utf-8"), name)


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_dump_gives_the_plan_back_exactly(path: Path):
    plan = parse_plan_text(path.read_text(encoding="utf-8"))
    text = dump_plan(plan)
    assert parse_plan_text(text) == plan
    assert dump_plan(parse_plan_text(text)) == text
    assert text.endswith("}\n") and "\\u" not in text  # Japanese as written, not escaped


def test_decimals_survive_exactly():
    plan = _load("plans/tokyo_2024.json")
    big = Decimal("12345678901234567.89")
    kpis = (replace(plan.kpis[0], last_year_actual=big), *plan.kpis[1:])
    again = parse_plan_text(dump_plan(replace(plan, kpis=kpis)))
    assert again.kpis[0].last_year_actual == big
    assert str(again.kpis[0].last_year_actual) == "12345678901234567.89"


def test_a_figure_written_as_a_json_number_is_refused_by_its_path():
    text = dump_plan(_load("plans/tokyo_2024.json"))
    text = text.replace('"last_year_actual": "98.4"', '"last_year_actual": 98.4', 1)
    with pytest.raises(PlanDocumentError) as refused:
        parse_plan_text(text, "x.json")
    assert refused.value.where.endswith(".last_year_actual")
    assert "98.4" in refused.value.problem


def test_not_json_names_the_source():
    with pytest.raises(PlanDocumentError) as refused:
        parse_plan_text("{", "x.json")
    assert refused.value.where == "x.json" and "not valid JSON" in refused.value.problem


def test_nothing_stored_creates_the_plan_with_its_reports():
    plan = _load("plans/tokyo_2024.json")
    merge = merge_plan(None, plan)
    assert merge.creates_plan and merge.new_reports == (PeriodKind.MIDYEAR,)


def test_the_same_plan_merges_to_nothing():
    plan = _load("plans/tokyo_2024.json")
    merge = merge_plan(plan, plan)
    assert not merge.structure and not merge.new_reports
    assert {m.outcome for _p, m in merge.all_fields()} == {Outcome.SAME}


def test_fields_new_conflicting_and_left_alone():
    stored = with_entry(_load("plans/tokyo_2024.json"), "1.II.1.1", "next_steps", "")
    incoming = with_entry(stored, "1.I.1", "status_text", "ファイル")  # written here: conflict
    incoming = with_entry(incoming, "1.II.1.1", "next_steps", "予定")  # empty here: new
    incoming = with_entry(incoming, "1.I.2", "status_text", "")  # not in the file: left alone
    merge = merge_plan(stored, incoming)
    changed = {m.field: m.outcome for _p, m in merge.all_fields() if m.outcome is not Outcome.SAME}
    assert changed == {
        "entry/1.I.1/status_text": Outcome.CONFLICT,
        "entry/1.II.1.1/next_steps": Outcome.NEW,
        "entry/1.I.2/status_text": Outcome.KEEP,
    }


def test_structure_changes_are_named():
    stored = _load("templates/hq_2025.json")
    kpi = stored.kpis[0]
    node = stored.nodes[-1]
    incoming = replace(
        stored,
        title="別の題",
        kpis=(replace(kpi, target=Decimal("1")), *stored.kpis[1:]),
        nodes=tuple(n for n in stored.nodes if n.key != node.key),
    )
    changes = {(c.kind, c.key, c.change): c.fields for c in merge_plan(stored, incoming).structure}
    assert changes[("plan", "", Change.CHANGED)] == ("title",)
    assert changes[("kpi", kpi.key, Change.CHANGED)] == ("target",)
    assert ("node", node.key, Change.REMOVED) in changes
    assert not holds_entered_data(stored)
    assert holds_entered_data(_load("plans/tokyo_2024.json"))


def test_a_stored_report_header_and_national_figures_are_left_as_stored_and_named():
    stored = _load("plans/tokyo_2024.json")
    report = stored.reports[0]
    bench = Benchmark(stored.kpis[0].key, national_average=Decimal("50.5"), national_rank=3)
    others = tuple(b for b in report.benchmarks if b.kpi_key != bench.kpi_key)
    incoming = replace(
        stored, reports=(replace(report, title="別の表題", benchmarks=(*others, bench)),)
    )
    merge = merge_plan(stored, incoming)
    assert merge.headers_differ == (PeriodKind.MIDYEAR,)
    assert merge.benchmarks_differ == ((PeriodKind.MIDYEAR, bench.kpi_key),)
    assert {m.outcome for _p, m in merge.all_fields()} == {Outcome.SAME}
