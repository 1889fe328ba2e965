"""The report as a PDF: what it prints (read back with pdftotext), its fonts
(pdffonts), its pages, and how it is written. The Tokyo FY2024 demo report."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from desktop.domain.achievement import format_value
from desktop.domain.errors import UserError
from desktop.domain.kpi_lines import kpi_lines
from desktop.domain.model import PeriodKind
from desktop.domain.print_profiles import PrintProfile, ProfileColumn
from desktop.services import export
from desktop.store.database import backup_database, open_database
from desktop.workbooks import pdf_fonts
from desktop.workbooks.machine import Kind
from desktop.workbooks.pdf_render import render_pdf
from desktop.workbooks.print_sheets import (
    REPORT_SHEETS,
    Column,
    Page,
    build_pages,
)
from tests.helpers.poppler import needs_poppler

pytestmark = needs_poppler
REPORT = {"branch": "13", "fiscal_year": 2024, "period": PeriodKind.MIDYEAR}


def _text(path: Path, *options: str) -> str:
    out = subprocess.run(
        ["pdftotext", *options, str(path), "-"], capture_output=True, check=True, timeout=60
    )
    return out.stdout.decode("utf-8")


def _flat(text: str) -> str:
    """Text without line breaks and spaces: a cell's wrapped lines joined again."""
    return re.sub(r"\s+", "", text)


def _pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, timeout=60)
    return int(re.search(rb"Pages:\s+(\d+)", info.stdout).group(1))


@pytest.fixture(scope="module")
def demo_pdf(_demo_template: Path, tmp_path_factory: pytest.TempPathFactory):
    """The demo's report as a PDF, with the data it was made from (made once)."""
    folder = tmp_path_factory.mktemp("pdf")
    backup_database(_demo_template, folder / "demo.sqlite3")
    with open_database(folder / "demo.sqlite3") as db:
        result = export.export_pdf(db, **REPORT, out=folder, actor="tester")
        prepared = export.prepare_export(
            db, **REPORT, kind=Kind.WORK, actor="tester", sections=()
        )  # the same data, to know what must be printed
    # Written at the PDF's time (the cover prints it, to the minute, which the second
    # preparation could pass).
    manifest = replace(prepared.data.manifest, created_at=result.manifest.created_at)
    return result.path, replace(prepared.data, manifest=manifest)


def test_every_section_title_mark_and_figure_is_in_the_pdf(demo_pdf):
    path, data = demo_pdf
    text = _flat(_text(path, "-raw"))
    plan = data.plan
    report = data.report
    assert report is not None
    titles = [n.display_title for n in plan.nodes]
    marks = [e.mark for e in report.entries if e.mark]
    lines = kpi_lines(plan, PeriodKind.MIDYEAR)
    figures = [line.actual_text() for line in lines] + [line.target_text() for line in lines]
    figures += [
        f"前年度実績{format_value(k, k.last_year_actual)}"
        for k in plan.kpis
        if k.last_year_actual is not None
    ]
    assert len(titles) > 80 and len(marks) > 70 and len(lines) == 17
    missing = [t for t in [*titles, *figures] if _flat(t) not in text]
    assert not missing
    # Every mark as often as the report holds it (the cover's tally prints them too).
    for mark in set(marks):
        assert text.count(mark) >= marks.count(mark), mark
    assert "前年度実績98.4％" in text  # the mail-in rate of FY2023, under its KPI row


def test_every_printed_cell_of_the_sheets_is_in_the_pdf(demo_pdf):
    """The PDF prints the pages the workbook prints: every cell's text but the
    workbook's own digest."""
    path, data = demo_pdf
    text = _flat(_text(path, "-raw"))
    pages = build_pages(data)
    for page in pages:
        for row, cells in page.texts().items():
            if row in page.file_rows:
                continue
            for column, cell in cells.items():
                assert _flat(cell) in text, (page.name, row, column, cell[:40])
    assert "SHA-256" not in text


def test_the_japanese_fonts_are_embedded(demo_pdf):
    path, _data = demo_pdf
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, timeout=60)
    rows = out.stdout.decode().splitlines()[2:]
    assert rows
    for row in rows:
        emb, sub = row.split()[-5:-3]
        assert (emb, sub) == ("yes", "yes"), row
    japanese = pdf_fonts.find_japanese_fonts().regular.name.replace(" ", "")
    assert any(japanese in row for row in rows), rows


