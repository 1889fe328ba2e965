"""Export then read back is lossless, and the digest notices any one change.

Property-tested on generated plans (see strategies.py): arbitrary Unicode,
formula-like and control-character texts, every Direction and TargetKind,
18+10-digit decimals, microsecond timestamps.
"""

from __future__ import annotations

import dataclasses
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import Enum
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.domain.calendar import YearMonth
from desktop.domain.mark_rules import DEFAULT_MARK_RULES, MarkRules
from desktop.domain.model import BranchTarget, BranchTargetKind, Group, PeriodKind, Source
from desktop.domain.print_profiles import ReportProfiles
from desktop.workbooks.machine import FORMAT_VERSION, Kind, WorkbookData, WorkbookError
from desktop.workbooks.print_sheets import build_pages, seal_rows
from desktop.workbooks.reader import read_workbook
from desktop.workbooks.row_codec import manifest_rows, tables_of
from desktop.workbooks.seals import digest, with_digest
from desktop.workbooks.writer import build_workbook, write_workbook
from tests.workbooks.full_example import HQ_RULES
from tests.workbooks.strategies import decimals, plans, workbook_data

_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@_SETTINGS
@given(data=workbook_data())
def test_write_then_read_gives_the_same_data(tmp_path: Path, data: WorkbookData):
    path = tmp_path / "round.xlsx"
    written = write_workbook(data, path)
    assert written.manifest.digest and written == replace(
        data, manifest=replace(data.manifest, digest=written.manifest.digest)
    )
    back = read_workbook(path)
    assert back.plan == data.plan
    assert back.manifest == written.manifest  # digest included
    assert back.bases == data.bases
    assert back == written


@_SETTINGS
@given(data=workbook_data(period=st.sampled_from(PeriodKind)))
def test_reports_round_trip_field_by_field(tmp_path: Path, data: WorkbookData):
    """Same as above, always with a report, compared piece by piece so that a
    failure says which part differs."""
    path = tmp_path / "report.xlsx"
    write_workbook(data, path)
    back = read_workbook(path)
    assert back.report is not None and data.report is not None
    assert back.report.entries == data.report.entries
    assert back.report.measurements == data.report.measurements
    assert back.report.benchmarks == data.report.benchmarks
    assert back.report.as_of == data.report.as_of
    assert back.plan.kpis == data.plan.kpis
    assert back.plan.nodes == data.plan.nodes


@settings(max_examples=25, deadline=None)
@given(plan=plans(period=st.sampled_from(PeriodKind)))
def test_plans_strategy_draws_valid_plans(plan):
    keys = [n.key for n in plan.nodes]
    assert len(keys) == len(set(keys))
    seen: set[str] = set()
    for node in plan.nodes:  # parents before children
        assert node.parent_key is None or node.parent_key in seen
        seen.add(node.key)
    report = plan.reports[0]
    assert report.as_of.fiscal_year == plan.fiscal_year
    for m in report.measurements:
        assert m.as_of is None or m.as_of.fiscal_year == plan.fiscal_year
        assert m.entered_at is None or m.entered_at.tzinfo is UTC


@settings(max_examples=200, deadline=None)
@given(value=decimals())
def test_every_decimal_of_the_format_survives_the_cell_encoding(value: Decimal):
    from desktop.workbooks.cell_codecs import decode_decimal, encode_number

    assert decode_decimal(encode_number(value)) == value


# --- the digest ------------------------------------------------------------------------


def _pages(data: WorkbookData) -> list:
    return seal_rows(build_pages(data))


def _digest(data: WorkbookData, *, pages: bool = True) -> str:
    """The digest; without the sealed printed rows for data no page can be laid out
    for (a field changed alone can break the plan's references)."""
    sealed = _pages(data) if pages else []
    return digest(manifest_rows(data, len(sealed)), tables_of(data, sealed))


