"""The ``plandesk.plan/1`` document: a whole plan as plain JSON-able data.

Bundled templates and demo reports use it (docs/plan-json-format.md). The
reader validates everything and names the place of the first fault; the
writer produces the same shape, so ``to_document(from_document(d)) == d``
for any valid, canonical ``d``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

from desktop.domain import limits, rating_scopes
from desktop.domain.branch_targets import TargetCellError, format_cell, parse_cell
from desktop.domain.branches import BRANCHES, HQ_CODE
from desktop.domain.calendar import YearMonth
from desktop.domain.mark_rules import MarkRules, MarkRulesError
from desktop.domain.mark_rules import from_data as rules_from_data
from desktop.domain.mark_rules import to_data as rules_to_data
from desktop.domain.model import (
    Benchmark,
    BranchTarget,
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
from desktop.domain.plan_completeness import definition_gaps
from desktop.domain.print_profiles import (
    DEFAULT_PROFILES,
    ProfileError,
    ReportProfiles,
    profiles_from_data,
)
from desktop.domain.scales import scale_for

FORMAT = "plandesk.plan/1"
E = TypeVar("E")
_KEY = re.compile(r"[A-Za-z0-9_.\-]{1,64}", re.ASCII)
_NUMBER = re.compile(r"-?[0-9]{1,18}(\.[0-9]{1,10})?", re.ASCII)


class PlanDocumentError(ValueError):
    """A plan document that does not follow the format; ``where`` names the place."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