def test_every_page_has_the_header_and_x_of_y(demo_pdf):
    path, _data = demo_pdf
    count = _pages(path)
    assert 10 < count < 40
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, timeout=60).stdout
    assert b"841.89 x 595.28 pts (A4)" in info  # landscape
    for page in range(1, count + 1):
        text = _flat(_text(path, "-raw", "-f", str(page), "-l", str(page)))
        assert f"{page}/{count}ページ" in text
        assert "東京支部令和6年度" in text  # branch and fiscal year, top left
        assert "上期（進捗状況）令和6年6月時点" in text  # period and as-of month, top right


def test_the_header_row_repeats_on_every_page_of_a_table(demo_pdf):
    path, _data = demo_pdf
    count = _pages(path)
    report_pages = kpi_pages = 0
    for page in range(2, count + 1):
        text = _flat(_text(path, "-raw", "-f", str(page), "-l", str(page)))
        if "事業計画実施状況評価今後の実施予定等" in text:
            report_pages += 1
        elif "事業計画KPI設定項目目標実績時点判定" in text:
            kpi_pages += 1
        else:
            pytest.fail(f"page {page} has no header row")
    assert report_pages > 5 and kpi_pages >= 2


def test_the_plan_without_a_period_is_a_pdf_too(demo_db, tmp_path: Path):
    result = export.export_pdf(
        demo_db, branch="13", fiscal_year=2024, out=tmp_path / "plan.pdf", actor="tester"
    )
    text = _flat(_text(result.path, "-raw"))
    assert result.manifest.kind is Kind.TEMPLATE
    assert "担当グループ" in text and "計画テンプレート" in text


def test_a_row_taller_than_a_page_goes_on_over_the_next_pages(tmp_path: Path):
    page = Page("表", (Column("事業計画", 40), Column("実施状況", 60)))
    page.cells[(1, 1)] = ("事業計画", "pd_head")
    page.cells[(1, 2)] = ("実施状況", "pd_head")
    page.title_row = 1
    long = "\n".join(f"{i:03d}行目の実施状況です。令和６年６月に実施した。" for i in range(150))
    page.cells[(2, 1)] = ("とても長い項目", "pd_text")
    page.cells[(2, 2)] = (long, "pd_text")
    page.cells[(3, 1)] = ("次の項目", "pd_text")
    page.cells[(3, 2)] = ("短い", "pd_text")
    fonts = pdf_fonts.find_japanese_fonts()
    path = tmp_path / "long.pdf"
    path.write_bytes(render_pdf([page], fonts, title="t"))
    assert _pages(path) >= 3
    text = _flat(_text(path, "-raw"))
    # Every line once, in order, with the page header, the footer and the repeated
    # header row between the parts.
    at = [text.find(line) for line in long.split("\n")]
    assert -1 not in at and at == sorted(at)
    assert "次の項目短い" in text
    for number in range(1, _pages(path) + 1):  # the header row above each part
        one = _flat(_text(path, "-raw", "-f", str(number), "-l", str(number)))
        assert one.startswith("事業計画実施状況") or "事業計画実施状況" in one[:40]


def test_a_print_profile_is_data_the_sheets_and_the_pdf_follow(demo_db, tmp_path: Path):
    """A layout is a profile: its columns, titles, widths and fields; the sheets and
    the PDF print what it names, and nothing else has to change."""
    two = PrintProfile(
        "test2",
        "二列",
        "two columns",
        (ProfileColumn("plan", "計画", 70), ProfileColumn("next_steps", "今後の方針", 70)),
    )
    data = export.prepare_export(demo_db, **REPORT, kind=Kind.WORK, actor="t", sections=()).data
    page = next(p for p in build_pages(data, two) if p.name == REPORT_SHEETS[PeriodKind.MIDYEAR])
    assert [c.title for c in page.columns] == ["計画", "今後の方針"]
    fonts = pdf_fonts.find_japanese_fonts()
    path = tmp_path / "two.pdf"
    path.write_bytes(render_pdf([page], fonts, title="t"))
    text = _flat(_text(path, "-raw"))
    assert "計画今後の方針" in text
    status = next(e.status_text for e in data.report.entries if len(e.status_text) > 30)
    assert _flat(status) not in text  # the status is not one of this profile's fields


