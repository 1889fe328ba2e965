"""The window's one door to the services: every edit goes through here.

It calls one service function per edit, folds the returned change record
into the cached snapshot, records the edit on the undo stack and broadcasts
the record once on ``changed``. Views listen to ``changed`` and update just
what the record names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from desktop.domain.errors import UserError
from desktop.domain.model import Measurement, PeriodKind
from desktop.domain.review import SectionState, User
from desktop.domain.series import axis_labels
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

    Before re-applying, the place it changes is brought on screen (``reveal``),
    and afterwards what happened is told (``announce``): undoing an edit in a
    section nobody is looking at must never go unseen.
    """

    def __init__(
        self,
        text: str,
        place: EditPlace,
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
        self._reveal(self.place)
        if self._apply_new():
            self._announce(False, self.text())

    def undo(self) -> None:
        self._reveal(self.place)
        if self._apply_old():
            self._announce(True, self.text())


class ReportController(QObject):
    """Holds the open report and performs every edit on it."""

    changed = Signal(object)  # EntryChanged | MeasurementChanged
    reportLoaded = Signal()
    saved = Signal(object)  # datetime of the last successful write
    failed = Signal(str)  # a message for the person at the PC
    reviewChanged = Signal()  # a section's review state or the sign-off changed
    actorChanged = Signal(str)  # another person took the PC (switch user), or their role changed
    # Undo/redo: first the place about to change (views bring it on screen), then a
    # sentence saying what was undone or redone (for the status bar).
    revealRequested = Signal(object)  # EditPlace
    historyApplied = Signal(str)

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
        except UserError as exc:
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

    # --- undo history ------------------------------------------------------------------------

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
            "plan_text": self.tr("plan text"),
            "value": self.tr("actual"),
            "done": self.tr("actual"),
            "numerator": self.tr("numerator"),
            "denominator": self.tr("denominator"),
            "as_of": self.tr("as-of month"),
            "preliminary": self.tr("preliminary flag"),
            "unavailable_reason": self.tr("reason for no value"),
        }
        return labels.get(field, field)

    # --- writes (also used by undo/redo) ---------------------------------------------------

    def _write_entry(
        self, ref: ReportRef, node_key: str, field: EntryField, value: str | None
    ) -> bool:
        try:
            change = editing.set_entry_field(self.db, ref, node_key, field, value, actor=self.actor)
        except UserError as exc:
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
        except UserError as exc:
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
        except UserError as exc:
            self.failed.emit(exc.message(self.lang))
            return CellError(kpi_key, "monthly", exc)
        self._applied(change)
        return None

    def _write_plan_text(self, ref: ReportRef, node_key: str, text: str) -> bool:
        try:
            change = editing.set_plan_text(self.db, ref, node_key, text, actor=self.actor)
        except UserError as exc:
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
