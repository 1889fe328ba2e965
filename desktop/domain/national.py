"""National consolidation: what HQ computes from the branches' figures.

Given every valid branch submission for one fiscal year and reporting
period, this module works out, per KPI, the true national rate (weighted by
the branches' numerators and denominators), the simple mean of branch
values, quartiles, minimum and maximum, how many branches met their target,
and each branch's national rank (全国N位); per section, how many branches
gave each mark or self-rating and how many left it blank.

Pure functions over frozen dataclasses: reading submissions, verifying them
and writing workbooks belong to the services. Every figure is a Decimal
(floats would turn 98.35 into 98.34999… and flip a rounding), and derived
figures are rounded once, exactly, half up at the KPI's printed decimals —
the way the reports print them.

Ranks are taken on values rounded to the printed decimals: two branches whose
reports both show 60.0％ must not be told they are 5th and 6th.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction

from desktop.domain.achievement import Status, assess
from desktop.domain.branches import BRANCHES, HQ_CODE
from desktop.domain.calendar import YearMonth
from desktop.domain.model import (
    Benchmark,
    Direction,
    Kpi,
    Measurement,
    PeriodKind,
    TargetKind,
)
from desktop.domain.parsing import quantize
from desktop.domain.scales import ANNUAL, MIDYEAR, Scale, scale_for
from desktop.domain.target_rules import milestone
from desktop.domain.verdicts import Assessment

HUNDRED = Decimal(100)

#: The branch codes a result may carry: the 47 prefectures, never HQ.
BRANCH_CODES: frozenset[str] = frozenset(code for code in BRANCHES if code != HQ_CODE)


# --- inputs --------------------------------------------------------------------


def _check_decimal(name: str, value: object) -> None:
    if value is None:
        return
    # bool is an int, and a float has already lost the figure the branch typed.
    if not isinstance(value, Decimal):
        raise TypeError(f"{name} must be a Decimal or None, not {type(value).__name__}")
    if not value.is_finite():
        raise ValueError(f"{name} must be a finite number, not {value}")


@dataclass(frozen=True, slots=True)
class BranchFigure:
    """One branch's reported figure of one KPI, with the target it set itself.

    ``value`` is the figure that is ranked and averaged (already computed
    from the parts when the branch entered only those: see
    :meth:`from_measurement`). ``target`` is the branch's *resolved* target
    (対前年度 targets already replaced by last year's actual); None while it is
    unknown, and for qualitative KPIs. ``done`` is the 実施 / 未実施 answer of
    a qualitative KPI.
    """

    kpi_key: str
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    target: Decimal | None = None
    done: bool | None = None
    as_of: YearMonth | None = None
    # The branch's own KPI definition (its target kind, multi-year path, monthly rule,
    # goal in words, reference indicator, last year's figures) and its measurement as
    # reported (a verdict by hand with its reason, the old-method figure): with both,
    # HQ judges the branch exactly as the branch's own report does
    # (achievement.assess); without them, against ``target`` as a fixed number.
    kpi: Kpi | None = field(default=None, compare=False)
    measurement: Measurement | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        for name in ("value", "numerator", "denominator", "target"):
            _check_decimal(name, getattr(self, name))
        if self.done is not None and not isinstance(self.done, bool):
            raise TypeError(f"done must be a bool or None, not {type(self.done).__name__}")

    @property
    def has_parts(self) -> bool:
        return self.numerator is not None and self.denominator is not None

    @classmethod
    def from_measurement(
        cls,
        kpi: Kpi,
        measurement: Measurement,
        target: Decimal | None,
        *,
        branch_kpi: Kpi | None = None,
    ) -> BranchFigure:
        """The figure of a branch's measurement.

        When only the parts were entered the value is computed from them the
        way :func:`consolidate` weighs them (×100 for ％ KPIs, a plain ratio
        otherwise) — unlike ``Measurement.effective_value``, which always
        multiplies by 100.
        """
        value = measurement.value
        if value is None and measurement.numerator is not None and measurement.denominator:
            value = measurement.numerator / measurement.denominator
            if kpi.is_rate:
                value *= HUNDRED
        return cls(
            kpi_key=measurement.kpi_key,
            value=value,
            numerator=measurement.numerator,
            denominator=measurement.denominator,
            target=target,
            done=measurement.done,
            as_of=measurement.as_of,
            kpi=branch_kpi,
            measurement=measurement if branch_kpi is not None else None,
        )


@dataclass(frozen=True, slots=True)
class BranchResult:
    """Everything one branch submitted for the period that HQ consolidates.

    ``marks`` maps a section's node key to the mark or self-rating the
    branch gave it, as typed (None or blank when left empty).
    """

    branch: str
    figures: tuple[BranchFigure, ...] = ()
    marks: Mapping[str, str | None] = field(default_factory=dict)
    # The report's as-of month: figures without their own are judged at it, as the
    # branch's report judges them (None: the period's closing month).
    as_of: YearMonth | None = None

    def __post_init__(self) -> None:
        if self.branch not in BRANCH_CODES:
            raise ValueError(f"not a branch code (01–47): {self.branch!r}")
        seen: set[str] = set()
        for figure in self.figures:
            if figure.kpi_key in seen:
                raise ValueError(f"branch {self.branch}: KPI {figure.kpi_key!r} given twice")
            seen.add(figure.kpi_key)

    def figure(self, kpi_key: str) -> BranchFigure | None:
        return next((f for f in self.figures if f.kpi_key == kpi_key), None)


# --- results -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KpiNational:
    """The national figures of one KPI.

    ``weighted`` is Σnumerators ×100 / Σdenominators (％ KPIs) or
    Σnumerators / Σdenominators (other KPIs with parts), over the branches
    with a value — None unless every one of them gave both parts and the
    denominators do not sum to zero. ``mean``, the quartiles and ``weighted``
    are rounded half up at the KPI's decimals; ``minimum`` and ``maximum``
    are branch values as reported. Quartiles use the inclusive method
    (``statistics.quantiles(method="inclusive")``, i.e. linear interpolation
    between order statistics, type 7), computed exactly.

    ``count`` is the number of branches with a figure (a value, or for a
    qualitative KPI a 実施/未実施 answer). ``ranks`` has every consolidated
    branch: None for the unranked. ``status`` is each branch's
    :func:`~desktop.domain.achievement.assess` status against its own
    target; ``met`` is True for MET, False for NOT_MET / ON_PACE /
    BEHIND_PACE (a cumulative KPI on pace mid-year has not yet met its year's
    target), None when it cannot be judged (no figure, target unknown).
    """

    kpi_key: str
    weighted: Decimal | None
    mean: Decimal | None
    q1: Decimal | None
    median: Decimal | None
    q3: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None
    count: int
    met_count: int
    judged_count: int  # branches whose met is not None
    on_pace_count: int  # cumulative KPIs mid-year: behind the target but on pace
    ranks: dict[str, int | None]
    ranked_count: int
    met: dict[str, bool | None]
    status: dict[str, Status]
    numerator_total: Decimal | None = None  # the sums behind ``weighted``
    denominator_total: Decimal | None = None
    # The branches whose verdict a person gave (手動判定), shown as such; a reference
    # indicator's status is Status.REFERENCE (never judged, not in the counts).
    manual: frozenset[str] = frozenset()

    @property
    def national_average(self) -> Decimal | None:
        """What HQ publishes as 全国平均: the true national rate where the
        parts allow it, else the simple mean of the branches."""
        return self.weighted if self.weighted is not None else self.mean


@dataclass(frozen=True, slots=True)
class SectionMarks:
    """How the branches marked one section.

    ``counts`` holds canonical symbols (typed variants such as 〇 or "a" are
    normalised); ``other`` counts marks that belong to no scale (or, when a
    period was given, not to that period's scale); ``blank`` counts branches
    that left the section empty or did not list it.
    """

    node_key: str
    counts: dict[str, int]
    blank: int
    other: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values()) + self.blank + self.other


@dataclass(frozen=True, slots=True)
class NationalFigures:
    """The consolidation of one fiscal year and period."""

    fiscal_year: int
    period: PeriodKind | None
    branches: tuple[str, ...]  # the consolidated branch codes, in code order
    kpis: dict[str, KpiNational]  # in the order the KPIs were given
    sections: dict[str, SectionMarks]

    def benchmarks_for(self, branch: str) -> tuple[Benchmark, ...]:
        """What goes back to one branch: each KPI's national average and the
        branch's rank among the ranked branches (全国N位 / branch_count)."""
        return tuple(
            Benchmark(
                kpi_key=k.kpi_key,
                national_average=k.national_average,
                national_rank=k.ranks.get(branch),
                branch_count=k.ranked_count,
            )
            for k in self.kpis.values()
        )


# --- arithmetic ----------------------------------------------------------------


def round_half_up(value: Fraction, decimals: int) -> Decimal:
    """An exact quantity rounded once, half away from zero, to ``decimals``.

    Working in Fractions and rounding at the end avoids the double rounding
    of dividing in a 28-digit Decimal context and then quantising.
    """
    scaled = abs(value) * 10**decimals
    whole = int(scaled + Fraction(1, 2))  # floor, since scaled + ½ ≥ 0
    result = Decimal(-whole if value < 0 else whole).scaleb(-decimals)
    return result if result != 0 else abs(result)  # never -0.0


def quartiles(values: Sequence[Decimal], decimals: int) -> tuple[Decimal, Decimal, Decimal]:
    """Q1, median and Q3 by the inclusive method, rounded half up.

    Same interpolation as ``statistics.quantiles(data, n=4, method="inclusive")``
    (which needs two points in Python 3.11; one value is its own quartiles).
    """
    if not values:
        raise ValueError("quartiles of no values")
    data = sorted(Fraction(v) for v in values)
    last = len(data) - 1
    out = []
    for i in (1, 2, 3):
        j, delta = divmod(i * last, 4)
        q = data[j] if delta == 0 else (data[j] * (4 - delta) + data[j + 1] * delta) / 4
        out.append(round_half_up(q, decimals))
    return out[0], out[1], out[2]


def rank(
    values: Mapping[str, Decimal | None],
    direction: Direction,
    decimals: int,
    *,
    targets: Mapping[str, Decimal | None] | None = None,
) -> dict[str, int | None]:
    """Standard competition ranks (1, 2, 2, 4) of each key's value.

    Higher is better for AT_LEAST, lower for AT_MOST; for EXACTLY the value
    closest to that key's target is best (keys without a target are
    unranked); QUALITATIVE figures are never ranked. Keys without a value get
    None. Values — and targets — are compared as printed, rounded half up to
    ``decimals``.
    """
    keys: dict[str, Decimal] = {}
    if direction is not Direction.QUALITATIVE:
        for key, value in values.items():
            if value is None:
                continue
            shown = quantize(value, decimals)
            if direction is Direction.AT_LEAST:
                keys[key] = -shown
            elif direction is Direction.AT_MOST:
                keys[key] = shown
            else:  # EXACTLY: distance from the target
                target = (targets or {}).get(key)
                if target is not None:
                    keys[key] = abs(shown - quantize(target, decimals))
    order = sorted(keys.values())
    # Rank = 1 + how many are strictly better: ties share the better rank.
    return {key: (bisect_left(order, keys[key]) + 1 if key in keys else None) for key in values}


# --- consolidation ---------------------------------------------------------------


def _met(status: Status) -> bool | None:
    if status is Status.MET:
        return True
    if status in (Status.NOT_MET, Status.ON_PACE, Status.BEHIND_PACE):
        return False
    return None


def _assess(
    kpi: Kpi, figure: BranchFigure | None, fiscal_year: int, report_as_of: YearMonth | None
) -> Assessment:
    """The branch's verdict, by the one judge every report uses (achievement.assess).

    With the branch's own definition and measurement (a submission carries both), the
    verdict is the one the branch's own report shows: multi-year milestones, rules over
    months, verdicts by hand and reference indicators included. Without them (figures
    given as bare numbers), HQ's KPI is re-targeted at the branch's number.
    """
    if figure is None:
        return Assessment(kpi.key, Status.NO_DATA)
    if figure.kpi is not None and figure.measurement is not None:
        return assess(
            figure.kpi, figure.measurement, fiscal_year=fiscal_year, report_as_of=report_as_of
        )
    branch_kpi = replace(kpi, target=figure.target, target_kind=TargetKind.FIXED)
    measurement = Measurement(kpi.key, value=figure.value, done=figure.done, as_of=figure.as_of)
    return assess(branch_kpi, measurement, fiscal_year=fiscal_year, report_as_of=report_as_of)


def year_target(kpi: Kpi, fiscal_year: int) -> Decimal | None:
    """The number a branch's KPI is held to this year: a multi-year goal's milestone,
    else the resolved target (None for goals in words and while unknown)."""
    if kpi.target_kind is TargetKind.MULTI_YEAR and kpi.direction is not Direction.QUALITATIVE:
        return milestone(kpi, fiscal_year).value
    return kpi.resolved_target()


def _parts_totals(counted: Sequence[BranchFigure]) -> tuple[Decimal, Decimal] | None:
    """Σnumerators and Σdenominators, or None unless every counted branch gave
    both (a rate over some branches' parts is no national rate) and the
    denominators do not sum to zero."""
    numerators: list[Decimal] = []
    denominators: list[Decimal] = []
    for f in counted:
        if f.numerator is None or f.denominator is None:
            return None
        numerators.append(f.numerator)
        denominators.append(f.denominator)
    if not counted or sum(denominators, Decimal(0)) == 0:
        return None
    return sum(numerators, Decimal(0)), sum(denominators, Decimal(0))


def consolidate_kpi(
    kpi: Kpi,
    branches: Sequence[BranchResult],
    *,
    fiscal_year: int,
    report_as_of: YearMonth | None = None,
) -> KpiNational:
    """The national figures of one KPI over the given branches."""
    codes = sorted(b.branch for b in branches)
    figures = {b.branch: b.figure(kpi.key) for b in branches}
    qualitative = kpi.direction is Direction.QUALITATIVE
    counted = [
        f
        for code in codes
        if (f := figures[code]) is not None
        and (f.done is not None if qualitative else f.value is not None)
    ]
    as_of = {b.branch: b.as_of or report_as_of for b in branches}
    verdicts = {code: _assess(kpi, figures[code], fiscal_year, as_of[code]) for code in codes}
    status = {code: v.status for code, v in verdicts.items()}
    met = {code: _met(s) for code, s in status.items()}
    values = {
        code: (f.value if f is not None and not qualitative else None)
        for code, f in figures.items()
    }
    ranks = rank(
        {code: values[code] for code in codes},
        kpi.direction,
        kpi.decimals,
        targets={code: (f.target if f else None) for code, f in figures.items()},
    )

    present = [v for v in values.values() if v is not None]
    weighted: Decimal | None = None
    mean: Decimal | None = None
    q1: Decimal | None = None
    median: Decimal | None = None
    q3: Decimal | None = None
    numerator_total: Decimal | None = None
    denominator_total: Decimal | None = None
    if present:
        mean = round_half_up(sum(map(Fraction, present), Fraction(0)) / len(present), kpi.decimals)
        q1, median, q3 = quartiles(present, kpi.decimals)
        totals = _parts_totals(counted)
        if totals is not None:
            numerator_total, denominator_total = totals
            ratio = Fraction(numerator_total) / Fraction(denominator_total)
            weighted = round_half_up(ratio * (100 if kpi.is_rate else 1), kpi.decimals)

    return KpiNational(
        kpi_key=kpi.key,
        weighted=weighted,
        mean=mean,
        q1=q1,
        median=median,
        q3=q3,
        minimum=min(present) if present else None,
        maximum=max(present) if present else None,
        count=len(counted),
        met_count=sum(1 for m in met.values() if m is True),
        judged_count=sum(1 for m in met.values() if m is not None),
        on_pace_count=sum(1 for s in status.values() if s is Status.ON_PACE),
        ranks=ranks,
        ranked_count=sum(1 for r in ranks.values() if r is not None),
        met=met,
        status=status,
        numerator_total=numerator_total,
        denominator_total=denominator_total,
        manual=frozenset(code for code, v in verdicts.items() if v.manual),
    )


def _canonical(text: str, scale: Scale | None) -> str | None:
    if scale is not None:
        return scale.normalize(text)
    return MIDYEAR.normalize(text) or ANNUAL.normalize(text)


def count_marks(
    node_key: str, marks: Iterable[str | None], *, period: PeriodKind | None = None
) -> SectionMarks:
    """Tally one section's marks, one entry per branch (None for blank).

    With a period, ``counts`` lists every symbol of that period's scale in
    scale order, zeros included (the workbook's columns); without one, only
    the symbols seen, mid-year scale first.
    """
    scale = scale_for(period) if period is not None else None
    counts: dict[str, int] = dict.fromkeys(scale.symbols, 0) if scale else {}
    blank = other = 0
    for mark in marks:
        if mark is None or not mark.strip():
            blank += 1
            continue
        symbol = _canonical(mark, scale)
        if symbol is None:
            other += 1
        else:
            counts[symbol] = counts.get(symbol, 0) + 1
    if scale is None:
        order = MIDYEAR.symbols + ANNUAL.symbols
        counts = {s: counts[s] for s in order if s in counts}
    return SectionMarks(node_key, counts, blank, other)


def consolidate(
    kpis: Sequence[Kpi],
    branches: Sequence[BranchResult],
    *,
    fiscal_year: int,
    period: PeriodKind | None = None,
    section_keys: Sequence[str] | None = None,
) -> NationalFigures:
    """Consolidate the branches' results for one fiscal year and period.

    ``branches`` must already be the verified, de-duplicated submissions: a
    branch given twice is an error, not a silent pick. Figures of KPIs not
    in ``kpis`` are ignored (HQ consolidates its own KPI list). Sections are
    ``section_keys`` in that order, then any other node key a branch marked,
    in first-seen order. ``period`` picks the mark scale and supplies the
    as-of month (its closing month) for figures that carry none.
    """
    codes = [b.branch for b in branches]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise ValueError(f"branches given more than once: {', '.join(duplicates)}")
    keys = [k.key for k in kpis]
    if len(set(keys)) != len(keys):
        raise ValueError("KPI keys must be unique")

    ordered = sorted(branches, key=lambda b: b.branch)
    report_as_of = period.closing_month(fiscal_year) if period is not None else None
    national = {
        k.key: consolidate_kpi(k, ordered, fiscal_year=fiscal_year, report_as_of=report_as_of)
        for k in kpis
    }

    node_keys = dict.fromkeys(section_keys or ())  # an ordered set
    for b in ordered:
        node_keys.update(dict.fromkeys(b.marks))
    sections = {
        key: count_marks(key, (b.marks.get(key) for b in ordered), period=period)
        for key in node_keys
    }
    return NationalFigures(
        fiscal_year=fiscal_year,
        period=period,
        branches=tuple(b.branch for b in ordered),
        kpis=national,
        sections=sections,
    )
