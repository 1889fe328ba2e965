"""Hypothesis strategies for valid domain plans and workbook contents.

``plans()`` draws a Plan as PlanDesk can hold it: nodes form a tree with every
parent before its children, keys are unique and match the format's key pattern,
every Direction and TargetKind occurs, numbers stay within the format's decimal
pattern, and there is at most one report whose marks come from its period's
scale. Texts are arbitrary Unicode (Japanese, '', a leading '=', tabs,
newlines, control characters) unless another ``text`` strategy is passed.

    from tests.workbooks.strategies import plans, workbook_data
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from hypothesis import strategies as st

from desktop.domain.branches import BRANCHES
from desktop.domain.calendar import YearMonth
from desktop.domain.mark_rules import DEFAULT_MARK_RULES, MarkRules, ScaleRules, Step
from desktop.domain.model import (
    Benchmark,
    Direction,
    Group,
    Kpi,
    Level,
    Measurement,
    PeriodKind,
    Plan,
    PlanNode,
    Report,
    ReportAxis,
    SectionEntry,
    TargetKind,
)
from desktop.domain.scales import scale_for
from desktop.workbooks.hidden_tables import MANUAL_VERDICTS
from desktop.workbooks.machine import Kind, Manifest, WorkbookData

__all__ = [
    "ANY_PERIOD",
    "datetimes_utc",
    "decimals",
    "keys",
    "manifests",
    "plans",
    "reports",
    "texts",
    "workbook_data",
]

# Texts that have broken spreadsheets before: formula starts, escapes, blanks.
TRICKY_TEXTS = (
    "",
    " ",
    "=1+1",
    '=HYPERLINK("http://example.com","x")',
    "+81-3-0000-0000",
    "-5",
    "@SUM(A1)",
    "\t",
    "\n",
    "\r",
    "a\r\nb",
    "\x00\x01\x1f",
    "\x0b改ページ\x0c",
    "json:",
    'json:"x"',
    "\ufffe\uffff",
    "令和６年度　東京支部（◎○△－×）",
    "①②③ 10² ½ ～〜",
    "😀 emoji",
    "  leading and trailing  ",
)
# No report (a template), or a mid-year or annual one.
ANY_PERIOD: st.SearchStrategy[PeriodKind | None] = st.none() | st.sampled_from(PeriodKind)
_TEXT_CHARS = st.one_of(
    st.characters(codec="utf-8"),  # any code point but lone surrogates
    st.sampled_from("=+-@\t\n\r\x00\x07\x1b 　東京支部事業計画ー－〜～①²"),
)


def texts(max_size: int = 30) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(TRICKY_TEXTS),
        st.text(_TEXT_CHARS, max_size=max_size),
        st.builds(lambda a, b: a + b, st.sampled_from("=+-@"), st.text(_TEXT_CHARS, max_size=10)),
    )


def keys() -> st.SearchStrategy[str]:
    return st.from_regex(r"[A-Za-z0-9_.\-]{1,64}", fullmatch=True)


def decimals() -> st.SearchStrategy[Decimal]:
    """Any value of the format's pattern -?[0-9]{1,18}(\\.[0-9]{1,10})?, digits as written."""

    def build(negative: bool, whole: int, places: int, fraction: int) -> Decimal:
        text = str(whole)
        if places:
            text += "." + str(fraction % 10**places).zfill(places)
        return Decimal(("-" if negative else "") + text)

    return st.builds(
        build,
        st.booleans(),
        st.one_of(st.integers(0, 999), st.integers(0, 10**18 - 1)),
        st.integers(0, 10),
        st.integers(0, 10**10 - 1),
    )


def datetimes_utc() -> st.SearchStrategy[datetime]:
    return st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 12, 31)).map(
        lambda d: d.replace(tzinfo=UTC)
    )


