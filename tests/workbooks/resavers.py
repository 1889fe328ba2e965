"""Re-saving a workbook untouched, as people do: openpyxl (load and save) and
LibreOffice (``soffice --headless --convert-to xlsx``). Excel is not available
here; what it writes is covered by the archive allow-list and the reader's
tolerance of shared strings and rich text (see docs/workbook-format.md)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) not installed")


def resave_openpyxl(path: Path, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / path.name
    openpyxl.load_workbook(path).save(out)
    return out


def resave_libreoffice(path: Path, out_dir: Path) -> Path:
    """Open and save with LibreOffice, in its own profile (so that parallel runs
    and a desktop LibreOffice never share one), into another folder."""
    assert SOFFICE is not None
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = out_dir / ".lo-profile"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out_dir),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    out = out_dir / path.name
    assert out.exists(), f"LibreOffice wrote nothing for {path.name}"
    return out
