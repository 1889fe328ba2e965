"""Every writing service of the service API against the review locks.

The census (tests/services/census.py) finds every public function of
``desktop.services`` that writes to the database (it opens ``db.write()`` itself
or calls one that does). Each must be in TABLE, which says what it does to a
signed-off report and to an approved section: refused, left out (an import lists
what it did not take), unchanged (it writes something that is not report
content), or a deliberate exception with its reason. A new writing service that
is not in the table fails ``test_every_writing_service_is_in_the_table``; one in
the table that lets a locked report change fails
``test_locked_content_does_not_change``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import pytest

from desktop.domain.model import Group, PeriodKind, ReportAxis, ReportRef
from desktop.domain.review import ReviewRefused, Role, SectionState
from desktop.services import (
    editing,
    exchange,
    plan_editing,
    plan_exchange,
    plans,
    reference,
    review,
)
from desktop.store.database import Database
from tests.helpers.plan_documents import stored_with_entry
from tests.helpers.reports import REF, edited_by_the_group
from tests.services import census

SECTION = "2.II.3"  # a 保健 section with its own texts and KPIs
KPI = "2.II.3.k1"
OTHER = "1.I.1"  # another section: its approval does not lock SECTION


class Expect(Enum):
    REFUSED = "raises ReviewRefused, nothing changed"
    LEFT_OUT = "returns, the locked content left as it was"
    UNCHANGED = "returns; it writes no report content"
    ALLOWED = "deliberate exception: the content changes (see the reason)"
    NOT_RUN = "not report content at all (see the reason)"


@dataclass(frozen=True)
class Locked:
    """What a recipe works on: a report with SECTION locked one way or the other."""

    db: Database
    ref: ReportRef
    tmp_path: Path
    incoming: Path  # a work file that changes SECTION's text, made before the lock


Recipe = Callable[[Locked], object]


@dataclass(frozen=True)
class Case:
    signed_off: Expect
    approved: Expect
    recipe: Recipe | None = None
    reason: str = ""


def _import(t: Locked) -> object:
    return exchange.apply_import(t.db, exchange.preview_import(t.db, t.incoming), actor="a")


def _plan_import(t: Locked) -> object:
    """HQ's IT imports a plan document that rewrites SECTION's text, taking the file's."""
    plan = stored_with_entry(t.db, SECTION, "status_text", "計画ファイルからの変更")
    return plan_exchange.apply_plan_import(
        t.db, plan, actor="a", resolve=plan_exchange.Resolve.FILE
    )


def _export(t: Locked) -> object:
    return exchange.export_workbook(
        t.db, branch="13", fiscal_year=2024, kind=exchange.Kind.WORK, period=PeriodKind.MIDYEAR,
        out=t.tmp_path, actor="a", sections=[SECTION],
    )  # fmt: skip


def _head(action: Callable[..., object], **kw: object) -> Recipe:
    return lambda t: action(t.db, t.ref, SECTION, login="head", password="head-pass", **kw)


PEOPLE = "people, not report content: only an administrator, with a password"
NEW_PLAN = "creates a plan (refused when one exists), never a report's content"
REVIEW_RULES = "a review step on the section itself: its rules are tested in test_review.py"
PLAN_STEP = (
    "a step of the plan's own approval, not report content: its rules and the lock it puts "
    "on plan content are tested in test_plan_approval.py and below"
)

