"""The plan tree, KPI definitions, measurements and section entries.

Plain frozen dataclasses: the store maps them to tables, the workbooks to
sheets, the UI shows them. Nothing here knows about either.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from desktop.domain.calendar import YearMonth
from desktop.domain.print_profiles import DEFAULT_PROFILES, ReportProfiles
from desktop.domain.text import Text

if TYPE_CHECKING:  # mark_rules imports this module
    from desktop.domain.mark_rules import MarkRules


class Level(StrEnum):
    """Depth of a plan node; printed labels are data, the level is structure."""

    PILLAR = "pillar"
    SECTION = "section"
    SUBSECTION = "subsection"
    ITEM = "item"
    SUBITEM = "subitem"

    @property
    def depth(self) -> int:
        return list(Level).index(self)


class Group(StrEnum):
    """The branch's working groups that own sections."""

    OPERATIONS = "業務"
    CLAIMS = "レセプト"
    HEALTH = "保健"
    PLANNING = "企画総務"

    def label(self, lang: str = "ja") -> str:
        """The group's name for people (the value, Japanese, is what is stored)."""
        return self.value if lang == "ja" else _GROUP_EN[self]


_GROUP_EN = {
    Group.OPERATIONS: "Operations",
    Group.CLAIMS: "Claims review",
    Group.HEALTH: "Health",
    Group.PLANNING: "Planning and general affairs",
}


class ReportAxis(StrEnum):
    """How a plan's report is organised (desktop/domain/report_order.py)."""

    TREE = "tree"  # pillars, sections, items as the plan tree has them (the default)
    GROUP = "group"  # under a heading per responsible group, in the plan's own order


class Direction(StrEnum):
    AT_LEAST = "at_least"  # 以上
    AT_MOST = "at_most"  # 以下
    EXACTLY = "exactly"  # e.g. 100％
    QUALITATIVE = "qualitative"  # 実施 / done or not

    @property
    def suffix_ja(self) -> str:
        return {"at_least": "以上", "at_most": "以下", "exactly": "", "qualitative": ""}[self.value]


class TargetKind(StrEnum):
    FIXED = "fixed"
    PREV_YEAR = "prev_year"  # 対前年度以上 / 以下: last year's actual is the target
    # 対前年度末以上 / 以下: last year's year-end (March) figure is the target, a level
    # to hold all year: never scaled by the pace of the year (see achievement.assess).
    PREV_YEAR_END = "prev_year_end"

    # The kinds below are judged in desktop/domain/target_rules.py.
    # A multi-year goal: Kpi.baseline_year / baseline_value → Kpi.goal_year / target;
    # each fiscal year is judged against its point on the straight path between them.
    MULTI_YEAR = "multi_year"
    # A rule over months ("毎月150％以上"): every monthly figure against ``target``.
    MONTHLY = "monthly"
    # A goal in words (Kpi.target_text), judged by a person per report (手動判定).
    MANUAL = "manual"

    @property
    def from_last_year(self) -> bool:
        return self in (TargetKind.PREV_YEAR, TargetKind.PREV_YEAR_END)


class Source(StrEnum):
    """Where a reference figure (前年度実績, 全国平均・順位 …) came from."""

    ROLLOVER = "rollover"  # carried from last year's plan by the rollover
    TYPED = "typed"  # typed by the branch, HQ's pack not (yet) there
    PACK = "pack"  # HQ's benchmark pack

    @property
    def text(self) -> Text:
        return {
            "rollover": Text("前年度から繰越", "carried over"),
            "typed": Text("入力", "typed"),
            "pack": Text("本部提供", "HQ's pack"),
        }[self.value]


class PeriodKind(StrEnum):
    MIDYEAR = "midyear"  # 上期 / 進捗状況
    ANNUAL = "annual"  # 事業報告 / 事業実施結果

    @property
    def label_ja(self) -> str:
        return {"midyear": "上期（進捗状況）", "annual": "年度（事業報告）"}[self.value]

    @property
    def label_en(self) -> str:
        return {"midyear": "Mid-year progress", "annual": "Annual report"}[self.value]

    def label(self, lang: str = "ja") -> str:
        return Text(self.label_ja, self.label_en).get(lang)

    def closing_month(self, fiscal_year: int) -> YearMonth:
        """Mid-year reports close in September, annual ones in March."""
        if self is PeriodKind.MIDYEAR:
            return YearMonth(fiscal_year, 9)
        return YearMonth(fiscal_year + 1, 3)


