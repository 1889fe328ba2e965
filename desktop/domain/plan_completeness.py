"""Whether a plan is complete: the one rule the plan document's reader and the plan's
submission share.

The details editor stores one field at a time, so a plan may hold a KPI mid-entry: a
multi-year goal without its goal year or with half a baseline, a monthly rule or a
fixed target without its number, a goal in words without its words, a 支部設定
target the branch has not set yet. Such a plan is a draft. What a plan document
cannot hold (a target kind without the fields that make it judgeable) is a
*definition* gap: the reader refuses it, and so does the submission — a plan that
was handed in can always be exported and imported again. What a draft may lack but
a submitted plan must have (every judged KPI's number, the KPI's and the node's
names) is a *submission* gap: only the submission refuses it.

Each gap names its place as people know it (the printed label and the name, never an
internal key) and what is missing, in Japanese and English.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.domain.branches import HQ_CODE
from desktop.domain.model import Direction, Kpi, Plan, PlanNode, TargetKind
from desktop.domain.text import Text

__all__ = ["Gap", "definition_gaps", "incomplete_text", "plan_gaps"]


@dataclass(frozen=True, slots=True)
class Gap:
    """One thing missing: of which KPI or node (``kind``, ``key``; ``place`` as printed),
    which field (``field``: the document's field name) and what it is (``missing``)."""

    kind: str  # "kpi" | "node"
    key: str
    place: str  # 「label name」 as printed
    field: str
    missing: Text
    # True: the plan document cannot hold it either (the reader refuses it).
    definition: bool = True


def _kpi_place(k: Kpi) -> str:
    return f"{k.label}{k.name}" if k.label else (k.name or k.label)


def definition_gaps(k: Kpi) -> list[Gap]:
    """What a KPI of its target kind needs to be judged at all (the document's rule)."""
    place = _kpi_place(k)
    numeric = k.direction is not Direction.QUALITATIVE
    out: list[Gap] = []

    def gap(field: str, ja: str, en: str) -> None:
        out.append(Gap("kpi", k.key, place, field, Text(ja, en)))

    if k.target_kind is TargetKind.MULTI_YEAR:
        if numeric and k.goal_year is None:
            gap("goal_year", "複数年度目標の目標年度", "the goal year of the multi-year goal")
        if numeric and k.target is None:
            gap("target", "複数年度目標の目標値", "the goal value of the multi-year goal")
        if k.baseline_value is not None and k.baseline_year is None:
            gap("baseline_year", "基準値の基準年度", "the baseline's year")
        if k.baseline_year is not None and k.baseline_value is None:
            gap("baseline_value", "基準年度の基準値", "the baseline's value")
    if k.target_kind is TargetKind.MONTHLY and numeric and k.target is None:
        gap("target", "毎月の目標値", "the monthly target value")
    if k.target_kind is TargetKind.MANUAL and not (k.target_text or "").strip():
        gap("target_text", "文言による目標の文言", "the words of the goal")
    return out


def _submission_kpi_gaps(plan: Plan, k: Kpi) -> list[Gap]:
    place = _kpi_place(k)
    out: list[Gap] = []

    def gap(field: str, ja: str, en: str) -> None:
        out.append(Gap("kpi", k.key, place, field, Text(ja, en), definition=False))

    if not k.name.strip():
        gap("name", "KPI名", "the KPI's name")
    judged = k.direction is not Direction.QUALITATIVE and not k.reference_indicator
    if judged and k.target_kind is TargetKind.FIXED and k.target is None:
        if k.target_by_branch and plan.branch == HQ_CODE:
            pass  # HQ's template leaves it to each branch: set in the branch's plan
        elif k.target_by_branch:
            gap("target", "支部設定の目標値", "the target the branch sets (支部設定)")
        else:
            gap("target", "目標値", "the target value")
    return out


def _node_gaps(n: PlanNode) -> list[Gap]:
    if n.title.strip():
        return []
    place = n.label or "（無題）"
    return [Gap("node", n.key, place, "title", Text("項目名", "the title"), definition=False)]


def _depth_first(plan: Plan, parent: str | None) -> list[PlanNode]:
    out: list[PlanNode] = []
    for node in plan.children(parent):
        out += [node, *_depth_first(plan, node.key)]
    return out


def plan_gaps(plan: Plan, *, submitting: bool) -> list[Gap]:
    """Every gap of the plan, in the order it prints (nodes, each followed by its KPIs):
    the definition gaps, and with ``submitting`` also what a submitted plan must have."""
    out: list[Gap] = []
    for node in _depth_first(plan, None):
        if submitting:
            out += _node_gaps(node)
        for k in plan.kpis_of(node.key):
            out += definition_gaps(k)
            if submitting:
                out += _submission_kpi_gaps(plan, k)
    return out


def incomplete_text(gaps: list[Gap], *, limit: int = 20) -> Text:
    """Why a plan with ``gaps`` is refused, naming each KPI / node and what it lacks."""
    by_place: dict[tuple[str, str], list[Gap]] = {}
    for g in gaps:
        by_place.setdefault((g.kind, g.key), []).append(g)
    lines_ja, lines_en = [], []
    for (kind, _key), items in list(by_place.items())[:limit]:
        what_ja = "KPI" if kind == "kpi" else "項目"
        what_en = "KPI" if kind == "kpi" else "item"
        place = items[0].place
        lines_ja.append(
            f"  {what_ja}「{place}」: {'、'.join(g.missing.ja for g in items)}がありません"
        )
        lines_en.append(f"  {what_en} '{place}': {', '.join(g.missing.en for g in items)} missing")
    more = len(by_place) - limit
    if more > 0:
        lines_ja.append(f"  ほか {more} 件")
        lines_en.append(f"  and {more} more")
    return Text(
        "計画に未入力の項目があるため提出できません。入力してから提出してください。"
        "何も変更していません。\n" + "\n".join(lines_ja),
        "The plan is incomplete and cannot be submitted; fill in what is missing first. "
        "Nothing was changed.\n" + "\n".join(lines_en),
    )
