"""Rating scopes: one mark and one reason over several items (評価は①〜④でまとめて).

Real reports rate several items at once: a mark for ①–④ together, or several
rows under one heading with one self-rating. A scope is held by the plan's nodes:
each item rated with another names it (``PlanNode.rated_with``); the item it
names is the scope's **holder**, and the scope is the holder and every item that
names it, in the plan's order.

The mark and its reason live on the holder's entry (``SectionEntry`` of the
holder node) — the scope's first item when it is made, not the heading above it:
a heading is often not reported on at all (``Plan.is_reportable``: it has no
entry fields of its own), a scope need not cover every item of a heading (①–④ of
①–⑥), and the holder's entry is an ordinary entry that every store, workbook and
merge already carries, so a scope adds no second place where a mark can live. The
other items of the scope keep their own 実施状況 and 今後の実施予定等; their
own mark fields stay empty.

A ``rated_with`` that names no node, the node itself, or an item that is itself
rated with another (no chains) is ignored: the item is rated on its own. The
planning window only lets siblings be joined (``check_rated_with``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from desktop.domain.errors import BadInput
from desktop.domain.model import Kpi, Plan, PlanNode


def _raw_holder(plan: Plan, node: PlanNode) -> str | None:
    """The holder ``node.rated_with`` names when that is a valid reference."""
    other = node.rated_with
    if other is None or other == node.key:
        return None
    holder = next((n for n in plan.nodes if n.key == other), None)
    if holder is None or holder.rated_with not in (None, holder.key):
        return None
    return holder.key


def holder_of(plan: Plan, key: str) -> str:
    """The node whose entry holds the mark that rates ``key`` (itself when alone)."""
    return _raw_holder(plan, plan.node(key)) or key


def in_tree_order(plan: Plan) -> Iterator[PlanNode]:
    """Every node, depth first in printed order (parents before children)."""

    def walk(parent: str | None) -> Iterator[PlanNode]:
        for child in plan.children(parent):
            yield child
            yield from walk(child.key)

    return walk(None)


def members(plan: Plan, key: str) -> tuple[str, ...]:
    """The scope ``key`` belongs to: its holder first, then the others in the plan's
    order. A node rated on its own is a scope of one."""
    holder = holder_of(plan, key)
    others = [
        n.key for n in in_tree_order(plan) if n.key != holder and _raw_holder(plan, n) == holder
    ]
    return (holder, *others)


def scopes(plan: Plan) -> dict[str, tuple[str, ...]]:
    """Every scope of more than one item, by its holder."""
    out: dict[str, list[str]] = {}
    for n in in_tree_order(plan):
        holder = _raw_holder(plan, n)
        if holder is not None:
            out.setdefault(holder, [holder]).append(n.key)
    return {h: tuple(keys) for h, keys in out.items()}


def is_rated_elsewhere(plan: Plan, key: str) -> bool:
    """Whether another item's mark rates this one (its own mark fields stay empty)."""
    return holder_of(plan, key) != key


def scope_label(plan: Plan, key: str) -> str:
    """The scope's items as people name them: "①〜④" (its first and last label), or
    the labels joined with "・" when the scope skips an item between them."""
    keys = members(plan, key)
    labels = [plan.node(k).label.strip() or plan.node(k).title for k in keys]
    if len(keys) == 1:
        return labels[0]
    siblings = [n.key for n in plan.children(plan.node(keys[0]).parent_key)]
    placed = sorted(keys, key=lambda k: siblings.index(k) if k in siblings else len(siblings))
    indexes = [siblings.index(k) for k in placed if k in siblings]
    contiguous = len(indexes) == len(keys) and indexes == list(
        range(indexes[0], indexes[0] + len(keys))
    )
    by_key = dict(zip(keys, labels, strict=True))
    if contiguous:
        return f"{by_key[placed[0]]}〜{by_key[placed[-1]]}"
    return "・".join(by_key[k] for k in placed)


def kpis_of_scope(plan: Plan, key: str, kpi_scope: Iterable[str | None]) -> list[Kpi]:
    """The KPIs that speak for the scope of ``key``: those of each item's KPI scope
    (``kpi_scope``: per member, the node whose KPIs speak for it), each KPI once."""
    seen: set[str] = set()
    out: list[Kpi] = []
    for node_key in kpi_scope:
        if node_key is None:
            continue
        for kpi in plan.kpis_of(node_key):
            if kpi.key not in seen:
                seen.add(kpi.key)
                out.append(kpi)
    return out


def check_rated_with(plan: Plan, key: str, holder: str | None) -> None:
    """Refuse a scope the rules do not allow: an item may be rated with a reported-on
    sibling that is not itself rated with another, and an item that holds a scope's
    mark cannot join another scope."""
    if holder is None:
        return
    node = plan.node(key)
    if holder == key:
        raise BadInput(
            "項目を自分自身とまとめて評価することはできません。",
            "An item cannot be rated together with itself.",
        )
    try:
        other = plan.node(holder)
    except KeyError:
        raise BadInput(
            f"項目「{holder}」はこの計画にありません。",
            f"There is no item '{holder}' in this plan.",
        ) from None
    if other.parent_key != node.parent_key:
        raise BadInput(
            f"「{node.display_title}」は同じ見出しの下の項目とだけまとめて評価できます。",
            f"'{node.display_title}' can be rated only with items under the same heading.",
        )
    if not plan.is_reportable(key) or not plan.is_reportable(holder):
        raise BadInput(
            "見出しはまとめて評価する対象にできません（評価を入力する項目だけです）。",
            "A heading cannot be part of a rating scope (only items that are rated).",
        )
    if is_rated_elsewhere(plan, holder):
        raise BadInput(
            f"「{other.display_title}」は他の項目とまとめて評価されています。"
            f"まとめの最初の項目「{plan.node(holder_of(plan, holder)).display_title}」を選んでください。",
            f"'{other.display_title}' is itself rated with another item: choose the scope's "
            f"first item, '{plan.node(holder_of(plan, holder)).display_title}'.",
        )
    if any(n.rated_with == key for n in plan.nodes if n.key != key):
        raise BadInput(
            f"「{node.display_title}」には他の項目の評価がまとめられています。"
            "先にそのまとめを解除してください。",
            f"Other items are rated with '{node.display_title}': undo that scope first.",
        )


def mark_of(plan: Plan, marks: Mapping[str, str | None], key: str) -> str | None:
    """The mark that rates ``key``: its scope's, held by the holder."""
    return marks.get(holder_of(plan, key))


def rated_units(plan: Plan, keys: Iterable[str]) -> list[str]:
    """``keys`` without the items another item's mark rates: each rated unit once
    (what mark counts count)."""
    return [k for k in keys if not is_rated_elsewhere(plan, k)]
