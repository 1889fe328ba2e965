"""What a window needs to show one report: loaded once, then kept current
from the change records the writing services return (``services.changes``)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from desktop.domain import rating_scopes
from desktop.domain.achievement import (
    Assessment,
    Disagreement,
    Suggestion,
    assess,
    check_mark,
)
from desktop.domain.calendar import YearMonth
from desktop.domain.mark_suggestion import KpiFigures, suggest
from desktop.domain.model import (
    Benchmark,
    Kpi,
    Measurement,
    Plan,
    ReportRef,
    SectionEntry,
    Source,
)
from desktop.domain.series import KpiSeries, kpi_series
from desktop.services.changes import (
    CONTENT,
    Changes,
    ContentRecord,
    EntryChanged,
    MeasurementChanged,
    MonthlyChanged,
    PlanTextChanged,
    ReferenceChanged,
)
from desktop.store.database import Database  # light: SQLAlchemy loads when one is opened


@dataclass(slots=True)
class ReportSnapshot:
    """A plan and one period's figures, indexed for display.

    Mutable on purpose: apply() folds a change record in, so views never
    query the database to show what was just saved.
    """

    ref: ReportRef
    plan: Plan
    as_of: YearMonth
    entries: dict[str, SectionEntry] = field(default_factory=dict)
    measurements: dict[str, Measurement] = field(default_factory=dict)
    benchmarks: dict[str, Benchmark] = field(default_factory=dict)
    # This year's monthly figures per KPI key: {fiscal month (1 = April): value}.
    monthly: dict[str, dict[int, Decimal]] = field(default_factory=dict)
    _kpis: dict[str, Kpi] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.monthly:
            self.monthly = {k.key: dict(k.monthly_actuals) for k in self.plan.kpis}
        self._kpis = {k.key: k for k in self.plan.kpis}

    def kpi(self, kpi_key: str) -> Kpi:
        return self._kpis[kpi_key]

    def has_kpi(self, kpi_key: str) -> bool:
        """Whether the plan (as held now: a structure edit may have removed it) has it."""
        return kpi_key in self._kpis

    def entry(self, node_key: str) -> SectionEntry:
        return self.entries.get(node_key) or SectionEntry(node_key)

    def assessment(self, kpi_key: str) -> Assessment:
        return assess(
            self._kpis[kpi_key],
            self.measurements.get(kpi_key),
            fiscal_year=self.plan.fiscal_year,
            report_as_of=self.as_of,
            monthly=self.monthly.get(kpi_key, {}),
        )

    def series(self, kpi_key: str, lang: str = "ja") -> KpiSeries:
        """What the KPI's chart draws, from the figures held now."""
        bench = self.benchmarks.get(kpi_key)
        return kpi_series(
            self._kpis[kpi_key],
            fiscal_year=self.plan.fiscal_year,
            monthly=self.monthly.get(kpi_key, {}),
            measurement=self.measurements.get(kpi_key),
            national_average=bench.national_average if bench else None,
            lang=lang,
        )

    def kpi_scope(self, node_key: str) -> str | None:
        """The node whose KPIs speak for this one: itself, else the nearest heading
        above it with KPIs (items are marked under their section's KPIs)."""
        key: str | None = node_key
        while key is not None:
            if self.plan.kpis_of(key):
                return key
            key = self.plan.node(key).parent_key
        return None

    def suggestion(self, node_key: str) -> Suggestion:
        """The mark the KPI figures suggest for the rating scope of ``node_key``
        (desktop/domain/rating_scopes.py: every KPI of every item rated together),
        under the plan's rules (HQ's, from the template), with the figures that led to
        it in words."""
        items = rating_scopes.members(self.plan, node_key)
        kpis = rating_scopes.kpis_of_scope(self.plan, node_key, map(self.kpi_scope, items))
        figures = [
            KpiFigures(self._kpis[k.key], self.assessment(k.key), self.benchmarks.get(k.key))
            for k in kpis
        ]
        return suggest(figures, self.ref.period, self.plan.mark_rules)

    def mark_warning(self, node_key: str) -> Disagreement | None:
        """How the chosen mark and the figures disagree, if they do.

        Marks of items under a heading's KPIs are only checked for a missing
        reason: the heading's KPIs may be about another item.
        """
        items = rating_scopes.members(self.plan, node_key)
        entry = self.entry(items[0])  # the scope's one mark, on its holder
        suggestion = self.suggestion(node_key)
        if all(self.kpi_scope(k) != k for k in items):
            suggestion = Suggestion(None, "", "")
        return check_mark(entry.mark, suggestion, self.ref.period, reason=entry.mark_reason)

    def apply(self, change: Changes | ContentRecord) -> None:
        """Fold what a write changed into the snapshot (records of other reports, and
        records that are not content, are left alone)."""
        if isinstance(change, Changes):
            for record in change.records:
                if isinstance(record, CONTENT):
                    self.apply(record)
            return
        same_year = (change.report.branch, change.report.fiscal_year) == (
            self.ref.branch,
            self.ref.fiscal_year,
        )
        # Monthly figures, plan texts and the plan's reference figures belong to the
        # fiscal year, shared by both report periods.
        of_plan = isinstance(change, MonthlyChanged | PlanTextChanged) or (
            isinstance(change, ReferenceChanged) and not change.of_report
        )
        if change.report != self.ref and not (of_plan and same_year):
            return
        if isinstance(change, EntryChanged):
            self.entries[change.entry.node_key] = change.entry
        elif isinstance(change, MeasurementChanged):
            self.measurements[change.measurement.kpi_key] = change.measurement
        elif isinstance(change, MonthlyChanged):
            months = self.monthly.setdefault(change.kpi_key, {})
            if change.value is None:
                months.pop(change.fiscal_index, None)
            else:
                months[change.fiscal_index] = change.value
        elif isinstance(change, PlanTextChanged):
            nodes = tuple(
                replace(n, plan_text=change.plan_text) if n.key == change.node_key else n
                for n in self.plan.nodes
            )
            self.plan = replace(self.plan, nodes=nodes, _index={})
        elif isinstance(change, ReferenceChanged):
            self._apply_reference(change)

    def _apply_reference(self, change: ReferenceChanged) -> None:
        """This year's national figures into the report's benchmark (typed: a row the
        typing created has no branch count); the plan's figures into the KPI."""
        if change.of_report:
            bench = self.benchmarks.get(change.kpi_key) or Benchmark(change.kpi_key)
            self.benchmarks[change.kpi_key] = replace(
                bench, **{change.field: change.value}, source=Source.TYPED
            )
            return
        values: dict[str, object] = {change.field: change.value}
        if change.field in ("last_year_actual", "prior_year_actual"):
            values[change.field.replace("actual", "source")] = change.source
        kpi = replace(self._kpis[change.kpi_key], **values)
        self._kpis[kpi.key] = kpi
        kpis = tuple(kpi if k.key == kpi.key else k for k in self.plan.kpis)
        self.plan = replace(self.plan, kpis=kpis, _index={})

    def copy(self) -> ReportSnapshot:
        return replace(
            self,
            entries=dict(self.entries),
            measurements=dict(self.measurements),
            benchmarks=dict(self.benchmarks),
            monthly={k: dict(v) for k, v in self.monthly.items()},
        )


def load_report(db: Database, ref: ReportRef) -> ReportSnapshot:
    from desktop.services.plans import get_plan  # the store loads after the first paint

    return snapshot_of(get_plan(db, ref.branch, ref.fiscal_year), ref)


def snapshot_of(plan: Plan, ref: ReportRef) -> ReportSnapshot:
    """The snapshot of the report ``ref`` of ``plan`` (its closing month, empty, when
    the report has not been started)."""
    report = plan.report(ref.period)
    if report is None:
        return ReportSnapshot(ref, plan, ref.period.closing_month(plan.fiscal_year))
    return ReportSnapshot(
        ref,
        plan,
        report.as_of,
        entries={e.node_key: e for e in report.entries},
        measurements={m.kpi_key: m for m in report.measurements},
        benchmarks={b.kpi_key: b for b in report.benchmarks},
    )
