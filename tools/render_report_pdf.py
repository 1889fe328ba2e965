"""Write the Tokyo FY2024 mid-year submission as PDF (PlanDesk's own renderer, no
LibreOffice) and save pages as PNG in docs/screenshots/: the cover, the first two
pages of the report table and the first page of the KPI table.

Needs ``pdftoppm`` (poppler-utils) and a Japanese font (Debian: fonts-noto-cjk).
Prints how long the PDF took (docs/PERFORMANCE.md).
Usage: .venv/bin/python tools/render_report_pdf.py [OUT_DIR] [--keep FILE]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from render_workbook_pdf import demo_submission

from desktop.workbooks.pdf_render import write_pdf

PNGS = ("report-pdf-p1.png", "report-pdf-p2.png", "report-pdf-p3.png")
KPI_PNG = "report-pdf-kpi.png"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", default="docs/screenshots")
    parser.add_argument("--keep", help="also keep the PDF at this path")
    args = parser.parse_args()
    if shutil.which("pdftoppm") is None:
        print("pdftoppm is missing (poppler-utils)", file=sys.stderr)
        return 1
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        pdf = Path(work) / "report.pdf"
        data = demo_submission()
        start = time.perf_counter()
        write_pdf(data, pdf)
        print(f"PDF written in {time.perf_counter() - start:.2f} s")
        for page, name in enumerate(PNGS, start=1):
            _png(pdf, page, out / name)
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True)
        pages = text.stdout.decode("utf-8").split("\f")
        kpi = next(i for i, p in enumerate(pages, start=1) if "ＫＰＩ設定項目一覧表" in p)
        _png(pdf, kpi, out / KPI_PNG)
        if args.keep:
            shutil.copyfile(pdf, args.keep)
    return 0


def _png(pdf: Path, page: int, target: Path) -> None:
    stem = target.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", str(page), "-l", str(page), "-singlefile",
         str(pdf), str(stem)],
        check=True,
    )  # fmt: skip
    print(f"wrote {target}")


if __name__ == "__main__":
    raise SystemExit(main())
