"""Over-long texts on the command line: refused with a message, nothing stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.cli import main
from desktop.domain import limits
from desktop.domain.model import PeriodKind, ReportRef
from desktop.services import plans
from desktop.services.audit_trail import entries

REF = ReportRef("13", 2024, PeriodKind.MIDYEAR)
KPI = "2.II.3.k1"


def _state(db) -> tuple[object, int]:
    report = plans.get_plan(db, "13", 2024).report(PeriodKind.MIDYEAR)
    assert report is not None
    return report.measurements, len(entries(db))


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_set_unavailable_with_100000_characters_is_refused(
    demo_db, tmp_path: Path, capsys, monkeypatch, lang: str
):
    """Accepted before, every later export of the report failed on Excel's cell limit."""
    monkeypatch.setenv("PLANDESK_LANG", lang)
    before = _state(demo_db)
    code = main(
        ["set", "--db", str(tmp_path / "demo.sqlite3"), "--year", "2024", "--branch", "13",
         "--kpi", KPI, "--unavailable", "集" * 100_000]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    limit = f"{limits.UNAVAILABLE_REASON.limit:,}"
    if lang == "ja":
        assert f"未入力の理由が長すぎます（100,000文字、上限{limit}文字）" in err
    else:
        assert f"Reason for no figure is too long (100,000 characters; the limit is {limit})" in err
    assert "Traceback" not in err
    assert _state(demo_db) == before


def test_the_longest_allowed_reason_is_stored(demo_db, tmp_path: Path, capsys):
    reason = "集" * limits.UNAVAILABLE_REASON.limit
    code = main(
        ["set", "--db", str(tmp_path / "demo.sqlite3"), "--year", "2024", "--branch", "13",
         "--kpi", KPI, "--unavailable", reason]
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    measurements, _ = _state(demo_db)
    assert next(m for m in measurements if m.kpi_key == KPI).unavailable_reason == reason
