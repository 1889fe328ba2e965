"""The hidden tables of a fixed workbook, byte for byte: the file format is pinned.

A workbook of format 2 that PlanDesk wrote yesterday must read the same today,
and one written today must read in yesterday's PlanDesk of the same format:
so for fixed data (every kind, every column set, texts that need escaping)
the XML of each hidden sheet and the digest are recorded here. A change to a
table's columns, a codec or the digest changes them. That is the moment to
raise ``FORMAT_VERSION`` (desktop/workbooks/machine.py), keep reading the
older versions (``since`` on the new columns) and record the new values.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from desktop.domain.calendar import YearMonth
from desktop.domain.model import Benchmark, Group, PeriodKind, Plan, SectionEntry
from desktop.services.plans import bundled_plan
from desktop.workbooks.machine import FORMAT_VERSION, MANIFEST_SHEET, Kind, Manifest, WorkbookData
from desktop.workbooks.reader import read_workbook
from desktop.workbooks.writer import write_workbook
from desktop.workbooks.xlsx_cells import Book

STAMP = datetime(2024, 10, 2, 7, 30, 0, 250000, tzinfo=UTC)
HIDDEN = (
    MANIFEST_SHEET,
    "_nodes",
    "_kpis",
    "_kpi_months",
    "_entries",
    "_measurements",
    "_benchmarks",
    "_bases",
    "_pages",
)

# Recorded from the build before the tables were declared column by column (7f0a0f8):
# SHA-256 over the hidden sheets' XML, in order, and the manifest's digest.
FINGERPRINTS = {
    2: {
        Kind.TEMPLATE: (
            "6b8e5e16ce0a639ad90d9ab97e726f606130c52d8a28e0b2f43ba7ee98edcf2a",
            "a0d423531f2c667a7a70a8371425a08f1eaa00b8ab237b03fb4bcdc638bd9fda",
        ),
        Kind.WORK: (
            "729a4e9b97677574ba0c484858f73deb397c149603ceff4c6e8d4c464b658dbf",
            "220261ed5b95a63684549b87a9a871b965a94d4db7b618fefb2fd11ed1a4c3e1",
        ),
        Kind.SUBMISSION: (
            "ccde6c7582ce7af39c2b32b22bfaeb7ebffe5633cb19ef4786e1867bf268d337",
            "37993ff2a1a0dc6241226a0c7a960d2ceb7b6d229068d6a0ee26d58f0e485753",
        ),
    }
}


def _plan() -> Plan:
    """The Tokyo demo plan with every optional column set somewhere, and texts that
    are written escaped (control characters, \\r, '', a 'json:' start)."""
    plan = bundled_plan("plans/tokyo_2024.json")
    nodes = list(plan.nodes)
    nodes[1] = replace(nodes[1], importance="", difficulty="json:困難\r\n二行目\x07")
    nodes[2] = replace(nodes[2], group=Group.HEALTH, footnotes=("※１", "", "=SUM(A1)"))
    kpis = list(plan.kpis)
    kpis[0] = replace(
        kpis[0],
        judged_decimals=0,
        last_year_actual=Decimal("1E+3"),
        numerator_target=Decimal("0.0000001"),
        last_year_profile=((1, Decimal("1.5")), (2, Decimal("3"))),
        monthly_actuals=((1, Decimal("2.25")),),
        numerator_label="受診者",
        denominator_label="",
        reference="+参考",
        note="@注",
    )
    kpis[1] = replace(kpis[1], cumulative=True, is_new=True, definition_changed=True)
    report = plan.reports[0]
    measurements = list(report.measurements)
    measurements[0] = replace(
        measurements[0],
        numerator=Decimal("12"),
        denominator=Decimal("-3.5"),
        done=True,
        preliminary=True,
        entered_by="suzuki",
        entered_at=STAMP,
        as_of=YearMonth(2024, 8),
    )
    measurements[1] = replace(
        measurements[1], value=None, done=False, unavailable_reason="集計中\t（９月）"
    )
    entries = list(report.entries)
    entries[0] = replace(entries[0], mark=None, mark_reason="", next_steps="-1")
    free = next(n.key for n in nodes if n.key not in {e.node_key for e in entries})
    entries.append(SectionEntry(node_key=free, status_text="\ufffe\x00", mark="○"))
    benchmarks = (
        Benchmark(kpis[0].key, Decimal("55.5"), 3, 47),
        Benchmark(kpis[1].key, None, None, None),
    )
    report = replace(
        report,
        title="json:報告",
        entries=tuple(entries),
        measurements=tuple(measurements),
        benchmarks=benchmarks,
    )
    return replace(
        plan,
        basic_policy=("方針一", "\r"),
        nodes=tuple(nodes),
        kpis=tuple(kpis),
        reports=(report,),
    )


def _data(kind: Kind) -> WorkbookData:
    plan = _plan()
    if kind is Kind.TEMPLATE:
        plan = replace(plan, reports=())
    signed = kind is Kind.SUBMISSION
    manifest = Manifest(
        kind=kind,
        branch=plan.branch,
        fiscal_year=plan.fiscal_year,
        period=PeriodKind.MIDYEAR if plan.reports else None,
        app_version="0.9.0",
        created_by="planner13",
        created_name="企画総務グループ 佐藤 花子",
        created_at=STAMP,
        sections=(plan.nodes[1].key, plan.nodes[2].key) if kind is Kind.WORK else (),
        signed_off_by="yamada" if signed else None,
        signed_off_at=STAMP if signed else None,
        signed_off_name="支部長 山田 太郎" if signed else None,
    )
    bases = (
        {f"entry/{plan.nodes[1].key}/status_text": "前の\r値", "measurement/x/value": None}
        if kind is Kind.WORK
        else {}
    )
    return WorkbookData(manifest=manifest, plan=plan, bases=bases)


def _hidden_sheets(path: Path) -> bytes:
    content = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        book = Book(archive)
        parts = []
        for sheet in HIDDEN:
            entry = book.entry(sheet)
            assert entry is not None and entry.part is not None, sheet
            assert entry.state == "veryHidden", sheet
            parts.append(archive.read(entry.part))
    return b"\0".join(parts)


@pytest.mark.parametrize("kind", list(Kind), ids=lambda k: k.value)
def test_the_hidden_tables_of_a_fixed_workbook_are_as_recorded(tmp_path: Path, kind: Kind):
    path = tmp_path / f"{kind.value}.xlsx"
    written = write_workbook(_data(kind), path)
    assert read_workbook(path) == written
    sheets = hashlib.sha256(_hidden_sheets(path)).hexdigest()
    assert (sheets, written.manifest.digest) == FINGERPRINTS[FORMAT_VERSION][kind], (
        "The hidden tables changed: a new format version (see this module's docstring). "
        f"Now: {kind}: ({sheets!r}, {written.manifest.digest!r})"
    )
