"""`plandesk check` holds what is stored against the audit trail (A6), in the person's
language (B22). Edits made with the sqlite3 module directly on a real file — no audit
entry — are found and named; a database after every kind of PlanDesk work is OK."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.domain.model import Group, PeriodKind
from desktop.domain.review import Role
from desktop.services import editing, exchange, plans, review, rollover
from desktop.services.check import check_database
from desktop.services.editing import ReportRef
from desktop.store.database import open_database
from desktop.workbooks.machine import Kind

REF23 = ReportRef("13", 2023, PeriodKind.MIDYEAR)
REF24 = ReportRef("13", 2024, PeriodKind.MIDYEAR)
ADMIN = {"admin_login": "admin", "admin_password": "a-pass"}


def _people(db) -> None:
    review.add_user(db, login="admin", display_name="管理 太郎", role=Role.STAFF, password="a-pass")
    for login, name, role, group, password in (
        ("sato", "佐藤", Role.STAFF, Group.OPERATIONS, None),
        ("suzuki", "鈴木", Role.SUPERVISOR, Group.OPERATIONS, "gyomu-pass"),
        ("tanaka", "田中", Role.BRANCH_HEAD, None, "head-pass"),
    ):
        review.add_user(db, login=login, display_name=name, role=role, group=group,
                        password=password, **ADMIN)  # fmt: skip
    review.update_user(db, "sato", display_name="佐藤 花子", role=Role.STAFF,
                       group=Group.HEALTH, **ADMIN)  # fmt: skip
    review.set_password(db, "sato", "pw", **ADMIN)
    review.set_password(db, "sato", None, **ADMIN)
    review.set_active(db, "sato", False, **ADMIN)
    review.set_active(db, "sato", True, **ADMIN)


def _edits(db) -> None:
    editing.set_entry_field(db, REF24, "1.II.2.2", "status_text", "郵送の案内を送付した",
                            actor="sato")  # fmt: skip
    editing.set_entry_field(db, REF24, "1.II.2.2", "mark", "◎", actor="sato")
    editing.set_entry_field(db, REF24, "1.II.2.2", "mark_reason", "", actor="sato")
    editing.set_measurement(db, REF24, "1.II.2.k2", actor="sato", value="９７．１", as_of="R6.9",
                            preliminary=True)  # fmt: skip
    editing.set_measurement(db, REF24, "1.II.4.k1", actor="sato", unavailable_reason="集計中")
    editing.set_monthly_actual(db, REF24, "1.II.2.k2", 3, "96.50", actor="sato")
    editing.set_monthly_actual(db, REF24, "1.II.2.k2", 4, "97", actor="sato")
    editing.set_monthly_actual(db, REF24, "1.II.2.k2", 4, "", actor="sato")  # cleared again
    annual = ReportRef("13", 2024, PeriodKind.ANNUAL)  # a report that did not exist yet
    editing.set_entry_field(db, annual, "1.II.2.2", "status_text", "年度末の状況", actor="sato")


def _reviews(db) -> None:
    states = review.section_states(db, REF23)
    review.submit(db, REF23, list(states), login="sato")
    first = next(iter(states))
    review.return_section(db, REF23, first, login="tanaka", password="head-pass", comment="確認")
    editing.set_entry_field(db, REF23, first, "status_text", "直した", actor="sato")
    review.submit(db, REF23, [first], login="sato")
    others = [k for k in states if k != first]
    review.approve(db, REF23, [first, *others[1:]], login="tanaka", password="head-pass")
    review.except_section(db, REF23, others[0], login="tanaka", password="head-pass",
                          reason="対象外")  # fmt: skip
    review.reopen(db, REF23, first, login="tanaka", password="head-pass", reason="訂正")
    editing.set_entry_field(db, REF23, first, "next_steps", "再提出", actor="sato")  # resubmits
    review.approve(db, REF23, [first], login="tanaka", password="head-pass")
    review.add_comment(db, REF23, first, login="sato", text="ありがとうございます")
    review.sign_off(db, REF23, login="tanaka", password="head-pass")


def _exchange(db, folder: Path) -> None:
    """A work file to a new database (which creates the plan) and back, and the
    signed-off submission into a third one."""
    out = folder / "out"
    out.mkdir()
    work = exchange.export_workbook(db, branch="13", fiscal_year=2024, kind=Kind.WORK, out=out,
                                    actor="sato", period=PeriodKind.MIDYEAR).path  # fmt: skip
    with open_database(folder / "group.sqlite3", create=True) as group:
        exchange.apply_import(group, exchange.preview_import(group, work), actor="g")
        editing.set_entry_field(group, REF24, "2.II.3", "status_text", "健診の案内", actor="g")
        editing.set_monthly_actual(group, REF24, "1.II.2.k2", 5, "97.3", actor="g")
        assert check_database(group).ok
        back = exchange.export_workbook(group, branch="13", fiscal_year=2024, kind=Kind.WORK,
                                        out=out, actor="g", period=PeriodKind.MIDYEAR).path  # fmt: skip
    preview = exchange.preview_import(db, back)
    choices = {c.field: "theirs" for c in preview.conflicts}
    exchange.apply_import(db, preview, actor="sato", choices=choices)
    submission = exchange.export_workbook(db, branch="13", fiscal_year=2023, out=out,
                                          kind=Kind.SUBMISSION, actor="tanaka",
                                          period=PeriodKind.MIDYEAR).path  # fmt: skip
    with open_database(folder / "hq.sqlite3", create=True) as hq:
        exchange.apply_import(hq, exchange.preview_import(hq, submission), actor="hq")
        assert check_database(hq).ok


@pytest.fixture(scope="module")
def worked(tmp_path_factory) -> Path:
    """The demo after people, edits, reviews and a sign-off, exchange both ways, a
    rollover with a confirmation, a branch plan from the template, a demo re-install."""
    folder = tmp_path_factory.mktemp("worked")
    path = folder / "worked.sqlite3"
    with plans.init_database(path) as db:
        plans.install_demo(db, actor="setup")
        _people(db)
        _edits(db)
        _reviews(db)
        _exchange(db, folder)
        result = rollover.roll_over(db, "13", actor="suzuki")
        rollover.confirm_kpi(db, "13", result.fiscal_year, result.flagged[0].kpi_key,
                             actor="tanaka")  # fmt: skip
        editing.set_plan_text(db, ReportRef("13", result.fiscal_year, PeriodKind.MIDYEAR),
                              "1.II.2", "新しい計画の文章", actor="suzuki")  # fmt: skip
        plans.create_from_template(db, "08", actor="ibaraki")
        plans.install_plan(db, plans.bundled_plan(plans.HQ_TEMPLATE), actor="hq", replace=True)
    return path


def _check(capsys, path: Path, lang: str = "ja") -> tuple[int, str]:
    code = main(["check", "--db", str(path), "--lang", lang])
    return code, capsys.readouterr().out


def test_an_untouched_demo_database_is_ok(demo_db, capsys):
    demo_db.close()
    code, out = _check(capsys, demo_db.path)
    assert code == 0, out
    assert "問題は見つかりませんでした" in out


def test_a_database_after_every_kind_of_work_is_ok(worked, capsys):
    code, out = _check(capsys, worked, "en")
    assert code == 0, out
    assert re.search(r"all [\d,]+ stored values are as the audit trail says", out)


def _copy(worked: Path, tmp_path: Path) -> Path:
    path = tmp_path / "tampered.sqlite3"
    src = sqlite3.connect(worked)
    dst = sqlite3.connect(path)
    src.backup(dst)
    dst.close()
    src.close()
    return path


KPI = (
    "SELECT m.id FROM measurements m JOIN kpis k ON k.id = m.kpi_id JOIN reports r ON "
    "r.id = m.report_id JOIN plans p ON p.id = r.plan_id WHERE p.fiscal_year = 2024 AND "
    "r.period = 'midyear' AND k.key = '1.II.2.k2'"
)
ENTRY = (
    "SELECT e.id FROM section_entries e JOIN plan_nodes n ON n.id = e.node_id JOIN reports r "
    "ON r.id = e.report_id JOIN plans p ON p.id = r.plan_id WHERE p.fiscal_year = 2024 AND "
    "r.period = 'midyear' AND n.key = '1.II.2.2'"
)
MONTH = (
    "SELECT m.id FROM kpi_monthly m JOIN kpis k ON k.id = m.kpi_id JOIN plans p ON "
    "p.id = k.plan_id WHERE p.fiscal_year = 2024 AND k.key = '1.II.2.k2' AND m.fiscal_index = 3"
)
REVIEW = (
    "SELECT s.id FROM section_reviews s JOIN reports r ON r.id = s.report_id JOIN plans p "
    "ON p.id = r.plan_id WHERE p.fiscal_year = 2023 AND s.state = 'excepted'"
)

TAMPERING = {
    "measurement": (
        f"UPDATE measurements SET value = '99.9' WHERE id = ({KPI})",
        [
            "上期（進捗状況）・KPI 1.II.2.k2 現金給付等の申請に係る郵送化率・実績",
            "保存値「99.9」、監査ログ上の値「97.1」",
        ],
        [
            "KPI 1.II.2.k2 現金給付等の申請に係る郵送化率, actual: stored '99.9', "
            "the audit trail says '97.1'"
        ],
    ),
    "entry text": (
        f"UPDATE section_entries SET status_text = '書き換えた' WHERE id = ({ENTRY})",
        [
            "項目 1.II.2.2 ②郵送による申請の促進・実施状況",
            "保存値「書き換えた」",
            "監査ログ上の値「郵送の案内を送付した」",
        ],
        ["item 1.II.2.2 ②郵送による申請の促進, progress: stored '書き換えた'"],
    ),
    "monthly figure": (
        f"UPDATE kpi_monthly SET value = '1.5' WHERE id = ({MONTH})",
        ["令和6年6月・月次実績: 保存値「1.5」、監査ログ上の値「96.50」"],
        ["2024-06, monthly figure: stored '1.5', the audit trail says '96.50'"],
    ),
    "review state": (
        f"UPDATE section_reviews SET state = 'approved' WHERE id = ({REVIEW})",
        [
            "東京支部 令和5年度 上期（進捗状況）・項目",
            "確認・承認の状態: 保存値「承認済み」、監査ログ上の値「対象外」",
        ],
        ["review state: stored 'Approved', the audit trail says 'Excepted'"],
    ),
    "sign-off deleted": (
        "DELETE FROM report_signoffs",
        ["東京支部 令和5年度 上期（進捗状況）・支部長の決裁: 保存値「（空）」"],
        ["FY2023 Mid-year progress, sign-off: stored '(empty)'"],
    ),
    "row deleted": (
        f"DELETE FROM measurements WHERE id = ({KPI})",
        ["監査ログ上は「97.1」", "データベースにありません（削除されています）"],
        ["the audit trail says '97.1'", "not in the database (deleted)"],
    ),
    "value without an entry": (
        "INSERT INTO kpi_monthly (kpi_id, fiscal_index, value, entered_by, entered_at) "
        f"SELECT kpi_id, 9, '88', 'x', entered_at FROM kpi_monthly WHERE id = ({MONTH})",
        ["令和6年12月・月次実績: 保存値「88」は監査ログに記録がありません"],
        ["2024-12, monthly figure: stored '88' has no audit entry"],
    ),
    "KPI target": (
        "UPDATE kpis SET target = '50' WHERE key = '1.II.2.k2' AND plan_id = "
        "(SELECT id FROM plans WHERE fiscal_year = 2024)",
        ["令和6年度・KPI 1.II.2.k2 現金給付等の申請に係る郵送化率・目標値: 保存値「50」"],
        ["FY2024, KPI 1.II.2.k2 現金給付等の申請に係る郵送化率, target: stored '50'"],
    ),
    "role": (
        "UPDATE users SET role = 'admin' WHERE login = 'sato'",
        ["利用者 sato・役割: 保存値「管理者」、監査ログ上の値「担当者」"],
        ["user sato, role: stored 'Administrator', the audit trail says 'Staff'"],
    ),
    "password": (
        "UPDATE users SET password_hash = (SELECT password_hash FROM users "
        "WHERE login = 'admin') WHERE login = 'tanaka'",
        ["利用者 tanaka・パスワード"],
        ["user tanaka, password"],
    ),
    "a trigger": (
        "CREATE TRIGGER keep_it_met AFTER UPDATE ON measurements BEGIN "
        "UPDATE measurements SET value = '100' WHERE id = NEW.id; END",
        ["PlanDesk が作っていないトリガーがあります: keep_it_met"],
        ["triggers PlanDesk did not create: keep_it_met"],
    ),
    "sign-off by another": (
        "UPDATE report_signoffs SET signed_by = 'sato'",
        ["監査ログでは tanaka さんの操作", "データベースでは sato さん"],
        ["the audit trail says tanaka did it", "the database says sato"],
    ),
}


@pytest.mark.parametrize("what", list(TAMPERING))
def test_a_direct_edit_is_found_and_named(worked, tmp_path, capsys, what):
    sql, ja_words, en_words = TAMPERING[what]
    path = _copy(worked, tmp_path)
    con = sqlite3.connect(path)
    assert con.execute(sql).rowcount == 1 or what in ("sign-off deleted", "a trigger")
    con.commit()
    con.close()
    code, out = _check(capsys, path, "ja")
    assert code == 1 and "問題が見つかりました" in out
    for words in ja_words:
        assert words in out, out
    code, out = _check(capsys, path, "en")
    assert code == 1
    for words in en_words:
        assert words in out, out


def test_details_are_in_one_language_each(worked, tmp_path):
    """B22: Japanese details without English words, English ones without Japanese."""
    path = _copy(worked, tmp_path)
    con = sqlite3.connect(path)
    con.execute(f"UPDATE measurements SET value = '99.9' WHERE id = ({KPI})")
    con.execute("UPDATE audit_log SET actor = 'x' WHERE id = 7")
    con.commit()
    con.close()
    with open_database(path) as db:
        report = check_database(db)
    english = re.compile(r"\b(stored|entries|entry|row|problems?|intact|audit|trail|says)\b")
    japanese = re.compile(r"保存|監査|件|番|問題|値|ありません")
    assert not report.ok
    for f in report.findings:
        assert not english.search(f.detail.ja), f.detail.ja
        assert not japanese.search(f.detail.en), f.detail.en
    failed = [f for f in report.findings if not f.ok]
    assert {f.label.en for f in failed} == {
        "Audit trail hash chain",
        "Stored data against the audit trail",
    }


def test_the_cli_prints_each_detail_in_the_chosen_language(demo_db, capsys):
    demo_db.close()
    code, out = _check(capsys, demo_db.path, "ja")
    assert code == 0 and "entries intact" not in out and "no problems" not in out


def test_a_copy_without_its_audit_trail_is_not_vouched_for(worked, tmp_path, capsys):
    """Emptying the audit log by hand leaves every stored value unaccounted for."""
    path = tmp_path / "emptied.sqlite3"
    shutil.copy(worked, path)
    con = sqlite3.connect(path)
    con.execute("DELETE FROM audit_log")
    con.execute("DELETE FROM audit_head")
    con.commit()
    con.close()
    code, out = _check(capsys, path, "en")
    assert code == 1 and "has no audit entry" in out and "differ from the audit trail" in out


def test_every_code_in_the_audit_trail_has_words(worked):
    """The audit viewer shows words, not codes, for every action, kind of entry and
    field that the work above wrote (a new code without words fails here)."""
    import sqlite3

    from desktop.services.audit_labels import ACTION_LABELS, ENTITY_LABELS, FIELD_WORDS

    con = sqlite3.connect(worked)
    try:
        rows = con.execute("SELECT DISTINCT action, entity, field FROM audit_log").fetchall()
    finally:
        con.close()
    assert len(rows) > 20
    assert {a for a, _e, _f in rows} - ACTION_LABELS.keys() == set()
    assert {e for _a, e, _f in rows} - ENTITY_LABELS.keys() == set()
    assert {f for _a, _e, f in rows if f} - FIELD_WORDS.keys() == set()
