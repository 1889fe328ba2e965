"""One parser for what office staff type: numbers and months.

Never blanket NFKC (``10²`` would become ``102``, ``①`` would become ``1``):
an explicit allow-list maps full-width digits and punctuation to ASCII, an
ASCII-only pattern validates, and only then does Decimal see the text.
Anything ambiguous is rejected with a message in Japanese and English that
quotes the input — never guessed.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from desktop.domain.calendar import (
    ERA_BY_LETTER,
    ERA_BY_NAME,
    MAX_YEAR,
    MIN_YEAR,
    YearMonth,
    era_month_valid,
)
from desktop.domain.errors import BadInput


class ParseError(BadInput, ValueError):
    """Input that cannot be read. ``code`` says which rule refused it (for tests and
    callers that react to one); a ValueError too, as every decoder's failure is."""

    def __init__(self, code: str, message_ja: str, message_en: str) -> None:
        super().__init__(message_ja, message_en)
        self.code = code


_FULLWIDTH = {chr(0xFF10 + i): str(i) for i in range(10)}
_FULLWIDTH |= {chr(0xFF21 + i): chr(0x41 + i) for i in range(26)}  # Ａ-Ｚ
_FULLWIDTH |= {chr(0xFF41 + i): chr(0x61 + i) for i in range(26)}  # ａ-ｚ
_FULLWIDTH |= {
    "．": ".",
    "，": ",",
    "％": "%",
    "＋": "+",
    "−": "-",  # U+2212 MINUS SIGN
    "－": "-",  # U+FF0D FULLWIDTH HYPHEN-MINUS
    "／": "/",
    "\u3000": " ",
}
_TABLE = str.maketrans(_FULLWIDTH)

# Units a figure may be typed with; "%" stands for both % and ％.
UNITS = ("事業所", "ポイント", "支部", "円", "人", "件", "日", "回", "pt", "%")
_PLAIN = re.compile(r"[0-9]+(?:\.[0-9]+)?", re.ASCII)
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?", re.ASCII)


def normalize_input(text: str) -> str:
    """Full-width digits, Latin letters and punctuation to ASCII; trim spaces."""
    return text.translate(_TABLE).strip()


def _canonical_unit(unit: str) -> str:
    return "%" if unit in ("％", "%") else unit


def _shown_unit(unit: str) -> str:
    return "％" if unit == "%" else unit


def _reject(code: str, text: str, why_ja: str, why_en: str) -> ParseError:
    return ParseError(
        code,
        f"「{text}」は数値として読めません（{why_ja}）。",
        f"'{text}' is not a number ({why_en}).",
    )


MAX_PLACES = 10


