"""The audit trail as a workbook a supervisor can filter in Excel.

The sheet's layout lives here with the other xlsx formats; the service
(``desktop.services.audit_trail``) decides what the rows say.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from desktop.files import write_atomically
from desktop.workbooks.saving import save_workbook

# (header ja, header en, width); the last two keep the codes for traceability.
COLUMNS = (
    ("番号", "No.", 8),
    ("日時", "When", 20),
    ("利用者", "Person", 16),
    ("操作", "Action", 16),
    ("対象", "What", 14),
    ("報告", "Report", 26),
    ("項目・KPI", "Section / KPI", 40),
    ("項目（KPIの所属）", "Section of the KPI", 30),
    ("欄", "Field", 16),
    ("変更前", "Before", 40),
    ("変更後", "After", 40),
    ("ログイン名", "Login", 14),
    ("対象キー", "Key", 30),
)
_WRAPPED = ("変更前", "変更後")

# One row: the values of COLUMNS in order; the second is the local time, naive.
AuditRowValues = Sequence[int | str | datetime]


def write_audit_sheet(rows: Iterable[AuditRowValues], path: str | Path, lang: str = "ja") -> Path:
    """One sheet, a header row and the rows, written atomically to ``path``."""
    wb = Workbook()
    ws = wb.active
    ws.title = "変更履歴" if lang == "ja" else "Audit trail"
    ws.append([c[0] if lang == "ja" else c[1] for c in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for values in rows:
        ws.append(list(values))
    # What people typed is text, never a formula: "=1+1" in a status text stays "=1+1".
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
    for row in ws.iter_rows(min_row=2, min_col=2, max_col=2):
        row[0].number_format = "yyyy-mm-dd hh:mm:ss"
    for index, (ja, _en, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
        if ja in _WRAPPED:
            for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    ws.page_setup.orientation = "landscape"
    ws.print_title_rows = "1:1"
    return write_atomically(path, lambda temp: save_workbook(wb, temp))
