"""How a plan's report is organised (issue 16 item 2): by tree or by responsible
group, and whether numbers restart per group. A structure edit like those of
plan_editing: one transaction, an audit entry per stored value changed, one
StructureChanged record (the window reads the plan again, undo kept). A node's
place in the report by group is the node field ``report_position``
(plan_editing.set_node_field)."""

from __future__ import annotations

from desktop.domain.model import ReportAxis
from desktop.services.changes import Changes, StructureChanged
from desktop.services.edit_scope import EditScope
from desktop.services.plan_editing import (
    Plannable,
    _Audited,
    _plan_row,
    _ref,
    guard_structure,
)
from desktop.store.database import Database


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
