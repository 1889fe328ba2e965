"""How long each kind of stored text may be: one table, one check.

Every service that stores a text (editing, review and people, workbook and
plan-document imports) checks it here, so a text that is accepted can always
be exported again, and a text that cannot be exported is refused when it is
typed — not later, when every export of the report would fail.

Why these numbers. A workbook's hidden tables hold each text in one cell, and
Excel holds at most 32,767 characters (UTF-16 code units) per cell. A text
with characters Excel cannot keep (control characters, U+FFFE/U+FFFF) or that
starts with ``json:`` is written as an escaped JSON string
(``desktop.workbooks.cell_codecs.encode_text``): in the worst case each character
becomes six (``\\u0001``), plus seven for ``json:`` and the quotes. So a text
of N characters always fits when 6 × N + 7 ≤ 32,767, i.e. N ≤ 5,460; lists
held in one cell (footnotes, the basic policy) need 6 × N + 4 per item.
The longest texts get 5,000 characters — about five A4 pages of Japanese, far
more than a report cell prints well (the form hints at that much earlier,
see ``TextKind.print_hint``). tests/workbooks/test_text_limits.py exports and reads back
the longest allowed text of every kind in its worst-case characters.

Lengths count characters as Python does (code points): what a person sees.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from desktop.domain.errors import BadInput

EXCEL_CELL = 32_767  # characters (UTF-16 code units) per cell
ESCAPED_CHAR = 6  # the longest a character becomes in an escaped cell (\u0001)
ESCAPE_OVERHEAD = 7  # 'json:' and the two quotes


@dataclass(frozen=True, slots=True)
class TextKind:
    """One kind of stored text and its limit (characters).

    ``single_line``: typed into a one-line field (a login, a name): line breaks
    and control characters are refused when typed. ``max_items``: for texts
    kept as a list (footnotes), how many there may be. ``print_hint``: about how
    many characters print in one cell of the report (see below); the form hints
    when a text is longer, it never refuses.
    """

    key: str
    label_ja: str
    label_en: str
    limit: int
    single_line: bool = False
    max_items: int = 1
    print_hint: int | None = None

    def label(self, lang: str = "ja") -> str:
        return self.label_ja if lang == "ja" else self.label_en


# How much prints well in one cell of the report. The printed report
# (desktop/workbooks/print_sheets.py) holds 28 Japanese characters a line in
# its 実施状況 column and 21 in its 今後の実施予定等 column, and a row is at most
# 409 pt, 26 lines at 10 pt: 728 and 546 characters fill one row; a longer
# text is split over several rows (and pages), which reads badly. Paragraph
# ends take room too, so the hints start a little earlier
# (tests/workbooks/test_print_sheets.py checks them against the layout).
STATUS_PRINT_HINT = 700
NEXT_STEPS_PRINT_HINT = 520

# What people write into a report.
STATUS_TEXT = TextKind(
    "status_text", "実施状況", "Status text", 5_000, print_hint=STATUS_PRINT_HINT
)
NEXT_STEPS = TextKind(
    "next_steps", "今後の実施予定等", "Next steps", 5_000, print_hint=NEXT_STEPS_PRINT_HINT
)
ACTIONS = TextKind(
    "actions", "具体的な取り組み", "Concrete actions", 5_000, print_hint=STATUS_PRINT_HINT
)
MARK = TextKind("mark", "評価", "Mark", 10)
MARK_REASON = TextKind("mark_reason", "評価の理由", "Reason for the mark", 2_000)
UNAVAILABLE_REASON = TextKind("unavailable_reason", "未入力の理由", "Reason for no figure", 500)
MANUAL_REASON = TextKind("manual_reason", "手動判定の理由", "Reason for the verdict", 2_000)
REPORT_TITLE = TextKind("report_title", "報告の表題", "Report title", 200)
# The plan (HQ's template, a branch's plan; typed in planning, or imported).
PLAN_TITLE = TextKind("plan_title", "計画の表題", "Plan title", 200)
BASIC_POLICY = TextKind("basic_policy", "基本方針", "Basic policy paragraph", 500, max_items=10)
PLAN_TEXT = TextKind("plan_text", "事業計画", "Plan text", 5_000)
NODE_LABEL = TextKind("node_label", "項目番号", "Item label", 50)
NODE_TITLE = TextKind("node_title", "項目名", "Item title", 300)
TAG_REASON = TextKind(
    "tag_reason", "重要度・困難度の理由", "Importance or difficulty reason", 2_000
)
FOOTNOTE = TextKind("footnote", "注記（※）", "Footnote", 500, max_items=10)
KPI_LABEL = TextKind("kpi_label", "KPI の番号", "KPI label", 50)
KPI_NAME = TextKind("kpi_name", "KPI名", "KPI name", 300)
KPI_UNIT = TextKind("kpi_unit", "KPI の単位", "KPI unit", 50)
KPI_PART_LABEL = TextKind(
    "kpi_part_label", "分子・分母の名称", "Numerator or denominator label", 100
)
KPI_REFERENCE = TextKind("kpi_reference", "KPI の参考値", "KPI reference", 300)
KPI_NOTE = TextKind("kpi_note", "KPI の注記", "KPI note", 1_000)
TARGET_TEXT = TextKind("target_text", "文章の目標", "Goal in words", 500)
DEFINITION_NOTE = TextKind(
    "definition_note", "算出方法の変更の内容", "What changed in the definition", 1_000
)
# What a work file remembers of each field for the next merge (exchange_bases):
# texts have their own kind; numbers, months and flags are short.
MERGE_BASE = TextKind("merge_base", "取り込みの基準値", "Merge base value", 5_000)
# Review and people.
REVIEW_TEXT = TextKind("review_text", "コメント・理由", "Comment or reason", 2_000)
LOGIN = TextKind("login", "ログイン名", "Login", 64, single_line=True)
DISPLAY_NAME = TextKind("display_name", "表示名", "Name", 100, single_line=True)

KINDS: tuple[TextKind, ...] = (
    STATUS_TEXT,
    NEXT_STEPS,
    ACTIONS,
    MARK,
    MARK_REASON,
    UNAVAILABLE_REASON,
    MANUAL_REASON,
    REPORT_TITLE,
    PLAN_TITLE,
    BASIC_POLICY,
    PLAN_TEXT,
    NODE_LABEL,
    NODE_TITLE,
    TAG_REASON,
    FOOTNOTE,
    KPI_LABEL,
    KPI_NAME,
    KPI_UNIT,
    KPI_PART_LABEL,
    KPI_REFERENCE,
    KPI_NOTE,
    TARGET_TEXT,
    DEFINITION_NOTE,
    MERGE_BASE,
    REVIEW_TEXT,
    LOGIN,
    DISPLAY_NAME,
)

_LINE_BREAKS = re.compile(r"\r\n?")
# Control characters (tab and line breaks included) have no place in a one-line
# field; U+FFFE/U+FFFF are not characters at all.
_NOT_IN_A_LINE = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\ufffe\uffff]")


class TextRefused(BadInput):
    """A text that cannot be stored; names its kind."""

    def __init__(self, kind: TextKind, message_ja: str, message_en: str) -> None:
        super().__init__(message_ja, message_en)
        self.kind = kind


def check_text(kind: TextKind, value: str, *, typed: bool = True) -> str:
    """``value`` as it is stored, or TextRefused saying why not.

    ``typed``: what a person typed or pasted: line breaks become ``\\n``, and a
    one-line kind refuses line breaks and control characters. False for texts
    read from a file: those are kept exactly as they are, only their length
    is checked.
    """
    if typed:
        value = _LINE_BREAKS.sub("\n", value)
        if kind.single_line and (bad := _NOT_IN_A_LINE.search(value)):
            code = f"U+{ord(bad.group()):04X}"
            raise TextRefused(
                kind,
                f"{kind.label_ja}に改行や制御文字（{code}）は使えません。",
                f"{kind.label_en} cannot contain a line break or control character ({code}).",
            )
    length = len(value)
    if length > kind.limit:
        raise TextRefused(
            kind,
            f"{kind.label_ja}が長すぎます（{length:,}文字、上限{kind.limit:,}文字）。"
            "短くしてください。",
            f"{kind.label_en} is too long ({length:,} characters; the limit is "
            f"{kind.limit:,}). Shorten it.",
        )
    return value


def check_texts(kind: TextKind, items: Sequence[str], *, typed: bool = True) -> tuple[str, ...]:
    """A list of texts of one kind (footnotes, basic policy): each and how many."""
    if len(items) > kind.max_items:
        raise TextRefused(
            kind,
            f"{kind.label_ja}が多すぎます（{len(items)}件、上限{kind.max_items}件）。",
            f"Too many entries of '{kind.label_en}' ({len(items)}; the limit is {kind.max_items}).",
        )
    return tuple(check_text(kind, item, typed=typed) for item in items)


def worst_cell_length(kind: TextKind) -> int:
    """The longest a text of this kind can be in a workbook cell (see the module doc)."""
    per_item = ESCAPED_CHAR * kind.limit
    if kind.max_items == 1:
        return per_item + ESCAPE_OVERHEAD
    return kind.max_items * (per_item + 4)  # quotes and ', ' each; the brackets
