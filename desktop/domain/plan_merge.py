"""What importing a whole plan document would do to the plan stored here.

Two parts, told apart because the rules differ:

- the structure (title, basic policy, HQ's rules for suggested marks, the tree and
  the KPI definitions): a plan holding entered data (reports, monthly figures)
  never has its structure replaced by a file — that would lose or orphan what
  people wrote. A plan without entered data may be replaced whole.
- what people write (plan texts, the reports' entries and figures, monthly
  figures) and the flags on nodes and KPIs that lose nothing when they change
  (支部独自 ``own``, HQ's ``branch_may_add``): merged field by field with domain.merge. A plan document carries no
  common version, so a field empty here is new, a field the file leaves empty is
  left alone, and two different values are a conflict a person decides.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from desktop.domain.merge import (
    FieldMerge,
    Fields,
    Outcome,
    entry_fields,
    measurement_fields,
    monthly_fields,
    three_way,
)
from desktop.domain.model import Direction, Kpi, PeriodKind, Plan
from desktop.domain.plan_document import to_document


class Change(StrEnum):
    CREATED = "created"
    CHANGED = "changed"
    REMOVED = "removed"


_CHANGE_LABELS = {
    Change.CREATED: ("追加", "added"),
    Change.CHANGED: ("変更", "changed"),
    Change.REMOVED: ("削除", "removed"),
}


@dataclass(frozen=True, slots=True)
class StructureChange:
    """One node, KPI or plan header field that differs between the file and here."""

    kind: str  # "plan" | "node" | "kpi"
    key: str
    change: str  # Change.*
    title: str
    fields: tuple[str, ...] = ()

    def label(self, lang: str = "ja") -> str:
        ja, en = _CHANGE_LABELS[self.change]
        what = {"plan": ("計画", "plan"), "node": ("項目", "item"), "kpi": ("KPI", "KPI")}
        w_ja, w_en = what[self.kind]
        fields = f" ({', '.join(self.fields)})" if self.fields else ""
        if lang == "ja":
            return f"{w_ja}の{ja}: {self.key} {self.title}{fields}"
        return f"{w_en} {en}: {self.key} {self.title}{fields}"


@dataclass(frozen=True, slots=True)
class PlanMerge:
    """The merge of an incoming plan with the stored one (None: nothing stored)."""

    creates_plan: bool
    structure: tuple[StructureChange, ...] = ()
    plan_texts: tuple[FieldMerge, ...] = ()
    reports: Mapping[PeriodKind, tuple[FieldMerge, ...]] = field(default_factory=dict)
    new_reports: tuple[PeriodKind, ...] = ()
    monthly: tuple[FieldMerge, ...] = ()
    flags: tuple[FieldMerge, ...] = ()  # node/KEY/own, node/KEY/branch_may_add, kpi/KEY/own
    # Left as stored, and said so: a stored report's as-of month and title, and HQ's
    # national figures (they arrive in HQ's benchmark pack, as with workbook imports).
    headers_differ: tuple[PeriodKind, ...] = ()
    benchmarks_differ: tuple[tuple[PeriodKind, str], ...] = ()

    def all_fields(self) -> list[tuple[PeriodKind | None, FieldMerge]]:
        out: list[tuple[PeriodKind | None, FieldMerge]] = [(None, m) for m in self.plan_texts]
        for period, merges in self.reports.items():
            out.extend((period, m) for m in merges)
        out.extend((None, m) for m in self.monthly)
        out.extend((None, m) for m in self.flags)
        return out

    def of(self, *outcomes: Outcome) -> list[tuple[PeriodKind | None, FieldMerge]]:
        return [(p, m) for p, m in self.all_fields() if m.outcome in outcomes]

    @property
    def conflicts(self) -> list[tuple[PeriodKind | None, FieldMerge]]:
        return self.of(Outcome.CONFLICT)


# --- structure ----------------------------------------------------------------------


# Flags merged as fields, not as structure: changing them orphans nothing.
_NODE_FLAGS = ("own", "branch_may_add")
_KPI_FLAGS = ("own",)


def _flag_text(value: bool | None) -> str | None:
    """A flag as a merge field: unset (False for ``own``, None for ``branch_may_add``) is
    empty, so a file's flag fills a plan without it and an unset one leaves it alone."""
    return None if value is None else ("true" if value else "false")


def flag_fields(plan: Plan, nodes: set[str], kpis: set[str]) -> Fields:
    """The flags of the nodes and KPIs named (those in both plans)."""
    out: Fields = {}
    for n in plan.nodes:
        if n.key in nodes:
            out[f"node/{n.key}/own"] = _flag_text(n.own or None)
            out[f"node/{n.key}/branch_may_add"] = _flag_text(n.branch_may_add)
    for k in plan.kpis:
        if k.key in kpis:
            out[f"kpi/{k.key}/own"] = _flag_text(k.own or None)
    return out


def flag_value(m: FieldMerge) -> bool | None:
    """The value a flag merge writes."""
    return None if m.theirs is None else m.theirs == "true"


