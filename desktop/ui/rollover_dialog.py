"""Plan ▸ Next year's plan: roll a branch plan into HQ's new template, then
confirm the KPIs that are new (新設) or defined differently from last year.

Both run through the controller: the window learns of the new plan from its
change signal."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import UserError
from desktop.services import rollover
from desktop.services.rollover import FlaggedKpi, RolloverResult
from desktop.ui.controller import ReportController


class RolloverDialog(QDialog):
    """Creates the plan on Create; afterwards (or for an existing plan, with
    ``fiscal_year`` given) lists what awaits confirmation."""

    def __init__(
        self,
        controller: ReportController,
        branch: str,
        fiscal_year: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller, self.branch, self.lang = controller, branch, controller.lang
        self.fiscal_year = fiscal_year
        self.result_: RolloverResult | None = None
        self.setWindowTitle(self.tr("Next year's plan"))
        self.resize(980, 700)

        self.intro = QLabel(
            self.tr(
                "Creates next year's plan of this branch from headquarters' newest template: "
                "last year's figures become the baselines and targets set as 'at least / at "
                "most last year' become numbers. New and redefined KPIs are listed for you "
                "to confirm."
            )
        )
        self.intro.setWordWrap(True)
        self.create_button = QPushButton(self.tr("Create next year's plan"))
        self.create_button.setObjectName("rolloverCreate")
        self.create_button.clicked.connect(self.create)
        self.report = QTextBrowser()
        self.report.setObjectName("rolloverReport")
        self.pending_label = QLabel()
        self.pending = QTableWidget(0, 4)
        self.pending.setObjectName("rolloverPending")
        self.pending.setHorizontalHeaderLabels(
            [self.tr("KPI"), self.tr("Why"), self.tr("Details"), ""]
        )
        self.pending.verticalHeader().setVisible(False)
        self.pending.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.pending.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.pending.setColumnWidth(0, 320)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.create_button)
        buttons.addStretch(1)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.report, 2)
        layout.addWidget(self.pending_label)
        layout.addWidget(self.pending, 3)
        layout.addLayout(buttons)
        if fiscal_year is not None:
            self.create_button.setEnabled(False)
            self.report.setVisible(False)
            self.refresh()
        else:
            self.pending_label.setVisible(False)
            self.pending.setVisible(False)

    def create(self) -> None:
        branch, actor = self.branch, self.controller.actor
        try:
            self.result_ = self.controller.run(
                lambda db: rollover.roll_over(db, branch, actor=actor),
                progress=(self, self.tr("Creating the plan…")),
            )
        except UserError as exc:
            QMessageBox.warning(self, self.windowTitle(), exc.message(self.lang))
            return
        self.fiscal_year = self.result_.fiscal_year
        self.create_button.setEnabled(False)
        self.report.setPlainText(rollover.format_result(self.result_, self.lang))
        self.pending_label.setVisible(True)
        self.pending.setVisible(True)
        self.refresh()

    def refresh(self) -> None:
        assert self.fiscal_year is not None
        branch, year = self.branch, self.fiscal_year
        items = self.controller.read(lambda db: rollover.pending_confirmations(db, branch, year))
        self.pending_label.setText(self.tr("KPIs awaiting confirmation: {n}").format(n=len(items)))
        self.pending.setRowCount(len(items))
        for row, flagged in enumerate(items):
            why = self.tr("new") if flagged.reason == "new" else self.tr("redefined")
            for column, text in enumerate(
                (f"{flagged.kpi_key} {flagged.name}", why, flagged.detail(self.lang))
            ):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.pending.setItem(row, column, item)
            button = QPushButton(self.tr("Confirm"))
            button.setObjectName(f"confirm_{flagged.kpi_key}")
            button.clicked.connect(lambda _=False, f=flagged: self.confirm(f))
            self.pending.setCellWidget(row, 3, button)
        self.pending.resizeRowsToContents()

    def confirm(self, flagged: FlaggedKpi) -> None:
        branch, year, actor = self.branch, self.fiscal_year, self.controller.actor
        assert year is not None
        try:
            self.controller.run(
                lambda db: rollover.confirm_kpi(db, branch, year, flagged.kpi_key, actor=actor)
            )
        except UserError as exc:
            QMessageBox.warning(self, self.windowTitle(), exc.message(self.lang))
        self.refresh()
