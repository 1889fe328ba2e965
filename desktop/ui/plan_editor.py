"""The planning window (Plan ▸ Edit plan… / 計画の編集): a plan's tree on the left,
an editor for the selected node or KPI on the right.

Every edit goes through ``PlanEditPresenter`` (the controller's ``attempt``, one undo
stack): texts are stored after a pause or when the field is left, choices at once.
Move to… (Ctrl+Shift+M) puts a node under another parent chosen in
desktop/ui/plan_move_dialog.py; the service says whether a branch may put it there.
The tree and the editor are drawn from the controller's snapshot again when the
``changed`` signal says the plan's structure changed (an undo included); a refusal
of what was asked here is said once, in the window's message line (the tabs with a
line of their own say theirs: ``ReportController.refusals_to``). The right side is a
tab widget: the details, the plan's approval and the reference figures
(desktop/ui/plan_tabs.py, each built when first shown); further tabs join with
:meth:`PlanEditorWindow.add_tab`.

On HQ's template (branch "00", 本部テンプレート) the window is HQ's planning mode:
Add pillar, Targets per branch… (the grid of desktop/ui/branch_targets_grid.py) and
"Branches may add here" show, the approval and reference tabs do not (the template
has neither); every field is HQ's to write. A branch's plan shows none of HQ's
controls, and HQ's fields are read-only there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import rating_scopes
from desktop.domain.model import Direction, Group, Kpi, Level, PlanNode, TargetKind
from desktop.services.changes import Changes
from desktop.services.plan_editing import KpiDraft
from desktop.ui.autosave_edit import AutoSaveLineEdit, AutoSaveTextEdit
from desktop.ui.controller import ReportController
from desktop.ui.plan_presenter import PlanEditPresenter
from desktop.ui.plan_tabs import LazyTab, approval_widget, reference_widget
from desktop.ui.report_layout_box import ReportLayoutBox

if TYPE_CHECKING:
    from desktop.ui.branch_targets_grid import BranchTargetsWindow

T = TypeVar("T")
# The planning window's controls for HQ's template only (hidden and off in a branch's plan).
_HQ_ONLY = ("add_pillar", "targets")
KEY_ROLE = Qt.ItemDataRole.UserRole
KIND_ROLE = Qt.ItemDataRole.UserRole + 1


def _refresh(widget: AutoSaveLineEdit | AutoSaveTextEdit, value: str) -> None:
    """Show a stored value unless the person is typing something else there."""
    shown = widget.text() if isinstance(widget, QLineEdit) else widget.toPlainText()
    if not widget.is_dirty or shown == value:
        widget.show_stored(value)


# The kinds with a number of their own (the others take last year's figure or words).
_NUMBER_KINDS = (TargetKind.FIXED, TargetKind.MULTI_YEAR, TargetKind.MONTHLY)


def _text(value: object) -> str:
    return "" if value is None else str(value)


class NodeEditor(QWidget):
    """The fields of a plan node."""

    def __init__(self, presenter: PlanEditPresenter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.presenter = presenter
        self.key: str | None = None
        self._bound: tuple[str, int, str] | None = None
        # How a store runs: the window routes its refusals to its message line.
        self.saying: Callable[[Callable[[], bool]], bool] = lambda run: run()
        form = QFormLayout(self)
        self.own_tag = QLabel()
        self.own_tag.setStyleSheet("color: #1b5e8c; font-weight: bold;")
        self.label = AutoSaveLineEdit()
        self.title = AutoSaveLineEdit()
        self.group = QComboBox()
        self.group.addItem(self.tr("(as the heading above)"), "")
        for g in Group:
            self.group.addItem(g.label(presenter.controller.lang), g.value)
        self.plan_text = AutoSaveTextEdit()
        self.importance = AutoSaveTextEdit()
        self.difficulty = AutoSaveTextEdit()
        self.footnotes = AutoSaveTextEdit()
        self.report_position = AutoSaveLineEdit()
        self.report_position.setObjectName("reportPosition")
        self.report_position.setToolTip(
            self.tr("Smaller first in a report organised by group; blank: in the tree's order")
        )
        for box in (self.importance, self.difficulty, self.footnotes):
            box.setMaximumHeight(80)
        self.may_add = QComboBox()
        self.may_add.addItem(self.tr("Default (sections and pillars)"), None)
        self.may_add.addItem(self.tr("Allowed"), True)
        self.may_add.addItem(self.tr("Not allowed"), False)
        form.addRow(self.own_tag)
        form.addRow(self.tr("&Number:"), self.label)
        form.addRow(self.tr("&Title:"), self.title)
        form.addRow(self.tr("&Group:"), self.group)
        form.addRow(self.tr("&Plan text:"), self.plan_text)
        form.addRow(self.tr("I&mportance reason:"), self.importance)
        form.addRow(self.tr("&Difficulty reason:"), self.difficulty)
        form.addRow(self.tr("&Footnotes (one per line):"), self.footnotes)
        form.addRow(self.tr("Place in the report b&y group:"), self.report_position)
        self.may_add_label = QLabel(self.tr("&Branches may add here:"))
        self.may_add_label.setBuddy(self.may_add)
        form.addRow(self.may_add_label, self.may_add)
        self.importance.setToolTip(self.tr("Blank: not tagged 【重要度：高】"))
        self.difficulty.setToolTip(self.tr("Blank: not tagged 【困難度：高】"))
        self.group.activated.connect(lambda _i: self._store("group", self.group.currentData()))
        self.may_add.activated.connect(
            lambda _i: self._store("branch_may_add", self.may_add.currentData())
        )
        self._build_rating_scope(form)

    def _build_rating_scope(self, form: QFormLayout) -> None:
        """Rating scopes (desktop/domain/rating_scopes.py): the sibling whose one mark
        and reason rate this item too."""
        self.rated_with = QComboBox()
        self.rated_with.setObjectName("ratedWith")
        self.rated_with_label = QLabel(self.tr("&Rated together with:"))
        self.rated_with_label.setBuddy(self.rated_with)
        self.rated_with.setToolTip(
            self.tr("One mark and one reason for several items: they are entered on the first")
        )
        self._rated_with_tip = self.rated_with.toolTip()
        form.addRow(self.rated_with_label, self.rated_with)
        self.rated_with.activated.connect(
            lambda _i: self._store("rated_with", self.rated_with.currentData())
        )

    def _show_rating_scope(self, node: PlanNode) -> None:
        plan = self.presenter.plan
        shown = plan.is_reportable(node.key) and node.parent_key is not None
        holds = bool(rating_scopes.scopes(plan).get(node.key))
        with QSignalBlocker(self.rated_with):
            self.rated_with.clear()
            self.rated_with.addItem(self.tr("(rated on its own)"), None)
            for other in plan.children(node.parent_key):
                if other.key == node.key or not plan.is_reportable(other.key):
                    continue
                if rating_scopes.is_rated_elsewhere(plan, other.key):
                    continue
                self.rated_with.addItem(other.display_title, other.key)
            current = rating_scopes.holder_of(plan, node.key)
            self.rated_with.setCurrentIndex(max(self.rated_with.findData(current), 0))
        # An item other items are rated with holds their mark: it joins no other scope.
        self.rated_with.setEnabled(not holds)
        tip = self._rated_with_tip
        if holds:
            tip = self.tr("Rated together: {items} (their mark is entered here)").format(
                items=rating_scopes.scope_label(plan, node.key)
            )
        self.rated_with.setToolTip(tip)
        self.rated_with.setVisible(shown)
        self.rated_with_label.setVisible(shown)

    def _store(self, field: str, value: object) -> bool:
        if self.key is None:
            return False
        key = self.key
        return self.saying(lambda: self.presenter.set_node_field(key, field, value))

    def _saver(self, field: str, allowed: bool) -> Callable[[str], bool] | None:
        return (lambda text: self._store(field, text)) if allowed else None

    def show_node(self, node: PlanNode) -> None:
        # Bound anew in another plan too: what may be written differs (HQ's or a branch's).
        bound = (self.presenter.ref.branch, self.presenter.ref.fiscal_year, node.key)
        rebind = bound != self._bound
        self._bound = bound
        self.key = node.key
        own = self.presenter.may_restructure(node.key)
        is_branch = self.presenter.is_branch
        self.own_tag.setText(
            self.tr("HQ template: every branch's plan is made from it")
            if not is_branch
            else self.tr("【支部独自】 added by the branch")
            if node.own
            else self.tr("HQ's framework")
        )
        values = {
            self.label: (node.label, "label", own),
            self.title: (node.title, "title", own),
            self.plan_text: (node.plan_text, "plan_text", True),
            self.importance: (node.importance or "", "importance", own),
            self.difficulty: (node.difficulty or "", "difficulty", own),
            self.footnotes: ("\n".join(node.footnotes), "footnotes", True),
            self.report_position: (_text(node.report_position), "report_position", True),
        }
        for widget, (value, field, allowed) in values.items():
            if rebind:
                widget.bind(value, self._saver(field, allowed))
            else:
                _refresh(widget, value)
        with QSignalBlocker(self.group):
            self.group.setCurrentIndex(
                max(self.group.findData(node.group.value if node.group else ""), 0)
            )
        with QSignalBlocker(self.may_add):
            self.may_add.setCurrentIndex({None: 0, True: 1, False: 2}.get(node.branch_may_add, 0))
        self.may_add.setVisible(not is_branch)
        self.may_add_label.setVisible(not is_branch)
        self._show_rating_scope(node)

    def flush(self) -> None:
        for widget in (self.label, self.title, self.report_position):
            widget.flush()
        for box in (self.plan_text, self.importance, self.difficulty, self.footnotes):
            box.flush()


class KpiEditor(QWidget):
    """The definition of a KPI."""

    def __init__(self, presenter: PlanEditPresenter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.presenter = presenter
        self.key: str | None = None
        self._bound: tuple[str, int, str] | None = None
        # How a store runs: the window routes its refusals to its message line.
        self.saying: Callable[[Callable[[], bool]], bool] = lambda run: run()
        form = QFormLayout(self)
        self.own_tag = QLabel()
        self.own_tag.setStyleSheet("color: #1b5e8c; font-weight: bold;")
        self.label = AutoSaveLineEdit()
        self.name = AutoSaveLineEdit()
        self.unit = AutoSaveLineEdit()
        self.unit.setPlaceholderText("％ 件 人 円 …")
        self.decimals = QSpinBox()
        self.decimals.setRange(0, 6)
        self.direction = QComboBox()
        for value, text in (
            (Direction.AT_LEAST, self.tr("At least (以上)")),
            (Direction.AT_MOST, self.tr("At most (以下)")),
            (Direction.EXACTLY, self.tr("Exactly")),
            (Direction.QUALITATIVE, self.tr("Done / not done (実施)")),
        ):
            self.direction.addItem(text, value.value)
        self.target_kind = QComboBox()
        for kind, text in (
            (TargetKind.FIXED, self.tr("Fixed value")),
            (TargetKind.PREV_YEAR, self.tr("Last year's actual (対前年度)")),
            (TargetKind.PREV_YEAR_END, self.tr("Last year's year-end (対前年度末)")),
            (TargetKind.MULTI_YEAR, self.tr("Multi-year goal (複数年の目標)")),
            (TargetKind.MONTHLY, self.tr("Every month (毎月)")),
            (TargetKind.MANUAL, self.tr("Goal in words, judged by hand (手動判定)")),
        ):
            self.target_kind.addItem(text, kind.value)
        self.target = AutoSaveLineEdit()
        self.target.setPlaceholderText(self.tr("e.g. 65.5"))
        self.numerator = AutoSaveLineEdit()
        self.denominator = AutoSaveLineEdit()
        self.cumulative = QCheckBox(self.tr("&Cumulative over the year"))
        self.is_new = QCheckBox(self.tr("Ne&w this year (新設)"))
        self.changed = QCheckBox(self.tr("Definition c&hanged (算出方法の変更)"))
        self.note = AutoSaveLineEdit()
        # What the kinds beyond one number a year need (shown only with their kind).
        self.baseline_year = AutoSaveLineEdit()
        self.baseline_year.setPlaceholderText(self.tr("e.g. 2023"))
        self.baseline_value = AutoSaveLineEdit()
        self.goal_year = AutoSaveLineEdit()
        self.goal_year.setPlaceholderText(self.tr("e.g. 2029"))
        self.target_text = AutoSaveLineEdit()
        self.target_text.setPlaceholderText(self.tr("e.g. 前年度の水準を上回る"))
        self.definition_note = AutoSaveLineEdit()
        self.reference_indicator = QCheckBox(
            self.tr("Reference indicator, never &judged (参考指標)")
        )
        self.form = form
        form.addRow(self.own_tag)
        form.addRow(self.tr("Nu&mber:"), self.label)
        form.addRow(self.tr("KPI &name:"), self.name)
        form.addRow(self.tr("&Unit:"), self.unit)
        form.addRow(self.tr("&Decimals:"), self.decimals)
        form.addRow(self.tr("Di&rection:"), self.direction)
        form.addRow(self.tr("&Kind of target:"), self.target_kind)
        form.addRow(self.tr("&Baseline year:"), self.baseline_year)
        form.addRow(self.tr("Baseline &value:"), self.baseline_value)
        form.addRow(self.tr("&Goal year:"), self.goal_year)
        form.addRow(self.tr("&Target:"), self.target)
        form.addRow(self.tr("Goal &in words:"), self.target_text)
        form.addRow(self.tr("Num&erator label:"), self.numerator)
        form.addRow(self.tr("Den&ominator label:"), self.denominator)
        form.addRow(self.cumulative)
        form.addRow(self.is_new)
        form.addRow(self.changed)
        form.addRow(self.tr("Wh&at changed in the definition:"), self.definition_note)
        form.addRow(self.reference_indicator)
        form.addRow(self.tr("&Footnote:"), self.note)
        self.decimals.valueChanged.connect(lambda v: self._store("decimals", v))
        self.direction.activated.connect(
            lambda _i: self._store("direction", self.direction.currentData())
        )
        self.target_kind.activated.connect(
            lambda _i: self._store("target_kind", self.target_kind.currentData())
        )
        for box, field in (
            (self.cumulative, "cumulative"),
            (self.is_new, "is_new"),
            (self.changed, "definition_changed"),
            (self.reference_indicator, "reference_indicator"),
        ):
            box.toggled.connect(lambda on, f=field: self._store(f, on))

    def _store(self, field: str, value: object) -> bool:
        if self.key is None:
            return False
        key = self.key
        return self.saying(lambda: self.presenter.set_kpi_field(key, field, value))

    def show_kpi(self, kpi: Kpi) -> None:
        bound = (self.presenter.ref.branch, self.presenter.ref.fiscal_year, kpi.key)
        rebind = bound != self._bound
        self._bound = bound
        self.key = kpi.key
        own = self.presenter.may_restructure(kpi.key)
        self.own_tag.setText(
            self.tr("HQ template: every branch's plan is made from it")
            if not self.presenter.is_branch
            else self.tr("【支部独自】 added by the branch")
            if kpi.own
            else self.tr("HQ's framework")
        )
        texts = {
            self.label: (kpi.label, "label", own),
            self.name: (kpi.name, "name", own),
            self.unit: (kpi.unit, "unit", own),
            self.target: ("" if kpi.target is None else str(kpi.target), "target", True),
            self.numerator: (kpi.numerator_label or "", "numerator_label", own),
            self.denominator: (kpi.denominator_label or "", "denominator_label", own),
            self.note: (kpi.note or "", "note", own),
            self.baseline_year: (_text(kpi.baseline_year), "baseline_year", True),
            self.baseline_value: (_text(kpi.baseline_value), "baseline_value", True),
            self.goal_year: (_text(kpi.goal_year), "goal_year", True),
            self.target_text: (kpi.target_text or "", "target_text", True),
            self.definition_note: (kpi.definition_note or "", "definition_note", own),
        }
        for widget, (value, field, allowed) in texts.items():
            if rebind:
                save = (lambda t, f=field: self._store(f, t)) if allowed else None
                widget.bind(value, save)
            else:
                _refresh(widget, value)
        numeric = kpi.direction is not Direction.QUALITATIVE
        fixed = numeric and kpi.target_kind in _NUMBER_KINDS
        self.target.setEnabled(fixed)
        self.target.setPlaceholderText(
            self.tr("e.g. 65.5") if fixed else self.tr("(no fixed value)")
        )
        multi_year = kpi.target_kind is TargetKind.MULTI_YEAR
        for widget in (self.baseline_year, self.baseline_value, self.goal_year):
            self.form.setRowVisible(widget, multi_year)
        self.form.setRowVisible(self.target_text, kpi.target_kind is TargetKind.MANUAL)
        self.form.setRowVisible(self.definition_note, kpi.definition_changed)
        for widget, value in (
            (self.decimals, kpi.decimals),
            (self.direction, kpi.direction.value),
            (self.target_kind, kpi.target_kind.value),
            (self.cumulative, kpi.cumulative),
            (self.is_new, kpi.is_new),
            (self.changed, kpi.definition_changed),
            (self.reference_indicator, kpi.reference_indicator),
        ):
            with QSignalBlocker(widget):
                if isinstance(widget, QSpinBox):
                    widget.setValue(int(value))
                elif isinstance(widget, QComboBox):
                    widget.setCurrentIndex(max(widget.findData(value), 0))
                else:
                    widget.setChecked(bool(value))
        for widget in (self.decimals, self.direction, self.cumulative, self.is_new, self.changed,
                       self.reference_indicator):  # fmt: skip
            widget.setEnabled(own)
        self.target_kind.setEnabled(True)

    def flush(self) -> None:
        for widget in (self.label, self.name, self.unit, self.target, self.numerator,
                       self.denominator, self.note, self.baseline_year, self.baseline_value,
                       self.goal_year, self.target_text, self.definition_note):  # fmt: skip
            widget.flush()


class PlanEditorWindow(QDialog):
    """Plan ▸ Edit plan…: write the structure and texts of the plan shown."""

    def __init__(self, controller: ReportController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("planEditor")
        self.setModal(False)
        self.controller = controller
        self.presenter = PlanEditPresenter(controller, self)
        self.resize(1100, 720)

        self.tree = QTreeWidget()
        self.tree.setObjectName("planTree")
        self.tree.setHeaderLabels([self.tr("Plan")])
        self.tree.currentItemChanged.connect(lambda _c, _p: self._show_selected())
        # Two rows of buttons (adding; moving and the rest): one row would hold the tree
        # wider than the details beside it need.
        adds, others = QHBoxLayout(), QHBoxLayout()
        self.actions: dict[str, QAction] = {}
        self.buttons: dict[str, QPushButton] = {}
        for name, text, keys, slot in (
            ("add_pillar", self.tr("Add pillar"), "Ctrl+Alt+Ins", self.add_pillar),
            ("add_section", self.tr("Add section"), "Ctrl+Shift+Ins", self.add_section),
            ("add_item", self.tr("Add item"), "Ins", self.add_item),
            ("add_kpi", self.tr("Add KPI"), "Ctrl+K", self.add_kpi),
            ("up", self.tr("Move up"), "Ctrl+Up", lambda: self.move(-1)),
            ("down", self.tr("Move down"), "Ctrl+Down", lambda: self.move(1)),
            ("move_to", self.tr("Move to…"), "Ctrl+Shift+M", self.move_to),
            ("remove", self.tr("Remove"), "Del", self.remove),
            ("targets", self.tr("Targets per branch…"), "Ctrl+T", self.show_branch_targets),
        ):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(keys))
            action.setToolTip(f"{text.replace('&', '')} ({QKeySequence(keys).toString()})")
            # A refusal is said once, in this window's message line.
            action.triggered.connect(lambda _on=False, run=slot: self._saying(run))
            self.actions[name] = action
            # No mnemonics on the buttons: each has its shortcut (Ins, Del, Ctrl+K …), and
            # the editors' fields need the letters.
            button = QPushButton(text)
            button.setAutoDefault(False)  # Enter in a field stores it, never adds a node
            button.setToolTip(action.toolTip())
            button.clicked.connect(action.trigger)
            (adds if name.startswith("add_") else others).addWidget(button)
            self.buttons[name] = button
        # Insert and Delete belong to the tree (a text field keeps its own keys there).
        for name in ("add_item", "remove", "up", "down"):
            self.actions[name].setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.tree.addAction(self.actions[name])
        for name in ("add_pillar", "add_section", "add_kpi", "move_to", "targets"):
            self.actions[name].setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(self.actions[name])
        # Ctrl+Z / Ctrl+Y here too: the one undo stack of the window and this one.
        stack = controller.undo_stack
        self.undo_action = stack.createUndoAction(self, self.tr("&Undo"))
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = stack.createRedoAction(self, self.tr("&Redo"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        for action, step in ((self.undo_action, stack.undo), (self.redo_action, stack.redo)):
            action.triggered.disconnect()  # the stack's own: its refusals would go elsewhere
            action.triggered.connect(lambda _on=False, run=step: self._saying(run))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(adds)
        left_layout.addLayout(others)
        left_layout.addWidget(self.tree)
        self._add_report_layout(left_layout)

        self.node_editor = NodeEditor(self.presenter)
        self.kpi_editor = KpiEditor(self.presenter)
        self.node_editor.saying = self.kpi_editor.saying = self._saying
        self.empty = QLabel(self.tr("Choose a section or a KPI on the left."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        for page in (self.empty, self.node_editor, self.kpi_editor):
            self.stack.addWidget(page)
        # The place where other planning widgets join (approval, targets, reference).
        self.tabs = QTabWidget()
        self.tabs.setObjectName("planTabs")
        self.tabs.addTab(self.stack, self.tr("Details"))
        self.approval_tab = LazyTab(lambda: approval_widget(controller))
        self.approval_tab.setObjectName("planApprovalTab")
        self.reference_tab = LazyTab(lambda: reference_widget(controller))
        self.reference_tab.setObjectName("planReferenceTab")
        self.add_tab(self.approval_tab, self.tr("Approval"))
        self.add_tab(self.reference_tab, self.tr("Reference figures"))

        self.targets_window: BranchTargetsWindow | None = None
        self.mode = QLabel()
        self.mode.setObjectName("planMode")
        self.mode.setWordWrap(True)
        self.mode.setStyleSheet("color: #1b5e8c; padding: 2px 0;")
        # Ctrl+Tab / Ctrl+Shift+Tab from anywhere in the window: a table in a tab keeps
        # the key to itself otherwise, and the tabs could not be left from the keyboard.
        for keys, step in (("Ctrl+Tab", 1), ("Ctrl+Shift+Tab", -1)):
            turn = QAction(self)
            turn.setShortcut(QKeySequence(keys))
            turn.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            turn.triggered.connect(lambda _on=False, by=step: self.turn_tab(by))
            self.addAction(turn)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(1, 2)
        # The tabs get the room: the reference figures are a table seven columns wide.
        splitter.setSizes([440, 960])
        self.message = QLabel()
        self.message.setObjectName("planMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #a01818;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.mode)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)

        controller.changed.connect(self._on_changed)
        controller.reportLoaded.connect(self.reload)
        self.reload()

    def _add_report_layout(self, layout: QVBoxLayout) -> None:
        """How the report is organised (by tree or by group), under the tree."""
        self.report_layout = ReportLayoutBox(self.controller)
        layout.addWidget(self.report_layout)

    def turn_tab(self, step: int) -> None:
        """The next (+1) or previous (-1) tab shown, round."""
        shown = [i for i in range(self.tabs.count()) if self.tabs.isTabVisible(i)]
        if not shown:
            return
        at = shown.index(self.tabs.currentIndex()) if self.tabs.currentIndex() in shown else 0
        self.tabs.setCurrentIndex(shown[(at + step) % len(shown)])

    def add_tab(self, widget: QWidget, title: str) -> int:
        """Another planning view beside the details (the lead wires them in)."""
        return self.tabs.addTab(widget, title)

    # --- the tree --------------------------------------------------------------------------------

    def reload(self) -> None:
        snap = self.controller.snapshot
        if snap is None:
            return
        hq = not self.presenter.is_branch
        if hq:
            self.setWindowTitle(
                self.tr("Edit HQ template — FY{year} — {title}").format(
                    year=snap.ref.fiscal_year, title=snap.plan.title
                )
            )
        else:
            self.setWindowTitle(self.tr("Edit plan — {title}").format(title=snap.plan.title))
        # HQ's template is every branch's framework: HQ's own controls show with it, and
        # a branch's approval and reference figures do not (the template has neither).
        self.mode.setText(
            self.tr(
                "HQ template: the tree, the texts and the KPI definitions every branch's plan "
                "is made from. Targets per branch (Ctrl+T) hands each branch its own targets."
            )
            if hq
            else self.tr(
                "Branch plan: write the plan texts and targets; add your own sections, items "
                "and KPIs where HQ's template allows them (【支部独自】)."
            )
        )
        for name in _HQ_ONLY:
            self.buttons[name].setVisible(hq)
        for tab in (self.approval_tab, self.reference_tab):
            self.tabs.setTabVisible(self.tabs.indexOf(tab), not hq)
        selected = self.selected()
        self.tree.clear()
        self._items: dict[str, QTreeWidgetItem] = {}
        self._add(None, self.tree.invisibleRootItem())
        self.tree.expandAll()
        self.select(selected[1] if selected else None)

    def _add(self, parent_key: str | None, parent: QTreeWidgetItem) -> None:
        plan = self.presenter.plan
        for node in plan.children(parent_key):
            item = QTreeWidgetItem([self._node_text(node)])
            item.setData(0, KEY_ROLE, node.key)
            item.setData(0, KIND_ROLE, "node")
            parent.addChild(item)
            self._items[node.key] = item
            for kpi in plan.kpis_of(node.key):
                k = QTreeWidgetItem([self._kpi_text(kpi)])
                k.setData(0, KEY_ROLE, kpi.key)
                k.setData(0, KIND_ROLE, "kpi")
                k.setForeground(0, Qt.GlobalColor.darkBlue)
                item.addChild(k)
                self._items[kpi.key] = k
            self._add(node.key, item)

    def _node_text(self, node: PlanNode) -> str:
        text = node.display_title
        if node.own:
            text += "  " + self.tr("[own]")
        return text

    def _kpi_text(self, kpi: Kpi) -> str:
        text = f"KPI {kpi.label}{kpi.name}"
        if kpi.own:
            text += "  " + self.tr("[own]")
        return text

    def item_text(self, key: str) -> str | None:
        """What the tree shows for node or KPI ``key`` (None: not in the plan)."""
        item = self._items.get(key)
        return item.text(0) if item is not None else None

    def selected(self) -> tuple[str, str] | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        return item.data(0, KIND_ROLE), item.data(0, KEY_ROLE)

    def select(self, key: str | None) -> bool:
        item = self._items.get(key) if key else None
        if item is None:
            self._show_selected()
            return False
        self.tree.setCurrentItem(item)
        self.tree.scrollToItem(item)
        self._show_selected()
        return True

    def _show_selected(self) -> None:
        chosen = self.selected()
        node = self.presenter.node(chosen[1]) if chosen and chosen[0] == "node" else None
        kpi = self.presenter.kpi(chosen[1]) if chosen and chosen[0] == "kpi" else None
        if node is not None:
            self.node_editor.show_node(node)
            self.stack.setCurrentWidget(self.node_editor)
        elif kpi is not None:
            self.kpi_editor.show_kpi(kpi)
            self.stack.setCurrentWidget(self.kpi_editor)
        else:
            self.stack.setCurrentWidget(self.empty)
        self._enable(node, kpi)

    def _enable(self, node: PlanNode | None, kpi: Kpi | None) -> None:
        key = node.key if node else (kpi.key if kpi else None)
        for name in _HQ_ONLY:
            self.actions[name].setEnabled(not self.presenter.is_branch)
        pillar = self._pillar_of(node) if node else None
        self.actions["add_section"].setEnabled(self.presenter.may_add_under(pillar))
        self.actions["add_item"].setEnabled(
            node is not None and self.presenter.may_add_under(node.key)
        )
        kpi_home = node.key if node else (kpi.node_key if kpi else None)
        self.actions["add_kpi"].setEnabled(
            kpi_home is not None and self.presenter.may_add_under(kpi_home)
        )
        movable = key is not None and self.presenter.may_restructure(key)
        for name in ("up", "down", "remove"):
            self.actions[name].setEnabled(movable)
        # A pillar has no place above it to go to; a KPI moves among its node's only.
        self.actions["move_to"].setEnabled(
            movable and node is not None and node.level is not Level.PILLAR
        )

    def _pillar_of(self, node: PlanNode) -> str | None:
        current: PlanNode | None = node
        while current is not None and current.level is not Level.PILLAR:
            current = self.presenter.node(current.parent_key) if current.parent_key else None
        return current.key if current else None

    # --- what changed ------------------------------------------------------------------------------

    def _on_changed(self, changes: Changes) -> None:
        snap = self.controller.snapshot
        if snap is None:
            return
        self.message.clear()
        if changes.replaces(snap.ref):
            self.reload()
        else:
            self._show_selected()

    def _saying(self, run: Callable[[], T]) -> T:
        """Run what the person asked for here; a refusal is said in the message line
        below (the tabs with a line of their own say theirs there: once, never both)."""
        with self.controller.refusals_to(self.message.setText):
            return run()

    # --- the actions ---------------------------------------------------------------------------------

    def _flush(self) -> None:
        self.node_editor.flush()
        self.kpi_editor.flush()

    def _focus_title(self, editor: QLineEdit) -> None:
        editor.setFocus(Qt.FocusReason.OtherFocusReason)
        editor.selectAll()

    def add_pillar(self) -> str | None:
        """HQ's template: a new pillar (柱) last, its title to type."""
        if self.presenter.is_branch:  # the action is off; said, should it run anyway
            self.message.setText(self.tr("Only HQ's template can have pillars added."))
            return None
        return self._add_node(None, self.tr("New pillar"))

    def show_branch_targets(self) -> QWidget | None:
        """HQ's grid of targets per branch × KPI for this template's year (one window,
        raised again)."""
        from desktop.ui.branch_targets_grid import BranchTargetsWindow

        if self.presenter.is_branch:
            self.message.setText(self.tr("Targets per branch belong to HQ's template."))
            return None
        self._flush()  # a KPI just typed is a column of the grid
        year = self.presenter.ref.fiscal_year
        window = self.targets_window
        # The grid's columns are the template's KPIs as read: built again after they changed.
        if window is None or list(window.model.kpis) != list(self.presenter.plan.kpis):
            if window is not None:
                window.close()
            window = self.targets_window = BranchTargetsWindow(self.controller, year, self)
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def add_section(self) -> str | None:
        """A new section under the selected node's pillar (last), its title to type."""
        chosen = self.selected()
        node = self.presenter.node(chosen[1]) if chosen and chosen[0] == "node" else None
        pillar = self._pillar_of(node) if node else None
        if pillar is None:
            return None
        return self._add_node(pillar, self.tr("New section"))

    def add_item(self) -> str | None:
        """A new item under the selected node (a section under a pillar)."""
        chosen = self.selected()
        if not chosen or chosen[0] != "node":
            return None
        return self._add_node(chosen[1], self.tr("New item"))

    def _add_node(self, parent: str | None, title: str) -> str | None:
        self._flush()
        key = self.presenter.add_node(parent, title)
        if key is not None and self.select(key):
            self._focus_title(self.node_editor.title)
        return key

    def add_kpi(self) -> str | None:
        chosen = self.selected()
        if not chosen:
            return None
        kpi = self.presenter.kpi(chosen[1]) if chosen[0] == "kpi" else None
        node_key = kpi.node_key if kpi else chosen[1]
        self._flush()
        key = self.presenter.add_kpi(node_key, KpiDraft(name=self.tr("New KPI")))
        if key is not None and self.select(key):
            self._focus_title(self.kpi_editor.name)
        return key

    def move(self, step: int) -> bool:
        chosen = self.selected()
        if not chosen:
            return False
        self._flush()
        moved = self.presenter.move(chosen[0], chosen[1], step)
        self.select(chosen[1])
        self.tree.setFocus()
        return moved

    def move_to(self) -> bool:
        """Move the selected node (with all under it) under another node, chosen in a
        dialog: one undoable step; it stays selected. A refusal is said in the line."""
        chosen = self.selected()
        node = self.presenter.node(chosen[1]) if chosen and chosen[0] == "node" else None
        if node is None:
            return False
        self._flush()
        parent = self.choose_place(node, self.presenter.new_parents(node.key))
        # Said in the line also when run other than by the action (which is off for
        # what is not the branch's to move).
        moved = parent is not None and self._saying(
            lambda: self.presenter.move_under(node.key, parent)
        )
        self.select(node.key)
        self.tree.setFocus()
        return moved

    def choose_place(self, node: PlanNode, places: list[PlanNode]) -> str | None:
        """The new parent the person chooses for ``node`` (None: cancelled)."""
        from desktop.ui.plan_move_dialog import MoveToDialog

        dialog = MoveToDialog(node, places, self)
        try:
            return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

    def remove(self) -> bool:
        chosen = self.selected()
        if not chosen:
            return False
        self._flush()
        kind, key = chosen
        preview = self.presenter.removal_preview(kind, key)
        if preview is None:
            return False
        lang = self.controller.lang
        if preview.refusal is not None:
            self.message.setText(preview.refusal.get(lang))
            return False
        if not self.confirm(preview.text.get(lang)):
            return False
        siblings = self._neighbour(key)
        if not self.presenter.remove(kind, key):
            return False
        self.select(siblings)
        self.tree.setFocus()
        return True

    def confirm(self, text: str) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Remove"),
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _neighbour(self, key: str) -> str | None:
        item = self._items.get(key)
        if item is None:
            return None
        other = self.tree.itemAbove(item) or self.tree.itemBelow(item)
        return other.data(0, KEY_ROLE) if other is not None else None

    def closeEvent(self, event: QCloseEvent) -> None:
        self._flush()
        super().closeEvent(event)

    def done(self, result: int) -> None:
        self._flush()  # Escape closes the window: what was typed is stored first
        super().done(result)
