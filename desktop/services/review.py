"""People, section review states, comments and the branch head's sign-off.

Every rule is checked here, inside the write transaction, so that no screen
(or script) can approve, edit or sign off what the rules forbid. Supervisor
and branch-head actions verify that person's password each time. Every state
change and comment is also appended to the hash-chained audit log.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain import limits
from desktop.domain.errors import UserError
from desktop.domain.model import Group, Plan, ReportRef
from desktop.domain.passwords import hash_password, verify_password
from desktop.domain.review import (
    DiffRun,
    ReviewRefused,
    Role,
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
from desktop.services.edit_scope import find_node, find_report
from desktop.services.locks import (
    ReviewChanged,
    content,
    refuse_if_signed_off,
    review_row,
    set_state,
    signed_off_row,
    state_of,
)
from desktop.services.plans import get_plan
from desktop.store import audit, repository
from desktop.store.content import password_token
from desktop.store.database import Database
from desktop.store.models import (
    NodeRow,
    ReportRow,
    ReviewCommentRow,
    SectionReviewRow,
    SignOffRow,
    UserRow,
)
from desktop.store.repository import now_utc

# --- people ----------------------------------------------------------------------------


def _user(row: UserRow) -> User:
    return User(
        login=row.login,
        display_name=row.display_name,
        role=Role(row.role),
        group=Group(row.group_name) if row.group_name else None,
        active=row.active,
        has_password=row.password_hash is not None,
    )


def _user_row(session: Session, login: str) -> UserRow | None:
    return session.scalars(select(UserRow).where(UserRow.login == login)).one_or_none()


def list_users(db: Database) -> list[User]:
    with db.read() as session:
        return [_user(r) for r in session.scalars(select(UserRow).order_by(UserRow.id))]


def find_user(db: Database, login: str) -> User | None:
    with db.read() as session:
        row = _user_row(session, login)
        return _user(row) if row else None


def add_user(
    db: Database,
    *,
    login: str,
    display_name: str,
    role: Role,
    group: Group | None = None,
    password: str | None = None,
    admin_login: str | None = None,
    admin_password: str | None = None,
) -> User:
    """Add a person. The first person of a database becomes its admin; after that
    only an admin (with their password) adds people. Anyone who reviews or
    signs off needs a password of their own."""
    login = limits.check_text(limits.LOGIN, login).strip()
    display_name = limits.check_text(limits.DISPLAY_NAME, display_name)
    if not login or not display_name.strip():
        raise UserError("ログイン名と表示名を入力してください。", "Enter a login and a name.")
    with db.write() as session:
        first = session.scalars(select(UserRow.id).limit(1)).first() is None
        if first:
            role = Role.ADMIN
            actor = login
        else:
            actor = _admin(session, admin_login, admin_password).login
        if _user_row(session, login) is not None:
            raise UserError(
                f"ログイン名「{login}」は登録済みです。", f"The login '{login}' exists already."
            )
        if role.reviews and not password:
            raise UserError(
                f"{role.label()}にはパスワードが必要です。",
                f"A {role.label('en').lower()} needs a password.",
            )
        stamp = now_utc()
        row = UserRow(
            login=login,
            display_name=display_name.strip(),
            role=role.value,
            group_name=group.value if group else None,
            password_hash=hash_password(password) if password else None,
            active=True,
            created_at=stamp,
        )
        session.add(row)
        for field, value in (
            ("role", role.value),
            ("display_name", row.display_name),
            ("group", row.group_name),
            ("password", password_token(row.password_hash)),
        ):
            if value is not None or field == "role":
                audit.append(session, at=stamp, actor=actor, action="add", entity="user",
                             entity_key=login, field=field, new=value)  # fmt: skip
        session.flush()
        return _user(row)


# Never the password or its hash in the audit log: that it changed, with a fingerprint
# of the salted hash (so that `plandesk check` notices a hash replaced by hand).
_REMOVED = "(removed)"


def _admin(session: Session, login: str | None, password: str | None) -> User:
    """The administrator who manages people, verified by their password."""
    admin = _verified(session, login or "", password)
    if admin.role is not Role.ADMIN:
        raise ReviewRefused(
            "利用者を管理できるのは管理者です。", "Only an administrator manages people."
        )
    return admin


def _existing(session: Session, login: str) -> UserRow:
    row = _user_row(session, login)
    if row is None:
        raise UserError(
            f"ログイン名「{login}」の利用者はいません。", f"There is no user '{login}'."
        )
    return row


def _is_last_admin(session: Session, row: UserRow) -> bool:
    if row.role != Role.ADMIN.value or not row.active:
        return False
    admins = session.scalars(
        select(UserRow.id).where(UserRow.role == Role.ADMIN.value, UserRow.active.is_(True))
    ).all()
    return len(admins) <= 1


def _refuse_last_admin(what_ja: str, what_en: str) -> ReviewRefused:
    return ReviewRefused(
        f"最後の管理者は{what_ja}できません。先に別の人を管理者にしてください。",
        f"The last administrator cannot be {what_en}; make someone else an administrator first.",
    )


def _log_user(
    session: Session, actor: str, login: str, field: str, old: str | None, new: str | None
) -> None:
    audit.append(
        session,
        at=now_utc(),
        actor=actor,
        action="edit",
        entity="user",
        entity_key=login,
        field=field,
        old=old,
        new=new,
    )


def update_user(
    db: Database,
    login: str,
    *,
    display_name: str,
    role: Role,
    group: Group | None,
    password: str | None = None,
    admin_login: str,
    admin_password: str,
) -> User:
    """Change a person's name, role and group (an administrator, with their password).

    Someone who becomes a reviewer needs a password: give ``password`` when they
    have none yet. The last active administrator keeps that role."""
    name = limits.check_text(limits.DISPLAY_NAME, display_name).strip()
    if not name:
        raise UserError("表示名を入力してください。", "Enter a name.")
    with db.write() as session:
        actor = _admin(session, admin_login, admin_password).login
        row = _existing(session, login)
        if role is not Role.ADMIN and _is_last_admin(session, row):
            raise _refuse_last_admin("ほかの役割に変更", "given another role")
        if role.reviews and row.password_hash is None and not password:
            raise UserError(
                f"{role.label()}にはパスワードが必要です。",
                f"A {role.label('en').lower()} needs a password.",
            )
        group_name = group.value if group else None
        for field, old, new in (
            ("display_name", row.display_name, name),
            ("role", row.role, role.value),
            ("group", row.group_name, group_name),
        ):
            if old != new:
                _log_user(session, actor, login, field, old, new)
        row.display_name, row.role, row.group_name = name, role.value, group_name
        if password:
            row.password_hash = hash_password(password)
            _log_user(session, actor, login, "password", None, password_token(row.password_hash))
        return _user(row)


def set_password(
    db: Database, login: str, password: str | None, *, admin_login: str, admin_password: str
) -> User:
    """Reset a person's password (an administrator, with their own password). An
    empty one removes it, which only staff may go without."""
    with db.write() as session:
        actor = _admin(session, admin_login, admin_password).login
        row = _existing(session, login)
        if not password:
            role = Role(row.role)
            if role.reviews:
                raise UserError(
                    f"{role.label()}にはパスワードが必要です。",
                    f"A {role.label('en').lower()} needs a password.",
                )
            if row.password_hash is not None:
                row.password_hash = None
                _log_user(session, actor, login, "password", None, _REMOVED)
            return _user(row)
        row.password_hash = hash_password(password)
        _log_user(session, actor, login, "password", None, password_token(row.password_hash))
        return _user(row)


def set_active(
    db: Database, login: str, active: bool, *, admin_login: str, admin_password: str
) -> User:
    """Deactivate a person (or take them back). Their name stays on what they did;
    they can no longer act. The last active administrator stays active."""
    with db.write() as session:
        actor = _admin(session, admin_login, admin_password).login
        row = _existing(session, login)
        if row.active == active:
            return _user(row)
        if not active and _is_last_admin(session, row):
            raise _refuse_last_admin("無効に", "deactivated")
        _log_user(session, actor, login, "active", str(row.active).lower(), str(active).lower())
        row.active = active
        return _user(row)


def sign_in(db: Database, login: str, password: str | None) -> User:
    """Switching user at a shared PC: the person, when the password is theirs. Staff
    without a password are just picked (they cannot approve or manage anything)."""
    with db.read() as session:
        row = _user_row(session, login)
        if row is not None and row.active and row.password_hash is None:
            return _user(row)
        return _verified(session, login, password)


def authenticate(db: Database, login: str, password: str | None) -> User:
    """The person, if the password is theirs (for switching user and for actions)."""
    with db.read() as session:
        return _verified(session, login, password)


def _verified(session: Session, login: str, password: str | None) -> User:
    row = _user_row(session, login)
    if row is None or not row.active or not verify_password(password or "", row.password_hash):
        raise ReviewRefused(
            "ログイン名またはパスワードが違います。", "Wrong login name or password."
        )
    return _user(row)


def _known(session: Session, login: str) -> User:
    row = _user_row(session, login)
    if row is None or not row.active:
        raise ReviewRefused(
            f"「{login}」は PlanDesk の利用者として登録されていません。",
            f"'{login}' is not registered as a PlanDesk user.",
        )
    return _user(row)


# --- states ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Comment:
    author: str
    at: datetime
    action: str
    text: str


@dataclass(frozen=True, slots=True)
class QueueItem:
    node_key: str
    submitted_by: str | None
    submitted_at: datetime | None


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


def submit(
    db: Database, ref: ReportRef, node_keys: Iterable[str], *, login: str
) -> list[ReviewChanged]:
    """The author hands sections in for review."""
    out = []
    with db.write() as session:
        user = _known(session, login)
        for key in node_keys:
            report, node, state = _target(session, ref, key, actor=login)
            check_submit(user, state)
            out.append(
                set_state(
                    session, ref, report, node, SectionState.SUBMITTED, actor=login, action="submit"
                )
            )
    return out


def approve(
    db: Database,
    ref: ReportRef,
    node_keys: Iterable[str],
    *,
    login: str,
    password: str,
    comment: str = "",
) -> list[ReviewChanged]:
    """Approve submitted sections, all of them or none."""
    comment = limits.check_text(limits.REVIEW_TEXT, comment).strip()
    out = []
    with db.write() as session:
        user = _verified(session, login, password)
        for key in node_keys:
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
    return out


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
) -> ReviewChanged:
    """One reviewer's decision on one section that must carry a reason."""
    words = {
        "return": ("差戻し", "Returning a section"),
        "reopen": ("再編集", "Reopening a section"),
    }
    ja, en = words.get(action, ("対象外とする", "Excepting a section"))
    text = require_reason(reason, ja, en)
    with db.write() as session:
        user = _verified(session, login, password)
        report, node, state = _target(session, ref, node_key, actor=login)
        check(user, _group_of(session, node), state)
        return set_state(session, ref, report, node, new, actor=login, action=action, text=text)