@settings(max_examples=30, deadline=None)
@given(data=workbook_data())
def test_the_digest_is_deterministic(data: WorkbookData):
    first = with_digest(data, _pages(data)).manifest.digest
    assert with_digest(data, _pages(data)).manifest.digest == first
    assert build_workbook(data)[1].manifest.digest == first
    # Rebuilt from equal but separately made objects: the same digest.
    copy = replace(data, plan=replace(data.plan), bases=dict(reversed(data.bases.items())))
    assert _digest(copy) == first
    assert len(first) == 64 and int(first, 16) >= 0


def test_the_digest_is_the_same_in_two_files(tmp_path: Path):
    data = _example()
    a = write_workbook(data, tmp_path / "a.xlsx")
    b = write_workbook(data, tmp_path / "b.xlsx")
    assert a.manifest.digest == b.manifest.digest
    assert read_workbook(tmp_path / "a.xlsx").manifest.digest == a.manifest.digest


# Fields that live in one place only: the manifest's branch, year and period
# stand for the plan's and the report's (build_workbook refuses a mismatch).
_CARRIED_BY_THE_MANIFEST = {("Plan", "branch"), ("Plan", "fiscal_year"), ("Report", "period")}


def _changed(value: object, name: str) -> object:
    """A different value of the same type (None becomes a typical value)."""
    if isinstance(value, MarkRules):
        top = value.annual.rank_lift_top
        return replace(value, annual=replace(value.annual, rank_lift_top=3 if top != 3 else 4))
    if isinstance(value, bool):
        return not value
    if isinstance(value, Enum):
        members = list(type(value))
        return members[(members.index(value) + 1) % len(members)]
    if isinstance(value, int):
        return value + 1 if value < 47 else value - 1
    if isinstance(value, Decimal):
        return value + 1 if value < 10**17 else value - 1
    if name == "manual_status":  # one of four words
        return "not_met" if value == "met" else "met"
    if isinstance(value, str):
        # Same length and alphabet, so keys stay keys.
        return value[:-1] + ("a" if value[-1:] != "a" else "b") if value else "x"
    if isinstance(value, datetime):
        return value + timedelta(microseconds=1)
    if isinstance(value, YearMonth):
        return value.add_months(1) if value.month != 3 else value.add_months(-1)
    if name in _SERIES:
        if not value:
            return ((1, Decimal(1)),)
        index, number = value[0]
        return ((index, number + 1 if number < 10**17 else number - 1), *value[1:])
    if isinstance(value, tuple):  # footnotes, basic policy, sections
        return (*value, "x")
    if value is None:
        return {
            "parent_key": "zz",
            "period": PeriodKind.ANNUAL,
            "group": Group.HEALTH,
            "mark": "○",
            "done": True,
            "as_of": YearMonth(2024, 5),
            "entered_at": datetime(2024, 5, 1, tzinfo=UTC),
            "signed_off_at": datetime(2024, 5, 1, tzinfo=UTC),
            "national_rank": 3,
            "branch_count": 47,
            "judged_decimals": 1,
            "report_position": 4,
            "last_year_national_rank": 5,
            "last_year_source": Source.TYPED,
            "prior_year_source": Source.ROLLOVER,
            "mark_rules": DEFAULT_MARK_RULES,
            "baseline_year": 2023,
            "goal_year": 2029,
            "manual_status": "met",
        }.get(name, Decimal(7) if name in _DECIMAL_FIELDS else "x")
    if isinstance(value, ReportProfiles):
        return replace(value, annual="annual6" if value.annual != "annual6" else "progress4")
    raise AssertionError(f"no change for {name}={value!r}")


_SERIES = {"last_year_profile", "monthly_actuals"}
_DATA_TUPLES = {"nodes", "kpis", "reports", "entries", "measurements", "benchmarks"}
_DECIMAL_FIELDS = {
    "target",
    "numerator_target",
    "denominator_target",
    "last_year_actual",
    "value",
    "numerator",
    "denominator",
    "national_average",
    "prior_year_actual",
    "last_year_national_average",
    "baseline_value",
    "old_method_value",
}


