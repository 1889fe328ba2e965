"""Evaluation scales as data: each symbol, its legend and its rank.

The mid-year scale's legend comes from the legend printed under the KPI table of
Tokyo's FY2023 first-half report (the demo in desktop/resources/plans/tokyo_2023.json); the
annual self-rating from HQ's S–D definitions.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.domain.model import PeriodKind


@dataclass(frozen=True, slots=True)
class Mark:
    symbol: str
    legend_ja: str
    legend_en: str
    # Higher is better; None for marks that say nothing about achievement
    # (－ scheduled, × dropped).
    rank: int | None

    def legend(self, lang: str = "ja") -> str:
        return self.legend_ja if lang == "ja" else self.legend_en


@dataclass(frozen=True, slots=True)
class Scale:
    key: str
    name_ja: str
    name_en: str
    marks: tuple[Mark, ...]

    def mark(self, symbol: str) -> Mark:
        for m in self.marks:
            if m.symbol == symbol:
                return m
        raise KeyError(symbol)

    @property
    def symbols(self) -> tuple[str, ...]:
        return tuple(m.symbol for m in self.marks)

    def normalize(self, text: str) -> str | None:
        """Map what people type or paste to a canonical symbol, or None."""
        s = text.strip()
        s = _ALIASES.get(s, s)
        if self.key == "annual":
            s = s.upper()
        return s if s in self.symbols else None


# Documents mix 〇 (U+3007) and ○ (U+25CB) for the same mark; hyphens for －.
_ALIASES = {
    "〇": "○",
    "◯": "○",
    "O": "○",
    "o": "○",
    "-": "－",
    "−": "－",
    "ー": "－",
    "―": "－",
    "X": "×",
    "x": "×",
    "✕": "×",
    "◉": "◎",
}

MIDYEAR = Scale(
    "midyear",
    "評価（上期）",
    "Mid-year mark",
    (
        Mark("◎", "計画を大幅に上回る", "Well above plan", 3),
        Mark("○", "計画通り", "On plan", 2),
        Mark("△", "実施中又は計画を下回る", "In progress / below plan", 1),
        Mark("－", "実施予定", "Scheduled", None),
        Mark("×", "実施見送り", "Dropped", None),
    ),
)

ANNUAL = Scale(
    "annual",
    "自己評価",
    "Self-rating",
    (
        Mark("S", "目標を大きく上回る", "Far above target", 5),
        Mark("A", "目標を上回る", "Above target", 4),
        Mark("B", "概ね目標達成", "Target broadly met", 3),
        Mark("C", "目標達成に至らず", "Target not met", 2),
        Mark("D", "目標を大きく下回る", "Far below target", 1),
    ),
)


def scale_for(period: PeriodKind) -> Scale:
    return MIDYEAR if period is PeriodKind.MIDYEAR else ANNUAL
