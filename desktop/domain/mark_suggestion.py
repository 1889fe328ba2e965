"""The mark the figures suggest for a rating scope, and the words for why.

Every KPI of the scope counts (not only the weakest): HQ's rules
(desktop/domain/mark_rules.py) look at the share of KPIs met, their average
margin and the weakest margin, and may lift the mark for a good national
rank. The input is a sequence of KPI figures — a section's KPIs today, the
KPIs of several items when a rating covers them — never a node.

How each KPI counts:
- judged KPIs only: without an actual, or with a 対前年度 target not yet known,
  a KPI is listed but not counted;
- met: the assessment says met or (an accumulating KPI mid-year) on pace;
- its margin: the assessment's (relative distance from the target, in the good
  direction); for an accumulating KPI judged by pace, the distance from the
  expected value by its as-of month;
- an exact target met (100 ％) counts as fully met: it reaches every margin a
  step asks for, so scopes of exact targets can reach the best mark; it is left
  out of the average and the weakest when other KPIs have margins;
- qualitative KPIs (実施) and targets of 0 have no margin: they count in the share.

The words name KPIs by their names and figures in the KPI's unit (ポイント for
rates) — never by key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from desktop.domain.achievement import Assessment, Status, Suggestion, status_detail
from desktop.domain.mark_rules import DEFAULT_MARK_RULES, MarkRules, ScaleRules, Step
from desktop.domain.model import Benchmark, Direction, Kpi, PeriodKind
from desktop.domain.parsing import format_decimal, quantize
from desktop.domain.scales import scale_for
from desktop.domain.text import Text

HUNDRED = Decimal(100)
SHORT_NAME = 18  # characters of a KPI's name in the one-line reason


@dataclass(frozen=True, slots=True)
class KpiFigures:
    """One KPI of the scope: its definition, its verdict, HQ's national figures."""

    kpi: Kpi
    assessment: Assessment
    benchmark: Benchmark | None = None


class _Full:
    """An exact target met: reaches any margin."""


FULL = _Full()
Margin = Decimal | _Full | None


@dataclass(frozen=True, slots=True)
class _Standing:
    figures: KpiFigures
    met: bool
    margin: Margin

    @property
    def name(self) -> str:
        return self.figures.kpi.name


@dataclass(frozen=True, slots=True)
class Scope:
    """The scope's figures taken together, as the rules see them."""

    judged: int
    met: int
    average: Margin
    weakest: Margin

    @property
    def share_met(self) -> Decimal:
        return Decimal(self.met) / Decimal(self.judged) if self.judged else Decimal(0)


def suggest(
    figures: Sequence[KpiFigures], period: PeriodKind, rules: MarkRules | None = None
) -> Suggestion:
    """The mark the figures of a rating scope suggest under HQ's rules (default:
    :data:`~desktop.domain.mark_rules.DEFAULT_MARK_RULES`)."""
    scale_rules = (rules or DEFAULT_MARK_RULES).for_period(period)
    details = [_kpi_detail(f) for f in figures]
    standings = [_standing(f) for f in figures if _judged(f.assessment)]
    if not standings:
        return Suggestion(
            None, "判定できる実績がありません。", "No figures to judge by.", tuple(details)
        )
    scope = _scope(standings)
    step = next(s for s in scale_rules.steps if _holds(s, scope))
    symbol = step.mark
    lifted = _rank_lift(figures, scale_rules)
    if lifted is not None and _one_up(period, symbol) != symbol:
        symbol = _one_up(period, symbol)
    else:
        lifted = None  # no rule, a rank outside the top N, or already the best mark
    reason = _reason(standings, scope, scale_rules, lifted)
    details.append(_rule_line(step, symbol, lifted, scale_rules))
    return Suggestion(symbol, reason.ja, reason.en, tuple(details))


# --- the rules -------------------------------------------------------------------------


def _judged(a: Assessment) -> bool:
    # 参考指標 are shown, never judged: they never lead to a mark.
    return a.status not in (Status.NO_DATA, Status.TARGET_UNKNOWN, Status.REFERENCE)


def _standing(f: KpiFigures) -> _Standing:
    a, kpi = f.assessment, f.kpi
    met = a.status.is_good
    if kpi.direction is Direction.QUALITATIVE:
        return _Standing(f, met, None)
    if kpi.direction is Direction.EXACTLY and a.status is Status.MET:
        return _Standing(f, True, FULL)
    if a.expected is not None and a.actual is not None:
        return _Standing(f, met, _relative(kpi.direction, a.actual, a.expected))
    return _Standing(f, met, a.margin)