def return_section(
    db: Database, ref: ReportRef, node_key: str, *, login: str, password: str, comment: str
) -> ReviewChanged:
    """Send a submitted section back to its author with a comment."""
    return _decide(
        db, ref, node_key, login=login, password=password, reason=comment,
        check=check_review, new=SectionState.RETURNED, action="return",
    )  # fmt: skip


def reopen(
    db: Database, ref: ReportRef, node_key: str, *, login: str, password: str, reason: str
) -> ReviewChanged:
    """Open an approved (or excepted) section for changes again, with a reason."""
    return _decide(
        db, ref, node_key, login=login, password=password, reason=reason,
        check=check_reopen, new=SectionState.REOPENED, action="reopen",
    )  # fmt: skip


def except_section(
    db: Database, ref: ReportRef, node_key: str, *, login: str, password: str, reason: str
) -> ReviewChanged:
    """Leave a section out of this report's sign-off (branch head, with a reason)."""
    return _decide(
        db, ref, node_key, login=login, password=password, reason=reason,
        check=lambda user, _group, state: check_except(user, state),
        new=SectionState.EXCEPTED, action="except",
    )  # fmt: skip


def add_comment(db: Database, ref: ReportRef, node_key: str, *, login: str, text: str) -> Comment:
    body = limits.check_text(limits.REVIEW_TEXT, text).strip()
    if not body:
        raise UserError("コメントが空です。", "The comment is empty.")
    with db.write() as session:
        _known(session, login)
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
            entity_key=f"{ref.key}/{node_key}",
            field="text",
            new=body,
        )
        return Comment(login, stamp, "comment", body)


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
        user = _known(session, login)
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


