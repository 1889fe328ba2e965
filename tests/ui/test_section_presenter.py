"""What the section form shows, decided without a window (desktop/ui/section_presenter.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from desktop.domain.model import Group, PeriodKind, ReportRef
from desktop.domain.review import Role, SectionState, User
from desktop.services.review import SignOff
from desktop.services.workspace import load_report
from desktop.ui.section_presenter import (
    breadcrumb,
    hidden_kpi_columns,
    needs_reason,
    review_controls,
    shows_reason,
    suggestion,
)

REF = ReportRef("13", 2024, PeriodKind.MIDYEAR)
SECTION = "2.II.3"  # 保健, with KPIs that have a numerator
SIGNED = SignOff("head", datetime(2024, 10, 1, tzinfo=UTC))


def user(role: Role, group: Group | None = None, active: bool = True) -> User:
    return User("x", "X", role, group, active, True)


@pytest.fixture
def snap(demo_db):
    return load_report(demo_db, REF)


def test_the_breadcrumb_is_the_titles_above(snap):
    node = snap.plan.node(SECTION)
    crumbs = breadcrumb(snap.plan, node)
    assert len(crumbs) == 2 and crumbs[0] == snap.plan.node("2").display_title
    assert breadcrumb(snap.plan, snap.plan.node("2")) == []


@pytest.mark.parametrize(
    ("state", "signed", "who", "expected"),
    [
        # state, signed off, person → submit enabled, reopen, except, read-only
        (SectionState.DRAFT, None, user(Role.STAFF), (True, False, False, False)),
        (SectionState.SUBMITTED, None, user(Role.STAFF), (False, False, False, False)),
        (SectionState.APPROVED, None, user(Role.STAFF), (False, False, False, True)),
        (SectionState.APPROVED, None, user(Role.SUPERVISOR, Group.HEALTH), (False, True, False, True)),
        (SectionState.APPROVED, None, user(Role.SUPERVISOR, Group.OPERATIONS), (False, False, False, True)),
        (SectionState.REOPENED, None, user(Role.BRANCH_HEAD), (True, False, True, False)),
        (SectionState.EXCEPTED, None, user(Role.BRANCH_HEAD), (False, True, False, True)),
        (SectionState.APPROVED, SIGNED, user(Role.BRANCH_HEAD), (False, False, False, True)),
        (SectionState.DRAFT, None, user(Role.BRANCH_HEAD, active=False), (True, False, False, False)),
        (SectionState.DRAFT, None, None, (True, False, False, False)),
    ],
)  # fmt: skip
def test_review_controls_follow_the_rules(snap, state, signed, who, expected):
    controls = review_controls(state, signed, who, snap.plan, SECTION)
    assert controls.shown
    got = (controls.submit_enabled, controls.reopen_visible, controls.except_visible)
    assert (*got, controls.read_only) == expected


def test_a_heading_has_no_review_row_but_locks_with_the_sign_off(snap):
    assert not review_controls(None, None, user(Role.BRANCH_HEAD), snap.plan, "2").shown
    assert not review_controls(None, None, user(Role.STAFF), snap.plan, "2").read_only
    assert review_controls(None, SIGNED, user(Role.STAFF), snap.plan, "2").read_only


def test_columns_nobody_can_fill_are_hidden(snap):
    kpis = snap.plan.kpis_of(SECTION)
    hidden = hidden_kpi_columns(kpis, snap)
    assert hidden["numerator"] is False  # these KPIs have a numerator
    assert hidden["national_average"] is True  # no national figures in the demo yet
    plain = [replace(k, numerator_label=None, denominator_label=None) for k in kpis]
    assert hidden_kpi_columns(plain, snap)["denominator"] is True


@pytest.mark.parametrize(
    ("period", "symbol", "needed"),
    [
        (PeriodKind.MIDYEAR, "○", False),
        (PeriodKind.MIDYEAR, "×", True),
        (PeriodKind.MIDYEAR, None, False),
        (PeriodKind.ANNUAL, "A", True),
        (PeriodKind.ANNUAL, None, True),
    ],
)
def test_which_marks_need_a_reason(period, symbol, needed):
    assert needs_reason(period, symbol) is needed


def test_the_suggestion_follows_the_figures(snap):
    nothing = suggestion(snap, SECTION, "en")
    assert nothing.shown and nothing.symbol is None and nothing.reason
    key = snap.plan.kpis_of(SECTION)[0].key
    stored = snap.measurements[key]
    snap.measurements[key] = replace(
        stored, value=Decimal("99.9"), unavailable_reason=None, as_of=snap.as_of
    )
    found = suggestion(snap, SECTION, "en")
    assert found.symbol is not None and found.heading is None
    assert not suggestion(snap, "2", "en").shown  # a heading is not reported on


@pytest.mark.parametrize(
    ("period", "symbol", "reason", "shown"),
    [
        (PeriodKind.MIDYEAR, None, "", False),
        (PeriodKind.MIDYEAR, "○", "", True),  # beside any mark set
        (PeriodKind.MIDYEAR, None, "前に書いた理由", True),  # text is never hidden
        (PeriodKind.ANNUAL, None, "", True),
        (PeriodKind.ANNUAL, "A", "", True),
    ],
)
def test_when_the_form_shows_the_reason_field(period, symbol, reason, shown):
    assert shows_reason(period, symbol, reason) is shown
