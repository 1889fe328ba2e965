"""Render the Tokyo FY2024 mid-year submission in every print profile and save the
report table's first pages as PNG (docs/screenshots/profile-<key>-*.png): the
workbook's printed sheets through LibreOffice, and PlanDesk's own PDF.

Needs ``soffice`` (LibreOffice) for the sheets and ``pdftoppm`` (poppler-utils);
Japanese glyphs need a CJK font (Debian: fonts-noto-cjk).
Usage: .venv/bin/python tools/render_profiles.py [OUT_DIR] [--keep DIR] [--pages N]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from render_workbook_pdf import _to_pdf, demo_submission

from desktop.domain.print_profiles import PROFILES, ReportProfiles
from desktop.workbooks.pdf_render import write_pdf
from desktop.workbooks.writer import write_workbook


def _png(pdf: Path, page: int, target: Path, dpi: int) -> None:
    stem = target.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile",
         str(pdf), str(stem)],
        check=True,
    )  # fmt: skip
    print(f"wrote {target}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default="docs/screenshots")
    parser.add_argument("--keep", help="also keep the xlsx and PDF files here")
    parser.add_argument("--pages", type=int, default=1, help="report pages per profile")
    parser.add_argument("--dpi", type=int, default=80)
    args = parser.parse_args(argv)
    if not shutil.which("pdftoppm"):
        print("pdftoppm (poppler-utils) is needed.", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    base = demo_submission()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.keep) if args.keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for key in PROFILES:
            plan = replace(base.plan, print_profiles=ReportProfiles(midyear=key))
            data = replace(base, plan=plan)
            pdf = work / f"{key}.pdf"
            write_pdf(data, pdf)
            for page in range(2, 2 + args.pages):  # page 1 is the cover
                _png(pdf, page, out / f"profile-{key}-pdf-p{page - 1}.png", args.dpi)
            if shutil.which("soffice"):
                xlsx = work / f"{key}.xlsx"
                write_workbook(data, xlsx)
                sheets = _to_pdf(xlsx, work / "sheets")
                for page in range(2, 2 + args.pages):
                    _png(sheets, page, out / f"profile-{key}-sheet-p{page - 1}.png", args.dpi)
    return 0


if __name__ == "__main__":
    sys.exit(main())
