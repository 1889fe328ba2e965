"""The planning window's presenter: structure edits of the open plan, each undoable.

Every edit goes through ``ReportController.attempt`` (one write, folded into the
snapshot, broadcast once on ``changed``) and is pushed on the controller's one undo
stack with the write that puts it back: an added node or KPI is removed (kept) on
undo and restored on redo; a removed one is restored on undo; a move moves back; a
field edit writes the old values back. Widget-free, so tests can drive it directly.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QObject

from desktop.domain.model import Kpi, Plan, PlanNode, ReportRef
from desktop.services import plan_editing
from desktop.services.changes import Changes, StructureChanged
from desktop.services.plan_editing import KpiDraft, RemovalPreview
from desktop.ui.controller import EditPlace, ReportController

# The definition fields a KPI edit may change beyond the one typed (see set_kpi_fields).
_COUPLED = ("direction", "target_kind", "target", "baseline_year", "baseline_value", "goal_year")


def _raw_kpi(kpi: Kpi, field: str) -> object:
    """A stored KPI field as the service takes it back (for undo)."""
    value = getattr(kpi, field)
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "value"):  # Direction, TargetKind
        return value.value
    return value


def _raw_node(node: PlanNode, field: str) -> object:
    value = getattr(node, field)
    if field == "group":
        return value.value if value is not None else None
    if field == "footnotes":
        return list(value)
    return value


class PlanEditPresenter(QObject):
    """Structure edits of the plan the controller shows."""

    def __init__(self, controller: ReportController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller

    # --- what is shown -----------------------------------------------------------------------

    @property
    def ref(self) -> ReportRef:
        snap = self.controller.snapshot
        if snap is None:
            raise RuntimeError("no report loaded")
        return snap.ref

    @property
    def plan(self) -> Plan:
        snap = self.controller.snapshot
        if snap is None:
            raise RuntimeError("no report loaded")
        return snap.plan

    def node(self, key: str) -> PlanNode | None:
        return next((n for n in self.plan.nodes if n.key == key), None)

    def kpi(self, key: str) -> Kpi | None:
        return next((k for k in self.plan.kpis if k.key == key), None)

    @property
    def is_branch(self) -> bool:
        return self.ref.branch != plan_editing.HQ

    def may_add_under(self, key: str | None) -> bool:
        """Whether an own node or KPI may be added under ``key`` (HQ: anywhere)."""
        if not self.is_branch:
            return True
        node = self.node(key) if key else None
        return node is not None and node.allows_branch_additions

    def may_restructure(self, key: str) -> bool:
        """Whether the node or KPI ``key`` may be renamed, moved or removed here."""
        if not self.is_branch:
            return True
        item = self.node(key) or self.kpi(key)
        return bool(item is not None and item.own)

    # --- the edits -------------------------------------------------------------------------------

    def _write(self, call: Callable[..., Changes]) -> Changes | None:
        ref, actor = self.ref, self.controller.actor
        return self.controller.attempt(lambda db: call(db, ref, actor), undoable=True)

    def _ok(self, call: Callable[..., Changes]) -> Callable[[], bool]:
        return lambda: self._write(call) is not None

    def add_node(self, parent_key: str | None, title: str, label: str = "") -> str | None:
        """Add a node (a section under a pillar, an item under a section) last under
        its parent; its key, or None when refused (said on ``failed``)."""
        done = self._write(
            lambda db, ref, actor: plan_editing.add_node(
                db, ref, parent_key, title=title, label=label, actor=actor
            )
        )
        if done is None:
            return None
        key = done.one(StructureChanged).key
        where = self.tr("Add {what}").format(what=f"{label}{title}")
        self._push_added(where, "node", key, parent_key or "")
        return key

    def add_kpi(self, node_key: str, draft: KpiDraft) -> str | None:
        done = self._write(
            lambda db, ref, actor: plan_editing.add_kpi(db, ref, node_key, draft, actor=actor)
        )
        if done is None:
            return None
        key = done.one(StructureChanged).key
        self._push_added(self.tr("Add KPI {name}").format(name=draft.name), "kpi", key, node_key)
        return key

    def _push_added(self, text: str, kind: str, key: str, place_key: str) -> None:
        removal: list[int | None] = [None]

        def undo() -> bool:
            done = self._write(lambda db, ref, actor: _remover(kind)(db, ref, key, actor=actor))
            if done is None:
                return False
            removal[0] = done.one(StructureChanged).removal
            return True

        def redo() -> bool:
            held = removal[0]
            if held is None:
                return False
            return self._ok(
                lambda db, ref, actor: plan_editing.restore_removed(db, ref, held, actor=actor)
            )()

        self.controller.push_edit(text, EditPlace(place_key, "structure"), undo, redo)

    def removal_preview(self, kind: str, key: str) -> RemovalPreview | None:
        """What removing ``key`` takes out (the confirmation's text), or None if refused
        to read (said on ``failed``)."""
        ref = self.ref
        return self.controller.read(lambda db: plan_editing.removal_preview(db, ref, kind, key))

    def remove(self, kind: str, key: str) -> bool:
        """Remove a node (with everything under it) or a KPI; undo restores it exactly."""
        item = self.node(key) if kind == "node" else self.kpi(key)
        if item is None:
            return False
        place = (item.parent_key or "") if isinstance(item, PlanNode) else item.node_key
        title = item.display_title if isinstance(item, PlanNode) else f"{item.label}{item.name}"
        done = self._write(lambda db, ref, actor: _remover(kind)(db, ref, key, actor=actor))
        if done is None:
            return False
        removal: list[int | None] = [done.one(StructureChanged).removal]

        def undo() -> bool:
            held = removal[0]
            assert held is not None
            return self._ok(
                lambda db, ref, actor: plan_editing.restore_removed(db, ref, held, actor=actor)
            )()

        def redo() -> bool:
            again = self._write(lambda db, ref, actor: _remover(kind)(db, ref, key, actor=actor))
            if again is None:
                return False
            removal[0] = again.one(StructureChanged).removal
            return True

        text = self.tr("Remove {what}").format(what=title)
        self.controller.push_edit(text, EditPlace(place, "structure"), undo, redo)
        return True

    def move(self, kind: str, key: str, step: int) -> bool:
        """Move a node or KPI ``step`` places among its siblings (-1 up, +1 down)."""
        if kind == "kpi":
            kpi = self.kpi(key)
            mates = [k.key for k in self.plan.kpis_of(kpi.node_key)] if kpi else []
            if key not in mates or not 0 <= mates.index(key) + step < len(mates):
                return False
            assert kpi is not None

            def move_kpi(by: int) -> Callable[[], bool]:
                return self._ok(
                    lambda db, ref, actor: plan_editing.move_kpi(db, ref, key, by, actor=actor)
                )

            if not move_kpi(step)():
                return False
            text = self.tr("Move {what}").format(what=f"{kpi.label}{kpi.name}")
            place = EditPlace(kpi.node_key, "structure")
            self.controller.push_edit(text, place, move_kpi(-step), move_kpi(step))
            return True
        node = self.node(key)
        if node is None:
            return False
        siblings = [n.key for n in self.plan.children(node.parent_key)]
        old = siblings.index(key)
        new = old + step
        if not 0 <= new < len(siblings):
            return False

        def move_to(position: int) -> Callable[[], bool]:
            return self._ok(
                lambda db, ref, actor: plan_editing.move_node(
                    db, ref, key, position=position, actor=actor
                )
            )

        if not move_to(new)():
            return False
        text = self.tr("Move {what}").format(what=node.display_title)
        self.controller.push_edit(text, EditPlace(key, "structure"), move_to(old), move_to(new))
        return True

    def new_parents(self, key: str) -> list[PlanNode]:
        """The nodes ``key`` may be moved under as far as the tree's levels go (a level
        above its own, its present parent included), in the tree's order. Whether a
        branch may put it there is the service's to say."""
        node = self.node(key)
        if node is None:
            return []
        depth = node.level.depth
        found: list[PlanNode] = []

        def walk(parent_key: str | None) -> None:
            for child in self.plan.children(parent_key):
                if child.level.depth < depth:
                    found.append(child)
                    walk(child.key)

        walk(None)
        return found

    def move_under(self, key: str, parent_key: str) -> bool:
        """Move node ``key`` (with all under it) last under ``parent_key``: one undoable
        step; undo puts it back where it was. False when refused (said) or no move."""
        node = self.node(key)
        if node is None or node.parent_key == parent_key:
            return False
        old_parent = node.parent_key
        old = [n.key for n in self.plan.children(old_parent)].index(key)
        new = len(self.plan.children(parent_key))

        def move_to(parent: str | None, position: int) -> Callable[[], bool]:
            return self._ok(
                lambda db, ref, actor: plan_editing.move_node(
                    db, ref, key, position=position, parent_key=parent, actor=actor
                )
            )

        if not move_to(parent_key, new)():
            return False
        text = self.tr("Move {what}").format(what=node.display_title)
        self.controller.push_edit(
            text, EditPlace(key, "structure"), move_to(old_parent, old), move_to(parent_key, new)
        )
        return True

    def set_node_field(self, key: str, field: str, value: Any) -> bool:
        """Store one field of a node; False (and ``failed``) when refused."""
        node = self.node(key)
        if node is None:
            return False
        if field == "plan_text":  # the section form's own undoable edit
            return self.controller.set_plan_text(key, str(value))
        old = _raw_node(node, field)
        if old == value or (old in (None, "") and value in (None, "")):
            return True

        def write(v: Any) -> Callable[[], bool]:
            return self._ok(
                lambda db, ref, actor: plan_editing.set_node_field(
                    db, ref, key, field, v, actor=actor
                )
            )

        if not write(value)():
            return False
        stored = _raw_node(self.node(key) or node, field)
        if stored == old:  # typed as another text of the same value ("0" for 0)
            return True
        what = self.tr("{field} of {where}").format(
            field=self.field_label(field), where=node.display_title
        )
        self.controller.push_edit(what, EditPlace(key, "structure"), write(old), write(stored))
        return True

    def set_kpi_field(self, key: str, field: str, value: Any) -> bool:
        """Store one field of a KPI definition (with the fields it clears); False when
        refused."""
        kpi = self.kpi(key)
        if kpi is None:
            return False
        # The unit first: a target is read in the unit it goes with.
        names = ["unit", field, *_COUPLED] if field == "unit" else [field, *_COUPLED]
        old = {n: _raw_kpi(kpi, n) for n in dict.fromkeys(names)}
        if old[field] == value or (old[field] in (None, "") and value in (None, "")):
            return True

        def write(values: dict[str, Any]) -> Callable[[], bool]:
            return self._ok(
                lambda db, ref, actor: plan_editing.set_kpi_fields(
                    db, ref, key, values, actor=actor
                )
            )

        if not write({field: value})():
            return False
        now = self.kpi(key) or kpi
        stored = {n: _raw_kpi(now, n) for n in old}
        # Only what changed goes back (a branch may not write HQ's other fields).
        changed = [n for n in old if old[n] != stored[n]]
        if not changed:
            return True
        what = self.tr("{field} of {where}").format(
            field=self.field_label(field), where=f"{kpi.label}{kpi.name}"
        )
        self.controller.push_edit(
            what,
            EditPlace(kpi.node_key, "structure"),
            write({n: old[n] for n in changed}),
            write({n: stored[n] for n in changed}),
        )
        return True

    def field_label(self, field: str) -> str:
        labels = {
            "label": self.tr("number"),
            "title": self.tr("title"),
            "group": self.tr("group"),
            "importance": self.tr("importance tag"),
            "difficulty": self.tr("difficulty tag"),
            "footnotes": self.tr("footnotes"),
            "branch_may_add": self.tr("branch may add"),
            "report_position": self.tr("place in the report"),
            "rated_with": self.tr("rated together with"),
            "name": self.tr("KPI name"),
            "unit": self.tr("unit"),
            "decimals": self.tr("decimals"),
            "direction": self.tr("direction"),
            "target_kind": self.tr("kind of target"),
            "target": self.tr("target"),
            "numerator_label": self.tr("numerator label"),
            "denominator_label": self.tr("denominator label"),
            "cumulative": self.tr("cumulative"),
            "is_new": self.tr("new this year"),
            "definition_changed": self.tr("definition changed"),
            "note": self.tr("note"),
            "reference_indicator": self.tr("reference indicator"),
            "baseline_year": self.tr("baseline year"),
            "baseline_value": self.tr("baseline value"),
            "goal_year": self.tr("goal year"),
            "target_text": self.tr("goal in words"),
            "definition_note": self.tr("what changed in the definition"),
        }
        return labels.get(field, field)


def _remover(kind: str) -> Callable[..., Changes]:
    return plan_editing.remove_node if kind == "node" else plan_editing.remove_kpi
