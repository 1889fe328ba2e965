"""What a chart of a KPI shows, computed from stored data only.

Pure functions: the Qt chart draws these series as they are, so every point
on screen can be traced to a stored figure (a monthly figure, the report's
figure, a target, last year's profile or a national average). x positions are
fiscal months 1..12 (1 = April).
"""

from __future__ import annotations

import functools
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from desktop.domain import rating_scopes
from desktop.domain.achievement import (
    Assessment,
    Status,
    format_actual,
    format_estimate,
    format_value,
    pace_fraction,
)
from desktop.domain.calendar import YearMonth, fiscal_year_label, fiscal_year_months
from desktop.domain.model import Direction, Kpi, Measurement, Plan
from desktop.domain.plan_document import iter_nodes_depth_first

FISCAL_MONTHS = tuple(range(1, 13))
# A value axis spans at least this share of its largest figure: a flat line of
# 100％ is drawn as 95–100％, not magnified to 99.5–100.5 as an autorange does.
LEAST_SPAN = Decimal("0.05")
# Room above and below the figures, as a share of the span (markers and labels fit).
PADDING = Decimal("0.08")


@dataclass(frozen=True, slots=True)
class Point:
    x: int  # fiscal month 1..12, or a fiscal year for year-over-year series
    value: Decimal
    text: str  # what hovering shows: the exact value and where it comes from
    source: str = "monthly"  # "monthly" (月次実績) | "reported" (the report's figure) | ""


@dataclass(frozen=True, slots=True)
class KpiSeries:
    kpi_key: str
    title: str
    unit: str
    qualitative: bool
    cumulative: bool
    axis_labels: tuple[str, ...]  # one per fiscal month: "R6.4" … "R7.3"
    actual: tuple[Point, ...]  # this year's monthly figures, with the report's figure
    reported: Point | None  # the report's own figure (highlighted)
    last_year: tuple[Point, ...]  # last year's monthly profile
    last_year_level: Decimal | None  # last year's actual, drawn as a level line
    target: Decimal | None  # the (resolved) target line; None while unknown
    expected: tuple[Point, ...]  # cumulative: where the figure should be each month
    national_average: Decimal | None

    def month_figures(self) -> dict[int, Point]:
        """This year's figure per fiscal month as the chart plots it (the report's
        figure in its as-of month): what the 月次実績 row shows, from the same source."""
        return {p.x: p for p in self.actual}

    def value_range(self) -> tuple[Decimal, Decimal] | None:
        """The value axis: every drawn figure and the target, with room around them."""
        if self.qualitative:
            return None
        values = [p.value for p in (*self.actual, *self.last_year, *self.expected)]
        values += [
            v for v in (self.target, self.last_year_level, self.national_average) if v is not None
        ]
        return value_range(values, rate=self.unit in ("％", "%"))


@functools.cache  # a pure function of the year, asked on every chart update
def axis_labels(fiscal_year: int) -> tuple[str, ...]:
    """'R6.4', 'R6.5', … 'R7.3' for FY2024."""
    return tuple(m.short_era_label() for m in fiscal_year_months(fiscal_year))


def month_of(fiscal_year: int, index: int) -> YearMonth:
    return YearMonth(fiscal_year, 4).add_months(index - 1)


def kpi_series(
    kpi: Kpi,
    *,
    fiscal_year: int,
    monthly: Mapping[int, Decimal],
    measurement: Measurement | None,
    national_average: Decimal | None = None,
    lang: str = "ja",
) -> KpiSeries:
    """Everything one KPI's chart draws."""
    labels = axis_labels(fiscal_year)
    qualitative = kpi.direction is Direction.QUALITATIVE

    def hover(index: int, shown: str, source: str) -> str:
        month = month_of(fiscal_year, index)
        when = f"{month.era_label()}時点" if lang == "ja" else f"as of {month.iso()}"
        return f"{shown}  {when}  {source}".rstrip()

    points = {}
    if not qualitative:
        monthly_word = "月次実績" if lang == "ja" else "monthly figure"
        points = {
            i: Point(i, v, hover(i, format_value(kpi, v), monthly_word)) for i, v in monthly.items()
        }
    reported = None
    value = measurement.effective_value() if measurement and not qualitative else None
    if measurement is not None and value is not None and measurement.as_of is not None:
        index = measurement.as_of.fiscal_index
        if measurement.as_of.fiscal_year == fiscal_year:
            word = "報告値" if lang == "ja" else "reported"
            if measurement.preliminary:
                word += "（速報値）" if lang == "ja" else " (preliminary)"
            reported = Point(
                index, value, hover(index, format_actual(kpi, measurement), word), "reported"
            )
            points[index] = reported  # the report's figure is the month's figure
    last_word = "前年度" if lang == "ja" else "last year"
    last_year = tuple(
        Point(i, v, f"{format_value(kpi, v)}  {labels[i - 1]}  {last_word}", "")
        for i, v in kpi.last_year_profile
    )
    target = None if qualitative else kpi.resolved_target()
    expected: tuple[Point, ...] = ()
    if kpi.cumulative and target is not None:
        word = "想定ペース" if lang == "ja" else "expected pace"
        pace = [(i, target * pace_fraction(kpi, month_of(fiscal_year, i))) for i in FISCAL_MONTHS]
        expected = tuple(
            Point(i, v, f"{format_estimate(kpi, v)}  {labels[i - 1]}  {word}", "") for i, v in pace
        )
    return KpiSeries(
        kpi_key=kpi.key,
        title=f"{kpi.label}{kpi.name}",
        unit=kpi.unit,
        qualitative=qualitative,
        cumulative=kpi.cumulative,
        axis_labels=labels,
        actual=tuple(points[i] for i in sorted(points)),
        reported=reported,
        last_year=last_year,
        last_year_level=None if kpi.last_year_profile else kpi.last_year_actual,
        target=target,
        expected=expected,
        national_average=national_average,
    )


