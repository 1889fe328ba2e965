"""Targets beyond one number a year (desktop/domain/target_rules.py): multi-year goals,
rules over months, goals in words, reference indicators, changed definitions — each
with its edge cases, judged without a database."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from desktop.domain.achievement import (
    Status,
    assess,
    format_target,
    months_text,
    status_detail,
)
from desktop.domain.calendar import YearMonth
from desktop.domain.mark_suggestion import KpiFigures, suggest
from desktop.domain.model import (
    Direction,
    Kpi,
    Level,
    Measurement,
    PeriodKind,
    Plan,
    PlanNode,
    TargetKind,
)
from desktop.domain.series import status_counts
from desktop.domain.target_rules import milestone, months_in_scope

FY = 2024


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


def m(value: str | None = None, month: str | None = "2025-03", **kw) -> Measurement:
    return Measurement(
        kpi_key="k",
        value=D(value) if value is not None else None,
        as_of=YearMonth.from_iso(month) if month else None,
        **kw,
    )


# --- multi-year goals ----------------------------------------------------------------


def six_year(**kw) -> Kpi:
    """A data-health goal: 50.0％ in FY2023 → 62.0％ in FY2029 (2.0 points a year)."""
    base = dict(
        target_kind=TargetKind.MULTI_YEAR,
        target=D("62.0"),
        goal_year=2029,
        baseline_year=2023,
        baseline_value=D("50.0"),
    )
    base.update(kw)
    return kpi(**base)


def test_multi_year_is_judged_by_the_years_point_on_the_straight_path():
    k = six_year()
    assert milestone(k, 2024).value == D("52.0")
    assert milestone(k, 2026).value == D("56.0")
    met = assess(k, m("52.3"), fiscal_year=FY)
    assert met.status is Status.MET
    assert met.target == D("52.0")
    assert met.difference == D("0.3")
    assert "1／6年" in met.rule_ja and "52.0％" in met.rule_ja
    assert "1 of 6 years" in met.rule_en
    short = assess(k, m("51.9"), fiscal_year=FY)
    assert short.status is Status.NOT_MET


def test_multi_year_milestone_is_rounded_to_the_kpis_decimals():
    k = six_year(target=D("60.0"))  # 10 points over 6 years: 51.666…
    assert milestone(k, 2024).value == D("51.7")
    assert assess(k, m("51.7"), fiscal_year=FY).status is Status.MET


def test_multi_year_at_most_goal_falls_along_the_path():
    k = six_year(direction=Direction.AT_MOST, baseline_value=D("30.0"), target=D("18.0"))
    assert milestone(k, 2025).value == D("26.0")
    assert assess(k, m("25.9", "2026-03"), fiscal_year=2025).status is Status.MET
    assert assess(k, m("26.1", "2026-03"), fiscal_year=2025).status is Status.NOT_MET


def test_multi_year_goal_year_passed_keeps_the_goal():
    k = six_year()
    a = assess(k, m("61.0", "2031-03"), fiscal_year=2030)
    assert a.status is Status.NOT_MET
    assert a.target == D("62.0")
    assert "目標年度を過ぎています" in a.rule_ja
    assert "goal year has passed" in a.rule_en
    assert assess(k, m("62.0", "2030-03"), fiscal_year=2029).status is Status.MET


def test_multi_year_without_baseline_has_no_path_until_the_goal_year():
    k = six_year(baseline_value=None, baseline_year=None)
    a = assess(k, m("55.0"), fiscal_year=FY)
    assert a.status is Status.TARGET_UNKNOWN
    assert "基準値がない" in a.rule_ja
    assert assess(k, None, fiscal_year=FY).status is Status.NO_DATA
    # In the goal year the goal itself is the target: no path needed.
    assert assess(k, m("62.5", "2030-03"), fiscal_year=2029).status is Status.MET


def test_multi_year_reporting_year_before_the_baseline_is_not_judged():
    k = six_year()
    a = assess(k, m("40.0", "2023-03"), fiscal_year=2022)
    assert a.status is Status.TARGET_UNKNOWN
    assert "基準年度" in a.rule_ja and "before the baseline" in a.rule_en
    # The baseline year itself is the path's start: judged against the baseline.
    assert milestone(k, 2023).value == D("50.0")


def test_multi_year_baseline_not_before_goal_is_a_definition_error():
    k = six_year(baseline_year=2030)
    assert milestone(k, 2024).value is None
    assert assess(k, m("70"), fiscal_year=FY).status is Status.TARGET_UNKNOWN


def test_multi_year_cumulative_is_judged_by_pace_against_the_years_milestone():
    k = six_year(cumulative=True)
    a = assess(k, m("20.0", "2024-09"), fiscal_year=FY)  # half of 52.0 = 26.0 expected
    assert a.status is Status.BEHIND_PACE
    assert a.expected == D("26.0")


def test_multi_year_target_text():
    k = six_year()
    assert format_target(k, "ja") == "令和11年度 62.0％以上（基準 令和5年度 50.0％）"
    assert format_target(k, "en") == "≥ 62.0％ by FY2029 (baseline FY2023: 50.0％)"
    assert "基準値なし" in format_target(six_year(baseline_value=None), "ja")


# --- rules over months ---------------------------------------------------------------


def monthly_rule(months: dict[int, str], **kw) -> Kpi:
    base = dict(
        target_kind=TargetKind.MONTHLY,
        target=D("150"),
        decimals=0,
        monthly_actuals=tuple((i, D(v)) for i, v in sorted(months.items())),
    )
    base.update(kw)
    return kpi(**base)


def test_monthly_rule_every_month_met():
    k = monthly_rule({i: "160" for i in range(1, 7)})
    a = assess(k, None, fiscal_year=FY, report_as_of=YearMonth(2024, 9))
    assert a.status is Status.MET
    assert (a.months_met, a.months_judged, a.months_missing) == (6, 6, ())
    assert months_text(a, "ja") == "6／6か月達成"
    assert months_text(a, "en") == "6 of 6 months met"
    assert a.margin == D("10") / D("150")


def test_monthly_rule_one_month_short_is_not_met_and_names_the_month():
    values = {i: "155" for i in range(1, 11)}
    values[3], values[8] = "149", "120"  # June and November
    k = monthly_rule(values)
    a = assess(k, None, fiscal_year=FY, report_as_of=YearMonth(2025, 3))
    assert a.status is Status.NOT_MET
    assert (a.months_met, a.months_judged) == (8, 10)
    assert a.months_missing == (11, 12)  # February, March: missing, not failures
    assert months_text(a, "ja") == "8／10か月達成（未入力 2か月）"
    assert months_text(a, "en") == "8 of 10 months met (2 missing)"
    assert "6月、11月" in a.rule_ja
    assert "2月、3月" in a.rule_ja
    assert a.difference == D("-30")  # the worst month decides the margin
    assert status_detail(k, a, "en") == "8 of 10 months met (2 missing)"


def test_monthly_rule_missing_months_are_not_failures():
    k = monthly_rule({1: "151", 4: "170"})
    a = assess(k, None, fiscal_year=FY, report_as_of=YearMonth(2024, 9))
    assert a.status is Status.MET
    assert a.months_missing == (2, 3, 5, 6)
    assert (a.months_met, a.months_judged) == (2, 2)


def test_monthly_rule_no_month_entered_is_no_data():
    a = assess(monthly_rule({}), None, fiscal_year=FY, report_as_of=YearMonth(2024, 9))
    assert a.status is Status.NO_DATA
    assert len(a.months_missing) == 6


def test_monthly_rule_only_months_up_to_the_report_count():
    k = monthly_rule({1: "160", 10: "100"})  # January is after a mid-year report
    a = assess(k, None, fiscal_year=FY, report_as_of=YearMonth(2024, 9))
    assert a.status is Status.MET
    assert months_in_scope(FY, YearMonth(2025, 6)) == 12
    assert months_in_scope(FY, YearMonth(2024, 3)) == 0


def test_monthly_rule_uses_the_monthly_figures_the_caller_holds():
    k = monthly_rule({1: "160"})
    a = assess(k, None, fiscal_year=FY, report_as_of=YearMonth(2024, 5), monthly={1: D("10")})
    assert a.status is Status.NOT_MET


def test_monthly_rule_at_most_and_target_text():
    k = monthly_rule({1: "3", 2: "6"}, direction=Direction.AT_MOST, target=D("5"), unit="件")
    assert assess(k, None, fiscal_year=FY, report_as_of=YearMonth(2024, 5)).status is (
        Status.NOT_MET
    )
    assert format_target(k, "ja") == "毎月 5件以下"
    assert format_target(k, "en") == "every month ≤ 5件"


# --- goals in words (手動判定) ----------------------------------------------------------


def words(**kw) -> Kpi:
    return kpi(target_kind=TargetKind.MANUAL, target=None, target_text="前年度の水準を上回る", **kw)


def test_manual_verdict_is_the_persons_with_the_reason():
    k = words()
    a = assess(
        k,
        m("12", manual_status="behind_pace", manual_reason="下期に集中実施"),
        fiscal_year=FY,
    )
    assert a.status is Status.BEHIND_PACE
    assert a.manual
    assert "手動判定" in a.rule_ja and "下期に集中実施" in a.rule_ja
    assert "Judged by hand" in a.rule_en
    assert status_detail(k, a, "ja") == "手動判定"
    assert format_target(k, "ja") == "前年度の水準を上回る（手動判定）"
    assert format_target(k, "en") == "前年度の水準を上回る (judged by hand)"


def test_manual_without_verdict_is_not_judged_and_never_computed():
    k = words(direction=Direction.AT_LEAST)
    a = assess(k, m("99"), fiscal_year=FY)
    assert a.status is Status.NO_DATA
    assert not a.manual
    assert "判定が未入力" in a.rule_ja
    # An unknown stored verdict is not taken for a verdict.
    assert assess(k, m(None, manual_status="bogus"), fiscal_year=FY).status is Status.NO_DATA


def test_manual_verdict_counts_in_the_suggested_mark():
    k = words()
    a = assess(k, m(None, manual_status="not_met", manual_reason="x"), fiscal_year=FY)
    assert suggest([KpiFigures(k, a)], PeriodKind.ANNUAL).symbol == "C"


# --- reference indicators (参考指標) ----------------------------------------------------


def test_reference_indicator_is_shown_never_judged():
    k = kpi(reference_indicator=True, target=D("60"))
    a = assess(k, m("10.0"), fiscal_year=FY)
    assert a.status is Status.REFERENCE
    assert a.actual == D("10.0")
    assert "参考指標" in a.rule_ja and "10.0％" in a.rule_ja
    assert Status.REFERENCE.label("ja") == "参考指標"
    assert not a.status.is_good and not a.status.is_bad


def test_reference_indicator_is_left_out_of_the_mark_and_the_counts():
    ref_kpi, met_kpi = kpi(key="r", reference_indicator=True), kpi()
    ref = assess(ref_kpi, m("1"), fiscal_year=FY)
    met = assess(met_kpi, m("63.5"), fiscal_year=FY)
    assert suggest([KpiFigures(ref_kpi, ref)], PeriodKind.ANNUAL).symbol is None
    pair = [KpiFigures(met_kpi, met), KpiFigures(ref_kpi, ref)]
    assert suggest(pair, PeriodKind.ANNUAL).symbol == "A"
    plan = Plan(
        "13",
        FY,
        "t",
        nodes=(PlanNode("n", None, Level.PILLAR, "１．", "柱"),),
        kpis=(kpi(), kpi(key="r", reference_indicator=True)),
    )
    counts = status_counts(plan, {"k": met, "r": ref})
    assert counts[0].counts == {Status.MET: 1}


# --- a changed definition ----------------------------------------------------------------


def test_definition_change_judges_by_the_new_method_and_shows_the_old():
    k = kpi(
        definition_changed=True,
        definition_note="分母に被扶養者を含める",
        target_kind=TargetKind.PREV_YEAR,
        target=None,
        last_year_actual=D("58.0"),
    )
    a = assess(k, m("57.0", old_method_value=D("59.1")), fiscal_year=FY)
    assert a.status is Status.NOT_MET  # the current definition decides
    assert a.old_method is not None
    assert a.old_method.status is Status.MET
    assert a.old_method.actual == D("59.1")
    assert "旧算出方法による実績 59.1％ は参考として達成" in a.rule_ja
    assert "分母に被扶養者を含める" in a.rule_ja
    assert "old method" in a.rule_en
    assert status_detail(k, a, "ja").endswith("旧算出方法 59.1％ 達成")


def test_definition_change_without_old_figure_is_unchanged():
    k = kpi(definition_changed=True)
    assert assess(k, m("61.0"), fiscal_year=FY) == assess(
        kpi(definition_changed=True), m("61.0"), fiscal_year=FY
    )
    assert assess(k, m("61.0"), fiscal_year=FY).old_method is None


@pytest.mark.parametrize("kind", [TargetKind.FIXED, TargetKind.PREV_YEAR])
def test_existing_kinds_judge_as_before(kind):
    k = kpi(target_kind=kind, last_year_actual=D("60.0"))
    a = assess(k, m("61.0"), fiscal_year=FY)
    assert a.status is Status.MET
    assert not a.manual and a.months_judged is None and a.old_method is None
