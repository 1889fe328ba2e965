"""Year rollover's rules: what a branch's plan carries into the next year.

The new plan takes HQ's template: its tree and its KPIs. Each template KPI is
matched to the branch's KPI of the previous year by its normalised name
(:func:`desktop.domain.series.kpi_identity`); a match carries last year's
figure over as the baseline (``last_year_actual``) and last year's monthly
figures as the pace curve (``last_year_profile``), and a 対前年度以上／以下
target is resolved to that figure (``target`` = the number, ``target_kind``
stays PREV_YEAR so the printed target still reads 対前年度以上（…）).

Baselines are the branch's own: whatever the template holds there (HQ's
figures) is not carried into a branch plan. A figure in another unit is not a
baseline either (a definition change that makes it incomparable).

The branch's own sections, items and KPIs (支部独自) carry over with their
targets where HQ's new template still lets a branch add there
(``PlanNode.allows_branch_additions``): last year's figure becomes 前年度 as for
HQ's KPIs. Where the template no longer has the place, or no longer allows
additions there, they are left behind and listed with the reason (:class:`LeftBehind`).

KPIs that are new (【新設】 in the template, or without a match last year) or
whose definition changed (marked so by HQ, or unit / direction / decimals
differ from last year's) need a person's confirmation
(:func:`kpis_to_confirm`). Which KPIs need one is worked out from the two
plans, the same way the rollover did, so nothing else has to be stored.

Pure: ``desktop.services.rollover`` reads the plans, stores the new one and
its audit entries.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Literal, NamedTuple

from desktop.domain.achievement import format_value
from desktop.domain.branch_targets import branch_kpis
from desktop.domain.branches import Branch
from desktop.domain.calendar import YearMonth
from desktop.domain.model import Direction, Kpi, PeriodKind, Plan, PlanNode, Source, TargetKind
from desktop.domain.parsing import quantize
from desktop.domain.series import kpi_identity

FlagReason = Literal["new", "definition_changed"]

UNRESOLVED_JA = "前年度の実績がないため目標未確定"
UNRESOLVED_EN = "Target not set: no actual for last year"

_DIRECTION_JA = {
    Direction.AT_LEAST: "以上",
    Direction.AT_MOST: "以下",
    Direction.EXACTLY: "一致",
    Direction.QUALITATIVE: "実施",
}
_DIRECTION_EN = {
    Direction.AT_LEAST: "at least",
    Direction.AT_MOST: "at most",
    Direction.EXACTLY: "exactly",
    Direction.QUALITATIVE: "done / not done",
}


@dataclass(frozen=True, slots=True)
class Baseline:
    """Last year's figure carried into the new plan, and where it came from."""

    kpi_key: str  # the new plan's KPI key
    name: str
    value: Decimal | None  # None when only the monthly profile was carried
    period: PeriodKind | None  # the report it came from
    as_of: YearMonth | None  # the figure's as-of month (時点)
    preliminary: bool
    profile_months: int  # how many monthly figures became the pace curve
    from_kpi_key: str  # last year's KPI key


@dataclass(frozen=True, slots=True)
class ResolvedTarget:
    """A 対前年度 target that became a number."""

    kpi_key: str
    name: str
    value: Decimal
    period: PeriodKind
    as_of: YearMonth | None
    preliminary: bool
    text_ja: str  # e.g. 対前年度以上（31.58％、令和6年5月時点・上期報告）
    text_en: str  # e.g. at least last year (31.58％, as of 2024-05, mid-year report)

    def text(self, lang: str = "ja") -> str:
        return self.text_ja if lang == "ja" else self.text_en


@dataclass(frozen=True, slots=True)
class UnresolvedTarget:
    """A 対前年度 target left open: no usable figure last year."""

    kpi_key: str
    name: str
    reason_ja: str
    reason_en: str


@dataclass(frozen=True, slots=True)
class FlaggedKpi:
    """A KPI a person has to confirm: new (新設) or with a changed definition."""

    kpi_key: str
    name: str
    reason: FlagReason
    detail_ja: str
    detail_en: str

    def detail(self, lang: str = "ja") -> str:
        return self.detail_ja if lang == "ja" else self.detail_en


