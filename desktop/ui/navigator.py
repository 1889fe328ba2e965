"""The plan tree on the left: labels as printed, a badge per node, search
and filters. Built once per report; change records update single rows."""

from __future__ import annotations

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSignalBlocker,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.achievement import Status, status_detail
from desktop.domain.model import Group, Plan, PlanNode, ReportAxis
from desktop.domain.rating_scopes import holder_of, members
from desktop.domain.report_order import (
    GroupProgress,
    ReportRow,
    groups_of,
    progress_by_group,
    report_order,
    within,
)
from desktop.services.changes import (
    Changes,
    EntryChanged,
    MeasurementChanged,
    PlanTextChanged,
    same_plan,
)
from desktop.services.workspace import ReportSnapshot
from desktop.ui.status_style import status_symbol

NodeKeyRole = Qt.ItemDataRole.UserRole + 10
SearchTextRole = Qt.ItemDataRole.UserRole + 11
ProgressRole = Qt.ItemDataRole.UserRole + 12  # "empty" | "partial" | "complete" | "kpi" | ""
KpiStateRole = Qt.ItemDataRole.UserRole + 13  # "bad" | "good" | ""
GroupRole = Qt.ItemDataRole.UserRole + 14

COL_TITLE, COL_MARK, COL_STATE = 0, 1, 2
_URGENCY = [Status.NOT_MET, Status.BEHIND_PACE, Status.ON_PACE, Status.MET]
_PROGRESS_SYMBOL = {"empty": "○", "partial": "◐", "complete": "●", "kpi": "", "": ""}


def node_progress(snap: ReportSnapshot, key: str) -> str:
    if not snap.plan.is_reportable(key):
        return "kpi" if snap.plan.kpis_of(key) else ""
    e = snap.entry(key)
    # An item of a rating scope is marked by its scope's one mark (the holder's).
    if e.status_text.strip() and snap.entry(holder_of(snap.plan, key)).mark:
        return "complete"
    return "empty" if e.is_empty else "partial"


