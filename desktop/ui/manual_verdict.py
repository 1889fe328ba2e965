"""The verdict a person gives a goal stated in words (手動判定), with its reason.

Opened from the KPI grid's status cell of such a KPI; what is chosen is stored
through the grid's model (the controller: an undoable, audited report edit under
the review locks). A verdict needs its reason: OK says so instead of closing.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.achievement import Status
from desktop.domain.model import Kpi, Measurement
from desktop.domain.target_rules import manual_status
from desktop.domain.verdicts import MANUAL_STATUSES


class ManualVerdictDialog(QDialog):
    """Choose met / on pace / behind pace / not met (or none) and write why."""

    def __init__(
        self, kpi: Kpi, measurement: Measurement | None, lang: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("manualVerdictDialog")
        self.setWindowTitle(self.tr("Verdict by hand"))
        goal = QLabel(
            self.tr("{kpi}\nGoal: {goal}").format(
                kpi=f"{kpi.label}{kpi.name}", goal=kpi.target_text or "—"
            )
        )
        goal.setWordWrap(True)
        self.verdict = QComboBox()
        self.verdict.setObjectName("manualVerdict")
        self.verdict.addItem(self.tr("(not judged yet)"), None)
        for status in MANUAL_STATUSES:
            self.verdict.addItem(status.label(lang), status.value)
        current = manual_status(measurement)
        if current is not None:
            self.verdict.setCurrentIndex(self.verdict.findData(current.value))
        self.reason = QPlainTextEdit((measurement.manual_reason or "") if measurement else "")
        self.reason.setObjectName("manualReason")
        self.reason.setTabChangesFocus(True)
        self.problem = QLabel()
        self.problem.setObjectName("manualVerdictProblem")
        self.problem.setStyleSheet("color: #9b1c1c;")
        self.problem.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Verdict"), self.verdict)
        form.addRow(self.tr("Reason (required)"), self.reason)
        layout = QVBoxLayout(self)
        layout.addWidget(goal)
        layout.addWidget(
            QLabel(
                self.tr(
                    "This goal has no number: a person judges it. The verdict is shown "
                    "marked 'judged by hand' and is never replaced by a computed one."
                )
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(460, 320)

    def chosen(self) -> Status | None:
        value = self.verdict.currentData()
        return Status(value) if value else None

    def reason_text(self) -> str:
        return self.reason.toPlainText().strip()

    def accept(self) -> None:
        if self.chosen() is not None and not self.reason_text():
            self.problem.setText(self.tr("A verdict by hand needs a reason."))
            self.reason.setFocus()
            return
        super().accept()
