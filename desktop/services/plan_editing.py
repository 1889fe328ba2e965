"""Writing a plan's structure in the app: nodes and KPI definitions.

A branch (or HQ, editing its template: the plan of branch "00") adds sections and
items under a parent, renames, reorders, moves and removes them, edits a node's
plan text, group, 重要度／困難度 tags and footnotes, and adds, edits and removes KPI
definitions. Each call is one unit of work: one IMMEDIATE transaction through the
edit scope (``EditScope``, with the ``Structure`` lock: a signed-off report of the
plan locks its structure, an approved section locks its node), an audit entry per
stored value it changed, and a ``Changes`` carrying a ``StructureChanged`` record.

Rules of HQ's framework, for a branch's plan: what the branch adds is marked 支部独自
(``own``); it may add only under nodes whose ``allows_branch_additions`` says so;
HQ's nodes keep their labels, titles, tags, place and existence, HQ's KPIs their
definition (a branch sets its own target). Every edit passes :func:`guard_structure`,
the one place a further rule (an approved plan refuses structure edits) is added.

Nothing entered is lost: removing a node or KPI keeps it, with every report value that
hung on it, in the database (``desktop/store/structure.py``) until
:func:`restore_removed` puts it back exactly (undo). :func:`removal_preview` says
first what a removal takes out. Keys of new nodes and KPIs are handed out from a
per-plan serial that never goes back: a removed key is never handed out again.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.domain import limits, rating_scopes
from desktop.domain.errors import BadInput, Refused, UserError
from desktop.domain.model import (
    Direction,
    Group,
    Level,
    PeriodKind,
    ReportAxis,
    ReportRef,
    TargetKind,
)
from desktop.domain.parsing import normalize_input, parse_decimal
from desktop.domain.print_profiles import PROFILES, ReportProfiles, dump_profiles, load_profiles
from desktop.domain.review import ReviewRefused
from desktop.domain.text import Text
from desktop.services.changes import Changes, PlanRef, StructureChanged
from desktop.services.edit_scope import EditScope, Structure
from desktop.services.locks import refuse_structure_if_signed_off, state_of
from desktop.store import content, repository, structure
from desktop.store.database import Database
from desktop.store.models import KpiRow, NodeRow, PlanRow, RemovedPartRow
from desktop.store.structure import Counts

HQ = "00"

NODE_TEXT = {
    "label": limits.NODE_LABEL,
    "title": limits.NODE_TITLE,
    "plan_text": limits.PLAN_TEXT,
    "importance": limits.TAG_REASON,
    "difficulty": limits.TAG_REASON,
}
NODE_FIELDS = frozenset(
    {*NODE_TEXT, "group", "footnotes", "branch_may_add", "report_position", "rated_with"}
)
# What a branch may change of a node in HQ's framework (not its own): the place in a
# report by group too, as its groups hand in their parts in their own order, and its
# rating scopes, since how a branch rates its items is its own report's shape.
BRANCH_NODE_FIELDS = frozenset({"plan_text", "group", "footnotes", "report_position", "rated_with"})

KPI_TEXT = {
    "label": limits.KPI_LABEL,
    "name": limits.KPI_NAME,
    "unit": limits.KPI_UNIT,
    "numerator_label": limits.KPI_PART_LABEL,
    "denominator_label": limits.KPI_PART_LABEL,
    "note": limits.KPI_NOTE,
    "target_text": limits.TARGET_TEXT,
    "definition_note": limits.DEFINITION_NOTE,
}
KPI_FLAGS = frozenset({"cumulative", "is_new", "definition_changed", "reference_indicator"})
# The fields of a multi-year goal (desktop/domain/target_rules.py): cleared with another kind.
MULTI_YEAR_FIELDS = ("baseline_year", "baseline_value", "goal_year")
KPI_FIELDS = frozenset(
    {*KPI_TEXT, *KPI_FLAGS, *MULTI_YEAR_FIELDS, "decimals", "direction", "target_kind", "target"}
)
# What a branch may change of one of HQ's KPIs: its own target (of any kind).
BRANCH_KPI_FIELDS = frozenset({"target_kind", "target", *MULTI_YEAR_FIELDS, "target_text"})
# Kinds without a number of their own: the target comes from last year, or is words.
_NO_NUMBER = frozenset(
    {TargetKind.PREV_YEAR.value, TargetKind.PREV_YEAR_END.value, TargetKind.MANUAL.value}
)

Plannable = PlanRef | ReportRef


# --- the one guard of every structure edit ---------------------------------------------


def guard_structure(scope: EditScope, node: NodeRow | None = None) -> None:
    """Refuse a structure edit the rules do not allow now (before anything is written):
    the review locks (a signed-off report of the plan, an approved section ``node``).
    Further plan-wide rules (an approved plan) belong here, one line each."""
    scope.guard(Structure(node))


# --- helpers ---------------------------------------------------------------------------


def _ref(plan: Plannable) -> ReportRef:
    if isinstance(plan, ReportRef):
        return plan
    return ReportRef(plan.branch, plan.fiscal_year, PeriodKind.MIDYEAR)


def _is_branch(scope: EditScope) -> bool:
    return scope.ref.branch != HQ


def _title(node: NodeRow) -> str:
    return f"{node.label}{node.title}"


def _framework_refusal(what_ja: str, what_en: str) -> Refused:
    return Refused(
        f"{what_ja}は本部の計画の枠組みで決められているため、支部では変更できません。",
        f"{what_en} is set by HQ's framework and cannot be changed by a branch.",
    )


def _plan_row(scope: EditScope) -> PlanRow:
    row = scope.session.get(PlanRow, scope.plan_id)
    assert row is not None
    return row


class _Audited:
    """Accounts for every stored value a structure edit changed (one audit entry each)."""

    def __init__(self, scope: EditScope) -> None:
        self.scope = scope
        self.plan = (scope.ref.branch, scope.ref.fiscal_year)
        scope.session.flush()
        self.before = content.stored_values(scope.session, self.plan)

    def done(self, action: str) -> None:
        self.scope.session.flush()
        after = content.stored_values(self.scope.session, self.plan)
        content.record_differences(
            self.scope.session,
            self.before,
            after,
            actor=self.scope.actor,
            action=action,
            at=self.scope.stamp,
        )


def _result(scope: EditScope, record: StructureChanged) -> Changes:
    return Changes(records=(record,)) + scope.changes()


def _new_key(scope: EditScope, stem: str, letter: str) -> str:
    """A key not used now, not held by a removed part, never handed out before."""
    session = scope.session
    plan = _plan_row(scope)
    used = set(session.scalars(select(NodeRow.key).where(NodeRow.plan_id == plan.id)))
    used |= set(session.scalars(select(KpiRow.key).where(KpiRow.plan_id == plan.id)))
    for keys in session.scalars(
        select(RemovedPartRow.keys).where(RemovedPartRow.plan_id == plan.id)
    ):
        used |= set(json.loads(keys))
    serial = plan.key_serial
    while True:
        serial += 1
        key = f"{stem}.{letter}{serial}" if stem else f"{letter}{serial}"
        if key not in used:
            break
    plan.key_serial = serial
    return key


def _children(session: Session, plan_id: int, parent_id: int | None) -> list[NodeRow]:
    return list(
        session.scalars(
            select(NodeRow)
            .where(
                NodeRow.plan_id == plan_id,
                NodeRow.parent_id.is_(None)
                if parent_id is None
                else NodeRow.parent_id == parent_id,
            )
            .order_by(NodeRow.position, NodeRow.id)
        )
    )


def _renumber(rows: list, position_of: str = "position") -> None:
    for i, row in enumerate(rows):
        if getattr(row, position_of) != i:
            setattr(row, position_of, i)


def _child_level(parent: NodeRow | None, level: Level | None) -> Level:
    levels = list(Level)
    if parent is None:
        wanted = level or Level.PILLAR
        if wanted is not Level.PILLAR:
            raise BadInput(
                "最上位には柱だけを置けます。", "Only pillars can be placed at the top level."
            )
        return wanted
    parent_level = Level(parent.level)
    if level is None:
        if parent_level is Level.SUBITEM:
            raise BadInput(
                f"「{_title(parent)}」の下には項目を置けません（最も深い階層です）。",
                f"Nothing can be placed under '{_title(parent)}' (the deepest level).",
            )
        # Under a pillar a section; under a section an item (subsections are for HQ).
        return {Level.SECTION: Level.ITEM}.get(parent_level, levels[parent_level.depth + 1])
    if level.depth <= parent_level.depth:
        raise BadInput(
            f"{level.value} は「{_title(parent)}」（{parent_level.value}）の下には置けません。",
            f"A {level.value} cannot be placed under '{_title(parent)}' ({parent_level.value}).",
        )
    return level


def _may_add_under(scope: EditScope, parent: NodeRow | None) -> None:
    if not _is_branch(scope):
        return
    if parent is None:
        raise _framework_refusal("柱", "A pillar")
    allowed = parent.own or (
        parent.branch_may_add
        if parent.branch_may_add is not None
        else parent.level in (Level.PILLAR.value, Level.SECTION.value)
    )
    if not allowed:
        raise Refused(
            f"本部の計画の枠組みでは「{_title(parent)}」の下に支部独自の項目・KPIを"
            "追加できません。",
            f"HQ's framework does not let a branch add its own items or KPIs under "
            f"'{_title(parent)}'.",
        )


def _node_allows_kpis(scope: EditScope, node: NodeRow) -> None:
    if _is_branch(scope) and not node.own:
        _may_add_under(scope, node)


def _check_own(scope: EditScope, row: NodeRow | KpiRow, field: str, allowed: frozenset) -> None:
    if _is_branch(scope) and not row.own and field not in allowed:
        what = _FIELD_WORDS.get(field, Text(field, field))
        raise _framework_refusal(f"「{what.ja}」", f"The {what.en}")


_FIELD_WORDS = {
    "label": Text("番号", "label"),
    "title": Text("見出し", "title"),
    "importance": Text("重要度", "importance tag"),
    "difficulty": Text("困難度", "difficulty tag"),
    "branch_may_add": Text("支部の追加", "'branch may add' flag"),
    "name": Text("KPI名", "KPI name"),
    "unit": Text("単位", "unit"),
    "decimals": Text("小数桁数", "number of decimals"),
    "direction": Text("目標の向き", "direction"),
    "numerator_label": Text("分子の名称", "numerator label"),
    "denominator_label": Text("分母の名称", "denominator label"),
    "note": Text("備考", "note"),
    "cumulative": Text("累積", "cumulative flag"),
    "is_new": Text("新設", "new flag"),
    "definition_changed": Text("算出方法の変更", "definition-changed flag"),
    "reference_indicator": Text("参考指標", "reference-indicator flag"),
    "definition_note": Text("算出方法の変更の内容", "note on the changed definition"),
    "label_kpi": Text("番号", "label"),
}


# --- nodes ---------------------------------------------------------------------------------


def add_node(
    db: Database,
    plan: Plannable,
    parent_key: str | None,
    *,
    title: str,
    label: str = "",
    level: Level | None = None,
    position: int | None = None,
    actor: str,
) -> Changes:
    """Add a node under ``parent_key`` (None: a pillar, HQ only) at ``position`` among
    its siblings (None: last). Its level: ``level``, else the one below the parent's
    (a section under a pillar, an item under a section). A branch's node is 支部独自."""
    title = limits.check_text(limits.NODE_TITLE, title)
    label = limits.check_text(limits.NODE_LABEL, label)
    if not title.strip():
        raise BadInput("見出しを入力してください。", "Enter a title.")
    with db.write() as session:
        scope = EditScope(session, _ref(plan), actor=actor, create_report=False)
        parent = scope.node(parent_key) if parent_key is not None else None
        guard_structure(scope)
        _may_add_under(scope, parent)
        siblings = _children(session, scope.plan_id, parent.id if parent else None)
        # Like its siblings (a template mixes subsections and items), else one level down.
        new_level = _child_level(parent, level or (Level(siblings[0].level) if siblings else None))
        audited = _Audited(scope)
        key = _new_key(scope, parent.key if parent else "", "n")
        at = len(siblings) if position is None else max(0, min(position, len(siblings)))
        row = NodeRow(
            plan_id=scope.plan_id,
            key=key,
            parent_id=parent.id if parent else None,
            level=new_level.value,
            label=label,
            title=title,
            plan_text="",
            footnotes="[]",
            own=_is_branch(scope),
        )
        session.add(row)
        siblings.insert(at, row)
        _renumber(siblings)
        audited.done("add")
        return _result(scope, StructureChanged(scope.ref, "add", "node", key))