class NavigatorModel(QStandardItemModel):
    # Completeness per group changed (a section's status or mark was entered).
    progressChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = "ja"  # for status texts in tooltips; the window sets it
        self._rows: dict[str, list[QStandardItem]] = {}
        self._group_rows: dict[Group | None, list[QStandardItem]] = {}
        self._snap: ReportSnapshot | None = None

    def load(self, snap: ReportSnapshot) -> None:
        self.clear()
        self._rows.clear()
        self._group_rows.clear()
        self._snap = snap
        self.setHorizontalHeaderLabels([self.tr("Section"), self.tr("Mark"), self.tr("State")])
        plan = snap.plan
        if plan.report_axis is ReportAxis.GROUP:
            self._add_by_group(plan)
        else:
            self._add_children(plan, None, self.invisibleRootItem())

    def progress(self) -> list[GroupProgress]:
        """Completeness per group (rows with status and mark), in the report's order."""
        snap = self._snap
        if snap is None:
            return []
        return progress_by_group(snap.plan, snap.entries)

    def _add_by_group(self, plan: Plan) -> None:
        """The report by group: a heading per group, its items in the plan's order with
        their printed numbers; a heading node with KPIs of its own (no row in the
        report) comes before its first item, so that its KPIs can be entered."""
        lines = report_order(plan, lang=self.lang)
        rows = [line for line in lines if isinstance(line, ReportRow)]
        before: dict[str, list[str]] = {}
        for node in plan.nodes:
            if plan.is_reportable(node.key) or not plan.kpis_of(node.key):
                continue
            first = next((r for r in rows if within(plan, r.node.key, node.key)), None)
            if first is not None:
                before.setdefault(first.node.key, []).append(node.key)
        heading: QStandardItem = self.invisibleRootItem()
        for line in lines:
            if not isinstance(line, ReportRow):
                title = QStandardItem(line.text)
                title.setEditable(False)
                title.setData(line.group.value if line.group else "", GroupRole)
                font = title.font()
                font.setBold(True)
                title.setFont(font)
                row = [title, QStandardItem(), QStandardItem()]
                for item in row[1:]:
                    item.setEditable(False)
                self.invisibleRootItem().appendRow(row)
                self._group_rows[line.group] = row
                heading = title
                continue
            for key in before.get(line.node.key, ()):
                self._add_node(plan, plan.node(key), heading, plan.node(key).display_title)
            self._add_node(plan, line.node, heading, line.title)
        self._refresh_groups()

    def _refresh_groups(self) -> None:
        for progress in self.progress():
            row = self._group_rows.get(progress.group)
            if row is None:
                continue
            row[2].setText(f"{progress.entered}/{progress.total}")
            tip = self.tr("{n} of {total} entered (status and mark)").format(
                n=progress.entered, total=progress.total
            )
            row[0].setToolTip(f"{row[0].text()}: {tip}")
            row[2].setToolTip(tip)

    def _add_children(self, plan: Plan, parent_key: str | None, parent: QStandardItem) -> None:
        for node in plan.children(parent_key):
            self._add_node(plan, node, parent, node.display_title)
            self._add_children(plan, node.key, self._rows[node.key][0])

    def _add_node(self, plan: Plan, node: PlanNode, parent: QStandardItem, text: str) -> None:
        """One node's row under ``parent``, titled ``text`` (its number and title)."""
        title = QStandardItem(text)
        if node.own:  # 支部独自: what the branch added to HQ's framework
            tag = self.tr("[own]")
            title.setText(f"{text}  {tag}")
        title.setEditable(False)
        title.setData(node.key, NodeKeyRole)
        group = plan.effective_group(node.key)
        title.setData(group.value if group else "", GroupRole)
        mark = QStandardItem()
        mark.setEditable(False)
        mark.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        state = QStandardItem()
        state.setEditable(False)
        row = [title, mark, state]
        parent.appendRow(row)
        self._rows[node.key] = row
        self.refresh(node.key)

    def refresh(self, key: str) -> None:
        """Recompute one node's badges and search text from the snapshot."""
        snap = self._snap
        row = self._rows.get(key)
        if snap is None or row is None:
            return
        title, mark, state = row
        node = snap.plan.node(key)
        entry = snap.entry(key)
        progress = node_progress(snap, key)
        # The section's most urgent KPI status decides its badge: ✖ before ↘ before ↗/✔.
        kpis = snap.plan.kpis_of(key)
        assessments = [(k, snap.assessment(k.key)) for k in kpis]
        judged = [a.status for _k, a in assessments if a.status.is_bad or a.status.is_good]
        urgent = min(judged, key=_URGENCY.index) if judged else None
        kpi_state = "" if urgent is None else ("bad" if urgent.is_bad else "good")
        title.setData(progress, ProgressRole)
        title.setData(kpi_state, KpiStateRole)
        kpi_names = " ".join(k.name for k in kpis)
        title.setData(
            "\n".join(
                (
                    node.display_title,
                    node.plan_text,
                    entry.actions,
                    entry.status_text,
                    entry.next_steps,
                    kpi_names,
                )
            ).casefold(),
            SearchTextRole,
        )
        mark.setText(snap.entry(holder_of(snap.plan, key)).mark or "")
        symbol = status_symbol(urgent) if urgent is not None else ""
        state.setText(f"{_PROGRESS_SYMBOL[progress]} {symbol}".strip())
        tips = {
            "empty": self.tr("Not started"),
            "partial": self.tr("In progress"),
            "complete": self.tr("Complete (status and mark entered)"),
        }
        tip = tips.get(progress, "")
        if kpi_state == "bad":
            tip += "\n" + self.tr("A KPI is not met or behind pace")
        elif kpi_state == "good":
            tip += "\n" + self.tr("KPIs met or on pace")
        for k, a in assessments:
            detail = status_detail(k, a, self.lang)
            tip += f"\n{status_symbol(a.status)} {k.label}{k.name}: {a.status.label(self.lang)}"
            tip += f" {detail}" if detail else ""
        state.setToolTip(tip.strip())
        title.setToolTip(node.display_title)

    def on_changed(self, changes: Changes) -> None:
        """Each node a record names gets its badges again (a report the write replaced
        is loaded again by the window)."""
        snap = self._snap
        if snap is None or changes.replaces(snap.ref):
            return
        keys: dict[str, None] = {}  # each node once, in the order they changed
        for change in changes.records:
            if isinstance(change, EntryChanged) and change.report == snap.ref:
                # A scope's mark shows on every item it rates.
                keys.update(dict.fromkeys(members(snap.plan, change.entry.node_key)))
            elif isinstance(change, PlanTextChanged) and same_plan(change.report, snap.ref):
                keys[change.node_key] = None
            elif isinstance(change, MeasurementChanged) and change.report == snap.ref:
                kpi = next((k for k in snap.plan.kpis if k.key == change.measurement.kpi_key), None)
                if kpi is not None:
                    keys[kpi.node_key] = None
        for key in keys:
            self.refresh(key)
        if keys:
            self._refresh_groups()
            self.progressChanged.emit()

    def group_index(self, group: Group | None) -> QModelIndex:
        """A group heading's index (a report by group only)."""
        row = self._group_rows.get(group)
        return row[0].index() if row else QModelIndex()

    def index_of(self, key: str) -> QModelIndex:
        row = self._rows.get(key)
        return row[0].index() if row else QModelIndex()


