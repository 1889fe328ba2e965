"""A KPI's chart: this year's monthly figures against target, pace and last year.

It draws a domain ``KpiSeries`` as it is. Decimals become floats only here,
as pixel positions; every text a person reads (hover, legend, target label)
is formatted from the Decimal by the domain.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyqtgraph as pg
from pyqtgraph.graphicsItems.ScatterPlotItem import drawSymbol
from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QLabel,
    QSizePolicy,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.series import KpiSeries, Point
from desktop.files import write_atomically

# Okabe–Ito colours: told apart with the common forms of colour blindness; the
# lines also differ in style (solid, dashed, dotted) and markers.
ACTUAL = "#0072B2"
TARGET = "#D55E00"
EXPECTED = "#009E73"
LAST_YEAR = "#7f7f7f"
NATIONAL = "#CC79A7"
GRID = "#dcdcdc"
HOVER_PIXELS = 12
# Room around the plot so the value axis's top and bottom labels, centred on
# their ticks, are never cut by the widget's edge.
PLOT_MARGINS = (4, 10, 12, 4)
# A KPI chart's value axis is at least as wide as this label (wider for longer ones).
VALUE_AXIS_ROOM = "0000.0"


class ChartLegend(QWidget):
    """The legend as a band above the plot, wrapping to as many rows as it needs.

    Inside the plot (pyqtgraph's place for it) it covered data points and was
    covered by the target marks; up here it never meets either.
    """

    SAMPLE = 24  # px of line sample before each name
    GAP = 16  # px between entries

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chartLegend")
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self._entries: tuple[tuple[pg.GraphicsObject, str], ...] = ()

    def set_entries(self, entries: tuple[tuple[pg.GraphicsObject, str], ...]) -> None:
        if [(id(i), n) for i, n in entries] == [(id(i), n) for i, n in self._entries]:
            return
        self._entries = entries
        self.updateGeometry()
        self.update()

    def names(self) -> list[str]:
        return [name for _item, name in self._entries]

    def _line_height(self) -> int:
        return max(QFontMetrics(self.font()).height(), 16) + 2

    def _places(self, width: int) -> list[QRect]:
        """Where each entry (sample and name) goes at this width."""
        metrics = QFontMetrics(self.font())
        places, x, y, line = [], 0, 0, self._line_height()
        for _item, name in self._entries:
            w = self.SAMPLE + 4 + metrics.horizontalAdvance(name)
            if x and x + w > width:
                x, y = 0, y + line
            places.append(QRect(x, y, w, line))
            x += w + self.GAP
        return places

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        places = self._places(max(width, 1))
        return places[-1].bottom() + 1 if places else 0

    def sizeHint(self) -> QSize:
        width = sum(p.width() + self.GAP for p in self._places(1 << 20))
        return QSize(width, self.heightForWidth(self.width() or width))

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self.heightForWidth(self.width()) if self._entries else 0)

    def entry_rects(self) -> list[QRect]:
        """Each entry's rectangle in this widget (for tests and accessibility)."""
        return self._places(self.width())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for (item, name), place in zip(self._entries, self._places(self.width()), strict=True):
            sample = QRectF(place.x(), place.y(), self.SAMPLE, place.height())
            _paint_sample(painter, item, sample)
            painter.setPen(self.palette().windowText().color())
            text = QRect(place.x() + self.SAMPLE + 4, place.y(), place.width(), place.height())
            painter.drawText(text, int(Qt.AlignmentFlag.AlignVCenter), name)
        painter.end()


def _paint_sample(p: QPainter, item: pg.GraphicsObject, rect: QRectF) -> None:
    """A short line / marker / bar the way the item draws itself in the plot."""
    middle = rect.center()
    p.save()
    if isinstance(item, pg.BarGraphItem):
        p.setPen(pg.mkPen(item.opts.get("pen")))
        p.setBrush(pg.mkBrush(item.opts.get("brush")))
        p.drawRect(QRectF(rect.left() + 4, middle.y() - 6, rect.width() - 8, 12))
    elif isinstance(item, pg.ScatterPlotItem):
        o = item.opts
        p.translate(middle)
        drawSymbol(p, o["symbol"], min(o["size"], rect.width() - 2), pg.mkPen(o["pen"]),
                   pg.mkBrush(o["brush"]))  # fmt: skip
    else:
        o = item.opts
        p.setPen(pg.mkPen(o["pen"]))
        p.drawLine(QPointF(rect.left(), middle.y()), QPointF(rect.right(), middle.y()))
        if o.get("symbol") is not None:
            p.translate(middle)
            drawSymbol(p, o["symbol"], o["symbolSize"], pg.mkPen(o["symbolPen"]),
                       pg.mkBrush(o["symbolBrush"]))  # fmt: skip
    p.restore()


class MonthAxis(pg.AxisItem):
    """Fiscal months labelled 'R6.4' … 'R7.3' (or fiscal years).

    Where the plot is too narrow for every label side by side ('R6.10R6.11'),
    every second (third, …) month keeps its label; each keeps its tick.
    """

    def __init__(self, orientation: str = "bottom") -> None:
        super().__init__(orientation=orientation)
        self._full: list[tuple[int, str]] = []
        self._drawn: list[tuple[float, str]] = []
        self._step = 0  # the layout drawn now (0: none yet); subclasses keep theirs here

    def setTicks(self, ticks: list[list[tuple[float, str]]] | None) -> None:
        super().setTicks(ticks)
        self._drawn = list(ticks[0]) if ticks else []

    def shown_labels(self) -> list[tuple[float, str]]:
        """The category labels drawn now, as (x, text); "" where a label gave way."""
        return list(self._drawn)

    def set_labels(self, labels: list[tuple[int, str]]) -> None:
        if labels == self._full and self._step:
            return  # the same axis: nothing to redraw (asked on every chart update)
        self._full = list(labels)
        self._step = 0
        self.fit()

    def _slot(self) -> int:
        """Pixels between two neighbouring categories (0 before the first layout)."""
        view = self.linkedView()
        if view is None:
            return 0
        (x0, x1), _y = view.viewRange()
        return int(view.width() / max(x1 - x0, 1e-9))

    def fit(self) -> None:
        """Label as many categories as fit (on every resize of the plot)."""
        slot = self._slot()
        metrics = QFontMetrics(self.style["tickFont"] or self.font())
        widest = max((metrics.horizontalAdvance(t) for _x, t in self._full), default=0)
        step = max(1, -(-(widest + 8) // slot)) if slot > 0 else 1
        if step == self._step:
            return
        self._step = step
        self.setTicks(
            [[(x, t if i % step == 0 else "") for i, (x, t) in enumerate(self._full)], []]
        )


class ChartBase(QWidget):
    """A titled pyqtgraph plot with hover texts for its points and PNG export."""

    value_axis_room = ""  # the narrowest label the value axis makes room for

    def __init__(self, parent: QWidget | None = None, axis: MonthAxis | None = None) -> None:
        super().__init__(parent)
        self.axis = axis or MonthAxis(orientation="bottom")
        self.plot = pg.PlotWidget(background="w", axisItems={"bottom": self.axis})
        self.plot.setObjectName("kpiPlot")
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        # Horizontal guide lines at the value ticks, drawn as one line item: pyqtgraph's
        # own grid is painted by the axis across the whole plot and cost ~15 ms per
        # redraw in the software raster (PERFORMANCE.md), this costs well under one.
        self.grid = pg.PlotCurveItem(pen=pg.mkPen(GRID, width=1), connect="pairs")
        self.grid.setZValue(-100)
        self.plot.addItem(self.grid, ignoreBounds=True)
        view = self.plot.getViewBox()
        view.sigRangeChanged.connect(self._update_grid)
        view.sigResized.connect(self._update_grid)
        view.sigResized.connect(lambda *_a: self.axis.fit())
        view.sigXRangeChanged.connect(lambda *_a: self.axis.fit())
        self.plot.getPlotItem().layout.setContentsMargins(*PLOT_MARGINS)
        self.legend = ChartLegend()
        self.title = QLabel()
        self.title.setObjectName("chartTitle")
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: 600;")
        self.hover_label = QLabel(" ")
        self.hover_label.setObjectName("chartHover")
        self.hover_label.setStyleSheet("color: #333;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.legend)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.hover_label)
        self._points: list[Point] = []
        self._shown: object = None
        self.plot.scene().sigMouseMoved.connect(self._mouse_moved)

    # --- drawing --------------------------------------------------------------------------

    def _unchanged(self, content: object) -> bool:
        """True when ``content`` is what is drawn already (then skip redrawing)."""
        if content == self._shown:
            return True
        self._shown = content
        return False

    def _update_grid(self, *_args: object) -> None:
        vb = self.plot.getViewBox()
        if vb.height() <= 0:
            return  # squeezed to nothing (a tiny window): no ticks to follow
        (x0, x1), (y0, y1) = vb.viewRange()
        axis = self.plot.getAxis("left")
        levels = axis.tickValues(y0, y1, vb.height())
        values = levels[0][1] if levels else []  # the labelled (major) ticks only
        xs: list[float] = []
        ys: list[float] = []
        for v in values:
            xs += [x0, x1]
            ys += [v, v]
        self.grid.setData(xs, ys, connect="pairs")
        self._fit_value_axis(axis, levels)

    def _fit_value_axis(self, axis: pg.AxisItem, levels: list) -> None:
        """Make the value axis as wide as its widest label, and never narrower than
        ``value_axis_room``.

        pyqtgraph skips any label wider than the axis and widens the axis only on
        the next paint: a chart grabbed or shown once had no value labels at all.
        The reserved room keeps the width the same from one KPI to the next ("0"…"8"
        or "96"…"100"): a new width resized the plot and every axis in it, and
        redrew the month axis, the largest part of a section switch.
        """
        font = axis.style["tickFont"] or self.plot.font()
        metrics = QFontMetrics(font)
        widest = metrics.horizontalAdvance(self.value_axis_room)
        for spacing, values in levels[:2]:
            for text in axis.tickStrings(values, axis.autoSIPrefixScale * axis.scale, spacing):
                widest = max(widest, metrics.horizontalAdvance(text))
        width = widest + axis.style["tickTextOffset"][0] + max(0, axis.style["tickLength"]) + 6
        if width != axis.fixedWidth:
            axis.setWidth(width)

    def _reset(self, title: str) -> None:
        self.plot.clear()
        self.plot.addItem(self.grid, ignoreBounds=True)  # clear() took the guide lines too
        self.legend.set_entries(())
        self.title.setText(title)
        self._points = []

    def set_value_range(self, bounds: tuple[Decimal, Decimal] | None) -> None:
        """Fix the value axis (from the domain's range), or fit the data when None."""
        if bounds is None:
            self.plot.enableAutoRange(axis="y")
        else:
            self.plot.setYRange(float(bounds[0]), float(bounds[1]), padding=0)

    def point_near(self, scene_pos: QPointF) -> Point | None:
        """The drawn point within a few pixels of a scene position."""
        vb = self.plot.getPlotItem().getViewBox()
        best, best_distance = None, float(HOVER_PIXELS)
        for p in self._points:
            at = vb.mapViewToScene(QPointF(p.x, float(p.value)))
            distance = ((at.x() - scene_pos.x()) ** 2 + (at.y() - scene_pos.y()) ** 2) ** 0.5
            if distance <= best_distance:
                best, best_distance = p, distance
        return best

    def _mouse_moved(self, scene_pos: QPointF) -> None:
        point = self.point_near(scene_pos)
        text = point.text if point else ""
        self.hover_label.setText(text or " ")
        if text:
            global_pos = self.plot.mapToGlobal(self.plot.mapFromScene(scene_pos))
            QToolTip.showText(global_pos, text, self.plot)

    def export_png(self, path: str | Path) -> Path:
        """The chart with its title as a PNG, written atomically."""
        pixmap = self.grab()

        def write(temp: Path) -> None:
            if pixmap.isNull() or not pixmap.save(str(temp), "PNG"):
                raise OSError(f"could not encode {path}")

        return write_atomically(path, write)


class KpiChart(ChartBase):
    """One KPI's chart: monthly figures, target, pace, last year, national average.

    Its plot items are made once and only given new data on each update, so
    that a typed value redraws in a few milliseconds (no item churn, and the
    legend is rebuilt only when the set of lines changes).
    """

    value_axis_room = VALUE_AXIS_ROOM  # one width from KPI to KPI: no relayout on a switch

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)

        def line(colour: str, style: Qt.PenStyle, symbol: str | None) -> pg.PlotDataItem:
            item = pg.PlotDataItem(
                pen=pg.mkPen(colour, width=2, style=style),
                symbol=symbol,
                symbolSize=7,
                symbolBrush=pg.mkBrush(colour),
                symbolPen=pg.mkPen("w"),
            )
            self.plot.addItem(item)
            return item

        # Back to front: reference lines under this year's figures.
        self._items: dict[str, tuple[pg.GraphicsObject, str]] = {
            "last_year": (line(LAST_YEAR, Qt.PenStyle.DashLine, "t"), self.tr("Last year")),
            "last_year_level": (line(LAST_YEAR, Qt.PenStyle.DashLine, None), self.tr("Last year")),
            "expected": (line(EXPECTED, Qt.PenStyle.DotLine, None), self.tr("Expected pace")),
            "target": (line(TARGET, Qt.PenStyle.DashLine, None), self.tr("Target")),
            "actual": (line(ACTUAL, Qt.PenStyle.SolidLine, "o"), self.tr("This year")),
        }
        self._ring = pg.ScatterPlotItem(
            size=16, pen=pg.mkPen(ACTUAL, width=2), brush=pg.mkBrush(255, 255, 255, 0)
        )
        self._national = pg.ScatterPlotItem(
            symbol="d", size=12, brush=pg.mkBrush(NATIONAL), pen=pg.mkPen("w")
        )
        self.plot.addItem(self._ring)
        self.plot.addItem(self._national)
        self._note = pg.TextItem(
            self.tr("Reported as done / not done: nothing to chart."), color="#555"
        )
        self.plot.addItem(self._note)
        self.clear()

    def clear(self, message: str = "") -> None:
        self.title.setText(message)
        self._points = []
        self._shown = None
        for item, _name in self._items.values():
            item.setData([], [])
            item.hide()
        for scatter in (self._ring, self._national):
            scatter.setData([], [])
            scatter.hide()
        self._note.hide()
        self.legend.set_entries(())

    def set_series(self, s: KpiSeries) -> None:
        """Show a series (a dozen points per line: cheap enough for every keystroke)."""
        if self._unchanged(s):
            return  # drawn already (a section switch asks twice: new grid row, new form)
        self.title.setText(s.title + (f"（{s.unit}）" if s.unit else ""))
        self.axis.set_labels(list(enumerate(s.axis_labels, start=1)))
        self.plot.setXRange(0.5, 12.5, padding=0)
        self._note.setVisible(s.qualitative)
        if s.qualitative:
            self._note.setPos(1, 0.5)
        data: dict[str, tuple[tuple[Point, ...], Decimal | None]] = {
            "last_year": (s.last_year, None),
            "last_year_level": ((), s.last_year_level),
            "expected": (s.expected, None),
            "target": ((), s.target),
            "actual": (s.actual, None),
        }
        self._points = []
        shown: list[tuple[pg.GraphicsObject, str]] = []
        for key, (item, name) in self._items.items():
            points, level = data[key]
            if points:
                item.setData([p.x for p in points], [float(p.value) for p in points])
                self._points.extend(points)
            elif level is not None:
                # A level is drawn across the year as a two-point line, so it joins the legend.
                item.setData([0.5, 12.5], [float(level), float(level)])
            else:
                item.setData([], [])
            visible = bool(points) or level is not None
            item.setVisible(visible)
            if visible:
                shown.append((item, name))
        self._ring.setVisible(s.reported is not None)
        if s.reported is not None:
            self._ring.setData([s.reported.x], [float(s.reported.value)])
        self._national.setVisible(s.national_average is not None)
        if s.national_average is not None:
            x = s.reported.x if s.reported else 12
            self._national.setData([x + 0.25], [float(s.national_average)])
            name = self.tr("National average")
            shown.append((self._national, name))
            self._points.append(Point(x, s.national_average, name))
        self.legend.set_entries(tuple(shown))
        if s.qualitative:
            self.plot.setYRange(0, 1, padding=0)
        else:
            self.set_value_range(s.value_range())
        # pyqtgraph applies a new range to its items only when the scene is about to
        # paint, and the items' updates from that land after the paint: the chart was
        # painted twice per switch. Applied now, the one paint shows the new range.
        self.plot.getViewBox().prepareForPaint()

    def line_data(self) -> dict[str, tuple[list[float], list[float]]]:
        """The lines drawn now, by legend name (for tests and accessibility)."""
        out = {}
        for item, name in self._items.values():
            if item.isVisible():
                xs, ys = item.getData()
                out[name] = (
                    [] if xs is None else [float(x) for x in xs],
                    [] if ys is None else [float(y) for y in ys],
                )
        return out