def set_flags_in(scope: EditScope, flags: Sequence[tuple[str, str, str, bool | None]]) -> Changes:
    """Set flags of nodes and KPIs as an import merges them — (kind "node" | "kpi", key,
    "own" | "branch_may_add", value) — each through the structure guard, with their
    audit entries, as one structure edit per node or KPI."""
    records: list[StructureChanged] = []
    for kind, key, field, value in flags:
        row: NodeRow | KpiRow = scope.node(key) if kind == "node" else scope.kpi(key)
        node = row if isinstance(row, NodeRow) else scope.session.get(NodeRow, row.node_id)
        guard_structure(scope, node)
        stored = bool(value) if field == "own" else value
        if getattr(row, field) == stored:
            continue
        audited = _Audited(scope)
        setattr(row, field, stored)
        audited.done(scope.action)
        records.append(StructureChanged(scope.ref, "edit", kind, key))
    return Changes(records=tuple(records)) + scope.changes()


def set_node_field(
    db: Database, plan: Plannable, node_key: str, field: str, value: object, *, actor: str
) -> Changes:
    """Change one field of a node: label, title, plan_text, importance / difficulty
    (the reason text; blank removes the tag), group (a Group, its value or blank),
    footnotes (a list of texts, or one text with a line per footnote), branch_may_add
    (True, False or None: HQ's template only), report_position (a whole number
    0..1000000, or blank: the place in a report organised by group), rated_with (the
    key of the sibling whose mark rates this item too, or None/blank: rated on its
    own; see desktop/domain/rating_scopes.py)."""
    if field not in NODE_FIELDS:
        raise ValueError(f"unknown node field {field!r}")
    stored = _node_value(field, value)
    with db.write() as session:
        scope = EditScope(session, _ref(plan), actor=actor, create_report=False)
        node = scope.node(node_key)
        if field == "plan_text":  # the same writer as the section form's plan text
            scope.set_plan_text(node, str(stored))
            return scope.changes()
        guard_structure(scope, node)
        if field == "branch_may_add" and _is_branch(scope):
            raise _framework_refusal("「支部の追加」", "The 'branch may add' flag")
        _check_own(scope, node, field, BRANCH_NODE_FIELDS)
        if field == "rated_with":
            _check_scope(scope, node, stored)  # type: ignore[arg-type]
        column = {"group": "group_name"}.get(field, field)
        if getattr(node, column) == stored:
            return scope.changes()
        audited = _Audited(scope)
        setattr(node, column, stored)
        audited.done("edit")
        return _result(scope, StructureChanged(scope.ref, "edit", "node", node.key))


