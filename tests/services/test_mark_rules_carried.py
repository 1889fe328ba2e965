"""HQ's rules for suggested marks travel with its template: stored with the plan,
in plan JSON, in the template workbook, and into every branch plan made from it
(`plandesk plan new`, the rollover); the open report suggests by them."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from desktop.domain.errors import Refused
from desktop.domain.mark_rules import DEFAULT_MARK_RULES, MarkRules, Step
from desktop.domain.model import Benchmark, PeriodKind, Plan
from desktop.services import exchange, plan_exchange, plans, rollover
from desktop.services.check import check_database
from desktop.services.workspace import load_report
from desktop.store.database import Database, open_database
from desktop.workbooks.machine import Kind
from tests.helpers.reports import REF

# HQ: a rank in the top 10 lifts the annual mark; ◎ mid-year needs every KPI 5 % ahead.
HQ_RULES = replace(
    DEFAULT_MARK_RULES,
    annual=replace(DEFAULT_MARK_RULES.annual, rank_lift_top=10),
    midyear=replace(
        DEFAULT_MARK_RULES.midyear,
        steps=(
            Step("◎", share_met_min=Decimal(1), weakest_min=Decimal("0.05")),
            *DEFAULT_MARK_RULES.midyear.steps[1:],
        ),
    ),
)


def _hq_sets_rules(db: Database, rules: MarkRules = HQ_RULES) -> Plan:
    template = replace(plans.get_plan(db, "00", 2025), mark_rules=rules)
    plans.install_plan(db, template, actor="hq", replace=True)
    return template


def test_the_rules_are_stored_with_the_plan_and_accounted_for(demo_db):
    assert plans.get_plan(demo_db, "00", 2025).mark_rules is None  # the default
    _hq_sets_rules(demo_db)
    assert plans.get_plan(demo_db, "00", 2025).mark_rules == HQ_RULES
    report = check_database(demo_db)  # the audit trail vouches for the stored rules
    assert report.ok, [(f.label.en, f.detail) for f in report.findings if not f.ok]


def test_the_rules_round_trip_through_plan_json(demo_db, tmp_path: Path):
    _hq_sets_rules(demo_db)
    out = plan_exchange.export_plan(demo_db, "00", 2025, tmp_path / "hq.json")
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["mark_rules"]["annual"]["rank_lift_top"] == 10
    assert plan_exchange.read_plan_document(out).mark_rules == HQ_RULES
    # A plan without rules writes none (older readers and files stay as they were).
    tokyo = plan_exchange.export_plan(demo_db, "13", 2024, tmp_path / "tokyo.json")
    assert "mark_rules" not in json.loads(tokyo.read_text(encoding="utf-8"))


def test_new_rules_in_a_plan_document_are_structure(demo_db):
    """HQ's template without entered data takes new rules from a plan import; a plan
    holding reports refuses them like any change of structure (nothing lost)."""
    incoming = replace(plans.get_plan(demo_db, "00", 2025), mark_rules=HQ_RULES)
    preview = plan_exchange.preview_plan_import(demo_db, incoming)
    assert preview.replaces and any("mark_rules" in s.fields for s in preview.structure)
    plan_exchange.apply_plan_import(demo_db, incoming, actor="hq")
    assert plans.get_plan(demo_db, "00", 2025).mark_rules == HQ_RULES
    tokyo = replace(plans.get_plan(demo_db, "13", 2024), mark_rules=HQ_RULES)
    assert plan_exchange.preview_plan_import(demo_db, tokyo).refused_structure
    with pytest.raises(Refused):
        plan_exchange.apply_plan_import(demo_db, tokyo, actor="it")
    assert plans.get_plan(demo_db, "13", 2024).mark_rules is None


def test_bad_rules_in_plan_json_are_refused_naming_the_place(demo_db, tmp_path: Path):
    _hq_sets_rules(demo_db)
    out = plan_exchange.export_plan(demo_db, "00", 2025, tmp_path / "hq.json")
    document = json.loads(out.read_text(encoding="utf-8"))
    document["mark_rules"]["annual"]["steps"][0]["mark"] = "◎"
    out.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(Exception) as refused:
        plan_exchange.read_plan_document(out)
    assert "$.mark_rules.annual.steps[0].mark" in str(refused.value.text.en)


def test_the_rules_round_trip_through_the_template_workbook(demo_db, tmp_path: Path):
    _hq_sets_rules(demo_db)
    out = exchange.export_workbook(
        demo_db, branch="00", fiscal_year=2025, kind=Kind.TEMPLATE, out=tmp_path, actor="hq"
    ).path
    expect = exchange.Expectation(kinds=(Kind.TEMPLATE,))
    with open_database(tmp_path / "branch.sqlite3", create=True) as branch:
        preview = exchange.preview_import(branch, out, expect)
        exchange.apply_import(branch, preview, actor="x", expect=expect)
        assert plans.get_plan(branch, "00", 2025).mark_rules == HQ_RULES
        # ... and a branch plan made there from the imported template inherits them.
        plan_exchange.new_plan(branch, "08", 2025, actor="it")
        assert plans.get_plan(branch, "08", 2025).mark_rules == HQ_RULES


def test_plan_new_copies_the_templates_rules(demo_db):
    _hq_sets_rules(demo_db)
    plan_exchange.new_plan(demo_db, "27", 2025, actor="it")
    assert plans.get_plan(demo_db, "27", 2025).mark_rules == HQ_RULES
    report = check_database(demo_db)
    assert report.ok, [(f.label.en, f.detail) for f in report.findings if not f.ok]


def test_the_rollover_copies_the_templates_rules(demo_db):
    _hq_sets_rules(demo_db)
    rollover.roll_over(demo_db, "13", actor="suzuki")
    assert plans.get_plan(demo_db, "13", 2025).mark_rules == HQ_RULES


def test_the_open_report_suggests_by_the_plans_rules(demo_db):
    """The demo's 3.7 (one KPI met by far): ◎ by the default; HQ's rules above ask
    for every KPI 5 % ahead — still ◎; a rule set asking 200 % gives ○."""
    snap = load_report(demo_db, REF)
    assert snap.suggestion("3.7").symbol == "◎"
    strict = replace(
        DEFAULT_MARK_RULES,
        midyear=replace(
            DEFAULT_MARK_RULES.midyear,
            steps=(
                Step("◎", share_met_min=Decimal(1), average_min=Decimal(2)),
                *DEFAULT_MARK_RULES.midyear.steps[1:],
            ),
        ),
    )
    snap.plan = replace(snap.plan, mark_rules=strict)
    found = snap.suggestion("3.7")
    assert found.symbol == "○"
    assert found.details[-1].ja == "目安: ○ = 達成した指標の割合 100%以上。"


def test_the_rank_in_the_report_lifts_the_mark_under_hqs_rules(demo_db):
    snap = load_report(demo_db, replace(REF, period=PeriodKind.MIDYEAR))
    snap.plan = replace(
        snap.plan,
        mark_rules=replace(
            DEFAULT_MARK_RULES, midyear=replace(DEFAULT_MARK_RULES.midyear, rank_lift_top=10)
        ),
    )
    kpi = snap.plan.kpis_of("2.II.4")[0]
    assert snap.suggestion("2.II.4").symbol == "○"
    snap.benchmarks[kpi.key] = Benchmark(kpi.key, national_rank=4, branch_count=47)
    lifted = snap.suggestion("2.II.4")
    assert lifted.symbol == "◎"
    assert "全国4位で1段階上げ" in lifted.reason_ja
