"""The dashboard: every KPI of the open report, marks and completeness at a glance.

Everything here follows the controller's change signal: a stored figure
updates its table row, the selected KPI's chart and the status bars; a stored
mark or status text updates the counts. Nothing polls or reloads.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QModelIndex, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.achievement import Status
from desktop.domain.rating_scopes import holder_of
from desktop.domain.report_order import groups_of, progress_by_group
from desktop.domain.scales import scale_for
from desktop.domain.series import mark_counts, status_counts, year_over_year
from desktop.services.changes import (
    Changes,
    EntryChanged,
    MeasurementChanged,
    MonthlyChanged,
    same_plan,
)
from desktop.services.history import YearFigures
from desktop.ui.chart_export import export_button
from desktop.ui.controller import ReportController
from desktop.ui.dashboard_model import (
    COL,
    COLUMNS,
    DashboardFilter,
    DashboardModel,
    KpiKeyRole,
    NodeKeyRole,
)
from desktop.ui.kpi_chart import KpiChart
from desktop.ui.overview_charts import StatusBarsChart, YearOverYearChart
from desktop.ui.settings import Settings
from desktop.ui.status_style import status_symbol

# Titles that may be long: they share the room the other columns leave, and show
# their full text as a tooltip (DashboardModel) where the column cuts them.
LONG_COLUMNS = {"pillar": 90, "section": 140, "kpi": 200}  # least widths in px


class Dashboard(QWidget):
    sectionRequested = Signal(str)  # node key: open this section in the form

    def __init__(self, controller: ReportController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.model = DashboardModel(controller, self)
        self.proxy = DashboardFilter(self)
        self.proxy.setSourceModel(self.model)

        self.pillar_filter = QComboBox()
        self.pillar_filter.setObjectName("pillarFilter")
        # A pillar's title can be long: the box shows its start (the whole in its tip and
        # its list), so that the row of filters does not widen the window past a
        # laptop's screen.
        self.pillar_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.pillar_filter.setMinimumContentsLength(18)
        self.pillar_filter.currentIndexChanged.connect(
            lambda _i: self.pillar_filter.setToolTip(self.pillar_filter.currentText())
        )
        self.group_filter = QComboBox()
        self.group_filter.setObjectName("groupFilter")
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("statusFilter")
        self.completeness = QProgressBar()
        self.completeness.setObjectName("completeness")
        self.completeness.setMinimumWidth(200)
        filters = QHBoxLayout()
        for text, combo in (
            (self.tr("Pillar"), self.pillar_filter),
            (self.tr("Group"), self.group_filter),
            (self.tr("Status"), self.status_filter),
        ):
            label = QLabel(text)
            label.setBuddy(combo)
            filters.addWidget(label)
            filters.addWidget(combo)
            combo.activated.connect(lambda _i: self._apply_filters())
        filters.addStretch(1)
        # How complete the report is, on a row of its own: beside the filters, the
        # groups' names (Planning and general affairs 34/34 …) made the dashboard
        # wider than a laptop's screen.
        progress = QHBoxLayout()
        progress.addStretch(1)
        progress.addWidget(QLabel(self.tr("Sections complete")))
        progress.addWidget(self.completeness)
        # Completeness per group (業務 8/10 …): each group's staff fill in their part.
        self.group_progress = QLabel()
        self.group_progress.setObjectName("groupProgress")
        progress.addWidget(self.group_progress)

        self.table = QTableView()
        self.table.setObjectName("dashboardTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL["pillar"], Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionsMovable(False)
        # Widths fit the content when first shown (fit_columns); after that they are
        # the person's, remembered across restarts (save_layout / restore_layout).
        self._columns_fitted = False
        self._pending_splits: dict[str, QByteArray] = {}
        self.table.doubleClicked.connect(self._open)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_selected())

        self.kpi_chart = KpiChart()
        self.kpi_chart.setObjectName("dashboardKpiChart")
        self.years_chart = YearOverYearChart()
        self.years_chart.setObjectName("yearsChart")
        self.status_chart = StatusBarsChart()
        self.status_chart.setObjectName("statusChart")
        # Its title, legend, bars and the pillars' names below them: on a 768-pixel-high
        # screen the splitter's first share left the bars a few pixels.
        self.status_chart.setMinimumHeight(250)
        self.marks = QLabel()
        self.marks.setObjectName("markCounts")
        self.marks.setTextFormat(Qt.TextFormat.RichText)

        charts = QWidget()
        grid = QGridLayout(charts)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.kpi_chart, 0, 0)
        grid.addWidget(
            export_button(lambda: self.kpi_chart, self, lambda: self._file_name("kpi")), 1, 0
        )
        grid.addWidget(self.years_chart, 2, 0)
        grid.addWidget(
            export_button(lambda: self.years_chart, self, lambda: self._file_name("years")), 3, 0
        )
        grid.setRowStretch(0, 3)
        grid.setRowStretch(2, 2)

        lower = QWidget()
        lower_layout = QHBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        status_box = QVBoxLayout()
        status_box.addWidget(self.status_chart, 1)
        status_box.addWidget(
            export_button(lambda: self.status_chart, self, lambda: self._file_name("status"))
        )
        lower_layout.addLayout(status_box, 3)
        lower_layout.addWidget(self.marks, 2)

        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.table)
        left.addWidget(lower)
        left.setSizes([520, 260])
        main = QSplitter(Qt.Orientation.Horizontal)
        main.addWidget(left)
        main.addWidget(charts)
        main.setStretchFactor(0, 1)
        main.setStretchFactor(1, 0)
        main.setSizes([1140, 420])
        self.table_split, self.split = left, main
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(progress)
        layout.addWidget(main, 1)

        controller.reportLoaded.connect(self._loaded)
        controller.changed.connect(self._on_changed)
        # The branch's other fiscal years, read when a year-over-year chart first needs them.
        self._other_years: list[YearFigures] | None = None
        self._stale = False
        if controller.snapshot is not None:  # built after the report was opened (a tab
            self.model.reload()  # is built when first shown): show it at once
            self._loaded()

    # --- loading -------------------------------------------------------------------------

    def _loaded(self) -> None:
        snap = self.controller.snapshot
        if snap is None:
            return
        lang = self.controller.lang
        self.pillar_filter.clear()
        self.pillar_filter.addItem(self.tr("All"), None)
        for node in snap.plan.children(None):
            self.pillar_filter.addItem(node.display_title, node.key)
        self.group_filter.clear()
        self.group_filter.addItem(self.tr("All"), None)
        # The plan's groups in the report's order (as the navigator's filter), those
        # with a KPI in this table.
        groups = {snap.plan.effective_group(k.node_key) for k in snap.plan.kpis}
        for group in groups_of(snap.plan):
            if group in groups:
                self.group_filter.addItem(group.label(lang), group.value)
        self.status_filter.clear()
        self.status_filter.addItem(self.tr("All"), None)
        for status in Status:
            self.status_filter.addItem(
                f"{status_symbol(status)} {status.label(lang)}", status.value
            )
        self._other_years = None
        self._apply_filters()
        if self.proxy.rowCount():
            self.table.selectRow(0)
        # Charts and counts are drawn when the dashboard is on screen, not at start-up.
        self._stale = True
        if self.isVisible():
            self._catch_up()

    def _apply_filters(self) -> None:
        self.proxy.set_filters(
            pillar=self.pillar_filter.currentData(),
            group=self.group_filter.currentData(),
            status=self.status_filter.currentData(),
        )
        if self.isVisible() and not self._stale:
            self._refresh_counts()  # the completeness bar follows the group chosen

    # --- live updates ----------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        splitters = self._splitters()
        for name, state in self._pending_splits.items():
            splitters[name].restoreState(state)
        self._pending_splits.clear()
        self._catch_up()

    def _catch_up(self) -> None:
        if not self._columns_fitted and self.model.rowCount():
            self.fit_columns()
        if self._stale:
            self._stale = False
            self._refresh_counts()
            self._refresh_status_chart()
            self._show_selected()

    def _on_changed(self, changes: Changes) -> None:
        snap = self.controller.snapshot
        if snap is None:
            return
        if changes.replaces(snap.ref):  # read again (the model reloads its rows itself)
            self._loaded()
            return
        selected = self.selected_kpi()
        figures = counts = chart = False
        for change in changes.records:
            if isinstance(change, MeasurementChanged) and change.report == snap.ref:
                figures = True
                chart = chart or change.measurement.kpi_key == selected
            elif isinstance(change, MonthlyChanged) and change.kpi_key == selected:
                chart = chart or same_plan(change.report, snap.ref)
            elif isinstance(change, EntryChanged) and change.report == snap.ref:
                counts = counts or change.field in ("mark", "status_text")
        if not (figures or counts or chart):
            return
        if not self.isVisible():
            # The table rows follow on their own (one dataChanged); charts and counts
            # are brought up to date when the dashboard is shown again.
            self._stale = True
            return
        if chart:
            self._show_selected()
        if figures:
            self._refresh_status_chart()
            # A status filter may now exclude or include the row.
            if self.proxy.status:
                self.proxy.refilter()
        if counts:
            self._refresh_counts()

    def _refresh_status_chart(self) -> None:
        snap = self.controller.snapshot
        if snap is None:
            return
        assessments = {k.key: snap.assessment(k.key) for k in snap.plan.kpis}
        self.status_chart.set_counts(status_counts(snap.plan, assessments), self.controller.lang)

    def _refresh_counts(self) -> None:
        """Marks per pillar and how many sections have both a status text and a mark."""
        snap = self.controller.snapshot
        if snap is None:
            return
        plan = snap.plan
        marks = {key: e.mark for key, e in snap.entries.items()}
        counts = mark_counts(plan, marks)
        symbols = [m.symbol for m in scale_for(snap.ref.period).marks]
        head = "".join(f"<th>&nbsp;{s}&nbsp;</th>" for s in symbols)
        rows = []
        for pillar in plan.children(None):
            c = counts.get(pillar.key)
            if c is None:
                continue
            cells = "".join(f"<td align='center'>{c.get(s, 0)}</td>" for s in symbols)
            rows.append(
                f"<tr><td>{pillar.display_title}</td>{cells}"
                f"<td align='center'>{c.get('', 0)}</td></tr>"
            )
        title, none = self.tr("Marks per pillar"), self.tr("none")
        self.marks.setText(
            f"<b>{title}</b><table cellspacing='0' cellpadding='3'>"
            f"<tr><th></th>{head}<th>&nbsp;{none}&nbsp;</th></tr>" + "".join(rows) + "</table>"
        )
        reportable = [n.key for n in plan.nodes if n.parent_key and plan.is_reportable(n.key)]
        # An item of a rating scope is marked when its scope is (the holder's one mark).
        complete = sum(
            1
            for key in reportable
            if snap.entry(key).status_text.strip() and snap.entry(holder_of(plan, key)).mark
        )
        total = len(reportable)
        per_group = progress_by_group(plan, snap.entries)
        chosen = self.group_filter.currentData()
        for progress in per_group:  # a group chosen: its own part
            if chosen and progress.group is not None and progress.group.value == chosen:
                complete, total = progress.entered, progress.total
        self.completeness.setRange(0, max(total, 1))
        self.completeness.setValue(complete)
        self.completeness.setFormat(
            self.tr("{done} of {all} sections").format(done=complete, all=total)
        )
        self.group_progress.setText("　".join(p.text(self.controller.lang) for p in per_group))

    # --- column widths and splitters ----------------------------------------------------------

    def fit_columns(self) -> None:
        """Every column as wide as its content; the long titles share what is left of
        the table's width up to the status column (later columns may scroll)."""
        header = self.table.horizontalHeader()
        natural = {
            name: max(self.table.sizeHintForColumn(c), header.sectionSizeHint(c)) + 4
            for name, c in COL.items()
        }
        for name, column in COL.items():
            if name not in LONG_COLUMNS:
                header.resizeSection(column, natural[name])
        shown_first = [n for n in COLUMNS[: COL["status"] + 1] if n not in LONG_COLUMNS]
        room = self.table.viewport().width() - sum(natural[n] for n in shown_first)
        wanted = {n: natural[n] for n in LONG_COLUMNS}
        if sum(wanted.values()) > room:
            # Each gets its least width, and the rest of the room in proportion to
            # how much more it needs.
            spare = max(room - sum(LONG_COLUMNS.values()), 0)
            more = {n: max(wanted[n] - least, 0) for n, least in LONG_COLUMNS.items()}
            total = sum(more.values()) or 1
            wanted = {n: least + spare * more[n] // total for n, least in LONG_COLUMNS.items()}
        for name, width in wanted.items():
            header.resizeSection(COL[name], width)
        self._columns_fitted = True

    def save_layout(self, settings: Settings) -> None:
        settings.set_layout("dashboard/table", self.table.horizontalHeader().saveState())
        for name, splitter in self._splitters().items():
            # Never shown since the start: what was restored is still what to keep.
            state = self._pending_splits.get(name) or splitter.saveState()
            settings.set_layout(name, state)

    def restore_layout(self, settings: Settings) -> None:
        """Column widths and splitter positions as the person left them. Splitters
        take theirs when first shown: sizes set before the dashboard has its real
        size are spread out again by the first layout."""
        header = settings.layout("dashboard/table")
        if header is not None and self.table.horizontalHeader().restoreState(header):
            self._columns_fitted = True
        for name in self._splitters():
            state = settings.layout(name)
            if state is not None:
                self._pending_splits[name] = state

    def _splitters(self) -> dict[str, QSplitter]:
        return {"dashboard/split": self.split, "dashboard/split_table": self.table_split}

    # --- selection -------------------------------------------------------------------------

    def selected_kpi(self) -> str | None:
        index = self.table.currentIndex()
        return index.data(KpiKeyRole) if index.isValid() else None

    def select_kpi(self, kpi_key: str) -> bool:
        row = self.model.row_of(kpi_key)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.table.setCurrentIndex(index)
        return True

    def _show_selected(self) -> None:
        if not self.isVisible():
            self._stale = True
            return
        snap = self.controller.snapshot
        key = self.selected_kpi()
        if snap is None or key is None:
            self.kpi_chart.clear()
            return
        lang = self.controller.lang
        self.kpi_chart.set_series(snap.series(key, lang))
        kpi = snap.kpi(key)
        current = (
            snap.plan,
            snap.measurements,
            {k.key: snap.assessment(k.key) for k in snap.plan.kpis},
        )
        if self._other_years is None:
            self._other_years = self.controller.other_years()
        self.years_chart.set_years(kpi, year_over_year(kpi, [*self._other_years, current]), lang)

    def _open(self, index: QModelIndex) -> None:
        key = index.data(NodeKeyRole)
        if key:
            self.sectionRequested.emit(key)

    def _file_name(self, what: str) -> str:
        snap = self.controller.snapshot
        if snap is None:
            return f"{what}.png"
        ref = snap.ref
        kpi = self.selected_kpi() if what in ("kpi", "years") else None
        name = f"{ref.fiscal_year}_{ref.branch}_{ref.period.value}_{kpi or what}.png"
        return str(Path.home() / name)