def _node_value(field: str, value: object) -> object:
    if field in ("label", "title", "plan_text"):
        text = limits.check_text(NODE_TEXT[field], str(value or ""))
        if field == "title" and not text.strip():
            raise BadInput("見出しは空にできません。", "The title cannot be empty.")
        return text
    if field in ("importance", "difficulty"):
        text = limits.check_text(NODE_TEXT[field], str(value or "")).strip()
        return text or None
    if field == "group":
        if value in (None, ""):
            return None
        try:
            return Group(value).value
        except ValueError:
            names = "、".join(g.value for g in Group)
            raise BadInput(
                f"「{value}」はグループではありません。使えるグループ: {names}",
                f"'{value}' is not a group. Use one of: {', '.join(g.value for g in Group)}",
            ) from None
    if field == "footnotes":
        items = value.split("\n") if isinstance(value, str) else list(value or [])  # type: ignore[call-overload]
        items = [str(i).strip() for i in items if str(i).strip()]
        return json.dumps(list(limits.check_texts(limits.FOOTNOTE, items)), ensure_ascii=False)
    if field == "report_position":
        return _report_position(value)
    if field == "branch_may_add":
        if value is not None and not isinstance(value, bool):
            raise ValueError("branch_may_add is True, False or None")
        return value
    if field == "rated_with":
        return str(value).strip() or None if value is not None else None
    raise ValueError(field)  # pragma: no cover


