"""The streaming reader (expat over just the parts it needs) against openpyxl.

HQ's consolidation and ``verify`` read workbooks with ``xlsx_cells`` (expat,
the parts ``safety`` decompressed and checked); openpyxl, which read them
before, stays the writer. Here both read the same files — every demo
submission HQ consolidates, and a work file, a template, a submission and a
benchmark pack — and must agree on every cell of every sheet, and on the data
the hidden tables make (Decimals as entered). A crafted sheet adds what
PlanDesk never writes but Excel and LibreOffice do: shared strings, rich text
with phonetic guides, numbers with exponents, booleans, dates, errors and
formulas.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.datetime import to_excel

from desktop.domain.model import PeriodKind
from desktop.services.benchmarks import write_pack
from desktop.services.consolidation import consolidate_folder
from desktop.services.demo_submissions import write_demo_submissions
from desktop.workbooks.cell_text import unstore
from desktop.workbooks.hidden_tables import tables_for
from desktop.workbooks.machine import MANIFEST_SHEET, ROW_HASH, Kind
from desktop.workbooks.reader import read_workbook
from desktop.workbooks.row_codec import data_from_tables
from desktop.workbooks.safety import load_checked_parts
from desktop.workbooks.writer import write_workbook
from desktop.workbooks.xlsx_cells import Book
from tests.workbooks.helpers import tokyo


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The 47 signed-off demo submissions HQ's benchmark consolidates."""
    return write_demo_submissions(tmp_path_factory.mktemp("demo") / "share")


@pytest.fixture(scope="module")
def kinds(tmp_path_factory: pytest.TempPathFactory, demo: list[Path]) -> dict[str, Path]:
    """One file of every kind PlanDesk writes and reads back."""
    folder = tmp_path_factory.mktemp("kinds")
    files = {}
    for kind in (Kind.SUBMISSION, Kind.WORK, Kind.TEMPLATE):
        files[kind.value] = folder / f"{kind.value}.xlsx"
        write_workbook(tokyo(kind), files[kind.value])
    result = consolidate_folder(demo[0].parent, fiscal_year=2024, period=PeriodKind.MIDYEAR)
    files["benchmark_pack"] = write_pack(result, folder / "pack.xlsx", actor="hq")
    return files


def openpyxl_cells(path: Path) -> dict[str, dict[tuple[int, int], tuple[str | None, bool]]]:
    """Every cell openpyxl reads, per sheet, as (text the streaming reader gives,
    formula?): numbers as openpyxl gives them, booleans as True/False, dates
    back to their serial number, stored strings with their _xHHHH_ escapes
    undone (as Excel shows them; openpyxl leaves them)."""
    book = openpyxl.load_workbook(path)
    out = {}
    for ws in book.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if value is None or value == "":
                    continue
                if cell.data_type == "f":
                    cells[(cell.row, cell.column)] = (None, True)
                elif isinstance(value, bool):
                    cells[(cell.row, cell.column)] = (str(value), False)
                elif isinstance(value, datetime | date | time):
                    cells[(cell.row, cell.column)] = (("date", to_excel(value)), False)
                elif isinstance(value, str):
                    cells[(cell.row, cell.column)] = (unstore(value), False)
                else:
                    cells[(cell.row, cell.column)] = (str(value), False)
        out[ws.title] = cells
    return out


def streamed_cells(path: Path) -> dict[str, dict[tuple[int, int], tuple[object, bool]]]:
    book = Book(load_checked_parts(path))
    out = {}
    for entry in book.sheets:
        cells = {}
        for place, value in book.sheet(entry).cells.items():
            text: object = None if value.formula else value.text
            if value.kind == "n" and book.styles().number_formats and value.style:
                number_format = book.styles().number_formats[value.style]
                if number_format in range(14, 23) or number_format in range(45, 48):
                    text = ("date", float(value.text))  # openpyxl makes these datetimes
            cells[place] = (text, value.formula)
        out[entry.name] = cells
    return out


def _same_cells(path: Path) -> None:
    ours, theirs = streamed_cells(path), openpyxl_cells(path)
    assert list(ours) == list(theirs)
    for sheet in ours:
        mine, other = ours[sheet], theirs[sheet]
        assert mine.keys() == other.keys(), (path.name, sheet)
        for place, (text, formula) in mine.items():
            their_text, their_formula = other[place]
            assert formula == their_formula, (path.name, sheet, place)
            if isinstance(text, tuple):  # a date: the same instant, to the millisecond
                assert abs(text[1] - their_text[1]) < 1e-8, (path.name, sheet, place)
            elif not formula:
                assert text == their_text, (path.name, sheet, place)


def test_every_cell_of_every_demo_submission_reads_as_openpyxl_reads_it(demo: list[Path]):
    assert len(demo) == 47
    for path in demo:
        _same_cells(path)