@dataclass(frozen=True, slots=True)
class SignOff:
    signed_by: str
    signed_at: datetime


def sign_off(db: Database, ref: ReportRef, *, login: str, password: str) -> SignOff:
    """The branch head signs the whole report off: every section approved or excepted."""
    plan = get_plan(db, ref.branch, ref.fiscal_year)
    titles = {n.key: n.display_title for n in plan.nodes}
    with db.write() as session:
        user = _verified(session, login, password)
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
        return SignOff(login, stamp)


def signed_off(db: Database, ref: ReportRef) -> SignOff | None:
    with db.read() as session:
        _plan_id, report = find_report(session, ref, create=False, need_report=False)
        row = signed_off_row(session, report.id) if report else None
        return SignOff(row.signed_by, row.signed_at) if row else None


# --- what changed since the last approval ---------------------------------------------


@dataclass(frozen=True, slots=True)
class SectionChanges:
    approved_before: bool
    texts: dict[str, list[DiffRun]]  # field → runs, only fields that changed
    mark: tuple[str | None, str | None] | None  # (approved, now) when it changed
    kpis: dict[str, tuple[str | None, str | None]]  # key → (approved, now) when changed


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
        field: text_diff(before[field], now[field])  # type: ignore[arg-type]
        for field in ("status_text", "mark_reason", "next_steps")
        if before[field] != now[field]
    }
    mark = (before["mark"], now["mark"]) if before["mark"] != now["mark"] else None
    keys = set(before["kpis"]) | set(now["kpis"])  # type: ignore[arg-type]
    kpis = {
        k: (before["kpis"].get(k), now["kpis"].get(k))  # type: ignore[union-attr]
        for k in sorted(keys)
        if before["kpis"].get(k) != now["kpis"].get(k)  # type: ignore[union-attr]
    }
    return SectionChanges(approved_before, texts, mark, kpis)
