"""Achievement: how a KPI figure stands against its target, and which mark
the figures suggest.

Pure functions over domain objects. A figure is shown as it was entered (98.4
stays 98.4 for a KPI printed without decimals) and judged as entered: 98.4
against 100 is 1.6 points short. Only a KPI whose definition says so
(``Kpi.judged_decimals``: "judged at the printed precision") is judged on its
figure and target rounded half up to that many decimals, and every text that
shows a verdict then says so ("整数で判定"). Numbers PlanDesk computes (a
rate from its parts, the expected pace, a projection) are shown rounded to
the KPI's decimals, as reports print them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from desktop.domain import target_rules
from desktop.domain.calendar import YearMonth
from desktop.domain.model import Direction, Kpi, Measurement, PeriodKind, TargetKind
from desktop.domain.parsing import MAX_PLACES, format_decimal, quantize, written_places
from desktop.domain.scales import ANNUAL, MIDYEAR, Scale
from desktop.domain.text import Text
from desktop.domain.verdicts import (
    Assessment,
    Status,
    difference_unit,
    format_actual,
    format_estimate,
    format_value,
)

HUNDRED = Decimal(100)
TWELVE = Decimal(12)


def judgement_note(kpi: Kpi, lang: str = "ja") -> str:
    """'小数点以下第1位で判定' when the KPI is judged at a printed precision, else ''."""
    places = kpi.judged_decimals
    if places is None:
        return ""
    if lang == "ja":
        return "小数点以下を四捨五入して判定" if places == 0 else f"小数点以下第{places}位で判定"
    if places == 0:
        return "judged rounded to a whole number"
    return f"judged rounded to {places} decimal place{'s' if places > 1 else ''}"


_RULE_KINDS = (TargetKind.MULTI_YEAR, TargetKind.MONTHLY, TargetKind.MANUAL)


def _format_target_value(kpi: Kpi, target: Decimal | None) -> str:
    # A target is printed as HQ wrote it ("13.1％以上" even when actuals carry two
    # decimals), never with more decimals than the KPI has.
    if target is None:
        return "—"
    decimals = min(kpi.decimals, written_places(target))
    return f"{format_decimal(quantize(target, decimals), decimals)}{kpi.unit}"


def format_target(kpi: Kpi, lang: str = "ja") -> str:
    """'98.4％以上', '対前年度以上（98.4％）', '100％', '実施'."""
    if kpi.target_kind in _RULE_KINDS:
        return target_rules.format_rule_target(kpi, lang)
    if kpi.direction is Direction.QUALITATIVE:
        return "実施" if lang == "ja" else "Done"
    target = kpi.resolved_target()
    suffix = kpi.direction.suffix_ja if lang == "ja" else _SUFFIX_EN[kpi.direction]
    if kpi.target_kind.from_last_year:
        end = kpi.target_kind is TargetKind.PREV_YEAR_END
        if lang == "ja":
            known = (
                f"（{_format_target_value(kpi, target)}）" if target is not None else "（未確定）"
            )
            return f"対前年度{'末' if end else ''}{suffix}{known}"
        known = f" ({_format_target_value(kpi, target)})" if target is not None else " (unknown)"
        return f"{suffix}{'last year-end' if end else 'last year'}{known}"
    if kpi.target_by_branch and target is None:
        return "支部設定（未設定）" if lang == "ja" else "set by the branch (not yet set)"
    if lang == "ja":
        return f"{_format_target_value(kpi, target)}{suffix}"
    return f"{suffix}{_format_target_value(kpi, target)}".strip()


_SUFFIX_EN = {
    Direction.AT_LEAST: "≥ ",
    Direction.AT_MOST: "≤ ",
    Direction.EXACTLY: "= ",
    Direction.QUALITATIVE: "",
}


def pace_fraction(kpi: Kpi, as_of: YearMonth) -> Decimal:
    """Share of the year-end value expected by the end of ``as_of``.

    From last year's monthly profile when it covers the month and the year
    end, else linear over the twelve fiscal months.
    """
    index = as_of.fiscal_index
    profile = dict(kpi.last_year_profile)
    final = profile.get(12)
    if final and index in profile:
        return profile[index] / final
    return Decimal(index) / TWELVE


def _is_year_end(as_of: YearMonth, fiscal_year: int) -> bool:
    return as_of.fiscal_year > fiscal_year or (
        as_of.fiscal_year == fiscal_year and as_of.fiscal_index == 12
    )


def _meets(direction: Direction, actual: Decimal, target: Decimal) -> bool:
    if direction is Direction.AT_LEAST:
        return actual >= target
    if direction is Direction.AT_MOST:
        return actual <= target
    return actual == target


def _margin(direction: Direction, actual: Decimal, target: Decimal) -> Decimal | None:
    if target == 0:
        return None
    gap = (actual - target) / abs(target)
    if direction is Direction.AT_MOST:
        return -gap
    if direction is Direction.EXACTLY:
        return -abs(gap)
    return gap


def assess(
    kpi: Kpi,
    measurement: Measurement | None,
    *,
    fiscal_year: int,
    report_as_of: YearMonth | None = None,
    monthly: Mapping[int, Decimal] | None = None,
) -> Assessment:
    """Judge one KPI figure. Never raises for missing pieces: a figure with
    no value is NO_DATA, a 対前年度 target without last year's actual is
    TARGET_UNKNOWN.

    A reference indicator (参考指標) is never judged (REFERENCE). The kinds of
    target_rules (multi-year goals, rules over months, goals in words) are judged
    there; ``monthly`` (fiscal month → figure) replaces the KPI's monthly_actuals
    when the caller holds newer ones. A KPI whose definition changed and whose
    report gives the old-method figure gets that figure's verdict beside its own.
    """
    as_of = (measurement.as_of if measurement else None) or report_as_of
    kind = kpi.target_kind
    if kpi.reference_indicator:
        judged = target_rules.assess_reference(kpi, measurement, as_of)
    elif kind is TargetKind.MANUAL:
        judged = target_rules.assess_manual(kpi, measurement, as_of)
    elif kind in _RULE_KINDS and kpi.direction is Direction.QUALITATIVE:
        # done / not done: no path, no months — judged as any qualitative KPI
        plain = replace(kpi, target_kind=TargetKind.FIXED)
        judged = _assess_figure(plain, measurement, fiscal_year, report_as_of)
    elif kind is TargetKind.MONTHLY:
        months = dict(kpi.monthly_actuals) if monthly is None else monthly
        judged = target_rules.assess_monthly(kpi, measurement, fiscal_year, as_of, months)
    elif kind is TargetKind.MULTI_YEAR:
        judged = _assess_multi_year(kpi, measurement, fiscal_year, report_as_of)
    else:
        judged = _assess_figure(kpi, measurement, fiscal_year, report_as_of)
    if kpi.definition_changed and measurement and measurement.old_method_value is not None:
        return _with_old_method(judged, kpi, measurement, fiscal_year, report_as_of)
    return judged


def _assess_multi_year(
    kpi: Kpi, m: Measurement | None, fiscal_year: int, report_as_of: YearMonth | None
) -> Assessment:
    """Against the year's point on the path to the goal (target_rules.milestone),
    judged as that year's fixed target is (a cumulative KPI by its pace)."""
    step = target_rules.milestone(kpi, fiscal_year)
    if step.value is None:
        actual = m.effective_value() if m else None
        return Assessment(
            kpi.key,
            Status.NO_DATA if actual is None else Status.TARGET_UNKNOWN,
            actual=actual,
            as_of=(m.as_of if m else None) or report_as_of,
            rule_ja=step.why_ja,
            rule_en=step.why_en,
        )
    year_kpi = replace(kpi, target=step.value, target_kind=TargetKind.FIXED)
    judged = _assess_figure(year_kpi, m, fiscal_year, report_as_of)
    return replace(
        judged, rule_ja=f"{step.why_ja}{judged.rule_ja}", rule_en=f"{step.why_en} {judged.rule_en}"
    )