@dataclass(frozen=True, slots=True)
class CarriedKpi:
    """What the rollover does with one template KPI."""

    kpi: Kpi  # the new plan's KPI, baselines and resolved target filled in
    baseline: Baseline | None
    resolved: ResolvedTarget | None
    unresolved: UnresolvedTarget | None
    flag: FlaggedKpi | None


class LastYearFigure(NamedTuple):
    value: Decimal
    period: PeriodKind  # the report it was reported in
    as_of: YearMonth | None
    preliminary: bool


def last_year_figure(plan: Plan, kpi_key: str) -> LastYearFigure | None:
    """A KPI's figure in ``plan``: the annual report's when it has one, else the
    latest report's."""
    for period in (PeriodKind.ANNUAL, PeriodKind.MIDYEAR):
        report = plan.report(period)
        if report is None:
            continue
        m = next((m for m in report.measurements if m.kpi_key == kpi_key), None)
        value = m.effective_value() if m is not None else None
        if m is not None and value is not None:
            if m.value is None:
                # A rate from its parts (1/3 → 33.333…): the figure as the report
                # printed it, at the KPI's decimals, not an endless fraction.
                decimals = next(k.decimals for k in plan.kpis if k.key == kpi_key)
                value = quantize(value, decimals)
            return LastYearFigure(value, period, m.as_of or report.as_of, m.preliminary)
    return None


def branch_title(template: Plan, unit: Branch) -> str:
    """The branch plan's title: 本部 in the template's title becomes the branch."""
    title = template.title.replace("本部", unit.name_ja)
    return title if title != template.title else f"{unit.name_ja} {template.title}"


def next_year_plan(
    template: Plan, previous: Plan, unit: Branch
) -> tuple[Plan, tuple[CarriedKpi, ...]]:
    """The branch's plan for the template's year (no reports yet), and what
    happened to each of its KPIs: :func:`next_year` without what was left behind."""
    found = next_year(template, previous, unit)
    return found.plan, found.carried


@dataclass(frozen=True, slots=True)
class LeftBehind:
    """A section, item or KPI the branch added itself (支部独自) last year that the
    rollover did not carry over, and why."""

    kind: Literal["node", "kpi"]
    key: str
    name: str  # as printed: label and title / name
    reason_ja: str
    reason_en: str

    def reason(self, lang: str = "ja") -> str:
        return self.reason_ja if lang == "ja" else self.reason_en


@dataclass(frozen=True, slots=True)
class NextYear:
    """The branch's plan for the template's year and how it came about."""

    plan: Plan
    carried: tuple[CarriedKpi, ...]  # HQ's KPIs, then the branch's own carried over
    own_nodes: tuple[str, ...] = ()  # keys of the branch's own nodes carried over
    left_behind: tuple[LeftBehind, ...] = ()


def next_year(template: Plan, previous: Plan, unit: Branch) -> NextYear:
    """The branch's plan for the template's year. Each of HQ's KPIs takes the branch's
    target from HQ's table of targets per branch (``branch_kpis``) before last year is
    carried; the branch's own sections, items and KPIs (支部独自) carry over with their
    targets — last year's figure becoming 前年度 — where HQ's new template still lets a
    branch add there, and are listed as left behind, with the reason, where it does not."""
    carried = [carry_kpi(k, previous) for k in branch_kpis(template, unit.code)]
    nodes = list(template.nodes)
    own_nodes, left = _carry_own_nodes(template, previous, nodes)
    taken = {k.kpi.key for k in carried}
    for k in previous.kpis:
        if not k.own:
            continue
        name = f"{k.label}{k.name}"
        home = next((n for n in nodes if n.key == k.node_key), None)
        if k.node_key in own_nodes:
            why = None
        elif previous.node(k.node_key).own:
            continue  # its own section was left behind: listed there
        elif home is None:
            why = _no_parent(previous.node(k.node_key).display_title)
        elif not home.allows_branch_additions:
            why = _not_allowed(home.display_title)
        else:
            why = None
        if why is None and k.key in taken:
            why = _key_taken(k.key)
        if why is not None:
            left.append(LeftBehind("kpi", k.key, name, *why))
            continue
        taken.add(k.key)
        carried.append(carry_kpi(_own_kpi_for_next_year(k), previous))
    plan = Plan(
        branch=unit.code,
        fiscal_year=template.fiscal_year,
        title=branch_title(template, unit),
        basic_policy=template.basic_policy,
        nodes=tuple(nodes),
        kpis=tuple(c.kpi for c in carried),
        reports=(),
        mark_rules=template.mark_rules,  # HQ's rules for suggested marks, as the template sets
        # How the report is organised, as the template says (issue 16 item 2).
        report_axis=template.report_axis,
        number_per_group=template.number_per_group,
        print_profiles=template.print_profiles,  # and the report layout per period
    )
    return NextYear(plan, tuple(carried), tuple(own_nodes), tuple(left))


