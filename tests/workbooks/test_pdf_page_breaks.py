"""Where the PDF breaks pages for the print profiles' rows (issue 16 item 7: seen on
the rendered pages): a heading never stays behind at a page's foot without its first
row, and a row merged over its last columns is no heading."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from desktop.workbooks import pdf_fonts
from desktop.workbooks.pdf_render import render_pdf
from desktop.workbooks.print_sheets import Column, Page
from tests.helpers.poppler import needs_poppler

pytestmark = needs_poppler


def _pages(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True)
    return [re.sub(r"\s+", "", p) for p in out.stdout.decode("utf-8").split("\f")]


def _table(columns: int = 2) -> Page:
    page = Page("表", tuple(Column(f"列{i}", 60) for i in range(1, columns + 1)))
    for c in range(1, columns + 1):
        page.cells[(1, c)] = (f"列{c}", "pd_head")
    page.title_row = 1
    return page


def _write(page: Page, path: Path) -> list[str]:
    path.write_bytes(render_pdf([page], pdf_fonts.find_japanese_fonts(), title="t"))
    return _pages(path)


def test_a_heading_goes_to_the_next_page_with_a_row_that_moves_whole(tmp_path: Path):
    page = _table()
    page.cells[(2, 1)] = ("\n".join(f"埋め草{i}" for i in range(22)), "pd_text")
    page.cells[(3, 1)] = ("見出しの行", "pd_section")
    page.merges.append((3, 1, 3, 2))
    page.cells[(4, 1)] = ("\n".join(f"項目の行{i}" for i in range(12)), "pd_text")
    pages = _write(page, tmp_path / "keep.pdf")
    heading = next(i for i, p in enumerate(pages) if "見出しの行" in p)
    assert "項目の行0" in pages[heading]  # the heading and its row on one page


def test_a_row_merged_over_its_last_columns_is_no_heading(tmp_path: Path):
    """plan_results2's rows merge the results over the KPI box's columns: taken for
    headings, every row started a page of its own (89 pages for 19)."""
    page = _table(4)
    for row in range(2, 40):  # two pages' worth
        page.cells[(row, 1)] = (f"計画{row}", "pd_text")
        page.cells[(row, 2)] = (f"実績{row}", "pd_text")
        page.merges.append((row, 2, row, 4))
    assert len([p for p in _write(page, tmp_path / "rows.pdf") if p]) == 2


def test_the_kpi_boxs_header_row_keeps_its_first_row_on_its_page(tmp_path: Path):
    """plan_results2's KPI box (a header row KPI（目標）| 実績 | 前年度 | 前々年度 in the
    table's own header style, then a row per KPI) under each item: sixty items of
    varying height put page breaks everywhere; a box's header never ends a page
    without the box's first KPI under it."""
    page = _table(4)
    row = 2
    for i in range(60):
        filler = "\n".join(f"取組{i}-{n}" for n in range(1 + (i * 5) % 9))
        page.cells[(row, 1)] = (f"計画{i}", "pd_text")
        page.cells[(row, 2)] = (filler, "pd_text")
        page.merges.append((row, 2, row, 4))
        heads = [f"KPI{i}（目標）", "実績", "前年度", "前々年度"]
        for c, text in enumerate(heads, start=1):
            page.cells[(row + 1, c)] = (text, "pd_head")
        page.cells[(row + 2, 1)] = (f"指標{i}\n目標：60.0％以上\n（参考）", "pd_kpi_text")
        page.cells[(row + 2, 2)] = ("58.1％（9月末）\n× 未達成", "pd_kpi_text")
        page.cells[(row + 2, 3)] = ("57.0％", "pd_number")
        page.cells[(row + 2, 4)] = ("55.2％", "pd_number")
        row += 3
    pages = _write(page, tmp_path / "boxes.pdf")
    assert len([p for p in pages if p]) > 5
    for i in range(60):
        (where,) = [n for n, p in enumerate(pages) if f"KPI{i}（目標）" in p]
        assert f"指標{i}目標" in pages[where], f"box {i}: its header ends page {where + 1} alone"
