"""Edge cases of the exchange found by review: each once lost data or crashed."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from desktop.domain.errors import UserError
from desktop.domain.merge import Outcome
from desktop.domain.model import Group, PeriodKind
from desktop.domain.parsing import ParseError, parse_decimal
from desktop.domain.review import Role
from desktop.services import editing, exchange, plans, review, rollover
from desktop.store.database import open_database
from desktop.workbooks import writer
from desktop.workbooks.machine import Kind, WorkbookError
from desktop.workbooks.reader import read_workbook
from desktop.workbooks.writer import write_workbook
from tests.helpers.reports import (
    HEALTH,
    REF,
    edited_by_the_group,
    export_work,
    group_sections,
    sign_off_all,
)

KPI = "2.II.3.k1"


def test_a_fresh_database_takes_everything_from_a_file_that_carries_bases(demo_db, tmp_path: Path):
    """B once imported from A, so B's file carries bases; C has never exchanged."""
    sections = group_sections(demo_db, Group.HEALTH)
    first = export_work(demo_db, tmp_path, sections, actor="a")
    with open_database(tmp_path / "b.sqlite3", create=True) as b:
        exchange.apply_import(b, exchange.preview_import(b, first), actor="b")
        editing.set_entry_field(b, REF, HEALTH, "next_steps", "Bの予定", actor="b")
        second = export_work(b, tmp_path, sections, actor="b")
        expected = plans.get_plan(b, "13", 2024).report(PeriodKind.MIDYEAR)
    assert read_workbook(second).bases  # the file does carry B's bases
    with open_database(tmp_path / "c.sqlite3", create=True) as c:
        exchange.apply_import(c, exchange.preview_import(c, second), actor="c")
        got = plans.get_plan(c, "13", 2024).report(PeriodKind.MIDYEAR)
    texts = {e.node_key: e.status_text for e in expected.entries if e.status_text}
    assert texts and {e.node_key: e.status_text for e in got.entries if e.status_text} == texts
    assert {m.kpi_key: m.value for m in got.measurements if m.value is not None} == {
        m.kpi_key: m.value for m in expected.measurements if m.value is not None
    }


def test_monthly_figures_arrive_in_a_signed_off_year_and_texts_are_left_out(
    demo_db, tmp_path: Path
):
    sections = group_sections(demo_db, Group.HEALTH)
    first = export_work(demo_db, tmp_path, sections, actor="a")
    with open_database(tmp_path / "b.sqlite3", create=True) as b:
        exchange.apply_import(b, exchange.preview_import(b, first), actor="b")
        editing.set_entry_field(b, REF, HEALTH, "status_text", "Bの文章", actor="b")
        editing.set_monthly_actual(b, REF, KPI, 4, "1234", actor="b")
        back = export_work(b, tmp_path, sections, actor="b")
    sign_off_all(demo_db)
    preview = exchange.preview_import(demo_db, back)
    assert [m.field for m in preview.new + preview.changes] == [f"monthly/{KPI}/4"]
    assert [m.field for m in preview.blocked] == [f"entry/{HEALTH}/status_text"]
    # Left out because the report is signed off, and said so (not "approved here").
    assert preview.reason(f"entry/{HEALTH}/status_text") is exchange.LeftOut.SIGNED_OFF
    result = exchange.apply_import(demo_db, preview, actor="a")
    assert result.applied == 1 and result.blocked == 1
    assert "決裁済みの報告" in result.summary("ja") and "signed off" in result.summary("en")
    assert "承認済み" not in result.summary("ja")
    kpi = next(k for k in plans.get_plan(demo_db, "13", 2024).kpis if k.key == KPI)
    assert dict(kpi.monthly_actuals)[4] == 1234


def test_a_change_left_out_for_an_approved_section_is_offered_again_after_reopening(
    demo_db, tmp_path: Path
):
    back = edited_by_the_group(demo_db, tmp_path, status_text="Bの文章")
    review.add_user(demo_db, login="admin", display_name="管理", role=Role.STAFF, password="pw")
    review.add_user(demo_db, login="head", display_name="支部長", role=Role.BRANCH_HEAD,
                    password="hp", admin_login="admin", admin_password="pw")  # fmt: skip
    review.submit(demo_db, REF, [HEALTH], login="head")
    review.approve(demo_db, REF, [HEALTH], login="head", password="hp")
    blocked = exchange.preview_import(demo_db, back)
    assert blocked.reason(f"entry/{HEALTH}/status_text") is exchange.LeftOut.APPROVED
    exchange.apply_import(demo_db, blocked, actor="a")
    review.reopen(demo_db, REF, HEALTH, login="head", password="hp", reason="グループの更新を反映")
    again = exchange.preview_import(demo_db, back)
    assert [m.field for m in again.new + again.changes] == [f"entry/{HEALTH}/status_text"]


def test_figures_with_more_than_ten_places_are_refused_at_input(demo_db):
    with pytest.raises(ParseError) as err:
        parse_decimal("0.30000000000000004")
    assert "10桁" in err.value.message("ja")
    with pytest.raises(UserError):
        editing.set_monthly_actual(demo_db, REF, KPI, 5, "0.123456789012", actor="a")


