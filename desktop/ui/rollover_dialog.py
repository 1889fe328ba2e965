"""Plan ▸ Next year's plan: roll a branch plan into HQ's new template, then
confirm the KPIs that are new (新設) or defined differently from last year."""

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
from desktop.services.workspace import Database
from desktop.ui.tasks import run_with_progress


class RolloverDialog(QDialog):
    """Creates the plan on Create; afterwards (or for an existing plan, with
    ``fiscal_year`` given) lists what awaits confirmation."""

    def __init__(
        self,
        db: Database,
        branch: str,
        actor: str,
        lang: str,
        fiscal_year: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.branch, self.actor, self.lang = db, branch, actor, lang
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
        def work() -> RolloverResult:
            return rollover.roll_over(self.db, self.branch, actor=self.actor)

        try:
            self.result_ = run_with_progress(self, self.tr("Creating the plan…"), work)
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
        items = rollover.pending_confirmations(self.db, self.branch, self.fiscal_year)
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
        assert self.fiscal_year is not None
        try:
            rollover.confirm_kpi(
                self.db, self.branch, self.fiscal_year, flagged.kpi_key, actor=self.actor
            )
        except UserError as exc:
            QMessageBox.warning(self, self.windowTitle(), exc.message(self.lang))
        self.refresh()
