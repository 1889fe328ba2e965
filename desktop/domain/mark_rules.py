"""HQ's rules for suggesting a mark from the figures, as data.

A rule set holds, per scale (mid-year ◎ ○ △, annual S–D), an ordered list of
steps. The first step whose conditions all hold gives the suggested mark; the
last step has no condition (what is left). A condition looks at all the KPIs of
the rating scope together (desktop/domain/mark_suggestion.py computes them):

- ``share_met_min``: the share of the judged KPIs that are met (or on pace), 0–1;
- ``average_min``: their average margin at least this;
- ``weakest_min`` / ``weakest_max``: the weakest KPI's margin at least / at most this.

A margin is the distance from the target in the good direction, relative to
the target: +0.10 is 10 % beyond it, −0.10 10 % short. ``rank_lift_top``
(optional): when every KPI of the scope that has a national rank ranks within
the top N, the mark is lifted one step (never above the scale's best mark).

HQ sets the rules in its template; branch plans made from the template carry
them (plan JSON ``mark_rules``, the plans table, the workbook manifest). A
plan without rules uses :data:`DEFAULT_MARK_RULES`: PlanDesk's thresholds of
old (10 % and 5 % beyond the target, 10 % short), documented in README.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from typing import Any

from desktop.domain.model import PeriodKind
from desktop.domain.scales import ANNUAL, MIDYEAR, Scale

MAX_STEPS = 12
_MARGIN_RANGE = (Decimal(-10), Decimal(10))
CONDITIONS = ("share_met_min", "average_min", "weakest_min", "weakest_max")


class MarkRulesError(ValueError):
    """Rules that cannot be used; ``where`` names the place (``$.annual.steps[1]``)."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


@dataclass(frozen=True, slots=True)
class Step:
    """One mark and the conditions the scope's figures must meet for it."""

    mark: str
    share_met_min: Decimal | None = None
    average_min: Decimal | None = None
    weakest_min: Decimal | None = None
    weakest_max: Decimal | None = None

    @property
    def is_rest(self) -> bool:
        """No condition: the mark for whatever no earlier step took."""
        return all(getattr(self, name) is None for name in CONDITIONS)


@dataclass(frozen=True, slots=True)
class ScaleRules:
    steps: tuple[Step, ...]
    rank_lift_top: int | None = None  # ranks 1..N lift the mark one step


@dataclass(frozen=True, slots=True)
class MarkRules:
    midyear: ScaleRules
    annual: ScaleRules

    def for_period(self, period: PeriodKind) -> ScaleRules:
        return self.midyear if period is PeriodKind.MIDYEAR else self.annual


ONE = Decimal(1)
DEFAULT_MARK_RULES = MarkRules(
    midyear=ScaleRules(
        (
            Step("◎", share_met_min=ONE, average_min=Decimal("0.10")),
            Step("○", share_met_min=ONE),
            Step("△"),
        )
    ),
    annual=ScaleRules(
        (
            Step("S", share_met_min=ONE, average_min=Decimal("0.10")),
            Step("A", share_met_min=ONE, average_min=Decimal("0.05")),
            Step("B", share_met_min=ONE),
            Step("D", weakest_max=Decimal("-0.10")),
            Step("C"),
        )
    ),
)


def rules_of(rules: MarkRules | None) -> MarkRules:
    """A plan's rules: its own, else the default."""
    return rules if rules is not None else DEFAULT_MARK_RULES


# --- as data (plan JSON, the database, the workbook) ---------------------------------


def to_data(rules: MarkRules) -> dict[str, Any]:
    """Plain JSON-able data; numbers as strings, conditions only where set."""
    return {"midyear": _scale_data(rules.midyear), "annual": _scale_data(rules.annual)}


def _scale_data(scale: ScaleRules) -> dict[str, Any]:
    steps = []
    for step in scale.steps:
        d: dict[str, Any] = {"mark": step.mark}
        for name in CONDITIONS:
            value = getattr(step, name)
            if value is not None:
                d[name] = str(value)
        steps.append(d)
    out: dict[str, Any] = {"steps": steps}
    if scale.rank_lift_top is not None:
        out["rank_lift_top"] = scale.rank_lift_top
    return out