def set_report_layout(
    db: Database,
    plan: Plannable,
    *,
    axis: ReportAxis,
    number_per_group: bool,
    actor: str,
) -> Changes:
    """Organise the plan's report by ``axis``; by group, ``number_per_group`` makes
    the printed numbers restart in each group. HQ sets it in its template and a
    branch plan starts with the template's; branches hand their reports in in more
    than one shape, so a branch may organise its own report otherwise."""
    axis = ReportAxis(axis)
    with db.write() as session:
        scope = EditScope(session, _ref(plan), actor=actor, create_report=False)
        guard_structure(scope)
        row = _plan_row(scope)
        if (row.report_axis, bool(row.number_per_group)) == (axis.value, number_per_group):
            return scope.changes()
        audited = _Audited(scope)
        row.report_axis = axis.value
        row.number_per_group = number_per_group
        audited.done("edit")
        return Changes(records=(StructureChanged(scope.ref, "edit", "plan", ""),)) + (
            scope.changes()
        )


def set_print_profiles(
    db: Database,
    plan: Plannable,
    *,
    midyear: str | None = None,
    annual: str | None = None,
    actor: str,
) -> Changes:
    """Print the mid-year and annual reports in the print profiles ``midyear`` and
    ``annual`` (keys of desktop/domain/print_profiles.PROFILES; None: keep the one the
    plan has). HQ chooses them in its template and branch plans start with the
    template's; locked like the report layout (the plan's approval, a signed-off report)."""
    with db.write() as session:
        scope = EditScope(session, _ref(plan), actor=actor, create_report=False)
        row = _plan_row(scope)
        old = load_profiles(row.print_profiles)
        new = ReportProfiles(
            midyear=_profile_key(midyear, old.midyear), annual=_profile_key(annual, old.annual)
        )
        guard_structure(scope)
        if new == old:
            return scope.changes()
        audited = _Audited(scope)
        row.print_profiles = dump_profiles(new)
        audited.done("edit")
        return Changes(records=(StructureChanged(scope.ref, "edit", "plan", ""),)) + (
            scope.changes()
        )


def _profile_key(given: str | None, kept: str) -> str:
    if given is None:
        return kept
    key = given.strip()
    if key not in PROFILES:
        known = ", ".join(PROFILES)
        raise BadInput(
            f"報告の様式「{given}」はありません（使える様式: {known}）。",
            f"There is no report layout '{given}' (known: {known}).",
        )
    return key


def _report_position(value: object) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number: object = value
    if isinstance(value, str):  # typed, full-width digits too (１２)
        text = normalize_input(value)
        number = int(text) if re.fullmatch(r"[0-9]{1,7}", text, re.ASCII) else None
    if not isinstance(number, int) or isinstance(number, bool) or not 0 <= number <= 1_000_000:
        raise BadInput(
            f"報告での順番は 0 から 1000000 までの整数です（「{value}」）。",
            f"The place in the report is a whole number from 0 to 1000000 ('{value}').",
        )
    return number


def _check_scope(scope: EditScope, node: NodeRow, holder: str | None) -> None:
    """A rating scope the rules allow (rating_scopes.check_rated_with); an item joining
    one must not hold a mark of its own in any report (its mark would be hidden behind
    the scope's: one stored value per rated unit)."""
    plan = repository.load_plan(scope.session, scope.ref.branch, scope.ref.fiscal_year)
    assert plan is not None
    rating_scopes.check_rated_with(plan, node.key, holder)
    if holder is None:
        return
    # The holder's entry takes this item's mark: the holder's review lock applies too.
    guard_structure(scope, scope.node(holder))
    for report in plan.reports:
        entry = next((e for e in report.entries if e.node_key == node.key), None)
        if entry is not None and (entry.mark or entry.mark_reason):
            raise BadInput(
                f"「{_title(node)}」には{report.period.label('ja')}の評価が入力されています。"
                "まとめて評価する前に、その評価を消すか最初の項目に移してください。",
                f"'{_title(node)}' holds a mark of its own in the "
                f"{report.period.label('en').lower()} report: clear it (or move it to the "
                "scope's first item) before rating it together with another.",
            )


