"""Issue 16 item 4: what a branch typed beside a KPI (前々年度実績, last year's national
figures, this year's national figures before HQ's pack) and the reason for a mark
travel in a work file: a PC that imports it into a new database loses none of them,
nor where the national figures came from."""

from __future__ import annotations

from pathlib import Path

from desktop.domain.model import PeriodKind, SectionEntry, Source
from desktop.services import editing, exchange, plans, reference
from desktop.store.database import open_database
from tests.helpers.reports import HEALTH, REF, edited_by_the_group, export_work

KPI = "1.II.2.k2"  # a ％ KPI of the Tokyo demo


def _state(db):
    plan = plans.get_plan(db, "13", 2024)
    kpi = next(k for k in plan.kpis if k.key == KPI)
    report = plan.report(PeriodKind.MIDYEAR)
    assert report is not None
    benchmark = next(b for b in report.benchmarks if b.kpi_key == KPI)
    reasons = {e.node_key: e.mark_reason for e in report.entries if e.mark_reason}
    return (
        kpi.prior_year_actual,
        kpi.last_year_national_average,
        kpi.last_year_national_rank,
        (benchmark.national_average, benchmark.national_rank, benchmark.source),
        reasons,
    )


def test_typed_reference_figures_and_the_reason_reach_a_new_database(demo_db, tmp_path: Path):
    for field, text in (
        ("prior_year_actual", "95.5"),
        ("last_year_national_average", "94.1"),
        ("last_year_national_rank", "12"),
        ("national_average", "90.0"),
        ("national_rank", "40"),
    ):
        reference.set_reference_figure(demo_db, REF, KPI, field, text, actor="sato")
    node = next(k for k in plans.get_plan(demo_db, "13", 2024).kpis if k.key == KPI).node_key
    editing.set_entry_field(
        demo_db, REF, node, "mark_reason", "上期の目標を上回ったため", actor="sato"
    )
    mine = _state(demo_db)
    assert mine[3][2] is Source.TYPED

    path = export_work(demo_db, tmp_path, [node], actor="sato")
    with open_database(tmp_path / "other.sqlite3", create=True) as other:
        exchange.apply_import(other, exchange.preview_import(other, path), actor="planner")
        assert _state(other) == mine


def test_the_reason_merges_back_as_a_field_of_its_own(demo_db, tmp_path: Path):
    """The group PC gives a mark and its reason; the planning PC takes both back,
    each its own field, and the texts beside them are left as they were."""
    before = plans.get_plan(demo_db, "13", 2024).report(PeriodKind.MIDYEAR)
    was = next((e for e in before.entries if e.node_key == HEALTH), SectionEntry(HEALTH))
    back = edited_by_the_group(demo_db, tmp_path, mark="△", mark_reason="受診勧奨が遅れたため")
    preview = exchange.preview_import(demo_db, back)
    assert {m.name for m in preview.merges if m.owner == HEALTH and m.theirs != m.ours} >= {
        "mark",
        "mark_reason",
    }
    exchange.apply_import(demo_db, preview, actor="planner")
    report = plans.get_plan(demo_db, "13", 2024).report(PeriodKind.MIDYEAR)
    entry = next(e for e in report.entries if e.node_key == HEALTH)
    assert (entry.mark, entry.mark_reason) == ("△", "受診勧奨が遅れたため")
    assert (entry.status_text, entry.next_steps) == (was.status_text, was.next_steps)
