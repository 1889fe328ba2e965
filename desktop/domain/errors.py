"""Errors meant for the person at the PC, in both of the app's languages.

Every failure a person can understand and act on is a :class:`UserError`
carrying one :class:`~desktop.domain.text.Text`: what happened and what to do.
One ``except UserError`` shows any of them (``exc.text.get(lang)``); the kinds
below exist only where a caller must tell them apart (the command line's exit
code, see ``desktop/cli/common.py``):

- :class:`BadInput`: what the person typed or named cannot be used
  (a figure, an argument, a path, a text too long);
- :class:`Refused`: the rules do not allow it now (review states, sign-off,
  replacing a signed-off file);
- :class:`BadFile`: a file cannot be used (a damaged, foreign or changed
  workbook); ``desktop.workbooks.machine.WorkbookError`` and its kin;
- :class:`NotWritten`: a file could not be written (a full disk, a read-only
  folder, a file held open) — the machine's state, not what was asked;
- ``desktop.store.errors.StoreError``: the database failed (full disk,
  damaged file, lock held too long …).

Anything that is not a UserError is a fault of PlanDesk: the command line and
the app's crash handler log it and say where the log is.
"""

from __future__ import annotations

from typing import overload

from desktop.domain.text import Text


class UserError(Exception):
    """Something the user can understand and act on; never shown as a traceback.

    Built from a Text, or from its Japanese and English wording:
    ``UserError(Text(ja, en))`` and ``UserError(ja, en)`` are the same.
    """

    @overload
    def __init__(self, text: Text, /) -> None: ...
    @overload
    def __init__(self, ja: str, en: str, /) -> None: ...

    def __init__(self, text: Text | str, en: str | None = None, /) -> None:
        if not isinstance(text, Text):
            if en is None:
                raise TypeError("a UserError needs its Japanese and its English wording")
            text = Text(text, en)
        elif en is not None:
            raise TypeError("give a Text, or the Japanese and the English wording")
        super().__init__(text.en)  # what logs and tracebacks show
        self.text = text

    def message(self, lang: str = "ja") -> str:
        """The message in ``lang`` (``self.text.get(lang)``)."""
        return self.text.get(lang)


class BadInput(UserError):
    """What the person typed, chose or named cannot be used; nothing was changed."""


class Refused(UserError):
    """The rules do not allow this now (a review state, a sign-off, a signed-off file)."""


class BadFile(UserError):
    """A file that cannot be used (damaged, changed, not PlanDesk's, not this report's)."""


class NotWritten(UserError):
    """A file could not be written (full disk, read-only folder, held open); nothing of
    it was left and an earlier file of that name is as it was."""
