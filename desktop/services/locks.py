"""Review locks on editing: what the editing services check inside their transaction.

Kept apart from the review service so that the editing services can use it
without importing the review actions (which build on the editing services).
The editing services reach these guards through ``edit_scope.EditScope``.
"""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.model import ReportRef
from desktop.domain.plan_review import PlanState, locked_refusal
from desktop.domain.review import ReviewRefused, SectionState
from desktop.services.changes import ReviewChanged
from desktop.store import audit
from desktop.store.content import digest
from desktop.store.models import (
    EntryRow,
    KpiRow,
    MeasurementRow,
    NodeRow,
    PlanRow,
    PlanStateRow,
    ReportRow,
    ReviewCommentRow,
    SectionReviewRow,
    SignOffRow,
)
from desktop.store.repository import now_utc


def review_row(session: Session, report_id: int, node_id: int) -> SectionReviewRow | None:
    return session.scalars(
        select(SectionReviewRow).where(
            SectionReviewRow.report_id == report_id, SectionReviewRow.node_id == node_id
        )
    ).one_or_none()


def state_of(session: Session, report_id: int, node_id: int) -> SectionState:
    # Only the column: this runs inside every edit's transaction.
    state = session.scalar(
        select(SectionReviewRow.state).where(
            SectionReviewRow.report_id == report_id, SectionReviewRow.node_id == node_id
        )
    )
    return SectionState(state) if state else SectionState.DRAFT


def signed_off_row(session: Session, report_id: int) -> SignOffRow | None:
    return session.scalars(
        select(SignOffRow).where(SignOffRow.report_id == report_id)
    ).one_or_none()


def set_state(
    session: Session,
    ref: ReportRef,
    report: ReportRow,
    node: NodeRow,
    new: SectionState,
    *,
    actor: str,
    action: str,
    text: str = "",
) -> ReviewChanged:
    stamp = now_utc()
    row = review_row(session, report.id, node.id)
    old = SectionState(row.state) if row else SectionState.DRAFT
    if row is None:
        row = SectionReviewRow(report_id=report.id, node_id=node.id, state=new.value)
        session.add(row)
    row.state = new.value
    row.updated_by, row.updated_at = actor, stamp
    if new is SectionState.SUBMITTED:
        row.submitted_by, row.submitted_at = actor, stamp
    key = audit.report_item_key(ref.key, node.key)
    if new is SectionState.APPROVED:
        row.approved_content = json.dumps(
            content(session, report.id, node.id), ensure_ascii=False, sort_keys=True
        )
        audit.append(session, at=stamp, actor=actor, action=action, entity="review",
                     entity_key=key, field="approved_content",
                     new=digest(row.approved_content))  # fmt: skip
    session.add(
        ReviewCommentRow(
            report_id=report.id, node_id=node.id, author=actor, at=stamp, action=action, text=text
        )
    )
    audit.append(
        session,
        at=stamp,
        actor=actor,
        action=action,
        entity="review",
        entity_key=key,
        field="state",
        old=old.value,
        new=new.value,
    )
    return ReviewChanged(ref, node.key, new, actor, stamp)


# --- the plan's own approval (services.plan_approval) ----------------------------------


def plan_state_row(session: Session, plan_id: int) -> PlanStateRow | None:
    return session.scalars(
        select(PlanStateRow).where(PlanStateRow.plan_id == plan_id)
    ).one_or_none()


def plan_state_of(session: Session, plan_id: int) -> PlanState:
    """No row: a draft (see models.PlanStateRow)."""
    state = session.scalar(select(PlanStateRow.state).where(PlanStateRow.plan_id == plan_id))
    return PlanState(state) if state else PlanState.DRAFT


def refuse_if_plan_locked(session: Session, plan_id: int) -> None:
    """Refuse a change of the plan's content (tree, plan texts, KPI definitions and
    targets) while the plan is submitted or approved. Every writer of plan content
    reaches this through ``EditScope.guard`` (owner ``PlanText``)."""
    state = plan_state_of(session, plan_id)
    if state.locked:
        title = session.scalar(select(PlanRow.title).where(PlanRow.id == plan_id)) or ""
        raise locked_refusal(state, title)


