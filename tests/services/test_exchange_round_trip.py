"""Export then import into a fresh database gives the same content, for generated plans."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.domain.model import PeriodKind, Plan
from desktop.services import exchange, plans
from desktop.services.plans import init_database
from desktop.workbooks.machine import Kind
from tests.workbooks.strategies import plans as generated_plans


def sane(plan: Plan) -> Plan:
    """Figures a person could have stored: a denominator above 0, a numerator of 0 or more
    (the store and the merge check these; the format alone does not)."""
    report = plan.reports[0]
    figures = tuple(
        replace(
            m,
            numerator=abs(m.numerator) if m.numerator is not None else None,
            denominator=(abs(m.denominator) or Decimal(1)) if m.denominator is not None else None,
        )
        for m in report.measurements
    )
    # The store keeps the basic policy as lines joined by "\n": a line holds none, and
    # a policy of one empty line reads back as no policy.
    policy = tuple(line for line in plan.basic_policy if "\n" not in line)
    policy = () if policy == ("",) else policy
    return replace(plan, basic_policy=policy, reports=(replace(report, measurements=figures),))


def content(plan: Plan) -> Plan:
    """What a person wrote: empty entries and figures are the same as none; '' is no text."""
    report = plan.reports[0]

    def blank(text: str | None) -> str | None:
        return text or None

    entries = tuple(
        replace(e, mark=blank(e.mark), mark_reason=blank(e.mark_reason))
        for e in report.entries
        if not e.is_empty or e.mark_reason
    )
    figures = tuple(
        replace(
            m,
            unavailable_reason=blank(m.unavailable_reason),
            manual_reason=blank(m.manual_reason),
        )
        for m in report.measurements
        if any(
            v not in (None, False, "")
            for v in (m.value, m.numerator, m.denominator, m.done, m.as_of, m.preliminary,
                      m.unavailable_reason, m.manual_status, m.manual_reason,
                      m.old_method_value)
        )
    )  # fmt: skip
    return replace(
        plan,
        reports=(
            replace(
                report,
                entries=tuple(sorted(entries, key=lambda e: e.node_key)),
                measurements=tuple(sorted(figures, key=lambda m: m.kpi_key)),
                benchmarks=tuple(sorted(report.benchmarks, key=lambda b: b.kpi_key)),
            ),
        ),
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated_plans(period=st.sampled_from(PeriodKind)))
def test_export_then_import_into_a_fresh_database_is_lossless(plan: Plan):
    plan = sane(plan)
    with tempfile.TemporaryDirectory() as folder:
        here = Path(folder)
        with init_database(here / "a.sqlite3") as source:
            plans.install_plan(source, plan, actor="author")
            stored = plans.get_plan(source, plan.branch, plan.fiscal_year)
            out = exchange.export_workbook(
                source, branch=plan.branch, fiscal_year=plan.fiscal_year, kind=Kind.WORK,
                period=plan.reports[0].period, out=here, actor="author",
            ).path  # fmt: skip
        with init_database(here / "b.sqlite3") as target:
            preview = exchange.preview_import(target, out)
            exchange.apply_import(target, preview, actor="importer")
            copied = plans.get_plan(target, plan.branch, plan.fiscal_year)
            assert replace(copied, reports=()) == replace(stored, reports=())
            assert content(copied) == content(stored)
            assert exchange.preview_import(target, out).nothing_to_do