TABLE: dict[str, Case] = {
    # --- report content: locked ----------------------------------------------------------
    "editing.set_entry_field": Case(
        Expect.REFUSED, Expect.REFUSED,
        lambda t: editing.set_entry_field(t.db, t.ref, SECTION, "status_text", "変更", actor="a"),
    ),
    "editing.set_plan_text": Case(
        Expect.REFUSED, Expect.REFUSED,
        lambda t: editing.set_plan_text(t.db, t.ref, SECTION, "計画を書き換えた", actor="a"),
    ),
    "editing.set_measurement": Case(
        Expect.REFUSED, Expect.REFUSED,
        lambda t: editing.set_measurement(t.db, t.ref, KPI, value="1.5", actor="a"),
    ),
    "editing.set_measurements": Case(
        Expect.REFUSED, Expect.REFUSED,
        lambda t: editing.set_measurements(
            t.db, t.ref, [(KPI, {"unavailable_reason": "集計中"})], actor="a"
        ),
    ),
    "reference.set_reference_figure": Case(
        Expect.REFUSED, Expect.REFUSED,
        lambda t: reference.set_reference_figure(
            t.db, t.ref, KPI, "prior_year_actual", "1.5", actor="a"
        ),
    ),
    "import_apply.apply_import": Case(Expect.LEFT_OUT, Expect.LEFT_OUT, _import),
    # --- the plan's structure (plan_editing): a signed-off report locks it whole ----------
    "plan_editing.add_node": Case(
        Expect.REFUSED, Expect.ALLOWED,
        lambda t: plan_editing.add_node(t.db, t.ref, "2", title="独自の取組", actor="a"),
        "a new section under a pillar is not part of another section's approval",
    ),
    "plan_editing.set_node_field": Case(
        Expect.REFUSED, Expect.REFUSED,
        lambda t: plan_editing.set_node_field(t.db, t.ref, SECTION, "footnotes", "※", actor="a"),
    ),
    "plan_editing.set_report_layout": Case(
        Expect.REFUSED, Expect.ALLOWED,
        lambda t: plan_editing.set_report_layout(
            t.db, t.ref, axis=ReportAxis.GROUP, number_per_group=True, actor="a"
        ),
        "how the report is organised changes no section's content",
    ),
    "plan_editing.set_print_profiles": Case(
        Expect.REFUSED, Expect.ALLOWED,
        lambda t: plan_editing.set_print_profiles(t.db, t.ref, annual="annual6", actor="a"),
        "the report's print layout changes no section's content",
    ),
    "plan_editing.move_node": Case(
        Expect.REFUSED, Expect.REFUSED,
        lambda t: plan_editing.move_node(t.db, t.ref, SECTION, position=0, actor="a"),
    ),
    "plan_editing.remove_node": Case(
        Expect.REFUSED, Expect.REFUSED,
        lambda t: plan_editing.remove_node(t.db, t.ref, SECTION, actor="a"),
    ),
    "plan_editing.add_kpi": Case(
        Expect.REFUSED, Expect.REFUSED,
        lambda t: plan_editing.add_kpi(
            t.db, t.ref, SECTION, plan_editing.KpiDraft(name="件数", target="1"), actor="a"
        ),
    ),
    "plan_editing.set_kpi_fields": Case(
        Expect.REFUSED, Expect.REFUSED,
        lambda t: plan_editing.set_kpi_fields(t.db, t.ref, KPI, {"target": "99"}, actor="a"),
    ),
    "plan_editing.move_kpi": Case(
        Expect.REFUSED, Expect.REFUSED,
        lambda t: plan_editing.move_kpi(t.db, t.ref, KPI, 1, actor="a"),
    ),
    "plan_editing.remove_kpi": Case(
        Expect.REFUSED, Expect.REFUSED,
        lambda t: plan_editing.remove_kpi(t.db, t.ref, KPI, actor="a"),
    ),
    "plan_editing.restore_removed": Case(
        Expect.NOT_RUN, Expect.NOT_RUN, None,
        "puts back what a removal kept, through the same structure guard: "
        "test_plan_editing.py::test_restoring_is_locked_like_every_structure_edit",
    ),
    "plan_exchange.apply_plan_import": Case(Expect.REFUSED, Expect.REFUSED, _plan_import),
    # --- deliberate exceptions ------------------------------------------------------------
    "editing.set_monthly_actual": Case(
        Expect.ALLOWED, Expect.ALLOWED,
        lambda t: editing.set_monthly_actual(t.db, t.ref, KPI, 4, "1.2", actor="a"),
        "monthly figures (月次実績) belong to the fiscal year, not to one report, and keep "
        "arriving after sign-off (docs/workbook-format.md; test_exchange_edges.py::"
        "test_monthly_figures_arrive_in_a_signed_off_year_and_texts_are_left_out)",
    ),
    "benchmarks.import_benchmark_pack": Case(
        Expect.ALLOWED, Expect.ALLOWED, None,
        "HQ's national average and rank are HQ's published figures, not what the branch "
        "signed (test_consolidation.py::test_benchmarks_are_filled_even_after_sign_off)",
    ),
    # --- writes that are not report content -------------------------------------------------
    "export.export_workbook": Case(Expect.UNCHANGED, Expect.UNCHANGED, _export),
    "review.add_comment": Case(
        Expect.UNCHANGED, Expect.UNCHANGED,
        lambda t: review.add_comment(t.db, t.ref, SECTION, login="staff", text="確認しました"),
        "a comment is discussion beside the report, kept in its thread",
    ),
    "review.submit": Case(
        Expect.REFUSED, Expect.NOT_RUN,
        lambda t: review.submit(t.db, t.ref, [SECTION], login="staff"), REVIEW_RULES,
    ),
    "review.approve": Case(
        Expect.REFUSED, Expect.NOT_RUN,
        lambda t: review.approve(t.db, t.ref, [SECTION], login="head", password="head-pass"),
        REVIEW_RULES,
    ),
    "review.approve_group": Case(
        Expect.REFUSED, Expect.NOT_RUN,
        lambda t: review.approve_group(
            t.db, t.ref, Group.HEALTH, login="head", password="head-pass"
        ),
        REVIEW_RULES,
    ),
    "review.return_section": Case(
        Expect.REFUSED, Expect.NOT_RUN, _head(review.return_section, comment="直して"),
        REVIEW_RULES,
    ),
    "review.reopen": Case(
        Expect.REFUSED, Expect.NOT_RUN, _head(review.reopen, reason="追記のため"), REVIEW_RULES
    ),
    "review.except_section": Case(
        Expect.REFUSED, Expect.NOT_RUN, _head(review.except_section, reason="対象外"),
        REVIEW_RULES,
    ),
    "review.sign_off": Case(
        Expect.REFUSED, Expect.NOT_RUN,
        lambda t: review.sign_off(t.db, t.ref, login="head", password="head-pass"),
        "signing off needs every section settled: test_review.py",
    ),
    "submission_signing.sign_off_and_sign": Case(
        Expect.NOT_RUN, Expect.NOT_RUN, None,
        "review.sign_off (above) with the signing key opened first; writes no content "
        "(test_signing.py::test_a_wrong_passphrase_changes_nothing)",
    ),
    "submission_signing.sign_submission": Case(
        Expect.NOT_RUN, Expect.NOT_RUN, None,
        "signs what a signed-off report's submission holds; changes no content "
        "(test_signing.py::test_a_rotated_key_keeps_earlier_files_valid)",
    ),
    "submission_signing.sign_again": Case(
        Expect.NOT_RUN, Expect.NOT_RUN, None,
        "sign_submission (above) with this PC's key opened (or made) first, only for a "
        "signed-off report; changes no content (test_sign_again.py)",
    ),
    "people.add_user": Case(Expect.NOT_RUN, Expect.NOT_RUN, None, PEOPLE),
    "people.update_user": Case(Expect.NOT_RUN, Expect.NOT_RUN, None, PEOPLE),
    "people.set_password": Case(Expect.NOT_RUN, Expect.NOT_RUN, None, PEOPLE),
    "people.set_active": Case(Expect.NOT_RUN, Expect.NOT_RUN, None, PEOPLE),
    "plans.install_plan": Case(Expect.NOT_RUN, Expect.NOT_RUN, None, NEW_PLAN),
    "plans.create_from_template": Case(Expect.NOT_RUN, Expect.NOT_RUN, None, NEW_PLAN),
    "plan_exchange.new_plan": Case(Expect.NOT_RUN, Expect.NOT_RUN, None, NEW_PLAN),
    "plans.install_demo": Case(
        Expect.NOT_RUN, Expect.NOT_RUN, None,
        "`plandesk demo` restores the bundled demo plans, replacing them whole",
    ),
    "rollover.roll_over": Case(Expect.NOT_RUN, Expect.NOT_RUN, None, NEW_PLAN),
    "plan_approval.submit_plan": Case(Expect.NOT_RUN, Expect.NOT_RUN, None, PLAN_STEP),
    "plan_approval.withdraw_plan": Case(Expect.NOT_RUN, Expect.NOT_RUN, None, PLAN_STEP),
    "plan_approval.approve_plan": Case(Expect.NOT_RUN, Expect.NOT_RUN, None, PLAN_STEP),
    "plan_approval.send_back_plan": Case(Expect.NOT_RUN, Expect.NOT_RUN, None, PLAN_STEP),
    "plan_approval.reopen_plan": Case(Expect.NOT_RUN, Expect.NOT_RUN, None, PLAN_STEP),
    "rollover.confirm_kpi": Case(
        Expect.NOT_RUN, Expect.NOT_RUN, None,
        "records that a person checked a new KPI of next year's plan",
    ),
    "branch_targets.set_branch_targets": Case(
        Expect.NOT_RUN, Expect.NOT_RUN, None,
        "HQ's table of targets per branch belongs to HQ's template plan, not to a report",
    ),
}  # fmt: skip


