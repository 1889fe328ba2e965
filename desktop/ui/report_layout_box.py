"""How the plan's report is organised, in the planning window (issue 16 item 2): by
the plan's tree or by responsible group, and by group whether the printed numbers
restart in each group. Written through the controller (one undo step each), the
services' plan_editing.set_report_layout; an item's place in the report by group
is the node editor's field. Also the print profile each period's report prints in
(issue 16 item 1: HQ's template chooses it; plan_editing.set_print_profiles)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QGroupBox, QWidget

from desktop.domain.model import ReportAxis
from desktop.domain.print_profiles import PROFILES, ReportProfiles
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
        self.midyear_profile = self._profile_combo("midyearProfile")
        self.annual_profile = self._profile_combo("annualProfile")
        form.addRow(self.tr("Mid-year report prints as (&Q):"), self.midyear_profile)
        form.addRow(self.tr("Annual report prints as (&X):"), self.annual_profile)
        self.axis.activated.connect(lambda _i: self._store())
        self.per_group.clicked.connect(lambda _c: self._store())
        self.midyear_profile.activated.connect(lambda _i: self._store_profiles())
        self.annual_profile.activated.connect(lambda _i: self._store_profiles())
        controller.changed.connect(lambda _c: self.show_plan())
        controller.reportLoaded.connect(self.show_plan)
        self.show_plan()

    def show_plan(self) -> None:
        snap = self.controller.snapshot
        if snap is None:
            return
        profiles = snap.plan.print_profiles
        with QSignalBlocker(self.axis), QSignalBlocker(self.per_group):
            self.axis.setCurrentIndex(max(self.axis.findData(snap.plan.report_axis.value), 0))
            self.per_group.setChecked(snap.plan.number_per_group)
        for combo, key in (
            (self.midyear_profile, profiles.midyear),
            (self.annual_profile, profiles.annual),
        ):
            with QSignalBlocker(combo):
                combo.setCurrentIndex(max(combo.findData(key), 0))
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

    def _profile_combo(self, name: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        lang = self.controller.lang
        for profile in PROFILES.values():
            combo.addItem(profile.name(lang), profile.key)
            combo.setItemData(combo.count() - 1, profile.name(lang), Qt.ItemDataRole.ToolTipRole)
        # The names are long: the box keeps its width, the tooltip and popup show them whole.
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(16)
        combo.view().setMinimumWidth(combo.view().sizeHintForColumn(0) + 24)
        return combo

    def _store_profiles(self) -> bool:
        snap = self.controller.snapshot
        if snap is None:
            return False
        old = snap.plan.print_profiles
        new = ReportProfiles(
            midyear=self.midyear_profile.currentData(), annual=self.annual_profile.currentData()
        )
        if new == old:
            return True
        if not self._write_profiles(new)():
            self.show_plan()
            return False
        self.controller.push_edit(
            self.tr("report print layout"),
            EditPlace("", "structure"),
            self._write_profiles(old),
            self._write_profiles(new),
        )
        return True

    def _write_profiles(self, profiles: ReportProfiles) -> Callable[[], bool]:
        def write() -> bool:
            snap = self.controller.snapshot
            if snap is None:
                return False
            ref, actor = snap.ref, self.controller.actor
            done = self.controller.attempt(
                lambda db: plan_editing.set_print_profiles(
                    db, ref, midyear=profiles.midyear, annual=profiles.annual, actor=actor
                ),
                undoable=True,
            )
            return done is not None

        return write
