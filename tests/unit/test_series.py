"""Chart series and overview counts, per KPI kind, without drawing anything."""

from __future__ import annotations

from decimal import Decimal as D

from desktop.domain.achievement import Status, assess
from desktop.domain.calendar import YearMonth
from desktop.domain.model import Direction, Kpi, Measurement, TargetKind
from desktop.domain.series import (
    axis_labels,
    kpi_identity,
    kpi_series,
    mark_counts,
    status_counts,
    value_range,
    year_over_year,
)
from desktop.services.plans import bundled_plan


def kpi(**kw) -> Kpi:
    base = dict(
        key="k",
        node_key="n",
        label="",
        name="KPI",
        unit="％",
        decimals=1,
        direction=Direction.AT_LEAST,
        target_kind=TargetKind.FIXED,
        target=D("60.0"),
    )
    base.update(kw)
    return Kpi(**base)


def test_axis_is_the_fiscal_year_in_era_form():
    assert axis_labels(2024) == (
        "R6.4", "R6.5", "R6.6", "R6.7", "R6.8", "R6.9",
        "R6.10", "R6.11", "R6.12", "R7.1", "R7.2", "R7.3",
    )  # fmt: skip
    assert axis_labels(2018)[0] == "H30.4" and axis_labels(2018)[-1] == "H31.3"
    assert axis_labels(2019)[:2] == ("H31.4", "R1.5")  # 令和 began on 1 May 2019


def test_at_least_level_kpi():
    k = kpi(target=D("98.4"), last_year_actual=D("98.3"))
    m = Measurement("k", value=D("98.2"), as_of=YearMonth(2024, 6))
    s = kpi_series(k, fiscal_year=2024, monthly={1: D("97.9")}, measurement=m)
    assert [(p.x, p.value) for p in s.actual] == [(1, D("97.9")), (3, D("98.2"))]
    assert s.reported is not None and s.reported.x == 3
    assert s.reported.text == "98.2％  令和6年6月時点  報告値"
    assert s.target == D("98.4") and s.expected == () and not s.cumulative
    assert s.last_year_level == D("98.3")  # no profile: drawn as a level


def test_the_reported_figure_wins_over_the_monthly_one_of_its_month():
    k = kpi()
    m = Measurement("k", value=D("50"), as_of=YearMonth(2024, 6), preliminary=True)
    s = kpi_series(k, fiscal_year=2024, monthly={3: D("49")}, measurement=m)
    assert [(p.x, p.value) for p in s.actual] == [(3, D("50"))]
    assert "速報値" in s.reported.text


def test_at_most_and_exactly_kpis_draw_their_target():
    at_most = kpi(direction=Direction.AT_MOST, target=D("15"), decimals=0)
    s = kpi_series(at_most, fiscal_year=2024, monthly={}, measurement=None)
    assert s.target == D("15") and s.actual == () and s.reported is None
    exactly = kpi(direction=Direction.EXACTLY, target=D("100"), decimals=0)
    assert kpi_series(exactly, fiscal_year=2024, monthly={}, measurement=None).target == D("100")


def test_qualitative_kpi_has_no_numeric_series():
    k = kpi(direction=Direction.QUALITATIVE, target=None, unit="")
    m = Measurement("k", done=True, as_of=YearMonth(2024, 9))
    s = kpi_series(k, fiscal_year=2024, monthly={}, measurement=m)
    assert s.qualitative and s.actual == () and s.target is None and s.expected == ()
    assert len(s.axis_labels) == 12


def test_cumulative_kpi_has_an_expected_pace_curve():
    k = kpi(target=D("59.9"), cumulative=True)
    s = kpi_series(k, fiscal_year=2023, monthly={}, measurement=None)
    assert len(s.expected) == 12
    assert s.expected[2].value == D("59.9") * 3 / 12  # June: a quarter of the year
    assert s.expected[-1].value == D("59.9")
    assert "想定ペース" in s.expected[2].text and "R5.6" in s.expected[2].text


def test_cumulative_pace_follows_last_years_profile():
    profile = tuple((i, D(i * i)) for i in range(1, 13))  # slow start, fast finish
    k = kpi(target=D("60"), cumulative=True, last_year_profile=profile)
    s = kpi_series(k, fiscal_year=2024, monthly={}, measurement=None)
    assert s.expected[2].value == D("60") * D(9) / D(144)
    assert [p.x for p in s.last_year] == list(range(1, 13)) and s.last_year_level is None