def dump_rules(rules: MarkRules) -> str:
    """Compact JSON text (how the database and the workbook hold the rules)."""
    return json.dumps(to_data(rules), ensure_ascii=False, separators=(",", ":"))


def load_rules(text: str) -> MarkRules:
    """The rules :func:`dump_rules` wrote; MarkRulesError for anything else."""
    try:
        data = json.loads(text, parse_float=_JsonNumber, parse_int=_small_int)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise MarkRulesError("$", f"not valid JSON ({exc})") from exc
    return from_data(data)


class _JsonNumber:
    """A JSON number where a figure must be a string: kept as written (never a float),
    refused by the check of the field it stands in."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _small_int(text: str) -> int | _JsonNumber:
    # Only a rank (1..47) is an integer; a huge one must not reach int() (digit limit).
    return int(text) if len(text) <= 4 else _JsonNumber(text)


def from_data(data: Any, where: str = "$") -> MarkRules:
    """Checked rules from plain data: every mark of its scale, known conditions,
    numbers in range, the last step without conditions."""
    if not isinstance(data, dict):
        raise MarkRulesError(where, "an object with 'midyear' and 'annual' expected")
    unknown = set(data) - {"midyear", "annual"}
    if unknown:
        raise MarkRulesError(where, f"unknown field {sorted(unknown)[0]!r}")
    return MarkRules(
        midyear=_scale_rules(data.get("midyear"), f"{where}.midyear", MIDYEAR),
        annual=_scale_rules(data.get("annual"), f"{where}.annual", ANNUAL),
    )


def _scale_rules(d: Any, where: str, scale: Scale) -> ScaleRules:
    if not isinstance(d, dict):
        raise MarkRulesError(where, "an object with 'steps' expected")
    unknown = set(d) - {"steps", "rank_lift_top"}
    if unknown:
        raise MarkRulesError(where, f"unknown field {sorted(unknown)[0]!r}")
    raw = d.get("steps")
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_STEPS:
        raise MarkRulesError(f"{where}.steps", f"a list of 1 to {MAX_STEPS} steps expected")
    steps = tuple(_step(s, f"{where}.steps[{i}]", scale) for i, s in enumerate(raw))
    seen: set[str] = set()
    for i, step in enumerate(steps):
        if step.mark in seen:
            raise MarkRulesError(f"{where}.steps[{i}].mark", f"{step.mark!r} appears twice")
        seen.add(step.mark)
        last = i == len(steps) - 1
        if last and not step.is_rest:
            raise MarkRulesError(f"{where}.steps[{i}]", "the last step has no conditions")
        if not last and step.is_rest:
            raise MarkRulesError(f"{where}.steps[{i}]", "only the last step has no conditions")
    top = d.get("rank_lift_top")
    if top is not None and (
        not isinstance(top, int) or isinstance(top, bool) or not 1 <= top <= 47
    ):
        raise MarkRulesError(f"{where}.rank_lift_top", f"1..47 or null expected, got {top!r}")
    return ScaleRules(steps, top)


def _step(d: Any, where: str, scale: Scale) -> Step:
    if not isinstance(d, dict):
        raise MarkRulesError(where, "an object expected")
    names = {f.name for f in fields(Step)}
    unknown = set(d) - names
    if unknown:
        raise MarkRulesError(where, f"unknown condition {sorted(unknown)[0]!r}")
    mark = d.get("mark")
    ranked = tuple(m.symbol for m in scale.marks if m.rank is not None)
    if mark not in ranked:
        raise MarkRulesError(f"{where}.mark", f"{mark!r} is not one of {ranked}")
    values: dict[str, Decimal | None] = {}
    for name in CONDITIONS:
        value = _number(d.get(name), f"{where}.{name}")
        if value is not None:
            low, high = (Decimal(0), ONE) if name == "share_met_min" else _MARGIN_RANGE
            if not low <= value <= high:
                raise MarkRulesError(f"{where}.{name}", f"{low}..{high} expected, got {value}")
        values[name] = value
    return Step(mark, **values)


def _number(value: Any, where: str) -> Decimal | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 24:
        raise MarkRulesError(where, f"a number as a string expected, got {value!r}")
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        raise MarkRulesError(where, f"not a number: {value!r}") from None
    if not number.is_finite():
        raise MarkRulesError(where, f"not a number: {value!r}")
    return number
