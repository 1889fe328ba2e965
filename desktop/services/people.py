"""The people who work in a database: who they are, their role and group, their
password, whether they may still act.

The first person of a database becomes its administrator; after that only an
administrator, with their password, adds or changes people. Every change is
appended to the audit log (never a password: a fingerprint of its salted hash)
and returned as a change record (``UserChanged``) for whoever shows that person.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain import limits
from desktop.domain.errors import UserError
from desktop.domain.model import Group
from desktop.domain.passwords import hash_password, verify_password
from desktop.domain.review import ReviewRefused, Role, User
from desktop.services.changes import Changes, UserChanged
from desktop.store import audit
from desktop.store.content import password_token
from desktop.store.database import Database
from desktop.store.models import UserRow
from desktop.store.repository import now_utc
from desktop.store.row_mapping import user_from_row

_user = user_from_row


def _changed(row: UserRow) -> Changes:
    return Changes.of_records([UserChanged(_user(row))])


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
) -> Changes:
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
        return _changed(row)


# Never the password or its hash in the audit log: that it changed, with a fingerprint
# of the salted hash (so that `plandesk check` notices a hash replaced by hand).
_REMOVED = "(removed)"


def _admin(session: Session, login: str | None, password: str | None) -> User:
    """The administrator who manages people, verified by their password."""
    admin = verified_user(session, login or "", password)
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
) -> Changes:
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
        return _changed(row)


def set_password(
    db: Database, login: str, password: str | None, *, admin_login: str, admin_password: str
) -> Changes:
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
            return _changed(row)
        row.password_hash = hash_password(password)
        _log_user(session, actor, login, "password", None, password_token(row.password_hash))
        return _changed(row)


def set_active(
    db: Database, login: str, active: bool, *, admin_login: str, admin_password: str
) -> Changes:
    """Deactivate a person (or take them back). Their name stays on what they did;
    they can no longer act. The last active administrator stays active."""
    with db.write() as session:
        actor = _admin(session, admin_login, admin_password).login
        row = _existing(session, login)
        if row.active == active:
            return _changed(row)
        if not active and _is_last_admin(session, row):
            raise _refuse_last_admin("無効に", "deactivated")
        _log_user(session, actor, login, "active", str(row.active).lower(), str(active).lower())
        row.active = active
        return _changed(row)


def sign_in(db: Database, login: str, password: str | None) -> User:
    """Switching user at a shared PC: the person, when the password is theirs. Staff
    without a password are just picked (they cannot approve or manage anything)."""
    with db.read() as session:
        row = _user_row(session, login)
        if row is not None and row.active and row.password_hash is None:
            return _user(row)
        return verified_user(session, login, password)


def authenticate(db: Database, login: str, password: str | None) -> User:
    """The person, if the password is theirs (for switching user and for actions)."""
    with db.read() as session:
        return verified_user(session, login, password)


def verified_user(session: Session, login: str, password: str | None) -> User:
    row = _user_row(session, login)
    if row is None or not row.active or not verify_password(password or "", row.password_hash):
        raise ReviewRefused(
            "ログイン名またはパスワードが違います。", "Wrong login name or password."
        )
    return _user(row)


def registered_user(session: Session, login: str) -> User:
    row = _user_row(session, login)
    if row is None or not row.active:
        raise ReviewRefused(
            f"「{login}」は PlanDesk の利用者として登録されていません。",
            f"'{login}' is not registered as a PlanDesk user.",
        )
    return _user(row)