def move_node(
    db: Database,
    plan: Plannable,
    node_key: str,
    *,
    position: int,
    parent_key: str | None = None,
    actor: str,
) -> Changes:
    """Put a node at ``position`` among its siblings; under ``parent_key`` when given
    (a parent of a level above the node's, not inside the node itself), else under
    the parent it has."""
    with db.write() as session:
        scope = EditScope(session, _ref(plan), actor=actor, create_report=False)
        node = scope.node(node_key)
        guard_structure(scope, node)
        if _is_branch(scope) and not node.own:
            raise _framework_refusal("本部の項目の位置", "The place of HQ's item")
        same_parent = parent_key is None or parent_key == _parent_key(session, node)
        parent_id = node.parent_id
        if not same_parent:
            assert parent_key is not None
            parent = scope.node(parent_key)
            if parent.id in structure.subtree_ids(session, node.id):
                raise BadInput(
                    "項目を自分自身の下には移せません。", "An item cannot be moved under itself."
                )
            if Level(parent.level).depth >= Level(node.level).depth:
                raise BadInput(
                    f"「{_title(node)}」は「{_title(parent)}」の下には移せません"
                    "（階層が合いません）。",
                    f"'{_title(node)}' cannot be moved under '{_title(parent)}' (levels differ).",
                )
            _may_add_under(scope, parent)
            parent_id = parent.id
        audited = _Audited(scope)
        old_siblings = [
            n for n in _children(session, scope.plan_id, node.parent_id) if n is not node
        ]
        siblings = old_siblings if same_parent else _children(session, scope.plan_id, parent_id)
        at = max(0, min(position, len(siblings)))
        if not same_parent:
            _renumber(old_siblings)
            node.parent_id = parent_id
        siblings.insert(at, node)
        _renumber(siblings)
        audited.done("move")
        return _result(scope, StructureChanged(scope.ref, "move", "node", node.key))


def _parent_key(session: Session, node: NodeRow) -> str | None:
    if node.parent_id is None:
        return None
    parent = session.get(NodeRow, node.parent_id)
    return parent.key if parent else None


def node_place(db: Database, plan: Plannable, node_key: str) -> tuple[str | None, int]:
    """Where a node is: its parent's key and its index among its siblings."""
    with db.read() as session:
        scope_plan = _plan_id(session, plan)
        node = _node(session, scope_plan, node_key)
        siblings = _children(session, scope_plan, node.parent_id)
        return _parent_key(session, node), [n.id for n in siblings].index(node.id)


def _plan_id(session: Session, plan: Plannable) -> int:
    row = session.scalar(
        select(PlanRow.id).where(
            PlanRow.branch_code == plan.branch, PlanRow.fiscal_year == plan.fiscal_year
        )
    )
    if row is None:
        raise UserError(
            f"{plan.fiscal_year}年度・支部 {plan.branch} の計画がありません。",
            f"No plan for branch {plan.branch}, FY{plan.fiscal_year}.",
        )
    return row


def _node(session: Session, plan_id: int, key: str) -> NodeRow:
    row = session.scalar(select(NodeRow).where(NodeRow.plan_id == plan_id, NodeRow.key == key))
    if row is None:
        raise UserError(f"項目 {key} がありません。", f"No plan item {key}.")
    return row


def remove_node(db: Database, plan: Plannable, node_key: str, *, actor: str) -> Changes:
    """Remove a node with everything under it. What it held is kept: the record names
    the removal that :func:`restore_removed` puts back."""
    with db.write() as session:
        scope = EditScope(session, _ref(plan), actor=actor, create_report=False)
        node = scope.node(node_key)
        for node_id in structure.subtree_ids(session, node.id):
            below = session.get(NodeRow, node_id)
            assert below is not None
            guard_structure(scope, below)
        if _is_branch(scope) and not node.own:
            raise _framework_refusal("本部の項目", "HQ's item")
        audited = _Audited(scope)
        payload = structure.capture(session, node_id=node.id)
        parent_id = node.parent_id
        kept = structure.remove(session, scope.plan_id, kind="node", key=node_key,
                                payload=payload, actor=actor, at=scope.stamp)  # fmt: skip
        _renumber(_children(session, scope.plan_id, parent_id))  # close up after it
        audited.done("remove")
        return _result(scope, StructureChanged(scope.ref, "remove", "node", node_key, kept.id))


@dataclass(frozen=True, slots=True)
class RemovalPreview:
    """What removing a node or KPI takes out, for the confirmation a person sees."""

    kind: str
    key: str
    title: str
    counts: Counts
    refusal: Text | None = None  # why it would be refused, if it would

    @property
    def holds_content(self) -> bool:
        return self.counts.content > 0

    @property
    def text(self) -> Text:
        c = self.counts
        parts_ja = [f"項目 {c.nodes}件"] if c.nodes else []
        parts_en = [f"{c.nodes} item(s)"] if c.nodes else []
        for n, ja, en in (
            (c.kpis, "KPI", "KPI(s)"),
            (c.entries, "実施状況・評価の記入", "report entries"),
            (c.figures, "KPI実績", "KPI figures"),
            (c.monthly, "月次実績", "monthly figures"),
            (c.national, "全国平均・順位", "national figures"),
            (c.reviews, "確認・承認の記録", "review records"),
            (c.reference, "前年度等の参考値", "reference figures"),
        ):
            if n:
                parts_ja.append(f"{ja} {n}件")
                parts_en.append(f"{n} {en}")
        head = Text(f"「{self.title}」を削除します。", f"Remove '{self.title}'.")
        body = Text(
            "含まれるもの: " + "、".join(parts_ja) + "。",
            " It holds: " + ", ".join(parts_en) + ".",
        )
        tail = Text(
            "記入された内容は失われず、元に戻す（Ctrl+Z）で復元できます。",
            " Nothing entered is lost: undo (Ctrl+Z) restores it.",
        )
        return head + body + (tail if self.holds_content else Text("", ""))


