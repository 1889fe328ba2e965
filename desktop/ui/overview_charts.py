"""Charts over many KPIs: statuses per pillar or section, and a KPI across fiscal years."""

from __future__ import annotations

from decimal import Decimal

import pyqtgraph as pg
from PySide6.QtGui import QFontMetrics

from desktop.domain.achievement import Status, format_value
from desktop.domain.model import Kpi
from desktop.domain.series import Point, StatusCounts, YearValue, value_range
from desktop.ui.kpi_chart import ACTUAL, TARGET, ChartBase, MonthAxis
from desktop.ui.status_style import status_symbol

# Strong Okabe–Ito colours for bars (the grid uses pale tints of the same hues).
STATUS_BAR = {
    Status.MET: "#56B4E9",
    Status.ON_PACE: "#009E73",
    Status.BEHIND_PACE: "#E69F00",
    Status.NOT_MET: "#D55E00",
    Status.TARGET_UNKNOWN: "#999999",
    Status.NO_DATA: "#dddddd",
}


MAX_LABEL_LINES = 4


def wrap_label(text: str, metrics: QFontMetrics, width: int) -> list[str]:
    """Lines of at most ``width`` pixels: Japanese breaks between any two characters,
    words at spaces; a line never ends up empty."""
    lines: list[str] = []
    line = ""
    for char in text:
        if line and metrics.horizontalAdvance(line + char) > width:
            cut = line.rfind(" ")
            if 0 < cut < len(line) - 1 and char != " ":
                lines.append(line[:cut])
                line = line[cut + 1 :]
            else:
                lines.append(line.rstrip())
                line = ""
            if char == " ":
                continue
        line += char
    if line.strip():
        lines.append(line)
    return lines


class WrappingAxis(MonthAxis):
    """Category labels (pillar titles) wrapped onto as many lines as their slot needs:
    cut to nine characters they could not be told apart."""

    def fit(self) -> None:
        slot = self._slot() - 8
        if slot <= 0:  # not laid out yet: the next resize wraps them
            self.setTicks([self._full, []])
            return
        if slot == self._step:
            return
        self._step = slot
        metrics = QFontMetrics(self.style["tickFont"] or self.font())
        wrapped = [(x, wrap_label(text, metrics, slot)) for x, text in self._full]
        self.setTicks([[(x, "\n".join(lines)) for x, lines in wrapped], []])
        rows = min(max((len(lines) for _x, lines in wrapped), default=1), MAX_LABEL_LINES)
        self.setHeight(rows * metrics.lineSpacing() + self.style["tickTextOffset"][1] + 6)


class StatusBarsChart(ChartBase):
    """Stacked bars: how many KPIs of each pillar (or section) stand where."""

    def __init__(self, parent: object = None) -> None:
        super().__init__(parent, axis=WrappingAxis())

    def set_counts(self, groups: list[StatusCounts], lang: str = "ja") -> None:
        # Most edits change no status: then there is nothing to redraw.
        if self._unchanged((groups, lang)):
            return
        self._reset(self.tr("KPI status per pillar") if groups else "")
        self.plot.setXRange(0.4, len(groups) + 0.6, padding=0)
        self.axis.set_labels([(i, g.label) for i, g in enumerate(groups, start=1)])
        legend = []
        bottoms = [0] * len(groups)
        for status in STATUS_BAR:
            heights = [g.counts.get(status, 0) for g in groups]
            if not any(heights):
                continue
            bars = pg.BarGraphItem(
                x=list(range(1, len(groups) + 1)),
                height=heights,
                y0=list(bottoms),
                width=0.6,
                brush=pg.mkBrush(STATUS_BAR[status]),
                pen=pg.mkPen("w"),
            )
            self.plot.addItem(bars)
            legend.append((bars, f"{status_symbol(status)} {status.label(lang)}"))
            for i, (g, h) in enumerate(zip(groups, heights, strict=True)):
                if h:
                    # Hover at the middle of the segment.
                    self._points.append(
                        Point(
                            i + 1,
                            Decimal(bottoms[i]) + Decimal(h) / 2,
                            f"{g.label}: {status.label(lang)} {h}",
                        )
                    )
            bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
        self.legend.set_entries(tuple(legend))
        # Counts start at zero; the legend is above the plot, so no headroom for it.
        self.set_value_range(value_range([Decimal(0), Decimal(max(bottoms, default=1))]))


class YearOverYearChart(ChartBase):
    """One KPI's reported figure in every stored fiscal year, with each year's target."""

    def set_years(self, kpi: Kpi, years: list[YearValue], lang: str = "ja") -> None:
        if self._unchanged((kpi, years, lang)):
            return
        title = self.tr("{kpi}: year over year").format(kpi=f"{kpi.label}{kpi.name}")
        self._reset(title)
        self.axis.set_labels([(i, y.label) for i, y in enumerate(years, start=1)])
        legend = []
        xs = [i for i, y in enumerate(years, start=1) if y.value is not None]
        values = [y for y in years if y.value is not None]
        if values:
            bars = pg.BarGraphItem(
                x=xs,
                height=[float(y.value) for y in values if y.value is not None],
                width=0.5,
                brush=pg.mkBrush(ACTUAL),
                pen=pg.mkPen("w"),
            )
            self.plot.addItem(bars)
            legend.append((bars, self.tr("Reported figure")))
        targets = [(i, y) for i, y in enumerate(years, start=1) if y.target is not None]
        if targets:
            marks = pg.ScatterPlotItem(
                [i for i, _y in targets],
                [float(y.target) for _i, y in targets if y.target is not None],
                symbol="_",
                size=30,
                pen=pg.mkPen(TARGET, width=3),
            )
            self.plot.addItem(marks)
            legend.append((marks, self.tr("Target")))
        for i, y in enumerate(years, start=1):
            if y.value is not None:
                when = ""
                if y.as_of is not None:
                    when = (
                        f"（{y.as_of.era_label()}時点）" if lang == "ja" else f" ({y.as_of.iso()})"
                    )
                self._points.append(Point(i, y.value, f"{y.label}: {y.value_text}{when}"))
            if y.target is not None:
                label = "目標" if lang == "ja" else "target"
                self._points.append(
                    Point(i, y.target, f"{y.label} {label}: {format_value(kpi, y.target)}")
                )
        self.legend.set_entries(tuple(legend))
        self.plot.setXRange(0.4, len(years) + 0.6, padding=0)
        # Bars stand on zero; the range takes in every figure and target with room.
        figures = [v for y in years for v in (y.value, y.target) if v is not None]
        self.set_value_range(value_range([Decimal(0), *figures]) if figures else None)


__all__ = ["STATUS_BAR", "StatusBarsChart", "WrappingAxis", "YearOverYearChart", "wrap_label"]
