"""Three-way merge of report fields between this database and a workbook.

A report is flattened into named fields ("entry/1.II.2.1/status_text",
"measurement/1.II.2.k1/value", "monthly/1.II.2.k1/4"), each a canonical
string or None. Three versions of a field meet at import: ours (the
database), theirs (the file) and the base — the value both had in common,
which the file carries (what its PC last took from a file). Only a field
changed on both sides since the base, to different values, is a conflict; a
person chooses, nothing is replaced silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from desktop.domain.model import Direction, Kpi, Measurement, Report, SectionEntry

ENTRY_FIELDS = ("status_text", "mark", "mark_reason", "next_steps", "actions")
MEASUREMENT_FIELDS = (
    "value",
    "numerator",
    "denominator",
    "done",
    "as_of",
    "preliminary",
    "unavailable_reason",
    "manual_status",
    "manual_reason",
    "old_method_value",
)
Fields = dict[str, str | None]


def _text(value: str | None) -> str | None:
    # '' and None mean the same to a person: nothing written.
    return value if value else None


def _number(value: Decimal | None) -> str | None:
    """Plain notation, as the workbook writes it (never 1E+3)."""
    return None if value is None else format(value, "f")


def entry_fields(node_key: str, entry: SectionEntry | None) -> Fields:
    e = entry or SectionEntry(node_key=node_key)
    return {f"entry/{node_key}/{name}": _text(getattr(e, name)) for name in ENTRY_FIELDS}


def measurement_fields(kpi_key: str, m: Measurement | None) -> Fields:
    m = m or Measurement(kpi_key=kpi_key)
    values: dict[str, str | None] = {
        "value": _number(m.value),
        "numerator": _number(m.numerator),
        "denominator": _number(m.denominator),
        "done": None if m.done is None else ("1" if m.done else "0"),
        "as_of": m.as_of.iso() if m.as_of else None,
        "preliminary": "1" if m.preliminary else None,
        "unavailable_reason": _text(m.unavailable_reason),
        "manual_status": _text(m.manual_status),
        "manual_reason": _text(m.manual_reason),
        "old_method_value": _number(m.old_method_value),
    }
    return {f"measurement/{kpi_key}/{name}": values[name] for name in MEASUREMENT_FIELDS}


def monthly_fields(kpi: Kpi) -> Fields:
    if kpi.direction is Direction.QUALITATIVE:
        return {}
    have = dict(kpi.monthly_actuals)
    return {f"monthly/{kpi.key}/{i}": (str(have[i]) if i in have else None) for i in range(1, 13)}


def report_fields(
    report: Report | None,
    kpis: Sequence[Kpi],
    node_keys: Iterable[str],
) -> Fields:
    """Every field of the given sections and KPIs, None where nothing is written."""
    entries = {e.node_key: e for e in report.entries} if report else {}
    measurements = {m.kpi_key: m for m in report.measurements} if report else {}
    out: Fields = {}
    for key in node_keys:
        out.update(entry_fields(key, entries.get(key)))
    for kpi in kpis:
        out.update(measurement_fields(kpi.key, measurements.get(kpi.key)))
        out.update(monthly_fields(kpi))
    return out


# What each field is called on the forms (ja, en).
FIELD_LABELS = {
    "plan_text": ("事業計画", "Plan text"),
    "status_text": ("実施状況", "Progress"),
    "mark": ("評価", "Mark"),
    "mark_reason": ("評価の理由", "Reason for the mark"),
    "next_steps": ("今後の実施予定等", "Next steps"),
    "actions": ("具体的な取り組み", "Concrete actions"),
    "value": ("実績", "Actual"),
    "numerator": ("分子", "Numerator"),
    "denominator": ("分母", "Denominator"),
    "done": ("実施", "Done"),
    "as_of": ("時点", "As of"),
    "preliminary": ("速報値", "Preliminary"),
    "unavailable_reason": ("未確定の理由", "Why no value"),
    "manual_status": ("手動判定", "Verdict by hand"),
    "manual_reason": ("手動判定の理由", "Reason for the verdict"),
    "old_method_value": ("旧算出方法による実績", "Actual by the old method"),
    "own": ("支部独自", "Branch's own"),
    "branch_may_add": ("支部の追加", "Branch may add"),
}


class Outcome(StrEnum):
    SAME = "same"  # both sides already agree
    KEEP = "keep"  # only we changed it (or we already saw this file's value)
    NEW = "new"  # the file fills a field that is empty here
    CHANGE = "change"  # only the file changed it
    CONFLICT = "conflict"  # both changed it, differently


@dataclass(frozen=True, slots=True)
class FieldMerge:
    field: str
    ours: str | None
    theirs: str | None
    base: str | None
    outcome: Outcome

    @property
    def kind(self) -> str:
        return self.field.split("/", 1)[0]

    @property
    def owner(self) -> str:
        """The node or KPI key the field belongs to."""
        return self.field.split("/")[1]

    @property
    def name(self) -> str:
        return self.field.rsplit("/", 1)[1]

    def label(self, lang: str = "ja") -> str:
        """The field as a person knows it: 実施状況, 月次実績（4か月目）…"""
        if self.kind == "monthly":
            return f"月次実績（{self.name}か月目）" if lang == "ja" else f"Month {self.name} figure"
        ja, en = FIELD_LABELS.get(self.name, (self.name, self.name))
        return ja if lang == "ja" else en


def three_way(
    ours: Mapping[str, str | None],
    theirs: Mapping[str, str | None],
    file_bases: Mapping[str, str | None],
    seen: Mapping[str, str | None],
) -> list[FieldMerge]:
    """Merge every field the file carries.

    ``seen``: the value this database last exchanged for the field — took from
    a file or sent in one. A value we have seen and chose not to take is not
    offered again (importing twice is a no-op). ``file_bases``: the value the
    file's PC last exchanged; it is the common version only when it is also the
    one we last exchanged. Otherwise (a new database, a PC we never exchanged
    with) there is no known common version: a field empty here is new, and two
    different values are a conflict for a person — never "only we changed it".
    """
    out = []
    for name, theirs_value in theirs.items():
        ours_value = ours.get(name)
        known = name in seen and seen[name] == file_bases.get(name)
        base = file_bases.get(name) if known else None
        if theirs_value == ours_value:
            outcome = Outcome.SAME
        elif (name in seen and seen[name] == theirs_value) or theirs_value == base:
            outcome = Outcome.KEEP
        elif ours_value == base:
            outcome = Outcome.NEW if ours_value is None else Outcome.CHANGE
        else:
            outcome = Outcome.CONFLICT
        out.append(FieldMerge(name, ours_value, theirs_value, base, outcome))
    return out