def load_plan_file(path: str | Path) -> Plan:
    """Read and validate a plan document from a UTF-8 JSON file."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise PlanDocumentError(str(path), f"not valid JSON ({exc})") from exc
    return from_document(data)


def parse_plan_text(text: str, where: str = "$") -> Plan:
    """Read and validate a plan document from its JSON text (``where`` names the
    source in the error, e.g. the file's name)."""
    try:
        data = json.loads(text, parse_float=_refuse_json_number)
    except json.JSONDecodeError as exc:
        raise PlanDocumentError(where, f"not valid JSON ({exc})") from exc
    return from_document(data)


class _JsonFraction:
    """A JSON number with a fraction, kept as written instead of becoming a float
    (which would lose digits): no field accepts it, and the field's check names it."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _refuse_json_number(text: str) -> Any:
    return _JsonFraction(text)


def dump_plan(plan: Plan) -> str:
    """The plan as ``plandesk.plan/1`` JSON text: UTF-8 characters as they are,
    every figure a string (Decimals exactly), a newline at the end. Written by
    ``plandesk plan export``; ``parse_plan_text(dump_plan(p))`` gives ``p`` back."""
    return json.dumps(to_document(plan), ensure_ascii=False, indent=2) + "\n"


def from_document(data: Any) -> Plan:
    r = _Reader()
    return r.plan(data)


class _Reader:
    def __init__(self) -> None:
        self.node_keys: set[str] = set()
        self.kpi_keys: set[str] = set()
        self.kinds: dict[str, TargetKind] = {}  # per KPI key: what a report may add
        self.changed: set[str] = set()  # KPI keys whose definition changed
        self.rated: list[tuple[str, str]] = []  # (where, key) of each rated_with

    def plan(self, d: Any) -> Plan:
        d = _obj(d, "$")
        if d.get("format") != FORMAT:
            raise PlanDocumentError("$.format", f"expected {FORMAT!r}, got {d.get('format')!r}")
        branch = _str(d, "branch", "$")
        if not re.fullmatch(r"[0-9]{2}", branch, re.ASCII) or int(branch) > 47:
            raise PlanDocumentError("$.branch", f"not a branch code: {branch!r}")
        fy = d.get("fiscal_year")
        if not isinstance(fy, int) or isinstance(fy, bool) or not 1990 <= fy <= 2100:
            raise PlanDocumentError("$.fiscal_year", f"not a fiscal year: {fy!r}")
        nodes: list[PlanNode] = []
        kpis: list[Kpi] = []
        for i, n in enumerate(_list(d, "nodes", "$")):
            self.node(n, f"$.nodes[{i}]", None, None, i, nodes, kpis)
        reports = [
            self.report(rep, f"$.reports[{i}]", fy)
            for i, rep in enumerate(_list(d, "reports", "$"))
        ]
        periods = [r.period for r in reports]
        if len(set(periods)) != len(periods):
            raise PlanDocumentError("$.reports", "a period appears twice")
        policy = _list(d, "basic_policy", "$")
        if not all(isinstance(p, str) for p in policy):
            raise PlanDocumentError("$.basic_policy", "must be a list of strings")
        _limit_all(limits.BASIC_POLICY, policy, "$.basic_policy")
        axis_text = d.get("report_axis", ReportAxis.TREE.value)
        if axis_text not in {a.value for a in ReportAxis}:
            raise PlanDocumentError(
                "$.report_axis", f"'tree' or 'group' expected, got {axis_text!r}"
            )
        plan = Plan(
            mark_rules=_mark_rules(d.get("mark_rules")),
            report_axis=ReportAxis(axis_text),
            number_per_group=_bool(d, "number_per_group", "$"),
            print_profiles=_print_profiles(d.get("print_profiles")),
            branch=branch,
            fiscal_year=fy,
            title=_str(d, "title", "$", limits.PLAN_TITLE),
            basic_policy=tuple(policy),
            nodes=tuple(nodes),
            kpis=tuple(kpis),
            reports=tuple(reports),
        )
        self.check_scopes(plan)
        targets = self.branch_targets(d, plan)
        return replace(plan, branch_targets=targets) if targets else plan

    def branch_targets(self, d: dict[str, Any], plan: Plan) -> BranchTargets:
        """``branch_targets``: {branch code: {KPI key: cell text}} (HQ's template only)."""
        table = d.get("branch_targets", {})
        where = "$.branch_targets"
        if not isinstance(table, dict):
            raise PlanDocumentError(where, "must be an object of branches")
        if table and plan.branch != HQ_CODE:
            raise PlanDocumentError(
                where, "only HQ's template (branch 00) holds targets per branch"
            )
        kpis = {k.key: k for k in plan.kpis}
        cells: list[tuple[str, str, BranchTarget]] = []
        for code, row in table.items():
            if code not in BRANCHES or code == HQ_CODE:
                raise PlanDocumentError(f"{where}.{code}", "not a branch code (01..47)")
            if not isinstance(row, dict):
                raise PlanDocumentError(f"{where}.{code}", "must be an object of KPI keys")
            for key, text in row.items():
                place = f"{where}.{code}.{key}"
                if key not in kpis:
                    raise PlanDocumentError(place, "no KPI with this key in the plan")
                if not isinstance(text, str):
                    raise PlanDocumentError(place, f"a cell's text expected, got {text!r}")
                try:
                    target = parse_cell(text, kpis[key])
                except TargetCellError as exc:
                    raise PlanDocumentError(place, exc.text.en) from None
                if target is not None:
                    cells.append((code, key, target))
        return BranchTargets(tuple(cells))

    def node(
        self,
        d: Any,
        where: str,
        parent: str | None,
        parent_level: Level | None,
        position: int,
        out: list[PlanNode],
        kpis_out: list[Kpi],
    ) -> None:
        d = _obj(d, where)
        key = _key(d, "key", where, self.node_keys)
        level = _enum(Level, d, "level", where)
        if parent_level is not None and level.depth <= parent_level.depth:
            raise PlanDocumentError(where, f"level {level} under {parent_level}")
        group_text = _opt_str(d, "group", where)
        group = None
        if group_text is not None:
            try:
                group = Group(group_text)
            except ValueError:
                raise PlanDocumentError(f"{where}.group", f"unknown group {group_text!r}") from None
        footnotes = _list(d, "footnotes", where)
        if not all(isinstance(f, str) for f in footnotes):
            raise PlanDocumentError(f"{where}.footnotes", "must be a list of strings")
        _limit_all(limits.FOOTNOTE, footnotes, f"{where}.footnotes")
        out.append(
            PlanNode(
                key=key,
                parent_key=parent,
                level=level,
                label=_str(d, "label", where, limits.NODE_LABEL),
                title=_str(d, "title", where, limits.NODE_TITLE),
                plan_text=_str(d, "plan_text", where, limits.PLAN_TEXT),
                group=group,
                importance=_opt_str(d, "importance", where, limits.TAG_REASON),
                difficulty=_opt_str(d, "difficulty", where, limits.TAG_REASON),
                footnotes=tuple(footnotes),
                position=position,
                own=_bool(d, "own", where),
                branch_may_add=_opt_bool(d, "branch_may_add", where),
                report_position=_report_position(d, where),
                rated_with=self.rated_with(d, where),
            )
        )
        for i, k in enumerate(_list(d, "kpis", where)):
            kpis_out.append(self.kpi(k, f"{where}.kpis[{i}]", key))
        for i, c in enumerate(_list(d, "children", where)):
            self.node(c, f"{where}.children[{i}]", key, level, i, out, kpis_out)

    def rated_with(self, d: dict[str, Any], where: str) -> str | None:
        """``rated_with``: the key of a node (checked once every node is read)."""
        value = _opt_str(d, "rated_with", where)
        if value is not None:
            self.rated.append((f"{where}.rated_with", value))
        return value

    def check_scopes(self, plan: Plan) -> None:
        for where, key in self.rated:
            if key not in self.node_keys:
                raise PlanDocumentError(where, f"no node with key {key!r}")
        for n in plan.nodes:
            if n.rated_with is not None and not rating_scopes.is_rated_elsewhere(plan, n.key):
                raise PlanDocumentError(
                    f"node {n.key!r}.rated_with",
                    "must name another node that is not itself rated with one",
                )

    def kpi(self, d: Any, where: str, node_key: str) -> Kpi:
        d = _obj(d, where)
        key = _key(d, "key", where, self.kpi_keys)
        direction = _enum(Direction, d, "direction", where)
        kind = _enum(TargetKind, d, "target_kind", where)
        target = _num(d, "target", where)
        decimals = d.get("decimals")
        if not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= 6:
            raise PlanDocumentError(f"{where}.decimals", f"0..6 expected, got {decimals!r}")
        if direction is Direction.QUALITATIVE and target is not None:
            raise PlanDocumentError(f"{where}.target", "a qualitative KPI has no numeric target")
        if kind is TargetKind.PREV_YEAR and target is not None:
            raise PlanDocumentError(f"{where}.target", "a prev_year target comes from last year")
        if kind.from_last_year and direction not in (
            Direction.AT_LEAST,
            Direction.AT_MOST,
        ):
            raise PlanDocumentError(f"{where}.direction", f"{kind} needs at_least or at_most")
        by_branch = _bool(d, "target_by_branch", where)
        if by_branch and kind is not TargetKind.FIXED:
            raise PlanDocumentError(
                f"{where}.target_by_branch", "only a fixed target is set by the branch"
            )
        # A fixed target without a value is one not set yet (a KPI the branch added in the
        # app, or one whose target HQ leaves to the branch): judged once it is set.
        rules = self.target_rules(d, where, kind, direction, target)
        self.kinds[key] = kind
        if d.get("definition_changed") is True:
            self.changed.add(key)
        judged = d.get("judged_decimals")
        if judged is not None and (
            not isinstance(judged, int) or isinstance(judged, bool) or not 0 <= judged <= 6
        ):
            raise PlanDocumentError(f"{where}.judged_decimals", f"0..6 or null, got {judged!r}")
        if judged is not None and direction is Direction.QUALITATIVE:
            raise PlanDocumentError(
                f"{where}.judged_decimals", "a qualitative KPI has no figure to round"
            )
        kpi = Kpi(
            key=key,
            node_key=node_key,
            label=_str(d, "label", where, limits.KPI_LABEL),
            name=_str(d, "name", where, limits.KPI_NAME),
            unit=_str(d, "unit", where, limits.KPI_UNIT),
            decimals=decimals,
            direction=direction,
            target_kind=kind,
            target=target,
            cumulative=_bool(d, "cumulative", where),
            is_new=_bool(d, "new", where),
            definition_changed=_bool(d, "definition_changed", where),
            numerator_label=_opt_str(d, "numerator_label", where, limits.KPI_PART_LABEL),
            denominator_label=_opt_str(d, "denominator_label", where, limits.KPI_PART_LABEL),
            numerator_target=_num(d, "numerator_target", where),
            denominator_target=_num(d, "denominator_target", where),
            last_year_actual=_num(d, "last_year_actual", where),
            reference=_opt_str(d, "reference", where, limits.KPI_REFERENCE),
            note=_opt_str(d, "note", where, limits.KPI_NOTE),
            judged_decimals=judged,
            last_year_source=_source(d, "last_year_source", where, _ACTUAL_SOURCES),
            prior_year_actual=_num(d, "prior_year_actual", where),
            prior_year_source=_source(d, "prior_year_source", where, _ACTUAL_SOURCES),
            last_year_national_average=_num(d, "last_year_national_average", where),
            last_year_national_rank=_rank(d, "last_year_national_rank", where),
            own=_bool(d, "own", where),
            last_year_profile=_months(d, "last_year_profile", where),
            monthly_actuals=_months(d, "monthly_actuals", where),
            target_by_branch=by_branch,
            reference_indicator=_bool(d, "reference_indicator", where),
            definition_note=_opt_str(d, "definition_note", where, limits.DEFINITION_NOTE),
            **rules,
        )
        for gap in definition_gaps(kpi):
            raise PlanDocumentError(f"{where}.{gap.field}", f"{gap.missing.en} is missing")
        return kpi

    @staticmethod
    def target_rules(
        d: dict[str, Any], where: str, kind: TargetKind, direction: Direction, target: Any
    ) -> dict[str, Any]:
        """The fields of the kinds beyond one number a year (domain/target_rules.py)."""
        baseline_year = _year(d, "baseline_year", where)
        goal_year = _year(d, "goal_year", where)
        baseline_value = _num(d, "baseline_value", where)
        target_text = _opt_str(d, "target_text", where, limits.TARGET_TEXT)
        # What each kind needs to be judged at all (a goal year, a baseline's year and
        # value, a monthly number, the words): domain/plan_completeness.py, shared with
        # the plan's submission, checked on the Kpi in :meth:`kpi`.
        if kind is TargetKind.MULTI_YEAR:
            if baseline_year is not None and goal_year is not None and baseline_year >= goal_year:
                raise PlanDocumentError(
                    f"{where}.baseline_year", "the baseline year must come before the goal year"
                )
        elif baseline_year is not None or goal_year is not None or baseline_value is not None:
            raise PlanDocumentError(
                f"{where}.target_kind", "a baseline and goal year belong to a multi_year target"
            )
        if kind is TargetKind.MANUAL and target is not None:
            raise PlanDocumentError(f"{where}.target", "a goal in words has no number")
        return {
            "baseline_year": baseline_year,
            "baseline_value": baseline_value,
            "goal_year": goal_year,
            "target_text": target_text,
        }

    def report(self, d: Any, where: str, fiscal_year: int) -> Report:
        d = _obj(d, where)
        period = _enum(PeriodKind, d, "period", where)
        as_of = _month(d, "as_of", where)
        if as_of is None:
            raise PlanDocumentError(f"{where}.as_of", "a report needs its as-of month")
        scale = scale_for(period)
        entries = []
        seen: set[str] = set()
        for i, e in enumerate(_list(d, "entries", where)):
            w = f"{where}.entries[{i}]"
            e = _obj(e, w)
            node = _str(e, "node", w)
            if node not in self.node_keys:
                raise PlanDocumentError(f"{w}.node", f"no node {node!r}")
            if node in seen:
                raise PlanDocumentError(f"{w}.node", f"second entry for {node!r}")
            seen.add(node)
            mark = _opt_str(e, "mark", w)
            if mark is not None and mark not in scale.symbols:
                raise PlanDocumentError(f"{w}.mark", f"{mark!r} is not one of {scale.symbols}")
            entries.append(
                SectionEntry(
                    node_key=node,
                    status_text=_str(e, "status_text", w, limits.STATUS_TEXT),
                    mark=mark,
                    mark_reason=_opt_str(e, "mark_reason", w, limits.MARK_REASON),
                    next_steps=_str(e, "next_steps", w, limits.NEXT_STEPS),
                    actions=_str(e, "actions", w, limits.ACTIONS) if "actions" in e else "",
                )
            )
        measurements = []
        benchmarks = []
        seen = set()
        for i, m in enumerate(_list(d, "measurements", where)):
            w = f"{where}.measurements[{i}]"
            m = _obj(m, w)
            kpi = _str(m, "kpi", w)
            if kpi not in self.kpi_keys:
                raise PlanDocumentError(f"{w}.kpi", f"no KPI {kpi!r}")
            if kpi in seen:
                raise PlanDocumentError(f"{w}.kpi", f"second measurement for {kpi!r}")
            seen.add(kpi)
            done = m.get("done")
            if done is not None and not isinstance(done, bool):
                raise PlanDocumentError(f"{w}.done", "true, false or null expected")
            rank = m.get("national_rank")
            if rank is not None and (not isinstance(rank, int) or not 1 <= rank <= 47):
                raise PlanDocumentError(f"{w}.national_rank", "1..47 or null expected")
            measurements.append(
                Measurement(
                    kpi_key=kpi,
                    value=_num(m, "value", w),
                    numerator=_num(m, "numerator", w),
                    denominator=_num(m, "denominator", w),
                    done=done,
                    as_of=_month(m, "as_of", w),
                    preliminary=_bool(m, "preliminary", w),
                    unavailable_reason=_opt_str(
                        m, "unavailable_reason", w, limits.UNAVAILABLE_REASON
                    ),
                    **self.verdict_by_hand(m, w, kpi),
                    old_method_value=self.old_method(m, w, kpi),
                )
            )
            # National figures are HQ's, not the branch's: they travel as benchmarks.
            average = _num(m, "national_average", w)
            source = _source(m, "national_source", w, (Source.PACK, Source.TYPED)) or Source.PACK
            if average is not None or rank is not None:
                benchmarks.append(
                    Benchmark(kpi, national_average=average, national_rank=rank, source=source)
                )
        return Report(
            period=period,
            as_of=as_of,
            title=_str(d, "title", where, limits.REPORT_TITLE),
            entries=tuple(entries),
            measurements=tuple(measurements),
            benchmarks=tuple(benchmarks),
        )

    def verdict_by_hand(self, m: dict[str, Any], where: str, kpi: str) -> dict[str, Any]:
        status = _opt_str(m, "manual_status", where)
        reason = _opt_str(m, "manual_reason", where, limits.MANUAL_REASON)
        if status is not None:
            if status not in _MANUAL_STATUSES:
                raise PlanDocumentError(
                    f"{where}.manual_status", f"one of {list(_MANUAL_STATUSES)}, got {status!r}"
                )
            if self.kinds.get(kpi) is not TargetKind.MANUAL:
                raise PlanDocumentError(
                    f"{where}.manual_status", "only a manual target is judged by hand"
                )
            if not (reason or "").strip():
                raise PlanDocumentError(f"{where}.manual_reason", "a verdict needs its reason")
        return {"manual_status": status, "manual_reason": reason}

    def old_method(self, m: dict[str, Any], where: str, kpi: str) -> Decimal | None:
        value = _num(m, "old_method_value", where)
        if value is not None and kpi not in self.changed:
            raise PlanDocumentError(
                f"{where}.old_method_value", "only a KPI whose definition changed has one"
            )
        return value


# The verdicts a person may give (achievement.MANUAL_STATUSES, by value).
_MANUAL_STATUSES = ("met", "on_pace", "behind_pace", "not_met")


def _report_position(d: dict[str, Any], where: str) -> int | None:
    """A node's place in a report organised by group (optional: tree order)."""
    value = d.get("report_position")
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 1_000_000:
        raise PlanDocumentError(f"{where}.report_position", f"0..1000000 expected, got {value!r}")
    return value


def _mark_rules(data: Any) -> MarkRules | None:
    """HQ's rules for suggested marks (optional: without them, the default rules)."""
    if data is None:
        return None
    try:
        return rules_from_data(data, "$.mark_rules")
    except MarkRulesError as exc:
        raise PlanDocumentError(exc.where, exc.problem) from None


def _print_profiles(data: Any) -> ReportProfiles:
    """The print profile per period (optional: without it, today's four-column table)."""
    if data is None:
        return DEFAULT_PROFILES
    try:
        return profiles_from_data(data)
    except ProfileError as exc:
        raise PlanDocumentError("$.print_profiles", str(exc)) from None


# --- writing -------------------------------------------------------------------


def to_document(plan: Plan) -> dict[str, Any]:
    """The canonical document for a plan (what the bundled files contain)."""
    doc: dict[str, Any] = {
        "format": FORMAT,
        "branch": plan.branch,
        "fiscal_year": plan.fiscal_year,
        "title": plan.title,
        "basic_policy": list(plan.basic_policy),
    }
    if plan.mark_rules is not None:  # optional: a plan without them uses the default
        doc["mark_rules"] = rules_to_data(plan.mark_rules)
    if plan.report_axis is not ReportAxis.TREE:  # optional: by tree, the default
        doc["report_axis"] = plan.report_axis.value
    if plan.number_per_group:
        doc["number_per_group"] = True
    if not plan.print_profiles.is_default:  # optional: without it, the default layout
        doc["print_profiles"] = plan.print_profiles.to_data()
    doc["nodes"] = [_node_doc(plan, n) for n in plan.children(None)]
    doc["reports"] = [_report_doc(r) for r in plan.reports]
    return doc | _branch_targets_doc(plan)


def _branch_targets_doc(plan: Plan) -> dict[str, Any]:
    """Optional: written only when HQ's template holds targets per branch."""
    if not plan.branch_targets:
        return {}
    kpis = {k.key: k for k in plan.kpis}
    table: dict[str, dict[str, str]] = {}
    for branch, key, target in plan.branch_targets.cells:
        table.setdefault(branch, {})[key] = format_cell(target, kpis[key])
    return {"branch_targets": table}


def _node_doc(plan: Plan, n: PlanNode) -> dict[str, Any]:
    return {
        "key": n.key,
        "level": n.level.value,
        "label": n.label,
        "title": n.title,
        "plan_text": n.plan_text,
        "group": n.group.value if n.group else None,
        "importance": n.importance,
        "difficulty": n.difficulty,
        "footnotes": list(n.footnotes),
        # Optional (written only when set): 支部独自, HQ's "a branch may add here".
        **({"own": True} if n.own else {}),
        **({} if n.branch_may_add is None else {"branch_may_add": n.branch_may_add}),
        **({} if n.report_position is None else {"report_position": n.report_position}),
        # Optional: the holder of the node's rating scope (only a valid one is written).
        **(
            {"rated_with": rating_scopes.holder_of(plan, n.key)}
            if rating_scopes.is_rated_elsewhere(plan, n.key)
            else {}
        ),
        "kpis": [_kpi_doc(k) for k in plan.kpis_of(n.key)],
        "children": [_node_doc(plan, c) for c in plan.children(n.key)],
    }


def _kpi_doc(k: Kpi) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "key": k.key,
        "label": k.label,
        "name": k.name,
        "unit": k.unit,
        "decimals": k.decimals,
        "direction": k.direction.value,
        "target_kind": k.target_kind.value,
        "target": _numdoc(k.target),
        "cumulative": k.cumulative,
        "new": k.is_new,
        "definition_changed": k.definition_changed,
        "numerator_label": k.numerator_label,
        "denominator_label": k.denominator_label,
        "numerator_target": _numdoc(k.numerator_target),
        "denominator_target": _numdoc(k.denominator_target),
        "last_year_actual": _numdoc(k.last_year_actual),
        "reference": k.reference,
        "note": k.note,
    }
    # Optional fields, written only when present so that plain plans stay short
    # (and files without them read as before).
    if k.judged_decimals is not None:
        doc["judged_decimals"] = k.judged_decimals
    if k.target_by_branch:
        doc["target_by_branch"] = True
    if k.own:
        doc["own"] = True
    for name, value in (
        ("last_year_source", k.last_year_source and k.last_year_source.value),
        ("prior_year_actual", _numdoc(k.prior_year_actual)),
        ("prior_year_source", k.prior_year_source and k.prior_year_source.value),
        ("last_year_national_average", _numdoc(k.last_year_national_average)),
        ("last_year_national_rank", k.last_year_national_rank),
        ("baseline_year", k.baseline_year),
        ("baseline_value", _numdoc(k.baseline_value)),
        ("goal_year", k.goal_year),
        ("target_text", k.target_text),
        ("definition_note", k.definition_note),
    ):
        if value is not None:
            doc[name] = value
    if k.reference_indicator:
        doc["reference_indicator"] = True
    for name, series in (
        ("last_year_profile", k.last_year_profile),
        ("monthly_actuals", k.monthly_actuals),
    ):
        if series:
            doc[name] = [[index, _numdoc(value)] for index, value in series]
    return doc


def _report_doc(r: Report) -> dict[str, Any]:
    bench = {b.kpi_key: b for b in r.benchmarks}
    doc = {
        "period": r.period.value,
        "as_of": r.as_of.iso(),
        "title": r.title,
        "entries": [
            {
                "node": e.node_key,
                "status_text": e.status_text,
                "mark": e.mark,
                "mark_reason": e.mark_reason,
                "next_steps": e.next_steps,
            }
            # optional: written only when there is something (older documents have none)
            | ({"actions": e.actions} if e.actions else {})
            for e in r.entries
        ],
        "measurements": [
            {
                "kpi": m.kpi_key,
                "value": _numdoc(m.value),
                "numerator": _numdoc(m.numerator),
                "denominator": _numdoc(m.denominator),
                "done": m.done,
                "as_of": m.as_of.iso() if m.as_of else None,
                "preliminary": m.preliminary,
                "unavailable_reason": m.unavailable_reason,
                "national_average": _numdoc(bench[m.kpi_key].national_average)
                if m.kpi_key in bench
                else None,
                "national_rank": bench[m.kpi_key].national_rank if m.kpi_key in bench else None,
            }
            for m in r.measurements
        ],
    }
    # Typed national figures say so (optional: a file without it reads as HQ's pack).
    for m in doc["measurements"]:
        b = bench.get(m["kpi"])
        if b is not None and b.source is not Source.PACK:
            m["national_source"] = b.source.value
    # A verdict by hand and an old-method figure: optional, written only when present.
    for out, m in zip(doc["measurements"], r.measurements, strict=True):
        for name, value in (
            ("manual_status", m.manual_status),
            ("manual_reason", m.manual_reason),
            ("old_method_value", _numdoc(m.old_method_value)),
        ):
            if value is not None:
                out[name] = value
    return doc


def _numdoc(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def iter_nodes_depth_first(plan: Plan, parent: str | None = None) -> Iterator[PlanNode]:
    """Nodes in printed order: each node followed by its descendants."""
    for n in plan.children(parent):
        yield n
        yield from iter_nodes_depth_first(plan, n.key)


# --- field readers ---------------------------------------------------------------


def _obj(d: Any, where: str) -> dict[str, Any]:
    if not isinstance(d, dict):
        raise PlanDocumentError(where, "an object expected")
    return d


def _list(d: dict[str, Any], name: str, where: str) -> list[Any]:
    value = d.get(name, [])
    if not isinstance(value, list):
        raise PlanDocumentError(f"{where}.{name}", "a list expected")
    return value


def _str(d: dict[str, Any], name: str, where: str, kind: limits.TextKind | None = None) -> str:
    value = d.get(name)
    if not isinstance(value, str):
        raise PlanDocumentError(f"{where}.{name}", f"a string expected, got {value!r}")
    if kind is not None:
        _limit(kind, value, f"{where}.{name}")
    return value


def _opt_str(
    d: dict[str, Any], name: str, where: str, kind: limits.TextKind | None = None
) -> str | None:
    value = d.get(name)
    if value is not None and not isinstance(value, str):
        raise PlanDocumentError(f"{where}.{name}", f"a string or null expected, got {value!r}")
    if value is not None and kind is not None:
        _limit(kind, value, f"{where}.{name}")
    return value


def _limit(kind: limits.TextKind, value: str, where: str) -> None:
    """The same limit as typed text (limits.py): a bundled or imported plan can
    always be exported again. Texts are kept exactly as the document has them."""
    try:
        limits.check_text(kind, value, typed=False)
    except limits.TextRefused as exc:
        raise PlanDocumentError(where, exc.text.en) from exc


def _limit_all(kind: limits.TextKind, values: list[str], where: str) -> None:
    try:
        limits.check_texts(kind, values, typed=False)
    except limits.TextRefused as exc:
        raise PlanDocumentError(where, exc.text.en) from exc


def _bool(d: dict[str, Any], name: str, where: str) -> bool:
    value = d.get(name, False)
    if not isinstance(value, bool):
        raise PlanDocumentError(f"{where}.{name}", f"true or false expected, got {value!r}")
    return value


def _opt_bool(d: dict[str, Any], name: str, where: str) -> bool | None:
    value = d.get(name)
    if value is not None and not isinstance(value, bool):
        raise PlanDocumentError(f"{where}.{name}", f"true, false or null expected, got {value!r}")
    return value


def _key(d: dict[str, Any], name: str, where: str, seen: set[str]) -> str:
    key = _str(d, name, where)
    if not _KEY.fullmatch(key):
        raise PlanDocumentError(f"{where}.{name}", f"keys are ASCII [A-Za-z0-9_.-]: {key!r}")
    if key in seen:
        raise PlanDocumentError(f"{where}.{name}", f"duplicate key {key!r}")
    seen.add(key)
    return key


def _enum(cls: type[E], d: dict[str, Any], name: str, where: str) -> E:
    value = d.get(name)
    try:
        return cls(value)  # type: ignore[call-arg]
    except ValueError:
        allowed = [e.value for e in cls]  # type: ignore[attr-defined]
        raise PlanDocumentError(f"{where}.{name}", f"{value!r} not in {allowed}") from None


_ACTUAL_SOURCES = (Source.ROLLOVER, Source.TYPED)


def _source(d: dict[str, Any], name: str, where: str, allowed: tuple[Source, ...]) -> Source | None:
    value = d.get(name)
    if value is None:
        return None
    words = [s.value for s in allowed]
    if value not in words:
        raise PlanDocumentError(f"{where}.{name}", f"one of {words} or null, got {value!r}")
    return Source(value)


def _year(d: dict[str, Any], name: str, where: str) -> int | None:
    value = d.get(name)
    if value is not None and (
        not isinstance(value, int) or isinstance(value, bool) or not 1990 <= value <= 2100
    ):
        raise PlanDocumentError(f"{where}.{name}", f"a fiscal year or null, got {value!r}")
    return value


def _rank(d: dict[str, Any], name: str, where: str) -> int | None:
    value = d.get(name)
    if value is not None and (
        not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 47
    ):
        raise PlanDocumentError(f"{where}.{name}", f"1..47 or null expected, got {value!r}")
    return value


def _num(d: dict[str, Any], name: str, where: str) -> Decimal | None:
    value = d.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not _NUMBER.fullmatch(value):
        raise PlanDocumentError(
            f"{where}.{name}", f"a plain ASCII number string expected: {value!r}"
        )
    try:
        return Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
        raise PlanDocumentError(f"{where}.{name}", f"not a number: {value!r}") from None


def _months(d: dict[str, Any], name: str, where: str) -> tuple[tuple[int, Decimal], ...]:
    """An optional series of [fiscal month 1..12 (1 = April), "value"] pairs."""
    raw = d.get(name)
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise PlanDocumentError(f"{where}.{name}", "a list of [month, value] pairs expected")
    out: dict[int, Decimal] = {}
    for i, pair in enumerate(raw):
        w = f"{where}.{name}[{i}]"
        if not isinstance(pair, list) or len(pair) != 2:
            raise PlanDocumentError(w, "[fiscal month 1..12, value] expected")
        index = pair[0]
        if not isinstance(index, int) or isinstance(index, bool) or not 1 <= index <= 12:
            raise PlanDocumentError(w, f"fiscal month 1..12 expected, got {index!r}")
        if index in out:
            raise PlanDocumentError(w, f"month {index} given twice")
        value = _num({"value": pair[1]}, "value", w)
        if value is None:
            raise PlanDocumentError(w, "a value is required")
        out[index] = value
    return tuple(sorted(out.items()))


def _month(d: dict[str, Any], name: str, where: str) -> YearMonth | None:
    value = d.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise PlanDocumentError(f"{where}.{name}", f"'YYYY-MM' expected, got {value!r}")
    try:
        return YearMonth.from_iso(value)
    except ValueError:
        raise PlanDocumentError(f"{where}.{name}", f"'YYYY-MM' expected, got {value!r}") from None
