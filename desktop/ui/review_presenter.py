"""Reviews as the window shows and does them, without a widget: what waits for the
person at the PC, what changed in a section since its last approval and its
comment thread (read once, then kept until a change record touches that
section), and the review actions, each run through the controller.

The review screen and the section form are drawn from this; whoever shows what it
reads keeps it current (``forget`` with each change, ``forget_all`` when another
report or person comes). The submission's signature state (which key signed it,
against this PC's current key) is read once the same way and dropped when the report
is signed (off) again. Tested without a window: tests/ui/test_review_presenter.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from desktop.domain.model import Group, ReportRef
from desktop.domain.review import User
from desktop.services.changes import (
    Changes,
    CommentAdded,
    EntryChanged,
    MeasurementChanged,
    ReviewChanged,
    SignedOff,
    SubmissionSigned,
)
from desktop.services.review_board import Comment, QueueItem, SectionChanges
from desktop.ui.controller import ReportController

if TYPE_CHECKING:
    from desktop.services.submission_signing import SigningState


@dataclass(frozen=True, slots=True)
class SectionDetail:
    """What a reviewer reads about one section: its changes since the last approval
    and its comment thread."""

    changes: SectionChanges
    thread: tuple[Comment, ...]


class ReviewPresenter:
    def __init__(self, controller: ReportController) -> None:
        self.controller = controller
        self._names: dict[str, str] | None = None
        self._details: dict[str, SectionDetail] = {}
        self._signing: SigningState | None = None

    # The services load with the store, after the window's first paint.
    @property
    def _review(self) -> ModuleType:
        from desktop.services import review

        return review

    @property
    def _people(self) -> ModuleType:
        from desktop.services import people

        return people

    # --- what is shown ------------------------------------------------------------------------

    def names(self) -> dict[str, str]:
        """login → display name, of everyone who ever worked here."""
        if self._names is None:
            everyone = self.controller.read(self._people.list_users)
            self._names = {u.login: u.display_name for u in everyone}
        return self._names

    def name(self, login: str | None) -> str:
        return self.names().get(login or "", login or "")

    def reviewer(self) -> User | None:
        """The person at the PC, when they review at all (else: nothing waits for them)."""
        user = self.controller.user
        return user if user is not None and user.active and user.role.reviews else None

    def queue(self) -> list[QueueItem]:
        """What waits for the reviewer, oldest first (from the controller's review
        board: no query)."""
        snap = self.controller.snapshot
        if snap is None:
            return []
        return self.controller.board().waiting_for(self.reviewer(), snap.plan)

    def detail(self, node_key: str) -> SectionDetail:
        """The section's changes since approval and its thread (read once, kept until a
        change record touches the section)."""
        found = self._details.get(node_key)
        if found is None:
            snap = self.controller.snapshot
            assert snap is not None
            ref = snap.ref
            changes = self.controller.read(
                lambda db: self._review.changes_since_approval(db, ref, node_key)
            )
            thread = self.controller.read(lambda db: self._review.thread(db, ref, node_key))
            found = self._details[node_key] = SectionDetail(changes, tuple(thread))
        return found

    # --- keeping it current ----------------------------------------------------------------------

    def signing_state(self) -> SigningState | None:
        """Which key signed the open report's submission, this PC's current key, and
        whether that key's signature still fits the file (read once — the file is laid
        out for that, ≈20 ms — and kept until the report is signed or signed off again);
        None: no report."""
        snap = self.controller.snapshot
        if snap is None:
            return None
        if self._signing is None:
            from desktop.services import submission_signing

            ref, keys = snap.ref, self._keys()
            self._signing = self.controller.read(
                lambda db: submission_signing.signing_state(db, ref, keys)
            )
        return self._signing

    def forget_all(self) -> None:
        self._names = None
        self._details.clear()
        self._signing = None  # another report (or the key made or rotated meanwhile)

    def forget(self, changes: Changes) -> set[str]:
        """Drop what a write made stale; the sections whose detail was dropped."""
        if changes.people:
            self._names = None
        snap = self.controller.snapshot
        if snap is None:
            return set()
        if any(
            isinstance(r, SignedOff | SubmissionSigned) and r.report == snap.ref
            for r in changes.records
        ):
            self._signing = None
        if changes.replaces(snap.ref):
            self._signing = None
            stale = set(self._details)
            self._details.clear()
            return stale
        touched: set[str] = set()
        for r in changes.records:
            if isinstance(r, EntryChanged) and r.report == snap.ref:
                touched.add(r.entry.node_key)
            elif isinstance(r, MeasurementChanged) and r.report == snap.ref:
                touched.add(snap.kpi(r.measurement.kpi_key).node_key)
            elif isinstance(r, ReviewChanged | CommentAdded) and r.report == snap.ref:
                touched.add(r.node_key)
        stale = touched & set(self._details)
        for key in stale:
            del self._details[key]
        return stale

    # --- acting: through the controller; a refusal is said on its ``failed`` ------------------

    def submit(self, node_keys: list[str]) -> Changes | None:
        return self._act(self._review.submit, node_keys, login=self.controller.actor)

    def approve(
        self, node_keys: list[str], login: str, password: str, comment: str = ""
    ) -> Changes | None:
        return self._act(
            self._review.approve, node_keys, login=login, password=password, comment=comment
        )

    def approve_group(
        self, group: Group | None, login: str, password: str, comment: str = ""
    ) -> Changes | None:
        """Approve every submitted section of one group at once (one write)."""
        return self._act(
            self._review.approve_group, group, login=login, password=password, comment=comment
        )

    def return_section(
        self, node_key: str, login: str, password: str, comment: str
    ) -> Changes | None:
        return self._act(
            self._review.return_section, node_key, login=login, password=password, comment=comment
        )

    def reopen(self, node_key: str, login: str, password: str, reason: str) -> Changes | None:
        return self._act(
            self._review.reopen, node_key, login=login, password=password, reason=reason
        )

    def except_section(
        self, node_key: str, login: str, password: str, reason: str
    ) -> Changes | None:
        return self._act(
            self._review.except_section, node_key, login=login, password=password, reason=reason
        )

    def comment(self, node_key: str, login: str, text: str) -> Changes | None:
        return self._act(self._review.add_comment, node_key, login=login, text=text)

    def _keys(self) -> Path:
        from desktop.services.signing_keys import keys_dir

        return keys_dir(self.controller.db.path)

    def has_signing_key(self) -> bool:
        """This PC has a signing key (else the sign-off makes one)."""
        from desktop.services.signing_keys import own_public_key

        return own_public_key(self._keys()) is not None

    def sign_off(
        self, login: str, password: str, passphrase: str | None = None, *, create: bool = False
    ) -> Changes | None:
        """Sign the report off; with ``passphrase`` the submission is signed too (with a
        key made now under it when ``create``)."""
        if passphrase is None:
            return self._act(self._review.sign_off, login=login, password=password)
        from desktop.services import signing_keys, submission_signing

        return self._act(
            submission_signing.sign_off_and_sign,
            login=login,
            password=password,
            passphrase=passphrase,
            keys=self._keys(),
            create=signing_keys.PRODUCT_COST if create else None,
        )

    def sign_again(self, passphrase: str, *, create: bool = False) -> Changes | None:
        """Sign the signed-off report's submission with this PC's key (made now under
        ``passphrase`` when ``create``), in the name of the person at the PC."""
        from desktop.services import signing_keys, submission_signing

        return self._act(
            submission_signing.sign_again,
            login=self.controller.actor,
            passphrase=passphrase,
            keys=self._keys(),
            create=signing_keys.PRODUCT_COST if create else None,
        )

    def _act(self, action: Callable[..., Changes], *args: Any, **kwargs: Any) -> Changes | None:
        """Run a review service on the open report through the controller."""
        ref = self._ref()
        return self.controller.attempt(lambda db: action(db, ref, *args, **kwargs))

    def _ref(self) -> ReportRef:
        snap = self.controller.snapshot
        assert snap is not None
        return snap.ref