# --- the census (tests/services/census.py) ----------------------------------------------


def writing_services() -> set[str]:
    return set(census.writing_services())


def test_the_census_finds_the_writing_services():
    found = writing_services()
    assert {
        "editing.set_plan_text",
        "editing.set_measurement",
        "import_apply.apply_import",
    } <= found
    assert "plans.get_plan" not in found and "review.section_states" not in found


def test_every_writing_service_is_in_the_table():
    found = writing_services()
    missing = sorted(found - set(TABLE))
    assert not missing, (
        f"writing services without a lock entry: {missing} — add each to TABLE with what it "
        "does to a signed-off report and an approved section"
    )
    assert sorted(set(TABLE) - found) == [], "TABLE lists functions that no longer write"
    for name, case in TABLE.items():
        exceptional = {case.signed_off, case.approved} & {Expect.ALLOWED, Expect.NOT_RUN}
        assert not exceptional or case.reason, f"{name}: an exception needs its reason"
        runs = {case.signed_off, case.approved} - {Expect.NOT_RUN}
        assert case.recipe is not None or not runs or case.reason, f"{name}: how is it tested?"


# --- locking ------------------------------------------------------------------------------


def _people(db: Database) -> None:
    review.add_user(db, login="admin", display_name="管理", role=Role.STAFF, password="a-pw")
    for login, name, role, password in (
        ("head", "支部長 山田", Role.BRANCH_HEAD, "head-pass"),
        ("staff", "担当", Role.STAFF, None),
    ):
        review.add_user(db, login=login, display_name=name, role=role, password=password,
                        admin_login="admin", admin_password="a-pw")  # fmt: skip


