"""Plan documents the tests change: the stored plan with one report field or plan
text set as another PC (or HQ's IT) would write it into a plandesk.plan/1 file."""

from __future__ import annotations

from dataclasses import replace

from desktop.domain.model import PeriodKind, Plan, SectionEntry
from desktop.services import plans
from desktop.store.database import Database


def with_entry(
    plan: Plan, node_key: str, field: str, text: str, period: PeriodKind = PeriodKind.MIDYEAR
) -> Plan:
    """``plan`` with one field of a section's entry in ``period`` set to ``text``."""
    reports = []
    for report in plan.reports:
        if report.period is period:
            entries = {e.node_key: e for e in report.entries}
            entry = entries.get(node_key, SectionEntry(node_key=node_key))
            entries[node_key] = replace(entry, **{field: text})
            report = replace(report, entries=tuple(entries.values()))
        reports.append(report)
    return replace(plan, reports=tuple(reports))


def stored_with_entry(
    db: Database, node_key: str, field: str, text: str, *, branch: str = "13", year: int = 2024
) -> Plan:
    return with_entry(plans.get_plan(db, branch, year), node_key, field, text)