@dataclass(frozen=True, slots=True)
class ReportRef:
    """Names one report: a branch's plan of a fiscal year, one reporting period."""

    branch: str
    fiscal_year: int
    period: PeriodKind

    @property
    def key(self) -> str:
        return f"{self.branch}/{self.fiscal_year}/{self.period.value}"


@dataclass(frozen=True, slots=True)
class Kpi:
    """A KPI definition (KPI設定項目). ``target`` is None for 対前年度 targets
    and qualitative KPIs; use :meth:`resolved_target`."""

    key: str
    node_key: str
    label: str
    name: str
    unit: str
    decimals: int
    direction: Direction
    target_kind: TargetKind
    target: Decimal | None = None
    cumulative: bool = False
    is_new: bool = False
    definition_changed: bool = False
    numerator_label: str | None = None
    denominator_label: str | None = None
    numerator_target: Decimal | None = None
    denominator_target: Decimal | None = None
    last_year_actual: Decimal | None = None
    reference: str | None = None
    note: str | None = None
    # Last year's cumulative value per fiscal month (1 = April); shapes the pace curve.
    last_year_profile: tuple[tuple[int, Decimal], ...] = ()
    # This year's figure per fiscal month as reported month by month (月次実績): the
    # line a chart draws. The report's own figure is the Measurement; this is history.
    monthly_actuals: tuple[tuple[int, Decimal], ...] = ()
    # "Judged at the printed precision": when set, figure and target are rounded half
    # up to this many decimals before they are compared (e.g. 99.6 counts as 100 at
    # 0). None: judged on the figure as entered (the default).
    judged_decimals: int | None = None
    # Reference figures (参考): where last year's actual came from (None: the plan as
    # installed), the year before's actual, and last year's national figures as the
    # branch typed them (desktop/domain/reference.py).
    last_year_source: Source | None = None
    prior_year_actual: Decimal | None = None
    prior_year_source: Source | None = None
    last_year_national_average: Decimal | None = None
    last_year_national_rank: int | None = None
    # 支部設定: HQ's template left this KPI's target to the branch; until the branch sets
    # one (``target``), the KPI has no target (TARGET_UNKNOWN).
    target_by_branch: bool = False
    # 参考指標: shown and printed with its figures, never judged (no verdict, no
    # colour, left out of the suggested mark and of the verdict counts).
    reference_indicator: bool = False
    # TargetKind.MULTI_YEAR: the baseline (基準年度 and its value) the path starts
    # from; it ends at ``goal_year`` (目標年度, a fiscal year) with ``target``.
    baseline_year: int | None = None
    baseline_value: Decimal | None = None
    goal_year: int | None = None
    # TargetKind.MANUAL: the goal as the plan words it ("前年度の水準を上回る").
    target_text: str | None = None
    # With ``definition_changed``: what changed in the method (算出方法の変更の内容);
    # a report may give the figure by the old method beside the new one
    # (Measurement.old_method_value), shown for reference, never judged by.
    definition_note: str | None = None
    # 支部独自: added by the branch to HQ's framework (desktop/services/plan_editing.py).
    own: bool = False

    @property
    def is_rate(self) -> bool:
        """Differences of rates are percentage points (ポイント), not percent."""
        return self.unit in ("％", "%")

    def resolved_target(self) -> Decimal | None:
        """The number to compare against, or None while it is not yet known."""
        if self.direction is Direction.QUALITATIVE:
            return None
        if self.target_kind is TargetKind.PREV_YEAR:
            return self.last_year_actual
        if self.target_kind is TargetKind.PREV_YEAR_END:
            # Resolved by the rollover from last year's annual (March) figure; before
            # that, last year's March value of the monthly curve, else last year's actual.
            if self.target is not None:
                return self.target
            return dict(self.last_year_profile).get(12, self.last_year_actual)
        if self.target_kind is TargetKind.MANUAL:
            return None
        # MULTI_YEAR: the final goal (the year's point on the path: target_rules.milestone);
        # MONTHLY: what every month must reach.
        return self.target