# --- guarding edits (called by the editing services inside their transaction) --------


def refuse_if_signed_off(session: Session, report_id: int) -> None:
    signed = session.scalar(select(SignOffRow.id).where(SignOffRow.report_id == report_id))
    if signed is not None:
        raise ReviewRefused(
            "この報告は支部長の決裁済みのため変更できません。",
            "This report has been signed off and cannot be changed.",
        )


def refuse_structure_if_signed_off(session: Session, report_id: int) -> None:
    """The plan's structure (its nodes and KPI definitions) is part of every report of
    it: a signed-off report locks it."""
    signed = session.scalar(select(SignOffRow.id).where(SignOffRow.report_id == report_id))
    if signed is not None:
        raise ReviewRefused(
            "この計画の報告は支部長の決裁済みのため、計画の構成（項目・KPI）は変更できません。",
            "A report of this plan has been signed off: the plan's structure (items and KPIs) "
            "cannot be changed.",
        )


def guard_edit(
    session: Session, ref: ReportRef, report: ReportRow, node: NodeRow, *, actor: str
) -> ReviewChanged | None:
    """Refuse an edit to a signed-off report or to an approved section; an edit to
    a reopened section sends it back to review (the record of that is returned: it
    travels with the edit's own records)."""
    refuse_if_signed_off(session, report.id)
    state = state_of(session, report.id, node.id)
    if not state.editable:
        raise ReviewRefused(
            f"「{node.label}{node.title}」は{state.label()}のため変更できません。"
            "変更するにはグループ長または支部長に再編集にしてもらってください。",
            f"'{node.label}{node.title}' is {state.value} and cannot be changed; ask its "
            "supervisor or the branch head to reopen it.",
        )
    if state is SectionState.REOPENED:
        return set_state(
            session, ref, report, node, SectionState.SUBMITTED, actor=actor, action="resubmit"
        )
    return None


def guard_kpi_edit(
    session: Session, ref: ReportRef, report: ReportRow, kpi: KpiRow, *, actor: str
) -> ReviewChanged | None:
    """A KPI figure belongs to the section it hangs on; under a heading that people do
    not report on themselves, it is locked once all of the heading's sections are settled."""
    node = session.get(NodeRow, kpi.node_id)
    assert node is not None
    children = session.scalars(select(NodeRow.id).where(NodeRow.parent_id == node.id)).all()
    if node.plan_text.strip() or not children:  # the KPI's own section is reported on
        return guard_edit(session, ref, report, node, actor=actor)
    refuse_if_signed_off(session, report.id)
    # One query for the states of all the heading's sections (no row = draft).
    settled = session.scalars(
        select(SectionReviewRow.node_id).where(
            SectionReviewRow.report_id == report.id,
            SectionReviewRow.node_id.in_(children),
            SectionReviewRow.state.in_([s.value for s in SectionState if s.settled]),
        )
    ).all()
    if len(settled) == len(children):
        raise ReviewRefused(
            f"「{node.label}{node.title}」の項目はすべて承認済みのため、KPI の実績は変更できません。",
            f"All sections under '{node.label}{node.title}' are approved: its KPI figures are "
            "locked.",
        )
    return None


def content(session: Session, report_id: int, node_id: int) -> dict[str, object]:
    entry = session.scalars(
        select(EntryRow).where(EntryRow.report_id == report_id, EntryRow.node_id == node_id)
    ).one_or_none()
    figures = {}
    for m, key in session.execute(
        select(MeasurementRow, KpiRow.key)
        .join(KpiRow, KpiRow.id == MeasurementRow.kpi_id)
        .where(MeasurementRow.report_id == report_id, KpiRow.node_id == node_id)
    ):
        figures[key] = None if m.value is None else str(m.value)
    held: dict[str, object] = {
        "status_text": entry.status_text if entry else "",
        "mark": entry.mark if entry else None,
        "mark_reason": (entry.mark_reason or "") if entry else "",
        "next_steps": entry.next_steps if entry else "",
        "kpis": figures,
    }
    if entry and entry.actions:  # only when written: content approved before 0014 compares equal
        held["actions"] = entry.actions
    return held