def test_no_japanese_font_is_a_clear_message_and_nothing_is_written(
    demo_db, tmp_path: Path, monkeypatch
):
    with pytest.raises(UserError) as raised:
        pdf_fonts.find_japanese_fonts([], symbols=[])
    assert "日本語フォント" in raised.value.message("ja")
    assert "No Japanese font" in raised.value.message("en")
    monkeypatch.setattr(pdf_fonts, "default_candidates", lambda: [])
    monkeypatch.delenv(pdf_fonts.ENV_FONT, raising=False)
    target = tmp_path / "r.pdf"
    target.write_bytes(b"the earlier file")
    with pytest.raises(UserError):
        export.export_pdf(demo_db, **REPORT, out=target, actor="t")
    assert target.read_bytes() == b"the earlier file"
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("demo.")] == ["r.pdf"]


def test_a_font_that_is_not_japanese_is_passed_over(tmp_path: Path):
    latin = pdf_fonts.symbol_candidates()[0]
    if not latin.is_file():
        pytest.skip("DejaVu Sans is not installed")
    good = pdf_fonts.find_japanese_fonts()
    candidate = pdf_fonts.Candidate(good.regular.path, (good.regular.name,))
    chosen = pdf_fonts.find_japanese_fonts(
        [pdf_fonts.Candidate(latin, ()), pdf_fonts.Candidate(tmp_path / "none.ttc", ()), candidate]
    )
    assert chosen.regular == good.regular


def test_a_bad_destination_is_refused_in_words(demo_db, tmp_path: Path):
    with pytest.raises(UserError) as raised:
        export.export_pdf(demo_db, **REPORT, out=tmp_path / "report.xlsx", actor="t")
    assert ".pdf" in raised.value.message("ja") and ".pdf" in raised.value.message("en")
    with pytest.raises(UserError) as raised:
        export.export_pdf(demo_db, **REPORT, out=tmp_path / "nowhere" / "r.pdf", actor="t")
    assert "フォルダ" in raised.value.message("ja")
    with pytest.raises(UserError):
        export.export_pdf(demo_db, **REPORT, out=tmp_path / "r.pdf", actor="t", profile="x")
    assert not [p for p in tmp_path.iterdir() if not p.name.startswith("demo.")]


def test_a_folder_gets_the_next_free_version_and_a_file_is_replaced_whole(demo_db, tmp_path: Path):
    earlier = export.pdf_path(tmp_path, "13", 2024, PeriodKind.MIDYEAR, signed_off=False)
    assert earlier.name == "2024_13_東京支部_上期進捗_作業ファイル_v01.pdf"
    earlier.write_bytes(b"an earlier version")
    written = export.export_pdf(demo_db, **REPORT, out=tmp_path, actor="t").path
    assert written.name == "2024_13_東京支部_上期進捗_作業ファイル_v02.pdf"
    assert earlier.read_bytes() == b"an earlier version"
    target = tmp_path / "r.pdf"
    target.write_bytes(b"old")
    export.export_pdf(demo_db, **REPORT, out=target, actor="t")
    content = target.read_bytes()
    assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")
    assert _pages(target) == _pages(written)
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".tmp"]


def test_the_cover_names_the_kind_the_report_is_in(demo_pdf):
    path, _data = demo_pdf
    assert "作業ファイル" in _text(path, "-raw", "-f", "1", "-l", "1")  # not signed off yet
    assert export.pdf_kind(PeriodKind.MIDYEAR, signed_off=True) is Kind.SUBMISSION
    assert export.pdf_kind(None, signed_off=False) is Kind.TEMPLATE


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig is not installed")
def test_fontconfig_finds_a_japanese_font_where_the_known_places_have_none():
    (candidate,) = pdf_fonts.fontconfig_candidates()
    fonts = pdf_fonts.find_japanese_fonts([candidate])
    assert fonts.regular.path == candidate.path and fonts.regular.name