def _with_old_method(
    judged: Assessment,
    kpi: Kpi,
    measurement: Measurement,
    fiscal_year: int,
    report_as_of: YearMonth | None,
) -> Assessment:
    """The old-method figure judged against the same target, as one figure (a rule
    over months has no old-method months), for reference."""
    old_kpi = replace(kpi, definition_changed=False)
    if old_kpi.target_kind is TargetKind.MONTHLY:
        old_kpi = replace(old_kpi, target_kind=TargetKind.FIXED)
    old_figure = replace(
        measurement, value=measurement.old_method_value, numerator=None, denominator=None
    )
    old = assess(old_kpi, old_figure, fiscal_year=fiscal_year, report_as_of=report_as_of)
    if old_kpi.reference_indicator or old.manual:
        return judged
    shown = format_value(kpi, measurement.old_method_value)
    note_ja = f"（{kpi.definition_note}）" if kpi.definition_note else ""
    note_en = f" ({kpi.definition_note})" if kpi.definition_note else ""
    return replace(
        judged,
        old_method=old,
        rule_ja=f"{judged.rule_ja} 算出方法が変更されています{note_ja}。旧算出方法による実績 "
        f"{shown} は参考として{old.status.label_ja}（判定は新しい算出方法による）。",
        rule_en=f"{judged.rule_en} The definition changed{note_en}. By the old method the "
        f"figure is {shown}: {old.status.label_en.lower()}, for reference (judged by the "
        "new method).",
    )


