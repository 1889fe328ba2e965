"""HQ's targets per branch: a cell's text → a target (and back), checked against
its KPI; what a branch's plan takes; 対前年度末 judged against last year's end."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from desktop.domain.achievement import Status, assess, format_target
from desktop.domain.branch_targets import (
    TargetCellError,
    TargetTableError,
    branch_kpis,
    default_text,
    format_cell,
    parse_cell,
    parse_cells,
)
from desktop.domain.calendar import YearMonth
from desktop.domain.model import (
    BranchTarget,
    BranchTargetKind,
    BranchTargets,
    Direction,
    Kpi,
    Measurement,
    TargetKind,
)
from desktop.domain.plan_document import PlanDocumentError, from_document, to_document
from desktop.services.plans import bundled_plan

RATE = Kpi("k", "n", "", "受診率", "％", 1, Direction.AT_LEAST, TargetKind.FIXED, Decimal("60"))
AT_MOST = replace(RATE, direction=Direction.AT_MOST, name="一者応札の割合")
EXACT = replace(RATE, direction=Direction.EXACTLY, target=Decimal("100"))
DONE = replace(RATE, unit="", direction=Direction.QUALITATIVE, target=None)
COUNT = replace(RATE, unit="事業所", decimals=0, target=Decimal("1000"))
FIXED, PREV, PREV_END = (
    BranchTargetKind.FIXED,
    BranchTargetKind.PREV_YEAR,
    BranchTargetKind.PREV_YEAR_END,
)


@pytest.mark.parametrize(
    ("kpi", "text", "kind", "value", "shown"),
    [
        (RATE, "60.0", FIXED, "60.0", "60.0％以上"),
        (RATE, "60.0％以上", FIXED, "60.0", "60.0％以上"),
        (RATE, "６０．０％以上", FIXED, "60.0", "60.0％以上"),
        (RATE, " 60.0 ％ 以上 ", FIXED, "60.0", "60.0％以上"),
        (RATE, "対前年度以上", PREV, None, "対前年度以上"),
        (RATE, "対前年度末以上", PREV_END, None, "対前年度末以上"),
        (RATE, "対前年度末", PREV_END, None, "対前年度末以上"),
        (AT_MOST, "15％以下", FIXED, "15", "15％以下"),
        (AT_MOST, "対前年度以下", PREV, None, "対前年度以下"),
        (EXACT, "100％", FIXED, "100", "100％"),
        (DONE, "実施", BranchTargetKind.QUALITATIVE, None, "実施"),
        (RATE, "支部設定", BranchTargetKind.BY_BRANCH, None, "支部設定"),
        (DONE, "支部設定", BranchTargetKind.BY_BRANCH, None, "支部設定"),
        (COUNT, "1,250事業所", FIXED, "1250", "1250事業所以上"),
    ],
)
def test_a_cell_reads_and_writes_back(kpi, text, kind, value, shown):
    target = parse_cell(text, kpi)
    assert target == BranchTarget(kind, None if value is None else Decimal(value))
    assert format_cell(target, kpi) == shown
    assert parse_cell(shown, kpi) == target  # the written text reads back the same


@pytest.mark.parametrize("text", ["", "  ", None])
def test_a_blank_cell_is_the_templates_default(text):
    assert parse_cell(text, RATE) is None
    assert format_cell(None, RATE) == ""


@pytest.mark.parametrize(
    ("kpi", "text", "ja", "en"),
    [
        (RATE, "15％以下", "「以上」で判定", "judged 'at least'"),
        (RATE, "対前年度以下", "「以上」で判定", "judged 'at least'"),
        (RATE, "実施", "数値の目標", "numeric target"),
        (DONE, "60", "実施・未実施", "done / not done"),
        (EXACT, "対前年度以上", "以上・以下のKPI", "at-least or at-most KPI"),
        (RATE, "60円", "単位「円」", "is in 円"),
        (RATE, "abc", "数値として読めません", "is not a number"),
        (RATE, "六十", "数値として読めません", "is not a number"),
        (RATE, "1.2.3", "小数点が2つ以上", "more than one decimal point"),
        (RATE, "NaN", "数値として読めません", "is not a number"),
        (RATE, "対前年度ぐらい", "読めません", "not understood"),
    ],
)
def test_a_bad_cell_says_why_in_both_languages(kpi, text, ja, en):
    with pytest.raises(TargetCellError) as caught:
        parse_cell(text, kpi)
    assert ja in caught.value.message("ja") and en in caught.value.message("en")
    assert text in caught.value.message("ja")


def test_a_table_is_read_as_a_whole_and_names_every_bad_cell():
    plan = bundled_plan("templates/hq_2025.json")
    texts = {
        ("27", "2.II.2.k2"): "65.0",
        ("28", "2.II.2.k2"): "だめ",
        ("13", "3.II.6.k1"): "20％以上",  # an 以下 KPI
        ("00", "2.II.2.k2"): "1",  # HQ is no branch of the table
    }
    with pytest.raises(TargetTableError) as caught:
        parse_cells(plan, texts)
    ja, en = caught.value.message("ja"), caught.value.message("en")
    assert "3件" in ja and "何も変更していません" in ja and "Nothing was changed" in en
    assert "兵庫支部" in ja and "東京支部" in ja and "Hyogo branch" in en
    assert {(c.branch, c.kpi_key) for c in caught.value.bad} == {
        ("28", "2.II.2.k2"), ("13", "3.II.6.k1"), ("00", "2.II.2.k2")
    }  # fmt: skip


def test_a_branch_plan_takes_its_row_and_keeps_the_default_elsewhere():
    plan = bundled_plan("templates/hq_2025.json")
    cells = parse_cells(
        plan,
        {
            ("27", "2.II.2.k2"): "65.0",
            ("27", "2.II.2.k1"): "対前年度末以上",
            ("27", "2.II.2.k3"): "支部設定",
            ("13", "2.II.2.k2"): "70.0",
        },
    )
    template = replace(plan, branch_targets=BranchTargets().with_cells(cells))
    osaka = {k.key: k for k in branch_kpis(template, "27")}
    assert (osaka["2.II.2.k2"].target_kind, osaka["2.II.2.k2"].target) == (
        TargetKind.FIXED, Decimal("65.0")
    )  # fmt: skip
    assert osaka["2.II.2.k1"].target_kind is TargetKind.PREV_YEAR_END
    left = osaka["2.II.2.k3"]
    assert left.target_by_branch and left.target is None
    assert format_target(left) == "支部設定（未設定）"
    assert osaka["2.II.4.k1"] == next(k for k in plan.kpis if k.key == "2.II.4.k1")
    assert branch_kpis(template, "01") == plan.kpis  # a branch with no row: the defaults
    assert default_text(next(k for k in plan.kpis if k.key == "2.II.2.k2")) == "63.5％以上"


def test_left_to_the_branch_is_target_unknown_until_it_sets_one():
    left = replace(RATE, target=None, target_by_branch=True)
    judged = assess(left, Measurement("k", value=Decimal("70")), fiscal_year=2025)
    assert judged.status is Status.TARGET_UNKNOWN and "支部設定" in judged.rule_ja
    set_now = replace(left, target=Decimal("65"))
    assert (
        assess(set_now, Measurement("k", value=Decimal("70")), fiscal_year=2025).status
        is Status.MET
    )


# --- 対前年度末 (PREV_YEAR_END) against 対前年度 (PREV_YEAR) ---------------------------------------


def _cumulative(kind: TargetKind) -> Kpi:
    # An accumulating count: last year ended at 1,200 (March), its actual 1,200.
    return replace(COUNT, cumulative=True, target_kind=kind, target=None,
                   last_year_actual=Decimal("1200"),
                   last_year_profile=((6, Decimal("500")), (12, Decimal("1200"))))  # fmt: skip


def test_prev_year_is_judged_by_pace_mid_year_prev_year_end_is_not():
    september = Measurement("k", value=Decimal("800"), as_of=YearMonth(2025, 9))
    # 対前年度以上: last year's total is where the year should end; by September
    # (month 6) last year's profile had reached 500 of 1,200: 800 is ahead of pace.
    prev = assess(_cumulative(TargetKind.PREV_YEAR), september, fiscal_year=2025)
    assert prev.status is Status.ON_PACE and prev.expected is not None
    # 対前年度末以上: last year's year-end level is to be held at every month: 800
    # in September is below 1,200 — not met, never "on pace".
    end = assess(_cumulative(TargetKind.PREV_YEAR_END), september, fiscal_year=2025)
    assert end.status is Status.NOT_MET and end.expected is None
    assert end.target == Decimal("1200")
    assert (
        "対前年度末以上（1,200事業所）" in end.rule_ja
        or "対前年度末以上（1200事業所）" in end.rule_ja
    )


def test_prev_year_end_takes_last_years_march_figure():
    kpi = replace(_cumulative(TargetKind.PREV_YEAR_END), last_year_actual=Decimal("1100"))
    assert kpi.resolved_target() == Decimal("1200")  # March of the profile, not the actual
    no_profile = replace(kpi, last_year_profile=())
    assert no_profile.resolved_target() == Decimal("1100")
    resolved = replace(kpi, target=Decimal("1250"))  # resolved by the rollover
    assert resolved.resolved_target() == Decimal("1250")
    unknown = replace(no_profile, last_year_actual=None)
    judged = assess(unknown, Measurement("k", value=Decimal("5")), fiscal_year=2025)
    assert judged.status is Status.TARGET_UNKNOWN and "前年度末" in judged.rule_ja


# --- the plan document --------------------------------------------------------------------------


def test_the_plan_document_carries_the_table():
    plan = bundled_plan("templates/hq_2025.json")
    cells = parse_cells(plan, {("27", "2.II.2.k2"): "65.0", ("47", "2.III.1.k4"): "支部設定"})
    template = replace(plan, branch_targets=BranchTargets().with_cells(cells))
    doc = to_document(template)
    assert doc["branch_targets"] == {
        "27": {"2.II.2.k2": "65.0％以上"},
        "47": {"2.III.1.k4": "支部設定"},
    }
    assert from_document(doc) == template
    assert "branch_targets" not in to_document(plan)  # optional: plain templates unchanged


@pytest.mark.parametrize(
    ("table", "where"),
    [
        ({"27": {"2.II.2.k2": "15％以下"}}, "$.branch_targets.27.2.II.2.k2"),
        ({"27": {"nope": "1"}}, "$.branch_targets.27.nope"),
        ({"48": {"2.II.2.k2": "1"}}, "$.branch_targets.48"),
        ({"27": {"2.II.2.k2": 65}}, "$.branch_targets.27.2.II.2.k2"),
    ],
)
def test_a_bad_table_in_a_document_names_the_cell(table, where):
    doc = to_document(bundled_plan("templates/hq_2025.json")) | {"branch_targets": table}
    with pytest.raises(PlanDocumentError) as caught:
        from_document(doc)
    assert caught.value.where == where


def test_only_hqs_template_holds_a_table():
    doc = to_document(bundled_plan("plans/tokyo_2024.json"))
    doc["branch_targets"] = {"27": {doc["nodes"][0]["children"][0]["key"]: "1"}}
    with pytest.raises(PlanDocumentError, match="only HQ"):
        from_document(doc)
