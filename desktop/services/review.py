"""Section review states, comments and the branch head's sign-off.

Every rule is checked here, inside the write transaction, so that no screen
(or script) can approve, edit or sign off what the rules forbid. Supervisor
and branch-head actions verify that person's password each time. Every state
change and comment is also appended to the hash-chained audit log, and
returned as a change record (``services.changes``). The people who review are
``services.people``'s.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain import limits
from desktop.domain.errors import UserError
from desktop.domain.model import Group, Plan, ReportRef
from desktop.domain.report_order import keys_of_group
from desktop.domain.review import (
    ReviewRefused,
    SectionState,
    User,
    check_except,
    check_reopen,
    check_review,
    check_sign_off,
    check_submit,
    may_review,
    require_reason,
    text_diff,
)
from desktop.services.changes import Changes, CommentAdded, ReviewChanged, SignedOff
from desktop.services.edit_scope import find_node, find_report
from desktop.services.locks import (
    content,
    refuse_if_signed_off,
    review_row,
    set_state,
    signed_off_row,
    state_of,
)

# The people who review: their functions were in this module once, and the tests and
# tools written then still find them here.
from desktop.services.people import (
    add_user,
    authenticate,
    find_user,
    list_users,
    registered_user,
    set_active,
    set_password,
    sign_in,
    update_user,
    verified_user,
)
from desktop.services.plans import get_plan
from desktop.services.review_board import (  # kept importable from here
    Comment,
    QueueItem,
    ReviewBoard,
    SectionChanges,
    SectionReview,
    SignOff,
    board_from_rows,
)
from desktop.store import audit, repository
from desktop.store.database import Database
from desktop.store.models import (
    NodeRow,
    ReportRow,
    ReviewCommentRow,
    SectionReviewRow,
    SignOffRow,
)
from desktop.store.repository import now_utc

__all__ = [
    "Comment",
    "QueueItem",
    "ReviewBoard",
    "ReviewChanged",
    "SectionChanges",
    "SectionReview",
    "SignOff",
    "add_comment",
    "add_user",
    "approve",
    "approve_group",
    "authenticate",
    "changes_since_approval",
    "except_section",
    "find_user",
    "list_users",
    "queue",
    "reopen",
    "return_section",
    "review_board",
    "section_states",
    "set_active",
    "set_password",
    "sign_in",
    "sign_off",
    "signed_off",
    "submit",
    "thread",
    "update_user",
]


# --- states ---------------------------------------------------------------------------


def section_states(
    db: Database, ref: ReportRef, plan: Plan | None = None
) -> dict[str, SectionState]:
    """The state of every section people report on (draft when never touched).
    Pass the plan when it is at hand, to save loading it again."""
    plan = plan or get_plan(db, ref.branch, ref.fiscal_year)
    with db.read() as session:
        return _states(session, ref, plan)


def _states(session: Session, ref: ReportRef, plan: Plan) -> dict[str, SectionState]:
    _plan_id, report = find_report(session, ref, create=False, need_report=False)
    rows = {}
    if report is not None:
        for r, key in session.execute(
            select(SectionReviewRow, NodeRow.key)
            .join(NodeRow, NodeRow.id == SectionReviewRow.node_id)
            .where(SectionReviewRow.report_id == report.id)
        ):
            rows[key] = SectionState(r.state)
    return {
        n.key: rows.get(n.key, SectionState.DRAFT)
        for n in plan.nodes
        if n.parent_key is not None and plan.is_reportable(n.key)
    }


def _target(
    session: Session, ref: ReportRef, node_key: str, *, actor: str
) -> tuple[ReportRow, NodeRow, SectionState]:
    plan_id, report = find_report(session, ref, create=True, actor=actor)
    assert report is not None
    refuse_if_signed_off(session, report.id)
    node = find_node(session, plan_id, node_key)
    if not _reported_on(session, node):
        raise ReviewRefused(
            f"「{node.label}{node.title}」は見出しのため、確認・承認の対象ではありません。",
            f"'{node.label}{node.title}' is a heading: it is not reviewed on its own.",
        )
    return report, node, state_of(session, report.id, node.id)


def _rated_unit(session: Session, ref: ReportRef, node_keys: Iterable[str]) -> list[str]:
    """``node_keys`` with every item of their rating scopes (desktop/domain/rating_scopes.py):
    a scope is one rated unit, submitted, approved, returned, reopened and excepted
    together (its one mark and reason are on its holder). Each key once, in order."""
    out: dict[str, None] = {}
    for key in node_keys:
        plan_id, _report = find_report(session, ref, create=False, need_report=False)
        node = find_node(session, plan_id, key)
        holder = node
        if node.rated_with not in (None, node.key):
            other = repository.node_row(session, plan_id, node.rated_with)
            if other is not None and other.rated_with in (None, other.key):
                holder = other
        out[holder.key] = None
        out[key] = None
        out.update(
            dict.fromkeys(
                session.scalars(
                    select(NodeRow.key)
                    .where(
                        NodeRow.plan_id == plan_id,
                        NodeRow.rated_with == holder.key,
                        NodeRow.key != holder.key,
                    )
                    .order_by(NodeRow.position)
                )
            )
        )
    return list(out)


def _reported_on(session: Session, node: NodeRow) -> bool:
    """The rule of Plan.is_reportable on the stored rows: a section under the root with
    a plan text of its own or nothing below it (what section_states lists)."""
    if node.parent_id is None:
        return False
    if node.plan_text.strip():
        return True
    return session.scalar(select(NodeRow.id).where(NodeRow.parent_id == node.id).limit(1)) is None


def _group_of(session: Session, node: NodeRow) -> Group | None:
    current: NodeRow | None = node
    while current is not None:
        if current.group_name:
            return Group(current.group_name)
        current = session.get(NodeRow, current.parent_id) if current.parent_id else None
    return None


def submit(db: Database, ref: ReportRef, node_keys: Iterable[str], *, login: str) -> Changes:
    """The author hands sections in for review."""
    out = []
    with db.write() as session:
        user = registered_user(session, login)
        for key in _rated_unit(session, ref, node_keys):
            report, node, state = _target(session, ref, key, actor=login)
            check_submit(user, state)
            out.append(
                set_state(
                    session, ref, report, node, SectionState.SUBMITTED, actor=login, action="submit"
                )
            )
    return Changes.of_records(out)


def approve(
    db: Database,
    ref: ReportRef,
    node_keys: Iterable[str],
    *,
    login: str,
    password: str,
    comment: str = "",
) -> Changes:
    """Approve submitted sections, all of them or none."""
    comment = limits.check_text(limits.REVIEW_TEXT, comment).strip()
    out = []
    with db.write() as session:
        user = verified_user(session, login, password)
        for key in _rated_unit(session, ref, node_keys):
            report, node, state = _target(session, ref, key, actor=login)
            check_review(user, _group_of(session, node), state)
            out.append(
                set_state(
                    session,
                    ref,
                    report,
                    node,
                    SectionState.APPROVED,
                    actor=login,
                    action="approve",
                    text=comment,
                )
            )
    return Changes.of_records(out)


def approve_group(
    db: Database,
    ref: ReportRef,
    group: Group | None,
    *,
    login: str,
    password: str,
    comment: str = "",
) -> Changes:
    """Approve every submitted section of one responsible group (its own or its
    heading's group; None: the sections without one), in the report's order: one
    transaction through ``approve``, all of them or none, one change envelope."""
    plan = get_plan(db, ref.branch, ref.fiscal_year)
    states = section_states(db, ref, plan)
    keys = [k for k in keys_of_group(plan, group) if states.get(k) is SectionState.SUBMITTED]
    if not keys:
        name_ja = f"{group.value}グループ" if group else "担当グループ未設定"
        name_en = f"the {group.label('en')} group" if group else "no group"
        raise ReviewRefused(
            f"{name_ja}に確認待ちの項目はありません。",
            f"Nothing of {name_en} waits for review.",
        )
    return approve(db, ref, keys, login=login, password=password, comment=comment)


def _decide(
    db: Database,
    ref: ReportRef,
    node_key: str,
    *,
    login: str,
    password: str,
    reason: str,
    check: Callable[[User, Group | None, SectionState], None],
    new: SectionState,
    action: str,
) -> Changes:
    """One reviewer's decision on one section that must carry a reason."""
    words = {
        "return": ("差戻し", "Returning a section"),
        "reopen": ("再編集", "Reopening a section"),
    }
    ja, en = words.get(action, ("対象外とする", "Excepting a section"))
    text = require_reason(reason, ja, en)
    out = []
    with db.write() as session:
        user = verified_user(session, login, password)
        for key in _rated_unit(session, ref, [node_key]):
            report, node, state = _target(session, ref, key, actor=login)
            check(user, _group_of(session, node), state)
            out.append(
                set_state(session, ref, report, node, new, actor=login, action=action, text=text)
            )
    return Changes.of_records(out)


def return_section(
    db: Database, ref: ReportRef, node_key: str, *, login: str, password: str, comment: str
) -> Changes:
    """Send a submitted section back to its author with a comment."""
    return _decide(
        db, ref, node_key, login=login, password=password, reason=comment,
        check=check_review, new=SectionState.RETURNED, action="return",
    )  # fmt: skip


def reopen(
    db: Database, ref: ReportRef, node_key: str, *, login: str, password: str, reason: str
) -> Changes:
    """Open an approved (or excepted) section for changes again, with a reason."""
    return _decide(
        db, ref, node_key, login=login, password=password, reason=reason,
        check=check_reopen, new=SectionState.REOPENED, action="reopen",
    )  # fmt: skip


def except_section(
    db: Database, ref: ReportRef, node_key: str, *, login: str, password: str, reason: str
) -> Changes:
    """Leave a section out of this report's sign-off (branch head, with a reason)."""
    return _decide(
        db, ref, node_key, login=login, password=password, reason=reason,
        check=lambda user, _group, state: check_except(user, state),
        new=SectionState.EXCEPTED, action="except",
    )  # fmt: skip


def add_comment(db: Database, ref: ReportRef, node_key: str, *, login: str, text: str) -> Changes:
    body = limits.check_text(limits.REVIEW_TEXT, text).strip()
    if not body:
        raise UserError("コメントが空です。", "The comment is empty.")
    with db.write() as session:
        registered_user(session, login)
        plan_id, report = find_report(session, ref, create=True, actor=login)
        assert report is not None
        node = find_node(session, plan_id, node_key)
        stamp = now_utc()
        session.add(
            ReviewCommentRow(
                report_id=report.id,
                node_id=node.id,
                author=login,
                at=stamp,
                action="comment",
                text=body,
            )
        )
        audit.append(
            session,
            at=stamp,
            actor=login,
            action="comment",
            entity="comment",
            entity_key=audit.report_item_key(ref.key, node_key),
            field="text",
            new=body,
        )
    return Changes.of_records([CommentAdded(ref, node_key, login, stamp, body)])


def thread(db: Database, ref: ReportRef, node_key: str) -> list[Comment]:
    """A section's comments and review actions, oldest first."""
    with db.read() as session:
        plan_id, report = find_report(session, ref, create=False, need_report=False)
        node = repository.node_row(session, plan_id, node_key)
        if report is None or node is None:
            return []
        rows = session.scalars(
            select(ReviewCommentRow)
            .where(ReviewCommentRow.report_id == report.id, ReviewCommentRow.node_id == node.id)
            .order_by(ReviewCommentRow.id)
        )
        return [Comment(r.author, r.at, r.action, r.text) for r in rows]


def queue(db: Database, ref: ReportRef, *, login: str) -> list[QueueItem]:
    """What waits for this person: submitted sections they review, oldest first."""
    with db.read() as session:
        user = registered_user(session, login)
        if not user.role.reviews:
            return []
        _plan_id, report = find_report(session, ref, create=False, need_report=False)
        if report is None:
            return []
        items = []
        for row, node in session.execute(
            select(SectionReviewRow, NodeRow)
            .join(NodeRow, NodeRow.id == SectionReviewRow.node_id)
            .where(
                SectionReviewRow.report_id == report.id,
                SectionReviewRow.state == SectionState.SUBMITTED.value,
            )
            .order_by(SectionReviewRow.submitted_at, SectionReviewRow.id)
        ):
            if not may_review(user, _group_of(session, node)):
                continue
            items.append(QueueItem(node.key, row.submitted_by, row.submitted_at))
        return items


# --- sign-off -------------------------------------------------------------------------


def sign_off(db: Database, ref: ReportRef, *, login: str, password: str) -> Changes:
    """The branch head signs the whole report off: every section approved or excepted."""
    plan = get_plan(db, ref.branch, ref.fiscal_year)
    titles = {n.key: n.display_title for n in plan.nodes}
    with db.write() as session:
        user = verified_user(session, login, password)
        _plan_id, report = find_report(session, ref, create=False)
        assert report is not None
        if signed_off_row(session, report.id) is not None:
            raise ReviewRefused("この報告は決裁済みです。", "This report is already signed off.")
        # Read in the same transaction as the sign-off: nothing can reopen in between.
        check_sign_off(user, _states(session, ref, plan), titles)
        stamp = now_utc()
        session.add(SignOffRow(report_id=report.id, signed_by=login, signed_at=stamp))
        audit.append(
            session,
            at=stamp,
            actor=login,
            action="sign_off",
            entity="report",
            entity_key=ref.key,
            field="signed_off",
            new=stamp.isoformat(timespec="microseconds"),
        )
    return Changes.of_records([SignedOff(ref, login, stamp)])


def signed_off(db: Database, ref: ReportRef) -> SignOff | None:
    with db.read() as session:
        _plan_id, report = find_report(session, ref, create=False, need_report=False)
        row = signed_off_row(session, report.id) if report else None
        return SignOff(row.signed_by, row.signed_at) if row else None


# --- the review of a whole report, as a window holds it ---------------------------------


def review_board(db: Database, ref: ReportRef, plan: Plan) -> ReviewBoard:
    """The review of the report ``ref`` of ``plan``: every section people report on
    (draft when never touched), who submitted it and when, and the sign-off."""
    with db.read() as session:
        _plan_id, report = find_report(session, ref, create=False, need_report=False)
        rows: dict[str, SectionReviewRow] = {}
        signed = None
        if report is not None:
            for r, key in session.execute(
                select(SectionReviewRow, NodeRow.key)
                .join(NodeRow, NodeRow.id == SectionReviewRow.node_id)
                .where(SectionReviewRow.report_id == report.id)
            ):
                rows[key] = r
            signed = signed_off_row(session, report.id)
        return board_from_rows(ref, plan, rows, signed)


# --- what changed since the last approval ---------------------------------------------


def changes_since_approval(db: Database, ref: ReportRef, node_key: str) -> SectionChanges:
    """Text changes (by character runs), the mark and KPI values since the last approval
    (against an empty section when it was never approved)."""
    with db.read() as session:
        plan_id, report = find_report(session, ref, create=False, need_report=False)
        node = repository.node_row(session, plan_id, node_key)
        if report is None or node is None:
            return SectionChanges(False, {}, None, {})
        row = review_row(session, report.id, node.id)
        before: dict = (
            json.loads(row.approved_content)
            if row and row.approved_content
            else {"status_text": "", "mark": None, "mark_reason": "", "next_steps": "", "kpis": {}}
        )
        approved_before = bool(row and row.approved_content)
        now = content(session, report.id, node.id)
    texts = {
        field: text_diff(before.get(field, ""), now.get(field, ""))  # type: ignore[arg-type]
        for field in ("actions", "status_text", "mark_reason", "next_steps")
        if before.get(field, "") != now.get(field, "")
    }
    mark = (before["mark"], now["mark"]) if before["mark"] != now["mark"] else None
    keys = set(before["kpis"]) | set(now["kpis"])  # type: ignore[arg-type]
    kpis = {
        k: (before["kpis"].get(k), now["kpis"].get(k))  # type: ignore[union-attr]
        for k in sorted(keys)
        if before["kpis"].get(k) != now["kpis"].get(k)  # type: ignore[union-attr]
    }
    return SectionChanges(approved_before, texts, mark, kpis)