def _one_field_changes(obj: object):
    """Every copy of ``obj`` (a frozen dataclass tree) with exactly one field changed."""
    for f in dataclasses.fields(obj):
        # The digest, and the signature over it with its key: outside what the digest covers.
        if not f.compare or f.name in ("digest", "signature", "signing_key"):
            continue
        if (type(obj).__name__, f.name) in _CARRIED_BY_THE_MANIFEST:
            continue
        value = getattr(obj, f.name)
        label = f"{type(obj).__name__}.{f.name}"
        if f.name in _DATA_TUPLES:
            for i, item in enumerate(value):
                for where, new in _one_field_changes(item):
                    yield (
                        f"{label}[{i}].{where}",
                        replace(obj, **{f.name: (*value[:i], new, *value[i + 1 :])}),
                    )
            continue
        if f.name == "branch_targets":  # a cell set or changed, on a KPI of the plan
            if obj.kpis:  # type: ignore[attr-defined]
                key = obj.kpis[0].key  # type: ignore[attr-defined]
                cell = BranchTarget(BranchTargetKind.BY_BRANCH)
                if value.get("01", key) == cell:
                    cell = BranchTarget(BranchTargetKind.FIXED, Decimal(1))
                yield label, replace(obj, branch_targets=value.with_cells({("01", key): cell}))
            continue
        if f.name in ("manifest", "plan"):  # not YearMonth: a month is one value
            for where, new in _one_field_changes(value):
                yield f"{label}.{where}", replace(obj, **{f.name: new})
            continue
        if isinstance(value, dict):  # bases: change one value, then one name
            for key, item in value.items():
                yield f"bases[{key!r}]", replace(obj, **{f.name: value | {key: _changed(item, "")}})
                renamed = {(_changed(k, "") if k == key else k): v for k, v in value.items()}
                if len(renamed) == len(value):
                    yield f"bases name {key!r}", replace(obj, **{f.name: renamed})
            continue
        yield label, replace(obj, **{f.name: _changed(value, f.name)})


@settings(max_examples=25, deadline=None)
@given(data=workbook_data())
def test_the_digest_changes_when_any_one_field_changes(data: WorkbookData):
    original = _digest(data, pages=False)
    count = 0
    for where, changed in _one_field_changes(data):
        assert changed != data, where
        try:
            assert _digest(changed, pages=False) != original, where
        except WorkbookError:
            continue  # e.g. a number pushed out of the format's range: not writable at all
        count += 1
    assert count > 10


def test_the_digest_changes_for_each_field_of_a_full_example():
    """One hand-made example with every optional field set, so that no field is
    skipped because the generated value happened to be missing."""
    data = _example()
    original = _digest(data, pages=False)
    changes = list(_one_field_changes(data))
    assert len(changes) > 80
    for where, changed in changes:
        assert _digest(changed, pages=False) != original, where


def test_content_a_workbook_cannot_carry_is_refused(tmp_path: Path):
    data = _example()
    for bad in (
        replace(data, plan=replace(data.plan, branch="01")),
        replace(data, plan=replace(data.plan, fiscal_year=2023)),
        replace(data, manifest=replace(data.manifest, period=PeriodKind.ANNUAL)),
        replace(data, manifest=replace(data.manifest, period=None, kind=Kind.TEMPLATE)),
        replace(data, plan=replace(data.plan, reports=data.plan.reports * 2)),
        replace(data, plan=replace(data.plan, reports=())),
    ):
        with pytest.raises(WorkbookError) as err:
            write_workbook(bad, tmp_path / "bad.xlsx")
        assert "書けません" in err.value.message("ja")
        assert "cannot be written" in err.value.message("en")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        (lambda k: replace(k, target=Decimal("1234567890123456789")), "1234567890123456789"),
        (lambda k: replace(k, target=Decimal("0.00000000001")), "1E-11"),
        (lambda k: replace(k, target=Decimal("NaN")), "NaN"),
        (lambda k: replace(k, key="東京"), "東京"),
        (lambda k: replace(k, decimals=10**10), "10000000000"),
    ],
)
def test_values_outside_the_format_are_refused_on_writing(tmp_path: Path, change, needle):
    data = _example()
    plan = replace(data.plan, kpis=(change(data.plan.kpis[0]), *data.plan.kpis[1:]))
    with pytest.raises(WorkbookError) as err:
        write_workbook(replace(data, plan=plan), tmp_path / "bad.xlsx")
    assert needle in err.value.message("ja") and needle in err.value.message("en")
    assert list(tmp_path.iterdir()) == []


