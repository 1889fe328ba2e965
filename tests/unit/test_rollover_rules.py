"""Year rollover's rules, without a database: what becomes a baseline, how a
対前年度 target resolves, which KPIs are new or redefined."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from desktop.domain.branches import branch
from desktop.domain.calendar import YearMonth
from desktop.domain.model import (
    Direction,
    Kpi,
    Level,
    Measurement,
    PeriodKind,
    Plan,
    PlanNode,
    Report,
    Source,
    TargetKind,
)
from desktop.domain.rollover import (
    branch_title,
    carry_kpi,
    kpis_to_confirm,
    last_year_figure,
    next_year,
    next_year_plan,
)

TOKYO = branch("13")
NODE = PlanNode(key="1", parent_key=None, level=Level.PILLAR, label="１．", title="柱")


def _kpi(key: str, name: str, unit: str = "％", decimals: int = 1, **kw: object) -> Kpi:
    base = dict(
        key=key,
        node_key="1",
        label="",
        name=name,
        unit=unit,
        decimals=decimals,
        direction=Direction.AT_LEAST,
        target_kind=TargetKind.PREV_YEAR,
    )
    return Kpi(**{**base, **kw})  # type: ignore[arg-type]


def _last_year(*kpis: Kpi, midyear=(), annual=()) -> Plan:
    reports = []
    if midyear:
        reports.append(Report(PeriodKind.MIDYEAR, YearMonth(2024, 9), measurements=midyear))
    if annual:
        reports.append(Report(PeriodKind.ANNUAL, YearMonth(2025, 3), measurements=annual))
    return Plan("13", 2024, "令和６年度東京支部事業計画", nodes=(NODE,), kpis=kpis,
                reports=tuple(reports))  # fmt: skip


def test_the_annual_figure_resolves_a_last_year_target():
    old = _kpi("a", "受診率")
    previous = _last_year(
        old,
        midyear=(Measurement("a", Decimal("50.1"), as_of=YearMonth(2024, 8)),),
        annual=(Measurement("a", Decimal("55.2"), preliminary=True),),
    )
    carried = carry_kpi(_kpi("x", "受診率"), previous)
    assert carried.kpi.target == Decimal("55.2") == carried.kpi.last_year_actual
    assert carried.kpi.target_kind is TargetKind.PREV_YEAR  # still prints 対前年度以上
    assert carried.resolved is not None and carried.unresolved is None
    assert carried.resolved.period is PeriodKind.ANNUAL
    assert carried.resolved.as_of == YearMonth(2025, 3)  # the report's, the figure has none
    assert carried.resolved.text_ja == "対前年度以上（55.2％、令和7年3月時点・事業報告・速報値）"
    assert (
        carried.resolved.text_en
    ) == "at least last year (55.2％, as of 2025-03, annual report, preliminary)"
    assert carried.baseline is not None and carried.baseline.from_kpi_key == "a"
    assert carried.flag is None


def test_a_rate_from_its_parts_is_carried_as_it_was_printed():
    previous = _last_year(
        _kpi("a", "率", decimals=2),
        midyear=(Measurement("a", numerator=Decimal(1), denominator=Decimal(3)),),
    )
    assert last_year_figure(previous, "a").value == Decimal("33.33")
    assert carry_kpi(_kpi("x", "率", decimals=2), previous).kpi.target == Decimal("33.33")


def test_no_figure_last_year_leaves_the_target_open():
    previous = _last_year(_kpi("a", "率"))
    carried = carry_kpi(_kpi("x", "率", target=Decimal("10")), previous)
    assert carried.kpi.target is None and carried.resolved is None
    assert carried.unresolved is not None
    assert carried.unresolved.reason_ja == "前年度の実績がないため目標未確定"
    assert carried.baseline is None and carried.flag is None


def test_a_figure_in_another_unit_is_no_baseline_and_the_kpi_is_redefined():
    previous = _last_year(
        _kpi("a", "委嘱事業所数", unit="事業所", decimals=0),
        midyear=(Measurement("a", Decimal("120")),),
    )
    carried = carry_kpi(_kpi("x", "委嘱事業所数", unit="％", decimals=0), previous)
    assert carried.kpi.last_year_actual is None and carried.baseline is None
    assert carried.unresolved is not None and "単位が異なり" in carried.unresolved.reason_ja
    assert carried.flag is not None and carried.flag.reason == "definition_changed"
    assert "単位 事業所 → ％" in carried.flag.detail_ja
    assert "前年度の実績は引き継いでいません" in carried.flag.detail_ja


def test_hq_figures_in_the_template_are_not_a_branch_baseline():
    template_kpi = _kpi(
        "x",
        "新しいKPI",
        target_kind=TargetKind.FIXED,
        target=Decimal("80"),
        last_year_actual=Decimal("77"),
        last_year_profile=((1, Decimal("5")),),
    )
    carried = carry_kpi(template_kpi, _last_year(_kpi("a", "別のKPI")))
    assert carried.kpi.last_year_actual is None and carried.kpi.last_year_profile == ()
    assert carried.kpi.target == Decimal("80")  # a fixed target stays as HQ set it
    assert carried.flag is not None and carried.flag.reason == "new"
    assert "前年度の計画に同名のKPIがありません" in carried.flag.detail_ja


def test_monthly_figures_become_the_pace_curve():
    months = ((1, Decimal("10")), (2, Decimal("21")))
    previous = _last_year(_kpi("a", "件数", unit="件", decimals=0, monthly_actuals=months))
    carried = carry_kpi(_kpi("x", "件数", unit="件", decimals=0), previous)
    assert carried.kpi.last_year_profile == months
    assert carried.baseline is not None
    assert (carried.baseline.value, carried.baseline.profile_months) == (None, 2)


def test_new_and_redefined_kpis_need_a_confirmation():
    previous = _last_year(
        _kpi("a", "受診率", decimals=2),
        _kpi("b", "勧奨件数", unit="件", decimals=0),
        midyear=(Measurement("b", Decimal("5")),),
    )
    marked_new = carry_kpi(_kpi("y", "勧奨件数", unit="件", decimals=0, is_new=True), previous)
    assert marked_new.flag is not None and marked_new.flag.reason == "new"
    assert "本部の計画で【新設】" in marked_new.flag.detail_ja
    assert "を引き継ぎました" in marked_new.flag.detail_ja  # with a match: carried all the same
    fewer_decimals = carry_kpi(_kpi("x", "受診率", decimals=0), previous)
    assert fewer_decimals.flag is not None
    assert fewer_decimals.flag.reason == "definition_changed"
    assert "小数桁数 2 → 0" in fewer_decimals.flag.detail_ja
    marked = carry_kpi(_kpi("z", "受診率", decimals=2, definition_changed=True), previous)
    assert marked.flag is not None and "算出方法の変更" in marked.flag.detail_ja


def test_which_kpis_to_confirm_without_last_years_plan():
    plan = _last_year(
        _kpi("a", "一"),
        _kpi("b", "二", is_new=True),
        _kpi("c", "三", definition_changed=True),
    )
    assert [(f.kpi_key, f.reason) for f in kpis_to_confirm(plan, None)] == [
        ("b", "new"),
        ("c", "definition_changed"),
    ]
    with_previous = kpis_to_confirm(plan, _last_year(_kpi("p", "一"), _kpi("q", "二")))
    assert [(f.kpi_key, f.reason) for f in with_previous] == [
        ("b", "new"),
        ("c", "new"),  # no KPI named 三 last year
    ]


def test_the_next_years_plan_is_the_templates_tree_for_the_branch():
    template = Plan(
        "00", 2025, "令和７年度本部事業計画", basic_policy=("方針",), nodes=(NODE,),
        kpis=(_kpi("x", "受診率"),),
    )  # fmt: skip
    previous = _last_year(_kpi("a", "受診率"), midyear=(Measurement("a", Decimal("40")),))
    plan, carried = next_year_plan(template, previous, TOKYO)
    assert (plan.branch, plan.fiscal_year, plan.title) == ("13", 2025, "令和７年度東京支部事業計画")
    assert plan.nodes == template.nodes and plan.basic_policy == ("方針",)
    assert plan.reports == ()
    assert plan.kpis == tuple(c.kpi for c in carried)
    assert plan.kpis[0].target == Decimal("40")


def test_a_template_title_without_hq_gets_the_branch_in_front():
    template = Plan("00", 2025, "令和７年度事業計画")
    assert branch_title(template, TOKYO) == "東京支部 令和７年度事業計画"
    assert branch_title(replace(template, title="本部計画"), TOKYO) == "東京支部計画"


# --- the branch's own sections, items and KPIs (支部独自) ---------------------------------

SECTIONS = (
    NODE,
    PlanNode("1.I", "1", Level.SECTION, "Ⅰ．", "財政", position=0),
    PlanNode("1.II", "1", Level.SECTION, "Ⅱ．", "保健", position=1),
)


def _own_last_year() -> Plan:
    nodes = (
        *SECTIONS,
        PlanNode("1.II.n1", "1.II", Level.ITEM, "（独１）", "独自の健診勧奨", "電話で勧奨",
                 position=0, own=True),
        PlanNode("1.II.n1.n1", "1.II.n1", Level.SUBITEM, "ⅰ）", "訪問", position=0, own=True),
        PlanNode("1.I.n1", "1.I", Level.ITEM, "（独２）", "独自の広報", position=0, own=True),
    )  # fmt: skip
    kpis = (
        _kpi("1.II.n1.k1", "勧奨後受診率", target_kind=TargetKind.FIXED, target=Decimal("30.0"),
             node_key="1.II.n1", own=True, last_year_actual=Decimal("25.0"), is_new=True),
        _kpi("1.II.k9", "訪問件数", unit="件", decimals=0, node_key="1.II", own=True),
        _kpi("1.I.k9", "広報回数", unit="回", decimals=0, target_kind=TargetKind.FIXED,
             target=Decimal(4), node_key="1.I", own=True),
        _kpi("1.I.n1.k1", "広報紙の配布数", unit="部", decimals=0, node_key="1.I.n1", own=True),
    )  # fmt: skip
    midyear = (
        Measurement("1.II.n1.k1", Decimal("28.5")),
        Measurement("1.II.k9", Decimal("120")),
    )
    plan = _last_year(*kpis, midyear=midyear)
    return replace(plan, nodes=nodes)


def _template(*, may_add_under_finance: bool | None) -> Plan:
    nodes = tuple(
        replace(n, branch_may_add=may_add_under_finance) if n.key == "1.I" else n for n in SECTIONS
    )
    return Plan("00", 2025, "令和７年度本部事業計画", nodes=nodes)


def test_own_parts_carry_over_with_their_targets_and_last_years_figure():
    found = next_year(_template(may_add_under_finance=None), _own_last_year(), TOKYO)
    plan = found.plan
    assert found.own_nodes == ("1.II.n1", "1.II.n1.n1", "1.I.n1")
    assert not found.left_behind
    item = plan.node("1.II.n1")
    assert item.own and item.plan_text == "電話で勧奨" and item.parent_key == "1.II"
    kpis = {k.key: k for k in plan.kpis}
    rate = kpis["1.II.n1.k1"]
    assert rate.own and rate.target == Decimal("30.0") and not rate.is_new
    assert (rate.last_year_actual, rate.last_year_source) == (Decimal("28.5"), Source.ROLLOVER)
    assert rate.prior_year_actual == Decimal("25.0")  # last year's 前年度 becomes 前々年度
    visits = kpis["1.II.k9"]  # 対前年度以上 under HQ's section: resolved like HQ's KPIs
    assert visits.own and visits.target == Decimal("120")
    assert [c.resolved.kpi_key for c in found.carried if c.resolved] == ["1.II.k9"]
    assert {"1.I.k9", "1.I.n1.k1"} <= kpis.keys()


def test_own_parts_where_hq_no_longer_allows_additions_are_left_behind_with_the_reason():
    found = next_year(_template(may_add_under_finance=False), _own_last_year(), TOKYO)
    assert found.own_nodes == ("1.II.n1", "1.II.n1.n1")
    left = {(b.kind, b.key): b for b in found.left_behind}
    assert left.keys() == {("node", "1.I.n1"), ("kpi", "1.I.k9")}
    assert "Ⅰ．財政" in left[("node", "1.I.n1")].reason_ja
    assert "does not let a branch add" in left[("kpi", "1.I.k9")].reason_en
    assert left[("kpi", "1.I.k9")].name == "広報回数"
    kpis = {k.key for k in found.plan.kpis}
    assert "1.I.k9" not in kpis and "1.I.n1.k1" not in kpis  # with its section
    assert "1.I.n1" not in {n.key for n in found.plan.nodes}


def test_own_parts_whose_place_is_gone_from_the_template_are_left_behind():
    template = Plan("00", 2025, "令和７年度本部事業計画", nodes=(NODE, SECTIONS[1]))
    found = next_year(template, _own_last_year(), TOKYO)
    left = {b.key: b for b in found.left_behind}
    assert "1.II.n1" in left and "1.II.k9" in left
    assert "Ⅱ．保健" in left["1.II.n1"].reason_ja
