"""A workbook is untrusted input: every bad file gets one clear WorkbookError.

Each case builds a real bad file (from a real export where that makes sense)
and checks that the message names the problem, in Japanese and in English,
and the sheet and cell where that helps. Nothing else may escape the reader:
not BadZipFile, not zlib.error, not an XML ParseError.
"""

from __future__ import annotations

import errno
import io
import os
import random
import re
import zipfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from desktop.domain import limits
from desktop.domain.errors import UserError
from desktop.workbooks import cell_writer, hidden_tables, safety, writer
from desktop.workbooks.hidden_tables import TABLES
from desktop.workbooks.machine import (
    FORMAT_VERSION,
    MANIFEST_SHEET,
    Kind,
    WorkbookData,
    WorkbookError,
)
from desktop.workbooks.reader import DigestMismatch, read_workbook
from desktop.workbooks.writer import write_workbook
from tests.workbooks.archive_edits import ENTITIES as _ENTITIES
from tests.workbooks.archive_edits import crafted as _crafted
from tests.workbooks.archive_edits import member, rezip, sheet_part
from tests.workbooks.archive_edits import members_of as _members
from tests.workbooks.forging import manifest_line, resign
from tests.workbooks.helpers import edit, refused, tokyo

# --- a real export, and ways to take it apart -----------------------------------------


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, WorkbookData]:
    """The bytes of a real Tokyo FY2024 submission and the data it carries."""
    path = tmp_path_factory.mktemp("export") / "tokyo.xlsx"
    data = write_workbook(tokyo(), path)
    return path.read_bytes(), data


@pytest.fixture
def good(export: tuple[bytes, WorkbookData], tmp_path: Path) -> Path:
    path = tmp_path / "tokyo.xlsx"
    path.write_bytes(export[0])
    return path


def find_row(ws, column: int) -> int:
    """The first data line whose ``column`` holds a value."""
    for line in range(2, ws.max_row + 1):
        if ws.cell(line, column).value is not None:
            return line
    raise AssertionError("no row with a value")


# --- not a workbook at all -----------------------------------------------------------


def test_the_export_reads_back(good: Path, export):
    assert read_workbook(good) == export[1]


def test_a_text_file_renamed_xlsx(tmp_path: Path):
    path = tmp_path / "memo.xlsx"
    path.write_text("事業計画のメモ\nnot a workbook\n", encoding="utf-8")
    refused(path, "memo.xlsx", "Excel ブック（.xlsx）ではありません|not an Excel workbook")


def test_a_png_renamed_xlsx(tmp_path: Path):
    path = tmp_path / "chart.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    refused(path, "chart.xlsx", "ではありません|not an Excel workbook")