def _own_kpi_for_next_year(k: Kpi) -> Kpi:
    """Last year's own KPI as next year's starting point: its definition and targets,
    without last year's figures of the year (carry_kpi fills 前年度 and 前々年度 in)."""
    return replace(
        k,
        is_new=False,  # 【新設】 was last year's news
        monthly_actuals=(),
        last_year_profile=(),
        last_year_national_average=None,
        last_year_national_rank=None,
    )


def _no_parent(title: str) -> tuple[str, str]:
    return (
        f"本部の新しい計画に「{title}」がないため引き継いでいません。",
        f"Not carried over: HQ's new plan has no '{title}'.",
    )


def _not_allowed(title: str) -> tuple[str, str]:
    return (
        f"本部の新しい計画では「{title}」の下に支部独自の項目・KPIを追加できないため"
        "引き継いでいません。",
        f"Not carried over: HQ's new plan does not let a branch add its own items or KPIs "
        f"under '{title}'.",
    )


def _key_taken(key: str) -> tuple[str, str]:
    return (
        f"本部の新しい計画が同じ識別子（{key}）を使っているため引き継いでいません。",
        f"Not carried over: HQ's new plan uses the same key ({key}).",
    )


def _carry_own_nodes(
    template: Plan, previous: Plan, nodes: list[PlanNode]
) -> tuple[list[str], list[LeftBehind]]:
    """Append last year's own nodes (and everything under them) to ``nodes`` where HQ's
    template allows; the keys carried, and what was left behind with the reason."""
    carried: list[str] = []
    left: list[LeftBehind] = []
    by_key = {n.key: n for n in template.nodes}
    for root in previous.nodes:
        if not root.own or (root.parent_key and previous.node(root.parent_key).own):
            continue  # not the top of an own part: goes with its top
        parent = by_key.get(root.parent_key) if root.parent_key else None
        if root.parent_key is None or parent is None:
            title = previous.node(root.parent_key).display_title if root.parent_key else "—"
            why = _no_parent(title)
        elif not parent.allows_branch_additions:
            why = _not_allowed(parent.display_title)
        else:
            why = None
        part = _subtree(previous, root.key)
        clash = next((n.key for n in part if n.key in by_key), None)
        if why is None and clash is not None:
            why = _key_taken(clash)
        if why is not None:
            left.append(LeftBehind("node", root.key, root.display_title, *why))
            continue
        # After HQ's parts under the same parent, in last year's order among themselves.
        siblings = [n for n in nodes if n.parent_key == root.parent_key]
        last = max((n.position for n in siblings), default=-1)
        nodes.append(replace(root, position=last + 1))
        nodes.extend(part[1:])
        carried.extend(n.key for n in part)
    return carried, left


def _subtree(plan: Plan, key: str) -> list[PlanNode]:
    out = [plan.node(key)]
    for child in plan.children(key):
        out += _subtree(plan, child.key)
    return out


def _source_ja(period: PeriodKind, as_of: YearMonth | None, preliminary: bool) -> str:
    when = f"{as_of.era_label()}時点" if as_of else "時点不明"
    report = "事業報告" if period is PeriodKind.ANNUAL else "上期報告"
    return f"{when}・{report}{'・速報値' if preliminary else ''}"