def test_relative_to_last_year_with_and_without_last_years_value():
    known = kpi(target_kind=TargetKind.PREV_YEAR, target=None, last_year_actual=D("0.087"))
    assert kpi_series(known, fiscal_year=2024, monthly={}, measurement=None).target == D("0.087")
    unknown = kpi(target_kind=TargetKind.PREV_YEAR, target=None, cumulative=True)
    s = kpi_series(unknown, fiscal_year=2024, monthly={1: D("3")}, measurement=None)
    assert s.target is None and s.expected == () and s.last_year_level is None
    assert [p.value for p in s.actual] == [D("3")]


def test_a_figure_of_another_year_is_not_drawn_on_this_years_axis():
    m = Measurement("k", value=D("50"), as_of=YearMonth(2025, 5))  # year-end confirmation
    s = kpi_series(kpi(), fiscal_year=2024, monthly={}, measurement=m)
    assert s.actual == () and s.reported is None


def test_english_hover_texts():
    m = Measurement("k", value=D("50"), as_of=YearMonth(2024, 6))
    s = kpi_series(kpi(), fiscal_year=2024, monthly={}, measurement=m, lang="en")
    assert s.reported.text == "50.0％  as of 2024-06  reported"


def _demo(year: int):
    plan = bundled_plan(f"plans/tokyo_{year}.json")
    report = plan.reports[0]
    measurements = {m.kpi_key: m for m in report.measurements}
    assessments = {
        k.key: assess(
            k, measurements.get(k.key), fiscal_year=plan.fiscal_year, report_as_of=report.as_of
        )
        for k in plan.kpis
    }
    return plan, measurements, assessments, report


def test_status_counts_per_pillar_and_section_on_the_demo():
    plan, _m, assessments, _r = _demo(2024)
    pillars = status_counts(plan, assessments)
    assert [p.key for p in pillars] == ["1", "2", "3"]
    assert sum(p.total for p in pillars) == len(plan.kpis) == 17
    assert pillars[2].counts == {Status.MET: 1}  # 一者応札 0％ ≤ 15％
    sections = status_counts(plan, assessments, depth=1)
    assert sum(s.total for s in sections) == 17
    assert all(plan.node(s.key).level.value == "section" for s in sections)


def test_mark_counts_per_pillar():
    plan, _m, _a, report = _demo(2024)
    marks = {e.node_key: e.mark for e in report.entries}
    counts = mark_counts(plan, marks)
    reportable = [n for n in plan.nodes if n.parent_key and plan.is_reportable(n.key)]
    assert sum(sum(c.values()) for c in counts.values()) == len(reportable)
    assert counts["1"]["○"] > 0


def test_year_over_year_matches_kpis_by_their_wording():
    y23, y24 = _demo(2023), _demo(2024)
    plan24 = y24[0]
    post = next(k for k in plan24.kpis if "郵送化率" in k.name)
    rows = year_over_year(post, [y24[:3], y23[:3]])
    assert [(r.fiscal_year, r.value) for r in rows] == [(2023, D("98.3")), (2024, D("98.2"))]
    assert rows[0].label == "令和5年度" and rows[1].status is Status.NOT_MET
    assert kpi_identity(post) == kpi_identity(next(k for k in y23[0].kpis if "郵送化率" in k.name))


def test_value_range_includes_target_data_and_padding():
    low, high = value_range([D("0.087"), D("0.091")], rate=True)
    assert low < D("0.087") and high > D("0.091")
    assert high - low > D("0.004")  # padded
    assert value_range([D(100)], rate=True) == (D("94.6"), D("100.4"))
    low, high = value_range([D(5), D(60), D("8.4")], rate=True)
    assert low < 0 and high > 60  # starts at zero (then padded), like the pace curve
    assert value_range([]) is None


def test_the_reported_figure_is_the_month_figure_of_its_as_of_month():
    m = Measurement(kpi_key="k", value=D("12.5"), as_of=YearMonth(2024, 7))
    s = kpi_series(kpi(), fiscal_year=2024, monthly={1: D("3.0"), 4: D("11.0")}, measurement=m)
    figures = s.month_figures()
    assert {x: p.value for x, p in figures.items()} == {1: D("3.0"), 4: D("12.5")}
    assert figures[4].source == "reported" and figures[1].source == "monthly"
