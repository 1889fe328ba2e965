"""A workbook's data with every column set somewhere: the Tokyo demo plan, with
the optional fields filled in and texts that a cell holds only escaped."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

from desktop.domain.branch_targets import BY_BRANCH_JA, parse_cells
from desktop.domain.calendar import YearMonth
from desktop.domain.mark_rules import DEFAULT_MARK_RULES
from desktop.domain.model import (
    Benchmark,
    BranchTargets,
    Group,
    PeriodKind,
    Plan,
    ReportAxis,
    SectionEntry,
    Source,
    TargetKind,
)
from desktop.domain.print_profiles import ReportProfiles
from desktop.services.plans import bundled_plan
from desktop.workbooks.machine import Kind, Manifest, WorkbookData

STAMP = datetime(2024, 10, 2, 7, 30, 0, 250000, tzinfo=UTC)


# HQ's rules with every kind of condition and a rank lift.
HQ_RULES = replace(
    DEFAULT_MARK_RULES,
    annual=replace(DEFAULT_MARK_RULES.annual, rank_lift_top=10),
    midyear=replace(
        DEFAULT_MARK_RULES.midyear,
        steps=(
            replace(DEFAULT_MARK_RULES.midyear.steps[0], weakest_min=Decimal("0.02")),
            *DEFAULT_MARK_RULES.midyear.steps[1:],
        ),
    ),
)


SCOPE_HOLDER = "1.II.2.1"
SCOPE_MEMBERS = ("1.II.2.2", "1.II.2.3", "1.II.2.4")


def full_plan() -> Plan:
    """The Tokyo demo plan with every optional column set somewhere, and texts that
    are written escaped (control characters, \\r, '', a 'json:' start)."""
    plan = bundled_plan("plans/tokyo_2024.json")
    nodes = list(plan.nodes)
    nodes[1] = replace(nodes[1], importance="", difficulty="json:困難\r\n二行目\x07")
    nodes[2] = replace(nodes[2], group=Group.HEALTH, footnotes=("※１", "", "=SUM(A1)"))
    # Groups as a report axis (format 5): places in the plan's own order.
    nodes[2] = replace(nodes[2], report_position=0)
    nodes[1] = replace(nodes[1], report_position=1_000_000)
    # A rating scope (format 5): ②–④ of サービス水準の向上 rated with ①.
    nodes = [replace(n, rated_with=SCOPE_HOLDER) if n.key in SCOPE_MEMBERS else n for n in nodes]
    kpis = list(plan.kpis)
    kpis[0] = replace(
        kpis[0],
        judged_decimals=0,
        last_year_actual=Decimal("1E+3"),
        numerator_target=Decimal("0.0000001"),
        last_year_profile=((1, Decimal("1.5")), (2, Decimal("3"))),
        monthly_actuals=((1, Decimal("2.25")),),
        numerator_label="受診者",
        denominator_label="",
        reference="+参考",
        note="@注",
        last_year_source=Source.TYPED,
        prior_year_actual=Decimal("-0.50"),
        prior_year_source=Source.ROLLOVER,
        last_year_national_average=Decimal("54.25"),
        last_year_national_rank=47,
    )
    kpis[1] = replace(
        kpis[1],
        cumulative=True,
        is_new=True,
        definition_changed=True,
        definition_note="=分母の変更",
    )
    # Targets beyond one number a year (format 4).
    kpis[2] = replace(
        kpis[2],
        target_kind=TargetKind.MULTI_YEAR,
        target=Decimal("62.0"),
        baseline_year=2023,
        baseline_value=Decimal("50.0"),
        goal_year=2029,
    )
    kpis[3] = replace(
        kpis[3], target_kind=TargetKind.MANUAL, target=None, target_text="前年度の水準を上回る"
    )
    kpis[4] = replace(kpis[4], reference_indicator=True)
    report = plan.reports[0]
    measurements = list(report.measurements)
    for i, m in enumerate(measurements):
        if m.kpi_key == kpis[3].key:
            measurements[i] = replace(m, manual_status="not_met", manual_reason="+理由")
        if m.kpi_key == kpis[1].key:
            measurements[i] = replace(m, old_method_value=Decimal("97.25"))
    measurements[0] = replace(
        measurements[0],
        numerator=Decimal("12"),
        denominator=Decimal("-3.5"),
        done=True,
        preliminary=True,
        entered_by="suzuki",
        entered_at=STAMP,
        as_of=YearMonth(2024, 8),
    )
    measurements[1] = replace(
        measurements[1], value=None, done=False, unavailable_reason="集計中\t（９月）"
    )
    entries = [
        replace(e, mark=None, mark_reason=None) if e.node_key in SCOPE_MEMBERS else e
        for e in report.entries
    ]
    entries[0] = replace(
        entries[0], mark=None, mark_reason="", next_steps="-1", actions="具体的な\n取り組み"
    )
    free = next(n.key for n in nodes if n.key not in {e.node_key for e in entries})
    entries.append(SectionEntry(node_key=free, status_text="\ufffe\x00", mark="○"))
    benchmarks = (
        Benchmark(kpis[0].key, Decimal("55.5"), 3, 47),
        Benchmark(kpis[1].key, None, None, None, source=Source.TYPED),
    )
    report = replace(
        report,
        title="json:報告",
        entries=tuple(entries),
        measurements=tuple(measurements),
        benchmarks=benchmarks,
    )
    return replace(
        plan,
        basic_policy=("方針一", "\r"),
        mark_rules=HQ_RULES,
        report_axis=ReportAxis.GROUP,
        number_per_group=True,
        # format 5: a layout per period other than the default (the midyear report
        # prints the plan | results table with its KPI boxes)
        print_profiles=ReportProfiles(midyear="plan_results2", annual="annual6"),
        nodes=tuple(nodes),
        kpis=tuple(kpis),
        reports=(report,),
    )


def full_data(kind: Kind) -> WorkbookData:
    plan = full_plan()
    if kind is Kind.TEMPLATE:
        # HQ's targets per branch (format 4): one cell of each kind the table holds.
        first, second = plan.kpis[1], plan.kpis[2]
        targets = parse_cells(
            plan,
            {
                ("27", first.key): "65.0" + first.unit,
                ("27", second.key): BY_BRANCH_JA,
                ("01", first.key): "対前年度末" + first.direction.suffix_ja,
            },
        )
        plan = replace(plan, reports=(), branch_targets=BranchTargets().with_cells(targets))
    signed = kind is Kind.SUBMISSION
    manifest = Manifest(
        kind=kind,
        branch=plan.branch,
        fiscal_year=plan.fiscal_year,
        period=PeriodKind.MIDYEAR if plan.reports else None,
        app_version="0.9.0",
        created_by="planner13",
        created_name="企画総務グループ 佐藤 花子",
        created_at=STAMP,
        sections=(plan.nodes[1].key, plan.nodes[2].key) if kind is Kind.WORK else (),
        signed_off_by="yamada" if signed else None,
        signed_off_at=STAMP if signed else None,
        signed_off_name="支部長 山田 太郎" if signed else None,
    )
    bases = (
        {f"entry/{plan.nodes[1].key}/status_text": "前の\r値", "measurement/x/value": None}
        if kind is Kind.WORK
        else {}
    )
    return WorkbookData(manifest=manifest, plan=plan, bases=bases)