def _source_en(period: PeriodKind, as_of: YearMonth | None, preliminary: bool) -> str:
    when = f"as of {as_of.iso()}" if as_of else "as-of month unknown"
    report = "annual report" if period is PeriodKind.ANNUAL else "mid-year report"
    return f"{when}, {report}{', preliminary' if preliminary else ''}"


def _differences(new: Kpi, old: Kpi) -> tuple[list[str], list[str]]:
    ja: list[str] = []
    en: list[str] = []
    if new.unit != old.unit:
        ja.append(f"単位 {old.unit or '（なし）'} → {new.unit or '（なし）'}")
        en.append(f"unit {old.unit or '(none)'} → {new.unit or '(none)'}")
    if new.direction is not old.direction:
        ja.append(f"方向 {_DIRECTION_JA[old.direction]} → {_DIRECTION_JA[new.direction]}")
        en.append(f"direction {_DIRECTION_EN[old.direction]} → {_DIRECTION_EN[new.direction]}")
    if new.decimals != old.decimals:
        ja.append(f"小数桁数 {old.decimals} → {new.decimals}")
        en.append(f"decimals {old.decimals} → {new.decimals}")
    return ja, en


def carry_kpi(kpi: Kpi, previous: Plan | None) -> CarriedKpi:
    """What the rollover does with one template KPI, given last year's plan."""
    identity = kpi_identity(kpi)
    match = (
        next((k for k in previous.kpis if kpi_identity(k) == identity), None)
        if previous is not None
        else None
    )
    qualitative = kpi.direction is Direction.QUALITATIVE
    comparable = match is not None and match.unit == kpi.unit and not qualitative
    figure = last_year_figure(previous, match.key) if comparable and previous and match else None
    profile = match.monthly_actuals if comparable and match is not None else ()

    # Baselines are the branch's own; the template's (HQ's) are not carried.
    # Where each came from is kept: a figure carried here is shown as 前年度から繰越, and
    # last year's own baseline becomes the year before's (前々年度実績).
    carried = figure.value if figure else None
    prior = match.last_year_actual if comparable and match is not None else None
    new = replace(
        kpi,
        last_year_actual=carried,
        last_year_source=Source.ROLLOVER if carried is not None else None,
        prior_year_actual=prior,
        prior_year_source=Source.ROLLOVER if prior is not None else None,
        last_year_profile=profile,
    )
    baseline = None
    if match is not None and (figure or profile):
        baseline = Baseline(
            kpi_key=kpi.key,
            name=kpi.name,
            value=figure.value if figure else None,
            period=figure.period if figure else None,
            as_of=figure.as_of if figure else None,
            preliminary=figure.preliminary if figure else False,
            profile_months=len(profile),
            from_kpi_key=match.key,
        )

    resolved = unresolved = None
    if kpi.target_kind.from_last_year and not qualitative:
        year_end = kpi.target_kind is TargetKind.PREV_YEAR_END
        # 対前年度末: only a year-end figure (the annual report's) is the target; a
        # mid-year figure is not last year's end.
        target_figure = figure
        if year_end and figure is not None and figure.period is not PeriodKind.ANNUAL:
            target_figure = None
        if target_figure is not None:
            value, period, as_of, preliminary = target_figure
            new = replace(new, target=value)
            # Shown as last year reported it (its decimals), not rounded to this year's.
            shown = format_value(match or kpi, value)
            resolved = ResolvedTarget(
                kpi_key=kpi.key,
                name=kpi.name,
                value=value,
                period=period,
                as_of=as_of,
                preliminary=preliminary,
                text_ja=f"対前年度{'末' if year_end else ''}{kpi.direction.suffix_ja}（{shown}、"
                f"{_source_ja(period, as_of, preliminary)}）",
                text_en=f"{_DIRECTION_EN[kpi.direction]} last year{'-end' if year_end else ''} "
                f"({shown}, {_source_en(period, as_of, preliminary)})",
            )
        else:
            new = replace(new, target=None)
            if match is not None and not comparable:
                ja = f"{UNRESOLVED_JA}（前年度は単位が異なり比較できません）"
                en = f"{UNRESOLVED_EN} (last year's figure is in another unit)"
            elif year_end and figure is not None:
                ja = "前年度末（年度の事業報告）の実績がないため目標未確定"
                en = "Target not set: no year-end (annual report) figure for last year"
            else:
                ja, en = UNRESOLVED_JA, UNRESOLVED_EN
            unresolved = UnresolvedTarget(kpi.key, kpi.name, ja, en)

    flag = _flag(kpi, match, baseline)
    return CarriedKpi(new, baseline, resolved, unresolved, flag)


