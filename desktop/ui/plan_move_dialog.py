"""The planning window's "Move to…" (Ctrl+Shift+M): where in the tree a node may go.

The places listed are the plan's nodes of a level above the node's own, as a tree by
printed number and title; the present parent shows but cannot be chosen. Whether a
branch may put its item there is not decided here: the service refuses, and the
planning window says why in its message line.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.model import PlanNode

KEY_ROLE = Qt.ItemDataRole.UserRole


class MoveToDialog(QDialog):
    """Choose the new parent of ``node`` among ``places`` (in the tree's order)."""

    def __init__(
        self, node: PlanNode, places: list[PlanNode], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("moveToDialog")
        self.setWindowTitle(self.tr("Move to"))
        self.resize(520, 420)
        prompt = QLabel(self.tr("Move “{what}” (with all under it) to the end of:").format(
            what=node.display_title
        ))  # fmt: skip
        prompt.setWordWrap(True)
        self.places = QTreeWidget()
        self.places.setObjectName("movePlaces")
        self.places.setHeaderHidden(True)
        prompt.setBuddy(self.places)
        items: dict[str, QTreeWidgetItem] = {}
        for place in places:
            text = place.display_title
            if place.key == node.parent_key:
                text += "  " + self.tr("(here now)")
            item = QTreeWidgetItem([text])
            item.setData(0, KEY_ROLE, place.key)
            if place.key == node.parent_key:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            above = items.get(place.parent_key or "")
            if above is not None:
                above.addChild(item)
            else:
                self.places.addTopLevelItem(item)
            items[place.key] = item
        self.places.expandAll()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Move"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.places.itemActivated.connect(lambda _item, _col: self._accept_chosen())
        self.places.currentItemChanged.connect(lambda _c, _p: self._enable())
        layout = QVBoxLayout(self)
        layout.addWidget(prompt)
        layout.addWidget(self.places, 1)
        layout.addWidget(self.buttons)
        # Start on the first place that can be chosen (the present parent cannot).
        first = next((i for i in items.values() if i.flags() & Qt.ItemFlag.ItemIsEnabled), None)
        if first is not None:
            self.places.setCurrentItem(first)
        self._enable()
        self.places.setFocus()

    def chosen(self) -> str | None:
        """The key of the place chosen (None: none that can be chosen)."""
        item = self.places.currentItem()
        if item is None or not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            return None
        return item.data(0, KEY_ROLE)

    def _enable(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.chosen() is not None)

    def _accept_chosen(self) -> None:
        if self.chosen() is not None:
            self.accept()