def removal_preview(db: Database, plan: Plannable, kind: str, key: str) -> RemovalPreview:
    """What removing node or KPI ``key`` would take out, and why it would be refused
    if it would (read only: nothing changes)."""
    with db.read() as session:
        scope = EditScope(session, _ref(plan), actor="(preview)", create_report=False)
        if kind == "node":
            node = scope.node(key)
            payload = structure.capture(session, node_id=node.id)
            title = _title(node)
            nodes = [session.get(NodeRow, i) for i in structure.subtree_ids(session, node.id)]
            own = bool(node.own)
        else:
            kpi = scope.kpi(key)
            payload = structure.capture(session, kpi_id=kpi.id)
            title = f"{kpi.label}{kpi.name}"
            nodes = [session.get(NodeRow, kpi.node_id)]
            own = bool(kpi.own)
        refusal: Text | None = None
        try:
            if _is_branch(scope) and not own:
                raise _framework_refusal(
                    "本部の項目" if kind == "node" else "本部のKPI",
                    "HQ's item" if kind == "node" else "HQ's KPI",
                )
            _check_locks(scope, [n for n in nodes if n is not None])
        except UserError as exc:
            refusal = exc.text
        return RemovalPreview(kind, key, title, structure.counts(payload), refusal)


def _check_locks(scope: EditScope, nodes: list[NodeRow]) -> None:
    """The refusals of ``guard_structure`` without its side effects (for a preview)."""
    for _period, report in scope._plan_reports():
        refuse_structure_if_signed_off(scope.session, report.id)
        for node in nodes:
            state = state_of(scope.session, report.id, node.id)
            if not state.editable:
                raise ReviewRefused(
                    f"「{_title(node)}」は{state.label()}のため変更できません。",
                    f"'{_title(node)}' is {state.value} and cannot be changed.",
                )


def remove_kpi_in(scope: EditScope, kpi_key: str) -> None:
    kpi = scope.kpi(kpi_key)
    guard_structure(scope, scope.session.get(NodeRow, kpi.node_id))
    if _is_branch(scope) and not kpi.own:
        raise _framework_refusal("本部のKPI", "HQ's KPI")


def restore_removed(db: Database, plan: Plannable, removal: int, *, actor: str) -> Changes:
    """Put a removed node or KPI back exactly as it was, with everything it held."""
    with db.write() as session:
        scope = EditScope(session, _ref(plan), actor=actor, create_report=False)
        kept = session.get(RemovedPartRow, removal)
        if kept is None or kept.plan_id != scope.plan_id:
            raise UserError(
                "削除した項目の記録が見つかりません（既に元に戻されています）。",
                "The removed part is not kept any more (it was already restored).",
            )
        payload = json.loads(kept.payload)
        top = payload["plan_nodes"][0] if kept.kind == "node" else payload["kpis"][0]
        parent = None
        if kept.kind == "node" and top["parent_id"] is not None:
            parent = scope.node(top["parent_id"])
        elif kept.kind == "kpi":
            parent = scope.node(top["node_id"])
        guard_structure(scope, parent if kept.kind == "kpi" else None)
        audited = _Audited(scope)
        if kept.kind == "node":
            # Make room at its old place among its siblings (they closed up after it).
            for sibling in _children(session, scope.plan_id, parent.id if parent else None):
                if sibling.position >= top["position"]:
                    sibling.position += 1
        else:
            for other in session.scalars(
                select(KpiRow).where(
                    KpiRow.plan_id == scope.plan_id, KpiRow.position >= top["position"]
                )
            ):
                other.position += 1
        session.flush()
        key, kind = kept.key, kept.kind
        structure.restore(session, kept)
        _close_kpi_positions(session, scope.plan_id)
        audited.done("restore")
        return _result(scope, StructureChanged(scope.ref, "restore", kind, key))


# --- KPIs ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KpiDraft:
    """A new KPI's definition as typed (texts parsed by :func:`add_kpi`)."""

    name: str
    unit: str = ""
    decimals: int = 0
    direction: Direction = Direction.AT_LEAST
    target_kind: TargetKind = TargetKind.FIXED
    target: str | None = None
    label: str = ""
    numerator_label: str | None = None
    denominator_label: str | None = None
    cumulative: bool = False
    is_new: bool = False
    definition_changed: bool = False
    note: str | None = None