@dataclass(frozen=True, slots=True)
class PlanNode:
    key: str
    parent_key: str | None
    level: Level
    label: str
    title: str
    plan_text: str = ""
    group: Group | None = None
    importance: str | None = None  # reason text when tagged 【重要度：高】
    difficulty: str | None = None  # reason text when tagged 【困難度：高】
    footnotes: tuple[str, ...] = ()
    position: int = 0  # order among siblings
    # 支部独自: added by the branch to HQ's framework (desktop/services/plan_editing.py).
    own: bool = False
    # HQ's word on whether a branch may add its own nodes and KPIs under this node;
    # None: the default (see :meth:`allows_branch_additions`).
    branch_may_add: bool | None = None
    # Where the node stands in a report organised by group (ReportAxis.GROUP): the
    # plan's own printed order, independent of the tree; None: after the placed
    # ones, in tree order (desktop/domain/report_order.py).
    report_position: int | None = None
    # Rating scope (desktop/domain/rating_scopes.py): the key of the item whose one mark
    # and reason rate this one too (評価は①〜④でまとめて); None: rated on its own.
    rated_with: str | None = None

    @property
    def display_title(self) -> str:
        return f"{self.label}{self.title}" if self.label else self.title

    @property
    def allows_branch_additions(self) -> bool:
        """Whether a branch may add under this node: HQ's flag when set; by default
        under pillars and sections (a branch's own sections and items), and always
        under what the branch added itself."""
        if self.own:
            return True
        if self.branch_may_add is not None:
            return self.branch_may_add
        return self.level in (Level.PILLAR, Level.SECTION)


@dataclass(frozen=True, slots=True)
class Measurement:
    """One reported figure of a KPI for a period, as of a month."""

    kpi_key: str
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    done: bool | None = None
    as_of: YearMonth | None = None
    preliminary: bool = False
    unavailable_reason: str | None = None
    entered_by: str | None = None
    entered_at: datetime | None = None
    # A goal in words (TargetKind.MANUAL) is judged by a person: the verdict (a
    # achievement.Status value: "met", "on_pace", "behind_pace" or "not_met") and
    # the reason, which is required with it. Never replaced by a computed verdict.
    manual_status: str | None = None
    manual_reason: str | None = None
    # A KPI whose definition changed: this period's figure by the old method, shown
    # beside the new one with the old-method verdict for reference.
    old_method_value: Decimal | None = None

    def effective_value(self) -> Decimal | None:
        """The value, or the rate computed from its parts (in ％)."""
        if self.value is not None:
            return self.value
        if self.numerator is not None and self.denominator:
            return self.numerator * Decimal(100) / self.denominator
        return None


@dataclass(frozen=True, slots=True)
class Benchmark:
    """National figures HQ publishes for a KPI and period."""

    kpi_key: str
    national_average: Decimal | None = None
    national_rank: int | None = None
    branch_count: int | None = None
    # TYPED: the branch typed them while HQ's pack was not there; a pack replaces them.
    source: Source = Source.PACK


@dataclass(frozen=True, slots=True)
class SectionEntry:
    """What staff write per node and reporting period."""

    node_key: str
    status_text: str = ""
    mark: str | None = None
    mark_reason: str | None = None
    next_steps: str = ""
    actions: str = ""  # 具体的な取り組み (printed by the profiles that have the column)

    @property
    def is_empty(self) -> bool:
        """Nothing written in any field: the navigator's ○, and what the backup preview
        does not count as an entry. Every field a person writes counts, the reason for
        a mark and 具体的な取り組み too (an entry holding only those is begun, ◐).
        Complete (●) is another rule: 実施状況 and a mark (``report_order.is_entered``)."""
        return not (
            self.status_text.strip()
            or self.mark
            or (self.mark_reason or "").strip()
            or self.next_steps.strip()
            or self.actions.strip()
        )


@dataclass(frozen=True, slots=True)
class Report:
    """One reporting period of a plan and everything entered for it."""

    period: PeriodKind
    as_of: YearMonth
    title: str = ""
    entries: tuple[SectionEntry, ...] = ()
    measurements: tuple[Measurement, ...] = ()
    benchmarks: tuple[Benchmark, ...] = ()


class BranchTargetKind(StrEnum):
    """One cell of HQ's table of targets per branch (支部別目標)."""

    FIXED = "fixed"  # a number: 60.0％以上, 15％以下, 100％ (the KPI's direction)
    PREV_YEAR = "prev_year"  # 対前年度以上 / 以下
    PREV_YEAR_END = "prev_year_end"  # 対前年度末以上 / 以下
    QUALITATIVE = "qualitative"  # 実施
    BY_BRANCH = "by_branch"  # 支部設定: the branch sets it in its own plan


