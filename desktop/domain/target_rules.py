"""Targets real plans use beyond one number per year: how each is judged.

- **Multi-year goals** (``TargetKind.MULTI_YEAR``, e.g. a six-year data-health
  goal): a baseline (``Kpi.baseline_year`` / ``baseline_value``) and a goal
  (``Kpi.goal_year`` / ``target``). Convention: the path to the goal is a straight
  line over fiscal years, and a year's milestone is its point at the end of that
  fiscal year — baseline + (goal − baseline) × (year − baseline year) / (goal year
  − baseline year), rounded half up to the KPI's decimals as a plan prints a yearly
  target (データヘルス計画 set a value per year on the way to the final one). The
  report of a year is judged against that year's milestone exactly as a fixed
  target is (a cumulative KPI by its pace within the year). After the goal year
  the goal itself stays the target; without a baseline there is no path, so only
  the goal year (and later) can be judged; a year before the baseline has no
  milestone.
- **Rules over months** (``TargetKind.MONTHLY``, "毎月150％以上"): every monthly
  figure (月次実績) from April to the report's month against ``target``; one month
  short and the rule is not met. Months without a figure are missing, not failures;
  the verdict says how many months were met of those judged.
- **Goals in words** (``TargetKind.MANUAL``, "前年度の水準を上回る"): a person
  gives the verdict with a reason per report (``Measurement.manual_status`` /
  ``manual_reason``); nothing computed ever replaces it.
- **Reference indicators** (``Kpi.reference_indicator``, 参考指標): shown with
  their figures, never judged (``Status.REFERENCE``).

``achievement.assess`` is the one judge: it dispatches here (and judges a year's
milestone as a fixed target), and adds the old-method verdict of a changed
definition for every kind. This module does not import it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from desktop.domain.calendar import YearMonth, fiscal_year_label
from desktop.domain.model import Direction, Kpi, Measurement, TargetKind
from desktop.domain.parsing import format_decimal, quantize, written_places
from desktop.domain.verdicts import (
    MANUAL_STATUSES,
    Assessment,
    Status,
    format_actual,
    format_value,
)

_SUFFIX_EN = {
    Direction.AT_LEAST: "≥ ",
    Direction.AT_MOST: "≤ ",
    Direction.EXACTLY: "= ",
    Direction.QUALITATIVE: "",
}


def _year(fy: int, lang: str) -> str:
    return fiscal_year_label(fy, "era" if lang == "ja" else "western")


def _number(kpi: Kpi, value: Decimal | None) -> str:
    if value is None:
        return "—"
    decimals = min(kpi.decimals, written_places(value))
    return f"{format_decimal(quantize(value, decimals), decimals)}{kpi.unit}"


def _with_direction(kpi: Kpi, text: str, lang: str) -> str:
    if lang == "ja":
        return f"{text}{kpi.direction.suffix_ja}"
    return f"{_SUFFIX_EN[kpi.direction]}{text}".strip()


def format_rule_target(kpi: Kpi, lang: str = "ja") -> str:
    """'令和11年度 60％以上（基準 令和5年度 50％）', '毎月 150％以上', '前年度の水準を
    上回る（手動判定）'."""
    if kpi.target_kind is TargetKind.MANUAL:
        words = kpi.target_text or ("文章の目標" if lang == "ja" else "goal in words")
        return f"{words}（手動判定）" if lang == "ja" else f"{words} (judged by hand)"
    goal = _with_direction(kpi, _number(kpi, kpi.target), lang)
    if kpi.target_kind is TargetKind.MONTHLY:
        return f"毎月 {goal}" if lang == "ja" else f"every month {goal}"
    goal_year = _year(kpi.goal_year, lang) if kpi.goal_year else "—"
    if kpi.baseline_year is None or kpi.baseline_value is None:
        base_ja, base_en = "基準値なし", "no baseline"
    else:
        base_ja = f"基準 {_year(kpi.baseline_year, 'ja')} {_number(kpi, kpi.baseline_value)}"
        base_en = f"baseline {_year(kpi.baseline_year, 'en')}: {_number(kpi, kpi.baseline_value)}"
    if lang == "ja":
        return f"{goal_year} {goal}（{base_ja}）"
    return f"{goal} by {goal_year} ({base_en})"


