"""The input parser: what staff type, accepted exactly or refused clearly."""

from __future__ import annotations

import contextlib
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain.calendar import YearMonth, fiscal_year_months
from desktop.domain.parsing import (
    ParseError,
    format_decimal,
    parse_decimal,
    parse_month,
    quantize,
)


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("98.4", None, "98.4"),
        ("９８．４％", "％", "98.4"),
        ("98.4%", "％", "98.4"),
        ("0.087 %", "％", "0.087"),
        ("14,097円", "円", "14097"),
        ("１４，０９７円", "円", "14097"),
        ("▲1,234", None, "-1234"),
        ("△0.5", None, "-0.5"),
        ("−3", None, "-3"),
        ("－3", None, "-3"),
        ("+5", None, "5"),
        ("\u3000１２\u3000", None, "12"),
        ("2,719事業所", "事業所", "2719"),
        ("1,234.5", None, "1234.5"),
        ("０．０９５％", "％", "0.095"),
        ("100", "％", "100"),
        ("-0.2pt", None, "-0.2"),
    ],
)
def test_accepted(text, unit, expected):
    value = parse_decimal(text, unit=unit)
    assert value == D(expected)
    assert str(value) == expected  # exactly what was typed, no float on the way


@pytest.mark.parametrize("text", [None, "", "   ", "\u3000"])
def test_blank_is_no_value(text):
    assert parse_decimal(text) is None
    assert parse_month(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "98.4.1",
        "1,2,3",
        "12,34",
        "1,2345",
        "50%%",
        "%50",
        "1_000",
        "NaN",
        "sNaN",
        "Infinity",
        "1e5",
        "1e999999",
        "٣",
        "10²",
        "①",
        "½",
        "--5",
        "5-",
        "abc",
        "１２a",
        ".5",
        "5.",
        "▲",
        "98 4",
        "1,000,00",
        "0x10",
    ],
)
def test_rejected_with_both_languages_quoting_the_input(text):
    with pytest.raises(ParseError) as err:
        parse_decimal(text)
    assert text.strip() in err.value.text.ja
    assert text.strip() in err.value.text.en
    assert err.value.message("en") == err.value.text.en


def test_wrong_unit_names_both():
    with pytest.raises(ParseError) as err:
        parse_decimal("98円", unit="％")
    assert "円" in err.value.text.ja and "％" in err.value.text.ja
    assert err.value.code == "wrong_unit"


def test_range():
    with pytest.raises(ParseError):
        parse_decimal("2,000,000,000,000,000")
    assert parse_decimal("1000", max_abs=D("1000")) == D("1000")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和６年５月", (2024, 5)),
        ("令和元年5月", (2019, 5)),
        ("令和6年5月時点", (2024, 5)),
        ("R6.5", (2024, 5)),
        ("R6/5", (2024, 5)),
        ("R6-5", (2024, 5)),
        ("r6.5", (2024, 5)),
        ("Ｒ６．５", (2024, 5)),
        ("H31.4", (2019, 4)),
        ("平成31年4月", (2019, 4)),
        ("2024/5", (2024, 5)),
        ("2024/05", (2024, 5)),
        ("2024-05", (2024, 5)),
        ("2024年5月", (2024, 5)),
        ("2024.5", (2024, 5)),
        ("2024年05月", (2024, 5)),
        ("令和 6年 9月", (2024, 9)),
        ("２０２５年３月末", (2025, 3)),
        ("昭和64年1月", (1989, 1)),
    ],
)
def test_months_accepted(text, expected):
    assert parse_month(text) == YearMonth(*expected)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("令和6年13月", "bad_month"),
        ("2024/13", "bad_month"),
        ("2024/0", "bad_month"),
        ("令和0年5月", "era_year_zero"),
        ("平成31年5月", "outside_era"),
        ("R6", "no_month"),
        ("5月", "no_year"),
        ("2024/5/1", "a_day"),
        ("R6.5.1", "bad_month"),
        ("2024-5-", "bad_month"),
        ("1800/5", "year_range"),
        ("X6.5", "unknown_era"),
        ("令和1年4月", "outside_era"),
    ],
)
def test_months_rejected(text, code):
    with pytest.raises(ParseError) as err:
        parse_month(text)
    assert err.value.code == code
    assert text in err.value.text.ja and text in err.value.text.en


def test_outside_era_suggests_the_right_label():
    with pytest.raises(ParseError) as err:
        parse_month("平成31年5月")
    assert "令和元年5月" in err.value.text.ja


def test_format_and_quantize():
    assert format_decimal(D("14097"), 0) == "14,097"
    assert format_decimal(D("98.35"), 1) == "98.4"
    assert format_decimal(D("0.0866"), 3) == "0.087"
    assert format_decimal(D("-1.5"), 1) == "-1.5"
    assert format_decimal(D("-0.04"), 1) == "0.0"
    assert format_decimal(D("1234567.891"), 2, grouping=False) == "1234567.89"
    assert quantize(D("2.5"), 0) == D("3")  # half up, not banker's


FULL = str.maketrans("0123456789.,-", "０１２３４５６７８９．，－")

decimals = st.decimals(
    min_value=D("-999999999999999"),
    max_value=D("999999999999999"),
    places=4,
    allow_nan=False,
    allow_infinity=False,
)


@given(value=decimals, style=st.sampled_from(["plain", "grouped", "full", "pct", "yen", "tri"]))
@settings(max_examples=300, deadline=None)
def test_round_trip_in_every_style(value, style):
    places = max(0, -value.as_tuple().exponent)
    plain = f"{value:.{places}f}"
    grouped = f"{value:,.{places}f}"
    text = {
        "plain": plain,
        "grouped": grouped,
        "full": grouped.translate(FULL),
        "pct": plain + "％",
        "yen": grouped + "円",
        "tri": ("▲" + grouped.lstrip("-")) if value < 0 else grouped,
    }[style]
    assert parse_decimal(text) == value


@given(st.text(max_size=30))
@settings(max_examples=500, deadline=None)
def test_arbitrary_text_only_raises_parse_error(text):
    try:
        value = parse_decimal(text)
    except ParseError:
        return
    assert value is None or value.is_finite()


@given(st.text(max_size=20))
@settings(max_examples=300, deadline=None)
def test_arbitrary_text_months_only_raise_parse_error(text):
    with contextlib.suppress(ParseError):
        parse_month(text)


def test_every_month_1989_to_2035_round_trips_through_all_labels():
    for fy in range(1989, 2035):
        for m in fiscal_year_months(fy):
            if m < YearMonth(1989, 1):
                continue
            assert parse_month(m.era_label()) == m
            assert parse_month(m.short_era_label()) == m
            assert parse_month(m.iso()) == m
