"""Stored rows → domain objects, without SQLAlchemy.

Shared by the ORM reads (``repository``) and the window's quick first read
(``quick_read``, stdlib sqlite3): both hand over rows whose attributes are the
columns with their stored types already applied (Decimal, YearMonth, bool, UTC
datetime), so that the two give the same objects by construction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from desktop.domain.mark_rules import load_rules
from desktop.domain.model import (
    Benchmark,
    BranchTarget,
    BranchTargetKind,
    BranchTargets,
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
    Source,
    TargetKind,
)
from desktop.domain.print_profiles import load_profiles
from desktop.domain.review import Role, User

Row = Any  # an ORM row object or a quick_read row: attributes named as the columns


def plan_from_rows(
    row: Row,
    nodes: Sequence[Row],
    kpis: Sequence[Row],
    profiles: Mapping[int, Sequence[Row]],
    monthly: Mapping[int, Sequence[Row]],
    reports: Iterable[Report],
    branch_targets: Sequence[Row] = (),
) -> Plan:
    """The plan from its row, its node rows (any order), its KPI rows (in position
    order), their profile and monthly rows (by KPI id), its reports and, for HQ's
    template, its targets per branch (rows in id order)."""
    key_of = {n.id: n.key for n in nodes}
    kpi_key_of = {k.id: k.key for k in kpis}
    reports = sorted(reports, key=lambda r: list(PeriodKind).index(r.period))
    return Plan(
        branch=row.branch_code,
        fiscal_year=row.fiscal_year,
        title=row.title,
        # The lines were joined with "\n": split on that alone (splitlines would also
        # cut at \r, \x0c, U+2028 … inside a line).
        basic_policy=tuple(row.basic_policy.split("\n")) if row.basic_policy else (),
        nodes=tuple(_node(n, key_of) for n in _document_order(nodes)),
        kpis=tuple(_kpi(k, key_of, profiles.get(k.id, ()), monthly.get(k.id, ())) for k in kpis),
        reports=tuple(reports),
        branch_targets=BranchTargets(
            tuple(
                (
                    r.branch_code,
                    kpi_key_of[r.kpi_id],
                    BranchTarget(BranchTargetKind(r.kind), r.value),
                )
                for r in branch_targets
            )
        ),
        mark_rules=load_rules(row.mark_rules) if row.mark_rules is not None else None,
        report_axis=ReportAxis(row.report_axis),
        number_per_group=bool(row.number_per_group),
        print_profiles=load_profiles(row.print_profiles),
    )


def _document_order(nodes: Sequence[Row]) -> list[Row]:
    children: dict[int | None, list[Row]] = {}
    for n in nodes:
        children.setdefault(n.parent_id, []).append(n)
    out: list[Row] = []

    def walk(parent: int | None) -> None:
        for n in sorted(children.get(parent, []), key=lambda r: (r.position, r.id)):
            out.append(n)
            walk(n.id)

    walk(None)
    return out


def _node(n: Row, key_of: dict[int, str]) -> PlanNode:
    return PlanNode(
        key=n.key,
        parent_key=key_of[n.parent_id] if n.parent_id else None,
        level=Level(n.level),
        label=n.label,
        title=n.title,
        plan_text=n.plan_text,
        group=Group(n.group_name) if n.group_name else None,
        importance=n.importance,
        difficulty=n.difficulty,
        footnotes=tuple(json.loads(n.footnotes)),
        position=n.position,
        own=bool(n.own),
        branch_may_add=n.branch_may_add,
        report_position=n.report_position,
        rated_with=n.rated_with,
    )


def _kpi(
    k: Row,
    key_of: dict[int, str],
    profile: Sequence[Row],
    monthly: Sequence[Row],
) -> Kpi:
    return Kpi(
        key=k.key,
        node_key=key_of[k.node_id],
        label=k.label,
        name=k.name,
        unit=k.unit,
        decimals=k.decimals,
        direction=Direction(k.direction),
        target_kind=TargetKind(k.target_kind),
        target=k.target,
        cumulative=k.cumulative,
        is_new=k.is_new,
        definition_changed=k.definition_changed,
        numerator_label=k.numerator_label,
        denominator_label=k.denominator_label,
        numerator_target=k.numerator_target,
        denominator_target=k.denominator_target,
        last_year_actual=k.last_year_actual,
        reference=k.reference,
        note=k.note,
        judged_decimals=k.judged_decimals,
        last_year_source=_source(k.last_year_source),
        prior_year_actual=k.prior_year_actual,
        prior_year_source=_source(k.prior_year_source),
        last_year_national_average=k.last_year_national_average,
        last_year_national_rank=k.last_year_national_rank,
        target_by_branch=k.target_by_branch,
        own=bool(k.own),
        reference_indicator=k.reference_indicator,
        baseline_year=k.baseline_year,
        baseline_value=k.baseline_value,
        goal_year=k.goal_year,
        target_text=k.target_text,
        definition_note=k.definition_note,
        last_year_profile=tuple(sorted((p.fiscal_index, p.value) for p in profile)),
        monthly_actuals=tuple(sorted((m.fiscal_index, m.value) for m in monthly)),
    )


def _source(stored: str | None) -> Source | None:
    return None if stored is None else Source(stored)


def report_from_rows(
    rr: Row,
    entries: Sequence[Row],
    measurements: Sequence[Row],
    benchmarks: Sequence[Row],
    key_of: Mapping[int, str],
    kpi_key_of: Mapping[int, str],
) -> Report:
    """A report from its row and its entry, measurement and benchmark rows (by id)."""
    return Report(
        period=PeriodKind(rr.period),
        as_of=rr.as_of,
        title=rr.title,
        entries=tuple(
            SectionEntry(
                node_key=key_of[e.node_id],
                status_text=e.status_text,
                mark=e.mark,
                mark_reason=e.mark_reason,
                next_steps=e.next_steps,
                actions=e.actions,
            )
            for e in entries
        ),
        measurements=tuple(measurement_from_row(m, kpi_key_of[m.kpi_id]) for m in measurements),
        benchmarks=tuple(
            Benchmark(
                kpi_key=kpi_key_of[b.kpi_id],
                national_average=b.national_average,
                national_rank=b.national_rank,
                branch_count=b.branch_count,
                source=Source(b.source),
            )
            for b in benchmarks
        ),
    )


def measurement_from_row(m: Row, kpi_key: str) -> Measurement:
    return Measurement(
        kpi_key=kpi_key,
        value=m.value,
        numerator=m.numerator,
        denominator=m.denominator,
        done=m.done,
        as_of=m.as_of,
        preliminary=m.preliminary,
        unavailable_reason=m.unavailable_reason,
        entered_by=m.entered_by,
        entered_at=m.entered_at,
        manual_status=m.manual_status,
        manual_reason=m.manual_reason,
        old_method_value=m.old_method_value,
    )


def user_from_row(row: Row) -> User:
    return User(
        login=row.login,
        display_name=row.display_name,
        role=Role(row.role),
        group=Group(row.group_name) if row.group_name else None,
        active=row.active,
        has_password=row.password_hash is not None,
    )