# --- multi-year goals ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Milestone:
    """A fiscal year's target on the way to a multi-year goal (None: none can be set)."""

    value: Decimal | None
    why_ja: str
    why_en: str


def milestone(kpi: Kpi, fiscal_year: int) -> Milestone:
    """The target of ``fiscal_year`` on the straight path from baseline to goal."""
    goal, goal_year = kpi.target, kpi.goal_year
    if goal is None or goal_year is None:
        return Milestone(None, "目標年度と目標値が未設定です。", "No goal year and value are set.")
    goal_text = f"{_year(goal_year, 'ja')}の目標 {_number(kpi, goal)}"
    goal_en = f"the goal for {_year(goal_year, 'en')}, {_number(kpi, goal)}"
    if fiscal_year > goal_year:
        return Milestone(
            goal,
            f"目標年度を過ぎています。最終目標（{goal_text}）で判定します。",
            f"The goal year has passed: judged against {goal_en}.",
        )
    if fiscal_year == goal_year:
        return Milestone(goal, f"目標年度です（{goal_text}）。", f"The goal year: {goal_en}.")
    base, base_year = kpi.baseline_value, kpi.baseline_year
    if base is None or base_year is None:
        return Milestone(
            None,
            f"基準値がないため、{goal_text}までの途中の目標を決められません。",
            f"Without a baseline there is no path to {goal_en}.",
        )
    if base_year >= goal_year:
        return Milestone(
            None,
            "基準年度が目標年度より後になっています。",
            "The baseline year is not before the goal year.",
        )
    if fiscal_year < base_year:
        return Milestone(
            None,
            f"報告年度が基準年度（{_year(base_year, 'ja')}）より前です。",
            f"The reporting year is before the baseline year ({_year(base_year, 'en')}).",
        )
    step = (goal - base) * (fiscal_year - base_year) / (goal_year - base_year)
    value = quantize(base + step, kpi.decimals)
    done, total = fiscal_year - base_year, goal_year - base_year
    return Milestone(
        value,
        f"基準 {_year(base_year, 'ja')} {_number(kpi, base)} から{goal_text}への直線上の"
        f"{_year(fiscal_year, 'ja')}の値 {format_value(kpi, value)}（{done}／{total}年）で判定します。",
        f"Judged against {format_value(kpi, value)}, FY{fiscal_year}'s point ({done} of "
        f"{total} years) on the straight path from the baseline {_number(kpi, base)} "
        f"({_year(base_year, 'en')}) to {goal_en}.",
    )


# --- rules over months -----------------------------------------------------------------


def months_in_scope(fiscal_year: int, as_of: YearMonth | None) -> int:
    """How many fiscal months (from April) a report as of ``as_of`` covers."""
    if as_of is None or as_of.fiscal_year > fiscal_year:
        return 12
    if as_of.fiscal_year < fiscal_year:
        return 0
    return as_of.fiscal_index


def _meets(kpi: Kpi, value: Decimal, target: Decimal) -> bool:
    if kpi.judged_decimals is not None:
        value, target = quantize(value, kpi.judged_decimals), quantize(target, kpi.judged_decimals)
    if kpi.direction is Direction.AT_MOST:
        return value <= target
    if kpi.direction is Direction.EXACTLY:
        return value == target
    return value >= target


def _margin(kpi: Kpi, value: Decimal, target: Decimal) -> Decimal | None:
    if target == 0:
        return None
    gap = (value - target) / abs(target)
    if kpi.direction is Direction.AT_MOST:
        return -gap
    if kpi.direction is Direction.EXACTLY:
        return -abs(gap)
    return gap


def _month_names(fiscal_year: int, months: list[int], lang: str) -> str:
    start = YearMonth(fiscal_year, 4)
    shown = [start.add_months(i - 1) for i in months]
    if lang == "ja":
        return "、".join(f"{ym.month}月" for ym in shown)
    return ", ".join(ym.iso() for ym in shown)