def parse_decimal(
    text: str | None, *, unit: str | None = None, max_abs: Decimal = Decimal("1e15")
) -> Decimal | None:
    """The number typed, exactly; None for blank (no value)."""
    if text is None or not text.strip():
        return None
    original = text.strip()
    s = normalize_input(text)
    for candidate in UNITS:
        if s.endswith(candidate):
            if unit is not None and _canonical_unit(unit) != candidate:
                shown, wanted = _shown_unit(candidate), _shown_unit(unit) or "（単位なし）"
                raise ParseError(
                    "wrong_unit",
                    f"「{original}」の単位「{shown}」は、この項目の単位「{wanted}」と違います。",
                    f"'{original}' is in {shown}, but this item is in {unit or 'no unit'}.",
                )
            s = s[: -len(candidate)].rstrip()
            break
    negative = False
    if s[:1] in ("▲", "△", "-", "+"):
        negative = s[0] != "+"
        s = s[1:].lstrip()
    if not s:
        raise _reject("empty_number", original, "数字がありません", "no digits")
    if _PLAIN.fullmatch(s) is None and _GROUPED.fullmatch(s) is None:
        if s.count(".") > 1:
            raise _reject(
                "two_points", original, "小数点が2つ以上あります", "more than one decimal point"
            )
        if "," in s and re.fullmatch(r"[0-9,]+(?:\.[0-9]+)?", s, re.ASCII):
            raise _reject(
                "bad_grouping",
                original,
                "桁区切りのカンマの位置が正しくありません",
                "misplaced thousands separator",
            )
        if s[:1] in ("▲", "△", "-", "+"):
            raise _reject("two_signs", original, "符号が2つあります", "two signs")
        raise _reject(
            "not_a_number",
            original,
            "使えない文字が含まれています",
            "it contains characters that are not part of a number",
        )
    try:
        value = Decimal(s.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the patterns admit only valid numbers
        raise _reject("not_a_number", original, "形式が正しくありません", "bad format") from None
    if -value.as_tuple().exponent > MAX_PLACES:  # type: ignore[operator]
        # Files and reports carry at most 10 decimal places (docs/workbook-format.md);
        # more is a pasted float (0.30000000000000004), not a figure anyone reported.
        raise ParseError(
            "too_many_places",
            f"「{original}」は小数点以下の桁が多すぎます（{MAX_PLACES}桁まで）。",
            f"'{original}' has too many decimal places (at most {MAX_PLACES}).",
        )
    if abs(value) > max_abs:
        raise ParseError(
            "out_of_range",
            f"「{original}」は大きすぎます（上限 {max_abs:,}）。",
            f"'{original}' is too large (limit {max_abs:,}).",
        )
    return -value if negative else value


_ERA_KANJI = re.compile(r"(令和|平成|昭和)(元|[0-9]{1,2})年([0-9]{1,2})月", re.ASCII)
_ERA_LETTER = re.compile(r"([RHSrhs])([0-9]{1,2})[./\-]([0-9]{1,2})", re.ASCII)
_WESTERN = re.compile(r"([0-9]{4})(?:[/\-.]|年)([0-9]{1,2})月?", re.ASCII)


def _month_error(code: str, original: str, why_ja: str, why_en: str) -> ParseError:
    return ParseError(
        code,
        f"「{original}」は年月として読めません（{why_ja}）。例: 令和6年5月、R6.5、2024/5",
        f"'{original}' is not a month ({why_en}). Examples: 令和6年5月, R6.5, 2024/5",
    )


def parse_month(text: str | None) -> YearMonth | None:
    """The month typed (era or western); None for blank."""
    if text is None or not text.strip():
        return None
    original = text.strip()
    s = re.sub(r"\s+", "", normalize_input(text))
    for suffix in ("時点", "末"):
        s = s.removesuffix(suffix)
    era_name: str | None = None
    if m := _ERA_KANJI.fullmatch(s):
        era_name, year_text, month_text = m.group(1), m.group(2), m.group(3)
    elif m := _ERA_LETTER.fullmatch(s):
        era_name, year_text, month_text = (
            ERA_BY_LETTER[m.group(1).upper()].name,
            m.group(2),
            m.group(3),
        )
    elif m := _WESTERN.fullmatch(s):
        year, month = int(m.group(1)), int(m.group(2))
        _check_month_number(month, original)
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise _month_error(
                "year_range",
                original,
                f"{MIN_YEAR}〜{MAX_YEAR}年の範囲外です",
                f"outside {MIN_YEAR}-{MAX_YEAR}",
            )
        return YearMonth(year, month)
    else:
        raise _month_error(*_why_not_month(s, original))
    era_year = 1 if year_text == "元" else int(year_text)
    month = int(month_text)
    _check_month_number(month, original)
    if era_year < 1:
        raise _month_error(
            "era_year_zero",
            original,
            f"{era_name}0年はありません",
            f"there is no year 0 of {era_name}",
        )
    if not era_month_valid(era_name, era_year, month):
        western = ERA_BY_NAME[era_name].start.year + era_year - 1
        hint_ja = hint_en = ""
        if MIN_YEAR <= western <= MAX_YEAR:
            actual = YearMonth(western, month).era_label()
            hint_ja, hint_en = (
                f"。{western}年{month}月は{actual}です",
                f"; {western}-{month:02d} is {actual}",
            )
        raise _month_error(
            "outside_era",
            original,
            f"{era_name}にはこの年月がありません{hint_ja}",
            f"{era_name} has no such month{hint_en}",
        )
    return YearMonth(ERA_BY_NAME[era_name].start.year + era_year - 1, month)


def _check_month_number(month: int, original: str) -> None:
    if not 1 <= month <= 12:
        raise _month_error(
            "bad_month", original, f"{month}月はありません", f"there is no month {month}"
        )


def _why_not_month(s: str, original: str) -> tuple[str, str, str, str]:
    if re.fullmatch(r"[0-9]{1,2}月", s, re.ASCII):
        return ("no_year", original, "年がありません", "no year given")
    if re.fullmatch(r"(?:令和|平成|昭和|[RHSrhs])(?:元|[0-9]{1,2})年?", s, re.ASCII):
        return ("no_month", original, "月がありません", "no month given")
    if re.fullmatch(
        r"[0-9]{4}[/\-.][0-9]{1,2}[/\-.][0-9]{1,2}|[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日", s
    ):
        return ("a_day", original, "日付ではなく年月を入力してください", "give a month, not a day")
    if re.fullmatch(r"[A-Za-z][0-9]{1,2}[./\-][0-9]{1,2}", s, re.ASCII):
        return (
            "unknown_era",
            original,
            "元号の記号が不明です（R、H、S）",
            "unknown era letter (R, H, S)",
        )
    return ("bad_month", original, "形式が正しくありません", "unrecognised format")


def quantize(value: Decimal, decimals: int) -> Decimal:
    """Round half up to ``decimals`` places, as printed reports do."""
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def written_places(value: Decimal) -> int:
    """Decimals as the number was written: 98.40 → 2, 14097 → 0."""
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def format_decimal(value: Decimal, decimals: int, *, grouping: bool = True) -> str:
    """'14,097', '98.4', '0.087', '-1.5' — ASCII digits, rounded half up."""
    q = quantize(value, decimals)
    if q == 0:
        q = abs(q)  # never print "-0.0"
    return f"{q:,.{decimals}f}" if grouping else f"{q:.{decimals}f}"