def _lock(db: Database, how: str) -> None:
    states = review.section_states(db, REF)
    keys = list(states) if how == "signed_off" else [SECTION, OTHER]
    review.submit(db, REF, keys, login="staff")
    review.approve(db, REF, keys, login="head", password="head-pass")
    if how == "signed_off":
        review.sign_off(db, REF, login="head", password="head-pass")


def _content(db: Database) -> object:
    """Everything a report says, in both periods, and the review states."""
    plan = plans.get_plan(db, REF.branch, REF.fiscal_year)
    states = {p: review.section_states(db, ReportRef("13", 2024, p), plan) for p in PeriodKind}
    return plan, states


def _cases(how: str) -> list[tuple[str, Expect]]:
    out = []
    for name, case in TABLE.items():
        expect = case.signed_off if how == "signed_off" else case.approved
        if expect is not Expect.NOT_RUN and case.recipe is not None:
            out.append((name, expect))
    return out


@pytest.mark.parametrize("how", ["signed_off", "approved"])
def test_locked_content_does_not_change(demo_db, tmp_path: Path, how: str):
    # A group PC changed SECTION's text and sends it back: after the lock here.
    incoming = edited_by_the_group(demo_db, tmp_path, status_text="グループPCでの変更")
    _people(demo_db)
    # An annual report exists too: the plan text is part of it as well.
    editing.set_entry_field(
        demo_db, ReportRef("13", 2024, PeriodKind.ANNUAL), OTHER, "status_text", "年度", actor="a"
    )
    _lock(demo_db, how)
    locked = Locked(demo_db, REF, tmp_path, incoming)
    failures = []
    for name, expect in _cases(how):
        before = _content(demo_db)
        recipe = TABLE[name].recipe
        assert recipe is not None
        try:
            result = recipe(locked)
        except ReviewRefused:
            outcome = Expect.REFUSED
        else:
            outcome = Expect.UNCHANGED
            if isinstance(result, exchange.ImportResult) and result.blocked:
                outcome = Expect.LEFT_OUT
        changed = _content(demo_db) != before
        if expect is Expect.ALLOWED:
            ok = outcome is Expect.UNCHANGED and changed
        else:
            ok = outcome is expect and not changed
        if not ok:
            failures.append(
                f"{name}: expected {expect.name}, got {outcome.name}, changed={changed}"
            )
    assert not failures, "\n".join(failures)


