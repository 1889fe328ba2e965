"""Charts over many KPIs: statuses per pillar or section, and a KPI across fiscal years."""

from __future__ import annotations

from decimal import Decimal

import pyqtgraph as pg

from desktop.domain.achievement import Status, format_value
from desktop.domain.model import Kpi
from desktop.domain.series import Point, StatusCounts, YearValue
from desktop.ui.kpi_chart import ACTUAL, TARGET, ChartBase
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


class StatusBarsChart(ChartBase):
    """Stacked bars: how many KPIs of each pillar (or section) stand where."""

    def set_counts(self, groups: list[StatusCounts], lang: str = "ja") -> None:
        # Most edits change no status: then there is nothing to redraw.
        if self._unchanged((groups, lang)):
            return
        self._reset(self.tr("KPI status per pillar") if groups else "")
        self.legend.setColumnCount(3)
        self.axis.set_labels([(i, _short(g.label, 9)) for i, g in enumerate(groups, start=1)])
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
            self.legend.addItem(bars, f"{status_symbol(status)} {status.label(lang)}")
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
        self.plot.setXRange(0.4, len(groups) + 0.6, padding=0)
        # Headroom above the tallest bar keeps the legend clear of the bars.
        self.plot.setYRange(0, max(bottoms, default=1) * 1.6 + 0.5, padding=0)


class YearOverYearChart(ChartBase):
    """One KPI's reported figure in every stored fiscal year, with each year's target."""

    def set_years(self, kpi: Kpi, years: list[YearValue], lang: str = "ja") -> None:
        if self._unchanged((kpi, years, lang)):
            return
        title = self.tr("{kpi}: year over year").format(kpi=f"{kpi.label}{kpi.name}")
        self._reset(title)
        self.axis.set_labels([(i, y.label) for i, y in enumerate(years, start=1)])
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
            self.legend.addItem(bars, self.tr("Reported figure"))
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
            self.legend.addItem(marks, self.tr("Target"))
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
        self.plot.setXRange(0.4, len(years) + 0.6, padding=0)
        self.plot.enableAutoRange(axis="y")
        self.plot.getPlotItem().getViewBox().setLimits(yMin=0)


def _short(label: str, width: int = 12) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


__all__ = ["STATUS_BAR", "StatusBarsChart", "YearOverYearChart"]
