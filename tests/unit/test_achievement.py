"""Achievement: the cases named in the issue, and the rules around them."""

from __future__ import annotations

from decimal import Decimal as D

from desktop.domain.achievement import (
    Status,
    Suggestion,
    assess,
    check_mark,
    format_actual,
    format_target,
    format_value,
    judgement_note,
    pace_fraction,
    status_detail,
)
from desktop.domain.calendar import YearMonth
from desktop.domain.model import Direction, Kpi, Measurement, PeriodKind, TargetKind

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


def m(value: str | None, month: str | None = "2024-06", **kw) -> Measurement:
    return Measurement(
        kpi_key="k",
        value=D(value) if value is not None else None,
        as_of=YearMonth.from_iso(month) if month else None,
        **kw,
    )


def test_single_bid_share_zero_against_at_most_15_is_met():
    k = kpi(direction=Direction.AT_MOST, target=D("15"), decimals=0, name="一者応札案件の割合")
    a = assess(k, m("0", "2024-05"), fiscal_year=FY)
    assert a.status is Status.MET
    assert a.difference == D("-15")
    assert a.margin == D("1")  # fully below the ceiling
    assert "達成" in a.rule_ja


def test_postal_rate_98_2_against_prev_year_98_4_is_not_met_by_0_2_points():
    k = kpi(target_kind=TargetKind.PREV_YEAR, target=None, last_year_actual=D("98.4"))
    a = assess(k, m("98.2"), fiscal_year=FY)
    assert a.status is Status.NOT_MET
    assert a.target == D("98.4")
    assert a.difference == D("-0.2")
    assert "-0.2ポイント" in a.rule_ja
    assert "-0.2 pt" in a.rule_en


def test_service_standard_exactly_100():
    k = kpi(direction=Direction.EXACTLY, target=D("100"), decimals=0)
    assert assess(k, m("100", "2024-04"), fiscal_year=FY).status is Status.MET
    assert assess(k, m("99.99", "2024-04"), fiscal_year=FY).status is Status.NOT_MET
    assert assess(k, m("99.4", "2024-04"), fiscal_year=FY).status is Status.NOT_MET
    assert assess(k, m("100.6", "2024-04"), fiscal_year=FY).status is Status.NOT_MET


def test_a_typed_98_4_is_shown_and_judged_as_typed():
    """The issue: 98.4 typed for サービススタンダード (100％, no decimals) showed as 98％
    and −2 points while 98.4 was stored."""
    k = kpi(direction=Direction.EXACTLY, target=D("100"), decimals=0, name="サービススタンダード")
    a = assess(k, m("98.4", "2024-04"), fiscal_year=FY)
    assert a.status is Status.NOT_MET and a.difference == D("-1.6")
    assert "実績 98.4％ は目標 100％ に対して未達成（差 -1.6ポイント）" in a.rule_ja
    assert status_detail(k, a, "ja") == "-1.6ポイント"
    assert status_detail(k, a, "en") == "-1.6pt"
    assert format_value(k, D("98.4")) == "98.4％" and format_value(k, D("98")) == "98％"


def test_a_kpi_judged_at_its_printed_precision_says_so():
    k = kpi(direction=Direction.EXACTLY, target=D("100"), decimals=0, judged_decimals=0)
    met = assess(k, m("99.6", "2024-04"), fiscal_year=FY)
    assert met.status is Status.MET and met.difference == D("0")
    assert "実績 99.6％" in met.rule_ja and "小数点以下を四捨五入して判定" in met.rule_ja
    assert status_detail(k, met, "ja") == "+0ポイント（小数点以下を四捨五入して判定）"
    a = assess(k, m("98.4", "2024-04"), fiscal_year=FY)
    assert a.status is Status.NOT_MET and a.difference == D("-2")
    assert status_detail(k, a, "en") == "-2pt (judged rounded to a whole number)"
    one = kpi(target=D("98.4"), judged_decimals=1)
    assert judgement_note(one) == "小数点以下第1位で判定"
    assert judgement_note(one, "en") == "judged rounded to 1 decimal place"
    assert judgement_note(kpi()) == ""


def test_health_checkup_rate_in_june_is_judged_by_pace_not_the_year_target():
    k = kpi(target=D("59.9"), cumulative=True, name="生活習慣病予防健診実施率")
    a = assess(k, m("8.4", "2023-06"), fiscal_year=2023)
    # June is the 3rd fiscal month: a linear year expects 59.9 × 3/12 = 14.975.
    assert a.status is Status.BEHIND_PACE
    assert a.pace_fraction == D(3) / D(12)
    assert a.expected == D("14.975")
    assert a.projected == D("33.6")
    assert "年度末見込み" in a.rule_ja and "33.6％" in a.rule_ja


def test_cumulative_on_pace_and_met_early():
    k = kpi(target=D("60"), cumulative=True)
    assert assess(k, m("16", "2024-06"), fiscal_year=FY).status is Status.ON_PACE
    assert assess(k, m("61", "2024-06"), fiscal_year=FY).status is Status.MET


def test_cumulative_at_year_end_is_judged_on_the_target_itself():
    k = kpi(target=D("60"), cumulative=True)
    assert assess(k, m("59", "2025-03"), fiscal_year=FY).status is Status.NOT_MET
    # Figures confirmed after the year ends still count as year-end figures.
    assert assess(k, m("59", "2025-05"), fiscal_year=FY).status is Status.NOT_MET


