"""A KPI's chart: this year's monthly figures against target, pace and last year.

It draws a domain ``KpiSeries`` as it is. Decimals become floats only here,
as pixel positions; every text a person reads (hover, legend, target label)
is formatted from the Decimal by the domain.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QPointF, Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QPushButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import UserError
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


class MonthAxis(pg.AxisItem):
    """Fiscal months labelled 'R6.4' … 'R7.3' (or fiscal years)."""

    def set_labels(self, labels: list[tuple[int, str]]) -> None:
        self.setTicks([labels, []])


class ChartBase(QWidget):
    """A titled pyqtgraph plot with hover texts for its points and PNG export."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.axis = MonthAxis(orientation="bottom")
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
        self.legend = self.plot.addLegend(offset=(8, 8), labelTextSize="9pt")
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

    def _reset(self, title: str) -> None:
        self.plot.clear()
        self.plot.addItem(self.grid, ignoreBounds=True)  # clear() took the guide lines too
        self.legend.clear()
        self.title.setText(title)
        self._points = []

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
        self._legend_names: tuple[str, ...] = ()
        self.clear()

    def clear(self, message: str = "") -> None:
        self.title.setText(message)
        self._points = []
        for item, _name in self._items.values():
            item.setData([], [])
            item.hide()
        for scatter in (self._ring, self._national):
            scatter.setData([], [])
            scatter.hide()
        self._note.hide()
        self._set_legend(())

    def set_series(self, s: KpiSeries) -> None:
        """Show a series (a dozen points per line: cheap enough for every keystroke)."""
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
        self._set_legend(tuple(shown))
        if s.qualitative:
            self.plot.setYRange(0, 1)
        else:
            self.plot.enableAutoRange(axis="y")

    def _set_legend(self, shown: tuple[tuple[pg.GraphicsObject, str], ...]) -> None:
        names = tuple(name for _item, name in shown)
        if names == self._legend_names:
            return
        self.legend.clear()
        for item, name in shown:
            self.legend.addItem(item, name)
        self._legend_names = names

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


def export_button(chart: ChartBase, parent: QWidget, suggest: Callable[[], str]) -> QPushButton:
    """A 'Save as PNG…' button for a chart."""
    translate = QCoreApplication.translate
    button = QPushButton(translate("ChartExport", "Save as PNG…"))
    button.setObjectName("exportPng")

    def export() -> None:
        path, _ = QFileDialog.getSaveFileName(
            parent,
            translate("ChartExport", "Save chart"),
            suggest(),
            translate("ChartExport", "PNG image (*.png)"),
        )
        if not path:
            return
        if not path.lower().endswith(".png"):
            path += ".png"
        try:
            chart.export_png(path)
        except UserError as exc:
            parent.window().statusBar().showMessage(exc.message(), 8000)  # type: ignore[attr-defined]

    button.clicked.connect(export)
    return button
