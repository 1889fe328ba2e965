"""Reading the audit trail: filtered entries and an xlsx export for supervisors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from sqlalchemy import select

from desktop.files import write_atomically
from desktop.store.database import Database
from desktop.store.models import AuditRow
from desktop.workbooks.saving import save_workbook


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_key: str  # "13/2024/midyear/1.II.2.1"
    field: str
    old: str | None
    new: str | None

    @property
    def section(self) -> str:
        """The plan node or KPI the entry is about (the key's last part)."""
        return self.entity_key.rsplit("/", 1)[-1]


@dataclass(frozen=True, slots=True)
class AuditFilter:
    person: str | None = None
    section: str | None = None  # a node key; its items and KPIs match too
    field: str | None = None
    since: date | None = None
    until: date | None = None  # inclusive
    report: str | None = None  # "13/2024/midyear": entries of that report only

    def matches(self, e: AuditEntry) -> bool:
        if self.person and e.actor != self.person:
            return False
        if self.field and e.field != self.field:
            return False
        if self.report and not e.entity_key.startswith(self.report + "/"):
            return False
        if self.section:
            key, part = self.section.rstrip("."), e.section
            if not (part == key or part.startswith(key + ".")):
                return False
        return True


def entries(db: Database, flt: AuditFilter = AuditFilter()) -> list[AuditEntry]:
    """Entries matching the filter, newest first."""
    query = select(AuditRow).order_by(AuditRow.id.desc())
    if flt.person:
        query = query.where(AuditRow.actor == flt.person)
    if flt.field:
        query = query.where(AuditRow.field == flt.field)
    if flt.since:
        query = query.where(AuditRow.at >= _utc_start(flt.since))
    if flt.until:
        query = query.where(AuditRow.at < _utc_start(flt.until + timedelta(days=1)))
    with db.read() as session:
        out = [
            AuditEntry(
                r.id,
                r.at,
                r.actor,
                r.action,
                r.entity,
                r.entity_key,
                r.field,
                r.old_value,
                r.new_value,
            )
            for r in session.scalars(query)
        ]
    return [e for e in out if flt.matches(e)]


def _utc_start(day: date) -> datetime:
    # Days are the person's local days.
    return datetime.combine(day, time.min).astimezone()


HEADERS_JA = ["番号", "日時", "利用者", "操作", "対象", "対象キー", "項目", "変更前", "変更後"]


def export_xlsx(rows: list[AuditEntry], path: str | Path) -> Path:
    """The entries as a workbook a supervisor can filter in Excel (written atomically)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "変更履歴"
    ws.append(HEADERS_JA)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for e in rows:
        ws.append(
            [
                e.id,
                e.at.astimezone().replace(tzinfo=None),
                e.actor,
                e.action,
                e.entity,
                e.entity_key,
                e.field,
                e.old,
                e.new,
            ]
        )
    # What people typed is text, never a formula: "=1+1" in a status text stays "=1+1".
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
    for row in ws.iter_rows(min_row=2, min_col=2, max_col=2):
        row[0].number_format = "yyyy-mm-dd hh:mm:ss"
    for index, width in enumerate((8, 20, 14, 10, 12, 30, 16, 40, 40), start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    for row in ws.iter_rows(min_row=2, min_col=8, max_col=9):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    ws.page_setup.orientation = "landscape"
    ws.print_title_rows = "1:1"
    return write_atomically(path, lambda temp: save_workbook(wb, temp))
