"""Consolidate the 47 demo submissions, print the national workbook to PDF with
LibreOffice and save its national figures and first chart page as PNG.

Needs ``soffice`` (LibreOffice), ``pdftoppm`` (poppler-utils) and a CJK font.
Usage: .venv/bin/python tools/render_national_pdf.py [OUT_DIR]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from desktop.domain.model import PeriodKind
from desktop.services.consolidation import consolidate_folder, write_national
from desktop.services.demo_submissions import write_demo_submissions

SHEETS = {"全国値": "national-figures.png", "グラフ": "national-charts.png"}


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screenshots")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        write_demo_submissions(work / "share")
        result = consolidate_folder(work / "share", fiscal_year=2024, period=PeriodKind.MIDYEAR)
        book = write_national(result, work / "national.xlsx", actor="demo")
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(work), str(book)],
            check=True,
            capture_output=True,
            timeout=300,
        )
        pdf = work / "national.pdf"
        for sheet, name in SHEETS.items():
            page = _first_page(pdf, sheet)
            target = out / name
            subprocess.run(
                ["pdftoppm", "-png", "-r", "90", "-f", str(page), "-l", str(page),
                 "-singlefile", str(pdf), str(target.with_suffix(""))],
                check=True,
            )  # fmt: skip
            print(target)
    return 0


def _first_page(pdf: Path, sheet: str) -> int:
    """Each page's header names its sheet (see desktop/workbooks/national.py)."""
    page = 1
    while True:
        text = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        if not text:
            raise SystemExit(f"no page for sheet {sheet}")
        if sheet in text.splitlines()[:4]:
            return page
        page += 1


if __name__ == "__main__":
    raise SystemExit(main())
