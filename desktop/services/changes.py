"""What a write changed: the one envelope every writing service returns.

A writing service returns either a ``Changes`` or a result that carries one
as ``.changes`` (an import's counts, a rollover's report …): ``changes_of``
finds it either way. The window runs every write through one controller
method, folds the envelope into what it shows and broadcasts it once; each
view picks out what concerns it. The shape follows Anki's ``OpChanges``
(which says *which kinds* of things changed), with the records themselves
inside, so that a view updates just the row a record names.

- ``records``: field-level facts, frozen — a section's entry field, a plan
  text, a KPI figure, a monthly figure, a reference figure, a review state (including the
  resubmission an edit of a reopened section causes), a sign-off, a comment,
  a person, a confirmed KPI, a plan's approval state, a cell of HQ's targets per
  branch, a structure edit of a plan (``StructureChanged``: whoever shows the plan reads
  it again, its undo history kept). An import produces the same records as typing.
- ``plans``: plans created or replaced whole (rollover, template, demo, an
  import that creates the plan): whoever lists plans or shows one reads again.
- ``reports``: reports changed beyond what the records say (a new report's
  header taken from a file, national figures from HQ's pack): whoever shows
  one reads it again.
- ``people``: logins added or changed (role, name, group, password, active).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

from desktop.domain.model import BranchTarget, Measurement, ReportRef, SectionEntry, Source
from desktop.domain.plan_review import PlanState
from desktop.domain.reference import Field
from desktop.domain.review import SectionState, User

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PlanRef:
    """Names one plan: a branch's (or HQ's, "00") plan of a fiscal year."""

    branch: str
    fiscal_year: int

    @staticmethod
    def of(ref: ReportRef) -> PlanRef:
        return PlanRef(ref.branch, ref.fiscal_year)


def same_plan(a: ReportRef, b: ReportRef) -> bool:
    """Both reports belong to one plan (monthly figures and plan texts are the plan's)."""
    return (a.branch, a.fiscal_year) == (b.branch, b.fiscal_year)


# --- the records ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EntryChanged:
    """One field of a section's entry, and the whole entry as it is now stored."""

    report: ReportRef
    entry: SectionEntry
    field: str


@dataclass(frozen=True, slots=True)
class MeasurementChanged:
    report: ReportRef
    measurement: Measurement


@dataclass(frozen=True, slots=True)
class PlanTextChanged:
    """A node's 事業計画 text: part of the plan, so of every report of it."""

    report: ReportRef
    node_key: str
    plan_text: str


@dataclass(frozen=True, slots=True)
class MonthlyChanged:
    """A KPI's figure for one fiscal month (1 = April) set or cleared (None)."""

    report: ReportRef
    kpi_key: str
    fiscal_index: int
    value: Decimal | None


@dataclass(frozen=True, slots=True)
class ReviewChanged:
    """A section's review state, who moved it there and when."""

    report: ReportRef
    node_key: str
    state: SectionState
    actor: str = ""
    at: datetime | None = None


@dataclass(frozen=True, slots=True)
class SignedOff:
    report: ReportRef
    signed_by: str
    signed_at: datetime


@dataclass(frozen=True, slots=True)
class SubmissionSigned:
    """The signed-off report's submission signed with the branch's key."""

    report: ReportRef
    key: str  # the key's fingerprint
    signed_by: str
    at: datetime


@dataclass(frozen=True, slots=True)
class CommentAdded:
    report: ReportRef
    node_key: str
    author: str
    at: datetime
    text: str


@dataclass(frozen=True, slots=True)
class UserChanged:
    """A person added or changed, as they are now."""

    user: User


@dataclass(frozen=True, slots=True)
class KpiConfirmed:
    """A person checked a new or redefined KPI of a plan (see services.rollover)."""

    branch: str
    fiscal_year: int
    kpi_key: str
    name: str
    reason: str  # "new" | "definition_changed"
    confirmed_by: str
    confirmed_at: datetime


@dataclass(frozen=True, slots=True)
class ReferenceChanged:
    """A reference figure of a KPI typed or cleared (desktop/domain/reference.py), as
    stored, with where it now comes from. Last year's and the year before's figures
    belong to the plan; this year's national figures to ``report``."""

    report: ReportRef
    kpi_key: str
    field: str
    value: Decimal | int | None
    source: Source | None

    @property
    def of_report(self) -> bool:
        """This year's national figures: the report's; any other: the plan's (both
        reports of the year show them)."""
        return Field(self.field).of_report


@dataclass(frozen=True, slots=True)
class PlanStateChanged:
    """A plan submitted, taken back, approved, sent back or reopened
    (services.plan_approval): its state now, who moved it, when, and the reason given."""

    plan: PlanRef
    state: PlanState
    actor: str
    at: datetime
    reason: str = ""


@dataclass(frozen=True, slots=True)
class BranchTargetChanged:
    """One cell of HQ's table of targets per branch (held with HQ's template plan
    ``plan``): ``target`` as stored now, None for the template's default."""

    plan: PlanRef
    branch: str
    kpi_key: str
    target: BranchTarget | None


@dataclass(frozen=True, slots=True)
class StructureChanged:
    """The plan's structure changed (desktop/services/plan_editing.py): a node or KPI
    added, edited, moved, removed or restored. Whoever shows the plan reads it again
    (like a replaced plan), but the edit is undoable: the undo history is kept.

    ``removal``: the id under which a removed part is kept (restore puts it back)."""

    report: ReportRef  # names the plan (branch, year); the period is the one shown
    action: str  # add | edit | move | remove | restore
    kind: str  # node | kpi
    key: str
    removal: int | None = None


ContentRecord = (
    EntryChanged | MeasurementChanged | PlanTextChanged | MonthlyChanged | ReferenceChanged
)
Record = (
    ContentRecord
    | ReviewChanged
    | SignedOff
    | SubmissionSigned
    | CommentAdded
    | UserChanged
    | KpiConfirmed
    | PlanStateChanged
    | BranchTargetChanged
    | StructureChanged
)
CONTENT = (EntryChanged, MeasurementChanged, PlanTextChanged, MonthlyChanged, ReferenceChanged)


# --- the envelope ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Changes:
    records: tuple[Record, ...] = ()
    plans: frozenset[PlanRef] = frozenset()
    reports: frozenset[ReportRef] = frozenset()
    people: frozenset[str] = frozenset()

    @staticmethod
    def of_records(records: Iterable[Record]) -> Changes:
        records = tuple(records)
        people = frozenset(r.user.login for r in records if isinstance(r, UserChanged))
        return Changes(records=records, people=people)

    def __bool__(self) -> bool:
        return bool(self.records or self.plans or self.reports or self.people)

    def __add__(self, other: Changes) -> Changes:
        return Changes(
            records=self.records + other.records,
            plans=self.plans | other.plans,
            reports=self.reports | other.reports,
            people=self.people | other.people,
        )

    def of(self, kind: type[T]) -> list[T]:
        """The records of one kind, in the order they happened."""
        return [r for r in self.records if isinstance(r, kind)]

    def one(self, kind: type[T]) -> T:
        """The only record of a kind (what a single edit returns)."""
        found = self.of(kind)
        if len(found) != 1:
            raise LookupError(f"{len(found)} records of {kind.__name__}, expected one")
        return found[0]

    def replaces(self, ref: ReportRef) -> bool:
        """True when the report must be read again: its plan was created or replaced
        whole, its structure changed, or the report changed beyond what the records say."""
        return self.replaces_whole(ref) or self.restructures(ref)

    def replaces_whole(self, ref: ReportRef) -> bool:
        """The plan was created or replaced whole, or the report changed beyond what the
        records say: an undo history of it no longer applies."""
        return PlanRef.of(ref) in self.plans or ref in self.reports

    def restructures(self, ref: ReportRef) -> bool:
        """A structure edit of the report's plan (read again, undo history kept)."""
        return any(
            isinstance(r, StructureChanged) and same_plan(r.report, ref) for r in self.records
        )

    def touches(self, ref: ReportRef) -> bool:
        """True when what the report shows changed: replaced, or a content record of
        it (monthly figures and plan texts belong to both periods of the year)."""
        if self.replaces(ref):
            return True
        return any(shown_in(r, ref) for r in self.records)

    def reviewed(self, ref: ReportRef) -> bool:
        """True when a review state or the sign-off of the report changed."""
        return any(
            isinstance(r, ReviewChanged | SignedOff) and r.report == ref for r in self.records
        )


def shown_in(record: Record, ref: ReportRef) -> bool:
    """A content record of what the report shows (monthly figures, plan texts and the
    plan's reference figures belong to both periods of the year)."""
    if isinstance(record, MonthlyChanged | PlanTextChanged):
        return same_plan(record.report, ref)
    if isinstance(record, ReferenceChanged) and not record.of_report:
        return same_plan(record.report, ref)
    if isinstance(record, CONTENT):
        return record.report == ref
    return False


NOTHING = Changes()  # a write that changed nothing anyone is shown (bookkeeping only)


def changes_of(result: Any) -> Changes:
    """The envelope a writing service returned: itself, or its ``changes``."""
    if isinstance(result, Changes):
        return result
    changes = getattr(result, "changes", None)
    if not isinstance(changes, Changes):
        raise TypeError(f"{type(result).__name__} carries no Changes: not a writing service?")
    return changes