def assess_monthly(
    kpi: Kpi,
    m: Measurement | None,
    fiscal_year: int,
    as_of: YearMonth | None,
    monthly: Mapping[int, Decimal],
) -> Assessment:
    """Every monthly figure from April to ``as_of`` against the KPI's target."""
    target = kpi.target
    scope = months_in_scope(fiscal_year, as_of)
    present = {i: monthly[i] for i in range(1, scope + 1) if i in monthly}
    missing = tuple(i for i in range(1, scope + 1) if i not in monthly)
    rule = f"毎月 {_number(kpi, target)}{kpi.direction.suffix_ja}"
    rule_en = f"every month {_SUFFIX_EN[kpi.direction]}{_number(kpi, target)}"
    base = {"as_of": as_of, "target": target, "months_missing": missing}
    if not present:
        return Assessment(
            kpi.key,
            Status.NO_DATA,
            **base,
            rule_ja=f"{rule}の目標です。月次実績が未入力です。",
            rule_en=f"The rule is {rule_en}. No monthly figures entered.",
        )
    latest = present[max(present)]
    if target is None:
        return Assessment(
            kpi.key,
            Status.TARGET_UNKNOWN,
            actual=latest,
            as_of=as_of,
            rule_ja="毎月の目標値が未設定です。",
            rule_en="The monthly target is not set.",
        )
    short = [i for i, v in present.items() if not _meets(kpi, v, target)]
    worst = min(present, key=lambda i: (_margin(kpi, present[i], target) or Decimal(0), i))
    met = len(present) - len(short)
    status = Status.NOT_MET if short else Status.MET
    done = Assessment(
        kpi.key,
        status,
        actual=latest,
        difference=present[worst] - target,
        ratio=(present[worst] / target) if target else None,
        margin=_margin(kpi, present[worst], target),
        months_judged=len(present),
        months_met=met,
        **base,
    )
    missing_ja = (
        f"未入力の月（{_month_names(fiscal_year, list(missing), 'ja')}）は判定に含めません。"
    )
    missing_en = f"Months without a figure ({_month_names(fiscal_year, list(missing), 'en')}) are not judged."
    if short:
        ja = f"{rule}の目標に対し、{len(present)}か月中{met}か月達成。未達成の月: " + (
            _month_names(fiscal_year, short, "ja") + "。"
        )
        en = f"Rule {rule_en}: {met} of {len(present)} months met; not met in " + (
            _month_names(fiscal_year, short, "en") + "."
        )
    else:
        ja = f"{rule}の目標に対し、{len(present)}か月すべて達成。"
        en = f"Rule {rule_en}: all {len(present)} months met."
    if missing:
        ja, en = f"{ja}{missing_ja}", f"{en} {missing_en}"
    return replace(done, rule_ja=ja, rule_en=en)


# --- goals in words, reference indicators ------------------------------------------------


def manual_status(m: Measurement | None) -> Status | None:
    """The verdict a person gave, when it is one the rules allow."""
    if m is None or m.manual_status is None:
        return None
    try:
        status = Status(m.manual_status)
    except ValueError:
        return None
    return status if status in MANUAL_STATUSES else None


def assess_manual(kpi: Kpi, m: Measurement | None, as_of: YearMonth | None) -> Assessment:
    """The verdict a person gave with its reason; NO_DATA until there is one."""
    words = kpi.target_text or "—"
    status = manual_status(m)
    actual = m.effective_value() if m else None
    if status is None:
        return Assessment(
            kpi.key,
            Status.NO_DATA,
            actual=actual,
            as_of=as_of,
            rule_ja=f"目標「{words}」は担当者が判定します（手動判定）。判定が未入力です。",
            rule_en=f"The goal '{words}' is judged by a person. No verdict entered yet.",
        )
    reason = (m.manual_reason or "").strip() if m else ""
    return Assessment(
        kpi.key,
        status,
        actual=actual,
        as_of=as_of,
        manual=True,
        rule_ja=f"手動判定：目標「{words}」に対して{status.label_ja}。理由：{reason}",
        rule_en=f"Judged by hand: {status.label_en.lower()} against the goal '{words}'. "
        f"Reason: {reason}",
    )


def assess_reference(kpi: Kpi, m: Measurement | None, as_of: YearMonth | None) -> Assessment:
    """A reference indicator (参考指標): its figure, no verdict."""
    actual = m.effective_value() if m else None
    shown = format_actual(kpi, m) if actual is not None else "—"
    return Assessment(
        kpi.key,
        Status.REFERENCE,
        actual=actual,
        as_of=as_of,
        rule_ja=f"参考指標のため判定しません（実績 {shown}）。",
        rule_en=f"A reference indicator: shown, not judged (actual {shown}).",
    )
