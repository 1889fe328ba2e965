"""Export of the demo branch's signed-off submission, and its verification.

Run with: QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest
tests/benchmarks/test_bench_workbooks.py --benchmark-enable
(the normal test run executes each once, as a smoke test). Target: well under
a second each (issue 6).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.domain.model import PeriodKind
from desktop.services import exchange
from desktop.workbooks.machine import Kind
from tests.helpers.reports import REF, sign_off_all


@pytest.fixture
def signed(demo_db):
    sign_off_all(demo_db, REF)
    return demo_db


def _export(db, out: Path) -> Path:
    return exchange.export_workbook(
        db, branch="13", fiscal_year=2024, period=PeriodKind.MIDYEAR, kind=Kind.SUBMISSION,
        out=out, actor="bench", overwrite_signed_off=True,
    ).path  # fmt: skip


def test_export_submission(benchmark, signed, tmp_path: Path):
    """From the database to a durable xlsx: load, people sheets, hidden tables, digest,
    atomic write with fsync."""
    target = tmp_path / "submission.xlsx"
    path = benchmark(_export, signed, target)
    assert path == target and exchange.verify_file(path).ok


def test_verify_submission(benchmark, signed, tmp_path: Path):
    """Archive checks, parse of the hidden tables, row hashes and digest."""
    path = _export(signed, tmp_path / "submission.xlsx")
    verdict = benchmark(exchange.verify_file, path)
    assert verdict.ok
