"""HQ's targets per branch (支部別目標): the text of one cell as people type or
paste it, the checks against its KPI, and what a branch's plan takes from it.

A cell holds one of:

- a number, optionally with the KPI's unit and its direction: ``60.0``,
  ``60.0％以上``, ``15％以下``, ``100％`` — a fixed target; the direction is the
  KPI's (a stated 以上／以下 must agree with it);
- ``対前年度以上`` / ``対前年度以下``: last year's actual;
- ``対前年度末以上`` / ``対前年度末以下``: last year's year-end (March) figure,
  held all year (see ``TargetKind.PREV_YEAR_END``);
- ``実施``: a qualitative KPI (done / not done);
- ``支部設定``: left to the branch, which sets it in its own plan;
- nothing: the template KPI's own target (the default).

Full-width digits and ％ are accepted. Pure: the store keeps the table with HQ's
template plan, the workbooks and the grid show the cells' text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from desktop.domain.branches import BRANCHES
from desktop.domain.errors import BadInput
from desktop.domain.model import (
    BranchTarget,
    BranchTargetKind,
    BranchTargets,
    Direction,
    Kpi,
    Plan,
    TargetKind,
)
from desktop.domain.parsing import ParseError, format_decimal, normalize_input, parse_decimal
from desktop.domain.parsing import written_places as _places
from desktop.domain.text import Text

BY_BRANCH_JA = "支部設定"
DONE_JA = "実施"
_PREV_YEAR_END = "対前年度末"
_PREV_YEAR = "対前年度"
_SUFFIXES = {"以上": Direction.AT_LEAST, "以下": Direction.AT_MOST}
_DIRECTION_WORDS = {
    Direction.AT_LEAST: Text("以上", "at least"),
    Direction.AT_MOST: Text("以下", "at most"),
    Direction.EXACTLY: Text("ちょうど", "exactly"),
    Direction.QUALITATIVE: Text("実施", "done / not done"),
}
FORMS = Text(
    "使える書き方: 60.0、60.0％以上、15％以下、対前年度以上、対前年度末以上、実施、支部設定、空欄（本部の既定）",
    "accepted: 60.0, 60.0％以上, 15％以下, 対前年度以上, 対前年度末以上, 実施, 支部設定, "
    "or blank (HQ's default)",
)


class TargetCellError(BadInput):
    """One cell's text is not a target for its KPI; ``why`` is the reason alone (a
    table's error lists it per cell), the message adds the forms accepted."""

    def __init__(self, original: str, why: Text) -> None:
        super().__init__(
            Text(
                f"「{original}」は目標として使えません（", f"'{original}' is not a usable target ("
            )
            + why
            + Text(f"）。{FORMS.ja}", f"). {FORMS.en}.")
        )
        self.why = Text(f"「{original}」：", f"'{original}': ") + why


def _refuse(original: str, why: Text) -> TargetCellError:
    return TargetCellError(original, why)


