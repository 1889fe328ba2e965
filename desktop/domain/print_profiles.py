"""Report layouts as data: the print profiles HQ's template chooses per period.

One definition drives the three places a report shows: the screen form (which
entry fields exist), the workbook's printed sheets and the PDF (which columns,
titled how, how wide, and whether each section gets a KPI box). Adding a layout
is a new ``PrintProfile`` here (and, only if it needs a new kind of row, a
renderer in desktop/workbooks/print_sheets.py), nothing else.

The profiles:

- ``progress4``: Tokyo's FY2023/FY2024 progress table, 事業計画 | 実施状況 |
  評価 | 今後の実施予定等 (the default for both periods: what PlanDesk always printed);
- ``plan_results2``: 計画 | 実績・取組結果 under the responsible group's headings,
  with a KPI box (実績 | 前年度 | 前々年度) under each section;
- ``annual6``: the annual report in six columns, 事業計画 | 具体的な取り組み |
  KPI・前年度実績 | 自己評価 | 評価の理由 | 今後の方針.

This module is pure data (no Qt, no openpyxl): the plan carries the chosen keys
(``ReportProfiles``), the workbook manifest and plan JSON spell them as
``{"midyear": key, "annual": key}``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # model imports this module
    from desktop.domain.model import PeriodKind, Plan

# What a row of the report table can print (print_sheets fills them per row):
# plan: the plan text; status: 実施状況 (with the mark's reason where the profile has
# no column for it); mark; mark_reason: 評価の理由; next_steps; actions: 具体的な取り組み;
# kpi: the section's KPIs with 前年度実績 (and 前々年度); results: the status, the
# mark with its reason and the next steps in one cell.
PRINT_FIELDS = ("plan", "status", "mark", "mark_reason", "next_steps", "actions", "kpi", "results")
# The entry fields staff write (services.editing.EntryField), in the form's order.
ENTRY_FIELDS = ("actions", "status_text", "mark", "mark_reason", "next_steps")


@dataclass(frozen=True, slots=True)
class ProfileColumn:
    """One column of a report table: the field it prints, its title and width."""

    field: str  # one of PRINT_FIELDS
    title: str
    width: float  # Excel's units; the PDF takes the widths as proportions
    style: str = "pd_text"
    annual_title: str | None = None  # the title in the annual report, where it differs

    def title_for(self, period: PeriodKind) -> str:
        return self.annual_title if period.value == "annual" and self.annual_title else self.title


@dataclass(frozen=True, slots=True)
class PrintProfile:
    """A report's layout: the printed columns, the fields the screen form shows,
    whether each section prints a KPI box and whether items print under the
    heading of their responsible group."""

    key: str
    name_ja: str
    name_en: str
    columns: tuple[ProfileColumn, ...]
    form_fields: tuple[str, ...] = ("status_text", "mark", "mark_reason", "next_steps")
    kpi_box: bool = False
    group_headings: bool = False

    def name(self, lang: str = "ja") -> str:
        return self.name_ja if lang == "ja" else self.name_en

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(c.field for c in self.columns)


PROGRESS4 = PrintProfile(
    "progress4",
    "進捗状況表（事業計画・実施状況・評価・今後の実施予定等）",
    "Progress table (plan, status, mark, next steps)",
    (
        ProfileColumn("plan", "事業計画", 52),
        ProfileColumn("status", "実施状況", 56),
        ProfileColumn("mark", "評価", 8, "pd_mark", annual_title="自己評価"),
        ProfileColumn("next_steps", "今後の実施予定等", 42),
    ),
    form_fields=("status_text", "mark", "mark_reason", "next_steps"),
)
PLAN_RESULTS2 = PrintProfile(
    "plan_results2",
    "計画・実績（担当グループ別、KPI欄つき）",
    "Plan and results (by group, with a KPI box per section)",
    (
        ProfileColumn("plan", "計画", 62),
        ProfileColumn("results", "実績・取組結果", 96),
    ),
    form_fields=("status_text", "mark", "mark_reason", "next_steps"),
    kpi_box=True,
    group_headings=True,
)
ANNUAL6 = PrintProfile(
    "annual6",
    "事業報告（事業計画・具体的な取り組み・KPI・自己評価・理由・今後の方針）",
    "Annual report (plan, actions, KPI, self-rating, reason, future policy)",
    (
        ProfileColumn("plan", "事業計画", 36),
        ProfileColumn("actions", "具体的な取り組み", 38),
        ProfileColumn("kpi", "KPI・前年度実績", 32),
        ProfileColumn("mark", "自己評価", 10, "pd_mark"),
        ProfileColumn("mark_reason", "評価の理由", 20),
        ProfileColumn("next_steps", "今後の方針", 28),
    ),
    # 実施状況 has no column: a text already written there prints under the actions
    # and the form still shows it (nothing written is hidden).
    form_fields=("actions", "mark", "mark_reason", "next_steps"),
)

PROFILES: dict[str, PrintProfile] = {p.key: p for p in (PROGRESS4, PLAN_RESULTS2, ANNUAL6)}
DEFAULT_PROFILE = PROGRESS4
DEFAULT_KEY = DEFAULT_PROFILE.key


class ProfileError(ValueError):
    """A profile choice that names no profile (the message names the known keys)."""


@dataclass(frozen=True, slots=True)
class ReportProfiles:
    """The profile HQ's template chooses for each period; the default keeps the
    layout PlanDesk always printed."""

    midyear: str = DEFAULT_KEY
    annual: str = DEFAULT_KEY

    def __post_init__(self) -> None:
        for key in (self.midyear, self.annual):
            if key not in PROFILES:
                raise ProfileError(f"no print profile {key!r} (known: {', '.join(PROFILES)})")

    @property
    def is_default(self) -> bool:
        return self == ReportProfiles()

    def key_for(self, period: PeriodKind) -> str:
        return self.annual if period.value == "annual" else self.midyear

    def to_data(self) -> dict[str, str]:
        return {"midyear": self.midyear, "annual": self.annual}


DEFAULT_PROFILES = ReportProfiles()


def profiles_from_data(data: Any) -> ReportProfiles:
    """``{"midyear": key, "annual": key}`` (either may be missing: the default)."""
    if not isinstance(data, Mapping):
        raise ProfileError(f"an object with midyear and annual expected, got {data!r}")
    unknown = set(data) - {"midyear", "annual"}
    if unknown:
        raise ProfileError(f"unknown periods: {', '.join(sorted(map(str, unknown)))}")
    values = {k: data.get(k, DEFAULT_KEY) for k in ("midyear", "annual")}
    if not all(isinstance(v, str) for v in values.values()):
        raise ProfileError("profile keys must be strings")
    return ReportProfiles(**values)


def form_fields(profile: PrintProfile, written: Mapping[str, str | None]) -> set[str]:
    """The entry fields the screen form shows for an item: the profile's, and any
    other that already holds text (what was written is never hidden)."""
    shown = set(profile.form_fields)
    shown.update(f for f, value in written.items() if f in ENTRY_FIELDS and (value or "").strip())
    return shown


def dump_profiles(profiles: ReportProfiles) -> str | None:
    """Compact JSON for the plans table; None for the default (stored as NULL)."""
    if profiles.is_default:
        return None
    return json.dumps(profiles.to_data(), sort_keys=True, separators=(",", ":"))


def load_profiles(text: str | None) -> ReportProfiles:
    """What ``dump_profiles`` wrote (NULL: the default). A key this PlanDesk does not
    know (a database a newer PlanDesk wrote) falls back to the default layout."""
    if text is None:
        return DEFAULT_PROFILES
    try:
        return profiles_from_data(json.loads(text))
    except (ValueError, ProfileError):
        return DEFAULT_PROFILES


def profile_for(plan: Plan, period: PeriodKind | None) -> PrintProfile:
    """The profile a plan's report of ``period`` prints in (the plan alone: the default)."""
    if period is None:
        return DEFAULT_PROFILE
    return PROFILES[plan.print_profiles.key_for(period)]
