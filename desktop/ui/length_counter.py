"""A live character count for a long text field, with guidance on length.

Shows "589 / 5,000文字" beside the field; from the length that no longer prints
in one cell of the report (``TextKind.print_hint``) it gently says so, and past
the limit the field cannot be stored (the service refuses it) it says that.
Never blocks typing: the person decides what to cut.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPlainTextEdit, QWidget

from desktop.domain.limits import TextKind

_PLAIN = "color: #5f6368;"
_LONG = "color: #8a5300; font-weight: bold;"  # amber: a hint, not an error
_OVER = "color: #b3261e; font-weight: bold;"


class LengthCounter(QLabel):
    """Counts the characters of the field it watches against ``kind``'s limit."""

    def __init__(self, kind: TextKind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{kind.key}Count")
        self.kind = kind
        self.hint = kind.print_hint
        self.field: QPlainTextEdit | None = None

    def watch(self, field: QPlainTextEdit) -> None:
        self.field = field
        field.textChanged.connect(self.update_count)
        self.update_count()

    def _length(self) -> int:
        return len(self.field.toPlainText()) if self.field is not None else 0

    @property
    def state(self) -> str:
        """'ok', 'long' (prints over several rows) or 'over' (cannot be stored)."""
        n = self._length()
        if n > self.kind.limit:
            return "over"
        if self.hint is not None and n > self.hint:
            return "long"
        return "ok"

    def update_count(self) -> None:
        n = self._length()
        count, limit = f"{n:,}", f"{self.kind.limit:,}"
        hint = f"{self.hint:,}" if self.hint is not None else ""
        state = self.state
        if state == "over":
            text = self.tr("{n} / {limit} characters · too long to save")
            self.setText(text.format(n=count, limit=limit))
            self.setToolTip(
                self.tr(
                    "At most {limit} characters can be stored. Shorten the text: "
                    "it is not saved until then."
                ).format(limit=limit)
            )
            self.setStyleSheet(_OVER)
        elif state == "long":
            text = self.tr("{n} / {limit} characters · long for print")
            self.setText(text.format(n=count, limit=limit))
            self.setToolTip(
                self.tr(
                    "One cell of the printed report holds about {hint} characters; a longer "
                    "text continues over several rows. Consider keeping to the main points."
                ).format(hint=hint)
            )
            self.setStyleSheet(_LONG)
        else:
            self.setText(self.tr("{n} / {limit} characters").format(n=count, limit=limit))
            self.setToolTip(
                self.tr(
                    "At most {limit} characters; about {hint} print in one cell of the report."
                ).format(limit=limit, hint=hint)
                if self.hint is not None
                else self.tr("At most {limit} characters.").format(limit=limit)
            )
            self.setStyleSheet(_PLAIN)