def add_kpi(
    db: Database, plan: Plannable, node_key: str, draft: KpiDraft, *, actor: str
) -> Changes:
    """Add a KPI definition to a node (after its other KPIs). A branch's KPI is 支部独自."""
    name = limits.check_text(limits.KPI_NAME, draft.name).strip()
    if not name:
        raise BadInput("KPI名を入力してください。", "Enter the KPI's name.")
    values: dict[str, object] = {
        "label": limits.check_text(limits.KPI_LABEL, draft.label),
        "name": name,
        "unit": limits.check_text(limits.KPI_UNIT, draft.unit).strip(),
        "decimals": _decimals(draft.decimals),
        "direction": Direction(draft.direction).value,
        "target_kind": TargetKind(draft.target_kind).value,
        "cumulative": bool(draft.cumulative),
        "is_new": bool(draft.is_new),
        "definition_changed": bool(draft.definition_changed),
        "numerator_label": _opt_text("numerator_label", draft.numerator_label),
        "denominator_label": _opt_text("denominator_label", draft.denominator_label),
        "note": _opt_text("note", draft.note),
    }
    values["target"] = _target(draft.target, str(values["unit"]))
    _check_definition(values)
    with db.write() as session:
        scope = EditScope(session, _ref(plan), actor=actor, create_report=False)
        node = scope.node(node_key)
        guard_structure(scope, node)
        _node_allows_kpis(scope, node)
        audited = _Audited(scope)
        key = _new_key(scope, node.key, "k")
        last = session.scalar(
            select(func.max(KpiRow.position)).where(KpiRow.plan_id == scope.plan_id)
        )
        row = KpiRow(
            plan_id=scope.plan_id,
            node_id=node.id,
            key=key,
            position=(last if last is not None else -1) + 1,
            own=_is_branch(scope),
            **values,
        )
        session.add(row)
        audited.done("add")
        return _result(scope, StructureChanged(scope.ref, "add", "kpi", key))


def set_kpi_fields(
    db: Database, plan: Plannable, kpi_key: str, values: dict[str, object], *, actor: str
) -> Changes:
    """Change fields of a KPI definition together, typed as a person types them (the
    target as text in the KPI's unit; direction and target kind as their values; flags
    as bools; years as 4-digit fiscal years): all of them or none. Switching to a kind
    without a number of its own (対前年度, 対前年度末, a goal in words) or to a
    qualitative KPI clears the fixed target, and switching away from a multi-year goal
    clears its baseline and goal year (unless ``values`` sets them too). A multi-year
    goal may be entered a field at a time: its baseline year must come before its goal
    year (the finished goal also needs its goal year and value, and a baseline year
    with its value: desktop/domain/plan_completeness.py, checked at submission)."""
    unknown = set(values) - KPI_FIELDS
    if unknown:
        raise ValueError(f"unknown KPI fields {sorted(unknown)!r}")
    with db.write() as session:
        scope = EditScope(session, _ref(plan), actor=actor, create_report=False)
        kpi = scope.kpi(kpi_key)
        guard_structure(scope, session.get(NodeRow, kpi.node_id))
        for field in values:
            _check_own(scope, kpi, field, BRANCH_KPI_FIELDS)
        new: dict[str, object] = {
            c: getattr(kpi, c)
            for c in ("unit", "direction", "target_kind", "target", *MULTI_YEAR_FIELDS)
        }
        if "unit" in values:  # the target is read in the unit it will have
            new["unit"] = _kpi_value("unit", values["unit"], "")
        for field, raw in values.items():
            if field != "unit":
                new[field] = _kpi_value(field, raw, str(new["unit"]))
        if values.get("direction") == Direction.QUALITATIVE.value:
            new["target_kind"] = TargetKind.FIXED.value
        if "target" not in values and (
            new["direction"] == Direction.QUALITATIVE.value or new["target_kind"] in _NO_NUMBER
        ):
            new["target"] = None
        if new["target_kind"] != TargetKind.MULTI_YEAR.value:
            for field in MULTI_YEAR_FIELDS:
                if field not in values:
                    new[field] = None
        _check_definition(new)
        changed = {c: v for c, v in new.items() if getattr(kpi, c) != v}
        if not changed:
            return scope.changes()
        audited = _Audited(scope)
        for column, v in changed.items():
            setattr(kpi, column, v)
        audited.done("edit")
        return _result(scope, StructureChanged(scope.ref, "edit", "kpi", kpi.key))


def _kpi_value(field: str, value: object, unit: str) -> object:
    if field in ("label", "name", "unit"):
        text = limits.check_text(KPI_TEXT[field], str(value or "")).strip()
        if field == "name" and not text:
            raise BadInput("KPI名は空にできません。", "The KPI's name cannot be empty.")
        return text
    if field in KPI_TEXT:
        return _opt_text(field, value)  # type: ignore[arg-type]
    if field in KPI_FLAGS:
        return bool(value)
    if field == "decimals":
        return _decimals(value)
    if field == "direction":
        return _choice(Direction, value, Text("目標の向き", "direction")).value
    if field == "target_kind":
        return _choice(TargetKind, value, Text("目標の種類", "kind of target")).value
    if field in ("baseline_year", "goal_year"):
        return _fiscal_year(field, value)
    return _target(None if value is None else str(value), unit)  # target, baseline_value


_YEAR_WORDS = {
    "baseline_year": Text("基準年度", "baseline year"),
    "goal_year": Text("目標年度", "goal year"),
}


def _fiscal_year(field: str, value: object) -> int | None:
    """A fiscal year as typed ('2023', '２０２３', '2023年度'); None for blank."""
    text = "" if value is None else normalize_input(str(value)).strip()
    text = text.removesuffix("年度").strip()
    if not text:
        return None
    year = int(text) if re.fullmatch(r"[0-9]{4}", text, re.ASCII) else 0
    if not 1990 <= year <= 2100:
        what = _YEAR_WORDS[field]
        raise BadInput(
            f"{what.ja}は西暦の年度（例: 2023）で入力してください（「{value}」）。",
            f"Enter the {what.en} as a fiscal year such as 2023 (got '{value}').",
        )
    return year


