"""What the workbook tests share: the bundled Tokyo FY2024 report as workbook data, an
edit as a person with openpyxl makes it, and the check that a file is refused with a
clear message in both languages."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest

from desktop.services.plans import bundled_plan
from desktop.workbooks.machine import Kind, Manifest, WorkbookData, WorkbookError
from desktop.workbooks.reader import read_workbook


def tokyo(kind: Kind = Kind.SUBMISSION, bases: dict[str, str | None] | None = None) -> WorkbookData:
    """The bundled Tokyo FY2024 plan and mid-year report as a ``kind`` workbook carries it."""
    plan = bundled_plan("plans/tokyo_2024.json")
    manifest = Manifest(
        kind=kind,
        branch=plan.branch,
        fiscal_year=plan.fiscal_year,
        period=plan.reports[0].period,
        app_version="0.1.0",
        created_by="tester",
        created_at=datetime(2024, 10, 1, 9, 30, 15, 123456, tzinfo=UTC),
    )
    return WorkbookData(manifest=manifest, plan=plan, bases=bases or {})


def edit(path: Path, change) -> None:
    """Open the file as a person with openpyxl would, change it, save it."""
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)


def refused(path: Path, *needles: str, cell: str | None = None) -> WorkbookError:
    """read_workbook raises WorkbookError (nothing else) and both messages say
    what is wrong: each needle is 'ja text|en text' or one text for both. The
    hidden sheet's cell is for the log (``cell``), never in the message."""
    with pytest.raises(WorkbookError) as err:
        read_workbook(path)
    if cell is not None:
        assert err.value.cell.startswith(cell), (err.value.cell, cell)
    for lang in ("ja", "en"):
        assert not re.search(r"_[a-z_]+!", err.value.message(lang)), err.value.message(lang)
    assert isinstance(err.value, WorkbookError)  # nothing else escapes the reader
    ja, en = err.value.message("ja"), err.value.message("en")
    for needle in needles:
        in_ja, _, in_en = needle.partition("|")
        assert in_ja in ja, (in_ja, ja)
        assert (in_en or in_ja) in en, (in_en or in_ja, en)
    return err.value
