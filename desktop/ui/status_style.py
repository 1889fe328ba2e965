"""How a status looks: a symbol and text always, colour only as a help.

Pale tints of the Okabe–Ito palette, which stays distinguishable for the
common forms of colour blindness.
"""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor

from desktop.domain.achievement import Status

_SYMBOLS = {
    Status.MET: "✔",
    Status.ON_PACE: "↗",
    Status.BEHIND_PACE: "↘",
    Status.NOT_MET: "✖",
    Status.TARGET_UNKNOWN: "？",
    Status.NO_DATA: "－",
    Status.REFERENCE: "◇",
}

_COLOURS = {
    Status.MET: "#d6ecf7",  # sky blue, pale
    Status.ON_PACE: "#d9f0e8",  # bluish green, pale
    Status.BEHIND_PACE: "#fdebc8",  # orange, pale
    Status.NOT_MET: "#f6dccd",  # vermillion, pale
    Status.TARGET_UNKNOWN: "#ececec",
    Status.NO_DATA: "#f7f7f7",
}


def status_symbol(status: Status) -> str:
    return _SYMBOLS[status]


def status_colour(status: Status) -> QColor:
    """A reference indicator (参考指標) is never judged: no colour (an invalid QColor)."""
    return QColor(_COLOURS[status]) if status in _COLOURS else QColor()


def status_brush(status: Status) -> QBrush:
    """The cell's tint; none (Qt.NoBrush) for a reference indicator."""
    if status not in _COLOURS:
        return QBrush()
    return QBrush(status_colour(status))