def test_an_empty_file(tmp_path: Path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    refused(path, "empty.xlsx", "ではありません|not an Excel workbook")


def test_a_missing_file_is_named(tmp_path: Path):
    refused(tmp_path / "gone.xlsx", "gone.xlsx", "開けません|Cannot open")


def test_a_zip_that_is_not_a_workbook(tmp_path: Path):
    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("photo.txt", "hello")
    refused(path, "ではありません|not an Excel workbook")


def test_a_truncated_file(good: Path):
    content = good.read_bytes()
    good.write_bytes(content[: len(content) // 2])
    refused(good, "tokyo.xlsx", "途中までしかコピーされていません|copied only in part")


@pytest.mark.parametrize("keep", [100, 2000, -1000, -22])
def test_files_cut_anywhere_are_damaged(good: Path, keep: int):
    content = good.read_bytes()
    good.write_bytes(content[:keep])
    refused(good, "tokyo.xlsx")


def test_an_oversized_file(good: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(safety, "MAX_FILE_BYTES", 10_000)
    refused(good, "tokyo.xlsx", "大きすぎます|too large", "10,000 bytes")


def test_an_archive_that_inflates_far_beyond_its_size(tmp_path: Path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            zeros = bytes(1024 * 1024)
            for _ in range(50):
                sheet.write(zeros)
    assert path.stat().st_size < 200_000  # 50 MB of zeros compress to ~50 KB
    refused(
        path,
        "xl/worksheets/sheet1.xml",
        "展開すると大きくなりすぎます|expands far beyond its size",
    )


def test_too_much_in_total_or_too_many_parts(good: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(safety, "MAX_TOTAL_UNCOMPRESSED", 50_000)
    refused(good, "展開すると大きくなりすぎます|expands far beyond its size")
    monkeypatch.undo()
    monkeypatch.setattr(safety, "MAX_MEMBERS", 5)
    refused(good, "中身が多すぎます|too many parts")


# --- XML tricks ----------------------------------------------------------------------


def test_a_doctype_in_the_workbook_part(good: Path):
    content = good.read_bytes()
    book = member(content, "xl/workbook.xml")
    good.write_bytes(rezip(content, {"xl/workbook.xml": _ENTITIES + book}))
    refused(good, "xl/workbook.xml", "DOCTYPE/ENTITY")


def test_a_doctype_behind_a_long_comment_in_a_sheet(good: Path):
    """A DOCTYPE after 10 KB of comment used to slip past a 4 KB prefix scan."""
    content = good.read_bytes()
    part = sheet_part(content, "_measurements")
    xml = member(content, part)
    padded = b"<!--" + b" " * 10_000 + b"-->" + _ENTITIES + xml
    good.write_bytes(rezip(content, {part: padded}))
    refused(good, part, "DOCTYPE/ENTITY")


def test_utf16_xml_is_refused(good: Path):
    """A DOCTYPE in UTF-16 has no b'<!DOCTYPE' bytes; Excel never writes UTF-16."""
    content = good.read_bytes()
    book = member(content, "xl/workbook.xml").decode("utf-8")
    good.write_bytes(rezip(content, {"xl/workbook.xml": book.encode("utf-16")}))
    refused(good, "xl/workbook.xml", "UTF-8")


def test_the_xml_parser_still_refuses_what_the_scan_misses(
    good: Path, monkeypatch: pytest.MonkeyPatch
):
    """The byte scan is the first guard; the parser (expat, with DOCTYPE and entity
    declarations refused) is the second."""
    content = good.read_bytes()
    part = sheet_part(content, "_manifest")
    good.write_bytes(rezip(content, {part: _ENTITIES + member(content, part)}))
    monkeypatch.setattr(safety, "_XML_TRAPS", (b"\x00never\x00",))
    refused(good, "tokyo.xlsx", "読めません|Cannot read")


# --- encrypted, old format, macros ---------------------------------------------------


def test_an_encrypted_or_old_format_file(tmp_path: Path):
    path = tmp_path / "secret.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    refused(path, "secret.xlsx", "パスワード付き|password-protected")


def test_an_encrypted_member(good: Path):
    content = bytearray(good.read_bytes())
    # Set the "encrypted" flag on the first entry of the central directory.
    central = content.index(b"PK\x01\x02")
    content[central + 8] |= 0x01
    good.write_bytes(bytes(content))
    refused(good, "暗号化されています|is encrypted")


def test_a_macro_part(good: Path):
    good.write_bytes(rezip(good.read_bytes(), {"xl/vbaProject.bin": b"\x00" * 512}))
    refused(good, "tokyo.xlsx", "マクロが含まれています|contains macros")


def test_a_macro_enabled_content_type(good: Path):
    content = good.read_bytes()
    types = member(content, "[Content_Types].xml").replace(
        b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml"
    )
    good.write_bytes(rezip(content, {"[Content_Types].xml": types}))
    refused(good, "マクロ|macros")


# --- a workbook, but not a good PlanDesk one -----------------------------------------


def test_a_formula_where_a_value_belongs(good: Path):
    def change(wb):
        wb["_measurements"]["B2"] = "=1+1"

    edit(good, change)
    refused(good, "数式|formula", "KPIの実績|KPI figures", "実績値|figure", cell="_measurements!B2")


def test_a_formula_in_the_manifest(good: Path):
    def change(wb):
        ws = wb[MANIFEST_SHEET]
        ws.cell(manifest_line(ws, "branch"), 2).value = '=HYPERLINK("http://x","13")'

    edit(good, change)
    refused(good, "数式|formula", "基本情報|basic data", cell=f"{MANIFEST_SHEET}!B")


def test_rules_for_suggested_marks_that_cannot_be_used(good: Path):
    def change(wb):
        ws = wb[MANIFEST_SHEET]
        ws.cell(manifest_line(ws, "mark_rules"), 2).value = '{"annual": {"steps": []}}'
        resign(wb)  # a forger: only the check of the rules themselves can stop it

    edit(good, change)
    refused(good, "評価の目安|rules for suggested marks", cell=f"{MANIFEST_SHEET}!mark_rules")


def test_an_unknown_format_version(good: Path):
    def change(wb):
        ws = wb[MANIFEST_SHEET]
        ws.cell(manifest_line(ws, "format_version"), 2).value = str(FORMAT_VERSION + 1)

    edit(good, change)
    newer = FORMAT_VERSION + 1
    refused(good, f"形式の版（{newer}）|format version {newer}", "PlanDesk を更新|Update PlanDesk")


def test_a_workbook_not_written_by_plandesk(tmp_path: Path):
    path = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "事業計画"
    wb.save(path)
    refused(path, "other.xlsx", "PlanDesk", cell="_manifest")


def test_a_foreign_manifest(good: Path):
    def change(wb):
        ws = wb[MANIFEST_SHEET]
        ws.cell(manifest_line(ws, "format"), 2).value = "someone.else"

    edit(good, change)
    refused(good, "PlanDesk のブックではありません|not a PlanDesk workbook")


@pytest.mark.parametrize("sheet", ["_kpis", "_measurements", "_bases"])
def test_a_missing_data_sheet(good: Path, sheet: str):
    edit(good, lambda wb: wb.remove(wb[sheet]))
    refused(good, "データ|data sheet", cell=sheet)


def test_a_wrong_header_row(good: Path):
    def change(wb):
        wb["_kpis"]["C1"] = "ラベル"

    edit(good, change)
    refused(good, "KPIの定義|KPI definitions", "見出し行|header row", cell="_kpis!1")


def test_a_value_outside_the_table(good: Path):
    def change(wb):
        wb["_entries"]["H3"] = "メモ"

    edit(good, change)
    refused(good, "表の外|outside its table", cell="_entries!3")


# --- edited by hand: the digest and the row hashes ----------------------------------


def test_one_number_changed_names_the_kpi_and_field(good: Path, export):
    changed = {}

    def change(wb):
        ws = wb["_measurements"]
        line = find_row(ws, 2)
        changed.update(line=line, kpi=ws.cell(line, 1).value, old=ws.cell(line, 2).value)
        ws.cell(line, 2).value = str(Decimal(ws.cell(line, 2).value) + 1)

    edit(good, change)
    kpi = next(k for k in export[1].plan.kpis if k.key == changed["kpi"])
    err = refused(good, f"KPI「{kpi.label}{kpi.name}」の「実績値」|figure of KPI '{kpi.label}")
    assert isinstance(err, DigestMismatch)
    assert [(r.sheet, r.line) for r in err.rows] == [("_measurements", changed["line"])]
    assert err.rows[0].columns == ("value",)
    assert "書き換えられています" in err.message("ja")
    assert "changed after it was written" in err.message("en")


def test_a_number_typed_as_a_number_is_caught_too(good: Path, export):
    """Typed in Excel, a figure becomes a number cell. A different figure is
    caught by the row hash; the same figure retyped reads as the same text."""
    line = {}

    def retype(delta):
        def change(wb):
            ws = wb["_measurements"]
            line["n"] = find_row(ws, 2)
            ws.cell(line["n"], 2).value = float(ws.cell(line["n"], 2).value) + delta

        return change

    edit(good, retype(0.5))
    err = refused(good, "実績値|figure")
    assert isinstance(err, DigestMismatch) and err.rows
    good.write_bytes(export[0])
    edit(good, retype(0))
    assert read_workbook(good) == export[1]


def test_a_changed_manifest(good: Path):
    def change(wb):
        ws = wb[MANIFEST_SHEET]
        ws.cell(manifest_line(ws, "created_by"), 2).value = "someone else"

    edit(good, change)
    err = refused(good, "確認用の値が一致しません|digest does not match", "基本情報|basic data")
    assert isinstance(err, DigestMismatch) and not err.rows and not err.counts


def test_a_changed_digest(good: Path):
    def change(wb):
        ws = wb[MANIFEST_SHEET]
        ws.cell(manifest_line(ws, "digest"), 2).value = "0" * 64

    edit(good, change)
    assert isinstance(refused(good, "確認用の値が一致しません|digest does not"), DigestMismatch)


def test_a_deleted_row_names_the_table(good: Path, export):
    edit(good, lambda wb: wb["_measurements"].delete_rows(3))
    written = len(export[1].report.measurements)
    err = refused(
        good,
        f"KPIの実績 ({written} → {written - 1})|KPI figures ({written} → {written - 1})",
        "削除または追加|deleted or added",
    )
    assert isinstance(err, DigestMismatch)


def test_an_added_row_names_the_table(good: Path, export):
    def change(wb):
        ws = wb["_entries"]
        ws.append([ws.cell(2, c).value for c in range(1, ws.max_column + 1)])

    edit(good, change)
    written = len(export[1].report.entries)
    refused(
        good, f"実施状況・評価 ({written} → {written + 1})|and marks ({written} → {written + 1})"
    )


def test_a_blanked_row_is_named(good: Path):
    def change(wb):
        ws = wb["_kpis"]
        for column in range(1, ws.max_column + 1):
            ws.cell(3, column).value = None

    edit(good, change)
    err = refused(good, "KPIの定義の 2 件目|record 2 of KPI definitions")
    assert isinstance(err, DigestMismatch)


def test_swapped_rows_change_the_digest(good: Path):
    def change(wb):
        ws = wb["_nodes"]
        for column in range(1, ws.max_column + 1):
            a, b = ws.cell(2, column), ws.cell(3, column)
            a.value, b.value = b.value, a.value

    edit(good, change)
    assert isinstance(refused(good, "確認用の値が一致しません|digest does not"), DigestMismatch)


@pytest.mark.parametrize(
    ("sheet", "column", "value", "where"),
    [
        ("_entries", 2, "json:{", "_entries!B2"),
        ("_entries", 2, "json:" + "[" * 5000 + "]" * 5000, "_entries!B2"),
        ("_entries", 2, 'json:"\\ud800"', "_entries!B2"),
        ("_entries", 2, "json:12", "_entries!B2"),
        ("_nodes", 2, "no-such-node", "_nodes!B3"),
        ("_nodes", 10, '["a", 1]', "_nodes!J2"),
        ("_kpis", 9, "1e5", "_kpis!I2"),
        ("_kpis", 6, "１", "_kpis!F2"),
        ("_kpis", 7, "more", "_kpis!G2"),
        ("_kpis", 10, "true", "_kpis!J2"),
        ("_measurements", 6, "2024-13", "_measurements!F2"),
        ("_measurements", 10, "2024-10-01T09:00:00", "_measurements!J2"),
        ("_measurements", 7, "NaN", "_measurements!G2"),
        (MANIFEST_SHEET, "fiscal_year", "２０２４", f"{MANIFEST_SHEET}!fiscal_year"),
        (MANIFEST_SHEET, "created_at", "yesterday", f"{MANIFEST_SHEET}!created_at"),
        (MANIFEST_SHEET, "kind", "draft", f"{MANIFEST_SHEET}!kind"),
    ],
)
def test_forged_hashes_do_not_let_bad_values_in(good: Path, sheet, column, value, where):
    """Row hashes and the digest are not a signature: someone can recompute
    them. Every value is still checked and the cell named."""

    def change(wb):
        ws = wb[sheet]
        if sheet == MANIFEST_SHEET:
            ws.cell(manifest_line(ws, column), 2).value = value
        else:
            line = 3 if where.endswith("3") else 2
            ws.cell(line, column).value = value
        resign(wb)

    edit(good, change)
    err = refused(good, cell=where)
    assert not isinstance(err, DigestMismatch)
    # Named in words: the section or KPI and the field (the hidden cell is for the log).
    table = next((t for t in TABLES if t.sheet == sheet), None)
    name = column if table is None else table.names[column - 1]
    field_ja, field_en = hidden_tables.field_words(sheet, name)
    assert field_ja in err.message("ja") and field_en in err.message("en")
    assert err.cell == where


def test_a_resigned_file_without_changes_reads(good: Path, export):
    edit(good, resign)
    assert read_workbook(good) == export[1]


# --- damaged inside -------------------------------------------------------------------

_MAIN_NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _sheet_xml(rows: bytes) -> bytes:
    return b"<worksheet " + _MAIN_NS + b"><sheetData>" + rows + b"</sheetData></worksheet>"


@pytest.mark.parametrize(
    "garbage",
    [
        b"garbage \x00\xff not xml at all",
        b"<worksheet",
        _sheet_xml(b'<row r="1"><c r="A1" t="s"><v>99</v></c></row>'),
        _sheet_xml(b'<row r="1"><c r="A1" t="n"><v>abc</v></c></row>'),
        _sheet_xml(b'<row r="1"><c r="!!" t="inlineStr"><is><t>x</t></is></c></row>'),
        _sheet_xml(b'<row r="x"><c t="inlineStr"><is><t>x</t></is></c></row>'),
        _sheet_xml(b'<row r="99999999"><c r="A99999999" t="inlineStr"><is><t>x</t></is></c></row>'),
        _sheet_xml(b'<row r="1"><c r="A1" t="d"><v>not a date</v></c></row>'),
        _sheet_xml(b'<row r="1"><c r="A1" t="b"><v>2</v></c></row>'),
        _sheet_xml(b"<row><c><is><t>" + "\u3042".encode() * 10 + b"</t></is></c></row>"),
        b"\xef\xbb\xbf" + _sheet_xml(b""),
    ],
)
def test_garbage_in_a_sheet_is_a_clear_error(good: Path, garbage: bytes):
    content = good.read_bytes()
    part = sheet_part(content, "_measurements")
    good.write_bytes(rezip(content, {part: garbage}))
    refused(good)


@pytest.mark.parametrize(
    "part",
    [
        "xl/workbook.xml",
        "[Content_Types].xml",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
        "_rels/.rels",
        "docProps/core.xml",
    ],
)
@pytest.mark.parametrize("garbage", [b"\x00\x01\x02 garbage", b"<a><b></a>", b""])
def test_garbage_in_any_part_is_a_clear_error_or_harmless(good: Path, part: str, garbage):
    good.write_bytes(rezip(good.read_bytes(), {part: garbage}))
    try:
        read_workbook(good)
    except WorkbookError as exc:
        assert exc.message("ja") and exc.message("en")


def test_a_missing_part_is_a_clear_error(good: Path):
    content = good.read_bytes()
    part = sheet_part(content, "_kpis")
    good.write_bytes(rezip(content, {part: None}))
    refused(good, "tokyo.xlsx")


def test_fuzzed_files_fail_only_with_workbook_errors(export, tmp_path: Path):
    """300 seeded trials of 1-4 flipped bytes: each either reads back exactly
    what was written or raises WorkbookError; never another exception, never
    different data."""
    content, data = export
    rng = random.Random(20240601)
    path = tmp_path / "fuzzed.xlsx"
    outcomes = {"refused": 0, "same": 0}
    for _ in range(300):
        damaged = bytearray(content)
        for _flip in range(rng.randint(1, 4)):
            damaged[rng.randrange(len(damaged))] ^= rng.randint(1, 255)
        path.write_bytes(bytes(damaged))
        try:
            back = read_workbook(path)
        except WorkbookError as exc:
            assert exc.message("ja") and exc.message("en")
            outcomes["refused"] += 1
        else:
            assert back == data
            outcomes["same"] += 1
    assert outcomes["refused"] > 200


def test_fuzzed_sheet_xml_fails_only_with_workbook_errors(export, tmp_path: Path):
    """Flipped bytes inside the (re-zipped, so CRC-correct) XML of the hidden
    sheets and the workbook part: this reaches the XML parser and openpyxl."""
    content, data = export
    parts = [sheet_part(content, t.sheet) for t in TABLES[:5]]
    parts += [sheet_part(content, MANIFEST_SHEET), "xl/workbook.xml"]
    originals = {part: member(content, part) for part in parts}
    rng = random.Random(31)
    path = tmp_path / "fuzzed.xlsx"
    refusals = 0
    for _ in range(150):
        part = rng.choice(parts)
        xml = bytearray(originals[part])
        for _flip in range(rng.randint(1, 3)):
            xml[rng.randrange(len(xml))] = rng.choice(b'<>/="&;# \x00\xffaZ09')
        path.write_bytes(rezip(content, {part: bytes(xml)}))
        try:
            back = read_workbook(path)
        except WorkbookError as exc:
            assert exc.message("ja") and exc.message("en")
            refusals += 1
        else:
            assert back == data
    assert refusals > 100


# --- text that looks like a formula, control characters, long texts ------------------

_FORMULA_LIKE = ["=1+1", "+81-3-1234-5678", "-5%", "@SUM(A1:A3)", '=HYPERLINK("http://x")']


def _with_texts(data: WorkbookData, texts: list[str]) -> WorkbookData:
    """``texts`` as status texts, KPI names, bases (field and value) and titles."""
    plan = data.plan
    report = plan.reports[0]
    entries = tuple(
        replace(e, status_text=texts[i % len(texts)], next_steps=texts[-1 - i % len(texts)])
        for i, e in enumerate(report.entries)
    )
    kpis = tuple(replace(k, name=texts[i % len(texts)]) for i, k in enumerate(plan.kpis))
    plan = replace(
        plan,
        title=texts[0],
        kpis=kpis,
        reports=(replace(report, entries=entries, title=texts[-1]),),
    )
    bases = {f"{t}/field": t for t in texts} | {"measurement/x/value": texts[0]}
    return replace(data, plan=plan, bases=bases, manifest=replace(data.manifest, kind=Kind.WORK))


def _formulas_in(content: bytes) -> list[str]:
    found = []
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name).decode("utf-8")
                found += re.findall(r"<f(?:\s[^>]*)?>(.*?)</f>", xml)
                found += re.findall(r"<f(?:\s[^>]*)?/>", xml)
    return found


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path):
    path = tmp_path / "formulas.xlsx"
    data = write_workbook(_with_texts(tokyo(), _FORMULA_LIKE), path)
    content = path.read_bytes()
    assert _formulas_in(content) == []  # no <f> element anywhere in any sheet
    wb = openpyxl.load_workbook(path)
    seen = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
                    seen += 1
    assert seen > 50
    back = read_workbook(path)
    assert back == data
    assert {e.status_text for e in back.report.entries} == set(_FORMULA_LIKE)
    assert {k.name for k in back.plan.kpis} == set(_FORMULA_LIKE)
    assert back.bases["=1+1/field"] == "=1+1"


def test_formula_like_text_carries_excels_quote_prefix(tmp_path: Path):
    path = tmp_path / "formulas.xlsx"
    write_workbook(_with_texts(tokyo(), _FORMULA_LIKE), path)
    ws = openpyxl.load_workbook(path)["_entries"]
    cell = ws["B2"]
    assert cell.value in _FORMULA_LIKE and cell.quotePrefix


_AWKWARD = [
    "",
    "\r",
    "a\r\nb\rc",
    "\x00\x01\x08\x0b\x0c\x1f",
    "\t\n",
    "json:x",
    "\ufffe\uffff",
    " ",
]


def test_control_characters_blank_and_cr_round_trip_exactly(tmp_path: Path):
    path = tmp_path / "awkward.xlsx"
    data = write_workbook(_with_texts(tokyo(), _AWKWARD), path)
    back = read_workbook(path)
    assert back == data
    assert [e.status_text for e in back.report.entries][: len(_AWKWARD)] == _AWKWARD
    assert set(back.bases.values()) == set(_AWKWARD)
    ws = openpyxl.load_workbook(path)["_entries"]
    stored = [ws.cell(line, 2).value for line in range(2, 2 + len(_AWKWARD))]
    # Escaped where Excel would mangle the text; plain where it would not.
    assert stored[0] == 'json:""' and stored[1] == 'json:"\\r"'
    assert stored[4] == "\t\n" and stored[7] == " "


def _with_status(data: WorkbookData, node_key: str, text: str) -> WorkbookData:
    report = data.plan.reports[0]
    entries = tuple(
        replace(e, status_text=text) if e.node_key == node_key else e for e in report.entries
    )
    return replace(data, plan=replace(data.plan, reports=(replace(report, entries=entries),)))


def test_the_longest_merge_base_round_trips(tmp_path: Path):
    """Bases are not printed, so only the hidden table has to hold them: the
    longest the domain allows, in characters that are escaped (six each)."""
    path = tmp_path / "long.xlsx"
    longest = "json:" + "\x01" * (limits.STATUS_TEXT.limit - 5)
    data = write_workbook(replace(tokyo(Kind.WORK), bases={"entry/x/status_text": longest}), path)
    assert read_workbook(path) == data


@pytest.mark.parametrize(
    ("text", "length"),
    [("あ" * 32_768, 32_768), ("😀" * 16_384, 16_384), ("a\r" * 12_000, 24_000)],
)
def test_a_text_over_its_limit_is_refused_before_writing(tmp_path: Path, text: str, length: int):
    """The domain's limit (desktop/domain/limits.py) comes before Excel's: a text
    PlanDesk would refuse to read back is never written."""
    path = tmp_path / "long.xlsx"
    path.write_bytes(b"older file")
    data = tokyo()
    key = data.plan.reports[0].entries[3].node_key
    with pytest.raises(WorkbookError) as err:
        write_workbook(_with_status(data, key, text), path)
    ja, en = err.value.message("ja"), err.value.message("en")
    assert f"{length:,}" in ja and "上限5,000" in ja and "実施状況が長すぎます" in ja
    assert f"{length:,}" in en and "5,000" in en and "too long" in en
    title = data.plan.node(key).display_title
    assert f"項目「{title[:20]}" in ja and f"item '{title[:20]}" in en
    assert err.value.cell == "_entries!B5" and "_entries" not in ja + en
    assert path.read_bytes() == b"older file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["long.xlsx"]


def test_a_long_text_on_a_printed_sheet_is_refused_with_its_cell():
    """put_text, which the printed sheets use too, never lets Excel cut a text."""
    ws = openpyxl.Workbook().active
    ws.title = "表紙"
    with pytest.raises(WorkbookError) as err:
        cell_writer.put_text(ws, 3, 2, "x" * 32_768)
    assert "表紙!B3" in err.value.message("ja") and "too long" in err.value.message("en")


def test_a_lone_surrogate_is_refused_on_writing(tmp_path: Path):
    with pytest.raises(WorkbookError) as err:
        write_workbook(_with_texts(tokyo(), ["\ud800", "x"]), tmp_path / "s.xlsx")
    assert "サロゲート" in err.value.message("ja") and "surrogate" in err.value.message("en")
    assert list(tmp_path.iterdir()) == []


# --- writing atomically under failure --------------------------------------------------


@pytest.fixture
def older(tmp_path: Path) -> Path:
    path = tmp_path / "tokyo.xlsx"
    path.write_bytes(b"the older export")
    return path


def _only(folder: Path, name: str) -> None:
    assert sorted(p.name for p in folder.iterdir()) == [name]


def test_a_full_disk_halfway_through_saving(older: Path, monkeypatch: pytest.MonkeyPatch):
    real_save = writer.save_workbook
    written = {}

    def save_half_then_fail(wb, filename):
        real_save(wb, filename)
        content = Path(filename).read_bytes()
        Path(filename).write_bytes(content[: len(content) // 2])
        written["bytes"] = len(content) // 2
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(writer, "save_workbook", save_half_then_fail)
    with pytest.raises(UserError) as err:
        write_workbook(tokyo(), older)
    assert written["bytes"] > 1000
    assert "ディスクの空き容量が足りない" in err.value.message("ja")
    assert "Not enough disk space" in err.value.message("en")
    assert "tokyo.xlsx" in err.value.message("en")
    assert older.read_bytes() == b"the older export"
    _only(older.parent, "tokyo.xlsx")


def test_a_file_held_open_by_excel(older: Path, monkeypatch: pytest.MonkeyPatch):
    def locked(src, dst):
        raise PermissionError(errno.EACCES, "Permission denied", str(dst))

    monkeypatch.setattr(os, "replace", locked)
    monkeypatch.setattr("desktop.files.time.sleep", lambda _s: None)  # the retries' waits
    with pytest.raises(UserError) as err:
        write_workbook(tokyo(), older)
    assert "Excel" in err.value.message("ja") and "読み取り専用" in err.value.message("ja")
    assert "open (e.g. in Excel)" in err.value.message("en")
    assert older.read_bytes() == b"the older export"
    _only(older.parent, "tokyo.xlsx")


def test_a_failing_fsync(older: Path, monkeypatch: pytest.MonkeyPatch):
    def broken(fd):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken)
    with pytest.raises(UserError) as err:
        write_workbook(tokyo(), older)
    assert "保存できません" in err.value.message("ja") and "Cannot save" in err.value.message("en")
    assert older.read_bytes() == b"the older export"
    _only(older.parent, "tokyo.xlsx")


def test_a_missing_folder(tmp_path: Path):
    with pytest.raises(UserError) as err:
        write_workbook(tokyo(), tmp_path / "gone" / "tokyo.xlsx")
    assert "gone" in err.value.message("ja") and "does not exist" in err.value.message("en")
    assert list(tmp_path.iterdir()) == []


def test_a_file_that_does_not_read_back_is_not_put_in_place(
    older: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(writer, "read_workbook", lambda path: tokyo())  # no digest: differs
    with pytest.raises(WorkbookError) as err:
        write_workbook(tokyo(), older)
    assert "読み直す" in err.value.message("ja") and "read back" in err.value.message("en")
    assert older.read_bytes() == b"the older export"
    _only(older.parent, "tokyo.xlsx")


def test_a_successful_write_replaces_the_older_file(older: Path):
    data = write_workbook(tokyo(), older)
    assert read_workbook(older) == data
    _only(older.parent, "tokyo.xlsx")


# --- member names: duplicates, paths, parts outside the xlsx layout (issue 12 A3) ------


@pytest.fixture
def nothing_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every member the reader decompresses, by name."""
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def spy(self, name, *args, **kwargs):
        opened.append(getattr(name, "filename", name))
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    return opened


def test_a_tampered_copy_of_a_hidden_sheet_before_the_original(good: Path, nothing_read):
    """zipfile reads the last of two same-named members, Excel the first: the
    copy people would see was never checked. Refused before anything is read."""
    content = good.read_bytes()
    part = sheet_part(content, "_measurements")
    original = member(content, part)
    forged = re.sub(rb"<t>(\d+)\.(\d+)</t>", rb"<t>99.\2</t>", original, count=1)
    assert forged != original
    members = _members(content)
    at = next(i for i, (n, _) in enumerate(members) if n == part)
    members.insert(at, (part, forged))
    good.write_bytes(_crafted(content, members))
    nothing_read.clear()  # what building the file read does not count
    err = refused(good, part, "同じ名前の部品|two or more parts named")
    assert isinstance(err, safety.SuspiciousArchive)
    assert nothing_read == []


@pytest.mark.parametrize(
    "name",
    [
        "../x",
        "xl/../../x.xml",
        "/abs",
        "/xl/worksheets/sheet1.xml",
        "a\\b",
        "xl\\worksheets\\sheet1.xml",
        "C:/x.xml",
        "xl/./workbook.xml",
        "xl//styles.xml",
        "xl/",
    ],
)
def test_unusual_member_names_are_refused_before_anything_is_read(
    good: Path, nothing_read, name: str
):
    content = good.read_bytes()
    good.write_bytes(_crafted(content, [*_members(content), (name, b"<x/>")]))
    nothing_read.clear()  # what building the file read does not count
    err = refused(good, "tokyo.xlsx", "普通でない名前|unusual name")
    assert isinstance(err, safety.SuspiciousArchive)
    assert nothing_read == []


def test_names_differing_only_in_case_are_one_part(good: Path, nothing_read):
    content = good.read_bytes()
    upper = [("XL/WORKBOOK.XML", member(content, "xl/workbook.xml")), *_members(content)]
    good.write_bytes(_crafted(content, upper))
    nothing_read.clear()  # what building the file read does not count
    refused(good, "同じ名前の部品|two or more parts named")
    assert nothing_read == []


@pytest.mark.parametrize(
    "name",
    [
        "evil.txt",
        "xl/drawings/drawing1.xml",
        "xl/comments1.xml",
        "xl/media/image1.png",
        "xl/embeddings/oleObject1.bin",
        "xl/externalLinks/externalLink1.xml",
        "xl/chartsheets/sheet1.xml",
        "xl/worksheets/sheet1.xml.bak",
    ],
)
def test_parts_outside_the_xlsx_layout_are_refused(good: Path, nothing_read, name: str):
    content = good.read_bytes()
    good.write_bytes(_crafted(content, [*_members(content), (name, b"<x/>")]))
    nothing_read.clear()  # what building the file read does not count
    err = refused(good, name, "PlanDesk のブックにない部品|parts a PlanDesk workbook does not have")
    assert isinstance(err, safety.UnexpectedParts)
    assert nothing_read == []


def test_what_excel_adds_on_saving_is_accepted(good: Path):
    """Printer settings, the calculation chain, a preview picture, custom and
    SharePoint properties, a sensitivity label: parts Excel writes on its own."""
    content = good.read_bytes()
    added = [
        "xl/printerSettings/printerSettings1.bin",
        "xl/worksheets/_rels/sheet2.xml.rels",
        "xl/calcChain.xml",
        "docProps/custom.xml",
        "docProps/thumbnail.jpeg",
        "docMetadata/LabelInfo.xml",
        "customXml/item1.xml",
        "customXml/itemProps1.xml",
        "customXml/_rels/item1.xml.rels",
        "xl/sharedStrings.xml",
    ]
    crafted = _crafted(content, [*_members(content), *((n, b"<x/>") for n in added)])
    safety.check_content("tokyo.xlsx", crafted)
