"""How the plan's report is organised, in the planning window (issue 16 item 2): by
the plan's tree or by responsible group, and by group whether the printed numbers
restart in each group. Written through the controller (one undo step each), the
services' plan_editing.set_report_layout; an item's place in the report by group
is the node editor's field."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QGroupBox, QWidget

from desktop.domain.model import ReportAxis
from desktop.services import plan_editing
from desktop.ui.controller import EditPlace, ReportController


class ReportLayoutBox(QGroupBox):
    """The report's axis and numbering of the plan the controller shows."""

    def __init__(self, controller: ReportController, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Report layout"), parent)
        self.setObjectName("reportLayoutBox")
        self.controller = controller
        self.axis = QComboBox()
        self.axis.setObjectName("reportAxis")
        self.axis.addItem(self.tr("By the plan's tree"), ReportAxis.TREE.value)
        self.axis.addItem(self.tr("By responsible group"), ReportAxis.GROUP.value)
        self.per_group = QCheckBox(self.tr("Numbers restart in each group (①, ② …)"))
        self.per_group.setObjectName("numberPerGroup")
        form = QFormLayout(self)
        form.addRow(self.tr("Report &layout:"), self.axis)
        form.addRow(self.per_group)
        self.axis.activated.connect(lambda _i: self._store())
        self.per_group.clicked.connect(lambda _c: self._store())
        controller.changed.connect(lambda _c: self.show_plan())
        controller.reportLoaded.connect(self.show_plan)
        self.show_plan()

    def show_plan(self) -> None:
        snap = self.controller.snapshot
        if snap is None:
            return
        with QSignalBlocker(self.axis), QSignalBlocker(self.per_group):
            self.axis.setCurrentIndex(max(self.axis.findData(snap.plan.report_axis.value), 0))
            self.per_group.setChecked(snap.plan.number_per_group)
        self.per_group.setEnabled(snap.plan.report_axis is ReportAxis.GROUP)

    def _store(self) -> bool:
        snap = self.controller.snapshot
        if snap is None:
            return False
        old = (snap.plan.report_axis, snap.plan.number_per_group)
        new = (ReportAxis(self.axis.currentData()), self.per_group.isChecked())
        if new == old:
            return True
        if not self._write(*new)():
            self.show_plan()  # refused (said on ``failed``): show what is stored
            return False
        self.controller.push_edit(
            self.tr("report layout"),
            EditPlace("", "structure"),
            self._write(*old),
            self._write(*new),
        )
        return True

    def _write(self, axis: ReportAxis, per_group: bool) -> Callable[[], bool]:
        def write() -> bool:
            snap = self.controller.snapshot
            if snap is None:
                return False
            ref, actor = snap.ref, self.controller.actor
            done = self.controller.attempt(
                lambda db: plan_editing.set_report_layout(
                    db, ref, axis=axis, number_per_group=per_group, actor=actor
                ),
                undoable=True,
            )
            return done is not None

        return write
