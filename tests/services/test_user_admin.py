"""Managing people in the service layer: only an administrator, verified by password;
the last administrator stays; every change is audited without the password."""

from __future__ import annotations

import sqlite3

import pytest

from desktop.domain.errors import UserError
from desktop.domain.model import Group
from desktop.domain.review import ReviewRefused, Role
from desktop.services import review
from desktop.services.changes import UserChanged
from desktop.services.check import check_database
from desktop.store.content import password_token

ADMIN = {"admin_login": "admin", "admin_password": "a-pass"}


@pytest.fixture
def db(db):
    review.add_user(db, login="admin", display_name="管理", role=Role.ADMIN, password="a-pass")
    review.add_user(
        db, login="sato", display_name="佐藤", role=Role.STAFF, group=Group.OPERATIONS, **ADMIN
    )
    review.add_user(
        db, login="suzuki", display_name="鈴木", role=Role.SUPERVISOR, group=Group.OPERATIONS,
        password="gyomu-pass", **ADMIN,
    )  # fmt: skip
    return db


def _audit(db, login: str) -> list[tuple[str, str, str | None, str | None]]:
    con = sqlite3.connect(db.path)
    rows = con.execute(
        "SELECT actor, field, old_value, new_value FROM audit_log "
        "WHERE entity = 'user' AND entity_key = ? AND action = 'edit' ORDER BY id",
        (login,),
    ).fetchall()
    con.close()
    return rows


def _hash(db, login: str) -> str:
    con = sqlite3.connect(db.path)
    row = con.execute("SELECT password_hash FROM users WHERE login = ?", (login,)).fetchone()
    con.close()
    return row[0]


def test_update_name_role_and_group_is_audited_per_field(db):
    user = (
        review.update_user(
            db, "sato", display_name="佐藤 花子", role=Role.STAFF, group=Group.HEALTH, **ADMIN
        )
        .one(UserChanged)
        .user
    )
    assert (user.display_name, user.group) == ("佐藤 花子", Group.HEALTH)
    assert _audit(db, "sato") == [
        ("admin", "display_name", "佐藤", "佐藤 花子"),
        ("admin", "group", "業務", "保健"),
    ]
    review.update_user(db, "sato", display_name="佐藤 花子", role=Role.STAFF, group=None, **ADMIN)
    assert review.find_user(db, "sato").group is None
    assert check_database(db).ok


def test_only_an_administrator_with_the_password_manages_people(db):
    for who in ({"admin_login": "suzuki", "admin_password": "gyomu-pass"},
                {"admin_login": "admin", "admin_password": "wrong"},
                {"admin_login": "nobody", "admin_password": "x"}):  # fmt: skip
        with pytest.raises(ReviewRefused):
            review.update_user(db, "sato", display_name="X", role=Role.ADMIN, group=None, **who)
        with pytest.raises(ReviewRefused):
            review.set_password(db, "sato", "new", **who)
        with pytest.raises(ReviewRefused):
            review.set_active(db, "sato", False, **who)
    assert review.find_user(db, "sato").display_name == "佐藤"
    assert _audit(db, "sato") == []


def test_promoting_to_reviewer_needs_a_password(db):
    with pytest.raises(UserError):
        review.update_user(
            db, "sato", display_name="佐藤", role=Role.SUPERVISOR, group=Group.OPERATIONS, **ADMIN
        )
    user = review.update_user(
        db, "sato", display_name="佐藤", role=Role.SUPERVISOR, group=Group.OPERATIONS,
        password="new-pass", **ADMIN,
    ).one(UserChanged).user  # fmt: skip
    assert user.role is Role.SUPERVISOR and user.has_password
    assert review.authenticate(db, "sato", "new-pass").login == "sato"
    assert ("admin", "password", None, password_token(_hash(db, "sato"))) in _audit(db, "sato")


def test_reset_password_never_logs_it(db):
    review.set_password(db, "suzuki", "秘密の新パス", **ADMIN)
    with pytest.raises(ReviewRefused):
        review.authenticate(db, "suzuki", "gyomu-pass")
    assert review.authenticate(db, "suzuki", "秘密の新パス").login == "suzuki"
    with pytest.raises(UserError):  # a reviewer cannot go without
        review.set_password(db, "suzuki", "", **ADMIN)
    con = sqlite3.connect(db.path)
    dump = "\n".join(con.iterdump())
    stored = con.execute("SELECT password_hash FROM users WHERE login='suzuki'").fetchone()[0]
    con.close()
    audit_text = "\n".join(line for line in dump.splitlines() if "audit_log" in line)
    assert "秘密の新パス" not in dump
    assert stored not in audit_text and "scrypt$" not in audit_text
    # That it changed, with a fingerprint of the salted hash (never the hash itself).
    assert _audit(db, "suzuki") == [("admin", "password", None, password_token(stored))]
    assert password_token(stored).startswith("(changed) sha256:")


def test_staff_password_can_be_set_and_removed(db):
    assert not review.find_user(db, "sato").has_password
    review.set_password(db, "sato", "pw", **ADMIN)
    assert review.find_user(db, "sato").has_password
    review.set_password(db, "sato", None, **ADMIN)
    assert not review.find_user(db, "sato").has_password
    logged = [r[3] for r in _audit(db, "sato")]
    assert logged[0].startswith("(changed) sha256:") and logged[1:] == ["(removed)"]


def test_deactivated_people_cannot_act_and_can_come_back(db):
    review.set_active(db, "suzuki", False, **ADMIN)
    assert not review.find_user(db, "suzuki").active
    with pytest.raises(ReviewRefused):
        review.authenticate(db, "suzuki", "gyomu-pass")
    with pytest.raises(ReviewRefused):
        review.sign_in(db, "suzuki", "gyomu-pass")
    review.set_active(db, "suzuki", True, **ADMIN)
    assert review.sign_in(db, "suzuki", "gyomu-pass").login == "suzuki"
    assert _audit(db, "suzuki") == [
        ("admin", "active", "true", "false"),
        ("admin", "active", "false", "true"),
    ]


def test_the_last_administrator_stays(db):
    with pytest.raises(ReviewRefused) as err:
        review.update_user(db, "admin", display_name="管理", role=Role.STAFF, group=None, **ADMIN)
    assert "最後の管理者" in err.value.message("ja")
    with pytest.raises(ReviewRefused):
        review.set_active(db, "admin", False, **ADMIN)
    # With a second administrator, the first may step down.
    review.update_user(db, "suzuki", display_name="鈴木", role=Role.ADMIN, group=None, **ADMIN)
    review.update_user(db, "admin", display_name="管理", role=Role.STAFF, group=None, **ADMIN)
    assert review.find_user(db, "admin").role is Role.STAFF
    second = {"admin_login": "suzuki", "admin_password": "gyomu-pass"}
    with pytest.raises(ReviewRefused):
        review.set_active(db, "suzuki", False, **second)
    review.set_active(db, "admin", False, **second)


def test_sign_in_needs_the_password_of_people_who_have_one(db):
    assert review.sign_in(db, "sato", None).login == "sato"  # staff without one: a pick
    assert review.sign_in(db, "suzuki", "gyomu-pass").role is Role.SUPERVISOR
    for login, password in (("suzuki", ""), ("suzuki", "x"), ("nobody", "x")):
        with pytest.raises(ReviewRefused):
            review.sign_in(db, login, password)


def test_unknown_user_is_a_clear_error(db):
    with pytest.raises(UserError) as err:
        review.set_password(db, "ghost", "pw", **ADMIN)
    assert "ghost" in err.value.message("en")
