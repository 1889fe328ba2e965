"""The main window: report picker on top, plan tree left, section form centre.

It holds the controller, not the database: every write runs through
``controller.run`` (the dialogs it opens get the controller too), and the
window's own parts follow the controller's one change signal — the pickers list
a plan a write created, and a report a write replaced is shown again."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPaintEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMenuBar,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QToolBar,
    QToolButton,
    QWidget,
)

from desktop.domain.branches import HQ_CODE
from desktop.domain.branches import branch as find_branch
from desktop.domain.calendar import fiscal_year_label
from desktop.domain.errors import UserError
from desktop.domain.model import PeriodKind, ReportRef
from desktop.services.changes import Changes
from desktop.ui.controller import EditPlace, ReportController
from desktop.ui.navigator import Navigator
from desktop.ui.section_form import SectionForm
from desktop.ui.settings import Settings
from desktop.ui.users_dialog import user_label

# The dialogs and the workbook services load when first used, not at start: the
# workbook services bring openpyxl and the whole exchange code (issue 14 item 6,
# tests/ui/test_start_imports.py).
if TYPE_CHECKING:
    from desktop.services.exchange import Expectation
    from desktop.ui.audit_viewer import AuditViewer
    from desktop.ui.dashboard import Dashboard
    from desktop.ui.export_dialog import ExportDialog
    from desktop.ui.hq_board import HqBoard
    from desktop.ui.import_dialog import ImportDialog
    from desktop.ui.plan_editor import PlanEditorWindow
    from desktop.ui.plan_status import PlanStatusDialog
    from desktop.ui.reference_table import ReferenceDialog
    from desktop.ui.restore_dialog import RestoreDialog
    from desktop.ui.review_screen import ReviewScreen
    from desktop.ui.rollover_dialog import RolloverDialog
    from desktop.ui.switch_user import SwitchUserDialog
    from desktop.ui.users_dialog import UsersDialog

PLANNING = "planning"  # the period combo's third mode: writing the plan itself
DASHBOARD_TAB, REVIEW_TAB = 1, 2
WARM_UP_MS = 300  # after the first paint: what the first window did not need, built at leisure
REMEMBER_MS = 1000  # a section shown this long is remembered as the last one


class MainWindow(QMainWindow):
    def __init__(self, controller: ReportController, settings: Settings) -> None:
        super().__init__()
        controller.setParent(self)
        self.controller = controller
        self.settings = settings
        self._last_section: tuple[str, str, str] | None = None  # (who, report, section)
        self._remember_timer = QTimer(self)
        self._remember_timer.setSingleShot(True)
        self._remember_timer.setInterval(REMEMBER_MS)
        self._remember_timer.timeout.connect(self._remember_section)
        self.lang = lang = controller.lang
        self.setWindowTitle(self.tr("PlanDesk"))
        self.setObjectName("mainWindow")

        self._build_toolbar()
        self.navigator = Navigator()
        self.navigator.set_lang(lang)
        self.form = SectionForm(self.controller)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.navigator)
        splitter.addWidget(self.form)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([440, 1160])  # at 1600 px most section titles fit the tree
        self.splitter = splitter
        self.tabs = QTabWidget()
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        # Mnemonics are unique in the window: S is the Settings menu's, R the review
        # screen's Return button (tests/ui/test_mnemonics.py checks every window).
        self.tabs.addTab(splitter, self.tr("Sect&ions"))
        # The dashboard and the review screen are built when first shown (or asked
        # for): their charts and queries are not part of the start.
        self._dashboard: Dashboard | None = None
        self._review: ReviewScreen | None = None
        self.tabs.addTab(QWidget(), self.tr("&Dashboard"))
        self.tabs.addTab(QWidget(), self.tr("Re&view"))
        self.tabs.currentChanged.connect(self._tab_shown)
        self.setCentralWidget(self.tabs)
        self.save_label = QLabel()
        self.save_label.setObjectName("saveState")
        self.statusBar().addPermanentWidget(self.save_label)
        self._build_menus()
        # Who is at the PC, always visible: a shared PC is normal, and every edit and
        # review action is recorded in this person's name.
        self.user_label = QLabel()
        self.user_label.setObjectName("currentUser")
        self.statusBar().addPermanentWidget(self.user_label)
        self.switch_button = QToolButton()
        self.switch_button.setObjectName("switchUserButton")
        self.switch_button.setDefaultAction(self.switch_action)
        self.switch_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.statusBar().addPermanentWidget(self.switch_button)
        self.controller.actorChanged.connect(lambda _login: self._show_user())
        self._show_user()

        self.navigator.nodeSelected.connect(self._show_node)
        self.controller.changed.connect(self.navigator.model.on_changed)
        self.controller.changed.connect(self._on_changed)
        self.controller.saved.connect(self._saved)
        self.controller.failed.connect(self._failed)
        self.controller.revealRequested.connect(self.reveal)
        self.controller.historyApplied.connect(
            lambda text: self.statusBar().showMessage(text, 10000)
        )
        # Tab from the tree goes straight into the form (its own order follows from there).
        self.setTabOrder(self.navigator.tree, self.form.first_field())
        for field in self.form.text_fields:
            field.pending.connect(self._pending)
        self.refresh_plans()

        geometry = settings.geometry
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 880)
        # The tree | form splitter takes its saved sizes once the window has its size.
        self._pending_splitter = settings.splitter
        self._warm_up_planned = False

    # --- building -----------------------------------------------------------------------------

    @property
    def dashboard(self) -> Dashboard:
        if self._dashboard is None:
            from desktop.ui.dashboard import Dashboard

            dashboard = Dashboard(self.controller)
            dashboard.restore_layout(self.settings)
            dashboard.sectionRequested.connect(self.open_section)
            self._dashboard = dashboard
            self._put_tab(DASHBOARD_TAB, dashboard)
        return self._dashboard

    @property
    def review(self) -> ReviewScreen:
        if self._review is None:
            from desktop.ui.review_screen import ReviewScreen

            review = ReviewScreen(self.controller)
            review.sectionRequested.connect(self.open_section)
            self._review = review
            self._put_tab(REVIEW_TAB, review)
        return self._review

    def _put_tab(self, index: int, widget: QWidget) -> None:
        """Put the built ``widget`` in place of its tab's placeholder, the same tab
        staying current."""
        current = self.tabs.currentIndex()
        placeholder = self.tabs.widget(index)
        title = self.tabs.tabText(index)
        blocked = self.tabs.blockSignals(True)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, widget, title)
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(blocked)
        placeholder.deleteLater()

    def _tab_shown(self, index: int) -> None:
        if index == DASHBOARD_TAB:
            _ = self.dashboard
        elif index == REVIEW_TAB:
            _ = self.review

    def _build_toolbar(self) -> None:
        bar = QToolBar(self.tr("Report"))
        bar.setObjectName("reportBar")
        bar.setMovable(False)
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(6, 2, 6, 2)
        self.branch_combo = QComboBox()
        self.branch_combo.setObjectName("branchCombo")
        self.year_combo = QComboBox()
        self.year_combo.setObjectName("yearCombo")
        self.period_combo = QComboBox()
        self.period_combo.setObjectName("periodCombo")
        self.period_combo.addItem(self.tr("Mid-year progress (上期)"), PeriodKind.MIDYEAR.value)
        self.period_combo.addItem(self.tr("Annual report (事業報告)"), PeriodKind.ANNUAL.value)
        self.period_combo.addItem(self.tr("Writing the plan (計画作成)"), PLANNING)
        for text, combo in (
            (self.tr("&Branch"), self.branch_combo),
            (self.tr("Fiscal &year"), self.year_combo),
            (self.tr("&Period"), self.period_combo),
        ):
            label = QLabel(text)
            label.setBuddy(combo)
            row.addWidget(label)
            row.addWidget(combo)
            row.addSpacing(12)
        self.as_of_label = QLabel()
        self.as_of_label.setObjectName("asOfLabel")
        row.addWidget(self.as_of_label)
        row.addStretch(1)
        bar.addWidget(holder)
        self.addToolBar(bar)
        self.branch_combo.activated.connect(lambda _i: self._branch_chosen())
        self.year_combo.activated.connect(lambda _i: self._open_selected())
        self.period_combo.activated.connect(lambda _i: self._open_selected())

    def _build_menus(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu(self.tr("&File"))
        audit_action = QAction(self.tr("&Audit trail…"), self)
        audit_action.triggered.connect(self.show_audit_trail)
        file_menu.addAction(audit_action)
        file_menu.addSeparator()
        self.export_action = QAction(self.tr("&Export workbook…"), self)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.triggered.connect(self.export_workbook)
        self.import_action = QAction(self.tr("&Import workbook…"), self)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(self.import_workbook)
        import_template = QAction(self.tr("Import plan &template…"), self)
        import_template.triggered.connect(lambda: self.import_workbook(template=True))
        import_pack = QAction(self.tr("Import &national averages and ranks…"), self)
        import_pack.triggered.connect(self.import_benchmarks)
        for action in (self.export_action, self.import_action, import_template, import_pack):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            file_menu.addAction(action)
            self.addAction(action)
        self._build_pdf_menu(file_menu)
        file_menu.addSeparator()
        rollover_action = QAction(self.tr("Next &year's plan…"), self)
        rollover_action.triggered.connect(self.roll_over)
        confirm_action = QAction(self.tr("&Confirm new and redefined KPIs…"), self)
        confirm_action.triggered.connect(self.confirm_kpis)
        hq_action = QAction(self.tr("&Headquarters: branch submissions…"), self)
        hq_action.triggered.connect(self.show_hq_board)
        for action in (rollover_action, confirm_action, hq_action):
            file_menu.addAction(action)
        self._add_backup_actions(file_menu)
        file_menu.addSeparator()
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        edit = menu.addMenu(self.tr("&Edit"))
        self.undo_action = self.controller.undo_stack.createUndoAction(self, self.tr("&Undo"))
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.controller.undo_stack.createRedoAction(self, self.tr("&Redo"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            edit.addAction(action)
            self.addAction(action)
        self.controller.undo_stack.indexChanged.connect(lambda _i: self._saved_or_keep())

        go = menu.addMenu(self.tr("&Go"))
        find = QAction(self.tr("&Find section…"), self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self.navigator.focus_search)
        next_section = QAction(self.tr("&Next section"), self)
        next_section.setShortcut(QKeySequence("Ctrl+PgDown"))
        next_section.triggered.connect(lambda: self._step(1))
        previous = QAction(self.tr("&Previous section"), self)
        previous.setShortcut(QKeySequence("Ctrl+PgUp"))
        previous.triggered.connect(lambda: self._step(-1))
        for action in (find, next_section, previous):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            go.addAction(action)
            self.addAction(action)

        self._build_plan_menu(menu)

        users = menu.addMenu(self.tr("&Users"))
        self.switch_action = QAction(self.tr("S&witch user…"), self)
        self.switch_action.setObjectName("switchUserAction")
        self.switch_action.setShortcut(QKeySequence("Ctrl+Shift+U"))
        self.switch_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.switch_action.setIconText(self.tr("Switch user"))  # the status-bar button
        self.switch_action.setToolTip(self.tr("Switch user (Ctrl+Shift+U)"))
        self.switch_action.triggered.connect(self.switch_user)
        self.addAction(self.switch_action)
        users.addAction(self.switch_action)
        manage = QAction(self.tr("&Manage users…"), self)
        manage.triggered.connect(self.show_users)
        users.addAction(manage)

        settings_menu = menu.addMenu(self.tr("&Settings"))
        for code, name in (("ja", "日本語"), ("en", "English")):
            action = QAction(name, self)
            action.setCheckable(True)
            action.setChecked(code == self.lang)
            action.triggered.connect(lambda _c=False, c=code: self._set_language(c))
            settings_menu.addAction(action)

    def _build_plan_menu(self, menu: QMenuBar) -> None:
        """Plan ▸ …: each entry opens a window of its own module, built on first use."""
        plan_menu = menu.addMenu(self.tr("P&lan"))
        plan_menu.setObjectName("planMenu")
        self.plan_menu = plan_menu
        self._add_edit_plan_action(plan_menu)
        self._add_approval_actions(plan_menu)
        self._add_targets_action(plan_menu)

    def _add_approval_actions(self, plan_menu: QMenu) -> None:
        """Plan ▸ the plan's approval and its reference figures."""
        approval = QAction(self.tr("Plan &approval…"), self)
        approval.setObjectName("planApprovalAction")
        approval.triggered.connect(self.show_plan_status)
        figures = QAction(self.tr("&Reference figures…"), self)
        figures.setObjectName("referenceFiguresAction")
        figures.triggered.connect(self.show_reference_figures)
        plan_menu.addAction(approval)
        plan_menu.addAction(figures)

    def show_plan_status(self) -> PlanStatusDialog | None:
        from desktop.ui.plan_status import PlanStatusDialog

        if self.controller.snapshot is None:
            return None
        dialog = PlanStatusDialog(self.controller, self)
        dialog.show()
        return dialog

    def show_reference_figures(self) -> ReferenceDialog | None:
        from desktop.ui.reference_table import ReferenceDialog

        if self.controller.snapshot is None:
            return None
        dialog = ReferenceDialog(self.controller, self)
        dialog.show()
        return dialog

    def _add_targets_action(self, plan_menu: QMenu) -> None:
        """Plan ▸ HQ's grid of targets per branch (HQ's template)."""
        self.targets_action = QAction(self.tr("&Targets per branch…"), self)
        self.targets_action.setObjectName("branchTargetsAction")
        self.targets_action.triggered.connect(self.show_branch_targets)
        plan_menu.addAction(self.targets_action)
        plan_menu.aboutToShow.connect(
            lambda: self.targets_action.setEnabled(self._hq_template_year() is not None)
        )

    def _hq_template_year(self) -> int | None:
        """The year of HQ's template the grid edits: the open plan's when it is HQ's (or
        HQ has a template for its year), else HQ's newest; None without any."""
        snap = self.controller.snapshot
        if snap is not None and snap.plan.branch == "00":
            return snap.plan.fiscal_year
        years = [y for b, y, _t in self.controller.plans() if b == "00"]
        if snap is not None and snap.plan.fiscal_year in years:
            return snap.plan.fiscal_year
        return max(years) if years else None

    def show_branch_targets(self) -> QWidget | None:
        """HQ's grid of targets per branch × KPI for the open template's year."""
        from desktop.ui.branch_targets_grid import BranchTargetsWindow

        year = self._hq_template_year()
        if year is None:
            self.statusBar().showMessage(
                self.tr("There is no HQ template (branch 00) in this database."), 10000
            )
            return None
        window = BranchTargetsWindow(self.controller, year, self)
        window.show()
        return window

    @property
    def actor(self) -> str:
        """Who is at the PC (the controller's: switch user changes it)."""
        return self.controller.actor

    # --- what a write changed ---------------------------------------------------------------

    def _on_changed(self, changes: Changes) -> None:
        """The window's share of the change signal: a plan a write created joins the
        pickers; a report it replaced is shown again; the person at the PC is shown
        as an administrator left them."""
        if changes.plans:
            self._list_plans()
        snap = self.controller.snapshot
        if snap is not None and changes.replaces(snap.ref):
            self._show_report()
        if self.actor in changes.people:
            self._show_user()

    # --- choosing a report ----------------------------------------------------------------

    def _list_plans(self) -> None:
        """The pickers list the database's plans, HQ's template (本部テンプレート, written
        in the planning mode) first; what is chosen stays chosen."""
        branch, year = self.branch_combo.currentData(), self.year_combo.currentData()
        rows = self.controller.plans()
        self._plans = [(b, y) for b, y, _t in rows]
        self.branch_combo.clear()
        for code in sorted({b for b, _ in self._plans}):
            label = (
                self.tr("HQ template") if code == HQ_CODE else find_branch(code).label(self.lang)
            )
            self.branch_combo.addItem(label, code)
        if branch is not None:
            self.branch_combo.setCurrentIndex(max(self.branch_combo.findData(branch), 0))
            self._fill_years(self.branch_combo.currentData(), year)

    def refresh_plans(self) -> None:
        """Fill the branch/year pickers from the database and open the last report."""
        self._list_plans()
        last = self.settings.last_report(self.actor).split("/")
        if len(last) == 3 and (last[0], int(last[1]) if last[1].isdigit() else 0) in self._plans:
            self.branch_combo.setCurrentIndex(self.branch_combo.findData(last[0]))
            self._fill_years(last[0], int(last[1]))
            index = self.period_combo.findData(last[2])
            self.period_combo.setCurrentIndex(max(index, 0))
        elif self._plans:  # a branch's plan, not HQ's template, unless there is no other
            codes = [self.branch_combo.itemData(i) for i in range(self.branch_combo.count())]
            self.branch_combo.setCurrentIndex(
                next((i for i, c in enumerate(codes) if c != HQ_CODE), 0)
            )
            self._fill_years(self.branch_combo.currentData(), None)
        self._open_selected()

    def _fill_years(self, branch: str, select: int | None) -> None:
        self.year_combo.clear()
        years = sorted((y for b, y in self._plans if b == branch), reverse=True)
        for y in years:
            self.year_combo.addItem(fiscal_year_label(y), y)
        if select in years:
            self.year_combo.setCurrentIndex(years.index(select))

    def _branch_chosen(self) -> None:
        self._fill_years(self.branch_combo.currentData(), None)
        self._open_selected()

    def current_ref(self) -> ReportRef | None:
        branch, year = self.branch_combo.currentData(), self.year_combo.currentData()
        if branch is None or year is None:
            return None
        mode = self.period_combo.currentData()
        period = PeriodKind(mode) if mode != PLANNING else PeriodKind.MIDYEAR
        return ReportRef(branch, int(year), period)

    @property
    def planning(self) -> bool:
        return self.period_combo.currentData() == PLANNING

    def _open_selected(self) -> None:
        self.form.flush()
        # HQ's template has no reports of its own: it is only written (the planning mode).
        hq = self.branch_combo.currentData() == HQ_CODE
        if hq:
            self.period_combo.setCurrentIndex(self.period_combo.findData(PLANNING))
        self.period_combo.setEnabled(not hq)
        ref = self.current_ref()
        if ref is None:
            return
        try:
            self.controller.load(ref)
        except UserError as exc:
            QMessageBox.warning(self, self.tr("PlanDesk"), exc.message(self.lang))
            return
        self._show_report()

    def _show_report(self) -> None:
        """The open report in the tree, the title and the section last worked on."""
        snap = self.controller.snapshot
        assert snap is not None
        ref = snap.ref
        self.navigator.load(snap)
        self.as_of_label.setText(
            "" if self.planning else self.tr("As of {month}").format(month=snap.as_of.era_label())
        )
        self.setWindowTitle(f"PlanDesk — {snap.plan.title} — {self.period_combo.currentText()}")
        mode = self.period_combo.currentData()
        self.settings.set_last_report(self.actor, f"{ref.branch}/{ref.fiscal_year}/{mode}")
        self._remember_section()
        last = self.settings.last_section(self.actor, ref.key)
        if not (last and self.navigator.select(last)):
            self.navigator.step(1)

    def _show_node(self, key: str) -> None:
        snap = self.controller.snapshot
        if snap is None:
            return
        self.form.show_node(snap.plan, snap.plan.node(key), planning=self.planning)
        # Remembered once the person stays on a section: QSettings writes its file on
        # every change, and that write took a third of a section switch.
        self._last_section = (self.actor, snap.ref.key, key)
        self._remember_timer.start()

    def _remember_section(self) -> None:
        """Store the section shown last (after a pause, before a report opens, on close)."""
        self._remember_timer.stop()
        if self._last_section is not None:
            self.settings.set_last_section(*self._last_section)
            self._last_section = None

    def _add_edit_plan_action(self, plan_menu: QMenu) -> None:
        """Plan ▸ Edit plan… (計画の編集): the planning window."""
        self.edit_plan_action = QAction(self.tr("&Edit plan…"), self)
        self.edit_plan_action.setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.edit_plan_action.triggered.connect(self.edit_plan)
        plan_menu.addAction(self.edit_plan_action)
        self.addAction(self.edit_plan_action)

    @property
    def plan_editor(self) -> PlanEditorWindow | None:
        """The planning window, once opened."""
        return getattr(self, "_plan_editor", None)

    def edit_plan(self) -> PlanEditorWindow | None:
        """Open the planning window for the plan shown (one window, raised again)."""
        from desktop.ui.plan_editor import PlanEditorWindow

        if self.controller.snapshot is None:
            return None
        window = getattr(self, "_plan_editor", None)
        if window is None:
            window = self._plan_editor = PlanEditorWindow(self.controller, self)
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def show_audit_trail(self) -> AuditViewer:
        from desktop.ui.audit_viewer import AuditViewer

        snap = self.controller.snapshot
        viewer = AuditViewer(self.controller, snap.ref.key if snap else None, self)
        viewer.show()
        return viewer

    # --- workbooks ---------------------------------------------------------------------------

    def _build_pdf_menu(self, file_menu: QMenu) -> None:
        from desktop.ui.pdf_export import PdfExport

        self.pdf_export = PdfExport(self)
        file_menu.addAction(self.pdf_export.action)

    def _folder(self) -> str:
        return self.settings.exchange_folder or str(Path.home())

    def export_workbook(self) -> ExportDialog | None:
        from desktop.ui.export_dialog import ExportDialog

        snap = self.controller.snapshot
        if snap is None:
            return None
        self.form.flush()  # what was just typed belongs in the file
        ref = None if self.planning else snap.ref
        signed = self.controller.signed_off() is not None if ref else False
        dialog = ExportDialog(self.controller, snap.plan, ref, self._folder(), signed, self)
        dialog.accepted.connect(lambda: self._exported(dialog))
        dialog.open()
        return dialog

    def _exported(self, dialog: ExportDialog) -> None:
        if dialog.result_ is None:
            return
        path = dialog.result_.path
        self.settings.exchange_folder = str(path.parent)
        if dialog.signed_again is not None:
            from desktop.services.signing_keys import spoken

            said = self.tr("Signed again with key {fingerprint} and written: {path}").format(
                fingerprint=spoken(dialog.signed_again), path=path
            )
        else:
            said = self.tr("Written: {path}").format(path=path)
        self.statusBar().showMessage(said, 15000)

    def ask_open_file(self, title: str) -> str | None:
        """Which workbook to read (replaced in tests)."""
        path, _ = QFileDialog.getOpenFileName(
            self, title, self._folder(), self.tr("Excel workbook (*.xlsx)")
        )
        return path or None

    def import_workbook(self, template: bool = False) -> ImportDialog | None:
        """Preview a work file or submission (or a template), let the person choose
        where both sides changed, then merge in one transaction."""
        from desktop.services.exchange import Expectation, Kind
        from desktop.ui.import_dialog import ImportDialog, read_preview

        path = self.ask_open_file(self.tr("Import workbook"))
        if not path:
            return None
        self.form.flush()
        snap = self.controller.snapshot
        if template:
            expect = Expectation(kinds=(Kind.TEMPLATE,))
        else:
            # A branch's PC takes files of the plan it has open; a fresh database any.
            expect = Expectation(
                branch=snap.plan.branch if snap else None,
                fiscal_year=snap.plan.fiscal_year if snap else None,
            )
        preview = read_preview(self, self.controller, path, expect)
        if preview is None:
            return None
        self.settings.exchange_folder = str(Path(path).parent)
        dialog = ImportDialog(preview, self.lang, self)
        dialog.accepted.connect(lambda: self._apply_import(dialog, expect))
        dialog.open()
        return dialog

    def _apply_import(self, dialog: ImportDialog, expect: Expectation) -> None:
        from desktop.ui.import_dialog import apply_choices

        # The views follow the controller's change signal; only the summary is said here.
        result = apply_choices(self, self.controller, dialog, expect)
        if result is not None:
            self.statusBar().showMessage(result.summary(self.lang), 15000)

    def import_benchmarks(self) -> None:
        from desktop.services import benchmarks

        snap = self.controller.snapshot
        path = self.ask_open_file(self.tr("National averages and ranks from headquarters"))
        if not path or snap is None:
            return
        branch, actor = snap.plan.branch, self.actor
        try:
            result = self.controller.run(
                lambda db: benchmarks.import_benchmark_pack(db, path, branch=branch, actor=actor)
            )
        except UserError as exc:
            QMessageBox.warning(self, self.tr("PlanDesk"), exc.message(self.lang))
            return
        self.statusBar().showMessage(result.summary(self.lang), 15000)

    def roll_over(self) -> RolloverDialog | None:
        from desktop.ui.rollover_dialog import RolloverDialog

        snap = self.controller.snapshot
        if snap is None:
            return None
        dialog = RolloverDialog(self.controller, snap.plan.branch, parent=self)
        dialog.open()
        return dialog

    def confirm_kpis(self) -> RolloverDialog | None:
        from desktop.ui.rollover_dialog import RolloverDialog

        snap = self.controller.snapshot
        if snap is None:
            return None
        dialog = RolloverDialog(self.controller, snap.plan.branch, snap.plan.fiscal_year, self)
        dialog.open()
        return dialog

    def show_hq_board(self) -> HqBoard:
        from desktop.services.signing_keys import keys_dir
        from desktop.ui.hq_board import HqBoard

        keys = keys_dir(self.controller.db.path)
        board = HqBoard(self.actor, self.lang, self.settings.exchange_folder, self, keys=keys)
        board.show()
        return board

    # --- backups -----------------------------------------------------------------------------

    def _add_backup_actions(self, file_menu: QMenu) -> None:
        file_menu.addSeparator()
        restore = QAction(self.tr("Restore from &backup…"), self)
        restore.setObjectName("restoreAction")
        restore.triggered.connect(self.restore_from_backup)
        file_menu.addAction(restore)
        self.controller.databaseReplaced.connect(self._database_replaced)

    def restore_from_backup(self) -> RestoreDialog | None:
        from desktop.ui.restore_dialog import RestoreDialog

        # What is being typed belongs to the current state: stored (and so in the copy
        # the restore takes first) before anything is replaced.
        if not self.form.flush():
            QMessageBox.warning(
                self,
                self.tr("PlanDesk"),
                self.tr("An edit could not be saved. Correct or undo it, then restore."),
            )
            return None
        dialog = RestoreDialog(self.controller, self)
        dialog.open()
        return dialog

    def _database_replaced(self) -> None:
        """Everything shown is read again from the replaced database."""
        self.refresh_plans()
        self._show_user()
        self.statusBar().showMessage(self.tr("The backup was restored."), 15000)

    # --- people ------------------------------------------------------------------------------

    def switch_user(self) -> SwitchUserDialog:
        """Ask who takes the PC (window-modal, not blocking: tests fill it in)."""
        from desktop.ui.switch_user import SwitchUserDialog

        dialog = SwitchUserDialog(self.controller, self)
        dialog.accepted.connect(lambda: self._switched(dialog))
        dialog.open()
        return dialog

    def _switched(self, dialog: SwitchUserDialog) -> None:
        if dialog.user is not None:
            self.set_user(dialog.user.login)

    def set_user(self, login: str) -> bool:
        """From now on this person works here: edits, submits and reviews are theirs."""
        # Text typed but not yet stored belongs to the person who typed it: store it
        # first, and do not switch while it cannot be stored (it would be saved later
        # in the next person's name).
        if not self.form.flush():
            QMessageBox.warning(
                self,
                self.tr("PlanDesk"),
                self.tr("An edit could not be saved. Correct or undo it, then switch user."),
            )
            return False
        self.controller.set_actor(login)
        return True

    def show_users(self) -> UsersDialog:
        from desktop.ui.users_dialog import UsersDialog

        # A change to the person at the PC (role, name, group) reaches the window through
        # the controller's change signal, like every write.
        dialog = UsersDialog(self.controller, self)
        dialog.open()
        return dialog

    def _show_user(self) -> None:
        user = self.controller.user
        if user is None:
            text = self.tr("{login} (not registered)").format(login=self.actor)
        elif not user.active:
            text = self.tr("{login} (deactivated)").format(login=self.actor)
        else:
            text = user_label(user, self.lang)
        self.user_label.setText(self.tr("User: {who}").format(who=text))

    def show_section(self, key: str) -> bool:
        return self.navigator.select(key)

    def open_section(self, key: str) -> None:
        """From the dashboard: the section's form, in the Sections tab."""
        self.tabs.setCurrentIndex(0)
        self.navigator.select(key)

    def _step(self, delta: int) -> None:
        self.form.flush()
        # Typing in the form and paging through sections is one task: the focus stays in
        # the form (on the same field where the next section has it), not wherever Qt
        # sends it when the focused widget hides.
        focus = QApplication.focusWidget()
        in_form = focus is not None and self.form.isAncestorOf(focus)
        field = self.form.focused_field()
        self.navigator.step(delta)
        if in_form:
            self.form.restore_focus(field)

    def reveal(self, place: EditPlace) -> None:
        """Bring the place an undo/redo is about to change on screen: its section in
        the form, the field or KPI cell focused."""
        self.tabs.setCurrentIndex(0)
        if self.navigator.current_key() != place.node_key and not self.navigator.select(
            place.node_key
        ):
            self.navigator.clear_filters()  # a search or filter was hiding the section
            self.navigator.select(place.node_key)
        self.form.focus_place(place)

    # --- save state ------------------------------------------------------------------------

    def _saved(self, when: datetime) -> None:
        self.save_label.setText(self.tr("Saved {time}").format(time=when.strftime("%H:%M")))
        self.save_label.setStyleSheet("color: #1e6b34;")

    def _saved_or_keep(self) -> None:
        if self.controller.last_saved is not None:
            self._saved(self.controller.last_saved)

    def _pending(self, dirty: bool) -> None:
        if dirty:
            self.save_label.setText(self.tr("Saving…"))
            self.save_label.setStyleSheet("color: #8a5300;")
        else:
            self._saved_or_keep()

    def _failed(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)

    def _set_language(self, lang: str) -> None:
        self.settings.language = lang
        QMessageBox.information(
            self,
            self.tr("PlanDesk"),
            self.tr("The language changes when PlanDesk is started again."),
        )

    # --- showing and closing -------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._pending_splitter is not None:
            self.splitter.restoreState(self._pending_splitter)
            self._pending_splitter = None

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._warm_up_planned:  # counted from the first paint, never before it
            self._warm_up_planned = True
            QTimer.singleShot(0, self, self._open_store)
            QTimer.singleShot(WARM_UP_MS, self, self._warm_up)

    def _open_store(self) -> None:
        """Right after the first paint, the database the window was painted without
        (the quick first reads): a write typed at once opens it itself
        (``ReportController.db``), never anywhere else."""
        try:
            self.controller.attach()
        except UserError as exc:  # the file changed under us since the first read
            QMessageBox.critical(self, self.tr("PlanDesk"), exc.message(self.lang))
            self.close()

    def _warm_up(self) -> None:
        """Once the window is on screen: the form's KPI chart (and pyqtgraph), so that
        the first section with KPIs switches as fast as the next (it took a few hundred
        ms to build). Not part of the start: the window is painted by then."""
        _ = self.form.kpi_chart

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.form.flush():
            answer = QMessageBox.question(
                self,
                self.tr("PlanDesk"),
                self.tr("An edit could not be saved. Close anyway and lose it?"),
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self._remember_section()
        self.settings.geometry = self.saveGeometry()
        self.settings.splitter = self._pending_splitter or self.splitter.saveState()
        if self._dashboard is not None:  # never opened: its saved layout stays as it was
            self._dashboard.save_layout(self.settings)
        self.settings.sync()
        event.accept()