def _flat(
    plan: Plan,
) -> tuple[dict[str, Any], dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """The plan's structure as documents: header, nodes by key, KPIs by key —
    without what people write (plan texts, reports, monthly figures)."""
    doc = to_document(plan)
    nodes: dict[str, dict[str, Any]] = {}
    kpis: dict[str, dict[str, Any]] = {}

    def walk(items: list[dict[str, Any]], parent: str | None) -> None:
        for position, n in enumerate(items):
            for k in n["kpis"]:
                k = {f: v for f, v in k.items() if f not in ("monthly_actuals", *_KPI_FLAGS)}
                kpis[k["key"]] = {**k, "node": n["key"]}
            left_out = ("children", "kpis", "plan_text", *_NODE_FLAGS)
            rest = {f: v for f, v in n.items() if f not in left_out}
            nodes[n["key"]] = {**rest, "parent": parent, "position": position}
            walk(n["children"], n["key"])

    walk(doc["nodes"], None)
    # HQ's rules for suggested marks, how the report is organised and its layouts belong to the
    # structure too (absent: the default).
    fields = (
        "branch",
        "fiscal_year",
        "title",
        "basic_policy",
        "mark_rules",
        "report_axis",
        "number_per_group",
        "print_profiles",
    )
    header = {f: doc.get(f) for f in fields}
    return header, nodes, kpis


def _diff(
    kind: str, ours: Mapping[str, dict[str, Any]], theirs: Mapping[str, dict[str, Any]], name: str
) -> list[StructureChange]:
    out = []
    for key, t in theirs.items():
        o = ours.get(key)
        if o is None:
            out.append(StructureChange(kind, key, Change.CREATED, t[name]))
        elif o != t:
            fields = tuple(f for f in t if o.get(f) != t[f])
            out.append(StructureChange(kind, key, Change.CHANGED, t[name], fields))
    out.extend(
        StructureChange(kind, key, Change.REMOVED, o[name])
        for key, o in ours.items()
        if key not in theirs
    )
    return out


def structure_changes(stored: Plan, incoming: Plan) -> list[StructureChange]:
    """How the incoming plan's structure differs from the stored one."""
    h_ours, n_ours, k_ours = _flat(stored)
    h_theirs, n_theirs, k_theirs = _flat(incoming)
    out = []
    fields = tuple(f for f in h_theirs if h_ours[f] != h_theirs[f])
    if fields:
        out.append(StructureChange("plan", "", Change.CHANGED, incoming.title, fields))
    out += _diff("node", n_ours, n_theirs, "title")
    out += _diff("kpi", k_ours, k_theirs, "name")
    return out


def holds_entered_data(plan: Plan) -> bool:
    """Reports or monthly figures: what a structure replacement would lose."""
    return bool(plan.reports) or any(k.monthly_actuals for k in plan.kpis)


# --- what people write ----------------------------------------------------------------


def plan_text_fields(plan: Plan) -> Fields:
    return {f"plan/{n.key}/plan_text": (n.plan_text or None) for n in plan.nodes}


def report_content_fields(plan: Plan, period: PeriodKind) -> Fields:
    """A report's entries and figures (monthly figures are the year's: see monthly_of)."""
    report = plan.report(period)
    entries = {e.node_key: e for e in report.entries} if report else {}
    figures = {m.kpi_key: m for m in report.measurements} if report else {}
    out: Fields = {}
    for node in plan.nodes:
        out.update(entry_fields(node.key, entries.get(node.key)))
    for kpi in plan.kpis:
        out.update(measurement_fields(kpi.key, figures.get(kpi.key)))
    return out


def monthly_of(kpis: tuple[Kpi, ...]) -> Fields:
    out: Fields = {}
    for k in kpis:
        if k.direction is not Direction.QUALITATIVE:
            out.update(monthly_fields(k))
    return out


def merge_fields(
    ours: Mapping[str, str | None], theirs: Mapping[str, str | None]
) -> list[FieldMerge]:
    """Without a common version: the file fills what is empty here, leaves alone
    what it does not fill, and two different values conflict."""
    out = []
    for m in three_way(ours, theirs, {}, {}):
        if m.outcome is Outcome.CONFLICT and m.theirs is None:
            m = FieldMerge(m.field, m.ours, m.theirs, m.base, Outcome.KEEP)
        out.append(m)
    return out


def merge_plan(stored: Plan | None, incoming: Plan) -> PlanMerge:
    """What importing ``incoming`` would do to ``stored``, changing nothing."""
    if stored is None:
        return PlanMerge(creates_plan=True, new_reports=tuple(r.period for r in incoming.reports))
    structure = tuple(structure_changes(stored, incoming))
    plan_texts = tuple(merge_fields(plan_text_fields(stored), plan_text_fields(incoming)))
    reports = {}
    new_reports = []
    headers: list[PeriodKind] = []
    benchmarks: list[tuple[PeriodKind, str]] = []
    for report in incoming.reports:
        here = stored.report(report.period)
        if here is None:
            new_reports.append(report.period)
        else:
            if (here.as_of, here.title) != (report.as_of, report.title):
                headers.append(report.period)
            ours_b = {b.kpi_key: b for b in here.benchmarks}
            benchmarks.extend(
                (report.period, b.kpi_key) for b in report.benchmarks if ours_b.get(b.kpi_key) != b
            )
        ours = report_content_fields(stored, report.period)
        theirs = report_content_fields(incoming, report.period)
        reports[report.period] = tuple(merge_fields({k: ours.get(k) for k in theirs}, theirs))
    monthly = tuple(merge_fields(monthly_of(stored.kpis), monthly_of(incoming.kpis)))
    both_nodes = {n.key for n in stored.nodes} & {n.key for n in incoming.nodes}
    both_kpis = {k.key for k in stored.kpis} & {k.key for k in incoming.kpis}
    flags = tuple(
        merge_fields(
            flag_fields(stored, both_nodes, both_kpis), flag_fields(incoming, both_nodes, both_kpis)
        )
    )
    return PlanMerge(
        False,
        structure,
        plan_texts,
        reports,
        tuple(new_reports),
        monthly,
        flags,
        tuple(headers),
        tuple(benchmarks),
    )
