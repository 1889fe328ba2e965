"""First start on an empty database: open the demo, or start a real plan."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.branches import prefecture_branches


class StartDialog(QDialog):
    """Returns via ``choice``: "demo", "template" with ``branch`` set, or "workbook"."""

    def __init__(self, lang: str = "ja", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Welcome to PlanDesk"))
        self.choice: str | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "This database has no plan yet. Open the demo (Tokyo branch, FY2023 and FY2024) "
                "to look around, or start your branch's plan from the headquarters template."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        demo = QPushButton(self.tr("Open the &demo"))
        demo.setObjectName("openDemo")
        demo.setDefault(True)
        layout.addWidget(demo)
        layout.addWidget(QLabel(self.tr("Branch for a new plan:")))
        self.branch = QComboBox()
        self.branch.setObjectName("templateBranch")
        for b in prefecture_branches():
            self.branch.addItem(b.label(lang), b.code)
        layout.addWidget(self.branch)
        template = QPushButton(self.tr("Create the plan from the &HQ template"))
        template.setObjectName("fromTemplate")
        layout.addWidget(template)
        workbook = QPushButton(
            self.tr("&Import a workbook (a work file from another PC, or HQ's template file)…")
        )
        workbook.setObjectName("fromWorkbook")
        layout.addWidget(workbook)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        layout.addWidget(buttons)
        demo.clicked.connect(lambda: self._choose("demo"))
        template.clicked.connect(lambda: self._choose("template"))
        workbook.clicked.connect(lambda: self._choose("workbook"))
        buttons.rejected.connect(self.reject)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()

    @property
    def branch_code(self) -> str:
        return str(self.branch.currentData())