def test_decimals_keep_plain_notation(tmp_path: Path):
    """Decimal('1E+3') and Decimal('0.0000001') print in scientific notation;
    the format has only plain digits, and the values come back equal."""
    data = _example()
    kpi = replace(data.plan.kpis[0], target=Decimal("1E+3"), last_year_actual=Decimal("1E-7"))
    data = replace(data, plan=replace(data.plan, kpis=(kpi, *data.plan.kpis[1:])))
    write_workbook(data, tmp_path / "plain.xlsx")
    back = read_workbook(tmp_path / "plain.xlsx").plan.kpis[0]
    assert back.target == 1000 and back.last_year_actual == Decimal("0.0000001")


def _example() -> WorkbookData:
    """A small work file with every field set."""
    from desktop.domain.model import (
        Benchmark,
        Direction,
        Kpi,
        Level,
        Measurement,
        Plan,
        PlanNode,
        Report,
        SectionEntry,
        TargetKind,
    )
    from desktop.workbooks.machine import Manifest

    at = datetime(2024, 7, 1, 9, 0, 0, 123456, tzinfo=UTC)
    nodes = (
        PlanNode(
            "1", None, Level.PILLAR, "１．", "柱", "計画", Group.PLANNING, "重", "困", ("注",), 0
        ),
        PlanNode(
            "1.1", "1", Level.SECTION, "(1)", "項目", "本文", Group.HEALTH, "i", "d", ("a",), 0
        ),
    )
    kpi = Kpi(
        "1.1.k1", "1.1", "①", "受診率", "％", 1, Direction.AT_LEAST, TargetKind.FIXED,
        Decimal("55.5"), True, True, True, "受診者", "対象者", Decimal("10"), Decimal("20"),
        Decimal("50.1"), "参考", "備考", ((1, Decimal("1.5")),), ((1, Decimal("2.5")),),
        judged_decimals=1, reference_indicator=True, baseline_year=2023,
        baseline_value=Decimal("50.0"), goal_year=2029, target_text="文章",
        definition_note="変更",
    )  # fmt: skip
    measurement = Measurement(
        "1.1.k1", Decimal("51.2"), Decimal("5"), Decimal("10"), True, YearMonth(2024, 6), True,
        "なし", "tanaka", at, manual_status="met", manual_reason="理由",
        old_method_value=Decimal("50.5"),
    )  # fmt: skip
    entry = SectionEntry("1.1", "状況", "○", "理由", "予定")
    benchmark = Benchmark("1.1.k1", Decimal("49.9"), 12, 47)
    report = Report(
        PeriodKind.MIDYEAR, YearMonth(2024, 6), "上期", (entry,), (measurement,), (benchmark,)
    )
    plan = Plan("13", 2024, "令和６年度", ("方針",), nodes, (kpi,), (report,), mark_rules=HQ_RULES)
    manifest = Manifest(
        Kind.WORK, "13", 2024, PeriodKind.MIDYEAR, "0.1.0", "tanaka", at, ("1.1",),
        "yamada", at, "山田", FORMAT_VERSION, created_name="田中",
    )  # fmt: skip
    return WorkbookData(manifest, plan, {"entry/1.1/status_text": "状況", "x": None})