def value_range(values: Sequence[Decimal], *, rate: bool = False) -> tuple[Decimal, Decimal] | None:
    """A value axis that shows every figure with room around it.

    At least ``LEAST_SPAN`` of the largest magnitude (so nearly equal figures are
    not magnified into a cliff), starting at zero when the figures are close to it
    compared with their spread, never crossing zero or (for a rate) 100％ only to
    reach that least span, and ``PADDING`` of the span added on both sides.
    """
    if not values:
        return None
    low, high = min(values), max(values)
    magnitude = max(abs(low), abs(high))
    least = magnitude * LEAST_SPAN if magnitude else Decimal(1)
    if high - low < least:
        middle = (low + high) / 2
        bottom, top = middle - least / 2, middle + least / 2
        if low >= 0 > bottom:
            bottom, top = Decimal(0), least
        elif rate and high <= 100 < top:
            bottom, top = 100 - least, Decimal(100)
        low, high = min(low, bottom), max(high, top)
    if 0 < low <= (high - low) / 2:
        low = Decimal(0)
    elif high < 0 and -high <= (high - low) / 2:
        high = Decimal(0)
    pad = (high - low) * PADDING
    return low - pad, high + pad


# --- overview: achievement per pillar or section ---------------------------------


@dataclass(frozen=True, slots=True)
class StatusCounts:
    key: str  # node key of the pillar or section
    label: str  # its printed label and title
    counts: Mapping[Status, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def top_ancestor(plan: Plan, key: str, level_depth: int) -> str:
    """The ancestor of ``key`` at ``level_depth`` (0 = pillar, 1 = section)."""
    chain = [key]
    node = plan.node(key)
    while node.parent_key is not None:
        chain.append(node.parent_key)
        node = plan.node(node.parent_key)
    chain.reverse()
    return chain[min(level_depth, len(chain) - 1)]


def status_counts(
    plan: Plan, assessments: Mapping[str, Assessment], *, depth: int = 0
) -> list[StatusCounts]:
    """KPI statuses counted per pillar (depth 0) or per section (depth 1), in plan order."""
    groups: dict[str, Counter[Status]] = {}
    for kpi in plan.kpis:
        status = assessments[kpi.key].status
        if status is Status.REFERENCE:  # 参考指標 carry no verdict to count
            continue
        group = top_ancestor(plan, kpi.node_key, depth)
        groups.setdefault(group, Counter())[status] += 1
    return [
        StatusCounts(key, plan.node(key).display_title, dict(groups[key]))
        for key in (n.key for n in iter_nodes_depth_first(plan))
        if key in groups
    ]


def mark_counts(plan: Plan, marks: Mapping[str, str | None]) -> dict[str, Counter[str]]:
    """Marks chosen per pillar: {pillar key: Counter({'○': 5, '△': 2, '': 1})}.

    Only sections people report on count, a rating scope once (its holder's mark,
    desktop/domain/rating_scopes.py); '' counts those without a mark yet.
    """
    out: dict[str, Counter[str]] = {}
    for node in plan.nodes:
        if node.parent_key is None or not plan.is_reportable(node.key):
            continue
        if rating_scopes.is_rated_elsewhere(plan, node.key):
            continue
        pillar = top_ancestor(plan, node.key, 0)
        out.setdefault(pillar, Counter())[marks.get(node.key) or ""] += 1
    return out


# --- year over year ----------------------------------------------------------------


def kpi_identity(kpi: Kpi) -> str:
    """What makes a KPI the same across fiscal years: its name, normalised.

    Labels and numbering change between years ("(2)" → "２）"), widths too;
    the wording of the measure is what HQ keeps.
    """
    text = unicodedata.normalize("NFKC", kpi.name)
    for word in ("(対前年度以上)", "(対前年度以下)", "(対前年度末以上)"):
        text = text.replace(word, "")
    return "".join(text.split())


@dataclass(frozen=True, slots=True)
class YearValue:
    fiscal_year: int
    label: str  # "令和5年度"
    value: Decimal | None  # the report's figure that year
    as_of: YearMonth | None
    target: Decimal | None
    status: Status
    value_text: str = ""  # the figure as entered (or computed from its parts), with its unit


def year_over_year(
    kpi: Kpi,
    years: Sequence[tuple[Plan, Mapping[str, Measurement], Mapping[str, Assessment]]],
) -> list[YearValue]:
    """The same KPI in every stored fiscal year (oldest first), matched by identity."""
    identity = kpi_identity(kpi)
    out = []
    for plan, measurements, assessments in sorted(years, key=lambda y: y[0].fiscal_year):
        match = next((k for k in plan.kpis if kpi_identity(k) == identity), None)
        if match is None:
            continue
        m = measurements.get(match.key)
        a = assessments[match.key]
        out.append(
            YearValue(
                fiscal_year=plan.fiscal_year,
                label=fiscal_year_label(plan.fiscal_year, "era"),
                value=m.effective_value() if m else None,
                as_of=m.as_of if m else None,
                target=match.resolved_target(),
                status=a.status,
                value_text=format_actual(match, m) if m else "",
            )
        )
    return out
