"""Year rollover on a real SQLite file: Tokyo FY2024 → FY2025 from the bundled
HQ template (resolved 対前年度 targets, flags, confirmations, refusals, audit)."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

import pytest

from desktop.domain.errors import UserError
from desktop.domain.model import (
    Direction,
    Kpi,
    Level,
    PeriodKind,
    Plan,
    PlanNode,
    TargetKind,
)
from desktop.domain.series import kpi_identity
from desktop.services import editing, plans, rollover
from desktop.services.changes import KpiConfirmed
from desktop.services.check import check_database
from desktop.services.editing import ReportRef


def _dump(db) -> list[str]:
    """Every row of every table: 'nothing changed' means this stays equal."""
    con = sqlite3.connect(db.path)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def _audit(db) -> list[tuple]:
    con = sqlite3.connect(db.path)
    try:
        return con.execute(
            "SELECT actor, action, entity, entity_key, field, new_value FROM audit_log ORDER BY id"
        ).fetchall()
    finally:
        con.close()


def _last_year_figures(previous: Plan) -> dict[str, tuple[Decimal, PeriodKind]]:
    """By KPI identity: the annual report's figure, else the latest report's."""
    out: dict[str, tuple[Decimal, PeriodKind]] = {}
    for period in (PeriodKind.MIDYEAR, PeriodKind.ANNUAL):  # annual last: it wins
        report = previous.report(period)
        if report is None:
            continue
        by_key = {k.key: k for k in previous.kpis}
        for m in report.measurements:
            value = m.effective_value()
            if value is not None:
                out[kpi_identity(by_key[m.kpi_key])] = (value, period)
    return out


@pytest.fixture
def template() -> Plan:
    return plans.bundled_plan(plans.HQ_TEMPLATE)


def test_rollover_resolves_prev_year_targets_from_fy2024(demo_db, template):
    fy2024 = plans.get_plan(demo_db, "13", 2024)
    figures = _last_year_figures(fy2024)
    previous_units = {kpi_identity(k): k.unit for k in fy2024.kpis}
    expected = {
        k.key: figures[kpi_identity(k)][0]
        for k in template.kpis
        if k.target_kind is TargetKind.PREV_YEAR
        and k.direction is not Direction.QUALITATIVE
        and kpi_identity(k) in figures
        and previous_units[kpi_identity(k)] == k.unit
    }
    assert len(expected) >= 2  # the demo has 対前年度 KPIs with FY2024 figures

    result = rollover.roll_over(demo_db, "13", template=template, actor="suzuki")

    assert (result.branch, result.fiscal_year, result.from_year) == ("13", 2025, 2024)
    named = template.title.replace("本部", "東京支部")  # as create_from_template names it
    assert result.title == (named if named != template.title else f"東京支部 {template.title}")
    assert {r.kpi_key: r.value for r in result.resolved} == expected
    for r in result.resolved:
        assert r.period is PeriodKind.MIDYEAR  # FY2024 has only its mid-year report
        assert r.as_of is not None and r.as_of.fiscal_year == 2024
        assert r.text_ja.startswith("対前年度")
        assert r.as_of.era_label() in r.text_ja

    stored = plans.get_plan(demo_db, "13", 2025)
    assert stored.reports == ()
    assert [n.key for n in stored.nodes] == [n.key for n in template.nodes]
    by_key = {k.key: k for k in stored.kpis}
    for key, value in expected.items():
        kpi = by_key[key]
        assert kpi.target_kind is TargetKind.PREV_YEAR  # still prints 対前年度以上
        assert kpi.target == value
        assert kpi.last_year_actual == value
        assert kpi.resolved_target() == value

    # A 対前年度 KPI without a FY2024 figure stays open and is listed as such.
    open_keys = {
        k.key
        for k in template.kpis
        if k.target_kind is TargetKind.PREV_YEAR
        and k.direction is not Direction.QUALITATIVE
        and k.key not in expected
    }
    assert {u.kpi_key for u in result.unresolved} == open_keys
    assert all(
        u.reason_ja.startswith("前年度の実績がないため目標未確定") for u in result.unresolved
    )
    assert all(by_key[k].resolved_target() is None for k in open_keys)

    # Baselines: every matched KPI with a FY2024 figure got it as last year's actual.
    carried = {b.kpi_key: b.value for b in result.baselines}
    for k in template.kpis:
        if kpi_identity(k) in figures and previous_units[kpi_identity(k)] == k.unit:
            assert carried[k.key] == figures[kpi_identity(k)][0]
            assert by_key[k.key].last_year_actual == carried[k.key]
    assert result.carried == len(result.baselines) >= len(expected)


def test_new_and_changed_kpis_are_flagged_and_confirmed_once(demo_db, template):
    fy2024 = plans.get_plan(demo_db, "13", 2024)
    last_year = {kpi_identity(k) for k in fy2024.kpis}
    result = rollover.roll_over(demo_db, "13", template=template, actor="suzuki")

    flagged = {f.kpi_key: f for f in result.flagged}
    for k in template.kpis:
        if k.is_new or kpi_identity(k) not in last_year:
            assert flagged[k.key].reason == "new"
    unmatched = next(k for k in template.kpis if kpi_identity(k) not in last_year)
    assert "前年度の計画に同名のKPI" in flagged[unmatched.key].detail_ja
    assert flagged[unmatched.key].detail_en
    # 2.IV.k3: same name as FY2024's KPI, but reported with 0 decimals instead of 2.
    changed = [f for f in result.flagged if f.reason == "definition_changed"]
    assert [f.kpi_key for f in changed] == ["2.IV.k3"]
    assert "小数桁数 2 → 0" in changed[0].detail_ja

    pending = rollover.pending_confirmations(demo_db, "13", 2025)
    assert [p.kpi_key for p in pending] == [f.kpi_key for f in result.flagged]

    key = pending[0].kpi_key
    confirmed = rollover.confirm_kpi(demo_db, "13", 2025, key, actor="tanaka").one(KpiConfirmed)
    assert (confirmed.kpi_key, confirmed.confirmed_by) == (key, "tanaka")
    assert key not in {p.kpi_key for p in rollover.pending_confirmations(demo_db, "13", 2025)}
    assert len(rollover.pending_confirmations(demo_db, "13", 2025)) == len(pending) - 1

    before = _dump(demo_db)
    with pytest.raises(UserError) as again:
        rollover.confirm_kpi(demo_db, "13", 2025, key, actor="sato")
    assert "確認済み" in again.value.message("ja") and "tanaka" in again.value.message("ja")
    assert "already confirmed" in again.value.message("en")

    plain = next(k.key for k in template.kpis if k.key not in flagged)
    with pytest.raises(UserError) as needless:
        rollover.confirm_kpi(demo_db, "13", 2025, plain, actor="sato")
    assert "確認の必要はありません" in needless.value.message("ja")
    assert "needs no confirmation" in needless.value.message("en")
    with pytest.raises(UserError):
        rollover.confirm_kpi(demo_db, "13", 2025, "no.such.kpi", actor="sato")
    assert _dump(demo_db) == before

    con = sqlite3.connect(demo_db.path)
    try:
        rows = con.execute("SELECT confirmed_by FROM kpi_confirmations").fetchall()
    finally:
        con.close()
    assert rows == [("tanaka",)]
    assert ("tanaka", "confirm", "kpi", f"13/2025/{key}", "confirmation", "new") in _audit(demo_db)


def test_rollover_twice_is_refused_and_changes_nothing(demo_db, template):
    rollover.roll_over(demo_db, "13", template=template, actor="suzuki")
    before = _dump(demo_db)
    with pytest.raises(UserError) as refused:
        rollover.roll_over(demo_db, "13", template=template, actor="suzuki")
    assert "既にあります" in refused.value.message("ja")
    assert "already has a plan" in refused.value.message("en")
    assert _dump(demo_db) == before


def test_rollover_without_previous_year_is_refused(demo_db, template):
    before = _dump(demo_db)
    with pytest.raises(UserError) as no_plan:
        rollover.roll_over(demo_db, "08", template=template, actor="suzuki")  # 茨城: no plans
    assert "令和6年度" in no_plan.value.message("ja")
    assert "茨城支部の計画がこのデータベースにない" in no_plan.value.message("ja")
    assert "FY2024" in no_plan.value.message("en")
    with pytest.raises(UserError):
        rollover.roll_over(demo_db, "13", template=template, from_year=2022, actor="suzuki")
    assert _dump(demo_db) == before


def test_default_template_is_newest_hq_plan_in_database(demo_db):
    result = rollover.roll_over(demo_db, "13", actor="suzuki")
    hq = plans.get_plan(demo_db, "00", 2025)
    assert result.template == "00/2025"
    assert result.title == plans.get_plan(demo_db, "13", 2025).title
    assert "東京支部" in result.title and "本部" not in result.title
    assert [k.key for k in plans.get_plan(demo_db, "13", 2025).kpis] == [k.key for k in hq.kpis]


def test_annual_figure_wins_and_monthly_figures_become_the_pace_curve(demo_db, template):
    fy2024 = plans.get_plan(demo_db, "13", 2024)
    target_kpi = next(k for k in template.kpis if k.key == "1.II.4.k2")  # 対前年度以上, 円
    last = next(k for k in fy2024.kpis if kpi_identity(k) == kpi_identity(target_kpi))
    annual = ReportRef("13", 2024, PeriodKind.ANNUAL)
    editing.set_measurement(
        demo_db, annual, last.key, value="15,210", as_of="2025-03", actor="suzuki"
    )
    mid = ReportRef("13", 2024, PeriodKind.MIDYEAR)
    for month, value in ((1, "13900"), (2, "14050"), (3, "14097")):
        editing.set_monthly_actual(demo_db, mid, last.key, month, value, actor="suzuki")

    result = rollover.roll_over(demo_db, "13", template=template, actor="suzuki")

    resolved = next(r for r in result.resolved if r.kpi_key == "1.II.4.k2")
    assert resolved.value == Decimal("15210")
    assert resolved.period is PeriodKind.ANNUAL
    assert resolved.as_of is not None and resolved.as_of.iso() == "2025-03"
    baseline = next(b for b in result.baselines if b.kpi_key == "1.II.4.k2")
    assert baseline.profile_months == 3
    stored = next(k for k in plans.get_plan(demo_db, "13", 2025).kpis if k.key == "1.II.4.k2")
    assert stored.target == Decimal("15210")
    assert stored.last_year_profile == (
        (1, Decimal("13900")),
        (2, Decimal("14050")),
        (3, Decimal("14097")),
    )


def _small_template(fy2024: Plan) -> Plan:
    """Two KPIs named as in FY2024: one unchanged, one now counted in another unit."""
    same = next(k for k in fy2024.kpis if k.key == "1.II.4.k2")  # 再審査レセプト査定額, 円
    other = next(k for k in fy2024.kpis if k.key == "2.III.3.k2")  # 委嘱事業所数, 事業所
    assert (same.unit, other.unit) == ("円", "事業所")
    node = PlanNode(key="1", parent_key=None, level=Level.PILLAR, label="１．", title="柱")

    def kpi(key: str, like: Kpi, unit: str) -> Kpi:
        return Kpi(
            key=key,
            node_key="1",
            label="",
            name=like.name,
            unit=unit,
            decimals=like.decimals,
            direction=Direction.AT_LEAST,
            target_kind=TargetKind.PREV_YEAR,
        )

    return Plan(
        branch="00",
        fiscal_year=2025,
        title="令和７年度本部事業計画",
        nodes=(node,),
        kpis=(kpi("1.k1", same, same.unit), kpi("1.k2", other, "％")),
    )


def test_unit_change_is_flagged_as_definition_changed(demo_db):
    fy2024 = plans.get_plan(demo_db, "13", 2024)
    small = _small_template(fy2024)

    result = rollover.roll_over(demo_db, "13", template=small, actor="suzuki")

    assert result.title == "令和７年度東京支部事業計画"
    assert [(f.kpi_key, f.reason) for f in result.flagged] == [("1.k2", "definition_changed")]
    flag = result.flagged[0]
    assert "単位 事業所 → ％" in flag.detail_ja
    assert "unit 事業所 → ％" in flag.detail_en
    # A figure counted in 事業所 is no baseline for a ％ target.
    assert [u.kpi_key for u in result.unresolved] == ["1.k2"]
    assert "単位が異なり" in result.unresolved[0].reason_ja
    assert [r.kpi_key for r in result.resolved] == ["1.k1"]
    stored = {k.key: k for k in plans.get_plan(demo_db, "13", 2025).kpis}
    assert stored["1.k2"].last_year_actual is None and stored["1.k2"].target is None
    assert [p.kpi_key for p in rollover.pending_confirmations(demo_db, "13", 2025)] == ["1.k2"]


def test_rollover_writes_audit_entries_and_check_passes(demo_db, template):
    before = len(_audit(demo_db))
    result = rollover.roll_over(demo_db, "13", template=template, actor="suzuki")

    entries = _audit(demo_db)[before:]
    assert all(e[0] == "suzuki" and e[1] == "rollover" for e in entries)
    assert ("suzuki", "rollover", "plan", "13/2025", "title", result.title) in entries
    assert ("suzuki", "rollover", "plan", "13/2025", "source", "13/2024") in entries
    for r in result.resolved:
        assert ("suzuki", "rollover", "kpi", f"13/2025/{r.kpi_key}", "target", str(r.value)) in (
            entries
        )
    for f in result.flagged:
        assert (
            "suzuki",
            "rollover",
            "kpi",
            f"13/2025/{f.kpi_key}",
            "needs_confirmation",
            f.reason,
        ) in entries

    rollover.confirm_kpi(demo_db, "13", 2025, result.flagged[0].kpi_key, actor="tanaka")
    report = check_database(demo_db)
    assert report.ok, [(f.label.en, f.detail) for f in report.findings if not f.ok]


def test_format_result_in_both_languages(demo_db, template):
    result = rollover.roll_over(demo_db, "13", template=template, actor="suzuki")
    ja = rollover.format_result(result, "ja")
    en = rollover.format_result(result, "en")
    assert "東京支部" in ja and f"対前年度の目標を確定: {len(result.resolved)}件" in ja
    assert "前年度の実績がないため目標未確定" in ja
    assert f"Last-year targets resolved: {len(result.resolved)}" in en
    assert "as of 2024-" in en
