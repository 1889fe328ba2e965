"""What every workbook prints beside a KPI: the figures people compare it with.

One builder for all of them — the submission, the work file and the template
(``print_sheets``, and so the PDF), and HQ's national workbook (``national``) —
so that no kind of file drops a figure another prints: 前年度実績 (also beside a
fixed target, where the target no longer shows it), 前々年度実績, the national
average and rank of this year and of last year, and the definition-change note
(算出方法の変更) with the figure by the old method.

Each figure comes as the number (for HQ's cells, written as numbers) and as
the words it prints in (for the report sheets and the PDF).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from desktop.domain.achievement import format_value
from desktop.domain.model import Benchmark, Kpi, Measurement

DEFINITION_CHANGED = "※算出方法の変更"


@dataclass(frozen=True, slots=True)
class Figure:
    """One reference figure: its number, its cell text, and how it reads in a line."""

    label: str  # 前年度実績
    value: Decimal | int
    text: str  # in a cell of its own column: "80.6％", "全国19位"
    words: str  # in a run of text: "前年度実績 80.6％", "全国19位"


def _figure(kpi: Kpi, label: str, value: Decimal | None) -> Figure | None:
    if value is None:
        return None
    text = format_value(kpi, value)
    return Figure(label, value, text, f"{label} {text}")


def _rank(label: str, rank: int | None, prefix: str = "") -> Figure | None:
    if rank is None:
        return None
    return Figure(label, rank, f"全国{rank}位", f"{prefix}全国{rank}位")


@dataclass(frozen=True, slots=True)
class KpiRow:
    """A KPI's reference figures as every workbook prints them (None: not held)."""

    kpi: Kpi
    last_year: Figure | None
    prior_year: Figure | None
    national_average: Figure | None  # this year's, as HQ published (or the branch typed)
    national_rank: Figure | None
    last_year_national_average: Figure | None
    last_year_national_rank: Figure | None
    old_method: Figure | None  # this period's figure by the old method (算出方法の変更)

    @property
    def national(self) -> tuple[Figure | None, Figure | None]:
        return self.national_average, self.national_rank

    def figures(self) -> tuple[Figure, ...]:
        """The figures held, in the order they print (the old-method figure aside:
        it prints with the actual)."""
        return tuple(
            f
            for f in (
                self.last_year,
                self.prior_year,
                self.national_average,
                self.national_rank,
                self.last_year_national_average,
                self.last_year_national_rank,
            )
            if f is not None
        )

    def lines(self) -> tuple[str, ...]:
        """The figures held as the lines under a KPI's actual, joined by full-width
        spaces: last year's and the year before's, then the national figures
        (「前年度実績 80.6％ 前々年度実績 79.9％」「全国平均 81.0％ 全国19位 …」)."""
        groups = (
            (self.last_year, self.prior_year),
            (
                self.national_average,
                self.national_rank,
                self.last_year_national_average,
                self.last_year_national_rank,
            ),
        )
        return tuple(
            "　".join(f.words for f in group if f is not None)
            for group in groups
            if any(f is not None for f in group)
        )

    def definition(self) -> str:
        """The definition-change note (empty when the definition did not change)."""
        kpi = self.kpi
        if not kpi.definition_changed:
            return ""
        note = (kpi.definition_note or "").strip()
        return f"{DEFINITION_CHANGED}：{note}" if note else DEFINITION_CHANGED

    def past_cell(self) -> str:
        """The 前年度実績 column: last year's actual, the year before's below it."""
        lines = [self.last_year.text if self.last_year else "—"]
        if self.prior_year is not None:
            lines.append(self.prior_year.words)
        return "\n".join(lines)

    def national_cells(self) -> tuple[str, str]:
        """The 全国平均 and 全国順位 columns: this year's, last year's below it."""
        average = [self.national_average.text if self.national_average else "—"]
        rank = [self.national_rank.text if self.national_rank else "—"]
        if self.last_year_national_average is not None:
            average.append(f"前年度 {self.last_year_national_average.text}")
        if self.last_year_national_rank is not None:
            rank.append(f"前年度 {self.last_year_national_rank.text}")
        return "\n".join(average), "\n".join(rank)

    @property
    def has_national(self) -> bool:
        return any(
            f is not None
            for f in (
                self.national_average,
                self.national_rank,
                self.last_year_national_average,
                self.last_year_national_rank,
            )
        )


def kpi_row(
    kpi: Kpi, benchmark: Benchmark | None = None, measurement: Measurement | None = None
) -> KpiRow:
    """The reference figures of ``kpi`` (the branch's own definition: its last year's
    figures), with this year's national figures of ``benchmark`` and the old-method
    figure of ``measurement`` where held."""
    old = measurement.old_method_value if measurement and kpi.definition_changed else None
    return KpiRow(
        kpi=kpi,
        last_year=_figure(kpi, "前年度実績", kpi.last_year_actual),
        prior_year=_figure(kpi, "前々年度実績", kpi.prior_year_actual),
        national_average=_figure(
            kpi, "全国平均", benchmark.national_average if benchmark else None
        ),
        national_rank=_rank("全国順位", benchmark.national_rank if benchmark else None),
        last_year_national_average=_figure(kpi, "前年度の全国平均", kpi.last_year_national_average),
        last_year_national_rank=_rank(
            "前年度の全国順位", kpi.last_year_national_rank, prefix="前年度 "
        ),
        old_method=_figure(kpi, "旧算出方法による実績", old),
    )