def _relative(direction: Direction, actual: Decimal, expected: Decimal) -> Decimal | None:
    if expected == 0:
        return None
    gap = (actual - expected) / abs(expected)
    return -gap if direction is Direction.AT_MOST else gap


def _scope(standings: Sequence[_Standing]) -> Scope:
    margins = [s.margin for s in standings if isinstance(s.margin, Decimal)]
    full = any(s.margin is FULL for s in standings)
    average: Margin
    weakest: Margin
    if margins:
        average, weakest = sum(margins, Decimal(0)) / len(margins), min(margins)
    else:
        average = weakest = FULL if full else None
    return Scope(len(standings), sum(1 for s in standings if s.met), average, weakest)


def _at_least(value: Margin, bound: Decimal) -> bool:
    return value is FULL or (isinstance(value, Decimal) and value >= bound)


def _holds(step: Step, scope: Scope) -> bool:
    if step.share_met_min is not None and scope.share_met < step.share_met_min:
        return False
    if step.average_min is not None and not _at_least(scope.average, step.average_min):
        return False
    if step.weakest_min is not None and not _at_least(scope.weakest, step.weakest_min):
        return False
    return step.weakest_max is None or (
        isinstance(scope.weakest, Decimal) and scope.weakest <= step.weakest_max
    )


def _rank_lift(figures: Sequence[KpiFigures], rules: ScaleRules) -> list[KpiFigures] | None:
    """The ranked KPIs when all rank within HQ's top N (the mark goes one step up)."""
    if rules.rank_lift_top is None:
        return None
    ranked = [f for f in figures if _rank(f) is not None and _judged(f.assessment)]
    if ranked and all((_rank(f) or 0) <= rules.rank_lift_top for f in ranked):
        return ranked
    return None


def _rank(f: KpiFigures) -> int | None:
    return f.benchmark.national_rank if f.benchmark is not None else None


def _one_up(period: PeriodKind, symbol: str) -> str:
    marks = [m for m in scale_for(period).marks if m.rank is not None]
    rank = scale_for(period).mark(symbol).rank
    better = [m for m in marks if m.rank is not None and rank is not None and m.rank > rank]
    return min(better, key=lambda m: m.rank or 0).symbol if better else symbol


# --- the words ---------------------------------------------------------------------------


def _percent(value: Decimal, *, signed: bool = True) -> str:
    text = format_decimal(quantize(value * HUNDRED, 1), 1)
    if text.endswith(".0"):
        text = text[:-2]
    return f"+{text}%" if signed and value >= 0 else f"{text}%"


def _short(name: str) -> str:
    return name if len(name) <= SHORT_NAME else name[: SHORT_NAME - 1] + "…"


def _figure(s: _Standing) -> Text:
    """How far one KPI stands from its target, in the KPI's unit."""
    kpi, a = s.figures.kpi, s.figures.assessment
    if kpi.direction is Direction.QUALITATIVE:
        return Text("実施", "done") if a.status is Status.MET else Text("未実施", "not done")
    if s.margin is FULL:
        return Text("目標どおり", "on target")
    if a.expected is not None and isinstance(s.margin, Decimal):
        return Text(f"想定比 {_percent(s.margin)}", f"{_percent(s.margin)} against pace")
    return Text(status_detail(kpi, a, "ja"), status_detail(kpi, a, "en"))