def parse_cell(text: str | None, kpi: Kpi) -> BranchTarget | None:
    """The target a cell's text sets for ``kpi``; None for a blank cell (the
    template's default). Raises TargetCellError, saying why in both languages."""
    if text is None or not text.strip():
        return None
    original = text.strip()
    s = normalize_input(text).replace(" ", "")
    if s == BY_BRANCH_JA:
        return BranchTarget(BranchTargetKind.BY_BRANCH)
    qualitative = kpi.direction is Direction.QUALITATIVE
    if s == DONE_JA:
        if not qualitative:
            raise _refuse(
                original, Text("このKPIは数値の目標です", "this KPI has a numeric target")
            )
        return BranchTarget(BranchTargetKind.QUALITATIVE)
    if qualitative:
        raise _refuse(
            original,
            Text(
                "このKPIは実施・未実施で判定します（「実施」か「支部設定」）",
                "this KPI is judged done / not done ('実施' or '支部設定')",
            ),
        )
    for prefix, kind in (
        (_PREV_YEAR_END, BranchTargetKind.PREV_YEAR_END),
        (_PREV_YEAR, BranchTargetKind.PREV_YEAR),
    ):
        if s.startswith(prefix):
            rest = s[len(prefix) :]
            if kpi.direction not in _SUFFIXES.values():
                raise _refuse(
                    original,
                    Text(
                        "前年度と比べる目標は以上・以下のKPIにだけ使えます",
                        "a target relative to last year needs an at-least or at-most KPI",
                    ),
                )
            if rest and _SUFFIXES.get(rest) is not kpi.direction:
                raise (
                    _wrong_direction(original, kpi)
                    if rest in _SUFFIXES
                    else _refuse(
                        original, Text(f"「{rest}」が読めません", f"'{rest}' is not understood")
                    )
                )
            return BranchTarget(kind)
    stated: Direction | None = None
    for suffix, direction in _SUFFIXES.items():
        if s.endswith(suffix):
            stated, s = direction, s[: -len(suffix)]
            break
    if stated is not None and stated is not kpi.direction:
        raise _wrong_direction(original, kpi)
    try:
        value = parse_decimal(s, unit=kpi.unit)
    except ParseError as exc:
        raise TargetCellError(original, exc.text) from None
    if value is None:
        raise _refuse(original, Text("数値がありません", "no number"))
    return BranchTarget(BranchTargetKind.FIXED, value)


def _wrong_direction(original: str, kpi: Kpi) -> TargetCellError:
    words = _DIRECTION_WORDS[kpi.direction]
    return _refuse(
        original,
        Text(
            f"このKPIは「{words.ja}」で判定します。向きは本部のKPIの定義で決まります",
            f"this KPI is judged '{words.en}'; the direction is HQ's KPI definition",
        ),
    )


def format_cell(target: BranchTarget | None, kpi: Kpi) -> str:
    """A cell's text, as ``parse_cell`` reads it back: '60.0％以上', '対前年度末以上',
    '実施', '支部設定'; '' for the template's default."""
    if target is None:
        return ""
    kind = target.kind
    suffix = kpi.direction.suffix_ja
    if kind is BranchTargetKind.BY_BRANCH:
        return BY_BRANCH_JA
    if kind is BranchTargetKind.QUALITATIVE:
        return DONE_JA
    if kind is BranchTargetKind.PREV_YEAR:
        return f"{_PREV_YEAR}{suffix}"
    if kind is BranchTargetKind.PREV_YEAR_END:
        return f"{_PREV_YEAR_END}{suffix}"
    assert target.value is not None
    number = format_decimal(target.value, _places(target.value), grouping=False)
    return f"{number}{kpi.unit}{suffix}"


def default_text(kpi: Kpi) -> str:
    """What a blank cell means: the template KPI's own target, in a cell's words."""
    if kpi.target_by_branch and kpi.target is None:
        return BY_BRANCH_JA
    if kpi.direction is Direction.QUALITATIVE:
        return DONE_JA
    if kpi.target_kind is TargetKind.PREV_YEAR:
        return f"{_PREV_YEAR}{kpi.direction.suffix_ja}"
    if kpi.target_kind is TargetKind.PREV_YEAR_END:
        return f"{_PREV_YEAR_END}{kpi.direction.suffix_ja}"
    if kpi.target is None:
        return ""
    return format_cell(BranchTarget(BranchTargetKind.FIXED, kpi.target), kpi)


# --- what a branch's plan takes ----------------------------------------------------------


