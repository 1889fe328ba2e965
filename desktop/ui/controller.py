"""The window's one door to the services: every write goes through here.

``run`` is the one way to run a write: it calls the service with the database
(off the GUI thread when asked, with a progress dialog), folds the envelope of
what changed (``services.changes.Changes``) into the cached snapshot and review
board, and broadcasts it once on ``changed``. Every view updates from that
signal alone, just what the records name (or reads the report again when the
envelope says it was replaced). Edits add an undo record on top; reads go
through ``read``. Widgets never hold the database: they hold this controller
(or a presenter that does).

Two other signals say what is looked at, not what changed: ``reportLoaded``
(another report opened) and ``actorChanged`` (another person at the PC).

A refusal is said once (``refuse``): to the widget that asked, when it asked inside
``refusals_to`` (a window or tab with a message line of its own), else on ``failed``
for the window's status line. Were every message line listening to ``failed``, a
refusal in one tab would be said in each of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QWidget

from desktop.domain.errors import UserError
from desktop.domain.model import Measurement, PeriodKind, ReportRef, Source
from desktop.domain.reference import Field, field_named
from desktop.domain.review import SectionState, User
from desktop.domain.series import axis_labels
from desktop.services.changes import CONTENT, Changes, StructureChanged, changes_of
from desktop.services.first_view import FirstReads
from desktop.services.review_board import ReviewBoard, SignOff
from desktop.services.workspace import ReportSnapshot, load_report
from desktop.ui.tasks import run_with_progress

if TYPE_CHECKING:
    from desktop.services.editing import CellError, EntryField
    from desktop.services.history import YearFigures
    from desktop.services.workspace import Database

T = TypeVar("T")
Progress = tuple[QWidget | None, str]  # run off the GUI thread: (parent, what is being done)


def _raw(measurement: Measurement | None, name: str) -> Any:
    """A stored field as the parser would accept it back (for undo)."""
    if measurement is None:
        return False if name == "preliminary" else None
    value = getattr(measurement, name)
    if value is None or isinstance(value, bool):
        return value
    if name == "as_of":
        return value.iso()
    return str(value)


def _plain(value: Decimal | int | None) -> str | None:
    return None if value is None else str(value)


@dataclass(frozen=True, slots=True)
class EditPlace:
    """Where an edit is seen: the section whose form shows it, and the field in it.

    ``field`` is an entry field ("status_text", "mark", …), "plan_text", a
    measurement field ("value", "as_of", …; the first of a multi-cell edit) or
    "monthly" (then ``fiscal_index`` is the month, 1 = April).
    """

    node_key: str
    field: str
    kpi_key: str | None = None
    fiscal_index: int | None = None
    cells: int = 1  # how many KPI cells one edit (a paste) changed


class _Command(QUndoCommand):
    """An edit already applied when pushed; undo/redo re-apply old/new values.

    Before re-applying, the place it changes is brought on screen (``reveal``; a
    step of the plan's approval has no place),
    and afterwards what happened is told (``announce``): undoing an edit in a
    section nobody is looking at must never go unseen.
    """

    def __init__(
        self,
        text: str,
        place: EditPlace | None,
        apply_old: Callable[[], bool],
        apply_new: Callable[[], bool],
        reveal: Callable[[EditPlace], None],
        announce: Callable[[bool, str], None],
    ) -> None:
        super().__init__(text)
        self.place = place
        self._apply_old, self._apply_new = apply_old, apply_new
        self._reveal, self._announce = reveal, announce
        self._first = True

    def redo(self) -> None:
        if self._first:  # QUndoStack.push() calls redo(); the edit is already stored
            self._first = False
            return
        if self.place is not None:
            self._reveal(self.place)
        if self._apply_new():
            self._announce(False, self.text())

    def undo(self) -> None:
        if self.place is not None:
            self._reveal(self.place)
        if self._apply_old():
            self._announce(True, self.text())


class ReportController(QObject):
    """Holds the open report and the person at the PC, and runs every write."""

    changed = Signal(object)  # Changes: what a write changed; the one signal views update from
    reportLoaded = Signal()  # another report was opened
    actorChanged = Signal(str)  # another person took the PC (switch user)
    saved = Signal(object)  # datetime of the last successful write
    failed = Signal(str)  # a message for the person at the PC
    # Undo/redo: first the place about to change (views bring it on screen), then a
    # sentence saying what was undone or redone (for the status bar).
    revealRequested = Signal(object)  # EditPlace
    historyApplied = Signal(str)
    # The whole database was replaced (a restore): everything shown is read again.
    databaseReplaced = Signal()

    def __init__(
        self,
        db: Database | None,
        actor: str,
        lang: str = "ja",
        parent: QObject | None = None,
        *,
        first_reads: FirstReads | None = None,
        open_database: Callable[[], Database] | None = None,
    ) -> None:
        """``db``: the open database. Or None with ``first_reads`` (the quick reads the
        first window paints from) and ``open_database``, which ``attach`` calls after
        the first paint — or sooner, on the first read or write that needs it."""
        super().__init__(parent)
        if db is None and (first_reads is None or open_database is None):
            raise ValueError("without a database, first_reads and open_database are needed")
        self._db = db
        self._first = first_reads if db is None else None
        self._open_database = open_database
        self.actor = actor
        self.lang = lang
        self.undo_stack = QUndoStack(self)
        self._snapshot: ReportSnapshot | None = None
        self._board: ReviewBoard | None = None
        self.last_saved: datetime | None = None
        self._user: User | None = self._find_user(actor)
        self._sayers: list[Callable[[str], None]] = []

    # --- refusals ---------------------------------------------------------------------------

    @contextmanager
    def refusals_to(self, say: Callable[[str], None]) -> Iterator[None]:
        """Refusals of what runs inside are said by ``say`` alone (the message line of
        the widget that asked), not broadcast on ``failed``; the innermost one wins."""
        self._sayers.append(say)
        try:
            yield
        finally:
            self._sayers.pop()

    def refuse(self, message: str) -> None:
        """Say a refusal once: to whoever asked (``refusals_to``), else on ``failed``."""
        if self._sayers:
            self._sayers[-1](message)
        else:
            self.failed.emit(message)

    # --- the database -----------------------------------------------------------------------

    @property
    def db(self) -> Database:
        """The open database, opened now if the window started on the quick first reads
        and nothing has needed it yet: a write never reaches anything else."""
        if self._db is None:
            self.attach()
        assert self._db is not None
        return self._db

    @property
    def attached(self) -> bool:
        return self._db is not None

    def attach(self) -> None:
        """Open the database (SQLAlchemy and the store load here); from now on every read
        goes through it. Idempotent."""
        if self._db is None:
            assert self._open_database is not None
            self._db = self._open_database()
            self._first = None

    def close(self) -> None:
        if self._db is not None:
            self._db.close()

    def plans(self) -> list[tuple[str, int, str]]:
        """(branch, fiscal year, title) of every stored plan (``plans.list_plans``)."""
        if self._first is not None:
            return self._first.list_plans()
        from desktop.services import plans

        return plans.list_plans(self.db)

    def _find_user(self, login: str) -> User | None:
        if self._first is not None:
            return self._first.find_user(login)
        from desktop.services import people

        return people.find_user(self.db, login)

    # --- running services -------------------------------------------------------------------

    def read(self, query: Callable[[Database], T], *, progress: Progress | None = None) -> T:
        """Ask the services something (``progress``: off the GUI thread, with a dialog)."""
        if progress is None:
            return query(self.db)
        parent, label = progress
        return run_with_progress(parent, label, lambda: query(self.db))

    def run(
        self,
        write: Callable[[Database], T],
        *,
        progress: Progress | None = None,
        undoable: bool = False,
    ) -> T:
        """The one way to run a write: call the service, fold what it returns into what
        the window holds and broadcast it once on ``changed``. A refusal (a UserError) is
        raised to the caller unchanged: nothing was written.

        ``undoable``: the caller records the write on the undo stack (an edit). Any
        other write that changed the open report's content ends its undo history: an
        undo would put back a value from before it."""
        result = self.read(write, progress=progress)
        changes = changes_of(result)
        snap = self._snapshot
        if not undoable and snap is not None and changes.touches(snap.ref):
            self.undo_stack.clear()
        self.apply(changes)
        return result

    def attempt(
        self,
        write: Callable[[Database], T],
        *,
        progress: Progress | None = None,
        undoable: bool = False,
    ) -> T | None:
        """``run``, with a refusal said (``refuse``; None returned) instead of raised."""
        try:
            return self.run(write, progress=progress, undoable=undoable)
        except UserError as exc:
            self.refuse(exc.message(self.lang))
            return None

    def replace_all(self, write: Callable[[Database], T], *, progress: Progress | None = None) -> T:
        """Run a write that replaces the whole database (a restore). No envelope can say
        what changed: the open report, the review board and the undo history (an undo
        would put back a value from the replaced state) are dropped, the person at the
        PC is read again, and ``databaseReplaced`` tells the window to read everything
        again. A refusal is raised unchanged: nothing was written."""
        from desktop.services import people

        result = self.read(write, progress=progress)
        self.undo_stack.clear()
        self._snapshot = None
        self._board = None
        self._user = people.find_user(self.db, self.actor)
        self.databaseReplaced.emit()
        return result

    @property
    def database_path(self) -> Path:
        """The database's file (its backups live next to it); known before the database
        is opened (the first paint reads it quickly), so asking does not open it."""
        if self._db is None and self._first is not None:
            return Path(self._first.path)
        return self.db.path

    def apply(self, changes: Changes) -> None:
        """Fold what a write changed into the snapshot, the review board and the person
        at the PC, then broadcast it once. A report the envelope replaced is read
        again first, so that the views rebuild from the new snapshot."""
        if not changes:
            return
        snap = self._snapshot
        if snap is not None and changes.replaces(snap.ref):
            self._snapshot = load_report(self.db, snap.ref)
            self._board = None
            if changes.replaces_whole(snap.ref):  # a structure edit keeps its undo history
                self.undo_stack.clear()
        elif snap is not None:
            snap.apply(changes)
            if self._board is not None:
                self._board.apply(changes)
        if self.actor in changes.people:  # an administrator changed the person at the PC
            self._user = self._find_user(self.actor)
        self.changed.emit(changes)
        if any(isinstance(r, (*CONTENT, StructureChanged)) for r in changes.records):
            self.last_saved = datetime.now()
            self.saved.emit(self.last_saved)

    # --- loading ---------------------------------------------------------------------

    @property
    def snapshot(self) -> ReportSnapshot | None:
        return self._snapshot

    def load(self, ref: ReportRef) -> ReportSnapshot:
        if self._first is not None:
            self._snapshot = self._first.load_report(ref)
        else:
            self._snapshot = load_report(self.db, ref)
        self._board = None
        # Undo history belongs to one report; switching reports starts afresh.
        self.undo_stack.clear()
        self.reportLoaded.emit()
        return self._snapshot

    # --- who is at the PC -------------------------------------------------------------------

    @property
    def user(self) -> User | None:
        """The registered person behind ``actor``; None for an OS login with no user row
        (that person can still edit, under their login name, as before)."""
        return self._user

    def set_actor(self, login: str) -> None:
        """From now on edits and review actions are this person's (switch user).

        Undo history belongs to one person: undoing someone else's edit under a new
        name would misattribute it."""
        if login != self.actor:
            self.undo_stack.clear()
        self.actor = login
        self._user = self._find_user(login)
        self.actorChanged.emit(login)

    # --- review ---------------------------------------------------------------------------

    def board(self) -> ReviewBoard:
        """The open report's review (read once per report, then kept current)."""
        if self._board is None:
            snap = self._require()
            if self._first is not None:
                self._board = self._first.review_board(snap.ref, snap.plan)
            else:
                from desktop.services import review

                self._board = review.review_board(self.db, snap.ref, snap.plan)
        return self._board

    def states(self) -> dict[str, SectionState]:
        """Review state per section."""
        return self.board().states()

    def state(self, node_key: str) -> SectionState | None:
        section = self.board().sections.get(node_key)
        return section.state if section is not None else None

    def signed_off(self) -> SignOff | None:
        return self.board().signed

    def other_years(self) -> list[YearFigures]:
        """The branch's other stored fiscal years (for year-over-year charts)."""
        from desktop.services import history

        snap = self._require()
        try:
            return history.other_years(self.db, snap.ref)
        except UserError as exc:
            self.refuse(exc.message(self.lang))
            return []

    # --- edits -------------------------------------------------------------------------

    def set_entry(self, node_key: str, field: EntryField, value: str | None) -> bool:
        """Store one field of a section entry; False (and ``failed``) if refused."""
        snap = self._require()
        old = getattr(snap.entry(node_key), field)
        new = value if field != "mark" else (value or None)
        if (old or "") == (new or ""):
            return True
        if not self._write_entry(snap.ref, node_key, field, new):
            return False
        stored = getattr(snap.entry(node_key), field)
        ref = snap.ref
        self._push(
            EditPlace(node_key, field),
            lambda: self._write_entry(ref, node_key, field, old),
            lambda: self._write_entry(ref, node_key, field, stored),
        )
        return True

    def set_measurements(self, edits: list[tuple[str, dict[str, Any]]]) -> CellError | None:
        """Store KPI edits all-or-nothing. Returns the refusal, or None when stored."""
        snap = self._require()
        old = [
            (key, {name: _raw(snap.measurements.get(key), name) for name in fields})
            for key, fields in edits
        ]
        error = self._write_measurements(snap.ref, edits)
        if error is not None:
            return error
        new = [
            (key, {name: _raw(snap.measurements.get(key), name) for name in fields})
            for key, fields in edits
        ]
        if new != old:
            ref = snap.ref
            kpi_key, fields = edits[0]
            place = EditPlace(
                snap.kpi(kpi_key).node_key,
                next(iter(fields), "value"),
                kpi_key=kpi_key,
                cells=sum(len(f) for _k, f in edits),
            )
            self._push(
                place,
                lambda: self._write_measurements(ref, old) is None,
                lambda: self._write_measurements(ref, new) is None,
            )
        return None

    def set_monthly(self, kpi_key: str, fiscal_index: int, raw: str | None) -> CellError | None:
        """Store a KPI's figure for one fiscal month; the refusal, or None when stored."""
        snap = self._require()
        old = snap.monthly.get(kpi_key, {}).get(fiscal_index)
        error = self._write_monthly(snap.ref, kpi_key, fiscal_index, raw)
        if error is not None:
            return error
        new = snap.monthly.get(kpi_key, {}).get(fiscal_index)
        if new != old:
            ref = snap.ref
            place = EditPlace(
                snap.kpi(kpi_key).node_key, "monthly", kpi_key=kpi_key, fiscal_index=fiscal_index
            )
            self._push(
                place,
                lambda: self._write_monthly(ref, kpi_key, fiscal_index, _plain(old)) is None,
                lambda: self._write_monthly(ref, kpi_key, fiscal_index, _plain(new)) is None,
            )
        return None

    def set_plan_text(self, node_key: str, text: str) -> bool:
        """Store a node's plan text (planning mode)."""
        snap = self._require()
        old = snap.plan.node(node_key).plan_text
        if old == text:
            return True
        if not self._write_plan_text(snap.ref, node_key, text):
            return False
        ref = snap.ref
        self._push(
            EditPlace(node_key, "plan_text"),
            lambda: self._write_plan_text(ref, node_key, old),
            lambda: self._write_plan_text(ref, node_key, text),
        )
        return True

    def set_reference(self, kpi_key: str, field: Field | str, raw: str | None) -> bool:
        """Type (or clear, blank) one reference figure of a KPI; False (and ``failed``)
        if refused. Undoable when putting the old figure back restores it as it was:
        it was empty or typed (a figure carried by the rollover, typed back, would be
        shown as typed: that edit is kept, not offered for undo)."""
        snap = self._require()
        try:
            what = field if isinstance(field, Field) else field_named(field)
        except UserError as exc:
            self.refuse(exc.message(self.lang))
            return False
        old, old_source = self._reference(snap, kpi_key, what)
        if not self._write_reference(snap.ref, kpi_key, what, raw):
            return False
        new, _source = self._reference(snap, kpi_key, what)
        if new != old and (old is None or old_source is Source.TYPED):
            ref = snap.ref
            place = EditPlace(snap.kpi(kpi_key).node_key, what.value, kpi_key=kpi_key)
            self._push(
                place,
                lambda: self._write_reference(ref, kpi_key, what, _plain(old)),
                lambda: self._write_reference(ref, kpi_key, what, _plain(new)),
            )
        return True

    @staticmethod
    def _reference(
        snap: ReportSnapshot, kpi_key: str, what: Field
    ) -> tuple[Decimal | int | None, Source | None]:
        """A reference figure as the open report holds it, and where it came from."""
        if what.of_report:
            bench = snap.benchmarks.get(kpi_key)
            if bench is None:
                return None, None
            return getattr(bench, what.value), bench.source
        kpi = snap.kpi(kpi_key)
        source = {
            Field.LAST_YEAR_ACTUAL: kpi.last_year_source,
            Field.PRIOR_YEAR_ACTUAL: kpi.prior_year_source,
        }.get(what, Source.TYPED)  # last year's national figures are only ever typed
        return getattr(kpi, what.value), source

    # --- the plan's own approval ---------------------------------------------------------

    def submit_plan(self) -> bool:
        """Hand the open report's plan in for approval; False (and ``failed``) if refused.
        Undoable by the submitter: the undo takes the submission back (an approval is
        not undone: the branch head reopens the plan instead)."""
        from desktop.services import plan_approval

        snap = self._require()
        branch, year, actor = snap.ref.branch, snap.ref.fiscal_year, self.actor

        def submit() -> bool:
            done = self.attempt(lambda db: plan_approval.submit_plan(db, branch, year, login=actor))
            return done is not None

        def withdraw() -> bool:
            done = self.attempt(
                lambda db: plan_approval.withdraw_plan(db, branch, year, login=actor)
            )
            return done is not None

        if not submit():
            return False
        self.undo_stack.push(
            _Command(
                self.tr("submitting the plan"),
                None,
                withdraw,
                submit,
                self.revealRequested.emit,
                self._announce,
            )
        )
        return True

    # --- undo history ------------------------------------------------------------------------

    def push_edit(
        self,
        text: str,
        place: EditPlace,
        apply_old: Callable[[], bool],
        apply_new: Callable[[], bool],
    ) -> None:
        """Record an edit already stored (a presenter's: the plan's structure) on the one
        undo stack: ``apply_old`` / ``apply_new`` re-apply it through ``run``/``attempt``."""
        self.undo_stack.push(
            _Command(text, place, apply_old, apply_new, self.revealRequested.emit, self._announce)
        )

    def _push(
        self, place: EditPlace, apply_old: Callable[[], bool], apply_new: Callable[[], bool]
    ) -> None:
        self.undo_stack.push(
            _Command(
                self.describe(place),
                place,
                apply_old,
                apply_new,
                self.revealRequested.emit,
                self._announce,
            )
        )

    def _announce(self, undone: bool, what: str) -> None:
        text = self.tr("Undone: {what}") if undone else self.tr("Redone: {what}")
        self.historyApplied.emit(text.format(what=what))

    def describe(self, place: EditPlace) -> str:
        """What an edit changed, as a person finds it on screen: 「（４）… の評価」."""
        snap = self._require()
        if place.kpi_key is not None:
            kpi = snap.kpi(place.kpi_key)
            where = f"{kpi.label}{kpi.name}"
            if place.field == "monthly" and place.fiscal_index is not None:
                month = axis_labels(snap.plan.fiscal_year)[place.fiscal_index - 1]
                what = self.tr("monthly figure {month}").format(month=month)
            elif place.cells > 1:
                what = self.tr("{n} cells").format(n=place.cells)
            else:
                what = self._field_label(place.field)
        else:
            where = snap.plan.node(place.node_key).display_title
            what = self._field_label(place.field)
        return self.tr("{what} of {where}").format(what=what, where=where)

    def _field_label(self, field: str) -> str:
        annual = self._snapshot is not None and self._snapshot.ref.period is PeriodKind.ANNUAL
        labels = {
            "status_text": self.tr("what was done"),
            "mark": self.tr("self-rating") if annual else self.tr("mark"),
            "mark_reason": self.tr("reason for the rating"),
            "next_steps": self.tr("next steps"),
            "actions": self.tr("concrete actions"),
            "plan_text": self.tr("plan text"),
            "value": self.tr("actual"),
            "done": self.tr("actual"),
            "numerator": self.tr("numerator"),
            "denominator": self.tr("denominator"),
            "as_of": self.tr("as-of month"),
            "preliminary": self.tr("preliminary flag"),
            "unavailable_reason": self.tr("reason for no value"),
            "manual_status": self.tr("verdict by hand"),
            "manual_reason": self.tr("reason for the verdict"),
            "old_method_value": self.tr("figure by the old method"),
        }
        if field in {f.value for f in Field}:
            return Field(field).text.get(self.lang)
        return labels.get(field, field)

    # --- writes (also used by undo/redo) ---------------------------------------------------

    def _write_entry(
        self, ref: ReportRef, node_key: str, field: EntryField, value: str | None
    ) -> bool:
        from desktop.services import editing

        actor = self.actor
        done = self.attempt(
            lambda db: editing.set_entry_field(db, ref, node_key, field, value, actor=actor),
            undoable=True,
        )
        return done is not None

    def _write_measurements(
        self, ref: ReportRef, edits: list[tuple[str, dict[str, Any]]]
    ) -> CellError | None:
        from desktop.services import editing
        from desktop.services.editing import CellError

        actor = self.actor
        try:
            self.run(
                lambda db: editing.set_measurements(db, ref, edits, actor=actor), undoable=True
            )
        except CellError as exc:
            self.refuse(exc.message(self.lang))
            return exc
        except UserError as exc:
            self.refuse(exc.message(self.lang))
            return CellError(edits[0][0] if edits else "", "value", exc)
        return None

    def _write_monthly(
        self, ref: ReportRef, kpi_key: str, fiscal_index: int, raw: str | None
    ) -> CellError | None:
        from desktop.services import editing
        from desktop.services.editing import CellError

        actor = self.actor
        try:
            self.run(
                lambda db: editing.set_monthly_actual(
                    db, ref, kpi_key, fiscal_index, raw, actor=actor
                ),
                undoable=True,
            )
        except CellError as exc:
            self.refuse(exc.message(self.lang))
            return exc
        except UserError as exc:
            self.refuse(exc.message(self.lang))
            return CellError(kpi_key, "monthly", exc)
        return None

    def _write_plan_text(self, ref: ReportRef, node_key: str, text: str) -> bool:
        from desktop.services import editing

        actor = self.actor
        done = self.attempt(
            lambda db: editing.set_plan_text(db, ref, node_key, text, actor=actor),
            undoable=True,
        )
        return done is not None

    def _write_reference(self, ref: ReportRef, kpi_key: str, what: Field, raw: str | None) -> bool:
        from desktop.services import reference

        actor = self.actor
        done = self.attempt(
            lambda db: reference.set_reference_figure(db, ref, kpi_key, what, raw, actor=actor),
            undoable=True,
        )
        return done is not None

    def _require(self) -> ReportSnapshot:
        if self._snapshot is None:
            raise RuntimeError("no report loaded")
        return self._snapshot
