"""Suggested marks (issue 16 item 6): every KPI of the rating scope counts, an
exact target met counts as fully met, HQ's rules can lift the mark for a
national rank, and the reason names KPIs and figures — never keys."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest

from desktop.domain.achievement import assess
from desktop.domain.calendar import YearMonth
from desktop.domain.mark_rules import (
    DEFAULT_MARK_RULES,
    MarkRulesError,
    ScaleRules,
    Step,
    dump_rules,
    from_data,
    load_rules,
    to_data,
)
from desktop.domain.mark_suggestion import KpiFigures, describe_step, suggest
from desktop.domain.model import (
    Benchmark,
    Direction,
    Kpi,
    Measurement,
    PeriodKind,
    TargetKind,
)

FY = 2024
ANNUAL, MIDYEAR = PeriodKind.ANNUAL, PeriodKind.MIDYEAR


def kpi(key: str = "1.II.2.k1", name: str = "特定健診実施率", **kw) -> Kpi:
    base = dict(
        key=key,
        node_key="1.II.2",
        label="",
        name=name,
        unit="％",
        decimals=1,
        direction=Direction.AT_LEAST,
        target_kind=TargetKind.FIXED,
        target=D("60.0"),
    )
    base.update(kw)
    return Kpi(**base)  # type: ignore[arg-type]


def figures(k: Kpi, value: str | None, *, rank: int | None = None, **m) -> KpiFigures:
    measurement = Measurement(k.key, value=D(value) if value is not None else None, **m)
    bench = Benchmark(k.key, national_rank=rank, branch_count=47) if rank else None
    return KpiFigures(k, assess(k, measurement, fiscal_year=FY), bench)


def all_text(s) -> str:
    return "\n".join(
        [s.reason_ja, s.reason_en, *(d.ja for d in s.details), *(d.en for d in s.details)]
    )


# --- the default rules keep the old verdicts for one KPI -------------------------------


@pytest.mark.parametrize(
    ("value", "period", "expected"),
    [
        ("72.0", MIDYEAR, "◎"),  # +20 %
        ("60.6", MIDYEAR, "○"),  # +1 %
        ("59.0", MIDYEAR, "△"),
        ("67.2", ANNUAL, "S"),  # +12 %
        ("63.6", ANNUAL, "A"),  # +6 %
        ("60.0", ANNUAL, "B"),
        ("58.8", ANNUAL, "C"),  # −2 %
        ("42.0", ANNUAL, "D"),  # −30 %
    ],
)
def test_the_default_rules_judge_one_kpi_as_before(value, period, expected):
    assert suggest([figures(kpi(), value)], period).symbol == expected


def test_no_figures_suggest_nothing_but_name_each_kpi():
    k = kpi()
    s = suggest([figures(k, None, unavailable_reason="集計中")], ANNUAL)
    assert s.symbol is None
    assert (
        s.reason_ja == "判定できる実績がありません。" and s.reason_en == "No figures to judge by."
    )
    assert "特定健診実施率" in s.details[0].ja and "集計中" in s.details[0].ja
    assert "判定に含めません" in s.details[0].ja and "not counted" in s.details[0].en
    assert suggest([], MIDYEAR).symbol is None


# --- every KPI of the scope counts -----------------------------------------------------


def test_every_kpi_counts_not_only_the_weakest():
    """+20 % and +1 %: the weakest alone said B; their average (10.5 %) says S."""
    a, b = kpi("k.a", "特定健診実施率"), kpi("k.b", "特定保健指導実施率")
    s = suggest([figures(a, "72.0"), figures(b, "60.6")], ANNUAL)
    assert s.symbol == "S"
    assert "2指標中2指標が達成" in s.reason_ja and "2 of 2 KPIs met" in s.reason_en
    assert "目標比の平均 +10.5%" in s.reason_ja and "average +10.5% of target" in s.reason_en


def test_one_kpi_missed_of_three_is_not_all_met_under_the_default_but_hq_can_say_broadly():
    ks = [
        kpi("k.a", "特定健診実施率"),
        kpi("k.b", "被扶養者の特定健診実施率"),
        kpi("k.c", "事業者健診データ取得率"),
    ]
    scope = [figures(ks[0], "63.0"), figures(ks[1], "61.2"), figures(ks[2], "59.4")]
    s = suggest(scope, ANNUAL)
    assert s.symbol == "C"
    assert "3指標中2指標が達成" in s.reason_ja
    # The weakest KPI is named, with its shortfall in points (a rate).
    assert "最も低い指標: 事業者健診データ取得率 -0.6ポイント" in s.reason_ja
    assert "weakest: 事業者健診データ取得率 -0.6pt" in s.reason_en
    # HQ: "B when two thirds are met and the average is on target" (概ね目標達成).
    broadly = Step("B", share_met_min=D("0.66"), average_min=D("0"))
    steps = DEFAULT_MARK_RULES.annual.steps
    rules = replace(DEFAULT_MARK_RULES, annual=ScaleRules((*steps[:3], broadly, *steps[3:])))
    s = suggest(scope, ANNUAL, rules)
    assert s.symbol == "B"
    assert "目安: B = 達成した指標の割合 66%以上、目標比の平均 +0%以上" in s.details[-1].ja


def test_margins_are_shown_in_the_kpis_unit():
    rate = kpi("k.rate", "特定健診実施率")
    count = kpi("k.count", "健康宣言事業所数", unit="事業所", decimals=0, target=D("1350"))
    s = suggest([figures(rate, "61.2"), figures(count, "1300")], ANNUAL)
    text = all_text(s)
    assert "+1.2ポイント" in text and "+1.2 pt" in text
    assert "-50事業所" in s.reason_ja
    assert "%" not in s.reason_ja.split("最も低い指標")[1]  # the weakest's figure is in 事業所


# --- exact targets ---------------------------------------------------------------------


def test_an_exact_target_met_counts_as_fully_met_and_can_reach_the_top_mark():
    exact = kpi("k.exact", "後発医薬品の使用割合", direction=Direction.EXACTLY, target=D("100"))
    annual = suggest([figures(exact, "100")], ANNUAL)
    assert annual.symbol == "S"
    assert suggest([figures(exact, "100")], MIDYEAR).symbol == "◎"
    assert "後発医薬品の使用割合 目標どおりで達成" in annual.reason_ja
    assert "on target: met" in annual.reason_en
    assert "十分に達成とみなします" in annual.details[0].ja
    assert "counts as fully met" in annual.details[0].en
    # Missed, it is judged by how far off it is.
    assert suggest([figures(exact, "98")], ANNUAL).symbol == "C"


def test_an_exact_target_met_does_not_lift_the_other_kpis():
    exact = kpi("k.exact", "後発医薬品の使用割合", direction=Direction.EXACTLY, target=D("100"))
    other = kpi("k.other", "特定健診実施率")
    s = suggest([figures(exact, "100"), figures(other, "60.6")], ANNUAL)
    assert s.symbol == "B"  # the other KPI's +1 % decides the margin
    assert "目標どおり1指標" in s.reason_ja and "平均" not in s.reason_ja  # one margin only


def test_qualitative_kpis_count_in_the_share_only():
    done = kpi("k.q", "研修の実施", direction=Direction.QUALITATIVE, target=None, unit="")
    met = suggest(
        [KpiFigures(done, assess(done, Measurement("k.q", done=True), fiscal_year=FY))], ANNUAL
    )
    assert met.symbol == "B" and "研修の実施 実施で達成" in met.reason_ja
    not_done = assess(done, Measurement("k.q", done=False), fiscal_year=FY)
    assert suggest([KpiFigures(done, not_done)], ANNUAL).symbol == "C"
    assert suggest([KpiFigures(done, not_done)], MIDYEAR).symbol == "△"


def test_an_accumulating_kpi_mid_year_counts_by_its_pace():
    """33 % by September against 60 % for the year is 10 % ahead of the linear pace."""
    k = kpi(cumulative=True)
    f = figures(k, "33.0", as_of=YearMonth(2024, 9))
    s = suggest([f], MIDYEAR)
    assert s.symbol == "◎"
    assert "想定比 +10%" in s.reason_ja and "+10% against pace" in s.reason_en


# --- national rank ---------------------------------------------------------------------


def test_a_national_rank_lifts_the_mark_where_hq_says_so():
    rules = replace(DEFAULT_MARK_RULES, annual=replace(DEFAULT_MARK_RULES.annual, rank_lift_top=10))
    k = kpi()
    assert suggest([figures(k, "60.0", rank=8)], ANNUAL).symbol == "B"  # default: no lift
    lifted = suggest([figures(k, "60.0", rank=8)], ANNUAL, rules)
    assert lifted.symbol == "A"
    assert "全国8位で1段階上げ" in lifted.reason_ja
    assert "ranks 8 nationally: one step up" in lifted.reason_en
    assert "全国8位（47支部中）" in lifted.details[0].ja
    assert "全国順位がすべて10位以内のため1段階上げてA" in lifted.details[-1].ja
    assert suggest([figures(k, "60.0", rank=12)], ANNUAL, rules).symbol == "B"
    # Never above the best mark; a rank of a KPI without data does not count.
    assert suggest([figures(k, "67.2", rank=1)], ANNUAL, rules).symbol == "S"
    other = kpi("k.other", "特定保健指導実施率")
    scope = [figures(k, "60.0", rank=3), figures(other, "61.0", rank=20)]
    assert suggest(scope, ANNUAL, rules).symbol == "B"  # every ranked KPI must be in the top 10


# --- the words ---------------------------------------------------------------------------


@pytest.mark.parametrize("period", list(PeriodKind))
def test_reasons_name_kpis_never_their_keys(period):
    a = kpi("1.II.2.k1", "特定健診実施率")
    b = kpi("1.II.2.k2", "健康宣言事業所数", unit="事業所", decimals=0, target=D("1350"))
    c = kpi("1.II.2.k3", "後発医薬品の使用割合", direction=Direction.EXACTLY, target=D("100"))
    for scope in (
        [figures(a, "58.0", rank=4), figures(b, "1400"), figures(c, "100")],
        [figures(a, "70.0")],
        [figures(b, None)],
    ):
        s = suggest(scope, period)
        text = all_text(s)
        assert "1.II.2" not in text and "k1" not in text and "k2" not in text
        names = [f.kpi.name for f in scope]
        assert all(n in "\n".join(d.ja for d in s.details) for n in names)
        assert all(n in "\n".join(d.en for d in s.details) for n in names)
        assert "ポイント" not in " ".join(d.en for d in s.details)  # each language its own words


def test_the_japanese_and_english_reasons_say_the_same():
    s = suggest([figures(kpi(), "58.8")], ANNUAL)
    assert s.reason_ja == "特定健診実施率 -1.2ポイント（目標比 -2%）で未達成。"
    assert s.reason_en == "特定健診実施率 -1.2pt (-2% of target): not met."
    assert s.details[-1].ja == "目安: C = ほかの目安に当たらない。"
    assert s.details[-1].en == "Rule: C = no other step applies."


def test_a_long_kpi_name_is_shortened_in_the_one_line_reason_only():
    name = "サービススタンダードの達成状況（健康保険給付の受付から振込までの日数の目標）"
    s = suggest([figures(kpi(name=name), "61.0")], ANNUAL)
    assert "…" in s.reason_ja and name not in s.reason_ja
    assert name in s.details[0].ja


def test_describe_step():
    assert describe_step(Step("D", weakest_max=D("-0.10"))).ja == "最も低い指標の目標比 -10%以下"
    assert describe_step(Step("S", share_met_min=D("1"), weakest_min=D("0.1"))).en == (
        "KPIs met at least 100%, weakest margin at least +10%"
    )


# --- the rules as data -------------------------------------------------------------------


def test_rules_round_trip_as_data_and_as_text():
    rules = replace(
        DEFAULT_MARK_RULES, midyear=replace(DEFAULT_MARK_RULES.midyear, rank_lift_top=5)
    )
    assert from_data(to_data(rules)) == rules
    assert load_rules(dump_rules(rules)) == rules
    assert load_rules(dump_rules(DEFAULT_MARK_RULES)) == DEFAULT_MARK_RULES
    assert "rank_lift_top" not in to_data(DEFAULT_MARK_RULES)["annual"]


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d["annual"]["steps"][0].update(mark="◎"), "$.annual.steps[0].mark"),
        (lambda d: d["midyear"]["steps"][0].update(mark="×"), "$.midyear.steps[0].mark"),
        (lambda d: d["annual"]["steps"][1].update(mark="S"), "$.annual.steps[1].mark"),
        (lambda d: d["annual"]["steps"][-1].update(average_min="0"), "$.annual.steps[4]"),
        (
            lambda d: (
                d["annual"]["steps"][0].pop("share_met_min")
                and d["annual"]["steps"][0].pop("average_min")
            ),
            "$.annual.steps[0]",
        ),
        (
            lambda d: d["annual"]["steps"][0].update(share_met_min="1.5"),
            "$.annual.steps[0].share_met_min",
        ),
        (
            lambda d: d["annual"]["steps"][0].update(average_min=0.1),
            "$.annual.steps[0].average_min",
        ),
        (
            lambda d: d["annual"]["steps"][0].update(average_min="NaN"),
            "$.annual.steps[0].average_min",
        ),
        (lambda d: d["annual"]["steps"][0].update(best="1"), "$.annual.steps[0]"),
        (lambda d: d["annual"].update(rank_lift_top=48), "$.annual.rank_lift_top"),
        (lambda d: d["annual"].update(rank_lift_top=True), "$.annual.rank_lift_top"),
        (lambda d: d["annual"].update(steps=[]), "$.annual.steps"),
        (lambda d: d.pop("midyear"), "$.midyear"),
        (lambda d: d.update(weekly={}), "$"),
    ],
)
def test_rules_that_cannot_be_used_are_refused_naming_the_place(change, where):
    data = to_data(DEFAULT_MARK_RULES)
    change(data)
    with pytest.raises(MarkRulesError) as err:
        from_data(data)
    assert err.value.where == where


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        '{"midyear": {"steps": [{"mark": "△"}]}, "annual": {"steps": [{"mark": "C"}], '
        '"rank_lift_top": 1' + "0" * 5000 + "}}",
        dump_rules(DEFAULT_MARK_RULES).replace('"0.10"', "0.10"),  # a number, not a string
    ],
)
def test_broken_rules_text_is_refused(text):
    with pytest.raises(MarkRulesError):
        load_rules(text)
