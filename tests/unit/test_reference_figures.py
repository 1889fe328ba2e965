"""Reference figures a branch types (issue 15 item 3): sources, parsing, and the
differences HQ's pack points out."""

from __future__ import annotations

from decimal import Decimal

import pytest

from desktop.domain.errors import BadInput
from desktop.domain.model import Benchmark, Direction, Kpi, Source, TargetKind
from desktop.domain.reference import Field, field_named, pack_differences, parse_figure

RATE = Kpi("k1", "1", "(1)", "特定健診実施率", "％", 1, Direction.AT_LEAST, TargetKind.FIXED)


def test_each_source_reads_in_both_languages():
    assert Source.TYPED.text.get("ja") == "入力"
    assert Source.PACK.text.get("ja") == "本部提供"
    assert Source.ROLLOVER.text.get("ja") == "前年度から繰越"
    assert Source.PACK.text.get("en") == "HQ's pack"


def test_a_typed_figure_is_a_decimal_in_the_kpis_unit_and_a_rank_a_whole_number():
    assert parse_figure(RATE.unit, Field.PRIOR_YEAR_ACTUAL, "６１．２％") == Decimal("61.2")
    assert parse_figure(RATE.unit, Field.NATIONAL_AVERAGE, "") is None
    assert parse_figure(RATE.unit, Field.NATIONAL_RANK, "全国１２位") == 12
    assert parse_figure(RATE.unit, Field.LAST_YEAR_NATIONAL_RANK, "47") == 47
    for bad in ("0", "48", "3.5", "１²"):
        with pytest.raises(BadInput):
            parse_figure(RATE.unit, Field.NATIONAL_RANK, bad)
    with pytest.raises(BadInput):
        parse_figure(RATE.unit, Field.LAST_YEAR_ACTUAL, "12人")
    with pytest.raises(BadInput) as caught:
        field_named("rank")
    assert "national_rank" in caught.value.text.en


def test_the_pack_points_out_where_the_typed_figures_differ():
    typed = {
        "k1": Benchmark("k1", Decimal("61.2"), 12, source=Source.TYPED),
        "k2": Benchmark("k2", Decimal("50.0"), None, source=Source.TYPED),
    }
    pack = {
        "k1": Benchmark("k1", Decimal("61.20"), 14, 47),
        "k2": Benchmark("k2", Decimal("50.0"), 3, 47),
        "k3": Benchmark("k3", Decimal("1"), 1, 47),
    }
    found = pack_differences(typed, pack)
    assert [(d.kpi_key, d.field, d.typed, d.pack) for d in found] == [
        ("k1", Field.NATIONAL_RANK, 12, 14),
        ("k2", Field.NATIONAL_RANK, None, 3),
    ]
    assert found[0].text("特定健診").get("ja") == "k1 特定健診 全国順位: 入力 12 → 本部提供 14"
    assert found[1].text().get("en") == "k2 national rank: typed (none) → HQ's pack 3"


def test_the_figures_shown_say_where_each_came_from():
    from dataclasses import replace

    from desktop.domain.reference import shown_figures

    kpi = replace(
        RATE,
        last_year_actual=Decimal("60.1"),
        prior_year_actual=Decimal("58"),
        prior_year_source=Source.ROLLOVER,
        last_year_national_rank=9,
    )
    shown = shown_figures(kpi, Benchmark("k1", Decimal("61.0"), None, source=Source.TYPED))
    assert [(f.field, f.value, f.source_text.get("ja")) for f in shown] == [
        (Field.LAST_YEAR_ACTUAL, Decimal("60.1"), "計画"),
        (Field.PRIOR_YEAR_ACTUAL, Decimal("58"), "前年度から繰越"),
        (Field.NATIONAL_AVERAGE, Decimal("61.0"), "入力"),
        (Field.LAST_YEAR_NATIONAL_RANK, 9, "入力"),
    ]
