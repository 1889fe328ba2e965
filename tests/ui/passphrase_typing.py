"""Typing into the passphrase dialog as a branch head does, and counting signatures:
shared by the tests of every place that signs (the review tab, the export dialog)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.services import audit_trail
from desktop.services.signature_records import SIGN_ACTION
from desktop.services.signing_keys import KdfCost
from desktop.ui.passphrase_dialog import PassphraseDialog
from tests.ui.helpers import when_shown

FAST = KdfCost(n=2**10)  # scrypt's cost for tests; PlanDesk's own is 2**17
WRONG = ("Wrong passphrase", "パスフレーズが違います")


def type_passphrase(qtbot, text: str | None, again: str | None = None) -> list[bool]:
    """Answer the next passphrase dialog from the keyboard: Enter with ``text`` (and
    ``again`` in the second field), or Escape (None); what it asked: whether it set a
    new key's passphrase (twice)."""
    asked: list[bool] = []

    def fill(dialog: PassphraseDialog) -> None:
        asked.append(dialog.again.isVisible())
        if text is None:
            qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Escape)
            return
        qtbot.keyClicks(dialog.passphrase, text)
        if again is not None:
            qtbot.keyClicks(dialog.again, again)
        qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)

    when_shown(PassphraseDialog, fill)
    return asked


def signatures(db) -> int:
    """How many times the submission was signed (audit entries)."""
    return sum(1 for e in audit_trail.entries(db) if e.action == SIGN_ACTION)
