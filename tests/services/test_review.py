"""Review and sign-off rules, enforced by the services on a real database."""

from __future__ import annotations

import sqlite3

import pytest

from desktop.domain.errors import UserError
from desktop.domain.model import Group, PeriodKind
from desktop.domain.passwords import hash_password, verify_password
from desktop.domain.review import ReviewRefused, Role, SectionState, text_diff
from desktop.services import editing, plans, review
from desktop.services.changes import SignedOff
from desktop.services.check import check_database
from desktop.services.editing import ReportRef

REF = ReportRef("13", 2023, PeriodKind.MIDYEAR)
SECTION = "1.4"  # ④現金給付の適正化の推進 (業務), with its own KPI 1.4.k1
OTHER = "2.2"  # ②広報 (企画総務)


@pytest.fixture
def db(demo_db):
    review.add_user(
        demo_db, login="admin", display_name="管理 太郎", role=Role.STAFF, password="a-pass"
    )
    for login, name, role, group, password in (
        ("sato", "佐藤", Role.STAFF, Group.OPERATIONS, None),
        ("suzuki", "鈴木", Role.SUPERVISOR, Group.OPERATIONS, "gyomu-pass"),
        ("takahashi", "高橋", Role.SUPERVISOR, Group.PLANNING, "kikaku-pass"),
        ("tanaka", "田中", Role.BRANCH_HEAD, None, "head-pass"),
    ):
        review.add_user(
            demo_db,
            login=login,
            display_name=name,
            role=role,
            group=group,
            password=password,
            admin_login="admin",
            admin_password="a-pass",
        )
    return demo_db


def state(db, key=SECTION):
    return review.section_states(db, REF)[key]


def test_first_user_becomes_admin_and_only_admins_add_people(db):
    assert review.find_user(db, "admin").role is Role.ADMIN
    with pytest.raises(ReviewRefused):
        review.add_user(
            db, login="x", display_name="X", role=Role.STAFF, admin_login="tanaka",
            admin_password="head-pass",
        )  # fmt: skip
    with pytest.raises(ReviewRefused):
        review.add_user(
            db, login="x", display_name="X", role=Role.STAFF, admin_login="admin",
            admin_password="wrong",
        )  # fmt: skip
    with pytest.raises(UserError):  # a reviewer needs a password
        review.add_user(
            db, login="x", display_name="X", role=Role.SUPERVISOR, group=Group.HEALTH,
            admin_login="admin", admin_password="a-pass",
        )  # fmt: skip
    con = sqlite3.connect(db.path)
    stored = con.execute("SELECT password_hash FROM users WHERE login='suzuki'").fetchone()[0]
    con.close()
    assert "gyomu-pass" not in stored and stored.startswith("scrypt$")


def test_passwords_are_salted_scrypt():
    a, b = hash_password("秘密のパスワード"), hash_password("秘密のパスワード")
    assert a != b  # salted
    assert verify_password("秘密のパスワード", a) and not verify_password("秘密", a)
    assert not verify_password("x", None) and not verify_password("x", "garbage")


