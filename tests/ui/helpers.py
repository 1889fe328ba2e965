"""What the window tests share: typing as a person does (Japanese arrives as input-method
commits: qtbot.keyClicks with non-ASCII text aborts the process, a Qt assertion), picking
from a combo box, answering a modal dialog once it is on screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QWidget

from desktop.domain.model import PeriodKind
from desktop.services.editing import ReportRef

REF = ReportRef("13", 2024, PeriodKind.MIDYEAR)
RECEIPT = "1.II.4"  # （４）レセプト点検の精度向上

W = TypeVar("W", bound=QWidget)


def commit_text(widget: QWidget, text: str) -> None:
    """Type text as an IME commit (how Japanese input arrives)."""
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def preedit(widget: QWidget, text: str) -> None:
    """A composition in progress: the reading typed so far, not yet committed."""
    QApplication.sendEvent(widget, QInputMethodEvent(text, []))


def receipt_item(window: Any) -> str:
    """The first item under （４）レセプト点検の精度向上: it carries a status text."""
    children = window.controller.snapshot.plan.children(RECEIPT)
    return children[0].key if children else RECEIPT


_CURRENT = object()


def choose(combo: QComboBox, data: object = _CURRENT) -> None:
    """Pick the item holding ``data`` (the current item when not given) as a person
    does: the selection changes, then ``activated`` says someone chose it."""
    if data is _CURRENT:
        index = combo.currentIndex()
    else:
        index = next((i for i in range(combo.count()) if combo.itemData(i) == data), -1)
    assert index >= 0, f"{data!r} is not offered"
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def when_shown(kind: type[W], answer: Callable[[W], None]) -> None:
    """Answer the next ``kind`` window (a modal dialog) once it is visible: looks on
    every turn of the event loop until then, so no fixed delay decides it."""

    def look() -> None:
        shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
        if not shown:
            QTimer.singleShot(0, look)
            return
        answer(shown[0])

    QTimer.singleShot(0, look)


def places_saying(text: str) -> list[str]:
    """Every place on screen that says ``text``: labels and status bars (a window's
    children include the windows it owns: each label counted once)."""
    labels: dict[int, QLabel] = {}
    places = []
    for top in QApplication.topLevelWidgets():
        if not top.isVisible():
            continue
        labels |= {id(label): label for label in top.findChildren(QLabel)}
        bar = getattr(top, "statusBar", None)
        if bar is not None and text in bar().currentMessage():
            places.append(f"{top.objectName()} status bar")
    for label in labels.values():
        if label.isVisible() and text in label.text():
            places.append(label.objectName() or type(label).__name__)
    return places
