"""Write the Tokyo FY2024 mid-year submission workbook, print it to PDF with
LibreOffice and save the first page of each sheet as PNG (docs/screenshots/).

Needs ``soffice`` (LibreOffice) and ``pdftoppm`` (poppler-utils); Japanese
glyphs need a CJK font (Debian: fonts-noto-cjk).
Usage: .venv/bin/python tools/render_workbook_pdf.py [OUT_DIR] [--keep DIR]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from desktop.domain.model import PeriodKind
from desktop.services.plans import bundled_plan
from desktop.workbooks.machine import Kind, Manifest, WorkbookData
from desktop.workbooks.print_sheets import COVER_SHEET, KPI_SHEET, REPORT_SHEETS
from desktop.workbooks.writer import write_workbook

PAGES = {
    COVER_SHEET: "workbook-cover.png",
    REPORT_SHEETS[PeriodKind.MIDYEAR]: "workbook-report-page1.png",
    KPI_SHEET: "workbook-kpi-page1.png",
}


def demo_submission() -> WorkbookData:
    """The demo branch's signed-off mid-year report (demo names only)."""
    plan = bundled_plan("plans/tokyo_2024.json")
    manifest = Manifest(
        kind=Kind.SUBMISSION,
        branch=plan.branch,
        fiscal_year=plan.fiscal_year,
        period=PeriodKind.MIDYEAR,
        app_version="demo",
        created_by="planner13",  # logins stay in the data; the cover prints the names
        created_name="企画総務グループ 佐藤",
        created_at=datetime(2024, 10, 15, 5, 3, tzinfo=UTC),
        signed_off_by="yamada",
        signed_off_name="支部長 山田",
        signed_off_at=datetime(2024, 10, 15, 5, 3, tzinfo=UTC),
    )
    return WorkbookData(manifest=manifest, plan=plan)


def _first_pages(pdf: Path) -> dict[str, int]:
    """1-based PDF page of each sheet's first page. The cover is one page and
    the report table follows it; the KPI table's title is on its first page only."""
    starts = {COVER_SHEET: 1, REPORT_SHEETS[PeriodKind.MIDYEAR]: 2}
    for page in range(2, _pdf_pages(pdf) + 1):
        text = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        if "ＫＰＩ設定項目一覧表" in text:
            starts[KPI_SHEET] = page
            break
    return starts


def _to_pdf(xlsx: Path, out: Path) -> Path:
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out), str(xlsx)],
        check=True,
        capture_output=True,
    )
    return out / (xlsx.stem + ".pdf")


def _pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    for line in info.stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise RuntimeError(f"no page count for {pdf}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default="docs/screenshots")
    parser.add_argument("--keep", help="also keep the xlsx, the PDF and every page here")
    parser.add_argument("--dpi", type=int, default=100)
    args = parser.parse_args(argv)
    if not shutil.which("soffice") or not shutil.which("pdftoppm"):
        print("soffice (LibreOffice) and pdftoppm (poppler-utils) are needed.", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    data = demo_submission()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.keep) if args.keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        xlsx = work / "tokyo_2024_midyear_submission.xlsx"
        started = time.perf_counter()
        write_workbook(data, xlsx)
        print(f"wrote {xlsx} in {time.perf_counter() - started:.3f} s")
        pdf = _to_pdf(xlsx, work)
        print(f"{pdf}: {_pdf_pages(pdf)} pages")
        if args.keep:
            subprocess.run(
                ["pdftoppm", "-png", "-r", str(args.dpi), str(pdf), str(work / "page")],
                check=True,
            )
        for title, page in _first_pages(pdf).items():
            name = PAGES.get(title)
            if name is None:
                continue
            prefix = Path(tmp) / f"p{page}"
            pages = ["-f", str(page), "-l", str(page), "-singlefile"]
            subprocess.run(
                ["pdftoppm", "-png", "-r", str(args.dpi), *pages, str(pdf), str(prefix)],
                check=True,
            )
            shutil.copyfile(prefix.with_suffix(".png"), out / name)
            print(f"{title}: page {page} → {out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