def test_the_whole_path_to_sign_off(db):
    assert state(db) is SectionState.DRAFT
    review.submit(db, REF, [SECTION], login="sato")
    assert state(db) is SectionState.SUBMITTED
    queue = review.queue(db, REF, login="suzuki")
    assert [q.node_key for q in queue] == [SECTION] and queue[0].submitted_by == "sato"
    assert review.queue(db, REF, login="takahashi") == []  # not their group
    assert review.queue(db, REF, login="sato") == []  # staff review nothing

    review.return_section(
        db,
        REF,
        SECTION,
        login="suzuki",
        password="gyomu-pass",
        comment="実績の時点を確認してください",
    )
    assert state(db) is SectionState.RETURNED
    thread = review.thread(db, REF, SECTION)
    assert [(c.author, c.action) for c in thread] == [("sato", "submit"), ("suzuki", "return")]
    assert thread[-1].text == "実績の時点を確認してください"
    editing.set_entry_field(db, REF, SECTION, "mark", "△", actor="sato")  # returned: editable
    review.submit(db, REF, [SECTION], login="sato")
    review.approve(db, REF, [SECTION], login="suzuki", password="gyomu-pass")
    assert state(db) is SectionState.APPROVED

    # Signing off needs every section settled: it names what is still open.
    with pytest.raises(ReviewRefused) as err:
        review.sign_off(db, REF, login="tanaka", password="head-pass")
    assert "未承認の項目" in err.value.message("ja")
    others = [k for k, s in review.section_states(db, REF).items() if not s.settled]
    review.submit(db, REF, others, login="sato")
    plan = plans.get_plan(db, "13", 2023)
    gyomu = [k for k in others if plan.effective_group(k) is Group.OPERATIONS]
    review.approve(db, REF, gyomu, login="suzuki", password="gyomu-pass")
    rest = [k for k in others if k not in gyomu]
    review.except_section(
        db, REF, rest[0], login="tanaka", password="head-pass", reason="今期は報告対象外"
    )
    review.approve(db, REF, rest[1:], login="tanaka", password="head-pass")
    signed = review.sign_off(db, REF, login="tanaka", password="head-pass").one(SignedOff)
    assert review.signed_off(db, REF) == review.SignOff(signed.signed_by, signed.signed_at)

    # Nothing in a signed-off report changes, whoever tries.
    with pytest.raises(ReviewRefused):
        editing.set_entry_field(db, REF, SECTION, "status_text", "変更", actor="tanaka")
    with pytest.raises(ReviewRefused):
        editing.set_measurement(db, REF, "1.4.k1", value="0.80", actor="tanaka")
    with pytest.raises(ReviewRefused):
        review.reopen(db, REF, SECTION, login="tanaka", password="head-pass", reason="訂正")
    with pytest.raises(ReviewRefused):
        review.sign_off(db, REF, login="tanaka", password="head-pass")
    assert check_database(db).ok


def test_refusals_per_role(db):
    review.submit(db, REF, [SECTION, OTHER], login="sato")
    with pytest.raises(ReviewRefused):  # staff cannot approve (even with a password)
        review.approve(db, REF, [SECTION], login="sato", password="")
    with pytest.raises(ReviewRefused):  # another group's supervisor
        review.approve(db, REF, [SECTION], login="takahashi", password="kikaku-pass")
    with pytest.raises(ReviewRefused):  # wrong password
        review.approve(db, REF, [SECTION], login="suzuki", password="nope")
    with pytest.raises(ReviewRefused):  # a return needs a comment
        review.return_section(db, REF, SECTION, login="suzuki", password="gyomu-pass", comment=" ")
    with pytest.raises(ReviewRefused):  # approve is all or nothing: OTHER is not suzuki's
        review.approve(db, REF, [SECTION, OTHER], login="suzuki", password="gyomu-pass")
    assert state(db) is SectionState.SUBMITTED
    with pytest.raises(ReviewRefused):  # only the branch head excepts
        review.except_section(db, REF, OTHER, login="suzuki", password="gyomu-pass", reason="x")
    with pytest.raises(ReviewRefused):  # a draft cannot be approved
        review.approve(db, REF, ["1.1"], login="suzuki", password="gyomu-pass")
    with pytest.raises(ReviewRefused):  # nor signed off by a supervisor
        review.sign_off(db, REF, login="suzuki", password="gyomu-pass")
    with pytest.raises(ReviewRefused):  # unknown people submit nothing
        review.submit(db, REF, ["1.1"], login="stranger")


def test_headings_are_not_reviewed_on_their_own(db):
    """Only the sections people report on carry a review state (as the app offers)."""
    ref = ReportRef("13", 2024, PeriodKind.MIDYEAR)  # its plan has headings without text
    plan = plans.get_plan(db, "13", 2024)
    pillar = next(n.key for n in plan.nodes if n.parent_key is None)
    heading = next(
        n.key for n in plan.nodes if n.parent_key is not None and not plan.is_reportable(n.key)
    )
    for key in (pillar, heading):
        with pytest.raises(ReviewRefused, match="heading"):
            review.submit(db, ref, [key], login="sato")
        with pytest.raises(ReviewRefused, match="heading"):
            review.except_section(db, ref, key, login="tanaka", password="head-pass", reason="x")
    con = sqlite3.connect(db.path)
    assert con.execute("SELECT count(*) FROM section_reviews").fetchone()[0] == 0
    con.close()