def _assess_figure(
    kpi: Kpi,
    measurement: Measurement | None,
    fiscal_year: int,
    report_as_of: YearMonth | None,
) -> Assessment:
    as_of = (measurement.as_of if measurement else None) or report_as_of
    if kpi.direction is Direction.QUALITATIVE:
        return _assess_qualitative(kpi, measurement, as_of)

    actual = measurement.effective_value() if measurement else None
    if actual is None:
        reason = measurement.unavailable_reason if measurement else None
        return Assessment(
            kpi.key,
            Status.NO_DATA,
            as_of=as_of,
            target=kpi.resolved_target(),
            rule_ja=f"実績が未入力です（{reason}）。" if reason else "実績が未入力です。",
            rule_en=f"No actual entered ({reason})." if reason else "No actual entered.",
        )
    target = kpi.resolved_target()
    if target is None:
        rule_ja, rule_en = _unknown_target_rule(kpi)
        return Assessment(
            kpi.key, Status.TARGET_UNKNOWN, actual=actual, as_of=as_of, rule_ja=rule_ja,
            rule_en=rule_en,
        )  # fmt: skip

    judged, judged_target = _judged(kpi, actual), _judged(kpi, target)
    difference = judged - judged_target
    ratio = (actual / target) if target != 0 else None
    margin = _margin(kpi.direction, judged, judged_target)
    met = _meets(kpi.direction, judged, judged_target)
    target_text = format_target(kpi, "ja")
    target_en = format_target(kpi, "en")
    diff_ja = _signed(difference, kpi) + difference_unit(kpi, "ja")
    diff_en = _signed(difference, kpi) + " " + difference_unit(kpi, "en")
    if kpi.judged_decimals is not None:
        diff_ja += f"、{judgement_note(kpi, 'ja')}"
        diff_en += f", {judgement_note(kpi, 'en')}"
    shown = format_actual(kpi, measurement)

    base = {
        "actual": actual,
        "target": target,
        "difference": difference,
        "ratio": ratio,
        "margin": margin,
        "as_of": as_of,
    }
    # 対前年度末: last year's year-end level is to be held at every as-of month, so
    # it is never scaled down by the pace of the year (対前年度 on an accumulating KPI
    # is: last year's total is where the year should end).
    cumulative_midyear = (
        kpi.cumulative
        and kpi.target_kind is not TargetKind.PREV_YEAR_END
        and kpi.direction is not Direction.EXACTLY
        and as_of is not None
        and not _is_year_end(as_of, fiscal_year)
        and as_of.fiscal_year == fiscal_year
    )
    if met or not cumulative_midyear:
        status = Status.MET if met else Status.NOT_MET
        verdict_ja = "達成" if met else "未達成"
        verdict_en = "met" if met else "not met"
        return Assessment(
            kpi.key,
            status,
            **base,
            rule_ja=f"実績 {shown} は目標 {target_text} に対して{verdict_ja}（差 {diff_ja}）。",
            rule_en=f"Actual {shown} against target {target_en}: "
            f"{verdict_en} (difference {diff_en}).",
        )

    assert as_of is not None  # for the type checker: cumulative_midyear implies it
    fraction = pace_fraction(kpi, as_of)
    expected = target * fraction
    projected = actual / fraction if fraction else None
    # The expected value is computed: compared as it is shown (or at the KPI's rule).
    places = kpi.decimals if kpi.judged_decimals is None else kpi.judged_decimals
    on_pace = _meets(
        Direction.AT_MOST if kpi.direction is Direction.AT_MOST else Direction.AT_LEAST,
        judged,
        quantize(expected, places),
    )
    note_ja = f"（{judgement_note(kpi, 'ja')}）" if kpi.judged_decimals is not None else ""
    note_en = f" ({judgement_note(kpi, 'en')})" if kpi.judged_decimals is not None else ""
    basis_ja = "前年度の月次推移" if dict(kpi.last_year_profile).get(12) else "年間の月割り"
    basis_en = "last year's monthly profile" if basis_ja.startswith("前") else "a linear year"
    month_ja = as_of.era_label()
    return Assessment(
        kpi.key,
        Status.ON_PACE if on_pace else Status.BEHIND_PACE,
        **base,
        expected=expected,
        projected=projected,
        pace_fraction=fraction,
        rule_ja=(
            f"年度内に積み上がる指標です。{month_ja}時点の想定値は {format_estimate(kpi, expected)}"
            f"（目標 {target_text} × {format_percent(fraction)}、{basis_ja}による）で、実績 "
            f"{shown} は{'想定どおり' if on_pace else '想定を下回っています'}{note_ja}。"
            f"このペースでの年度末見込みは {format_estimate(kpi, projected)}。"
        ),
        rule_en=(
            f"Accumulates over the year. Expected by {as_of.iso()}: "
            f"{format_estimate(kpi, expected)} (target {target_en} × {format_percent(fraction)}, "
            f"from {basis_en}); actual {shown} is {'on pace' if on_pace else 'behind pace'}"
            f"{note_en}. Projected year end: {format_estimate(kpi, projected)}."
        ),
    )


