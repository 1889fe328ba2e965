"""The first window's quick reads give what the services give (the window paints
from them before the database is opened)."""

from __future__ import annotations

import pytest

from desktop.domain.errors import UserError
from desktop.domain.model import PeriodKind, ReportRef
from desktop.services import people, plans, review
from desktop.services.first_view import first_reads
from desktop.services.workspace import load_report
from desktop.store.database import backup_database
from tests.helpers.migrations import downgrade
from tests.helpers.reports import sign_off_all

MIDYEAR = ReportRef("13", 2024, PeriodKind.MIDYEAR)
ANNUAL = ReportRef("13", 2024, PeriodKind.ANNUAL)


def _same_reads(db) -> None:
    first = first_reads(db.path)
    assert first is not None
    assert first.list_plans() == plans.list_plans(db)
    for login in ("admin", "head", "staff", "nobody"):
        assert first.find_user(login) == people.find_user(db, login)
    for ref in (MIDYEAR, ANNUAL, ReportRef("13", 2023, PeriodKind.ANNUAL)):
        snap = first.load_report(ref)
        assert snap == load_report(db, ref)
        assert first.review_board(ref, snap.plan) == review.review_board(db, ref, snap.plan)


def test_the_demo_as_the_services_read_it(demo_db):
    _same_reads(demo_db)


def test_a_reviewed_and_signed_report_as_the_services_read_it(demo_db):
    sign_off_all(demo_db)  # people, submitted and approved sections, the sign-off
    board = review.review_board(demo_db, MIDYEAR, plans.get_plan(demo_db, "13", 2024))
    assert board.signed is not None and any(s.submitted_by for s in board.sections.values())
    _same_reads(demo_db)


def test_a_missing_plan_is_refused_in_the_same_words(demo_db):
    first = first_reads(demo_db.path)
    assert first is not None
    ref = ReportRef("13", 1999, PeriodKind.MIDYEAR)
    with pytest.raises(UserError) as quick:
        first.load_report(ref)
    with pytest.raises(UserError) as orm:
        load_report(demo_db, ref)
    assert quick.value.message("ja") == orm.value.message("ja")
    assert quick.value.message("en") == orm.value.message("en")


def test_no_quick_reads_where_the_database_must_be_opened_first(_demo_template, tmp_path):
    """A missing file (created by the open) and an older schema (migrated by it)."""
    assert first_reads(tmp_path / "new.sqlite3") is None
    old = tmp_path / "old.sqlite3"
    backup_database(_demo_template, old)
    downgrade(old, "0006")
    assert first_reads(old) is None