@pytest.mark.parametrize("kind", ["submission", "work", "template", "benchmark_pack"])
def test_every_cell_of_each_kind_reads_as_openpyxl_reads_it(kinds: dict[str, Path], kind: str):
    _same_cells(kinds[kind])


def _data_through_openpyxl(path: Path):
    """The file's data as the reader before did it: openpyxl read-only over the
    hidden tables, every cell as text, then the same checks of the values."""
    book = openpyxl.load_workbook(path, read_only=True)

    def rows(sheet: str, width: int) -> list[list[str | None]]:
        ws = book[sheet]
        ws.reset_dimensions()
        return [
            ([None if v is None else unstore(str(v)) for v in row] + [None] * width)[:width]
            for row in ws.iter_rows(values_only=True)
        ]

    manifest = {k: v for k, v in rows(MANIFEST_SHEET, 2)[1:] if k is not None}
    tables = {}
    for table in tables_for(int(manifest["format_version"])):
        found = rows(table.sheet, len(table.names) + 1)
        assert found[0] == [*table.names, ROW_HASH]
        tables[table.sheet] = [row[:-1] for row in found[1:]]
    book.close()
    return data_from_tables(manifest, tables)


def test_the_data_of_every_demo_submission_is_what_openpyxl_makes_of_it(demo: list[Path]):
    for path in demo:
        assert read_workbook(path) == _data_through_openpyxl(path), path.name


@pytest.mark.parametrize("kind", [Kind.SUBMISSION, Kind.WORK, Kind.TEMPLATE])
def test_each_kind_reads_back_exactly_as_written(kind: Kind, tmp_path: Path):
    """Decimals as entered (1.50 stays 1.50), months, stamps, flags and texts."""
    path = tmp_path / "book.xlsx"
    written = write_workbook(tokyo(kind), path)
    assert read_workbook(path) == written == _data_through_openpyxl(path)


# --- what Excel and LibreOffice write ------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_SHARED = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{_MAIN}" count="4">'
    "<si><t>共有の文字列</t></si>"
    "<si><r><t>太字</t></r><r><rPr><b/></rPr><t>と普通</t></r>"
    '<rPh sb="0" eb="2"><t>ふりがな</t></rPh></si>'
    '<si><t xml:space="preserve">  前後の空白  </t></si>'
    "<si><t>_x0041_ は A</t></si>"
    "</sst>"
)
_SHEET = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{_MAIN}">'
    "<sheetData>"
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
    '<c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>'
    '<row r="2"><c r="A2"><v>12</v></c><c r="B2" t="n"><v>1.5</v></c>'
    '<c r="C2"><v>1E-3</v></c><c r="D2"><v>-0</v></c></row>'
    '<row r="3"><c r="A3" t="b"><v>1</v></c><c r="B3" t="b"><v>0</v></c>'
    '<c r="C3" t="e"><v>#N/A</v></c><c r="D3" s="1"><v>45413.5</v></c></row>'
    '<row r="4"><c r="A4" t="inlineStr"><is><r><t>リッチ</t></r><r><t>テキスト</t></r></is></c>'
    '<c r="B4"><f>SUM(A2:B2)</f><v>13.5</v></c>'
    '<c r="C4" t="str"><f>"a"&amp;"b"</f><v>ab</v></c></row>'
    "</sheetData></worksheet>"
)
_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="{_MAIN}">'
    '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>'
    "</styleSheet>"
)


def _crafted(path: Path) -> Path:
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org'
            '/package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName='
            '"/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}"><Relationship '
            f'Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
            '<sheets><sheet name="表" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}">'
            f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId3" Type="{_REL}/styles" Target="styles.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": _SHEET,
        "xl/sharedStrings.xml": _SHARED,
        "xl/styles.xml": _STYLES,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode("utf-8"))
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.filterwarnings("ignore:Workbook contains no default style")
def test_shared_strings_rich_text_numbers_booleans_dates_errors_and_formulas(tmp_path: Path):
    path = _crafted(tmp_path / "excel.xlsx")
    _same_cells(path)
    cells = streamed_cells(path)["表"]
    assert cells[(1, 2)] == ("太字と普通", False)  # the runs, never the phonetic guide
    assert cells[(1, 3)] == ("  前後の空白  ", False)
    assert cells[(1, 4)] == ("A は A", False)
    assert [cells[(2, c)][0] for c in (1, 2, 3, 4)] == ["12", "1.5", "0.001", "0"]
    assert [cells[(3, c)][0] for c in (1, 2, 3)] == ["True", "False", "#N/A"]
    assert cells[(3, 4)] == (("date", 45413.5), False)
    assert cells[(4, 1)] == ("リッチテキスト", False)
    assert cells[(4, 2)] == (None, True) and cells[(4, 3)] == (None, True)