def _unknown_target_rule(kpi: Kpi) -> tuple[str, str]:
    """Why a KPI has no target to judge by (Japanese, English)."""
    if kpi.target_kind is TargetKind.PREV_YEAR_END:
        return (
            "目標は前年度末の実績で決まりますが、前年度末の実績が未登録です。",
            "The target is last year's year-end figure, which has not been entered.",
        )
    if kpi.target_kind is TargetKind.PREV_YEAR:
        return (
            "目標は前年度実績で決まりますが、前年度実績が未登録です。",
            "The target is last year's actual, which has not been entered.",
        )
    if kpi.target_by_branch:
        return (
            "目標は支部が設定しますが（支部設定）、まだ設定されていません。",
            "The target is set by the branch, which has not set it yet.",
        )
    return ("目標が設定されていません。", "No target is set.")


def status_detail(kpi: Kpi, a: Assessment, lang: str = "ja") -> str:
    """The numbers behind a status: '+0.2ポイント', or for a cumulative KPI judged
    by pace '想定 15.0％, 年度末見込 33.6％', for a rule over months '8／10か月達成',
    a person's verdict '手動判定', an old-method figure beside the new one. Empty
    when there are none."""
    text = _figures_detail(kpi, a, lang)
    extra = []
    if a.manual:
        extra.append("手動判定" if lang == "ja" else "judged by hand")
    if a.old_method is not None and a.old_method.actual is not None:
        old = format_value(kpi, a.old_method.actual)
        label = a.old_method.status.label(lang)
        extra.append(f"旧算出方法 {old} {label}" if lang == "ja" else f"old method {old} {label}")
    return ", ".join(x for x in (text, *extra) if x)


def months_text(a: Assessment, lang: str = "ja") -> str:
    """'8／10か月達成（未入力 2か月）' / '8 of 10 months met (2 missing)'; '' if no rule."""
    if a.months_judged is None or a.months_met is None:
        return ""
    missing = len(a.months_missing)
    if lang == "ja":
        text = f"{a.months_met}／{a.months_judged}か月達成"
        return f"{text}（未入力 {missing}か月）" if missing else text
    text = f"{a.months_met} of {a.months_judged} months met"
    return f"{text} ({missing} missing)" if missing else text


def _figures_detail(kpi: Kpi, a: Assessment, lang: str) -> str:
    if a.months_judged is not None:
        return months_text(a, lang)
    if a.expected is not None:
        text = f"{'想定' if lang == 'ja' else 'expected'} {format_estimate(kpi, a.expected)}"
        if a.projected is not None:
            label = "年度末見込" if lang == "ja" else "year-end"
            text += f", {label} {format_estimate(kpi, a.projected)}"
        return _with_note(text, kpi, lang)
    if a.difference is not None and a.status in (Status.MET, Status.NOT_MET):
        return _with_note(_signed(a.difference, kpi) + difference_unit(kpi, lang), kpi, lang)
    return ""


