"""What a window needs to show one report: loaded once, then kept current
from the change records the editing services return."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from desktop.domain.achievement import Assessment, assess
from desktop.domain.calendar import YearMonth
from desktop.domain.model import Benchmark, Measurement, Plan, SectionEntry
from desktop.services.editing import (
    Change,
    EntryChanged,
    MeasurementChanged,
    PlanTextChanged,
    ReportRef,
)
from desktop.services.plans import get_plan
from desktop.store.database import Database


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

    def entry(self, node_key: str) -> SectionEntry:
        return self.entries.get(node_key) or SectionEntry(node_key)

    def assessment(self, kpi_key: str) -> Assessment:
        kpi = next(k for k in self.plan.kpis if k.key == kpi_key)
        return assess(
            kpi,
            self.measurements.get(kpi_key),
            fiscal_year=self.plan.fiscal_year,
            report_as_of=self.as_of,
        )

    def apply(self, change: Change) -> None:
        if change.report != self.ref:
            return
        if isinstance(change, EntryChanged):
            self.entries[change.entry.node_key] = change.entry
        elif isinstance(change, MeasurementChanged):
            self.measurements[change.measurement.kpi_key] = change.measurement
        elif isinstance(change, PlanTextChanged):
            nodes = tuple(
                replace(n, plan_text=change.plan_text) if n.key == change.node_key else n
                for n in self.plan.nodes
            )
            self.plan = replace(self.plan, nodes=nodes, _index={})

    def copy(self) -> ReportSnapshot:
        return replace(
            self,
            entries=dict(self.entries),
            measurements=dict(self.measurements),
            benchmarks=dict(self.benchmarks),
        )


def load_report(db: Database, ref: ReportRef) -> ReportSnapshot:
    plan = get_plan(db, ref.branch, ref.fiscal_year)
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