def test_pace_uses_last_years_profile_when_stored():
    profile = tuple((i, D(v)) for i, v in [(3, "6"), (12, "60")])
    k = kpi(target=D("60"), cumulative=True, last_year_profile=profile)
    assert pace_fraction(k, YearMonth(2024, 6)) == D("0.1")
    a = assess(k, m("8.4", "2024-06"), fiscal_year=FY)
    assert a.expected == D("6.0")
    assert a.status is Status.ON_PACE
    assert "前年度の月次推移" in a.rule_ja


def test_pace_falls_back_to_linear_when_profile_lacks_the_month():
    k = kpi(cumulative=True, last_year_profile=((12, D("60")),))
    assert pace_fraction(k, YearMonth(2024, 9)) == D("0.5")


def test_qualitative_done_and_not_done():
    k = kpi(direction=Direction.QUALITATIVE, target=None, unit="")
    assert assess(k, Measurement("k", done=True), fiscal_year=FY).status is Status.MET
    assert assess(k, Measurement("k", done=False), fiscal_year=FY).status is Status.NOT_MET
    a = assess(k, Measurement("k", unavailable_reason="未確定"), fiscal_year=FY)
    assert a.status is Status.NO_DATA
    assert "未確定" in a.rule_ja
    assert format_target(k) == "実施"


def test_prev_year_target_without_last_year_is_target_unknown_not_a_crash():
    k = kpi(target_kind=TargetKind.PREV_YEAR, target=None, last_year_actual=None)
    a = assess(k, m("31.58"), fiscal_year=FY)
    assert a.status is Status.TARGET_UNKNOWN
    assert a.actual == D("31.58")
    assert format_target(k) == "対前年度以上（未確定）"


def test_no_measurement_and_no_value():
    k = kpi()
    assert assess(k, None, fiscal_year=FY).status is Status.NO_DATA
    a = assess(k, m(None, None, unavailable_reason="下期実施予定"), fiscal_year=FY)
    assert a.status is Status.NO_DATA
    assert "下期実施予定" in a.rule_ja


def test_rate_from_numerator_and_denominator():
    k = kpi(target=D("60.0"))
    meas = Measurement(
        "k", numerator=D("1442600"), denominator=D("2404374"), as_of=YearMonth(2025, 3)
    )
    a = assess(k, meas, fiscal_year=FY)
    assert a.status is Status.NOT_MET  # 59.999…％: judged as computed from the parts
    assert a.actual is not None and D("59.99") < a.actual < D("60.0")
    assert format_actual(k, meas) == "60.0％"  # a computed rate is shown as printed
    assert status_detail(k, a) == "-0.001ポイント"  # never a zero that hides the side
    at_print = kpi(target=D("60.0"), judged_decimals=1)
    assert assess(at_print, meas, fiscal_year=FY).status is Status.MET


def test_the_printed_precision_rule_rounds_half_up():
    k = kpi(target=D("98.4"), decimals=1, judged_decimals=1)
    assert assess(k, m("98.35"), fiscal_year=FY).status is Status.MET
    assert assess(k, m("98.349"), fiscal_year=FY).status is Status.NOT_MET
    plain = kpi(target=D("98.4"), decimals=1)
    assert assess(plain, m("98.35"), fiscal_year=FY).status is Status.NOT_MET


def test_amount_kpi_difference_in_unit_and_ratio():
    k = kpi(
        unit="円",
        decimals=0,
        target_kind=TargetKind.PREV_YEAR,
        target=None,
        last_year_actual=D("9109"),
    )
    a = assess(k, m("14097", "2024-05"), fiscal_year=FY)
    assert a.status is Status.MET
    assert a.difference == D("4988")
    assert a.ratio is not None and round(a.ratio, 3) == D("1.548")
    assert "+4,988円" in a.rule_ja


def test_zero_target_has_no_ratio_or_margin():
    k = kpi(direction=Direction.AT_MOST, target=D("0"), decimals=0)
    a = assess(k, m("0"), fiscal_year=FY)
    assert a.status is Status.MET and a.ratio is None and a.margin is None


def test_check_mark_flags_disagreements_and_missing_reasons():
    behind = Suggestion("△", "遅れ", "behind")
    d = check_mark("◎", behind, PeriodKind.MIDYEAR)
    assert d is not None and "高く" in d.message_ja
    assert check_mark("△", behind, PeriodKind.MIDYEAR) is None
    all_met = Suggestion("B", "達成", "met")
    d = check_mark("C", all_met, PeriodKind.ANNUAL)
    assert d is not None and "低く" in d.message_ja
    assert check_mark("×", behind, PeriodKind.MIDYEAR) is not None  # no reason given
    assert check_mark("×", behind, PeriodKind.MIDYEAR, reason="中止") is None
    assert check_mark("－", behind, PeriodKind.MIDYEAR) is None  # scheduled: says nothing
    assert check_mark(None, behind, PeriodKind.MIDYEAR) is None


def test_format_target_variants():
    assert format_target(kpi(target=D("60.0"))) == "60.0％以上"
    assert format_target(kpi(direction=Direction.AT_MOST, target=D("15"), decimals=0)) == "15％以下"
    k = kpi(target_kind=TargetKind.PREV_YEAR, target=None, last_year_actual=D("98.4"))
    assert format_target(k) == "対前年度以上（98.4％）"
    assert format_target(k, "en") == "≥ last year (98.4％)"
    assert format_target(kpi(direction=Direction.EXACTLY, target=D("100"), decimals=0)) == "100％"
    # Printed as HQ wrote it, never with more decimals than the KPI has.
    assert format_target(kpi(target=D("13.1"), decimals=2)) == "13.1％以上"
    assert format_target(kpi(target=D("13.125"), decimals=2)) == "13.13％以上"