def test_approved_is_read_only_until_reopened_and_an_edit_sends_it_back(db):
    review.submit(db, REF, [SECTION], login="sato")
    review.approve(db, REF, [SECTION], login="suzuki", password="gyomu-pass")
    with pytest.raises(ReviewRefused) as err:
        editing.set_entry_field(db, REF, SECTION, "status_text", "追記", actor="sato")
    assert "再編集" in err.value.message("ja")
    with pytest.raises(ReviewRefused):  # the section's KPI is locked with it
        editing.set_measurement(db, REF, "1.4.k1", value="0.80", actor="sato")
    with pytest.raises(ReviewRefused):  # reopening needs a reason
        review.reopen(db, REF, SECTION, login="suzuki", password="gyomu-pass", reason="")
    with pytest.raises(ReviewRefused):  # and the right person
        review.reopen(db, REF, SECTION, login="takahashi", password="kikaku-pass", reason="訂正")
    review.reopen(db, REF, SECTION, login="suzuki", password="gyomu-pass", reason="数値の訂正")
    assert state(db) is SectionState.REOPENED
    editing.set_measurement(db, REF, "1.4.k1", value="0.80", actor="sato")
    assert state(db) is SectionState.SUBMITTED  # back in the supervisor's queue
    changes = review.changes_since_approval(db, REF, SECTION)
    assert changes.approved_before and changes.kpis == {"1.4.k1": ("0.84", "0.80")}
    assert changes.texts == {} and changes.mark is None


def test_changes_since_approval_diff_by_character_runs(db):
    editing.set_entry_field(db, REF, SECTION, "status_text", "文書照会を実施。", actor="sato")
    review.submit(db, REF, [SECTION], login="sato")
    review.approve(db, REF, [SECTION], login="suzuki", password="gyomu-pass")
    review.reopen(db, REF, SECTION, login="suzuki", password="gyomu-pass", reason="追記")
    editing.set_entry_field(
        db, REF, SECTION, "status_text", "文書照会を9,073件実施。", actor="sato"
    )
    runs = review.changes_since_approval(db, REF, SECTION).texts["status_text"]
    assert [(r.op, r.text) for r in runs] == [
        ("same", "文書照会を"),
        ("added", "9,073件"),
        ("same", "実施。"),
    ]


def test_text_diff_merges_runs():
    runs = text_diff("郵送化率は98.2％", "郵送化率は98.5％に上昇")
    assert [(r.op, r.text) for r in runs] == [
        ("same", "郵送化率は98."),
        ("removed", "2"),
        ("added", "5"),
        ("same", "％"),
        ("added", "に上昇"),
    ]
    assert text_diff("", "") == []


def test_review_actions_are_in_the_audit_chain(db):
    review.submit(db, REF, [SECTION], login="sato")
    review.add_comment(db, REF, SECTION, login="suzuki", text="確認します")
    con = sqlite3.connect(db.path)
    rows = con.execute(
        "SELECT actor, action, entity, old_value, new_value FROM audit_log "
        "WHERE entity IN ('review', 'comment') ORDER BY id"
    ).fetchall()
    con.close()
    assert rows == [
        ("sato", "submit", "review", "draft", "submitted"),
        ("suzuki", "comment", "comment", None, "確認します"),
    ]
    assert check_database(db).ok


def test_a_headings_kpi_locks_when_all_its_sections_are_settled(db):
    ref = ReportRef("13", 2024, PeriodKind.MIDYEAR)
    items = [n.key for n in plans.get_plan(db, "13", 2024).children("1.II.2")]
    review.submit(db, ref, items, login="sato")
    review.approve(db, ref, items[:-1], login="suzuki", password="gyomu-pass")
    editing.set_measurement(db, ref, "1.II.2.k2", value="98.3", actor="sato")  # one still open
    review.approve(db, ref, items[-1:], login="suzuki", password="gyomu-pass")
    with pytest.raises(ReviewRefused) as err:
        editing.set_measurement(db, ref, "1.II.2.k2", value="98.5", actor="sato")
    assert "承認済み" in err.value.message("ja")
