"""Reference figures a branch types itself (issue 15 item 3): typed, cleared, refused,
and replaced by HQ's benchmark pack with the differences pointed out."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.domain.errors import BadInput, Refused
from desktop.domain.model import PeriodKind, Source
from desktop.domain.reference import Field
from desktop.domain.review import ReviewRefused, Role
from desktop.services import benchmarks, plans, reference, review, rollover
from desktop.services.changes import ReferenceChanged
from desktop.services.check import check_database
from desktop.services.consolidation import consolidate_folder
from desktop.services.demo_submissions import write_demo_submissions
from desktop.services.editing import ReportRef
from desktop.store.models import AuditRow

REF = ReportRef("13", 2024, PeriodKind.MIDYEAR)
KPI = "1.II.2.k2"  # a ％ KPI of the Tokyo demo


def _kpi(db, key: str = KPI):
    return next(k for k in plans.get_plan(db, "13", 2024).kpis if k.key == key)


def _benchmark(db, key: str = KPI):
    report = plans.get_plan(db, "13", 2024).report(PeriodKind.MIDYEAR)
    assert report is not None
    return next((b for b in report.benchmarks if b.kpi_key == key), None)


def _audit(db) -> list[tuple[str, str, str | None]]:
    with db.read() as session:
        rows = session.scalars(select(AuditRow).order_by(AuditRow.id)).all()
        return [(r.entity, r.field, r.new_value) for r in rows]


def test_the_year_befores_actual_and_last_years_national_figures_are_typed_and_cleared(demo_db):
    changes = reference.set_reference_figure(
        demo_db, REF, KPI, "prior_year_actual", "９５．５％", actor="sato"
    )
    record = changes.one(ReferenceChanged)
    assert (record.field, record.value, record.source) == (
        "prior_year_actual", Decimal("95.5"), Source.TYPED,
    )  # fmt: skip
    assert changes.touches(REF) and not changes.replaces(REF)  # folded in, not read again
    reference.set_reference_figure(
        demo_db, REF, KPI, Field.LAST_YEAR_NATIONAL_AVERAGE, "93.40", actor="sato"
    )
    reference.set_reference_figure(
        demo_db, REF, KPI, Field.LAST_YEAR_NATIONAL_RANK, "12位", actor="sato"
    )
    kpi = _kpi(demo_db)
    assert (kpi.prior_year_actual, kpi.prior_year_source) == (Decimal("95.5"), Source.TYPED)
    assert kpi.last_year_national_average == Decimal("93.40")  # as typed, never rounded
    assert kpi.last_year_national_rank == 12
    assert ("kpi", "prior_year_source", "typed") in _audit(demo_db)
    assert check_database(demo_db).ok

    cleared = reference.set_reference_figure(demo_db, REF, KPI, "prior_year_actual", "", actor="s")
    assert cleared.one(ReferenceChanged).source is None
    kpi = _kpi(demo_db)
    assert (kpi.prior_year_actual, kpi.prior_year_source) == (None, None)
    assert not reference.set_reference_figure(demo_db, REF, KPI, "prior_year_actual", "", actor="s")
    assert check_database(demo_db).ok


def test_last_years_actual_typed_over_a_carried_one_is_shown_as_typed(demo_db):
    reference.set_reference_figure(demo_db, REF, KPI, "last_year_actual", "96.0", actor="sato")
    kpi = _kpi(demo_db)
    assert (kpi.last_year_actual, kpi.last_year_source) == (Decimal("96.0"), Source.TYPED)
    assert check_database(demo_db).ok


@pytest.mark.parametrize(
    ("field", "raw"),
    [("national_rank", "48"), ("national_average", "12人"), ("prior_year_actual", "abc"),
     ("rank", "1")],
)  # fmt: skip
def test_a_bad_figure_is_refused_and_nothing_is_written(demo_db, field, raw):
    before = _audit(demo_db)
    with pytest.raises(BadInput):
        reference.set_reference_figure(demo_db, REF, KPI, field, raw, actor="sato")
    assert _audit(demo_db) == before


def _pack(tmp_path: Path) -> Path:
    folder = tmp_path / "share"
    write_demo_submissions(folder, fiscal_year=2024, branches=["01", "08", "13"])
    result = consolidate_folder(folder, fiscal_year=2024, period=PeriodKind.MIDYEAR)
    return benchmarks.write_pack(result, tmp_path / "pack.xlsx", actor="hq")


def test_typed_national_figures_are_replaced_by_hqs_pack_which_names_the_differences(
    demo_db, tmp_path
):
    changes = reference.set_reference_figure(
        demo_db, REF, KPI, "national_average", "90.0", actor="sato"
    )
    assert changes.one(ReferenceChanged).source is Source.TYPED
    reference.set_reference_figure(demo_db, REF, KPI, "national_rank", "全国４０位", actor="sato")
    typed = _benchmark(demo_db)
    assert typed is not None and typed.source is Source.TYPED
    assert (typed.national_average, typed.national_rank) == (Decimal("90.0"), 40)
    assert check_database(demo_db).ok

    done = benchmarks.import_benchmark_pack(demo_db, _pack(tmp_path), branch="13", actor="hq")
    assert done.replaced_typed == (KPI,)
    pack = _benchmark(demo_db)
    assert pack is not None and pack.source is Source.PACK
    assert {(d.kpi_key, d.field) for d in done.differences} == {
        (KPI, Field.NATIONAL_AVERAGE), (KPI, Field.NATIONAL_RANK)
    }  # fmt: skip
    assert "入力 90.0 → 本部提供 " + str(pack.national_average) in done.summary("ja")
    assert "typed 40 → HQ's pack " + str(pack.national_rank) in done.summary("en")
    assert check_database(demo_db).ok

    # HQ's figures are not typed over.
    with pytest.raises(Refused):
        reference.set_reference_figure(demo_db, REF, KPI, "national_rank", "1", actor="sato")


def test_typed_figures_are_locked_with_the_kpis_section(demo_db):
    """Reference figures are the branch's content: an approved section refuses them like
    its figures (signed-off reports: tests/services/test_edit_locks.py)."""
    kpi, section = "2.II.3.k1", "2.II.3"
    review.add_user(demo_db, login="admin", display_name="管理", role=Role.STAFF, password="p")
    review.add_user(demo_db, login="head", display_name="支部長", role=Role.BRANCH_HEAD,
                    password="h", admin_login="admin", admin_password="p")  # fmt: skip
    review.add_user(demo_db, login="staff", display_name="担当", role=Role.STAFF,
                    admin_login="admin", admin_password="p")  # fmt: skip
    review.submit(demo_db, REF, [section], login="staff")
    review.approve(demo_db, REF, [section], login="head", password="h")
    before = _audit(demo_db)
    for field in ("national_average", "last_year_national_rank"):
        with pytest.raises(ReviewRefused):
            reference.set_reference_figure(demo_db, REF, kpi, field, "3", actor="sato")
    assert _audit(demo_db) == before and _benchmark(demo_db, kpi) is None


def test_the_rollover_carries_last_years_actual_and_the_year_befores_with_their_source(
    demo_db,
):
    last_year = {k.last_year_actual for k in plans.get_plan(demo_db, "13", 2024).kpis}
    result = rollover.roll_over(demo_db, "13", actor="sato")
    new = plans.get_plan(demo_db, "13", result.fiscal_year)
    carried = [k for k in new.kpis if k.last_year_actual is not None]
    assert carried and all(k.last_year_source is Source.ROLLOVER for k in carried)
    before = [k for k in new.kpis if k.prior_year_actual is not None]
    assert before and {k.prior_year_actual for k in before} <= last_year
    assert all(k.prior_year_source is Source.ROLLOVER for k in before)
    assert check_database(demo_db).ok


def test_a_typed_reference_figure_is_folded_into_the_open_report_as_a_fresh_read_shows_it(
    demo_db,
):
    """Issue 15 item 3 follow-up: the record is content, like a KPI figure: the report
    is not read again (no ``reports``), and the snapshot folding it in equals a fresh
    read, the plan's figures in both periods of the year."""
    from desktop.services.workspace import load_report

    annual = ReportRef("13", 2024, PeriodKind.ANNUAL)
    open_reports = [load_report(demo_db, REF), load_report(demo_db, annual)]
    typed = [
        ("last_year_actual", "96.0"),
        ("prior_year_actual", "９５．５％"),
        ("last_year_national_average", "93.40"),
        ("last_year_national_rank", "12位"),
        ("national_average", "10.5"),
        ("national_rank", "全国４０位"),
        ("prior_year_actual", ""),
        ("national_average", ""),
    ]
    for field, raw in typed:
        changes = reference.set_reference_figure(demo_db, REF, KPI, field, raw, actor="sato")
        assert not changes.reports and not changes.replaces(REF)
        assert changes.touches(REF) and changes.touches(annual) is not Field(field).of_report
        for snap in open_reports:
            snap.apply(changes)
    for snap in open_reports:
        fresh = load_report(demo_db, snap.ref)
        # plan.reports is what was loaded, never kept current (the snapshot's indexes are)
        assert _shown(snap) == _shown(fresh)
        assert snap.kpi(KPI) == fresh.kpi(KPI)
        assert snap.benchmarks.get(KPI) == fresh.benchmarks.get(KPI)


def _shown(snap):
    from dataclasses import replace

    return replace(snap, plan=replace(snap.plan, reports=()))