def test_trailing_zeros_are_not_a_conflict(demo_db, tmp_path: Path):
    editing.set_measurement(demo_db, REF, KPI, value="98.4000000000", actor="a")
    sections = group_sections(demo_db, Group.HEALTH)
    out = export_work(demo_db, tmp_path, sections, actor="a")
    assert exchange.preview_import(demo_db, out).nothing_to_do


def test_a_rate_from_its_parts_rolls_over_rounded_and_exports(demo_db, tmp_path: Path):
    from desktop.domain.series import kpi_identity

    template = plans.get_plan(demo_db, "00", 2025)
    new_kpi = next(k for k in template.kpis if k.key == "1.II.5.k1")  # 返納金債権の回収率
    old_kpi = next(
        k
        for k in plans.get_plan(demo_db, "13", 2024).kpis
        if kpi_identity(k) == kpi_identity(new_kpi)
    )
    editing.set_measurement(
        demo_db, REF, old_kpi.key, value="", numerator="1", denominator="3", actor="a",
        fields=frozenset({"value", "numerator", "denominator"}),
    )  # fmt: skip
    rollover.roll_over(demo_db, "13", actor="a")
    rolled = next(k for k in plans.get_plan(demo_db, "13", 2025).kpis if k.key == new_kpi.key)
    assert rolled.last_year_actual == Decimal("33.33")  # as printed at the KPI's decimals
    exchange.export_workbook(
        demo_db, branch="13", fiscal_year=2025, kind=Kind.TEMPLATE, out=tmp_path, actor="a"
    )


def test_exporting_to_a_folder_that_does_not_exist_writes_nothing(demo_db, tmp_path: Path):
    missing = tmp_path / "提出 フォルダ"
    with pytest.raises(UserError):
        exchange.export_workbook(
            demo_db, branch="13", fiscal_year=2024, period=PeriodKind.MIDYEAR,
            kind=Kind.WORK, out=missing, actor="a",
        )  # fmt: skip
    assert not missing.exists()


@pytest.mark.parametrize(
    ("what", "change"),
    [
        ("branch", lambda d: replace(d, manifest=replace(d.manifest, branch="99"),
                                     plan=replace(d.plan, branch="99"))),
        ("decimals", lambda d: replace(d, plan=replace(
            d.plan, kpis=(replace(d.plan.kpis[0], decimals=7), *d.plan.kpis[1:])))),
        ("period", lambda d: replace(d, manifest=replace(d.manifest, period=None),
                                     plan=replace(d.plan, reports=()))),
        ("is not a mark of this report period", lambda d: replace(d, plan=replace(
            d.plan, reports=(replace(d.report, entries=tuple(
                replace(e, mark="S") for e in d.report.entries)),)))),
    ],
)  # fmt: skip
def test_crafted_files_are_refused_before_they_reach_the_database(
    demo_db, tmp_path: Path, monkeypatch, what, change
):
    """The digest has no key: a file written by other software can be sealed too."""
    out = export_work(demo_db, tmp_path, [HEALTH], actor="a")
    crafted = tmp_path / "crafted.xlsx"
    # Other software: none of PlanDesk's checks before writing.
    monkeypatch.setattr(writer, "check_writable", lambda data: None)
    monkeypatch.setattr(writer, "_verify", lambda temp, data: None)
    write_workbook(change(read_workbook(out)), crafted)
    monkeypatch.undo()
    with open_database(tmp_path / "fresh.sqlite3", create=True) as fresh:
        with pytest.raises(WorkbookError) as err:
            exchange.preview_import(fresh, crafted)
        assert what in err.value.message("en")
        assert "_entries" not in err.value.message("ja")  # the section in words
        assert plans.list_plans(fresh) == []


def test_the_same_template_again_is_nothing_to_do_after_monthly_figures(demo_db, tmp_path):
    out = exchange.export_workbook(
        demo_db, branch="13", fiscal_year=2024, kind=Kind.TEMPLATE, out=tmp_path, actor="a"
    ).path
    editing.set_monthly_actual(demo_db, REF, KPI, 6, "777", actor="a")
    expect = exchange.Expectation(kinds=(Kind.TEMPLATE,))
    assert exchange.preview_import(demo_db, out, expect).nothing_to_do


def test_monthly_figures_exchanged_in_one_period_are_known_in_the_other(demo_db, tmp_path):
    """Month figures are the year's: a mid-year exchange is their common version for
    the annual file too (no false conflict)."""
    sections = group_sections(demo_db, Group.HEALTH)
    editing.set_monthly_actual(demo_db, REF, KPI, 4, "100", actor="a")
    first = export_work(demo_db, tmp_path, sections, actor="a")
    annual = replace(REF, period=PeriodKind.ANNUAL)
    with open_database(tmp_path / "b.sqlite3", create=True) as b:
        exchange.apply_import(b, exchange.preview_import(b, first), actor="b")
        back = exchange.export_workbook(
            b, branch="13", fiscal_year=2024, period=PeriodKind.ANNUAL, kind=Kind.WORK,
            out=tmp_path, actor="b", sections=sections,
        ).path  # fmt: skip
    editing.set_monthly_actual(demo_db, annual, KPI, 4, "150", actor="a")  # changed here only
    preview = exchange.preview_import(demo_db, back)
    assert not preview.conflicts
    assert [m.outcome for m in preview.merges if m.field == f"monthly/{KPI}/4"] == [Outcome.KEEP]
