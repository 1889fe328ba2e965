"""The domain's text limits fit what a workbook holds, and a file cannot bring more.

desktop/domain/limits.py names every kind of stored text and its limit. Here:
the longest allowed text of every kind, in the characters that take the most
room in a cell (escaped control characters, six each; emoji, two UTF-16
units each), exports and reads back unchanged; and a file that carries a
longer text is refused when it is read, naming the cell.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from desktop.domain import limits
from desktop.domain.model import Plan
from desktop.workbooks import cell_codecs, hidden_tables
from desktop.workbooks.hidden_tables import ENTRIES
from desktop.workbooks.machine import MANIFEST_SHEET, Kind, WorkbookData, WorkbookError
from desktop.workbooks.reader import read_workbook
from desktop.workbooks.writer import write_workbook
from tests.workbooks.forging import manifest_line, resign
from tests.workbooks.helpers import edit, refused, tokyo

Setter = Callable[[WorkbookData, str], WorkbookData]


def _plan(data: WorkbookData, plan: Plan) -> WorkbookData:
    return replace(data, plan=plan)


def _node(name: str) -> Callable[[WorkbookData, object], WorkbookData]:
    def set_(data: WorkbookData, value: object) -> WorkbookData:
        nodes = list(data.plan.nodes)
        nodes[3] = replace(nodes[3], **{name: value})
        return _plan(data, replace(data.plan, nodes=tuple(nodes)))

    return set_


def _kpi(name: str) -> Setter:
    def set_(data: WorkbookData, value: str) -> WorkbookData:
        kpis = list(data.plan.kpis)
        kpis[1] = replace(kpis[1], **{name: value})
        return _plan(data, replace(data.plan, kpis=tuple(kpis)))

    return set_


def _report(change: Callable[[object, str], object]) -> Setter:
    def set_(data: WorkbookData, value: str) -> WorkbookData:
        report = data.plan.reports[0]
        return _plan(data, replace(data.plan, reports=(change(report, value),)))

    return set_


def _entry(name: str) -> Setter:
    def change(report, value):
        entries = list(report.entries)
        entries[3] = replace(entries[3], **{name: value})
        return replace(report, entries=tuple(entries))

    return _report(change)


def _measurement(name: str) -> Setter:
    def change(report, value):
        measurements = list(report.measurements)
        measurements[0] = replace(measurements[0], **{name: value})
        return replace(report, measurements=tuple(measurements))

    return _report(change)


def _manifest(name: str) -> Setter:
    return lambda data, value: replace(data, manifest=replace(data.manifest, **{name: value}))


# Where each kind of text travels in a workbook (one place is enough: the cell is the same).
PLACES: dict[limits.TextKind, Setter] = {
    limits.STATUS_TEXT: _entry("status_text"),
    limits.NEXT_STEPS: _entry("next_steps"),
    limits.MARK: _entry("mark"),
    limits.MARK_REASON: _entry("mark_reason"),
    limits.ACTIONS: _entry("actions"),
    limits.UNAVAILABLE_REASON: _measurement("unavailable_reason"),
    limits.REPORT_TITLE: _report(lambda report, value: replace(report, title=value)),
    limits.PLAN_TITLE: lambda data, value: _plan(data, replace(data.plan, title=value)),
    limits.BASIC_POLICY: lambda data, value: _plan(data, replace(data.plan, basic_policy=value)),
    limits.PLAN_TEXT: _node("plan_text"),
    limits.NODE_LABEL: _node("label"),
    limits.NODE_TITLE: _node("title"),
    limits.TAG_REASON: _node("importance"),
    limits.FOOTNOTE: _node("footnotes"),
    limits.KPI_LABEL: _kpi("label"),
    limits.KPI_NAME: _kpi("name"),
    limits.KPI_UNIT: _kpi("unit"),
    limits.KPI_PART_LABEL: _kpi("numerator_label"),
    limits.KPI_REFERENCE: _kpi("reference"),
    limits.KPI_NOTE: _kpi("note"),
    limits.TARGET_TEXT: _kpi("target_text"),
    limits.DEFINITION_NOTE: _kpi("definition_note"),
    limits.MANUAL_REASON: _measurement("manual_reason"),
    limits.MERGE_BASE: lambda data, value: replace(data, bases={"measurement/k/value": value}),
    limits.LOGIN: _measurement("entered_by"),
    limits.DISPLAY_NAME: _manifest("signed_off_name"),
}
NOT_IN_WORKBOOKS = {limits.REVIEW_TEXT}  # review comments stay in the branch's database


def test_every_kind_is_placed_or_said_not_to_travel():
    assert set(PLACES) | NOT_IN_WORKBOOKS == set(limits.KINDS)
    carried = {k for columns in hidden_tables.TEXT_LIMITS.values() for k in columns.values()}
    assert carried | {limits.MERGE_BASE} == set(PLACES)


@pytest.mark.parametrize("kind", limits.KINDS, ids=lambda k: k.key)
def test_the_worst_case_fits_an_excel_cell(kind: limits.TextKind):
    """The arithmetic in limits.py, checked against the encoder it is about."""
    assert limits.worst_cell_length(kind) <= limits.EXCEL_CELL
    longest = "json:" + "\x01" * (kind.limit - 5) if kind.limit > 5 else "\x01" * kind.limit
    cell = cell_codecs.encode_text(longest)
    assert cell is not None and len(cell) <= limits.ESCAPED_CHAR * kind.limit + 7
    if kind.max_items > 1:
        listed = cell_codecs.encode_list(["\x01" * kind.limit] * kind.max_items)
        assert listed is not None and len(listed) <= limits.worst_cell_length(kind)


def _worst(kind: limits.TextKind, char: str) -> str:
    """The longest text of ``kind`` in ``char``; a 'json:' start escapes it as a whole."""
    if char != "😀" and kind.limit > 5:
        return "json:" + char * (kind.limit - 5)
    return char * kind.limit


@pytest.mark.parametrize(
    "char", ["\x01", "\ufffe", "😀", '"'], ids=["ctrl", "fffe", "emoji", "quote"]
)
def test_the_longest_text_of_every_kind_exports_and_reads_back(tmp_path: Path, char: str):
    data = tokyo(Kind.SUBMISSION)
    data = replace(data, manifest=replace(data.manifest, signed_off_by="head"))
    for kind, setter in PLACES.items():
        text = _worst(kind, char)
        value: object = (text,) * kind.max_items if kind.max_items > 1 else text
        data = setter(data, value)
    path = tmp_path / "longest.xlsx"
    written = write_workbook(data, path)
    assert read_workbook(path) == written
    assert written.report.entries[3].status_text == _worst(limits.STATUS_TEXT, char)


def test_an_over_long_text_in_an_incoming_file_is_refused_naming_the_cell(tmp_path: Path):
    """A file can be crafted (the digest has no key): a text one character over the
    limit is refused, with the field's name and the cell, before anything is stored."""
    path = tmp_path / "crafted.xlsx"
    write_workbook(tokyo(), path)
    column = ENTRIES.position("status_text") + 1

    def change(wb):
        wb[ENTRIES.sheet].cell(5, column).value = "あ" * (limits.STATUS_TEXT.limit + 1)
        resign(wb)

    edit(path, change)
    error = refused(path, "実施状況が長すぎます|Status text is too long", "5,001", "5,000")
    assert error.cell == f"{ENTRIES.sheet}!B5"


def test_an_over_long_name_in_the_manifest_is_refused(tmp_path: Path):
    path = tmp_path / "crafted.xlsx"
    write_workbook(tokyo(), path)

    def change(wb):
        ws = wb[MANIFEST_SHEET]
        ws.cell(manifest_line(ws, "created_by"), 2).value = "x" * (limits.LOGIN.limit + 1)
        resign(wb)

    edit(path, change)
    error = refused(path, "ログイン名が長すぎます|Login is too long")
    assert error.cell == f"{MANIFEST_SHEET}!created_by"


def test_too_many_footnotes_are_refused(tmp_path: Path):
    data = _node("footnotes")(tokyo(), ("※",) * (limits.FOOTNOTE.max_items + 1))
    with pytest.raises(WorkbookError) as err:
        write_workbook(data, tmp_path / "x.xlsx")
    assert "注記（※）が多すぎます" in err.value.message("ja")
    assert "Too many" in err.value.message("en")