def test_plan_text_is_locked_by_a_section_approved_in_the_other_report(demo_db):
    """The plan text is printed in both reports: approving the section in the annual
    report locks the text for the mid-year one too."""
    _people(demo_db)
    annual = ReportRef("13", 2024, PeriodKind.ANNUAL)
    review.submit(demo_db, annual, [SECTION], login="staff")
    review.approve(demo_db, annual, [SECTION], login="head", password="head-pass")
    with pytest.raises(ReviewRefused):
        editing.set_plan_text(demo_db, REF, SECTION, "書き換え", actor="a")
    review.reopen(demo_db, annual, SECTION, login="head", password="head-pass", reason="修正")
    editing.set_plan_text(demo_db, REF, SECTION, "書き換え", actor="a")
    node = plans.get_plan(demo_db, "13", 2024).node(SECTION)
    assert node.plan_text == "書き換え"
    # Like any edit of a reopened section, it goes back to review.
    assert review.section_states(demo_db, annual)[SECTION] is SectionState.SUBMITTED


# --- the plan's own approval locks plan content ----------------------------------------------

# Every writing service that changes plan content (the tree, plan texts, KPI definitions
# and targets), with a recipe that changes some. Each must be refused while the plan is
# submitted or approved (locks.refuse_if_plan_locked, through EditScope's PlanText owner).
PLAN_CONTENT: dict[str, Recipe] = {
    "editing.set_plan_text": TABLE["editing.set_plan_text"].recipe,  # type: ignore[dict-item]
    "plan_exchange.apply_plan_import": lambda t: plan_exchange.apply_plan_import(
        t.db, _with_plan_text(t.db), actor="a", resolve=plan_exchange.Resolve.FILE
    ),
}
# Writing services that change content beside the plan, and are not locked by its approval.
NOT_PLAN_CONTENT = {
    "reference.set_reference_figure": "reference figures are facts that arrive after the "
    "plan is agreed (edit_scope.PlanFigure)",
}


def _with_plan_text(db: Database) -> object:
    from dataclasses import replace

    plan = plans.get_plan(db, "13", 2024)
    nodes = tuple(replace(n, plan_text="ファイルの計画") if n.key == SECTION else n
                  for n in plan.nodes)  # fmt: skip
    return replace(plan, nodes=nodes, reports=(), _index={})


def test_plan_content_writers_are_known_to_the_census():
    assert set(PLAN_CONTENT) | set(NOT_PLAN_CONTENT) <= writing_services()


@pytest.mark.parametrize("how", ["submitted", "approved"])
@pytest.mark.parametrize("name", sorted(PLAN_CONTENT))
def test_plan_content_is_refused_while_the_plan_is_submitted_or_approved(
    demo_db, tmp_path: Path, how: str, name: str
):
    from desktop.services import plan_approval
    from tests.helpers.plan_people import HEAD, add_plan_people

    add_plan_people(demo_db)
    plan_approval.submit_plan(demo_db, "13", 2024, login="planner")
    if how == "approved":
        plan_approval.approve_plan(demo_db, "13", 2024, **HEAD)
    before = _content(demo_db)
    locked = Locked(demo_db, REF, tmp_path, tmp_path / "unused.xlsx")
    with pytest.raises(ReviewRefused) as refused:
        PLAN_CONTENT[name](locked)
    assert ("承認済み" if how == "approved" else "承認待ち") in refused.value.text.ja
    assert _content(demo_db) == before
    # Reopened (or taken back), the same change goes through.
    if how == "approved":
        plan_approval.reopen_plan(demo_db, "13", 2024, reason="修正", **HEAD)
    else:
        plan_approval.withdraw_plan(demo_db, "13", 2024, login="planner")
    PLAN_CONTENT[name](locked)
    assert _content(demo_db) != before


def test_report_ref_is_still_importable_from_editing():
    assert editing.ReportRef is ReportRef
