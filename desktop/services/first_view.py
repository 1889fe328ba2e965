"""What the window reads for its first paint, without SQLAlchemy.

The window opens on these reads (``store.quick_read``: stdlib sqlite3, read-only)
and opens the ``Database`` — SQLAlchemy, the models, every writing service — just
after its first paint (``ui.controller.ReportController.attach``). Each read gives
what its service gives (tests/services/test_first_view.py compares them on the
demo): ``plans.list_plans``, ``people.find_user``, ``workspace.load_report``,
``review.review_board``. Files the quick read does not serve — missing, of another
schema revision (a migration is due), not PlanDesk's — get None from
``first_reads``: the caller opens the ``Database`` at once, which migrates or says
what is wrong.
"""

from __future__ import annotations

from pathlib import Path

from desktop.domain.branches import branch as find_branch
from desktop.domain.errors import UserError
from desktop.domain.model import Plan, ReportRef
from desktop.domain.review import User
from desktop.services.review_board import ReviewBoard, board_from_rows
from desktop.services.workspace import ReportSnapshot, snapshot_of
from desktop.store.database import APPLICATION_ID, SCHEMA_HEAD
from desktop.store.quick_read import QuickReader, file_revision


class FirstReads:
    """The first window's reads of one database file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._reader = QuickReader(path)

    def list_plans(self) -> list[tuple[str, int, str]]:
        return self._reader.list_plans()

    def find_user(self, login: str) -> User | None:
        return self._reader.find_user(login)

    def load_report(self, ref: ReportRef) -> ReportSnapshot:
        code = find_branch(ref.branch).code
        plan = self._reader.load_plan(code, ref.fiscal_year)
        if plan is None:
            raise _no_plan(code, ref.fiscal_year)
        return snapshot_of(plan, ref)

    def review_board(self, ref: ReportRef, plan: Plan) -> ReviewBoard:
        code = find_branch(ref.branch).code
        rows, signed = self._reader.review_rows(code, ref.fiscal_year, ref.period.value)
        return board_from_rows(ref, plan, rows, signed)


def first_reads(path: Path) -> FirstReads | None:
    """The quick reads of ``path``, or None when the file is not a PlanDesk database
    at the current schema revision (open the ``Database`` then)."""
    path = Path(path).expanduser().absolute()
    if file_revision(path, APPLICATION_ID) != SCHEMA_HEAD:
        return None
    return FirstReads(path)


def _no_plan(code: str, fiscal_year: int) -> UserError:
    from desktop.services.plans import no_plan  # the same words as get_plan's

    return no_plan(code, fiscal_year)