@dataclass(frozen=True, slots=True)
class BranchTarget:
    """A branch's target for one KPI as HQ set it; the direction is always the KPI's
    (desktop/domain/branch_targets.py parses, checks and applies it)."""

    kind: BranchTargetKind
    value: Decimal | None = None  # FIXED only


@dataclass(frozen=True, slots=True)
class BranchTargets:
    """HQ's table of targets per branch × KPI, held with HQ's template plan.

    A cell not in the table is the template KPI's own target (the default)."""

    cells: tuple[tuple[str, str, BranchTarget], ...] = ()  # (branch, kpi_key, target), sorted

    def __post_init__(self) -> None:
        object.__setattr__(self, "cells", tuple(sorted(self.cells, key=lambda c: c[:2])))

    def __bool__(self) -> bool:
        return bool(self.cells)

    def __len__(self) -> int:
        return len(self.cells)

    def get(self, branch: str, kpi_key: str) -> BranchTarget | None:
        return next((t for b, k, t in self.cells if b == branch and k == kpi_key), None)

    def as_dict(self) -> dict[tuple[str, str], BranchTarget]:
        return {(b, k): t for b, k, t in self.cells}

    def of_branch(self, branch: str) -> dict[str, BranchTarget]:
        return {k: t for b, k, t in self.cells if b == branch}

    def with_cells(self, cells: dict[tuple[str, str], BranchTarget | None]) -> BranchTargets:
        """This table with ``cells`` set (None: back to the template's default)."""
        merged = self.as_dict()
        for place, target in cells.items():
            if target is None:
                merged.pop(place, None)
            else:
                merged[place] = target
        return BranchTargets(tuple((b, k, t) for (b, k), t in merged.items()))


@dataclass(frozen=True, slots=True)
class Plan:
    """A branch's (or HQ's template) plan for one fiscal year."""

    branch: str
    fiscal_year: int
    title: str
    basic_policy: tuple[str, ...] = ()
    nodes: tuple[PlanNode, ...] = ()
    kpis: tuple[Kpi, ...] = ()
    reports: tuple[Report, ...] = ()
    # HQ's rules for suggested marks (set in its template, carried into branch plans);
    # None: the default rules (desktop/domain/mark_rules.py).
    mark_rules: MarkRules | None = None
    # How the report is organised (HQ's template sets it, branch plans carry it), and,
    # by group, whether the printed numbers restart in each group (computed from the
    # order, never typed) instead of the items' own labels.
    report_axis: ReportAxis = ReportAxis.TREE
    number_per_group: bool = False
    # The print profile of each period's report (desktop/domain/print_profiles.py),
    # as HQ's template chooses; the default prints today's four-column table.
    print_profiles: ReportProfiles = DEFAULT_PROFILES
    _index: dict[str, PlanNode] = field(default_factory=dict, compare=False, repr=False)
    # HQ's template only: the targets it hands out per branch (empty in a branch's plan).
    branch_targets: BranchTargets = BranchTargets()

    def node(self, key: str) -> PlanNode:
        if not self._index:
            self._index.update({n.key: n for n in self.nodes})
        return self._index[key]

    def children(self, key: str | None) -> list[PlanNode]:
        return sorted((n for n in self.nodes if n.parent_key == key), key=lambda n: n.position)

    def kpis_of(self, node_key: str) -> list[Kpi]:
        return [k for k in self.kpis if k.node_key == node_key]

    def effective_group(self, key: str) -> Group | None:
        """A node's own group, else the nearest ancestor's."""
        node: PlanNode | None = self.node(key)
        while node is not None:
            if node.group is not None:
                return node.group
            node = self.node(node.parent_key) if node.parent_key else None
        return None

    def is_reportable(self, key: str) -> bool:
        """Whether staff write 実施状況 and a mark for this node: it has a
        plan text of its own, or nothing below it. Headings whose items carry
        the texts do not (their KPIs are still shown and entered there)."""
        node = self.node(key)
        return bool(node.plan_text.strip()) or not self.children(key)

    def report(self, period: PeriodKind) -> Report | None:
        return next((r for r in self.reports if r.period is period), None)
