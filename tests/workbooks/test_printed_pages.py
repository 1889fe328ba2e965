"""The printed sheets are sealed: what people read says what the data says.

A forged name on the cover, a changed figure, mark or text, text added in an
empty cell, an added sheet, a hidden row, a number format that shows other
text — each is refused and named in words (sheet, section or KPI, column).
A file re-saved untouched by openpyxl or LibreOffice still verifies, for
every kind (issue 12 A4). Files of format 1, written before the seal, still
read and import, and ``verify`` says they must be exported again.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest

from desktop.domain.model import PeriodKind, ReportAxis
from desktop.domain.plan_document import load_plan_file
from desktop.services import exchange
from desktop.services.plans import bundled_plan
from desktop.workbooks.hidden_tables import PAGES
from desktop.workbooks.machine import (
    FORMAT_VERSION,
    LAID_OUT_AGAIN,
    PRINT_LAYOUT,
    Kind,
    Manifest,
    WorkbookData,
    WorkbookError,
)
from desktop.workbooks.print_sheets import (
    COVER_SHEET,
    KPI_SHEET,
    REPORT_SHEETS,
    build_pages,
    seal_rows,
    text_seal,
)
from desktop.workbooks.printed import PrintedPageMismatch
from desktop.workbooks.reader import ChangedAfterWriting, read_workbook
from desktop.workbooks.writer import write_workbook
from tests.workbooks.forging import resign
from tests.workbooks.resavers import needs_soffice, resave_libreoffice, resave_openpyxl

REPORT = REPORT_SHEETS[PeriodKind.MIDYEAR]  # 進捗状況
STAMP = datetime(2024, 10, 2, 7, 30, tzinfo=UTC)
DATA = Path(__file__).parent / "data"


def _data(kind: Kind) -> WorkbookData:
    plan = bundled_plan("plans/tokyo_2024.json")
    signed = kind is Kind.SUBMISSION
    if kind is Kind.TEMPLATE:
        plan = replace(plan, reports=())
    manifest = Manifest(
        kind=kind,
        branch=plan.branch,
        fiscal_year=plan.fiscal_year,
        period=plan.reports[0].period if plan.reports else None,
        app_version="0.1.0",
        created_by="planner13",
        created_name="企画総務グループ 佐藤 花子",
        created_at=STAMP,
        sections=("2.II.3", "1.I") if kind is Kind.WORK else (),
        signed_off_by="yamada" if signed else None,
        signed_off_at=STAMP if signed else None,
        signed_off_name="支部長 山田 太郎" if signed else None,
    )
    bases = {"entry/2.II.3/status_text": "前の値"} if kind is Kind.WORK else {}
    return WorkbookData(manifest=manifest, plan=plan, bases=bases)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[Kind, tuple[bytes, WorkbookData]]:
    folder = tmp_path_factory.mktemp("printed")
    out = {}
    for kind in Kind:
        path = folder / f"{kind.value}.xlsx"
        data = write_workbook(_data(kind), path)
        out[kind] = (path.read_bytes(), data)
    return out


@pytest.fixture
def submission(written, tmp_path: Path) -> Path:
    path = tmp_path / "2024_13_東京支部_上期進捗_提出版_v01.xlsx"
    path.write_bytes(written[Kind.SUBMISSION][0])
    return path


def _edit(path: Path, change) -> None:
    """Open, change and save the file as a person with a spreadsheet program would."""
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)


def _row(ws, column: int, predicate) -> int:
    for row in range(1, ws.max_row + 1):
        value = ws.cell(row, column).value
        if isinstance(value, str) and predicate(value):
            return row
    raise AssertionError("no such row")


def _refused(path: Path, *needles: str) -> PrintedPageMismatch:
    """Refused as changed after writing, the place named in both languages
    (each needle 'ja|en' or one text for both), and verify says so too."""
    with pytest.raises(PrintedPageMismatch) as err:
        read_workbook(path)
    ja, en = err.value.message("ja"), err.value.message("en")
    assert "作成後に書き換えられています" in ja and "changed after it was written" in en
    for needle in needles:
        in_ja, _, in_en = needle.partition("|")
        assert in_ja in ja, (in_ja, ja)
        assert (in_en or in_ja) in en, (in_en or in_ja, en)
    verdict = exchange.verify_file(path)
    assert not verdict.ok and verdict.problems("ja")[0] == ja
    return err.value


# --- what a person might change in Excel ------------------------------------------------


def test_the_untouched_file_verifies(submission: Path, written):
    assert read_workbook(submission) == written[Kind.SUBMISSION][1]
    assert exchange.verify_file(submission).ok


def test_a_forged_signer_on_the_cover(submission: Path):
    def forge(wb):
        ws = wb[COVER_SHEET]
        row = _row(ws, 1, lambda v: v == "決裁")
        assert ws.cell(row, 2).value.startswith("支部長 山田 太郎")
        ws.cell(row, 2).value = "支部長 鈴木 一郎　2024年10月2日 16:30"

    _edit(submission, forge)
    err = _refused(
        submission, "シート「表紙」の「決裁」|sheet 表紙, 「決裁」 (sign-off)", "支部長 鈴木 一郎"
    )
    assert err.sheet == COVER_SHEET and err.ref.startswith("B")


def test_a_changed_figure_on_the_progress_sheet(submission: Path):
    """The ■ KPI lines under a section print the figures; one digit changed."""

    def forge(wb):
        ws = wb[REPORT]
        row = _row(ws, 2, lambda v: v.startswith("■ KPI："))
        text = ws.cell(row, 2).value
        digit = next(c for c in text if c.isdigit())
        ws.cell(row, 2).value = text.replace(digit, str((int(digit) + 1) % 10), 1)

    _edit(submission, forge)
    _refused(submission, f"シート「{REPORT}」|sheet {REPORT}", "のKPI」", "「実施状況」|status")


def test_a_changed_figure_on_the_kpi_sheet(submission: Path, written):
    kpi = next(
        k
        for k in written[Kind.SUBMISSION][1].plan.kpis
        if k.key in {m.kpi_key for m in written[Kind.SUBMISSION][1].report.measurements}
    )

    def forge(wb):
        ws = wb[KPI_SHEET]
        row = _row(ws, 2, lambda v: f"{kpi.label}{kpi.name}" in v)
        ws.cell(row, 4).value = "100.0％"

    _edit(submission, forge)
    _refused(
        submission,
        f"「{kpi.label}{kpi.name}"[:20],
        "「実績」|column 実績 (actual)",
        "100.0％",
    )


def test_a_changed_mark(submission: Path):
    def forge(wb):
        ws = wb[REPORT]
        row = _row(ws, 3, lambda v: v == "○")
        ws.cell(row, 3).value = "◎"

    _edit(submission, forge)
    _refused(submission, "「評価」|column 評価 (mark)", "「◎」|'◎'")


def test_a_changed_text(submission: Path):
    def forge(wb):
        ws = wb[REPORT]
        row = _row(ws, 1, lambda v: v.startswith("①支部評議会"))
        ws.cell(row, 2).value = ws.cell(row, 2).value + "（追記）"

    _edit(submission, forge)
    _refused(submission, "「①支部評議会", "「実施状況」|status")


def test_text_added_in_an_empty_printed_cell(submission: Path):
    def forge(wb):
        ws = wb[REPORT]
        row = _row(ws, 1, lambda v: v.startswith("■ KPI："))
        assert ws.cell(row, 4).value in (None, "")
        ws.cell(row, 4).value = "目標は達成見込み"

    _edit(submission, forge)
    _refused(
        submission, "書き加えられています|has text added", "今後の実施予定等", "目標は達成見込み"
    )


def test_text_added_below_the_table(submission: Path):
    def forge(wb):
        ws = wb[KPI_SHEET]
        ws.cell(ws.max_row + 2, 2).value = "※全国1位"

    _edit(submission, forge)
    _refused(submission, f"シート「{KPI_SHEET}」|sheet {KPI_SHEET}", "※全国1位")


def test_an_added_visible_sheet(submission: Path):
    _edit(submission, lambda wb: wb.create_sheet("補足"))
    _refused(submission, "シート「補足」が追加|'補足', was added")


def test_a_data_sheet_made_visible(submission: Path):
    def show(wb):
        wb["_measurements"].sheet_state = "visible"

    _edit(submission, show)
    _refused(submission, "「_measurements」が表示|'_measurements' was made visible")


def test_a_removed_printed_sheet(submission: Path):
    _edit(submission, lambda wb: wb.remove(wb[KPI_SHEET]))
    _refused(submission, f"「{KPI_SHEET}」がないか|'{KPI_SHEET}' is missing")


def test_a_hidden_row(submission: Path):
    def hide(wb):
        ws = wb[REPORT]
        ws.row_dimensions[_row(ws, 3, lambda v: v == "○")].hidden = True

    _edit(submission, hide)
    _refused(submission, "非表示|hidden")


def test_a_number_format_that_shows_other_text(submission: Path):
    def disguise(wb):
        ws = wb[COVER_SHEET]
        row = _row(ws, 1, lambda v: v == "決裁")
        ws.cell(row, 2).number_format = ';;;"支部長 鈴木 一郎"'

    _edit(submission, disguise)
    _refused(submission, "「決裁」", "表示形式|number format")


def test_a_changed_page_header(submission: Path):
    def forge(wb):
        wb[REPORT].oddHeader.left.text = "大阪支部　令和6年度"

    _edit(submission, forge)
    _refused(submission, "ヘッダー（左）|header (left)", "大阪支部")


def test_a_print_area_that_leaves_rows_out(submission: Path):
    def limit(wb):
        wb[REPORT].print_area = "A1:D5"

    _edit(submission, limit)
    _refused(submission, "印刷範囲|print area")


def test_a_formula_on_a_printed_sheet(submission: Path):
    def forge(wb):
        ws = wb[COVER_SHEET]
        ws.cell(_row(ws, 1, lambda v: v == "作成者"), 2).value = '="佐藤"'

    _edit(submission, forge)
    _refused(submission, "数式|formula", "「作成者」")


# --- re-saved untouched: still valid --------------------------------------------------------


@pytest.mark.parametrize("kind", list(Kind))
def test_resaved_by_openpyxl_still_verifies(written, tmp_path: Path, kind: Kind):
    source = tmp_path / f"{kind.value}.xlsx"
    source.write_bytes(written[kind][0])
    resaved = resave_openpyxl(source, tmp_path / "resaved")
    assert read_workbook(resaved) == written[kind][1]
    assert exchange.verify_file(resaved).ok


@needs_soffice
@pytest.mark.parametrize("kind", list(Kind))
def test_resaved_by_libreoffice_still_verifies(written, tmp_path: Path, kind: Kind):
    """LibreOffice rewrites everything: shared strings, rich-text runs where a
    font lacks a glyph, very hidden sheets as hidden, its own headers."""
    source = tmp_path / f"{kind.value}.xlsx"
    source.write_bytes(written[kind][0])
    resaved = resave_libreoffice(source, tmp_path / "resaved")
    assert resaved.read_bytes() != source.read_bytes()
    assert read_workbook(resaved) == written[kind][1]
    assert exchange.verify_file(resaved).ok


@needs_soffice
def test_a_forgery_saved_by_libreoffice_is_still_caught(submission: Path, tmp_path: Path):
    def forge(wb):
        ws = wb[COVER_SHEET]
        ws.cell(_row(ws, 1, lambda v: v == "決裁"), 2).value = "支部長 鈴木 一郎"

    _edit(submission, forge)
    resaved = resave_libreoffice(submission, tmp_path / "resaved")
    _refused(resaved, "「決裁」")


# --- texts that re-savers treat specially ------------------------------------------------


_AWKWARD = ["_x0041_ stays as typed", "a\r\nb", "  leading", "trailing  ", "=SUM(A1)", "tab\there"]


@pytest.mark.parametrize("resave", ["openpyxl", pytest.param("libreoffice", marks=needs_soffice)])
def test_awkward_texts_survive_resaving(tmp_path: Path, resave: str):
    data = _data(Kind.SUBMISSION)
    report = data.plan.reports[0]
    entries = tuple(
        replace(e, status_text=_AWKWARD[i % len(_AWKWARD)], next_steps=_AWKWARD[-1 - i % 6])
        for i, e in enumerate(report.entries)
    )
    plan = replace(data.plan, reports=(replace(report, entries=entries),))
    path = tmp_path / "awkward.xlsx"
    written = write_workbook(replace(data, plan=plan), path)
    again = (resave_openpyxl if resave == "openpyxl" else resave_libreoffice)(
        path, tmp_path / "resaved"
    )
    assert read_workbook(again) == written


# --- format 1: before the seal --------------------------------------------------------------


@pytest.mark.parametrize("name", ["format1_submission.xlsx", "format1_work.xlsx"])
def test_files_of_format_1_still_read(name: str):
    """Written by the previous PlanDesk: the data is sealed as before and imports."""
    data = read_workbook(DATA / name)
    assert data.manifest.format_version == 1 < FORMAT_VERSION
    assert data.manifest.created_by == "planner13" and data.manifest.created_name is None
    assert len(data.plan.nodes) == 117


def test_verify_says_a_format_1_file_must_be_exported_again():
    verdict = exchange.verify_file(DATA / "format1_submission.xlsx")
    assert not verdict.ok
    assert "以前の PlanDesk（ファイル形式 第1版）" in verdict.problems("ja")[0]
    assert "書き出し直してください" in verdict.problems("ja")[0]
    assert "export it again" in verdict.problems("en")[0]


def test_a_changed_format_1_file_is_still_refused(tmp_path: Path):
    path = tmp_path / "old.xlsx"
    path.write_bytes((DATA / "format1_submission.xlsx").read_bytes())

    def forge(wb):
        wb["_measurements"]["B2"].value = "99.9"

    _edit(path, forge)
    with pytest.raises(ChangedAfterWriting):
        read_workbook(path)


def test_a_file_claiming_format_1_without_its_seal_is_refused(submission: Path):
    """Setting the version back to 1 changes the manifest: the digest catches it."""

    def downgrade(wb):
        ws = wb["_manifest"]
        for row in range(2, ws.max_row + 1):
            if ws.cell(row, 1).value == "format_version":
                ws.cell(row, 2).value = "1"

    _edit(submission, downgrade)
    with pytest.raises(WorkbookError):
        read_workbook(submission)


# --- the record of the pages against the data ---------------------------------------------


def _reseal_page_cell(wb, sheet: str, subject: str, column: str, text: str) -> None:
    """Change what the record of the pages (``_pages``) says one printed cell shows."""
    ws = wb[PAGES.sheet]
    for line in range(2, ws.max_row + 1):
        if ws.cell(line, 1).value == sheet and ws.cell(line, 3).value == subject:
            cells = dict(part.split(":") for part in ws.cell(line, 4).value.split(" "))
            cells[column] = text_seal(text)
            ws.cell(line, 4).value = " ".join(f"{k}:{v}" for k, v in sorted(cells.items()))
            return
    raise AssertionError(f"no sealed row {subject!r} on {sheet}")


def test_a_forged_signer_resealed_as_a_forger_would_is_caught(submission: Path):
    """The cover and its record both say another signer, every hash recomputed: the
    pages no longer say what the data says (who signed is in the manifest)."""
    forged = "支部長 鈴木 一郎　2024年10月2日 16:30"

    def forge(wb):
        ws = wb[COVER_SHEET]
        row = _row(ws, 1, lambda v: v == "決裁")
        ws.cell(row, 2).value = forged
        _reseal_page_cell(wb, COVER_SHEET, "決裁", "B", forged)
        resign(wb)

    _edit(submission, forge)
    err = _refused(
        submission, "シート「表紙」の「決裁」|sheet 表紙, 「決裁」", "一致しません|does not match"
    )
    assert err.sheet == COVER_SHEET


def test_a_changed_figure_resealed_as_a_forger_would_is_caught(submission: Path):
    def forge(wb):
        ws = wb[REPORT]
        row = _row(ws, 2, lambda v: v.startswith("■ KPI："))
        text = ws.cell(row, 2).value.replace("％", "0％", 1)
        ws.cell(row, 2).value = text
        subject = wb[PAGES.sheet]
        sealed = next(
            subject.cell(line, 3).value
            for line in range(2, subject.max_row + 1)
            if subject.cell(line, 1).value == REPORT and subject.cell(line, 2).value == str(row)
        )
        _reseal_page_cell(wb, REPORT, sealed, "B", text)
        resign(wb)

    _edit(submission, forge)
    _refused(submission, f"シート「{REPORT}」|sheet {REPORT}", "一致しません|does not match")


def test_a_file_of_another_print_layout_reads_but_does_not_verify(tmp_path: Path):
    """Laid out by another PlanDesk version: the data imports; whether its pages say
    what its data says cannot be proven here, and verify says what to do."""
    data = _data(Kind.SUBMISSION)
    data = replace(data, manifest=replace(data.manifest, print_layout=PRINT_LAYOUT + 1))
    path = tmp_path / "other_layout.xlsx"
    write_workbook(data, path)
    assert read_workbook(path).manifest.print_layout == PRINT_LAYOUT + 1
    verdict = exchange.verify_file(path)
    assert not verdict.ok
    assert f"印刷レイアウト 第{PRINT_LAYOUT + 1}版" in verdict.problems("ja")[0]
    assert "same PlanDesk version as HQ" in verdict.problems("en")[0]


# The pages of a fixed plan, sealed: a change to how pages are laid out changes this.
# Then raise machine.PRINT_LAYOUT and record the new value here — files written by the
# previous layout are then refused by verify with a clear message instead of as forged.
# The plan is a copy kept with the tests, so that changes to the demo data do not move it.
LAYOUT_FINGERPRINT = {
    1: "dcb7365a5a31a6b3ebbfd883d11fcaff00de6671449a66a5004de50f5ce72d96",
    2: "053e7e38c3636087132ffb2bdcb13a2a23a94038a31cc42612a032570ba845fc",  # KPI rows: 前年度実績, 全国
    # by group; every KPI row: 前々年度, last year's national figures, the definition
    # note; the reason for a mark on a row of its own
    3: "abe6d65efda02c6050f5ad6451db68ec8f9b77e3fea7477784c7716bd6cb45fe",
}


def _layout_plan():
    """The layout plan organised by group, numbered per group: layouts before 3 print
    it by tree as they always did, layout 3 by group (issue 16 item 2)."""
    plan = load_plan_file(DATA / "layout_plan.json")
    return replace(plan, report_axis=ReportAxis.GROUP, number_per_group=True)


def test_the_print_layout_number_changes_with_the_layout():
    import hashlib
    import json

    data = _data(Kind.SUBMISSION)
    data = replace(data, plan=_layout_plan())
    # The page names the file's format version: pinned, so that a new format (new
    # hidden columns, same pages) does not read as a new layout.
    data = replace(data, manifest=replace(data.manifest, format_version=2))
    rows = seal_rows(build_pages(data))
    fingerprint = hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()
    assert LAYOUT_FINGERPRINT.get(PRINT_LAYOUT) == fingerprint, (
        "The printed pages changed: raise PRINT_LAYOUT in desktop/workbooks/machine.py and "
        f"record {{{PRINT_LAYOUT + 1}: {fingerprint!r}}} in LAYOUT_FINGERPRINT."
    )


@pytest.mark.parametrize("layout", sorted(LAID_OUT_AGAIN))
def test_the_files_of_earlier_layouts_are_laid_out_again_as_they_were(layout: int):
    """A file names its print layout; this PlanDesk lays its pages out again as that
    layout did, so the files of earlier releases still verify."""
    import hashlib
    import json

    data = _data(Kind.SUBMISSION)
    data = replace(data, plan=_layout_plan())
    manifest = replace(data.manifest, format_version=2, print_layout=layout)
    rows = seal_rows(build_pages(replace(data, manifest=manifest)))
    fingerprint = hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()
    assert LAYOUT_FINGERPRINT[layout] == fingerprint


# --- format 2: before the reference figures ---------------------------------------------------


def test_files_of_format_2_still_read_and_verify():
    """Written by the PlanDesk before the reference figures (commit d0454f8, the full
    example): the new columns read as not known, its national figures as HQ's."""
    from desktop.domain.model import Source

    data = read_workbook(DATA / "format2_submission.xlsx")
    assert data.manifest.format_version == 2 < FORMAT_VERSION
    assert all(k.prior_year_actual is None and k.last_year_source is None for k in data.plan.kpis)
    benchmarks = [b for r in data.plan.reports for b in r.benchmarks]
    assert benchmarks and all(b.source is Source.PACK for b in benchmarks)
    assert exchange.verify_file(DATA / "format2_submission.xlsx").ok


# --- format 4: before print profiles and 具体的な取り組み --------------------------------------


def test_files_of_format_4_still_read_and_verify():
    """Written by the PlanDesk before print profiles (commit ea0a531, the Tokyo demo's
    signed-off submission, tools/render_workbook_pdf.py): no actions, the default
    layout for both periods, and its printed pages still say what its data says."""
    from desktop.domain.print_profiles import ReportProfiles

    data = read_workbook(DATA / "format4_submission.xlsx")
    assert data.manifest.format_version == 4 < FORMAT_VERSION
    assert data.plan.print_profiles == ReportProfiles()
    entries = [e for r in data.plan.reports for e in r.entries]
    assert len(entries) > 80 and all(e.actions == "" for e in entries)
    assert exchange.verify_file(DATA / "format4_submission.xlsx").ok