def _choice(kind: type, value: object, what: Text) -> object:
    try:
        return kind(value)
    except ValueError:
        raise BadInput(
            f"「{value}」は{what.ja}として使えません。", f"'{value}' is not a valid {what.en}."
        ) from None


def _opt_text(field: str, value: str | None) -> str | None:
    text = limits.check_text(KPI_TEXT[field], value or "").strip()
    return text or None


def _decimals(value: object) -> int:
    try:
        n = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        n = -1
    if isinstance(n, bool) or not 0 <= n <= 6:
        raise BadInput(
            f"小数桁数は0から6の整数にしてください（「{value}」）。",
            f"Decimals must be a whole number from 0 to 6 (got '{value}').",
        )
    return n


def _target(raw: str | None, unit: str) -> Decimal | None:
    return parse_decimal(raw or "", unit=unit or None)


def _check_definition(values: dict[str, object]) -> None:
    direction, kind, target = values["direction"], values["target_kind"], values["target"]
    if direction == Direction.QUALITATIVE.value and target is not None:
        raise BadInput(
            "実施・未実施の KPI に数値の目標は設定できません。",
            "A done / not done KPI has no numeric target.",
        )
    if kind in (TargetKind.PREV_YEAR.value, TargetKind.PREV_YEAR_END.value):
        if target is not None:
            raise BadInput(
                "対前年度の目標は前年度実績から決まるため、目標値は入力できません。",
                "A target relative to last year comes from last year's actual: no value.",
            )
        if direction not in (Direction.AT_LEAST.value, Direction.AT_MOST.value):
            raise BadInput(
                "対前年度の目標は「以上」か「以下」の KPI だけに設定できます。",
                "A target relative to last year needs 'at least' or 'at most'.",
            )
    if kind == TargetKind.MANUAL.value and target is not None:
        raise BadInput(
            "文章の目標（手動判定）には数値の目標は設定できません。目標は文章で入力してください。",
            "A goal in words (judged by hand) has no number: write the goal in words.",
        )
    _check_multi_year(values)


def _check_multi_year(values: dict[str, object]) -> None:
    """The rules of a multi-year goal that hold while it is entered a field at a time
    (plan_document.target_rules checks the finished goal the same way)."""
    base_year, base_value = values.get("baseline_year"), values.get("baseline_value")
    goal_year = values.get("goal_year")
    if values["target_kind"] != TargetKind.MULTI_YEAR.value:
        if base_year is not None or base_value is not None or goal_year is not None:
            raise BadInput(
                "基準年度・基準値・目標年度は複数年の目標にだけ設定できます。",
                "A baseline and a goal year belong to a multi-year goal only.",
            )
        return
    if isinstance(base_year, int) and isinstance(goal_year, int) and base_year >= goal_year:
        raise BadInput(
            f"基準年度（{base_year}）は目標年度（{goal_year}）より前にしてください。",
            f"The baseline year ({base_year}) must come before the goal year ({goal_year}).",
        )


def move_kpi(db: Database, plan: Plannable, kpi_key: str, step: int, *, actor: str) -> Changes:
    """Move a KPI ``step`` places among its node's KPIs (-1: up, +1: down)."""
    with db.write() as session:
        scope = EditScope(session, _ref(plan), actor=actor, create_report=False)
        kpi = scope.kpi(kpi_key)
        guard_structure(scope, session.get(NodeRow, kpi.node_id))
        if _is_branch(scope) and not kpi.own:
            raise _framework_refusal("本部のKPIの位置", "The place of HQ's KPI")
        audited = _Audited(scope)
        mates = list(
            session.scalars(
                select(KpiRow).where(KpiRow.node_id == kpi.node_id).order_by(KpiRow.position)
            )
        )
        i = mates.index(kpi)
        j = max(0, min(i + step, len(mates) - 1))
        if i != j:
            other = mates[j]
            kpi.position, other.position = other.position, kpi.position
        audited.done("move")
        return _result(scope, StructureChanged(scope.ref, "move", "kpi", kpi.key))


def remove_kpi(db: Database, plan: Plannable, kpi_key: str, *, actor: str) -> Changes:
    """Remove a KPI definition; its figures are kept with it for :func:`restore_removed`."""
    with db.write() as session:
        scope = EditScope(session, _ref(plan), actor=actor, create_report=False)
        remove_kpi_in(scope, kpi_key)
        kpi = scope.kpi(kpi_key)
        audited = _Audited(scope)
        payload = structure.capture(session, kpi_id=kpi.id)
        kept = structure.remove(session, scope.plan_id, kind="kpi", key=kpi_key,
                                payload=payload, actor=actor, at=scope.stamp)  # fmt: skip
        _close_kpi_positions(session, scope.plan_id)
        audited.done("remove")
        return _result(scope, StructureChanged(scope.ref, "remove", "kpi", kpi_key, kept.id))


def _close_kpi_positions(session: Session, plan_id: int) -> None:
    rows = list(
        session.scalars(select(KpiRow).where(KpiRow.plan_id == plan_id).order_by(KpiRow.position))
    )
    _renumber(rows)
    session.flush()


__all__ = [
    "KpiDraft",
    "RemovalPreview",
    "add_kpi",
    "add_node",
    "guard_structure",
    "move_kpi",
    "move_node",
    "node_place",
    "removal_preview",
    "remove_kpi",
    "remove_node",
    "restore_removed",
    "set_kpi_fields",
    "set_node_field",
]
