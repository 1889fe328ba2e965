"""A plan's own approval: submit, take back, approve, send back, reopen — and what
changed since it was approved.

The rules are desktop/domain/plan_review.py's; they are checked here inside the write
transaction, with the branch head's password for every decision (as for section
reviews). Each step appends its audit entries (the plan's ``state``; on approval the
content as approved, by its digest) and returns a ``Changes`` with one
``PlanStateChanged``. While a plan is submitted or approved its content cannot be
changed: ``locks.refuse_if_plan_locked``, reached through ``EditScope``.

On approval the plan's content (domain.plan_diff.plan_content: tree, texts, KPI
definitions and targets, the reference figures beside them; no reports, no monthly
figures) is saved as a
``plandesk.plan/1`` document; :func:`changes_since_approval` compares the plan as it
is with it. (A snapshot saved before the reference figures were part of it holds
none: they then show as added.) A plan approved by the 0012 upgrade has no saved content until it is
first reopened: then the content at that moment — what was being reported on — is
saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from desktop.domain.branches import branch as find_branch
from desktop.domain.calendar import fiscal_year_label
from desktop.domain.errors import UserError
from desktop.domain.plan_diff import PlanDiff, diff_plans, plan_content
from desktop.domain.plan_document import dump_plan, parse_plan_text
from desktop.domain.plan_review import (
    PlanState,
    PlanStatus,
    check_approve,
    check_complete,
    check_reopen,
    check_send_back,
    check_submit,
    check_withdraw,
)
from desktop.domain.review import User
from desktop.services.changes import Changes, PlanRef, PlanStateChanged
from desktop.services.locks import plan_state_row
from desktop.services.people import registered_user, verified_user
from desktop.store import audit, repository
from desktop.store.content import digest
from desktop.store.database import Database
from desktop.store.models import PlanRow, PlanStateRow
from desktop.store.repository import now_utc

__all__ = [
    "PlanChanges",
    "approve_plan",
    "changes_since_approval",
    "plan_status",
    "reopen_plan",
    "send_back_plan",
    "submit_plan",
    "withdraw_plan",
]


def _plan_row(session: Session, branch: str, fiscal_year: int) -> PlanRow:
    code = find_branch(branch).code
    row = repository.plan_row(session, code, fiscal_year)
    if row is None:
        who = find_branch(code)
        raise UserError(
            f"{fiscal_year_label(fiscal_year)}・{who.name_ja}の計画はこのデータベースにありません。",
            f"No plan for {who.name_en}, FY{fiscal_year} in this database.",
        )
    return row


def _status(row: PlanStateRow | None) -> PlanStatus:
    if row is None:
        return PlanStatus()
    return PlanStatus(
        state=PlanState(row.state),
        submitted_by=row.submitted_by,
        submitted_at=row.submitted_at,
        approved_by=row.approved_by,
        approved_at=row.approved_at,
        updated_by=row.updated_by,
        updated_at=row.updated_at,
        reason=row.reason,
        has_approved_content=row.approved_content is not None,
    )


def plan_status(db: Database, branch: str, fiscal_year: int) -> PlanStatus:
    """Where the plan stands (a plan never submitted: draft)."""
    with db.read() as session:
        plan = _plan_row(session, branch, fiscal_year)
        return _status(plan_state_row(session, plan.id))


def _content_json(session: Session, plan: PlanRow) -> str:
    stored = repository.load_plan(session, plan.branch_code, plan.fiscal_year)
    assert stored is not None
    return dump_plan(plan_content(stored))


def _move(
    session: Session,
    plan: PlanRow,
    new: PlanState,
    *,
    actor: str,
    action: str,
    reason: str = "",
    save_content: bool = False,
) -> Changes:
    """Put the plan in ``new``, with its audit entries; the change record."""
    stamp = now_utc()
    row = plan_state_row(session, plan.id)
    old = PlanState(row.state) if row is not None else PlanState.DRAFT
    if row is None:
        row = PlanStateRow(plan_id=plan.id, state=new.value, reason="", updated_by=actor,
                           updated_at=stamp)  # fmt: skip
        session.add(row)
    row.state = new.value
    row.updated_by, row.updated_at = actor, stamp
    if action in ("send_back_plan", "reopen_plan"):
        row.reason = reason
    if new is PlanState.SUBMITTED:
        row.submitted_by, row.submitted_at = actor, stamp
    elif new is PlanState.APPROVED:
        row.approved_by, row.approved_at = actor, stamp
    key = audit.plan_key(plan.branch_code, plan.fiscal_year)

    def entry(field: str, old_value: str | None, new_value: str | None) -> None:
        audit.append(session, at=stamp, actor=actor, action=action, entity="plan",
                     entity_key=key, field=field, old=old_value, new=new_value)  # fmt: skip

    if save_content:
        before = row.approved_content
        row.approved_content = _content_json(session, plan)
        if row.approved_content != before:
            entry(
                "approved_content",
                None if before is None else digest(before),
                digest(row.approved_content),
            )
    entry("state", old.value, new.value)
    if reason:
        entry("reason", None, reason)
    ref = PlanRef(plan.branch_code, plan.fiscal_year)
    return Changes(records=(PlanStateChanged(ref, new, actor, stamp, reason),))


def _state(session: Session, plan: PlanRow) -> tuple[PlanState, PlanStateRow | None]:
    row = plan_state_row(session, plan.id)
    return (PlanState(row.state) if row else PlanState.DRAFT), row


def submit_plan(db: Database, branch: str, fiscal_year: int, *, login: str) -> Changes:
    """The planning group hands the plan in for approval: its content is locked."""
    with db.write() as session:
        user = registered_user(session, login)
        plan = _plan_row(session, branch, fiscal_year)
        state, _row = _state(session, plan)
        check_submit(user, state)
        stored = repository.load_plan(session, plan.branch_code, plan.fiscal_year)
        assert stored is not None
        check_complete(stored)
        return _move(session, plan, PlanState.SUBMITTED, actor=login, action="submit_plan")


def withdraw_plan(db: Database, branch: str, fiscal_year: int, *, login: str) -> Changes:
    """The submitter takes the submission back (before a decision): a draft again."""
    with db.write() as session:
        user = registered_user(session, login)
        plan = _plan_row(session, branch, fiscal_year)
        state, row = _state(session, plan)
        check_withdraw(user, state, row.submitted_by if row else None)
        return _move(session, plan, PlanState.DRAFT, actor=login, action="withdraw_plan")


def _decider(session: Session, login: str, password: str | None) -> User:
    return verified_user(session, login, password)


def approve_plan(
    db: Database, branch: str, fiscal_year: int, *, login: str, password: str
) -> Changes:
    """The branch head approves the submitted plan; its content as approved is saved."""
    with db.write() as session:
        user = _decider(session, login, password)
        plan = _plan_row(session, branch, fiscal_year)
        state, _row = _state(session, plan)
        check_approve(user, state)
        return _move(session, plan, PlanState.APPROVED, actor=login, action="approve_plan",
                     save_content=True)  # fmt: skip


def send_back_plan(
    db: Database, branch: str, fiscal_year: int, *, login: str, password: str, reason: str
) -> Changes:
    """The branch head sends the submitted plan back to the planners, with a reason."""
    with db.write() as session:
        user = _decider(session, login, password)
        plan = _plan_row(session, branch, fiscal_year)
        state, _row = _state(session, plan)
        text = check_send_back(user, state, reason)
        return _move(session, plan, PlanState.DRAFT, actor=login, action="send_back_plan",
                     reason=text)  # fmt: skip


def reopen_plan(
    db: Database, branch: str, fiscal_year: int, *, login: str, password: str, reason: str
) -> Changes:
    """The branch head opens the approved plan for changes, with a reason. The content
    as approved stays saved (a plan approved by the upgrade saves it now)."""
    with db.write() as session:
        user = _decider(session, login, password)
        plan = _plan_row(session, branch, fiscal_year)
        state, row = _state(session, plan)
        text = check_reopen(user, state, reason)
        missing = row is None or row.approved_content is None
        return _move(session, plan, PlanState.DRAFT, actor=login, action="reopen_plan",
                     reason=text, save_content=missing)  # fmt: skip


# --- what changed since the approval -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlanChanges:
    """The plan's content changes since it was last approved (``approved_at``); empty
    when it was never approved (nothing to compare with: ``approved_before`` False)."""

    approved_before: bool
    diff: PlanDiff
    approved_at: datetime | None = None
    approved_by: str | None = None


def changes_since_approval(db: Database, branch: str, fiscal_year: int) -> PlanChanges:
    with db.read() as session:
        plan = _plan_row(session, branch, fiscal_year)
        row = plan_state_row(session, plan.id)
        if row is None or row.approved_content is None:
            return PlanChanges(False, PlanDiff())
        approved = parse_plan_text(row.approved_content, "plan_states.approved_content")
        now = repository.load_plan(session, plan.branch_code, plan.fiscal_year)
        assert now is not None
        return PlanChanges(
            True, diff_plans(approved, plan_content(now)), row.approved_at, row.approved_by
        )
