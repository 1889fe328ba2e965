"""The review of one report as a window holds it: read once, kept current from the
change records. Without the store, so that the window's first paint can build it
from the quick first read (``services.first_view``) as ``review.review_board`` does
from the ORM's rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from desktop.domain.model import Plan, ReportRef
from desktop.domain.review import DiffRun, SectionState, User, may_review
from desktop.services.changes import Changes, ReviewChanged, SignedOff


@dataclass(frozen=True, slots=True)
class Comment:
    author: str
    at: datetime
    action: str
    text: str


@dataclass(frozen=True, slots=True)
class SectionChanges:
    approved_before: bool
    texts: dict[str, list[DiffRun]]  # field → runs, only fields that changed
    mark: tuple[str | None, str | None] | None  # (approved, now) when it changed
    kpis: dict[str, tuple[str | None, str | None]]  # key → (approved, now) when changed


@dataclass(frozen=True, slots=True)
class QueueItem:
    node_key: str
    submitted_by: str | None
    submitted_at: datetime | None


@dataclass(frozen=True, slots=True)
class SignOff:
    signed_by: str
    signed_at: datetime


@dataclass(frozen=True, slots=True)
class SectionReview:
    state: SectionState
    submitted_by: str | None = None
    submitted_at: datetime | None = None


@dataclass(slots=True)
class ReviewBoard:
    """Every reported section's review state and the report's sign-off: read once per
    report, then kept current from the change records, so that what waits for whom is
    worked out without a query per change."""

    ref: ReportRef
    sections: dict[str, SectionReview]  # in plan order
    signed: SignOff | None = None

    def states(self) -> dict[str, SectionState]:
        return {key: s.state for key, s in self.sections.items()}

    def apply(self, changes: Changes) -> None:
        for r in changes.records:
            if isinstance(r, ReviewChanged) and r.report == self.ref:
                old = self.sections.get(r.node_key)
                if old is None:
                    continue  # a heading: nobody reviews it on its own
                if r.state is SectionState.SUBMITTED:
                    self.sections[r.node_key] = SectionReview(r.state, r.actor, r.at)
                else:
                    self.sections[r.node_key] = replace(old, state=r.state)
            elif isinstance(r, SignedOff) and r.report == self.ref:
                self.signed = SignOff(r.signed_by, r.signed_at)

    def waiting_for(self, user: User | None, plan: Plan) -> list[QueueItem]:
        """What waits for this person: the submitted sections they review, oldest first
        (what ``queue`` reads from the database; equal times in plan order)."""
        if user is None or not user.role.reviews:
            return []
        order = {key: i for i, key in enumerate(self.sections)}
        items = [
            QueueItem(key, s.submitted_by, s.submitted_at)
            for key, s in self.sections.items()
            if s.state is SectionState.SUBMITTED and may_review(user, plan.effective_group(key))
        ]
        oldest = datetime.min.replace(tzinfo=UTC)
        return sorted(items, key=lambda i: (i.submitted_at or oldest, order[i.node_key]))


def board_from_rows(
    ref: ReportRef, plan: Plan, rows: Mapping[str, Any], signed: Any | None
) -> ReviewBoard:
    """The board from the report's section review rows (by node key) and its sign-off
    row: every section people report on, draft when it has no row."""
    sections = {}
    for n in plan.nodes:
        if n.parent_key is None or not plan.is_reportable(n.key):
            continue
        row = rows.get(n.key)
        sections[n.key] = (
            SectionReview(SectionState(row.state), row.submitted_by, row.submitted_at)
            if row is not None
            else SectionReview(SectionState.DRAFT)
        )
    return ReviewBoard(
        ref, sections, SignOff(signed.signed_by, signed.signed_at) if signed else None
    )
