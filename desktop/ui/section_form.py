"""The form of one plan section: what HQ planned, what was done, the mark,
the next steps and the section's KPIs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import limits
from desktop.domain.model import PeriodKind, Plan, PlanNode, SectionEntry
from desktop.domain.print_profiles import form_fields, profile_for
from desktop.domain.rating_scopes import holder_of, members, scope_label
from desktop.domain.scales import scale_for
from desktop.services.changes import (
    Changes,
    EntryChanged,
    MeasurementChanged,
    MonthlyChanged,
    same_plan,
)
from desktop.ui.autosave_edit import AutoSaveTextEdit
from desktop.ui.chart_export import export_button
from desktop.ui.controller import EditPlace, ReportController
from desktop.ui.kpi_model import COL, KpiTableModel
from desktop.ui.kpi_view import KpiTableView
from desktop.ui.length_counter import LengthCounter
from desktop.ui.monthly_model import MonthlyModel
from desktop.ui.review_presenter import ReviewPresenter
from desktop.ui.section_presenter import (
    breadcrumb,
    hidden_kpi_columns,
    review_controls,
    shows_reason,
    suggestion,
)

if TYPE_CHECKING:
    from desktop.services.editing import EntryField
    from desktop.ui.kpi_chart import KpiChart

T = TypeVar("T")

# Measurement fields by the KPI grid column that shows them.
# The grid column that shows an edited field (undo brings it on screen); the reference
# figures of Plan ▸ Reference figures… are shown in the last-year and national columns.
_COLUMN_OF = {
    "done": "value",
    "unavailable_reason": "reason",
    "last_year_actual": "last_year",
    "prior_year_actual": "last_year",
    "last_year_national_average": "national_average",
    "last_year_national_rank": "national_rank",
    "manual_status": "status",
    "manual_reason": "status",
    "old_method_value": "old_method",
}


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


class _Chip(QLabel):
    def __init__(self, text: str, colour: str, tooltip: str = "") -> None:
        super().__init__(text)
        self.setStyleSheet(
            f"QLabel {{ background: {colour}; border-radius: 9px; padding: 2px 9px; }}"
        )
        self.setToolTip(tooltip)


CHART_HEIGHT = 340  # px: the KPI chart's, the same in every section


class SectionForm(QScrollArea):
    """Shows one node of the plan and stores what is typed into it."""

    message = Signal(str)

    def __init__(self, controller: ReportController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.review = ReviewPresenter(controller)
        self.node: PlanNode | None = None
        self._mark_key = ""  # the node whose entry holds the shown mark (rating scopes)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # The scroll area itself is no Tab stop (it was an invisible one between the
        # tree and the first field); it scrolls to whichever field takes the focus.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # The scroll bar's room is always kept: a section taller than the window would
        # otherwise narrow every field and chart when shown, and re-lay out and
        # re-wrap the whole form (and resize the chart) on the way in and out.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        # Replaceable in tests: how the form asks for a reason and a password.
        self.ask_reason: Callable[[str], str | None] = self._ask_reason
        self.ask_password: Callable[[str], str | None] = self._ask_password

        body = QWidget()
        self.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(18, 14, 18, 18)
        layout.setSpacing(8)
        self._build_header(layout)
        self._build_review_row(layout)
        self._build_plan(layout)
        self._build_report(layout)
        self._build_kpis(layout)
        self._build_chart(layout)
        layout.addStretch(1)
        self.text_fields = [
            self.plan_text,
            self.status_text,
            self.mark_reason,
            self.next_steps,
            self.actions,
        ]
        self._reason_always = False  # the profile prints the reason in a column of its own
        self._connect()
        self._set_tab_order()

    # --- building -------------------------------------------------------------------------

    def _build_header(self, layout: QVBoxLayout) -> None:
        """The path to the section, its title, group and tags."""
        self.breadcrumb = QLabel()
        self.breadcrumb.setStyleSheet("color: #5f6368;")
        self.breadcrumb.setWordWrap(True)
        self.title = QLabel()
        title_font = QFont(self.title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.35)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.title.setWordWrap(True)
        self._marks_for: tuple[PeriodKind, str] | None = None  # what the mark combo lists
        self.chips = QHBoxLayout()
        self.chips.setSpacing(6)
        layout.addWidget(self.breadcrumb)
        layout.addWidget(self.title)
        self.group_chip = _Chip("", "#e8eaed")
        self.importance_chip = _Chip("", "#fde2e1")
        self.difficulty_chip = _Chip("", "#e3e1fd")
        for chip in (self.group_chip, self.importance_chip, self.difficulty_chip):
            chip.hide()
            self.chips.addWidget(chip)
        self.chips.addStretch(1)
        layout.addLayout(self.chips)

    def _build_review_row(self, layout: QVBoxLayout) -> None:
        review_row = QHBoxLayout()
        self.review_state = QLabel()
        self.review_state.setObjectName("reviewState")
        review_row.addWidget(self.review_state, 1)
        self.submit_button = QPushButton(self.tr("Submit for review"))
        self.submit_button.setObjectName("submitReview")
        review_row.addWidget(self.submit_button)
        # Offered only to whoever may do them (the service checks again, with the password).
        self.reopen_button = QPushButton(self.tr("Reopen for changes…"))
        self.reopen_button.setObjectName("reopenSection")
        self.reopen_button.setToolTip(
            self.tr("Open this approved section for changes again (needs a reason)")
        )
        review_row.addWidget(self.reopen_button)
        self.except_button = QPushButton(self.tr("Except from the report…"))
        self.except_button.setObjectName("exceptSection")
        self.except_button.setToolTip(
            self.tr("Leave this section out of the sign-off (branch head, needs a reason)")
        )
        review_row.addWidget(self.except_button)
        layout.addLayout(review_row)

    def _build_plan(self, layout: QVBoxLayout) -> None:
        """HQ's tags with their reasons, the plan text and its footnotes."""
        self.tag_reasons = QLabel()
        self.tag_reasons.setWordWrap(True)
        self.tag_reasons.setTextFormat(Qt.TextFormat.PlainText)
        self.tag_reasons.setStyleSheet(
            "QLabel { background: #fff8e1; border: 1px solid #f3d37a; padding: 6px; }"
        )
        layout.addWidget(self.tag_reasons)
        self.plan_heading = _heading(self.tr("Business plan (事業計画)"))
        layout.addWidget(self.plan_heading)
        self.plan_text = AutoSaveTextEdit()
        self.plan_text.setObjectName("planText")
        self.plan_text.setMinimumHeight(90)
        layout.addWidget(self.plan_text)
        self.footnotes = QLabel()
        self.footnotes.setWordWrap(True)
        self.footnotes.setStyleSheet("color: #5f6368;")
        layout.addWidget(self.footnotes)

    def _build_report(self, layout: QVBoxLayout) -> None:
        """What staff write: what was done, the mark and its reason, next steps."""
        self.report_box = QWidget()
        report = QVBoxLayout(self.report_box)
        report.setContentsMargins(0, 6, 0, 0)
        report.setSpacing(6)
        # 具体的な取り組み: only where the report's print profile has the field.
        actions_row = QHBoxLayout()
        self.actions_label = _heading(self.tr("Concrete &actions (具体的な取り組み)"))
        actions_row.addWidget(self.actions_label)
        actions_row.addStretch(1)
        self.actions_count = LengthCounter(limits.ACTIONS)
        actions_row.addWidget(self.actions_count)
        report.addLayout(actions_row)
        self.actions = AutoSaveTextEdit()
        self.actions.setObjectName("actionsText")
        self.actions.setMinimumHeight(120)
        self.actions_label.setBuddy(self.actions)
        report.addWidget(self.actions)
        status_row = QHBoxLayout()
        self.status_label = _heading(self.tr("&What was done (実施状況)"))
        status_row.addWidget(self.status_label)
        status_row.addStretch(1)
        self.status_count = LengthCounter(limits.STATUS_TEXT)
        status_row.addWidget(self.status_count)
        report.addLayout(status_row)
        self.status_text = AutoSaveTextEdit()
        self.status_text.setObjectName("statusText")
        self.status_text.setMinimumHeight(150)
        self.status_label.setBuddy(self.status_text)
        report.addWidget(self.status_text)

        mark_row = QHBoxLayout()
        self.mark_label = _heading(self.tr("&Mark (評価)"))
        mark_row.addWidget(self.mark_label)
        self.mark = QComboBox()
        self.mark.setObjectName("mark")
        self.mark.setMinimumWidth(260)
        self.mark_label.setBuddy(self.mark)
        mark_row.addWidget(self.mark)
        self.suggested = QLabel()
        self.suggested.setObjectName("suggestedMark")
        self.suggested.setWordWrap(True)
        self.suggested.setStyleSheet("color: #3c4043;")
        mark_row.addWidget(self.suggested, 1)
        # The per-KPI reasoning behind the suggestion, folded away under one button.
        self.suggestion_why = QToolButton()
        self.suggestion_why.setObjectName("suggestionWhy")
        self.suggestion_why.setText(self.tr("Why?"))
        self.suggestion_why.setCheckable(True)
        self.suggestion_why.setToolTip(self.tr("Show the figures behind the suggested mark"))
        self.suggestion_why.hide()
        mark_row.addWidget(self.suggestion_why, 0, Qt.AlignmentFlag.AlignTop)
        report.addLayout(mark_row)
        # Rating scope: the items rated together with this one share its one mark.
        self.rating_scope = QLabel()
        self.rating_scope.setObjectName("ratingScope")
        self.rating_scope.setWordWrap(True)
        self.rating_scope.setStyleSheet("color: #1a5fb4;")
        self.rating_scope.hide()
        report.addWidget(self.rating_scope)
        self.suggestion_details = QLabel()
        self.suggestion_details.setObjectName("suggestionDetails")
        self.suggestion_details.setWordWrap(True)
        self.suggestion_details.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.suggestion_details.setStyleSheet(
            "QLabel { color: #3c4043; background: #f1f3f4; padding: 5px; }"
        )
        self.suggestion_details.hide()
        self.suggestion_why.toggled.connect(self._show_suggestion_details)
        report.addWidget(self.suggestion_details)
        self.mark_warning = QLabel()
        self.mark_warning.setObjectName("markWarning")
        self.mark_warning.setWordWrap(True)
        self.mark_warning.setStyleSheet(
            "QLabel { background: #fdebc8; border: 1px solid #e69f00; padding: 5px; }"
        )
        self.mark_warning.hide()
        report.addWidget(self.mark_warning)
        self.reason_label = _heading(self.tr("Reas&on for the mark (評価の理由)"))
        report.addWidget(self.reason_label)
        self.mark_reason = AutoSaveTextEdit()
        self.mark_reason.setObjectName("markReason")
        self.reason_label.setBuddy(self.mark_reason)
        self.mark_reason.setMaximumHeight(80)
        report.addWidget(self.mark_reason)

        next_row = QHBoxLayout()
        self.next_label = _heading(self.tr("&Next steps (今後の実施予定等)"))
        next_row.addWidget(self.next_label)
        next_row.addStretch(1)
        self.next_count = LengthCounter(limits.NEXT_STEPS)
        next_row.addWidget(self.next_count)
        report.addLayout(next_row)
        self.next_steps = AutoSaveTextEdit()
        self.next_steps.setObjectName("nextSteps")
        self.next_steps.setMinimumHeight(110)
        self.next_label.setBuddy(self.next_steps)
        report.addWidget(self.next_steps)
        layout.addWidget(self.report_box)

    def _build_kpis(self, layout: QVBoxLayout) -> None:
        # Alt+K: straight to the KPI grid from anywhere in the form.
        self.kpi_heading = _heading(self.tr("&KPIs (KPI設定項目)"))
        layout.addWidget(self.kpi_heading)
        self.kpi_model = KpiTableModel(self.controller, self)
        self.kpi_view = KpiTableView()
        self.kpi_view.setObjectName("kpiGrid")
        self.kpi_view.setModel(self.kpi_model)
        self.kpi_view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.kpi_heading.setBuddy(self.kpi_view)
        layout.addWidget(self.kpi_view)
        self.no_kpi = QLabel(self.tr("No KPI for this section (KPI設定なし)."))
        self.no_kpi.setStyleSheet("color: #5f6368;")
        layout.addWidget(self.no_kpi)
        self.kpi_message = QLabel()
        self.kpi_message.setObjectName("kpiMessage")
        self.kpi_message.setWordWrap(True)
        layout.addWidget(self.kpi_message)

    def _build_chart(self, layout: QVBoxLayout) -> None:
        """The chart of the KPI selected in the grid, and its monthly figures."""
        self.chart_box = QWidget()
        chart_layout = QVBoxLayout(self.chart_box)
        chart_layout.setContentsMargins(0, 4, 0, 0)
        self._chart_layout = chart_layout
        self._kpi_chart: KpiChart | None = None  # built when a section with KPIs is shown
        self.monthly_model = MonthlyModel(self.controller, self)
        self.monthly_view = QTableView()
        self.monthly_view.setObjectName("monthlyGrid")
        self.monthly_view.setModel(self.monthly_model)
        self.monthly_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.monthly_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.monthly_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        chart_layout.addWidget(self.monthly_view)
        self.export_button = export_button(
            lambda: self.kpi_chart, self, lambda: self._chart_file_name()
        )
        chart_layout.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.chart_box)

    @property
    def kpi_chart(self) -> KpiChart:
        """The chart, built when first needed: pyqtgraph and the charts load then, not
        at start (most sections have no KPI, the first one shown neither)."""
        if self._kpi_chart is None:
            from desktop.ui.kpi_chart import KpiChart

            chart = KpiChart()
            chart.setObjectName("sectionKpiChart")
            # One height for every section: a chart that took the room left over
            # was resized (both axes redrawn, the plot re-laid out) whenever anything
            # above it changed height — one more KPI row, the report fields shown.
            chart.setFixedHeight(CHART_HEIGHT)
            self._chart_layout.insertWidget(0, chart)
            self._kpi_chart = chart
            self._set_tab_order()  # a widget added later lands anywhere in the focus chain
        return self._kpi_chart

    def _connect(self) -> None:
        controller = self.controller
        self.actions_count.watch(self.actions)
        self.status_count.watch(self.status_text)
        self.next_count.watch(self.next_steps)
        self.mark.activated.connect(self._mark_chosen)
        self.submit_button.clicked.connect(self._submit)
        self.reopen_button.clicked.connect(self._reopen)
        self.except_button.clicked.connect(self._except)
        self.kpi_view.message.connect(self._kpi_message)
        self.kpi_view.selectionModel().currentRowChanged.connect(lambda *_a: self._show_chart())
        # The form's own writes say their refusals in its line, once (not also in the
        # status bar); a refusal of anything else is not the form's to say.
        self.kpi_model.saying = self.monthly_model.saying = self._saying
        controller.changed.connect(self._on_changed)
        # Who may submit, reopen or except depends on who is at the PC.
        controller.actorChanged.connect(lambda _login: self._show_review_state())

    def _set_tab_order(self) -> None:
        # What people fill in, in reading order; the KPI grid right after the texts
        # (Alt+K jumps there); the review buttons last.
        self._tab_chain: list[QWidget] = [
            self.plan_text,
            self.actions,
            self.status_text,
            self.mark,
            self.mark_reason,
            self.next_steps,
            self.kpi_view,
            self.monthly_view,
            self.export_button,
            self.submit_button,
            self.reopen_button,
            self.except_button,
        ]
        for before, after in zip(self._tab_chain, self._tab_chain[1:], strict=False):
            self.setTabOrder(before, after)

    # --- showing a node ----------------------------------------------------------------------

    def flush(self) -> bool:
        return all(f.flush() for f in self.text_fields)

    def show_node(self, plan: Plan, node: PlanNode, *, planning: bool = False) -> None:
        self.flush()
        self.node = node
        snap = self.controller.snapshot
        assert snap is not None
        lang = self.controller.lang
        self.breadcrumb.setText("  ›  ".join(breadcrumb(plan, node)))
        self.title.setText(node.display_title)

        # The chips are made once and only shown or hidden: a section switch then
        # changes no layout item (a new widget costs a polish and a relayout).
        group = plan.effective_group(node.key)
        self._set_chip(
            self.group_chip, self.tr("Group: {g}").format(g=group.label(lang)) if group else ""
        )
        self._set_chip(self.importance_chip, "【重要度：高】" if node.importance else "")
        self.importance_chip.setToolTip(node.importance or "")
        self._set_chip(self.difficulty_chip, "【困難度：高】" if node.difficulty else "")
        self.difficulty_chip.setToolTip(node.difficulty or "")
        reasons = []
        if node.importance:
            reasons.append(self.tr("Importance: high — {r}").format(r=node.importance))
        if node.difficulty:
            reasons.append(self.tr("Difficulty: high — {r}").format(r=node.difficulty))
        self.tag_reasons.setText("\n\n".join(reasons))
        self.tag_reasons.setVisible(bool(reasons))

        save_plan = (lambda text: self._save_plan_text(text)) if planning else None
        self.plan_text.bind(node.plan_text, save_plan)
        self.plan_text.setVisible(bool(node.plan_text) or planning)
        # Read-only plan text is for reading: a click selects in it, Tab passes it by.
        self.plan_text.setFocusPolicy(
            Qt.FocusPolicy.StrongFocus if planning else Qt.FocusPolicy.ClickFocus
        )
        self.plan_heading.setVisible(bool(node.plan_text) or planning)
        self.footnotes.setText("\n".join(f"※ {f}" for f in node.footnotes))
        self.footnotes.setVisible(bool(node.footnotes))

        entry = snap.entry(node.key)
        reportable = not planning and plan.is_reportable(node.key)
        self.report_box.setVisible(reportable)
        key = node.key
        self._show_profile_fields(plan, entry)
        self.actions.bind(entry.actions, lambda t: self._set_entry(key, "actions", t))
        self.status_text.bind(entry.status_text, lambda t: self._set_entry(key, "status_text", t))
        self.next_steps.bind(entry.next_steps, lambda t: self._set_entry(key, "next_steps", t))
        # The mark and its reason of a rating scope live on its holder's entry: every
        # item of the scope shows and edits that one stored value.
        self._mark_key = mark_key = holder_of(plan, key)
        rated = snap.entry(mark_key)
        self.mark_reason.bind(
            rated.mark_reason or "",
            lambda t: self._set_entry(mark_key, "mark_reason", t),
        )
        self._fill_marks(snap.ref.period, lang)
        self._show_mark(rated.mark)
        together = members(plan, key)
        self.rating_scope.setVisible(len(together) > 1)
        if len(together) > 1:
            self.rating_scope.setText(
                self.tr("Rated together: {items} — one mark and one reason for all of them").format(
                    items=scope_label(plan, key)
                )
            )

        kpis = plan.kpis_of(node.key)
        self.kpi_model.set_kpis(kpis)
        self.kpi_heading.setVisible(bool(kpis))
        self.kpi_view.setVisible(bool(kpis))
        self.no_kpi.setVisible(not kpis and reportable)
        self.kpi_message.clear()
        if kpis:
            for column, hidden in hidden_kpi_columns(kpis, snap).items():
                self.kpi_view.setColumnHidden(COL[column], hidden)
            self.kpi_view.fit_columns()
            height = self.kpi_view.horizontalHeader().height() + 4
            height += sum(self.kpi_view.rowHeight(r) for r in range(len(kpis)))
            self.kpi_view.setFixedHeight(
                height + self.kpi_view.horizontalScrollBar().sizeHint().height()
            )
        self.chart_box.setVisible(bool(kpis))
        if kpis:
            self.kpi_view.setCurrentIndex(self.kpi_model.index(0, COL["value"]))
        self._show_chart()
        self._show_suggestion()
        self._show_review_state()
        self.verticalScrollBar().setValue(0)

    # --- keyboard focus --------------------------------------------------------------------

    def first_field(self) -> QWidget:
        """The start of the form's Tab order (the tree's next stop)."""
        return self._tab_chain[0]

    def _focusable(self, widget: QWidget) -> bool:
        return (
            widget.isVisibleTo(self)
            and widget.isEnabled()
            and bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        )

    def focused_field(self) -> QWidget | None:
        """The field of the Tab order that holds the focus (an editor inside a grid
        counts as its grid), or None."""
        focus = QApplication.focusWidget()
        for widget in self._tab_chain:
            if focus is not None and (focus is widget or widget.isAncestorOf(focus)):
                return widget
        return None

    def restore_focus(self, field: QWidget | None) -> None:
        """Focus ``field`` if this section has it, else the section's first field."""
        if field is not None and self._focusable(field):
            field.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        first = next((w for w in self._tab_chain if self._focusable(w)), None)
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.setFocus(Qt.FocusReason.OtherFocusReason)  # keep it in the form

    def focus_place(self, place: EditPlace) -> None:
        """Focus where an edit of the shown section is seen (before undo/redo apply)."""
        target: QWidget | None
        if place.kpi_key is not None:
            row = self.kpi_model.row_of(place.kpi_key)
            if row is None:
                return
            self.kpi_view.setCurrentIndex(self.kpi_model.index(row, COL["value"]))
            if place.field == "monthly" and place.fiscal_index is not None:
                view: QTableView = self.monthly_view
                index = self.monthly_model.index(0, place.fiscal_index - 1)
            else:
                view = self.kpi_view
                column = COL.get(_COLUMN_OF.get(place.field, place.field), COL["value"])
                index = self.kpi_model.index(row, column)
            view.setCurrentIndex(index)
            view.scrollTo(index)
            target = view
        else:
            target = {
                "plan_text": self.plan_text,
                "actions": self.actions,
                "status_text": self.status_text,
                "mark": self.mark,
                "mark_reason": self.mark_reason,
                "next_steps": self.next_steps,
            }.get(place.field)
            if target is self.mark_reason and not self.mark_reason.isVisibleTo(self):
                target = self.mark  # the reason shows with the mark that needs it
        if target is not None and target.isVisibleTo(self):
            target.setFocus(Qt.FocusReason.OtherFocusReason)
            self.ensureWidgetVisible(target)

    # --- figures: suggested mark and chart ----------------------------------------------------

    def chart_kpi(self) -> str | None:
        """The KPI the chart shows: the grid's current row, else its first."""
        if not self.kpi_model.kpis:
            return None
        index = self.kpi_view.currentIndex()
        row = index.row() if index.isValid() else 0
        return self.kpi_model.kpis[row].key

    def _show_chart(self) -> None:
        snap = self.controller.snapshot
        key = self.chart_kpi()
        if snap is None or key is None:
            if self._kpi_chart is not None:
                self._kpi_chart.clear()
            self.monthly_model.set_kpi(None)
            return
        self.kpi_chart.set_series(snap.series(key, self.controller.lang))
        if self.monthly_model.kpi_key != key:
            if self.monthly_view.state() == QAbstractItemView.State.EditingState:
                self.monthly_model.set_kpi(None)  # a reset closes the open editor
            self.monthly_model.set_kpi(key)
            self.monthly_view.setVisible(self.monthly_model.kpi_key is not None)
            height = self.monthly_view.horizontalHeader().height() + self.monthly_view.rowHeight(0)
            self.monthly_view.setFixedHeight(height + 4)

    def _show_suggestion(self) -> None:
        snap = self.controller.snapshot
        if snap is None or self.node is None:
            return
        lang = self.controller.lang
        view = suggestion(snap, self.node.key, lang)
        details = "\n".join(f"・{line}" for line in view.details) if view.shown else ""
        self.suggested.setToolTip(details)
        self.suggestion_details.setText(details)
        self.suggestion_why.setVisible(bool(details))
        self._show_suggestion_details()
        if not view.shown:
            self.suggested.clear()
        elif view.symbol is None:
            self.suggested.setText(
                self.tr("Figures suggest: — ({reason})").format(reason=view.reason)
            )
        else:
            text = self.tr("Figures suggest: {mark} — {reason}").format(
                mark=view.symbol, reason=view.reason
            )
            if view.heading is not None:
                text += " " + self.tr("(KPIs of {heading})").format(heading=view.heading)
            self.suggested.setText(text)
        self.mark_warning.setVisible(view.warning is not None)
        if view.warning is not None:
            self.mark_warning.setText("⚠ " + view.warning.message(lang))

    def _show_suggestion_details(self) -> None:
        shown = self.suggestion_why.isChecked() and bool(self.suggestion_details.text())
        self.suggestion_details.setVisible(shown)

    # --- review state ------------------------------------------------------------------------

    def _show_review_state(self) -> None:
        """The section's review state; approved or signed-off content is read-only."""
        snap = self.controller.snapshot
        if snap is None or self.node is None:
            return
        key = self.node.key
        controls = review_controls(
            self.controller.state(key),
            self.controller.signed_off(),
            self.controller.user,
            snap.plan,
            key,
        )
        self.review_state.setVisible(controls.shown)
        self.submit_button.setVisible(controls.shown)
        self.reopen_button.setVisible(controls.reopen_visible)
        self.except_button.setVisible(controls.except_visible)
        self._set_read_only(controls.read_only)
        if controls.state is None:  # a heading people do not report on
            return
        text = self.tr("Review: {state}").format(state=controls.state.label(self.controller.lang))
        if controls.signed is not None:
            who = controls.signed.signed_by
            text += "  " + self.tr("(report signed off by {who})").format(who=who)
        self.review_state.setText(text)
        self.submit_button.setEnabled(controls.submit_enabled)

    def _set_read_only(self, read_only: bool) -> None:
        for field in (self.actions, self.status_text, self.next_steps, self.mark_reason):
            field.setReadOnly(read_only)
        self.mark.setEnabled(not read_only)
        self.kpi_model.read_only = read_only

    def _submit(self) -> None:
        if self.controller.snapshot is None or self.node is None or not self.flush():
            return
        keys = [self.node.key]
        self._saying(lambda: self.review.submit(keys))

    def _reopen(self) -> None:
        self._decide(
            self.tr("Reason for reopening this section:"),
            self.tr("Reopening a section needs a reason."),
            self.review.reopen,
        )

    def _except(self) -> None:
        self._decide(
            self.tr("Reason for leaving this section out of the report:"),
            self.tr("Excepting a section needs a reason."),
            self.review.except_section,
        )

    def _decide(
        self, question: str, blank: str, action: Callable[[str, str, str, str], object]
    ) -> None:
        """Reopen or except: a reason first (refused when blank, before any password is
        asked), then the current person's password; the service checks the rest."""
        snap = self.controller.snapshot
        user = self.controller.user
        if snap is None or self.node is None or user is None or not self.flush():
            return
        reason = self.ask_reason(question)
        if reason is None:
            return
        if not reason.strip():
            self._kpi_message(blank)
            return
        password = self.ask_password(user.display_name)
        if not password:
            return
        key = self.node.key
        self._saying(lambda: action(key, user.login, password, reason))

    def _ask_reason(self, question: str) -> str | None:
        text, ok = QInputDialog.getMultiLineText(self, self.tr("Reason"), question)
        return text if ok else None

    def _ask_password(self, who: str) -> str | None:
        text, ok = QInputDialog.getText(
            self,
            self.tr("Password"),
            self.tr("Password of {who}:").format(who=who),
            QLineEdit.EchoMode.Password,
        )
        return text if ok else None

    def _chart_file_name(self) -> str:
        snap = self.controller.snapshot
        key = self.chart_kpi() or "chart"
        if snap is None:
            return f"{key}.png"
        ref = snap.ref
        return str(Path.home() / f"{ref.fiscal_year}_{ref.branch}_{ref.period.value}_{key}.png")

    def _save_plan_text(self, text: str) -> bool:
        assert self.node is not None
        key = self.node.key
        return self._saying(lambda: self.controller.set_plan_text(key, text))

    def _set_entry(self, key: str, field: EntryField, value: str | None) -> bool:
        return self._saying(lambda: self.controller.set_entry(key, field, value))

    def _saying(self, run: Callable[[], T]) -> T:
        """Run a write asked for in this form: a refusal is said once, in the line under
        the KPIs (``ReportController.refusals_to``), not also in the status bar."""
        with self.controller.refusals_to(self._kpi_message):
            return run()

    @staticmethod
    def _set_chip(chip: QLabel, text: str) -> None:
        if chip.text() != text:
            chip.setText(text)
        chip.setVisible(bool(text))

    def _fill_marks(self, period: PeriodKind, lang: str) -> None:
        if self._marks_for == (period, lang):
            return  # the same scale: refilling it would only relayout the combo
        self._marks_for = (period, lang)
        scale = scale_for(period)
        self.mark.clear()
        self.mark.addItem(self.tr("(no mark)"), None)
        for m in scale.marks:
            self.mark.addItem(f"{m.symbol}  {m.legend(lang)}", m.symbol)
            self.mark.setItemData(
                self.mark.count() - 1, m.legend(lang), Qt.ItemDataRole.ToolTipRole
            )
        annual = period is PeriodKind.ANNUAL
        self.mark_label.setText(
            self.tr("Self-ra&ting (自己評価)") if annual else self.tr("&Mark (評価)")
        )
        self.reason_label.setText(
            self.tr("Reas&on for the self-rating (自己評価の理由)")
            if annual
            else self.tr("Reas&on for the mark (評価の理由)")
        )

    def _show_profile_fields(self, plan: Plan, entry: SectionEntry) -> None:
        """The fields the report's print profile has (and any that holds text)."""
        snap = self.controller.snapshot
        assert snap is not None
        profile = profile_for(plan, snap.ref.period)
        written = {f: getattr(entry, f) for f in ("actions", "status_text", "next_steps")}
        shown = form_fields(profile, written)
        for name, widgets in (
            ("actions", (self.actions_label, self.actions_count, self.actions)),
            ("status_text", (self.status_label, self.status_count, self.status_text)),
            ("next_steps", (self.next_label, self.next_count, self.next_steps)),
        ):
            for widget in widgets:
                widget.setVisible(name in shown)
        self._reason_always = "mark_reason" in profile.fields

    def _show_mark(self, symbol: str | None) -> None:
        index = self.mark.findData(symbol) if symbol else 0
        self.mark.setCurrentIndex(max(index, 0))
        snap = self.controller.snapshot
        shown = snap is not None and (
            self._reason_always
            or shows_reason(snap.ref.period, symbol, self.mark_reason.toPlainText())
        )
        self.reason_label.setVisible(shown)
        self.mark_reason.setVisible(shown)

    def _mark_chosen(self, index: int) -> None:
        if self.node is None:
            return
        symbol = self.mark.itemData(index)
        if not self._set_entry(self._mark_key, "mark", symbol):
            snap = self.controller.snapshot
            self._show_mark(snap.entry(self._mark_key).mark if snap else None)

    def _kpi_message(self, text: str, failed: bool = True) -> None:
        """A refusal in red; a success (a paste) in the green of "Saved", with a tick."""
        self.kpi_message.setProperty("failed", failed)
        self.kpi_message.setStyleSheet(f"color: {'#b3261e' if failed else '#1e6b34'};")
        self.kpi_message.setText(text if failed or not text else f"✔ {text}")

    # --- change records (edits, undo, redo) -------------------------------------------------

    def _on_changed(self, changes: Changes) -> None:
        """What a write changed, as far as the shown section is concerned. A report the
        write replaced is shown again by the window (it selects the section anew)."""
        snap = self.controller.snapshot
        if self.node is None or snap is None or changes.replaces(snap.ref):
            return
        chart = self.chart_kpi()
        figures = redraw_chart = suggest = False
        for r in changes.records:
            if isinstance(r, EntryChanged) and r.report == snap.ref:
                mark_field = r.field in ("mark", "mark_reason")
                # The scope's mark and reason come from its holder's entry.
                shown_key = self._mark_key if mark_field else self.node.key
                if r.entry.node_key == shown_key:
                    self._show_entry_field(r)
                    suggest = suggest or mark_field
            elif isinstance(r, MeasurementChanged) and r.report == snap.ref:
                figures = True
                redraw_chart = redraw_chart or r.measurement.kpi_key == chart
            elif isinstance(r, MonthlyChanged) and r.kpi_key == chart:
                redraw_chart = redraw_chart or same_plan(r.report, snap.ref)
        if figures:
            self.kpi_message.clear()
        if redraw_chart:
            self._show_chart()
        if figures or suggest:
            self._show_suggestion()
        if changes.reviewed(snap.ref) or self.controller.actor in changes.people:
            self._show_review_state()

    def _show_entry_field(self, change: EntryChanged) -> None:
        """A stored field of the shown entry: shown, unless the person is typing in it."""
        e = change.entry
        fields = {
            "actions": (self.actions, e.actions),
            "status_text": (self.status_text, e.status_text),
            "next_steps": (self.next_steps, e.next_steps),
            "mark_reason": (self.mark_reason, e.mark_reason or ""),
        }
        if change.field in fields:
            widget, value = fields[change.field]
            if not widget.is_dirty or widget.toPlainText() == value:
                widget.show_stored(value)
        if change.field == "mark":
            self._show_mark(e.mark)