def _flag(kpi: Kpi, match: Kpi | None, baseline: Baseline | None) -> FlaggedKpi | None:
    carried_ja = carried_en = ""
    if baseline is not None and baseline.value is not None and baseline.period is not None:
        shown = format_value(match or kpi, baseline.value)
        carried_ja = (
            f"前年度の同名KPIの実績（{shown}、"
            f"{_source_ja(baseline.period, baseline.as_of, baseline.preliminary)}）を"
            "引き継ぎました。"
        )
        carried_en = (
            f"Last year's figure of the KPI with this name ({shown}, "
            f"{_source_en(baseline.period, baseline.as_of, baseline.preliminary)}) was carried over."
        )
    if match is None:
        if kpi.is_new:
            why_ja = "本部の計画で【新設】とされ、前年度の計画に同名のKPIはありません。"
            why_en = "Marked new by HQ; last year's plan has no KPI with this name."
        else:
            why_ja = "前年度の計画に同名のKPIがありません（新設、または名称の変更）。"
            why_en = "Last year's plan has no KPI with this name (new, or renamed)."
        return FlaggedKpi(
            kpi.key,
            kpi.name,
            "new",
            f"{why_ja}前年度の実績は引き継いでいません。目標と定義を確認してください。",
            f"{why_en} No figure was carried over. Check its target and definition.",
        )
    if kpi.is_new:
        return FlaggedKpi(
            kpi.key,
            kpi.name,
            "new",
            f"本部の計画で【新設】とされています。{carried_ja}目標と定義を確認してください。",
            " ".join(
                p
                for p in ("Marked new by HQ.", carried_en, "Check its target and definition.")
                if p
            ),
        )
    ja_diff, en_diff = _differences(kpi, match)
    if kpi.definition_changed or ja_diff:
        parts_ja = []
        parts_en = []
        if kpi.definition_changed:
            parts_ja.append("本部の計画で算出方法の変更とされています。")
            parts_en.append("HQ marked its definition as changed.")
        if ja_diff:
            parts_ja.append(f"前年度と定義が異なります（{'、'.join(ja_diff)}）。")
            parts_en.append(f"Its definition differs from last year's ({', '.join(en_diff)}).")
        if carried_ja:
            parts_ja.append(carried_ja + "比較できるか確認してください。")
            parts_en.append(carried_en + " Check that it is comparable.")
        elif kpi.unit != match.unit:
            parts_ja.append("前年度の実績は引き継いでいません。")
            parts_en.append("Last year's figure was not carried over.")
        return FlaggedKpi(
            kpi.key, kpi.name, "definition_changed", "".join(parts_ja), " ".join(parts_en)
        )
    return None


def kpis_to_confirm(plan: Plan, previous: Plan | None) -> list[FlaggedKpi]:
    """The new and redefined KPIs of ``plan``, in plan order, compared with the
    branch's plan of the year before (None: only what HQ marked counts)."""
    flags = []
    for kpi in plan.kpis:
        if previous is None:  # nothing to compare with: only what HQ marked
            if kpi.is_new or kpi.definition_changed:
                reason: FlagReason = "new" if kpi.is_new else "definition_changed"
                flags.append(
                    FlaggedKpi(
                        kpi.key,
                        kpi.name,
                        reason,
                        "本部の計画で【新設】とされています。"
                        if kpi.is_new
                        else "本部の計画で算出方法の変更とされています。",
                        "Marked new by HQ."
                        if kpi.is_new
                        else "HQ marked its definition as changed.",
                    )
                )
            continue
        flag = carry_kpi(kpi, previous).flag
        if flag is not None:
            flags.append(flag)
    return flags
