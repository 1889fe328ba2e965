"""The audit trail viewer's service: filters and the xlsx export."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import event

from desktop.domain.model import Group, PeriodKind
from desktop.domain.review import Role
from desktop.services import audit_trail, editing, review
from desktop.services.audit_trail import AuditFilter
from desktop.services.editing import ReportRef

REF = ReportRef("13", 2024, PeriodKind.MIDYEAR)


def test_filters_by_person_section_field_and_date(demo_db):
    editing.set_entry_field(demo_db, REF, "1.II.2.1", "status_text", "実施した", actor="sato")
    editing.set_entry_field(demo_db, REF, "1.II.2.1", "mark", "◎", actor="suzuki")
    editing.set_measurement(demo_db, REF, "1.II.2.k2", value="98.5", actor="sato")
    by_sato = audit_trail.entries(demo_db, AuditFilter(person="sato"))
    assert [e.field for e in by_sato] == ["value", "status_text"]  # newest first
    section = audit_trail.entries(demo_db, AuditFilter(section="1.II.2", report=REF.key))
    assert {e.section for e in section} >= {"1.II.2.1", "1.II.2.k2"}  # and their creation
    assert all(e.section.startswith("1.II.2.") for e in section)
    assert {e.section for e in section if e.actor != "tester"} == {"1.II.2.1", "1.II.2.k2"}
    marks = audit_trail.entries(demo_db, AuditFilter(field="mark"))
    assert (marks[0].actor, marks[0].new) == ("suzuki", "◎")  # newest first
    assert {e.action for e in marks[1:]} == {"create_plan"}  # the demo's marks, as installed
    today = date.today()
    assert len(audit_trail.entries(demo_db, AuditFilter(since=today, until=today))) >= 3
    assert audit_trail.entries(demo_db, AuditFilter(until=today - timedelta(days=400))) == []


def test_export_is_a_readable_workbook_and_formulas_stay_text(demo_db, tmp_path):
    editing.set_entry_field(demo_db, REF, "1.II.2.1", "status_text", "=1+1 と入力", actor="sato")
    rows = audit_trail.entries(demo_db, AuditFilter(person="sato"))
    folder = tmp_path / "out"
    folder.mkdir()
    path = audit_trail.export_xlsx(demo_db, rows, folder / "変更履歴.xlsx")
    ws = load_workbook(path).active
    header = [c.value for c in ws[1]]
    assert header[:3] == ["番号", "日時", "利用者"]
    after = header.index("変更後") + 1
    assert ws.cell(2, after).value == "=1+1 と入力" and ws.cell(2, after).data_type == "s"
    assert ws.max_row == len(rows) + 1
    assert [p.name for p in folder.iterdir()] == ["変更履歴.xlsx"]


# --- in words people read ---------------------------------------------------------------


@pytest.fixture
def people(demo_db):
    review.add_user(demo_db, login="admin", display_name="管理 太郎", role=Role.ADMIN, password="a")
    for login, name, role, group, password in (
        ("sato", "佐藤 花子", Role.STAFF, Group.OPERATIONS, None),
        ("suzuki", "鈴木 次郎", Role.SUPERVISOR, Group.OPERATIONS, "s"),
    ):
        review.add_user(
            demo_db, login=login, display_name=name, role=role, group=group,
            password=password, admin_login="admin", admin_password="a",
        )  # fmt: skip
    return demo_db


def _history(db) -> None:
    editing.set_entry_field(db, REF, "1.II.2.1", "status_text", "実施した", actor="sato")
    editing.set_measurement(db, REF, "1.II.2.k2", value="98.5", as_of="2024-08", actor="sato")
    editing.set_monthly_actual(db, REF, "1.II.2.k2", 3, "97.1", actor="sato")
    review.submit(db, REF, ["1.II.2.1"], login="sato")
    review.approve(db, REF, ["1.II.2.1"], login="suzuki", password="s")


def test_entries_read_as_words_names_titles_and_labels(people):
    _history(people)
    rows = audit_trail.entries(people, AuditFilter(report=REF.key))
    words = audit_trail.readable_entries(people, rows, "ja")
    approved = next(w for w in words if w.entry.action == "approve")
    assert (approved.person, approved.action, approved.what) == ("鈴木 次郎", "承認", "確認・承認")
    assert (approved.field, approved.before, approved.after) == ("状態", "確認待ち", "承認済み")
    assert approved.item == "①迅速な業務処理とサービススタンダードの遵守"
    assert approved.report == "13 東京支部 令和6年度・上期"
    text = next(w for w in words if w.entry.field == "status_text")
    assert (text.person, text.action, text.field, text.after) == (
        "佐藤 花子",
        "編集",
        "実施状況",
        "実施した",
    )
    value = next(w for w in words if w.entry.entity == "measurement" and w.entry.field == "value")
    assert value.item == "２）現金給付等の申請に係る郵送化率" and value.what == "KPI実績"
    assert value.where == "（２）サービス水準の向上" and value.field == "実績"
    as_of = next(w for w in words if w.entry.field == "as_of")
    assert as_of.after == "令和6年8月"
    # What the log keeps as a fingerprint (for `plandesk check`) reads as words.
    content = next(w for w in words if w.entry.field == "approved_content")
    assert content.entry.new.startswith("sha256:") and content.after == "承認した内容を記録"
    assert not any("sha256" in (w.before + w.after) for w in words)
    english = audit_trail.readable_entries(people, rows, "en")
    assert {w.action for w in english} >= {"Approved", "Submitted", "Edited"}
    assert next(w for w in english if w.entry.action == "approve").after == "Approved"
    # Monthly figures: the KPI and the month (not the month as the "section"); they
    # belong to the year, so to this report too.
    monthly = audit_trail.entries(people, AuditFilter(section="1.II.2", report=REF.key))
    (month,) = [w for w in audit_trail.readable_entries(people, monthly) if w.what == "月次実績"]
    assert month.item == "２）現金給付等の申請に係る郵送化率 令和6年6月"
    # People changes name the person, in words.
    added = audit_trail.readable_entries(
        people, audit_trail.entries(people, AuditFilter(field="role"))
    )
    assert {(w.item, w.after) for w in added} >= {
        ("佐藤 花子", "担当者"),
        ("鈴木 次郎", "グループ長"),
    }


def test_names_are_read_with_one_query_each_not_per_row(people):
    _history(people)
    for i in range(40):
        editing.set_entry_field(people, REF, "1.II.2.2", "next_steps", f"予定{i}", actor="sato")
    rows = audit_trail.entries(people)
    assert len(rows) > 45
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(people.engine, "before_cursor_execute", count)
    try:
        audit_trail.names_for(people, rows)
    finally:
        event.remove(people.engine, "before_cursor_execute", count)
    assert len(statements) == 3  # people, sections, KPIs


def test_the_export_has_the_viewers_words_and_keeps_the_keys(people, tmp_path):
    _history(people)
    rows = audit_trail.entries(people, AuditFilter(report=REF.key))
    path = audit_trail.export_xlsx(people, rows, tmp_path / "audit.xlsx")
    ws = load_workbook(path).active
    header = [c.value for c in ws[1]]
    lines = [
        dict(zip(header, (c.value for c in row), strict=True)) for row in ws.iter_rows(min_row=2)
    ]
    approved = next(line for line in lines if line["操作"] == "承認")
    assert approved["利用者"] == "鈴木 次郎" and approved["ログイン名"] == "suzuki"
    assert approved["変更後"] == "承認済み" and approved["項目・KPI"].startswith("①迅速な")
    assert approved["対象キー"] == f"{REF.key}/1.II.2.1"
    assert not any(line["操作"] in ("approve", "submit", "edit") for line in lines)
