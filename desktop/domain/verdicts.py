"""What a verdict on a KPI is: its status, the numbers behind it, and how figures
are shown in it. Shared by the judge (achievement) and the rules of the target
kinds beyond one number a year (target_rules), which achievement builds on.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from desktop.domain.calendar import YearMonth
from desktop.domain.model import Kpi, Measurement
from desktop.domain.parsing import format_decimal, quantize, written_places


class Status(StrEnum):
    MET = "met"
    ON_PACE = "on_pace"
    BEHIND_PACE = "behind_pace"
    NOT_MET = "not_met"
    TARGET_UNKNOWN = "target_unknown"
    NO_DATA = "no_data"
    REFERENCE = "reference"  # 参考指標: shown, never judged

    @property
    def label_ja(self) -> str:
        return _STATUS_JA[self]

    @property
    def label_en(self) -> str:
        return _STATUS_EN[self]

    def label(self, lang: str = "ja") -> str:
        return self.label_ja if lang == "ja" else self.label_en

    @property
    def is_good(self) -> bool:
        return self in (Status.MET, Status.ON_PACE)

    @property
    def is_bad(self) -> bool:
        return self in (Status.NOT_MET, Status.BEHIND_PACE)


_STATUS_JA = {
    Status.MET: "達成",
    Status.ON_PACE: "順調",
    Status.BEHIND_PACE: "遅れ",
    Status.NOT_MET: "未達成",
    Status.TARGET_UNKNOWN: "目標未確定",
    Status.NO_DATA: "実績なし",
    Status.REFERENCE: "参考指標",
}
_STATUS_EN = {
    Status.MET: "Met",
    Status.ON_PACE: "On pace",
    Status.BEHIND_PACE: "Behind pace",
    Status.NOT_MET: "Not met",
    Status.TARGET_UNKNOWN: "Target not yet known",
    Status.NO_DATA: "No data",
    Status.REFERENCE: "Reference only",
}

# The verdicts a person may give a goal stated in words (手動判定).
MANUAL_STATUSES = (Status.MET, Status.ON_PACE, Status.BEHIND_PACE, Status.NOT_MET)


@dataclass(frozen=True, slots=True)
class Assessment:
    """The verdict on one KPI figure and the numbers behind it."""

    kpi_key: str
    status: Status
    actual: Decimal | None = None
    target: Decimal | None = None
    difference: Decimal | None = None  # actual − target, in the unit (ポイント for rates)
    ratio: Decimal | None = None  # actual / target
    margin: Decimal | None = None  # relative distance in the good direction; > 0 is better
    as_of: YearMonth | None = None
    expected: Decimal | None = None  # cumulative: where the figure should be by as_of
    projected: Decimal | None = None  # cumulative: year-end value at the current pace
    pace_fraction: Decimal | None = None  # share of the year's total expected by as_of
    rule_ja: str = ""
    rule_en: str = ""
    manual: bool = False  # the status was set by a person (手動判定), not computed
    # A rule over months: how many months were judged and met, which were missing.
    months_judged: int | None = None
    months_met: int | None = None
    months_missing: tuple[int, ...] = ()  # fiscal months (1 = April) without a figure
    # A changed definition: the figure by the old method judged the same way, shown
    # for reference only (the status above is by the current definition).
    old_method: Assessment | None = None

    def rule(self, lang: str = "ja") -> str:
        return self.rule_ja if lang == "ja" else self.rule_en


def difference_unit(kpi: Kpi, lang: str = "ja") -> str:
    """Unit of a difference: rates differ in percentage points."""
    if kpi.is_rate:
        return "ポイント" if lang == "ja" else "pt"
    return kpi.unit


def format_value(kpi: Kpi, value: Decimal | None, *, with_unit: bool = True) -> str:
    """A figure as someone entered it (or a file or HQ carried it): every decimal
    it was written with, at least the KPI's — never rounded away."""
    if value is None:
        return "—"
    text = format_decimal(value, max(kpi.decimals, written_places(value)))
    return f"{text}{kpi.unit}" if with_unit else text


def format_estimate(kpi: Kpi, value: Decimal | None, *, with_unit: bool = True) -> str:
    """A number PlanDesk computed (a rate from its parts, the expected pace, a
    projection), rounded half up to the KPI's decimals as reports print them."""
    if value is None:
        return "—"
    text = format_decimal(quantize(value, kpi.decimals), kpi.decimals)
    return f"{text}{kpi.unit}" if with_unit else text


def format_actual(kpi: Kpi, m: Measurement | None, *, with_unit: bool = True) -> str:
    """The reported figure: as entered, or the rate computed from its parts."""
    if m is None:
        return "—"
    if m.value is not None:
        return format_value(kpi, m.value, with_unit=with_unit)
    return format_estimate(kpi, m.effective_value(), with_unit=with_unit)
