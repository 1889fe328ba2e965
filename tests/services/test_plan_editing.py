"""Writing a plan's structure (desktop/services/plan_editing.py): each operation, the
refusals of HQ's framework and of the review locks, and removal that never loses
what was entered (undo restores it exactly)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from desktop.domain.errors import BadInput, Refused, UserError
from desktop.domain.model import Direction, Level, PeriodKind, ReportRef, TargetKind
from desktop.domain.review import ReviewRefused, Role
from desktop.services import editing, plan_editing, plans, reference, review
from desktop.services.changes import PlanRef, StructureChanged
from desktop.services.plan_editing import KpiDraft
from desktop.store import content
from desktop.store.database import Database
from tests.helpers.reports import REF, sign_off_all

IBARAKI = PlanRef("08", 2025)
MID = ReportRef("08", 2025, PeriodKind.MIDYEAR)
PILLAR = "2"  # ２．戦略的保険者機能の一層の発揮
SECTION = "1.II"  # a section of HQ's framework with subsections
DEEP = "1.II.2"  # a subsection: HQ's default does not let a branch add under it


@pytest.fixture
def branch_db(db: Database) -> Database:
    plans.create_from_template(db, "08", actor="planner")
    return db


def _plan(db: Database, ref: PlanRef | ReportRef = IBARAKI):
    return plans.get_plan(db, ref.branch, ref.fiscal_year)


def _clean_audit(db: Database) -> None:
    with db.read() as session:
        found, _ = content.differences(session)
    assert found == []


def _added(changes) -> str:
    return changes.one(StructureChanged).key


def test_a_branch_adds_its_own_section_item_and_kpi(branch_db):
    section = _added(plan_editing.add_node(branch_db, IBARAKI, PILLAR, label="Ⅸ．",
                                           title="茨城独自の取組", actor="p"))  # fmt: skip
    item = _added(plan_editing.add_node(branch_db, IBARAKI, section, label="①",
                                        title="県との連携", actor="p"))  # fmt: skip
    kpi = _added(
        plan_editing.add_kpi(
            branch_db, IBARAKI, section,
            KpiDraft(name="連携事業の実施件数", unit="件", target="１２"), actor="p",
        )
    )  # fmt: skip
    plan = _plan(branch_db)
    node = plan.node(section)
    assert (node.level, node.own, node.parent_key) == (Level.SECTION, True, PILLAR)
    assert plan.children(PILLAR)[-1].key == section
    assert plan.node(item).level is Level.ITEM and plan.node(item).own
    (k,) = plan.kpis_of(section)
    assert (k.key, k.own, k.target, k.unit, k.direction) == (
        kpi, True, Decimal("12"), "件", Direction.AT_LEAST,
    )  # fmt: skip
    assert not any(n.own for n in plan.nodes if n.key not in (section, item))
    _clean_audit(branch_db)


def test_hq_edits_its_template_without_own_marks(db):
    plans.install_plan(db, plans.bundled_plan(plans.HQ_TEMPLATE), actor="hq")
    hq = PlanRef("00", 2025)
    key = _added(plan_editing.add_node(db, hq, SECTION, title="新しい取組", actor="hq"))
    plan_editing.set_node_field(db, hq, key, "branch_may_add", False, actor="hq")
    plan_editing.set_node_field(db, hq, SECTION, "title", "業務改革の実践", actor="hq")
    plan = _plan(db, hq)
    assert not plan.node(key).own and plan.node(key).level is Level.SUBSECTION
    assert plan.node(key).branch_may_add is False
    assert plan.node(SECTION).title == "業務改革の実践"
    _clean_audit(db)


def test_rename_and_node_fields(branch_db):
    key = _added(plan_editing.add_node(branch_db, IBARAKI, PILLAR, title="仮", actor="p"))
    for field, value in (
        ("label", "Ⅸ．"), ("title", "独自の取組"), ("plan_text", "県と連携して実施する。"),
        ("group", "保健"), ("importance", "県の重点施策のため"), ("difficulty", ""),
        ("footnotes", "※ 県の事業\n※ 令和７年度から"),
    ):  # fmt: skip
        plan_editing.set_node_field(branch_db, IBARAKI, key, field, value, actor="p")
    node = _plan(branch_db).node(key)
    assert node.display_title == "Ⅸ．独自の取組"
    assert node.plan_text == "県と連携して実施する。" and node.group.value == "保健"
    assert node.importance == "県の重点施策のため" and node.difficulty is None
    assert node.footnotes == ("※ 県の事業", "※ 令和７年度から")
    with pytest.raises(BadInput):
        plan_editing.set_node_field(branch_db, IBARAKI, key, "title", "  ", actor="p")
    with pytest.raises(BadInput):
        plan_editing.set_node_field(branch_db, IBARAKI, key, "group", "経理", actor="p")
    _clean_audit(branch_db)


def test_hq_framework_refusals_for_a_branch(branch_db):
    hq_node = _plan(branch_db).children(SECTION)[0].key
    hq_kpi = _plan(branch_db).kpis[0].key
    refused = [
        lambda: plan_editing.set_node_field(branch_db, IBARAKI, SECTION, "title", "x", actor="p"),
        lambda: plan_editing.set_node_field(
            branch_db, IBARAKI, SECTION, "importance", "x", actor="p"
        ),
        lambda: plan_editing.move_node(branch_db, IBARAKI, hq_node, position=3, actor="p"),
        lambda: plan_editing.remove_node(branch_db, IBARAKI, hq_node, actor="p"),
        lambda: plan_editing.add_node(branch_db, IBARAKI, None, title="柱", actor="p"),
        lambda: plan_editing.add_node(branch_db, IBARAKI, DEEP, title="x", actor="p"),
        lambda: plan_editing.add_kpi(
            branch_db, IBARAKI, DEEP, KpiDraft(name="x", target="1"), actor="p"
        ),
        lambda: plan_editing.set_kpi_fields(branch_db, IBARAKI, hq_kpi, {"name": "x"}, actor="p"),
        lambda: plan_editing.remove_kpi(branch_db, IBARAKI, hq_kpi, actor="p"),
        lambda: plan_editing.set_node_field(
            branch_db, IBARAKI, PILLAR, "branch_may_add", True, actor="p"
        ),
    ]
    before = _plan(branch_db)
    for attempt in refused:
        with pytest.raises(Refused) as caught:
            attempt()
        assert "本部" in caught.value.text.ja and "HQ" in caught.value.text.en
    assert _plan(branch_db) == before
    # What a branch writes in HQ's framework: its plan texts, groups, footnotes, targets.
    plan_editing.set_node_field(branch_db, IBARAKI, hq_node, "plan_text", "茨城の計画", actor="p")
    plan_editing.set_kpi_fields(branch_db, IBARAKI, hq_kpi, {"target": "50"}, actor="p")
    assert _plan(branch_db).node(hq_node).plan_text == "茨城の計画"


def test_hq_may_open_a_deeper_node_for_branch_additions(db):
    template = plans.bundled_plan(plans.HQ_TEMPLATE)
    plans.install_plan(db, template, actor="hq")
    hq = PlanRef("00", 2025)
    plan_editing.set_node_field(db, hq, DEEP, "branch_may_add", True, actor="hq")
    plan_editing.set_node_field(db, hq, PILLAR, "branch_may_add", False, actor="hq")
    plans.create_from_template(db, "08", actor="p")
    plan_editing.add_node(db, IBARAKI, DEEP, title="深い項目", actor="p")
    with pytest.raises(Refused):
        plan_editing.add_node(db, IBARAKI, PILLAR, title="x", actor="p")


def test_move_reorders_and_reparents_within_levels(branch_db):
    a = _added(plan_editing.add_node(branch_db, IBARAKI, PILLAR, title="A", actor="p"))
    b = _added(plan_editing.add_node(branch_db, IBARAKI, PILLAR, title="B", actor="p"))
    item = _added(plan_editing.add_node(branch_db, IBARAKI, a, title="a1", actor="p"))
    plan_editing.move_node(branch_db, IBARAKI, b, position=0, actor="p")
    assert _plan(branch_db).children(PILLAR)[0].key == b
    plan_editing.move_node(branch_db, IBARAKI, item, parent_key=b, position=0, actor="p")
    assert _plan(branch_db).node(item).parent_key == b
    assert plan_editing.node_place(branch_db, IBARAKI, item) == (b, 0)
    with pytest.raises(BadInput):  # not under itself
        plan_editing.move_node(branch_db, IBARAKI, b, parent_key=item, position=0, actor="p")
    with pytest.raises(BadInput):  # a section under a section: levels differ
        plan_editing.move_node(branch_db, IBARAKI, a, parent_key=b, position=0, actor="p")
    positions = [n.position for n in _plan(branch_db).children(PILLAR)]
    assert positions == list(range(len(positions)))
    _clean_audit(branch_db)


def test_kpi_definition_fields_and_their_rules(branch_db):
    section = _added(plan_editing.add_node(branch_db, IBARAKI, PILLAR, title="S", actor="p"))
    key = _added(plan_editing.add_kpi(branch_db, IBARAKI, section,
                                      KpiDraft(name="受診率", unit="％", decimals=1), actor="p"))  # fmt: skip
    assert _plan(branch_db).kpis_of(section)[0].target is None  # not set yet
    for field, value in (
        ("target", "６５．５"), ("numerator_label", "受診者数"), ("denominator_label", "対象者数"),
        ("cumulative", True), ("is_new", True), ("definition_changed", True), ("decimals", "2"),
        ("label", "KPI"), ("note", "県平均も参照"),
    ):  # fmt: skip
        plan_editing.set_kpi_fields(branch_db, IBARAKI, key, {field: value}, actor="p")
    kpi = _plan(branch_db).kpis_of(section)[0]
    assert kpi.target == Decimal("65.5") and kpi.decimals == 2 and kpi.cumulative
    assert (kpi.numerator_label, kpi.is_new, kpi.definition_changed) == ("受診者数", True, True)
    plan_editing.set_kpi_fields(branch_db, IBARAKI, key, {"target_kind": "prev_year"}, actor="p")
    kpi = _plan(branch_db).kpis_of(section)[0]
    assert (kpi.target_kind, kpi.target) == (TargetKind.PREV_YEAR, None)
    with pytest.raises(BadInput):
        plan_editing.set_kpi_fields(branch_db, IBARAKI, key, {"target": "70"}, actor="p")
    with pytest.raises(BadInput):
        plan_editing.set_kpi_fields(branch_db, IBARAKI, key, {"direction": "exactly"}, actor="p")
    plan_editing.set_kpi_fields(branch_db, IBARAKI, key, {"direction": "qualitative"}, actor="p")
    kpi = _plan(branch_db).kpis_of(section)[0]
    assert (kpi.direction, kpi.target_kind) == (Direction.QUALITATIVE, TargetKind.FIXED)
    with pytest.raises(BadInput):
        plan_editing.set_kpi_fields(branch_db, IBARAKI, key, {"decimals": "7"}, actor="p")
    with pytest.raises(BadInput):
        plan_editing.set_kpi_fields(branch_db, IBARAKI, key, {"unit": "x" * 60}, actor="p")
    _clean_audit(branch_db)


def test_kpis_move_among_their_node(branch_db):
    section = _added(plan_editing.add_node(branch_db, IBARAKI, PILLAR, title="S", actor="p"))
    one = _added(plan_editing.add_kpi(branch_db, IBARAKI, section, KpiDraft(name="一", target="1"),
                                      actor="p"))  # fmt: skip
    two = _added(plan_editing.add_kpi(branch_db, IBARAKI, section, KpiDraft(name="二", target="1"),
                                      actor="p"))  # fmt: skip
    plan_editing.move_kpi(branch_db, IBARAKI, two, -1, actor="p")
    assert [k.key for k in _plan(branch_db).kpis_of(section)] == [two, one]


def _people(db: Database) -> None:
    review.add_user(db, login="admin", display_name="管理", role=Role.STAFF, password="a-pw")
    for login, name, role, password in (
        ("head", "支部長 山田", Role.BRANCH_HEAD, "head-pass"),
        ("staff", "担当", Role.STAFF, None),
    ):
        review.add_user(db, login=login, display_name=name, role=role, password=password,
                        admin_login="admin", admin_password="a-pw")  # fmt: skip


def _fill(db: Database, section: str, kpi: str) -> None:
    """Report content on a branch's own section: entries, a figure, monthly, reference,
    a review state and comment."""
    editing.set_plan_text(db, MID, section, "独自の計画", actor="p")
    editing.set_entry_field(db, MID, section, "status_text", "実施した", actor="p")
    editing.set_entry_field(db, MID, section, "mark", "○", actor="p")
    annual = ReportRef("08", 2025, PeriodKind.ANNUAL)
    editing.set_entry_field(db, annual, section, "next_steps", "続ける", actor="p")
    editing.set_measurement(db, MID, kpi, value="7", as_of="2025-08", actor="p")
    editing.set_monthly_actual(db, MID, kpi, 3, "5", actor="p")
    reference.set_reference_figure(db, MID, kpi, "last_year_actual", "4", actor="p")
    reference.set_reference_figure(db, MID, kpi, "national_average", "6", actor="p")
    _people(db)
    review.submit(db, MID, [section], login="staff")
    review.add_comment(db, MID, section, login="staff", text="確認お願いします")


def test_removing_a_node_with_content_is_previewed_and_undone_exactly(branch_db):
    section = _added(plan_editing.add_node(branch_db, IBARAKI, PILLAR, title="独自", actor="p"))
    item = _added(plan_editing.add_node(branch_db, IBARAKI, section, title="項目", actor="p"))
    kpi = _added(plan_editing.add_kpi(branch_db, IBARAKI, section,
                                      KpiDraft(name="件数", unit="件", target="10"), actor="p"))  # fmt: skip
    later = _added(plan_editing.add_node(branch_db, IBARAKI, PILLAR, title="後", actor="p"))
    _fill(branch_db, section, kpi)
    before = _plan(branch_db)
    comments = review.review_board(branch_db, MID, before).sections[section]

    preview = plan_editing.removal_preview(branch_db, IBARAKI, "node", section)
    assert preview.refusal is None and preview.holds_content
    c = preview.counts
    assert (c.nodes, c.kpis, c.entries, c.figures, c.monthly, c.national) == (2, 1, 2, 1, 1, 1)
    assert "元に戻す" in preview.text.ja and "undo" in preview.text.en
    assert _plan(branch_db) == before  # the preview changed nothing

    removed = plan_editing.remove_node(branch_db, IBARAKI, section, actor="p")
    record = removed.one(StructureChanged)
    plan = _plan(branch_db)
    assert section not in {n.key for n in plan.nodes} and item not in {n.key for n in plan.nodes}
    assert kpi not in {k.key for k in plan.kpis}
    assert plan.node(later).position == before.node(later).position - 1
    _clean_audit(branch_db)

    plan_editing.restore_removed(branch_db, IBARAKI, record.removal, actor="p")
    assert _plan(branch_db) == before
    restored = review.review_board(branch_db, MID, _plan(branch_db)).sections[section]
    assert restored == comments
    _clean_audit(branch_db)
    with pytest.raises(UserError, match=r"既に元に戻されて|already"):
        plan_editing.restore_removed(branch_db, IBARAKI, record.removal, actor="p")


def test_removing_a_kpi_keeps_its_figures_for_undo(branch_db):
    section = _added(plan_editing.add_node(branch_db, IBARAKI, PILLAR, title="独自", actor="p"))
    first = _added(plan_editing.add_kpi(branch_db, IBARAKI, section,
                                        KpiDraft(name="一", target="1"), actor="p"))  # fmt: skip
    kpi = _added(plan_editing.add_kpi(branch_db, IBARAKI, section,
                                      KpiDraft(name="件数", unit="件", target="10"), actor="p"))  # fmt: skip
    plan_editing.add_kpi(branch_db, IBARAKI, section, KpiDraft(name="三", target="1"), actor="p")
    _fill(branch_db, section, kpi)
    before = _plan(branch_db)
    preview = plan_editing.removal_preview(branch_db, IBARAKI, "kpi", kpi)
    assert (preview.counts.kpis, preview.counts.figures, preview.counts.monthly) == (1, 1, 1)
    record = plan_editing.remove_kpi(branch_db, IBARAKI, kpi, actor="p").one(StructureChanged)
    assert _plan(branch_db).kpis_of(section)[0].key == first
    plan_editing.restore_removed(branch_db, IBARAKI, record.removal, actor="p")
    assert _plan(branch_db) == before
    _clean_audit(branch_db)


def test_keys_of_removed_nodes_are_never_handed_out_again(branch_db):
    seen = set()
    for _ in range(3):
        key = _added(plan_editing.add_node(branch_db, IBARAKI, PILLAR, title="x", actor="p"))
        assert key not in seen
        seen.add(key)
        plan_editing.remove_node(branch_db, IBARAKI, key, actor="p")
    kpis = set()
    section = _added(plan_editing.add_node(branch_db, IBARAKI, PILLAR, title="S", actor="p"))
    for _ in range(3):
        key = _added(plan_editing.add_kpi(branch_db, IBARAKI, section, KpiDraft(name="k"),
                                          actor="p"))  # fmt: skip
        assert key not in kpis and key not in {k.key for k in _plan(branch_db).kpis if k.key != key}
        kpis.add(key)
        plan_editing.remove_kpi(branch_db, IBARAKI, key, actor="p")


def _own_section(db: Database, ref: ReportRef = REF) -> tuple[str, str]:
    section = _added(plan_editing.add_node(db, ref, "2", title="独自の取組", actor="a"))
    kpi = _added(plan_editing.add_kpi(db, ref, section, KpiDraft(name="件数", target="3"),
                                      actor="a"))  # fmt: skip
    return section, kpi


def test_a_signed_off_report_locks_the_structure(demo_db):
    section, kpi = _own_section(demo_db)
    sign_off_all(demo_db)
    plan = _plan(demo_db, REF)
    refusals = [
        lambda: plan_editing.add_node(demo_db, REF, "2", title="x", actor="a"),
        lambda: plan_editing.set_node_field(demo_db, REF, section, "title", "x", actor="a"),
        lambda: plan_editing.move_node(demo_db, REF, section, position=0, actor="a"),
        lambda: plan_editing.remove_node(demo_db, REF, section, actor="a"),
        lambda: plan_editing.add_kpi(demo_db, REF, section, KpiDraft(name="x"), actor="a"),
        lambda: plan_editing.remove_kpi(demo_db, REF, kpi, actor="a"),
        lambda: plan_editing.move_kpi(demo_db, REF, kpi, -1, actor="a"),
        lambda: plan_editing.set_kpi_fields(demo_db, REF, kpi, {"name": "x"}, actor="a"),
        lambda: plan_editing.set_kpi_fields(demo_db, REF, "2.II.3.k1", {"target": "9"}, actor="a"),
    ]
    for attempt in refusals:
        with pytest.raises(ReviewRefused):
            attempt()
    assert _plan(demo_db, REF) == plan
    preview = plan_editing.removal_preview(demo_db, REF, "node", section)
    assert preview.refusal is not None and "決裁" in preview.refusal.ja


def test_an_approved_section_locks_its_node_not_others(demo_db):
    section, kpi = _own_section(demo_db)
    other, _ = _own_section(demo_db)
    _people(demo_db)
    review.submit(demo_db, REF, [section], login="staff")
    review.approve(demo_db, REF, [section], login="head", password="head-pass")
    for attempt in (
        lambda: plan_editing.set_node_field(demo_db, REF, section, "title", "x", actor="a"),
        lambda: plan_editing.remove_node(demo_db, REF, section, actor="a"),
        lambda: plan_editing.set_kpi_fields(demo_db, REF, kpi, {"target": "5"}, actor="a"),
    ):
        with pytest.raises(ReviewRefused):
            attempt()
    assert plan_editing.removal_preview(demo_db, REF, "kpi", kpi).refusal is not None
    plan_editing.set_node_field(demo_db, REF, other, "title", "別の取組", actor="a")


def test_restoring_is_locked_like_every_structure_edit(demo_db):
    section, _kpi = _own_section(demo_db)
    removal = plan_editing.remove_node(demo_db, REF, section, actor="a").one(StructureChanged)
    sign_off_all(demo_db)
    with pytest.raises(ReviewRefused):
        plan_editing.restore_removed(demo_db, REF, removal.removal, actor="a")


# --- 支部独自 travels with the plan: plan documents and workbooks -------------------------


def _own_plan(db: Database) -> tuple[str, str]:
    section = _added(plan_editing.add_node(db, IBARAKI, PILLAR, title="独自の取組", actor="p"))
    kpi = _added(plan_editing.add_kpi(db, IBARAKI, section, KpiDraft(name="件数", target="3"),
                                      actor="p"))  # fmt: skip
    return section, kpi


def test_own_marks_round_trip_through_a_plan_document(branch_db, tmp_path):
    from desktop.services import plan_exchange

    section, kpi = _own_plan(branch_db)
    out = plan_exchange.export_plan(branch_db, "08", 2025, tmp_path / "plan.json")
    assert '"own": true' in out.read_text(encoding="utf-8")
    plan = plan_exchange.read_plan_document(out)
    assert plan.node(section).own and next(k for k in plan.kpis if k.key == kpi).own
    assert not plan.node(SECTION).own and plan.node(SECTION).branch_may_add is None
    stored = _plan(branch_db)
    assert plan.nodes == stored.nodes
    assert {k.key: k for k in plan.kpis} == {k.key: k for k in stored.kpis}


def test_own_marks_and_branch_may_add_round_trip_through_a_workbook(branch_db, tmp_path):
    from desktop.services import exchange

    section, kpi = _own_plan(branch_db)
    editing.set_entry_field(branch_db, MID, section, "status_text", "実施", actor="p")
    out = exchange.export_workbook(
        branch_db, branch="08", fiscal_year=2025, kind=exchange.Kind.WORK,
        period=PeriodKind.MIDYEAR, out=tmp_path, actor="p",
    ).path  # fmt: skip
    from desktop.workbooks.reader import read_workbook

    back = read_workbook(out).plan
    assert back.node(section).own and next(k for k in back.kpis if k.key == kpi).own
    assert not back.node(SECTION).own


def _kpi(db: Database, key: str):
    return next(k for k in _plan(db).kpis if k.key == key)


def test_the_fields_of_the_target_kinds_are_set_checked_and_audited(branch_db, tmp_path):
    from desktop.services import plan_exchange

    section = _added(plan_editing.add_node(branch_db, IBARAKI, PILLAR, title="S", actor="p"))
    key = _added(plan_editing.add_kpi(branch_db, IBARAKI, section,
                                      KpiDraft(name="受診率", unit="％", decimals=1), actor="p"))  # fmt: skip

    def put(**values: object) -> None:
        plan_editing.set_kpi_fields(branch_db, IBARAKI, key, values, actor="p")

    # A multi-year goal, a field at a time, as the planning window stores it.
    for field, value in (("target_kind", "multi_year"), ("baseline_year", "２０２３"),
                         ("baseline_value", "50.0"), ("goal_year", "2029年度"),
                         ("target", "60.0％")):  # fmt: skip
        put(**{field: value})
    kpi = _kpi(branch_db, key)
    assert (kpi.baseline_year, kpi.baseline_value, kpi.goal_year, kpi.target) == (
        2023, Decimal("50.0"), 2029, Decimal("60.0"),
    )  # fmt: skip
    before = _plan(branch_db)
    for values, ja, en in (
        ({"baseline_year": "2029"}, "基準年度（2029）は目標年度（2029）より前", "must come before"),
        ({"goal_year": "29"}, "目標年度は西暦の年度", "goal year as a fiscal year"),
        ({"baseline_value": "abc"}, "", ""),
    ):
        with pytest.raises(BadInput) as refused:
            put(**values)
        assert ja in refused.value.text.ja and en in refused.value.text.en
    assert _plan(branch_db) == before  # nothing changed

    # Another kind clears the path; a goal in words has words, never a number.
    put(target_kind="manual", target_text="前年度の水準を上回る")
    kpi = _kpi(branch_db, key)
    assert (kpi.target_kind, kpi.target, kpi.target_text) == (
        TargetKind.MANUAL, None, "前年度の水準を上回る",
    )  # fmt: skip
    assert (kpi.baseline_year, kpi.baseline_value, kpi.goal_year) == (None, None, None)
    with pytest.raises(BadInput) as refused:
        put(target="60")
    assert "手動判定" in refused.value.text.ja and "in words" in refused.value.text.en
    with pytest.raises(BadInput) as refused:
        put(goal_year="2029")
    assert "複数年の目標にだけ" in refused.value.text.ja

    put(reference_indicator=True, definition_changed=True, definition_note="分母を変更")
    kpi = _kpi(branch_db, key)
    assert kpi.reference_indicator and kpi.definition_note == "分母を変更"
    _clean_audit(branch_db)  # every stored value has its audit entry

    # A branch sets the path of HQ's KPI (its target), not HQ's definition.
    hq = next(k for k in _plan(branch_db).kpis if not k.own and k.unit == "％")
    plan_editing.set_kpi_fields(
        branch_db, IBARAKI, hq.key,
        {"target_kind": "multi_year", "baseline_year": 2023, "baseline_value": "50",
         "goal_year": 2029, "target": "60"}, actor="p",
    )  # fmt: skip
    assert _kpi(branch_db, hq.key).goal_year == 2029
    for field, value in (("reference_indicator", True), ("definition_note", "x")):
        with pytest.raises(Refused):
            plan_editing.set_kpi_fields(branch_db, IBARAKI, hq.key, {field: value}, actor="p")

    # The plan document carries it all, and its own rules accept it.
    out = plan_exchange.export_plan(branch_db, "08", 2025, tmp_path / "plan.json")
    read = {k.key: k for k in plan_exchange.read_plan_document(out).kpis}
    assert read[key] == _kpi(branch_db, key) and read[hq.key] == _kpi(branch_db, hq.key)