def _with_note(text: str, kpi: Kpi, lang: str) -> str:
    note = judgement_note(kpi, lang)
    if not note:
        return text
    return f"{text}（{note}）" if lang == "ja" else f"{text} ({note})"


def _judged(kpi: Kpi, value: Decimal) -> Decimal:
    """The number a verdict compares: as entered, or rounded by the KPI's rule."""
    if kpi.judged_decimals is None:
        return value
    return quantize(value, kpi.judged_decimals)


def _assess_qualitative(kpi: Kpi, m: Measurement | None, as_of: YearMonth | None) -> Assessment:
    if m is None or m.done is None:
        reason = m.unavailable_reason if m else None
        return Assessment(
            kpi.key,
            Status.NO_DATA,
            as_of=as_of,
            rule_ja=f"実施状況が未入力です（{reason}）。" if reason else "実施状況が未入力です。",
            rule_en=f"Not reported yet ({reason})." if reason else "Not reported yet.",
        )
    if m.done:
        return Assessment(
            kpi.key,
            Status.MET,
            as_of=as_of,
            rule_ja="実施済みのため達成。",
            rule_en="Done: met.",
        )
    return Assessment(
        kpi.key,
        Status.NOT_MET,
        as_of=as_of,
        rule_ja="未実施のため未達成。",
        rule_en="Not done: not met.",
    )


def _signed(value: Decimal, kpi: Kpi) -> str:
    """A difference as exact as the figures it comes from: 98.4 − 100 is −1.6 even
    for a KPI printed without decimals. One computed from a rate's parts is rounded
    to the KPI's decimals — but never to a zero that hides which side it is on."""
    places = written_places(value)
    if places > MAX_PLACES:  # computed (a rate from its parts), not entered
        places = kpi.decimals
        while places < MAX_PLACES and value != 0 and quantize(value, places) == 0:
            places += 1
    places = max(places, kpi.decimals)
    if kpi.judged_decimals is not None:
        places = kpi.judged_decimals
    text = format_decimal(value, places)
    return text if value < 0 else f"+{text}"


def format_percent(fraction: Decimal) -> str:
    """A share as a percentage with one decimal: 0.1402 → '14.0%'."""
    return format_decimal(quantize(fraction * HUNDRED, 1), 1) + "%"


# --- suggested marks ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Suggestion:
    """The mark the figures suggest (desktop/domain/mark_suggestion.py), with one
    short line saying which figures led to it and the reasoning per KPI."""

    symbol: str | None  # None: the figures say nothing (no KPI, no data)
    reason_ja: str
    reason_en: str
    details: tuple[Text, ...] = ()  # one line per KPI, then the rule that applied

    def reason(self, lang: str = "ja") -> str:
        return self.reason_ja if lang == "ja" else self.reason_en


@dataclass(frozen=True, slots=True)
class Disagreement:
    message_ja: str
    message_en: str

    def message(self, lang: str = "ja") -> str:
        return self.message_ja if lang == "ja" else self.message_en


def check_mark(
    chosen: str | None,
    suggestion: Suggestion,
    period: PeriodKind,
    *,
    reason: str | None = None,
) -> Disagreement | None:
    """Where the mark a person chose and the figures disagree, say how.

    The person decides; this only points it out.
    """
    if not chosen:
        return None
    scale: Scale = MIDYEAR if period is PeriodKind.MIDYEAR else ANNUAL
    if chosen in ("×", "D") and not (reason and reason.strip()):
        return Disagreement(
            f"「{chosen}」には理由の記入が必要です。",
            f"'{chosen}' needs a reason.",
        )
    if suggestion.symbol is None:
        return None
    try:
        chosen_rank = scale.mark(chosen).rank
    except KeyError:
        return Disagreement(
            f"「{chosen}」はこの評価の記号ではありません。",
            f"'{chosen}' is not a mark of this scale.",
        )
    suggested_rank = scale.mark(suggestion.symbol).rank
    if chosen_rank is None or suggested_rank is None or chosen_rank == suggested_rank:
        return None
    higher = chosen_rank > suggested_rank
    return Disagreement(
        f"選んだ評価「{chosen}」は実績から見た評価「{suggestion.symbol}」より"
        f"{'高く' if higher else '低く'}なっています。{suggestion.reason_ja}",
        f"The chosen mark '{chosen}' is {'higher' if higher else 'lower'} than the figures "
        f"suggest ('{suggestion.symbol}'). {suggestion.reason_en}",
    )