class NavigatorFilter(QSortFilterProxyModel):
    """Text search plus the group / still-empty / KPI-not-met filters."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRecursiveFilteringEnabled(True)
        self.text = ""
        self.mode = "all"  # "all" | "empty" | "not_met" | "group:<name>"

    def set_filter(self, text: str | None = None, mode: str | None = None) -> None:
        self.beginFilterChange()
        if text is not None:
            self.text = text.strip().casefold()
        if mode is not None:
            self.mode = mode
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        index = self.sourceModel().index(row, 0, parent)
        if self.text and self.text not in (index.data(SearchTextRole) or ""):
            return False
        if self.mode == "empty":
            return index.data(ProgressRole) in ("empty", "partial")
        if self.mode == "not_met":
            return index.data(KpiStateRole) == "bad"
        if self.mode.startswith("group:"):
            return index.data(GroupRole) == self.mode.removeprefix("group:")
        return True


class Navigator(QWidget):
    nodeSelected = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setObjectName("navigatorSearch")
        self.search.setPlaceholderText(self.tr("Find sections (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.filter = QComboBox()
        self.filter.setObjectName("navigatorFilter")
        self.filter.addItem(self.tr("All sections"), "all")
        self.filter.addItem(self.tr("Still empty"), "empty")
        self.filter.addItem(self.tr("KPI not met"), "not_met")
        self._groups_at = self.filter.count()
        self._groups: list[Group] = list(Group)  # the plan's groups, once one is loaded
        for group in Group:
            self.filter.addItem("", f"group:{group.value}")
        self.model = NavigatorModel(self)
        self.model.progressChanged.connect(self._name_groups)
        self.set_lang("ja")
        self.proxy = NavigatorFilter(self)
        self.proxy.setSourceModel(self.model)
        self.tree = QTreeView()
        self.tree.setObjectName("navigatorTree")
        self.tree.setModel(self.proxy)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._layout_columns()
        layout.addWidget(self.search)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree, 1)

        self.search.textChanged.connect(self._search_changed)
        self.search.returnPressed.connect(self._first_match)
        self.filter.currentIndexChanged.connect(
            lambda _i: self._apply(mode=self.filter.currentData())
        )
        self.tree.selectionModel().currentChanged.connect(self._current_changed)

    def set_lang(self, lang: str) -> None:
        """Words in ``lang`` for the group filters and the status tooltips."""
        self.model.lang = lang
        self._name_groups()

    def _name_groups(self) -> None:
        """Each group filter with the group's completeness (業務 8/10) once a report
        is loaded: the same groups, in the same order, as the dashboard's filter."""
        lang = self.model.lang
        progress = {p.group: p for p in self.model.progress()}
        for i, group in enumerate(self._groups, start=self._groups_at):
            done = progress.get(group)
            name = self.tr("Group: {g}").format(g=group.label(lang))
            if done is not None:
                name = f"{name}  ({done.entered}/{done.total})"
            self.filter.setItemText(i, name)

    def load(self, snap: ReportSnapshot) -> None:
        self.model.load(snap)
        groups = groups_of(snap.plan)
        if groups != self._groups:  # the plan's own groups as filters
            mode = self.filter.currentData()
            with QSignalBlocker(self.filter):
                while self.filter.count() > self._groups_at:
                    self.filter.removeItem(self._groups_at)
                for group in groups:
                    self.filter.addItem("", f"group:{group.value}")
                self.filter.setCurrentIndex(max(self.filter.findData(mode), 0))
            self._groups = groups
            if self.filter.currentData() != mode:
                self.proxy.set_filter(mode=self.filter.currentData())
        self._name_groups()
        self._layout_columns()  # the model's reset dropped the header's modes
        self.tree.expandAll()

    def _layout_columns(self) -> None:
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(24)
        if header.count() < 3:
            return
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        for column, width in ((COL_MARK, 44), (COL_STATE, 48)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, width)

    def clear_filters(self) -> None:
        """Show every section again (search text and filter reset)."""
        self.search.clear()
        self.filter.setCurrentIndex(0)
        self._apply(text="", mode="all")

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _search_changed(self, text: str) -> None:
        self._apply(text=text)

    def _apply(self, text: str | None = None, mode: str | None = None) -> None:
        self.proxy.set_filter(text, mode)
        self.tree.expandAll()

    def _first_match(self) -> None:
        keys = self.visible_keys(reportable_only=False)
        matches = [
            k
            for k in keys
            if self.proxy.text in (self.model.index_of(k).data(SearchTextRole) or "")
        ]
        if matches:
            self.select(matches[0])
            self.tree.setFocus()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        key = current.siblingAtColumn(COL_TITLE).data(NodeKeyRole)
        if key:
            self.nodeSelected.emit(key)

    def select(self, key: str) -> bool:
        proxy_index = self.proxy.mapFromSource(self.model.index_of(key))
        if not proxy_index.isValid():
            return False
        self.tree.setCurrentIndex(proxy_index)
        self.tree.scrollTo(proxy_index)
        return True

    def current_key(self) -> str | None:
        return self.tree.currentIndex().siblingAtColumn(COL_TITLE).data(NodeKeyRole)

    def visible_keys(self, *, reportable_only: bool = True) -> list[str]:
        """Node keys in display order (depth first) as the filter shows them."""
        out: list[str] = []

        def walk(parent: QModelIndex) -> None:
            for row in range(self.proxy.rowCount(parent)):
                index = self.proxy.index(row, 0, parent)
                key = index.data(NodeKeyRole)
                if key and (not reportable_only or index.data(ProgressRole)):
                    out.append(key)  # a group heading (report by group) has no key
                walk(index)

        walk(QModelIndex())
        return out

    def step(self, delta: int) -> None:
        """Go to the next / previous section that staff report on."""
        keys = self.visible_keys()
        if not keys:
            return
        current = self.current_key()
        if current in keys:
            position = keys.index(current) + delta
        else:
            position = 0 if delta > 0 else len(keys) - 1
        if 0 <= position < len(keys):
            self.select(keys[position])
