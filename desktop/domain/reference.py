"""Reference figures (参考) a branch shows beside this year's: where each comes from.

Per KPI a plan holds last year's actual (carried by the rollover when last
year's plan is in the database, typed otherwise), the year before's actual,
and last year's national average and rank; per report, this year's national
average and rank. National figures come from HQ's benchmark pack; while the
pack is not there the branch may type them, and they are shown as typed
(:class:`desktop.domain.model.Source`). When the pack arrives it replaces the
typed figures, and :func:`pack_differences` lists where the branch's figures
differed from HQ's, so that the person sees what changed.

Pure functions: the services store and read the figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from desktop.domain.errors import BadInput
from desktop.domain.model import Benchmark, Kpi, Source
from desktop.domain.parsing import normalize_input, parse_decimal
from desktop.domain.text import Text

MAX_RANK = 47


class Field(StrEnum):
    """A reference figure a branch may type. The first four belong to the plan
    (one per KPI); the national figures of this year belong to one report."""

    LAST_YEAR_ACTUAL = "last_year_actual"
    PRIOR_YEAR_ACTUAL = "prior_year_actual"
    LAST_YEAR_NATIONAL_AVERAGE = "last_year_national_average"
    LAST_YEAR_NATIONAL_RANK = "last_year_national_rank"
    NATIONAL_AVERAGE = "national_average"
    NATIONAL_RANK = "national_rank"

    @property
    def text(self) -> Text:
        return LABELS[self]

    @property
    def of_report(self) -> bool:
        return self in (Field.NATIONAL_AVERAGE, Field.NATIONAL_RANK)

    @property
    def is_rank(self) -> bool:
        return self in (Field.NATIONAL_RANK, Field.LAST_YEAR_NATIONAL_RANK)


LABELS: dict[Field, Text] = {
    Field.LAST_YEAR_ACTUAL: Text("前年度実績", "last year's actual"),
    Field.PRIOR_YEAR_ACTUAL: Text("前々年度実績", "the year before's actual"),
    Field.LAST_YEAR_NATIONAL_AVERAGE: Text("前年度の全国平均", "last year's national average"),
    Field.LAST_YEAR_NATIONAL_RANK: Text("前年度の全国順位", "last year's national rank"),
    Field.NATIONAL_AVERAGE: Text("全国平均", "national average"),
    Field.NATIONAL_RANK: Text("全国順位", "national rank"),
}


def field_named(name: str) -> Field:
    try:
        return Field(name)
    except ValueError:
        names = ", ".join(f.value for f in Field)
        raise BadInput(
            f"参考値の項目「{name}」はありません（{names}）。",
            f"No reference figure '{name}' (one of: {names}).",
        ) from None


def parse_rank(raw: str | None) -> int | None:
    """全国N位 as typed: 1 to 47, with or without 位; blank for none."""
    if raw is None or not raw.strip():
        return None
    s = normalize_input(raw).strip().removeprefix("全国").removesuffix("位").strip()
    if not s.isascii() or not s.isdigit() or not 1 <= int(s) <= MAX_RANK:
        raise BadInput(
            f"全国順位「{raw.strip()}」は 1〜{MAX_RANK} の整数で入力してください。",
            f"The national rank '{raw.strip()}' must be a whole number from 1 to {MAX_RANK}.",
        )
    return int(s)


def parse_figure(unit: str, field: Field, raw: str | None) -> Decimal | int | None:
    """A typed reference figure of a KPI in ``unit``: a rank, or a number in the unit."""
    if field.is_rank:
        return parse_rank(raw)
    return parse_decimal(raw, unit=unit)  # a ParseError is a BadInput


@dataclass(frozen=True, slots=True)
class Difference:
    """A national figure the branch typed that HQ's pack gives differently."""

    kpi_key: str
    field: Field
    typed: Decimal | int | None
    pack: Decimal | int | None

    def text(self, name: str = "") -> Text:
        def shown(value: Decimal | int | None, none: Text) -> Text:
            return none if value is None else Text.same(str(value))

        blank = Text("（なし）", "(none)")
        what = Text.same(f"{self.kpi_key} {name}".rstrip() + " ")
        return (
            what
            + self.field.text
            + Text(": 入力 ", ": typed ")
            + shown(self.typed, blank)
            + Text(" → 本部提供 ", " → HQ's pack ")
            + shown(self.pack, blank)
        )


def _same(a: Decimal | int | None, b: Decimal | int | None) -> bool:
    return a == b if (a is None) == (b is None) else False


def pack_differences(
    typed: Mapping[str, Benchmark], pack: Mapping[str, Benchmark]
) -> tuple[Difference, ...]:
    """Where HQ's pack differs from what the branch typed, KPI by KPI (in the pack's
    order). Only typed figures count: the pack's own earlier figures are HQ's."""
    out: list[Difference] = []
    for key, incoming in pack.items():
        own = typed.get(key)
        if own is None:
            continue
        for field, old, new in (
            (Field.NATIONAL_AVERAGE, own.national_average, incoming.national_average),
            (Field.NATIONAL_RANK, own.national_rank, incoming.national_rank),
        ):
            if not _same(old, new):
                out.append(Difference(key, field, old, new))
    return tuple(out)


# --- what is shown ------------------------------------------------------------------------

AS_INSTALLED = Text("計画", "plan")  # a figure the plan came with (HQ's template, a file)


@dataclass(frozen=True, slots=True)
class Shown:
    """One reference figure of a KPI as a person sees it: the value and where it came
    from (``source`` None: the plan came with it)."""

    field: Field
    value: Decimal | int
    source: Source | None

    @property
    def source_text(self) -> Text:
        return AS_INSTALLED if self.source is None else self.source.text


def shown_figures(kpi: Kpi, benchmark: Benchmark | None) -> tuple[Shown, ...]:
    """The reference figures of ``kpi`` that are known, in the order they are printed:
    last year's and the year before's actuals, this year's national figures (from the
    report's ``benchmark``), last year's national figures."""
    out: list[Shown] = []
    if kpi.last_year_actual is not None:
        out.append(Shown(Field.LAST_YEAR_ACTUAL, kpi.last_year_actual, kpi.last_year_source))
    if kpi.prior_year_actual is not None:
        out.append(Shown(Field.PRIOR_YEAR_ACTUAL, kpi.prior_year_actual, kpi.prior_year_source))
    if benchmark is not None:
        for field, value in (
            (Field.NATIONAL_AVERAGE, benchmark.national_average),
            (Field.NATIONAL_RANK, benchmark.national_rank),
        ):
            if value is not None:
                out.append(Shown(field, value, benchmark.source))
    for field, value in (
        (Field.LAST_YEAR_NATIONAL_AVERAGE, kpi.last_year_national_average),
        (Field.LAST_YEAR_NATIONAL_RANK, kpi.last_year_national_rank),
    ):
        if value is not None:
            out.append(Shown(field, value, Source.TYPED))
    return tuple(out)
