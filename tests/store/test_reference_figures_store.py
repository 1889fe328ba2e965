"""Reference figures a branch types, in the database (migration 0008)."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from decimal import Decimal

from desktop.domain.model import Benchmark, PeriodKind, Source
from desktop.services import plans
from desktop.services.check import check_database
from desktop.store.database import open_database
from tests.helpers.migrations import downgrade

KPI = "1.II.2.k1"


def test_the_figures_and_their_sources_are_stored_read_back_and_vouched_for(db):
    plan = plans.bundled_plan("plans/tokyo_2024.json")
    kpis = tuple(
        replace(
            k,
            last_year_source=Source.TYPED,
            prior_year_actual=Decimal("97.10"),
            prior_year_source=Source.TYPED,
            last_year_national_average=Decimal("95.5"),
            last_year_national_rank=3,
        )
        if k.key == KPI
        else k
        for k in plan.kpis
    )
    reports = tuple(
        replace(
            r,
            benchmarks=(Benchmark(KPI, Decimal("96.0"), 5, None, source=Source.TYPED),),
        )
        if r.period is PeriodKind.MIDYEAR
        else r
        for r in plan.reports
    )
    plans.install_plan(db, replace(plan, kpis=kpis, reports=reports), actor="t")
    stored = plans.get_plan(db, "13", 2024)
    kpi = next(k for k in stored.kpis if k.key == KPI)
    assert (kpi.prior_year_actual, kpi.prior_year_source) == (Decimal("97.10"), Source.TYPED)
    assert (kpi.last_year_national_average, kpi.last_year_national_rank) == (Decimal("95.5"), 3)
    assert kpi.last_year_source is Source.TYPED
    report = stored.report(PeriodKind.MIDYEAR)
    assert report is not None
    bench = next(b for b in report.benchmarks if b.kpi_key == KPI)
    assert bench.source is Source.TYPED
    assert check_database(db).ok


def test_a_database_from_before_the_figures_is_upgraded_with_its_national_figures_hqs(
    demo_db, tmp_path
):
    path = tmp_path / "demo.sqlite3"
    demo_db.close()
    downgrade(path, "0007")
    con = sqlite3.connect(path)
    columns = [r[1] for r in con.execute("PRAGMA table_info(kpis)")]
    assert "prior_year_actual" not in columns
    con.close()
    with open_database(path) as again:  # the upgrade runs on opening
        plan = plans.get_plan(again, "13", 2024)
        assert check_database(again).ok
    assert all(k.prior_year_actual is None and k.last_year_source is None for k in plan.kpis)
    benchmarks = [b for r in plan.reports for b in r.benchmarks]
    assert all(b.source is Source.PACK for b in benchmarks)
