"""The hidden tables are declared once (desktop/workbooks/hidden_tables.py), and
writing, reading, validation and messages follow from the declarations.

So a new field of a domain object is one declared column away from travelling
in a workbook — and it cannot be forgotten: every attribute has a column.
"""

from __future__ import annotations

import dataclasses
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from desktop.domain.model import Benchmark, Kpi, Measurement, PlanNode, SectionEntry
from desktop.workbooks import hidden_tables
from desktop.workbooks.hidden_tables import (
    BENCHMARKS,
    ENTRIES,
    KPIS,
    MANIFEST,
    MANIFEST_SUPPLIED,
    MEASUREMENTS,
    NODES,
    TABLES,
)
from desktop.workbooks.machine import Kind, Manifest, WorkbookError
from desktop.workbooks.writer import write_workbook
from tests.workbooks.full_example import full_data

# Attributes a table does not carry itself, and where they travel instead.
ELSEWHERE = {
    Kpi: {"last_year_profile", "monthly_actuals"},  # rows of _kpi_months
    # after the manifest's rows, outside the digest (the signature signs the digest)
    Manifest: {"digest", "signature", "signing_key"},
}


@pytest.mark.parametrize(
    ("cls", "table"),
    [
        (PlanNode, NODES),
        (Kpi, KPIS),
        (SectionEntry, ENTRIES),
        (Measurement, MEASUREMENTS),
        (Benchmark, BENCHMARKS),
    ],
    ids=lambda x: getattr(x, "__name__", None) or x.sheet,
)
def test_every_attribute_of_a_domain_object_has_its_column(cls, table):
    """A field added to the domain object without a column would be lost in every
    exchange without a word: declare it (with ``since=`` the new format version)."""
    fields = {f.name for f in dataclasses.fields(cls)} - ELSEWHERE.get(cls, set())
    assert {c.attribute for c in table.columns} == fields


def test_every_field_of_the_manifest_has_its_key():
    fields = {f.name for f in dataclasses.fields(Manifest)} - ELSEWHERE[Manifest]
    declared = {c.attribute for c in MANIFEST.columns if c.name not in MANIFEST_SUPPLIED}
    assert {a.removeprefix("manifest.") for a in declared if a.startswith("manifest.")} == fields
    assert {a for a in declared if not a.startswith("manifest.")} == {
        "plan.title",
        "plan.basic_policy",
        "plan.mark_rules",
        "plan.report_axis",
        "plan.number_per_group",
        "plan.print_profiles",
        "report.as_of",
        "report.title",
    }


def test_every_column_is_named_in_both_languages():
    for table in (*TABLES, MANIFEST):
        assert len(set(table.names)) == len(table.names), table.sheet
        for column in table.columns:
            ja, en = hidden_tables.field_words(table.sheet, column.name)
            assert ja and en and ja != column.name, (table.sheet, column.name)


def test_a_column_added_later_is_absent_from_older_files():
    assert "judged_decimals" in KPIS.names
    assert "judged_decimals" not in KPIS.in_version(1).names
    reference = ["last_year_source", "prior_year_actual", "prior_year_source",
                 "last_year_national_average", "last_year_national_rank"]  # fmt: skip
    by_branch = ["target_by_branch"]  # format 4
    targets = ["reference_indicator", "baseline_year", "baseline_value", "goal_year",
               "target_text", "definition_note"]  # fmt: skip
    four = [*by_branch, *targets, "own"]
    assert [c.name for c in KPIS.missing_in(1)] == ["judged_decimals", *reference, *four]
    assert [c.name for c in KPIS.missing_in(2)] == [*reference, *four]
    assert [c.name for c in KPIS.missing_in(3)] == four
    assert hidden_tables.manifest_keys(2)[-1] == "row_counts"
    assert {"created_name", "print_layout"} & set(hidden_tables.manifest_keys(1)) == set()
    # _pages came with format 2, _branch_targets with format 4.
    assert [t.sheet for t in hidden_tables.tables_for(1)] == [t.sheet for t in TABLES[:-2]]
    assert [t.sheet for t in hidden_tables.tables_for(3)] == [t.sheet for t in TABLES[:-1]]


def _with_first_kpi(data, **changes):
    kpis = (replace(data.plan.kpis[0], **changes), *data.plan.kpis[1:])
    return replace(data, plan=replace(data.plan, kpis=kpis))


def test_a_value_out_of_its_columns_range_is_refused_before_writing(tmp_path: Path):
    """A month 13 used to be written and then fail the read-back check, reported as
    a PlanDesk bug; the column's range now refuses it first, naming the KPI."""
    data = _with_first_kpi(full_data(Kind.TEMPLATE), monthly_actuals=((13, Decimal("1")),))
    with pytest.raises(WorkbookError) as err:
        write_workbook(data, tmp_path / "bad.xlsx")
    kpi = data.plan.kpis[0]
    message = err.value.message("ja")
    assert "書けません" in message and "PlanDesk の不具合" not in message
    assert f"KPI「{kpi.label}{kpi.name}」の「月」「13」" in message
    assert "the month of KPI" in err.value.message("en")
    assert list(tmp_path.iterdir()) == []


def test_a_value_the_format_cannot_hold_is_named_by_its_field(tmp_path: Path):
    data = _with_first_kpi(full_data(Kind.TEMPLATE), target=Decimal("1234567890123456789"))
    with pytest.raises(WorkbookError) as err:
        write_workbook(data, tmp_path / "bad.xlsx")
    kpi = data.plan.kpis[0]
    assert f"KPI「{kpi.label}{kpi.name}」の「目標」" in err.value.message("ja")
    assert "1234567890123456789" in err.value.message("ja")
    assert err.value.message("en").startswith(f"The target of KPI '{kpi.label}{kpi.name}'")
    assert err.value.cell == "_kpis!I2"