def branch_kpi(kpi: Kpi, target: BranchTarget | None) -> Kpi:
    """The template KPI as a branch's plan holds it, with the branch's target.

    HQ's target parts (対象者数・見込者数 targets) are national: a branch with a
    target of its own does not take them."""
    if target is None or target.kind is BranchTargetKind.QUALITATIVE:
        return kpi
    own = replace(kpi, numerator_target=None, denominator_target=None, target_by_branch=False)
    if target.kind is BranchTargetKind.FIXED:
        return replace(own, target_kind=TargetKind.FIXED, target=target.value)
    if target.kind is BranchTargetKind.PREV_YEAR:
        return replace(own, target_kind=TargetKind.PREV_YEAR, target=None)
    if target.kind is BranchTargetKind.PREV_YEAR_END:
        return replace(own, target_kind=TargetKind.PREV_YEAR_END, target=None)
    return replace(own, target_kind=TargetKind.FIXED, target=None, target_by_branch=True)


def branch_kpis(template: Plan, branch: str) -> tuple[Kpi, ...]:
    """The template's KPIs with ``branch``'s targets from HQ's table (a KPI the
    table says nothing about keeps the template's target)."""
    row = template.branch_targets.of_branch(branch)
    return tuple(branch_kpi(k, row.get(k.key)) for k in template.kpis)


# --- a whole table (a paste, a file) -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BadCell:
    branch: str
    kpi_key: str
    text: str
    why: Text

    def place(self, kpi_name: str) -> Text:
        unit = BRANCHES[self.branch]
        return Text(f"{unit.name_ja}・{kpi_name}", f"{unit.name_en}, {kpi_name}")


class TargetTableError(BadInput):
    """Cells of a table that are not targets; nothing of the table was taken."""

    def __init__(self, bad: list[BadCell], names: Mapping[str, str]) -> None:
        shown = bad[:8]
        lines = [c.place(names.get(c.kpi_key, c.kpi_key)) + Text("：", ": ") + c.why for c in shown]
        more = len(bad) - len(shown)
        head = Text(
            f"目標として使えないセルが{len(bad)}件あります。何も変更していません。",
            f"{len(bad)} cell(s) are not usable targets. Nothing was changed.",
        )
        tail = [Text(f"ほか{more}件", f"and {more} more")] if more else []
        super().__init__(Text.same("\n").join([head, *lines, *tail]))
        self.bad = tuple(bad)


def parse_cells(
    plan: Plan, texts: Mapping[tuple[str, str], str | None]
) -> dict[tuple[str, str], BranchTarget | None]:
    """Every cell of ``texts`` ((branch, kpi key) → text) read against the plan's
    KPIs, as a whole: all of them, or TargetTableError naming every bad cell."""
    kpis = {k.key: k for k in plan.kpis}
    out: dict[tuple[str, str], BranchTarget | None] = {}
    bad: list[BadCell] = []
    for (branch, kpi_key), text in texts.items():
        kpi = kpis.get(kpi_key)
        if branch not in BRANCHES or branch == "00":
            bad.append(
                BadCell(branch, kpi_key, text or "", Text("支部がありません", "no such branch"))
            )
            continue
        if kpi is None:
            bad.append(BadCell(branch, kpi_key, text or "", Text("KPIがありません", "no such KPI")))
            continue
        try:
            out[(branch, kpi_key)] = parse_cell(text, kpi)
        except TargetCellError as exc:
            bad.append(BadCell(branch, kpi_key, text or "", exc.why))
    if bad:
        raise TargetTableError(bad, {k.key: k.name for k in plan.kpis})
    return out


def check_table(plan: Plan, table: BranchTargets) -> None:
    """Every cell of a stored or carried table still fits its KPI (a file's, a
    document's): re-reads each cell's text; raises TargetTableError."""
    kpis = {k.key: k for k in plan.kpis}
    texts = {(b, k): format_cell(t, kpis[k]) if k in kpis else "" for b, k, t in table.cells}
    parsed = parse_cells(plan, texts)
    for (b, k), target in parsed.items():
        if target != table.get(b, k):  # pragma: no cover - format_cell round-trips
            raise TargetTableError(
                [BadCell(b, k, texts[(b, k)], Text("読み直せません", "does not read back"))],
                {kpi.key: kpi.name for kpi in plan.kpis},
            )