def _optional(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.none() | strategy


def _months_of(fiscal_year: int) -> st.SearchStrategy[YearMonth]:
    return st.integers(1, 12).map(lambda i: YearMonth(fiscal_year + (i >= 10), (i + 2) % 12 + 1))


def _series() -> st.SearchStrategy[tuple[tuple[int, Decimal], ...]]:
    return st.dictionaries(st.integers(1, 12), decimals(), max_size=12).map(
        lambda d: tuple(sorted(d.items()))
    )


@st.composite
def _nodes(draw: st.DrawFn, text: st.SearchStrategy[str]) -> tuple[PlanNode, ...]:
    node_keys = draw(st.lists(keys(), min_size=1, max_size=8, unique=True))
    nodes: list[PlanNode] = []
    depth: dict[str, int] = {}
    siblings: dict[str | None, int] = {}
    for index, key in enumerate(node_keys):
        parent = None if index == 0 else draw(st.sampled_from([None, *node_keys[:index]]))
        depth[key] = 0 if parent is None else depth[parent] + 1
        position = siblings.get(parent, 0)
        siblings[parent] = position + 1
        nodes.append(
            PlanNode(
                key=key,
                parent_key=parent,
                level=list(Level)[min(depth[key], len(Level) - 1)],
                label=draw(text),
                title=draw(text),
                plan_text=draw(text),
                group=draw(_optional(st.sampled_from(Group))),
                importance=draw(_optional(text)),
                difficulty=draw(_optional(text)),
                footnotes=tuple(draw(st.lists(text, max_size=3))),
                position=position,
                own=draw(st.booleans()),
                branch_may_add=draw(_optional(st.booleans())),
                report_position=draw(_optional(st.integers(0, 1_000_000))),
            )
        )
    return tuple(nodes)


@st.composite
def _kpis(draw: st.DrawFn, node_keys: list[str], text: st.SearchStrategy[str]) -> tuple[Kpi, ...]:
    kpi_keys = draw(st.lists(keys(), max_size=8, unique=True))
    kpis = []
    for key in kpi_keys:
        direction = draw(st.sampled_from(Direction))
        kind = draw(st.sampled_from(TargetKind))
        fixed = kind is TargetKind.FIXED and direction is not Direction.QUALITATIVE
        kpis.append(
            Kpi(
                key=key,
                node_key=draw(st.sampled_from(node_keys)),
                label=draw(text),
                name=draw(text),
                unit=draw(st.sampled_from(["％", "%", "件", "円", "人", ""]) | text),
                decimals=draw(st.integers(0, 4)),
                direction=direction,
                target_kind=kind,
                target=draw(_optional(decimals())) if fixed else None,
                cumulative=draw(st.booleans()),
                is_new=draw(st.booleans()),
                definition_changed=draw(st.booleans()),
                numerator_label=draw(_optional(text)),
                denominator_label=draw(_optional(text)),
                numerator_target=draw(_optional(decimals())),
                denominator_target=draw(_optional(decimals())),
                last_year_actual=draw(_optional(decimals())),
                reference=draw(_optional(text)),
                note=draw(_optional(text)),
                last_year_profile=draw(_series()),
                monthly_actuals=draw(_series()),
                own=draw(st.booleans()),
                # Optional rule: files with and without its column.
                judged_decimals=None
                if direction is Direction.QUALITATIVE
                else draw(_optional(st.integers(0, 6))),
                reference_indicator=draw(st.booleans()),
                baseline_year=draw(_optional(st.integers(1990, 2100))),
                baseline_value=draw(_optional(decimals())),
                goal_year=draw(_optional(st.integers(1990, 2100))),
                target_text=draw(_optional(text)),
                definition_note=draw(_optional(text)),
            )
        )
    return tuple(kpis)


@st.composite
def reports(
    draw: st.DrawFn,
    fiscal_year: int,
    period: PeriodKind,
    node_keys: list[str],
    kpis: tuple[Kpi, ...],
    text: st.SearchStrategy[str] | None = None,
) -> Report:
    """One report of ``period``: entries, measurements and benchmarks for some
    of the nodes and KPIs, each at most once."""
    text = texts() if text is None else text
    marks = st.sampled_from(scale_for(period).symbols)
    entry_keys = draw(st.lists(st.sampled_from(node_keys), unique=True))
    entries = tuple(
        SectionEntry(
            node_key=key,
            status_text=draw(text),
            mark=draw(_optional(marks)),
            mark_reason=draw(_optional(text)),
            next_steps=draw(text),
        )
        for key in entry_keys
    )
    kpi_keys = [k.key for k in kpis]
    by_key = {k.key: k for k in kpis}
    measured = draw(st.lists(st.sampled_from(kpi_keys), unique=True)) if kpis else []
    measurements = []
    for key in measured:
        qualitative = by_key[key].direction is Direction.QUALITATIVE
        as_rate = draw(st.booleans())
        # A verdict by hand only on a goal in words, always with its reason (as stored).
        verdict = (
            draw(_optional(st.sampled_from(MANUAL_VERDICTS)))
            if by_key[key].target_kind is TargetKind.MANUAL
            else None
        )
        measurements.append(
            Measurement(
                kpi_key=key,
                value=None if qualitative or as_rate else draw(_optional(decimals())),
                numerator=draw(_optional(decimals())) if as_rate and not qualitative else None,
                denominator=draw(_optional(decimals())) if as_rate and not qualitative else None,
                done=draw(_optional(st.booleans())) if qualitative else None,
                as_of=draw(_optional(_months_of(fiscal_year))),
                preliminary=draw(st.booleans()),
                unavailable_reason=draw(_optional(text)),
                entered_by=draw(_optional(text)),
                entered_at=draw(_optional(datetimes_utc())),
                manual_status=verdict,
                manual_reason="理由" + draw(text) if verdict else draw(_optional(text)),
                old_method_value=draw(_optional(decimals()))
                if by_key[key].definition_changed
                else None,
            )
        )
    benched = draw(st.lists(st.sampled_from(kpi_keys), unique=True)) if kpis else []
    benchmarks = tuple(
        Benchmark(
            kpi_key=key,
            national_average=draw(_optional(decimals())),
            national_rank=draw(_optional(st.integers(1, 47))),
            branch_count=draw(_optional(st.just(47) | st.integers(0, 47))),
        )
        for key in benched
    )
    return Report(
        period=period,
        as_of=draw(_months_of(fiscal_year)),
        title=draw(text),
        entries=entries,
        measurements=tuple(measurements),
        benchmarks=benchmarks,
    )


@st.composite
def mark_rules(draw: st.DrawFn) -> MarkRules:
    """HQ's rules: the default's marks with any thresholds and an optional rank lift."""
    margin = st.none() | st.decimals(-10, 10, places=3)

    def scale(rules: ScaleRules) -> ScaleRules:
        steps = tuple(
            step
            if step.is_rest
            else Step(
                step.mark,
                share_met_min=draw(st.decimals(0, 1, places=2)),
                average_min=draw(margin),
                weakest_min=draw(margin),
                weakest_max=draw(margin),
            )
            for step in rules.steps
        )
        return ScaleRules(steps, draw(st.none() | st.integers(1, 47)))

    return MarkRules(scale(DEFAULT_MARK_RULES.midyear), scale(DEFAULT_MARK_RULES.annual))


@st.composite
def plans(
    draw: st.DrawFn,
    *,
    text: st.SearchStrategy[str] | None = None,
    period: PeriodKind | st.SearchStrategy[PeriodKind | None] | None = ANY_PERIOD,
    branch: str | None = None,
    fiscal_year: int | None = None,
) -> Plan:
    """A valid Plan with no report (period None) or one report of ``period``."""
    text = texts() if text is None else text
    if isinstance(period, st.SearchStrategy):
        period = draw(period)
    branch = draw(st.sampled_from(sorted(BRANCHES))) if branch is None else branch
    year = draw(st.integers(2019, 2035)) if fiscal_year is None else fiscal_year
    nodes = draw(_nodes(text))
    node_keys = [n.key for n in nodes]
    kpis = draw(_kpis(node_keys, text))
    report = None if period is None else draw(reports(year, period, node_keys, kpis, text))
    return Plan(
        branch=branch,
        fiscal_year=year,
        title=draw(text),
        basic_policy=tuple(draw(st.lists(text, max_size=3))),
        nodes=nodes,
        kpis=kpis,
        reports=(report,) if report else (),
        mark_rules=draw(st.none() | mark_rules()),
        report_axis=draw(st.sampled_from(ReportAxis)),
        number_per_group=draw(st.booleans()),
    )


@st.composite
def manifests(draw: st.DrawFn, plan: Plan, text: st.SearchStrategy[str] | None = None) -> Manifest:
    """A manifest that fits ``plan``: a template without a report, a work file
    or a submission with one."""
    text = texts() if text is None else text
    report = plan.reports[0] if plan.reports else None
    kind = Kind.TEMPLATE if report is None else draw(st.sampled_from([Kind.WORK, Kind.SUBMISSION]))
    signed = kind is Kind.SUBMISSION and draw(st.booleans())
    node_keys = [n.key for n in plan.nodes]
    return Manifest(
        kind=kind,
        branch=plan.branch,
        fiscal_year=plan.fiscal_year,
        period=report.period if report else None,
        app_version=draw(st.sampled_from(["0.1.0", "1.2.3rc1", ""]) | text),
        created_by=draw(text),
        created_name=draw(_optional(text)),
        created_at=draw(datetimes_utc()),
        sections=tuple(draw(st.lists(st.sampled_from(node_keys), unique=True)))
        if kind is Kind.WORK
        else (),
        signed_off_by=draw(text) if signed else None,
        signed_off_at=draw(datetimes_utc()) if signed else None,
        signed_off_name=draw(_optional(text)) if signed else None,
    )


@st.composite
def workbook_data(
    draw: st.DrawFn,
    *,
    text: st.SearchStrategy[str] | None = None,
    period: PeriodKind | st.SearchStrategy[PeriodKind | None] | None = ANY_PERIOD,
) -> WorkbookData:
    """What one workbook carries: a plan, a manifest that fits it, and (for work
    files) the merge bases."""
    text = texts() if text is None else text
    plan = draw(plans(text=text, period=period))
    manifest = draw(manifests(plan, text))
    bases: dict[str, str | None] = {}
    if manifest.kind is Kind.WORK:
        fields = st.text(min_size=1, max_size=40) | st.sampled_from(
            ["measurement/k1/value", "entry/1-2/status_text", "=field"]
        )
        bases = draw(st.dictionaries(fields, _optional(text), max_size=5))
    return WorkbookData(manifest=manifest, plan=plan, bases=bases)
