"""The audit trail viewer's service: filters and the xlsx export."""

from __future__ import annotations

from datetime import date, timedelta

from openpyxl import load_workbook

from desktop.domain.model import PeriodKind
from desktop.services import audit_trail, editing
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
    path = audit_trail.export_xlsx(rows, folder / "変更履歴.xlsx")
    ws = load_workbook(path).active
    assert [c.value for c in ws[1]][:3] == ["番号", "日時", "利用者"]
    assert ws["I2"].value == "=1+1 と入力" and ws["I2"].data_type == "s"
    assert ws.max_row == len(rows) + 1
    assert [p.name for p in folder.iterdir()] == ["変更履歴.xlsx"]
