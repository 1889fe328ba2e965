"""The printed lines of a KPI table (KPI設定項目一覧表) with live achievement.

Pure: the CLI, the app and the workbooks print the same target, actual and
as-of texts from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.domain.achievement import (
    Assessment,
    Status,
    assess,
    format_actual,
    format_target,
    format_value,
)
from desktop.domain.model import Direction, Kpi, Measurement, PeriodKind, Plan
from desktop.domain.series import top_ancestor

# A status is never shown by colour alone: a symbol and its text go with it.
STATUS_SYMBOLS = {
    Status.MET: "✔",
    Status.ON_PACE: "↗",
    Status.BEHIND_PACE: "↘",
    Status.NOT_MET: "✖",
    Status.TARGET_UNKNOWN: "？",
    Status.NO_DATA: "－",
    Status.REFERENCE: "◇",  # 参考指標: shown, never judged
}


@dataclass(frozen=True, slots=True)
class KpiLine:
    pillar: str  # "１．基盤的保険者機能の盤石化"
    section: str  # "（２）サービス水準の向上"
    kpi: Kpi
    measurement: Measurement | None
    assessment: Assessment

    def actual_text(self, lang: str = "ja") -> str:
        m = self.measurement
        if self.kpi.direction is Direction.QUALITATIVE:
            if m is None or m.done is None:
                return self._missing(lang)
            if lang == "ja":
                return "実施" if m.done else "未実施"
            return "Done" if m.done else "Not done"
        if m is None or m.effective_value() is None:
            return self._missing(lang)
        text = format_actual(self.kpi, m)
        if m and m.preliminary:
            text += "（速報値）" if lang == "ja" else " (preliminary)"
        if self.kpi.definition_changed and m.old_method_value is not None:
            old = format_value(self.kpi, m.old_method_value)
            text += f"（旧算出方法 {old}）" if lang == "ja" else f" (old method {old})"
        return text

    def _missing(self, lang: str) -> str:
        reason = self.measurement.unavailable_reason if self.measurement else None
        if reason:
            return reason
        return "未入力" if lang == "ja" else "not entered"

    def as_of_text(self, lang: str = "ja") -> str:
        as_of = self.measurement.as_of if self.measurement else None
        if as_of is None:
            return "—"
        return f"{as_of.era_label()}時点" if lang == "ja" else as_of.iso()

    def target_text(self, lang: str = "ja") -> str:
        return format_target(self.kpi, lang)


def kpi_lines(plan: Plan, period: PeriodKind) -> list[KpiLine]:
    """Every KPI of the plan in printed order, judged against the period's figures."""
    report = plan.report(period)
    measurements = {m.kpi_key: m for m in report.measurements} if report else {}
    order = {n.key: i for i, n in enumerate(plan.nodes)}
    lines = []
    for kpi in sorted(plan.kpis, key=lambda k: order[k.node_key]):
        node = plan.node(kpi.node_key)
        pillar = plan.node(top_ancestor(plan, node.key, 0))
        section = node
        # The heading people know a KPI by is its nearest node above item level.
        while section.level.value in ("item", "subitem") and section.parent_key:
            section = plan.node(section.parent_key)
        m = measurements.get(kpi.key)
        lines.append(
            KpiLine(
                pillar=pillar.display_title,
                section=section.display_title,
                kpi=kpi,
                measurement=m,
                assessment=assess(
                    kpi,
                    m,
                    fiscal_year=plan.fiscal_year,
                    report_as_of=report.as_of if report else None,
                ),
            )
        )
    return lines
