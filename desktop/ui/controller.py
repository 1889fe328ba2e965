"""The window's one door to the services: every edit goes through here.

It calls one service function per edit, folds the returned change record
into the cached snapshot, records the edit on the undo stack and broadcasts
the record once on ``changed``. Views listen to ``changed`` and update just
what the record names.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from desktop.domain.errors import UserError
from desktop.domain.model import Measurement
from desktop.domain.parsing import ParseError
from desktop.domain.review import SectionState, User
from desktop.services import editing, history, review
from desktop.services.editing import (
    CellError,
    Change,
    EntryChanged,
    EntryField,
    MeasurementChanged,
    PlanTextChanged,
    ReportRef,
)
from desktop.services.history import YearFigures
from desktop.services.workspace import Database, ReportSnapshot, load_report


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


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


class _Command(QUndoCommand):
    """An edit already applied when pushed; undo/redo re-apply old/new values."""

    def __init__(
        self, text: str, apply_old: Callable[[], object], apply_new: Callable[[], object]
    ) -> None:
        super().__init__(text)
        self._apply_old, self._apply_new = apply_old, apply_new
        self._first = True

    def redo(self) -> None:
        if self._first:  # QUndoStack.push() calls redo(); the edit is already stored
            self._first = False
            return
        self._apply_new()

    def undo(self) -> None:
        self._apply_old()


class ReportController(QObject):
    """Holds the open report and performs every edit on it."""

    changed = Signal(object)  # EntryChanged | MeasurementChanged
    reportLoaded = Signal()
    saved = Signal(object)  # datetime of the last successful write
    failed = Signal(str)  # a message for the person at the PC
    reviewChanged = Signal()  # a section's review state or the sign-off changed
    actorChanged = Signal(str)  # another person took the PC (switch user), or their role changed

    def __init__(
        self, db: Database, actor: str, lang: str = "ja", parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.actor = actor
        self.lang = lang
        self.undo_stack = QUndoStack(self)
        self._snapshot: ReportSnapshot | None = None
        self._states: dict[str, SectionState] | None = None
        self._signed: review.SignOff | None = None
        self.last_saved: datetime | None = None
        self._user: User | None = review.find_user(db, actor)

    # --- loading ---------------------------------------------------------------------

    @property
    def snapshot(self) -> ReportSnapshot | None:
        return self._snapshot

    def load(self, ref: ReportRef) -> ReportSnapshot:
        self._snapshot = load_report(self.db, ref)
        self._states = None
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

        Re-reads the person even when it is the same login: an administrator may
        have changed their role or group. Undo history belongs to one person:
        undoing someone else's edit under a new name would misattribute it."""
        if login != self.actor:
            self.undo_stack.clear()
        self.actor = login
        self._user = review.find_user(self.db, login)
        self.actorChanged.emit(login)
        # What may be submitted, reopened or excepted depends on who is asking.
        self.reviewChanged.emit()

    # --- review ---------------------------------------------------------------------------

    def states(self) -> dict[str, SectionState]:
        """Review state per section (re-read after edits: an edit can resubmit)."""
        if self._states is None:
            snap = self._require()
            ref = snap.ref
            self._states = review.section_states(self.db, ref, snap.plan)
            self._signed = review.signed_off(self.db, ref)
        return self._states

    def state(self, node_key: str) -> SectionState | None:
        return self.states().get(node_key)

    def signed_off(self) -> review.SignOff | None:
        self.states()  # read together with the states, once per change
        return self._signed

    def review_action(self, action: Callable[[], object]) -> bool:
        """Run a review service call; announce its state changes, or say why not."""
        try:
            result = action()
        except (UserError, ParseError) as exc:
            self.failed.emit(exc.message(self.lang))
            return False
        self._states = None
        records = result if isinstance(result, list) else [result]
        for record in records:
            if isinstance(record, review.ReviewChanged):
                self.changed.emit(record)
        self.reviewChanged.emit()
        return True

    def other_years(self) -> list[YearFigures]:
        """The branch's other stored fiscal years (for year-over-year charts)."""
        snap = self._require()
        try:
            return history.other_years(self.db, snap.ref)
        except UserError as exc:
            self.failed.emit(exc.message(self.lang))
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
        self.undo_stack.push(
            _Command(
                self.tr("Edit {field}").format(field=field),
                lambda: self._write_entry(ref, node_key, field, old),
                lambda: self._write_entry(ref, node_key, field, stored),
            )
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
            self.undo_stack.push(
                _Command(
                    self.tr("Edit {n} KPI value(s)").format(n=len(edits)),
                    lambda: self._write_measurements(ref, old),
                    lambda: self._write_measurements(ref, new),
                )
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
            self.undo_stack.push(
                _Command(
                    self.tr("Edit monthly figure"),
                    lambda: self._write_monthly(ref, kpi_key, fiscal_index, _plain(old)),
                    lambda: self._write_monthly(ref, kpi_key, fiscal_index, _plain(new)),
                )
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
        self.undo_stack.push(
            _Command(
                self.tr("Edit plan text"),
                lambda: self._write_plan_text(ref, node_key, old),
                lambda: self._write_plan_text(ref, node_key, text),
            )
        )
        return True

    # --- writes (also used by undo/redo) ---------------------------------------------------

    def _write_entry(
        self, ref: ReportRef, node_key: str, field: EntryField, value: str | None
    ) -> bool:
        try:
            change = editing.set_entry_field(self.db, ref, node_key, field, value, actor=self.actor)
        except (UserError, ParseError) as exc:
            self.failed.emit(exc.message(self.lang))
            return False
        self._applied(change)
        return True

    def _write_measurements(
        self, ref: ReportRef, edits: list[tuple[str, dict[str, Any]]]
    ) -> CellError | None:
        try:
            changes = editing.set_measurements(self.db, ref, edits, actor=self.actor)
        except CellError as exc:
            self.failed.emit(exc.message(self.lang))
            return exc
        except (UserError, ParseError) as exc:
            self.failed.emit(exc.message(self.lang))
            return CellError(edits[0][0] if edits else "", "value", exc)
        for change in changes:
            self._applied(change)
        return None

    def _write_monthly(
        self, ref: ReportRef, kpi_key: str, fiscal_index: int, raw: str | None
    ) -> CellError | None:
        try:
            change = editing.set_monthly_actual(
                self.db, ref, kpi_key, fiscal_index, raw, actor=self.actor
            )
        except CellError as exc:
            self.failed.emit(exc.message(self.lang))
            return exc
        except (UserError, ParseError) as exc:
            self.failed.emit(exc.message(self.lang))
            return CellError(kpi_key, "monthly", exc)
        self._applied(change)
        return None

    def _write_plan_text(self, ref: ReportRef, node_key: str, text: str) -> bool:
        try:
            change = editing.set_plan_text(self.db, ref, node_key, text, actor=self.actor)
        except (UserError, ParseError) as exc:
            self.failed.emit(exc.message(self.lang))
            return False
        self._applied(change)
        return True

    def _applied(self, change: Change) -> None:
        if self._snapshot is not None:
            self._snapshot.apply(change)
        self.last_saved = datetime.now()
        self.changed.emit(change)
        self.saved.emit(self.last_saved)
        # The store sends a reopened section back to review on its first edit.
        if self._states and self._states.get(self._node_of(change)) is SectionState.REOPENED:
            self._states = None
            self.reviewChanged.emit()

    def _node_of(self, change: Change) -> str | None:
        if isinstance(change, EntryChanged):
            return change.entry.node_key
        if isinstance(change, PlanTextChanged):  # a reopened section's plan text too
            return change.node_key
        if isinstance(change, MeasurementChanged) and self._snapshot is not None:
            return self._snapshot.kpi(change.measurement.kpi_key).node_key
        return None

    def _require(self) -> ReportSnapshot:
        if self._snapshot is None:
            raise RuntimeError("no report loaded")
        return self._snapshot