def _reason(
    standings: Sequence[_Standing],
    scope: Scope,
    rules: ScaleRules,
    lifted: list[KpiFigures] | None,
) -> Text:
    """One short line: how many KPIs met, the average margin, the weakest KPI by
    name with its figure, the rank when it lifted the mark."""
    parts: list[Text] = []
    if len(standings) == 1:
        s = standings[0]
        verdict = Text("達成", "met") if s.met else Text("未達成", "not met")
        figure = _figure(s)
        margin = (
            Text(f"（目標比 {_percent(s.margin)}）", f" ({_percent(s.margin)} of target)")
            if isinstance(s.margin, Decimal) and s.figures.assessment.expected is None
            else Text("", "")
        )
        parts.append(
            Text(f"{_short(s.name)} {figure.ja}", f"{_short(s.name)} {figure.en}")
            + margin
            + Text(f"で{verdict.ja}", f": {verdict.en}")
        )
    else:
        parts.append(
            Text(
                f"{scope.judged}指標中{scope.met}指標が達成",
                f"{scope.met} of {scope.judged} KPIs met",
            )
        )
        if sum(1 for s in standings if isinstance(s.margin, Decimal)) > 1:
            assert isinstance(scope.average, Decimal)  # two margins or more: an average
            parts.append(
                Text(
                    f"目標比の平均 {_percent(scope.average)}",
                    f"average {_percent(scope.average)} of target",
                )
            )
        weakest = _weakest(standings)
        if weakest is not None:
            figure = _figure(weakest)
            parts.append(
                Text(
                    f"最も低い指標: {_short(weakest.name)} {figure.ja}",
                    f"weakest: {_short(weakest.name)} {figure.en}",
                )
            )
        exact = [s for s in standings if s.margin is FULL]
        if exact:
            parts.append(Text(f"目標どおり{len(exact)}指標", f"{len(exact)} on an exact target"))
    if lifted is not None:
        f = min(lifted, key=lambda x: _rank(x) or 0)
        parts.append(
            Text(
                f"{_short(f.kpi.name)} 全国{_rank(f)}位で1段階上げ",
                f"{_short(f.kpi.name)} ranks {_rank(f)} nationally: one step up",
            )
        )
    return Text("、", "; ").join(parts) + Text("。", ".")


def _weakest(standings: Sequence[_Standing]) -> _Standing | None:
    """The KPI furthest behind: an unmet one first, then the lowest margin."""
    with_margin = [s for s in standings if isinstance(s.margin, Decimal)]
    unmet = [s for s in standings if not s.met]
    pool = [s for s in with_margin if not s.met] or unmet or with_margin
    if not pool:
        return None
    return min(pool, key=lambda s: s.margin if isinstance(s.margin, Decimal) else Decimal(-99))


def _kpi_detail(f: KpiFigures) -> Text:
    """One KPI's reasoning: its name, the verdict with the figures, margin and rank."""
    kpi, a = f.kpi, f.assessment
    ja, en = [a.rule_ja.rstrip("。")], [a.rule_en.rstrip(".")]
    if not _judged(a):
        ja.append("判定に含めません")
        en.append("not counted")
    else:
        s = _standing(f)
        if s.margin is FULL:
            ja.append("目標どおりのため十分に達成とみなします")
            en.append("an exact target met counts as fully met")
        elif isinstance(s.margin, Decimal):
            if a.expected is not None:
                ja.append(f"想定比 {_percent(s.margin)}")
                en.append(f"{_percent(s.margin)} against the expected pace")
            else:
                ja.append(f"目標比 {_percent(s.margin)}")
                en.append(f"{_percent(s.margin)} of target")
    rank = _rank(f)
    if rank is not None:
        count = f.benchmark.branch_count if f.benchmark else None
        ja.append(f"全国{rank}位" + (f"（{count}支部中）" if count else ""))
        en.append(f"national rank {rank}" + (f" of {count}" if count else ""))
    return Text(f"{kpi.name}: " + "、".join(ja) + "。", f"{kpi.name}: " + "; ".join(en) + ".")


def describe_step(step: Step) -> Text:
    """A step's conditions in words ('達成した指標の割合 100%以上、…')."""
    parts: list[Text] = []
    if step.share_met_min is not None:
        p = _percent(step.share_met_min, signed=False)
        parts.append(Text(f"達成した指標の割合 {p}以上", f"KPIs met at least {p}"))
    if step.average_min is not None:
        p = _percent(step.average_min)
        parts.append(Text(f"目標比の平均 {p}以上", f"average margin at least {p}"))
    if step.weakest_min is not None:
        p = _percent(step.weakest_min)
        parts.append(Text(f"最も低い指標の目標比 {p}以上", f"weakest margin at least {p}"))
    if step.weakest_max is not None:
        p = _percent(step.weakest_max)
        parts.append(Text(f"最も低い指標の目標比 {p}以下", f"weakest margin at most {p}"))
    if not parts:
        return Text("ほかの目安に当たらない", "no other step applies")
    return Text("、", ", ").join(parts)


def _rule_line(step: Step, symbol: str, lifted: list[KpiFigures] | None, rules: ScaleRules) -> Text:
    rule = describe_step(step)
    line = Text(f"目安: {step.mark} = {rule.ja}", f"Rule: {step.mark} = {rule.en}")
    if lifted is not None and symbol != step.mark:
        line += Text(
            f"。全国順位がすべて{rules.rank_lift_top}位以内のため1段階上げて{symbol}",
            f". Every national rank within the top {rules.rank_lift_top}: one step up to {symbol}",
        )
    return line + Text("。", ".")
