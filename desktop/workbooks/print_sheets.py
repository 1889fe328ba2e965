"""The sheets for people, as a page model: cover, report table, KPI table.

Laid out like the reports branches hand in today (Tokyo's FY2023 and FY2024
reports, whose content is the demo in desktop/resources/plans/): a cover, the table 事業計画 | 実施状況 | 評価 | 今後の実施予定等 with pillar and
section headings, and the KPI table (KPI設定項目一覧表). Every sheet prints
on A4 landscape, fitted to the page width, with the header row repeated on
each page and page numbers in the footer.

This module is pure: ``build_pages`` turns the workbook's data into ``Page``
objects (every cell's text and style name, row heights, merges, page breaks,
header and footer). ``page_render`` writes them with openpyxl, and
``seal_rows`` turns what they say into the ``_pages`` table that the digest
seals, so that a reader can prove that the printed sheets still say what
PlanDesk printed (``printed``). The seal holds what was printed, not how to
print it again: a reader with a newer PlanDesk, whose layout or wording of
figures may differ, still verifies an untouched older file.

Excel and LibreOffice do not grow rows with wrapped text in a file written by
openpyxl, so row heights are estimated here from the text length.
"""

from __future__ import annotations

import functools
import hashlib
import math
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from desktop.domain import rating_scopes
from desktop.domain.achievement import Status, status_detail
from desktop.domain.branch_targets import default_text, format_cell
from desktop.domain.branches import branch as find_branch
from desktop.domain.branches import prefecture_branches
from desktop.domain.calendar import fiscal_year_label
from desktop.domain.kpi_lines import STATUS_SYMBOLS, KpiLine, kpi_lines
from desktop.domain.model import (
    Benchmark,
    Kpi,
    Level,
    PeriodKind,
    Plan,
    PlanNode,
    ReportAxis,
    SectionEntry,
)
from desktop.domain.parsing import format_decimal
from desktop.domain.print_profiles import DEFAULT_PROFILE, PrintProfile, profile_for
from desktop.domain.report_order import ReportHeading, ReportRow, report_order, within
from desktop.domain.scales import scale_for
from desktop.workbooks import kpi_box
from desktop.workbooks.cell_codecs import encode_text
from desktop.workbooks.cell_text import MAX_CELL, printable, text_length
from desktop.workbooks.kpi_rows import KpiRow, kpi_row
from desktop.workbooks.machine import Kind, Rows, WorkbookData

COVER_SHEET = "表紙"
KPI_SHEET = "KPI設定項目一覧表"
REPORT_SHEETS = {PeriodKind.MIDYEAR: "進捗状況", PeriodKind.ANNUAL: "事業報告"}
# The reason for a mark, on its own row under the item (from print layout 3).
REASON_LABELS = {PeriodKind.MIDYEAR: "評価の理由", PeriodKind.ANNUAL: "自己評価の理由"}
PLAN_SHEET = "事業計画"
TARGETS_SHEET = "支部別目標"  # HQ's template with targets per branch: 47 rows × KPIs
DIGEST_NOTE = "このファイルが書き換えられていないことを確認するための値です"
FOOTER = "&P / &N ページ"  # page n of N
JST = timezone(timedelta(hours=9), "JST")  # Japan keeps no daylight saving time

_SIZE = 10
_MAX_ROW_HEIGHT = 409  # Excel's limit, in points
_LINE_HEIGHT = 15.0  # points per wrapped line at 10 pt, with Japanese line spacing
_PAD = 7.0

# The font size of each named style (``page_render`` defines the styles).
STYLE_SIZES: dict[str, float] = {
    "pd_title": 16,
    "pd_subtitle": 11,
    "pd_note": 9,
    "pd_head": _SIZE,
    "pd_pillar": 12,
    "pd_section": 11,
    "pd_subsection": _SIZE,
    "pd_text": _SIZE,
    "pd_kpi_text": _SIZE,
    "pd_mark": 14,
    "pd_centre": _SIZE,
    "pd_number": _SIZE,
    "pd_label": _SIZE,
    "pd_value": _SIZE,
    "pd_value_big": 12,
    "pd_digest": 8,
}
# The printed column titles and cover labels in English, for messages.
WORDS_EN = {
    "事業計画": "plan",
    "実施状況": "status",
    "評価": "mark",
    "自己評価": "self-rating",
    "評価の理由": "reason for the mark",
    "自己評価の理由": "reason for the self-rating",
    "今後の実施予定等": "next steps",
    "担当グループ": "group",
    "KPI設定項目": "KPI",
    "目標": "target",
    "実績": "actual",
    "前年度実績": "last year's actual",
    "時点": "as of",
    "判定": "judgement",
    "全国平均": "national average",
    "全国順位": "national rank",
    "備考": "note",
    "支部": "branch",
    "年度": "fiscal year",
    "報告期間": "report period",
    "種別": "kind",
    "決裁": "sign-off",
    "作成者": "written by",
    "作成日時": "written at",
    "作成アプリ": "written with",
    "収録範囲": "sections",
    "件数": "counts",
    "評価の内訳": "marks",
    "KPIの判定": "KPI judgements",
    "評価の凡例": "legend of marks",
    "基本方針": "basic policy",
    "確認用の値\n（SHA-256）": "digest",
    "表題": "title",
    "副題": "subtitle",
    "注記": "note",
    "列見出し": "column titles",
    "ヘッダー": "page header",
    "フッター": "page footer",
}


# --- text measurement --------------------------------------------------------------


class _Widths(dict[str, int]):
    """A character's width, looked up once per character: the page layout
    measures every printed text (and HQ lays out each submission again to check
    it), so the width of a text is a sum over a dict, not a call per character."""

    def __missing__(self, char: str) -> int:
        width = 2 if unicodedata.east_asian_width(char) in "WFA" else 1
        if len(self) < 65_536:
            self[char] = width
        return width


_WIDTHS = _Widths()


def display_width(text: str) -> int:
    """Width in half-width units: Japanese (wide, full-width, ambiguous) counts 2."""
    if text.isascii():
        return len(text)
    return sum(map(_WIDTHS.__getitem__, text))


def capacity(column_width: float, font_size: float = _SIZE) -> int:
    """Half-width characters that fit on one line of a column.

    Column widths are in Excel's units (the digit width of Calibri 11, 7 px);
    a full-width character is as wide as the font size (1 pt = 4/3 px).
    """
    half = font_size * 4 / 3 / 2
    return max(1, math.floor((column_width * 7 - 6) / half) - 1)


@functools.lru_cache(maxsize=8192)
def line_count(text: str, column_width: float, font_size: float = _SIZE) -> int:
    """Lines a wrapped cell needs: each paragraph wraps on its own. Remembered:
    a row is measured once to split it and again for its height, and HQ lays out
    47 files whose framework texts (HQ's plan) are the same."""
    if not text:
        return 1
    room = capacity(column_width, font_size)
    return sum(max(1, math.ceil(display_width(p) / room)) for p in text.split("\n"))


def row_height(lines: int, font_size: float = _SIZE) -> float:
    return min(_MAX_ROW_HEIGHT, lines * _LINE_HEIGHT * font_size / _SIZE + _PAD)


def split_for_rows(text: str, column_width: float, font_size: float = _SIZE) -> list[str]:
    """A text too tall for one row (Excel's limit is 409 pt) cut into pieces
    that each fit a row, at paragraph ends where possible; joined again they
    give the text back (pieces of one paragraph join with '', paragraphs with
    a newline)."""
    max_lines = int((_MAX_ROW_HEIGHT - _PAD) // (_LINE_HEIGHT * font_size / _SIZE))
    if line_count(text, column_width, font_size) <= max_lines:
        return [text]
    room = capacity(column_width, font_size)
    chunks: list[str] = []
    current = ""
    used = 0
    for index, paragraph in enumerate(text.split("\n")):
        for part, piece in enumerate(_hard_split(paragraph, room * max_lines)):
            lines = max(1, math.ceil(display_width(piece) / room))
            if used and used + lines > max_lines:
                chunks.append(current)
                current, used = "", 0
            elif used:
                current += "\n" if part == 0 and index > 0 else ""
            current += piece
            used += lines
    chunks.append(current)
    return chunks


def _hard_split(paragraph: str, limit: int) -> list[str]:
    pieces, start, width = [], 0, 0
    for i, char in enumerate(paragraph):
        w = display_width(char)
        if width + w > limit:
            pieces.append(paragraph[start:i])
            start, width = i, 0
        width += w
    pieces.append(paragraph[start:])
    return pieces


# The print layout (``machine.PRINT_LAYOUT``) from which the report table's KPI rows print
# 前年度実績 and the national figures; a file's pages are laid out again as its layout was.
_REFERENCES_SINCE = 2
# The print layout from which a plan organised by group prints by group (files of
# earlier layouts hold plans by tree only).
_GROUPS_SINCE = 3
# From layout 3 every KPI row (the report table's, the KPI table's, in every kind of file)
# prints all the reference figures held (``kpi_rows``) and the definition-change note, and
# the reason for a mark is a row of its own, no longer appended to 実施状況.
_ALL_REFERENCES_SINCE = 3
_REASON_APART_SINCE = 3

# --- the page model -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    width: float
    style: str = "pd_text"


# Today's table (the layout of Tokyo's FY2023 and FY2024 reports) under its old name.
PROGRESS_TABLE = DEFAULT_PROFILE


def profile_columns(profile: PrintProfile, period: PeriodKind) -> list[Column]:
    return [Column(c.title_for(period), c.width, c.style) for c in profile.columns]


@dataclass(slots=True)
class Page:
    """One printed sheet as data: what every cell says and how it is laid out.
    ``page_render`` writes it with openpyxl; ``seal_rows`` seals what it says."""

    name: str
    columns: tuple[Column, ...]
    cells: dict[tuple[int, int], tuple[str | None, str]] = field(default_factory=dict)
    subjects: dict[int, str] = field(default_factory=dict)  # row → what it is about, in words
    heights: dict[int, float] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2
    breaks: list[int] = field(default_factory=list)  # a page break after these rows
    header_left: str = ""
    header_right: str = ""
    footer_center: str = FOOTER
    title_row: int | None = None  # repeated on every printed page
    freeze_row: int | None = None  # the first row that scrolls
    one_page: bool = False
    show_grid: bool = True
    digest_cell: tuple[int, int] | None = None  # shows the file's digest (not sealed)
    # Rows that speak of the workbook file itself (its digest): not printed in a PDF.
    file_rows: set[int] = field(default_factory=set)

    def texts(self) -> dict[int, dict[int, str]]:
        """Row → column → text, for the cells that show something."""
        rows: dict[int, dict[int, str]] = {}
        for (row, column), (text, _style) in sorted(self.cells.items()):
            if text:
                rows.setdefault(row, {})[column] = text
        return rows


class _Sheet:
    """Builds a printed table: title lines, one repeated header row, then rows."""

    def __init__(self, title: str, columns: Sequence[Column]) -> None:
        self.page = Page(title, tuple(columns))
        self.columns = self.page.columns
        self.row = 0

    @property
    def width(self) -> float:
        return sum(c.width for c in self.columns)

    def text(self, row: int, column: int, value: str | None, style: str) -> None:
        self.page.cells[(row, column)] = (_fit(value), style)

    def banner(self, value: str, style: str, height: float | None = None, *, about: str) -> int:
        """A line across the whole table (title, heading, note)."""
        self.row += 1
        row = self.row
        value = printable(value)
        span = len(self.columns)
        for column in range(1, span + 1):
            self.text(row, column, value if column == 1 else None, style)
        if span > 1:
            self.page.merges.append((row, 1, row, span))
        size = STYLE_SIZES[style]
        if height is None:
            height = row_height(line_count(value, self.width, size), size)
        self.page.heights[row] = height
        self.page.subjects[row] = about
        return row

    def header(self) -> int:
        self.row += 1
        for i, column in enumerate(self.columns, start=1):
            self.text(self.row, i, column.title, "pd_head")
        self.page.heights[self.row] = 22
        self.page.subjects[self.row] = HEADER_SUBJECT
        self.page.title_row = self.row
        return self.row

    def line(
        self,
        values: Sequence[str | None],
        styles: Sequence[str | None] | None = None,
        *,
        about: str,
        unmeasured: int | None = None,
        spans: Sequence[int] | None = None,
    ) -> int:
        """A row of cells; its height fits the tallest text (but the column
        ``unmeasured``, whose cell is merged down and measured by the caller).
        A text taller than a row can be goes on in the rows below. Returns the
        first row. ``spans``: how many columns each value covers (merged across;
        default one each)."""
        spans = list(spans) if spans is not None else [1] * len(self.columns)
        starts = [1 + sum(spans[:i]) for i in range(len(spans))]
        widths = [sum(c.width for c in self.columns[s - 1 : s - 1 + n]) for s, n in zip(starts, spans, strict=True)]  # fmt: skip
        first = self.row + 1
        names = [(styles[i] if styles else None) or self.columns[s - 1].style for i, s in enumerate(starts)]  # fmt: skip
        sizes = [STYLE_SIZES[name] for name in names]
        pieces = [
            split_for_rows(printable(value), width, size) if value else [value]
            for width, value, size in zip(widths, values, sizes, strict=True)
        ]
        for k in range(max(len(p) for p in pieces)):
            self.row += 1
            height = row_height(1)
            for i, (start, span, parts) in enumerate(zip(starts, spans, pieces, strict=True)):
                value = parts[k] if k < len(parts) else None
                for column in range(start, start + span):
                    self.text(self.row, column, value if column == start else None, names[i])
                if span > 1:
                    self.page.merges.append((self.row, start, self.row, start + span - 1))
                if value and start != unmeasured:
                    lines = line_count(value, widths[i], sizes[i])
                    height = max(height, row_height(lines, sizes[i]))
            self.page.heights[self.row] = height
            self.page.subjects[self.row] = about
        return first

    def labelled(self, label: str, value: str, *, about: str) -> int:
        """A row of its own for one field: its name in the first column, its text
        across the others (on in the rows below when taller than a row can be)."""
        span = len(self.columns)
        width = sum(c.width for c in self.columns[1:])
        first = self.row + 1
        for piece in split_for_rows(printable(value), width):
            self.row += 1
            self.text(self.row, 1, label, "pd_label")
            self.text(self.row, 2, piece, "pd_text")
            for column in range(3, span + 1):
                self.text(self.row, column, None, "pd_text")
            if span > 2:
                self.page.merges.append((self.row, 2, self.row, span))
            lines = max(line_count(piece, width), line_count(label, self.columns[0].width))
            self.page.heights[self.row] = row_height(lines)
            self.page.subjects[self.row] = about
        return first

    def frame(
        self, *, header_left: str, header_right: str, freeze: bool, one_page: bool = False
    ) -> Page:
        page = self.page
        page.header_left, page.header_right = header_left, header_right
        page.one_page = one_page
        if freeze and page.title_row is not None:
            page.freeze_row = page.title_row + 1
        return page


# --- sealing what the pages say -------------------------------------------------------------

HEADER_SUBJECT = "列見出し"  # the subject of a table's header row
DIGEST_MARK = "digest"  # in a sealed row: this cell shows the file's digest


def text_seal(text: str) -> str:
    """A printed text's fingerprint in the sealed table: 16 hex digits of SHA-256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def seal_rows(pages: Sequence[Page]) -> Rows:
    """The rows of the ``_pages`` table: per printed row, the sheet, the row, what
    it is about and a fingerprint of each cell's text; the header and footer as
    rows "header" and "footer" with their left, centre and right parts."""
    rows: Rows = []
    for page in pages:
        for row, parts in (
            ("header", {"L": page.header_left, "R": page.header_right}),
            ("footer", {"C": page.footer_center}),
        ):
            sealed = " ".join(f"{k}:{text_seal(v.strip())}" for k, v in parts.items() if v.strip())
            rows.append([page.name, row, None, sealed or None])
        printed = page.texts()
        if page.digest_cell is not None:
            at_row, at_column = page.digest_cell
            printed.setdefault(at_row, {})[at_column] = DIGEST_MARK
        for row in sorted(printed):
            cells = " ".join(
                f"{column_letter(c)}:{DIGEST_MARK if (row, c) == page.digest_cell else text_seal(t)}"
                for c, t in sorted(printed[row].items())
            )
            rows.append([page.name, str(row), encode_text(page.subjects.get(row) or None), cells])
    return rows


def column_letter(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


# --- what the sheets show --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _View:
    """The plan as the sheets show it: the nodes in scope, in printed order."""

    data: WorkbookData
    children: dict[str | None, list[PlanNode]]
    shown: set[str]  # nodes with a row or a heading
    own: set[str]  # nodes inside the file's scope (rows, KPIs)
    entries: dict[str, SectionEntry]
    lines: list[KpiLine]

    @property
    def plan(self) -> Plan:
        return self.data.plan

    def walk(self, parent: str | None = None) -> Iterable[tuple[PlanNode, bool]]:
        """(node, True) on the way in, (node, False) after its subtree."""
        for node in self.children.get(parent, []):
            if node.key not in self.shown:
                continue
            yield node, True
            yield from self.walk(node.key)
            yield node, False

    def reportable(self, node: PlanNode) -> bool:
        return node.key in self.own and (
            bool(node.plan_text.strip()) or not self.children.get(node.key)
        )


def _view(data: WorkbookData) -> _View:
    plan = data.plan
    children: dict[str | None, list[PlanNode]] = {}
    for node in sorted(plan.nodes, key=lambda n: n.position):
        children.setdefault(node.parent_key, []).append(node)
    parents = {n.key: n.parent_key for n in plan.nodes}
    scope = set(data.manifest.sections) if data.manifest.kind is Kind.WORK else set()
    if not scope:
        own = set(parents)
    else:
        own = set()
        for key in parents:
            walk: str | None = key
            while walk is not None and walk not in scope:
                walk = parents.get(walk)
            if walk is not None:
                own.add(key)
    shown = set(own)
    for key in own:  # the headings above what is shown
        up = parents.get(key)
        while up is not None and up not in shown:
            shown.add(up)
            up = parents.get(up)
    report = data.report
    entries = {e.node_key: e for e in report.entries} if report else {}
    period = report.period if report else PeriodKind.MIDYEAR
    lines = [line for line in kpi_lines(plan, period) if line.kpi.node_key in own]
    return _View(data, children, shown, own, entries, lines)


def _status_text(line: KpiLine) -> str:
    status = line.assessment.status
    text = f"{STATUS_SYMBOLS[status]} {status.label_ja}"
    detail = status_detail(line.kpi, line.assessment, "ja")
    return f"{text}\n（{detail}）" if detail else text


def _kpi_title(kpi: Kpi) -> str:
    text = f"{kpi.label}{kpi.name}"
    tags = []
    if kpi.is_new:
        tags.append("【新設】")
    if kpi.definition_changed:
        tags.append("【算出方法の変更】")
    if kpi.reference_indicator:
        tags.append("【参考指標】")
    if kpi.own:  # printed only for what a branch added (format 4): older pages unchanged
        tags.append("【支部独自】")
    return "".join(tags) + text


def _parts_text(line: KpiLine) -> str:
    m = line.measurement
    if m is None or m.numerator is None or m.denominator is None:
        return ""
    kpi = line.kpi
    num = format_decimal(m.numerator, 0)
    den = format_decimal(m.denominator, 0)
    return f"{kpi.numerator_label or '分子'} {num}／{kpi.denominator_label or '分母'} {den}"


def _kpi_section(plan: Plan, node_key: str) -> str:
    """The heading a KPI is known by, with the section above a subsection as the
    reports print it: 'Ⅲ（１）医療資源の適正使用'."""
    node = plan.node(node_key)
    while node.level in (Level.ITEM, Level.SUBITEM) and node.parent_key:
        node = plan.node(node.parent_key)
    text = node.display_title
    if node.level is Level.SUBSECTION and node.parent_key:
        parent = plan.node(node.parent_key)
        if parent.level is Level.SECTION and parent.label:
            text = parent.label.rstrip("．.") + text
    return text


def _heading_text(node: PlanNode) -> str:
    text = node.display_title
    if node.importance is not None:
        text += "　【重要度：高】"
    if node.difficulty is not None:
        text += "　【困難度：高】"
    if node.own:
        text += "　【支部独自】"
    return text


def _tag_notes(node: PlanNode) -> list[str]:
    notes = []
    if node.importance:
        notes.append(f"【重要度：高】{node.importance}")
    if node.difficulty:
        notes.append(f"【困難度：高】{node.difficulty}")
    return notes


def _heading_style(node: PlanNode) -> str:
    if node.level is Level.PILLAR:
        return "pd_pillar"
    if node.level is Level.SECTION:
        return "pd_section"
    return "pd_subsection"


def _jst(stamp: datetime) -> str:
    local = stamp.astimezone(JST)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def _period_text(data: WorkbookData) -> str:
    report = data.report
    if report is None:
        return data.manifest.kind.label_ja  # 計画テンプレート: no period, no figures
    return f"{report.period.label_ja}　{report.as_of.era_label()}時点"


def _title(data: WorkbookData) -> str:
    plan, report = data.plan, data.report
    base = plan.title or f"{fiscal_year_label(plan.fiscal_year, 'era')}事業計画"
    if report is None:
        return base
    phrase = "上期進捗状況" if report.period is PeriodKind.MIDYEAR else "事業報告"
    return f"{base}　{phrase}"


def report_title(data: WorkbookData) -> str:
    """The title the pages print: the plan's, with the period's phrase."""
    return _title(data)


def _branch_name(code: str) -> str:
    try:
        return find_branch(code).name_ja
    except (KeyError, ValueError):
        return code


# --- the sheets ----------------------------------------------------------------------


def build_pages(data: WorkbookData, profile: PrintProfile | None = None) -> list[Page]:
    """The visible sheets, in order: cover, report (or plan) table laid out by
    ``profile`` (default: the one the plan chose for the report's period), KPI
    table. Nothing here depends on the digest: the cover's digest cell is marked,
    and filled in when the page is written."""
    if profile is None:
        profile = profile_for(data.plan, data.report.period if data.report else None)
    view = _view(data)
    branch = _branch_name(data.manifest.branch)
    fy = fiscal_year_label(data.plan.fiscal_year, "era")
    header_left = f"{branch}　{fy}"
    header_right = _period_text(data)
    pages = [
        _cover(data, view, header_left, header_right),
        _report_table(data, view, profile, header_left, header_right),
        _kpi_table(data, view, header_left, header_right),
    ]
    # Only a template that holds targets per branch has the sheet: every file that
    # could be written before it lays out as it did (PRINT_LAYOUT unchanged).
    if data.manifest.kind is Kind.TEMPLATE and data.plan.branch_targets and data.plan.kpis:
        pages.append(_targets_table(data, header_left, header_right))
    return pages


def _targets_table(data: WorkbookData, left: str, right: str) -> Page:
    """HQ's targets per branch: a row per branch, a column per KPI; a blank cell is
    the KPI's own target, shown in the row 本部の既定 above the branches."""
    kpis = data.plan.kpis
    columns = [Column("支部", 12), *(Column(_target_head(k), 16, "pd_centre") for k in kpis)]
    sheet = _Sheet(TARGETS_SHEET, columns)
    fy = fiscal_year_label(data.plan.fiscal_year, "era")
    sheet.banner(f"{fy}　支部別目標", "pd_title", 28, about="表題")
    sheet.banner(
        "空欄の目標は本部の既定（下の行）です。支部設定：支部が自らの計画で設定します。",
        "pd_note",
        about="注記",
    )
    header = sheet.header()
    sheet.page.heights[header] = max(
        row_height(line_count(c.title, c.width, STYLE_SIZES["pd_head"])) for c in columns
    )
    sheet.line(["本部の既定", *(default_text(k) for k in kpis)], about="本部の既定")
    for unit in prefecture_branches():
        row = data.plan.branch_targets.of_branch(unit.code)
        sheet.line(
            [unit.name_ja, *(format_cell(row.get(k.key), k) for k in kpis)], about=unit.name_ja
        )
    return sheet.frame(header_left=left, header_right=right, freeze=True)


def _target_head(kpi: Kpi) -> str:
    unit = f"（{kpi.unit}）" if kpi.unit else ""
    return f"{kpi.label}{kpi.name}{unit}"


def _cover(data: WorkbookData, view: _View, left: str, right: str) -> Page:
    m, plan, report = data.manifest, data.plan, data.report
    sheet = _Sheet(COVER_SHEET, (Column("", 26), Column("", 110, "pd_value")))
    sheet.page.show_grid = False
    sheet.banner(_title(data), "pd_title", 32, about="表題")
    if report is not None and report.title and report.title != _title(data):
        sheet.banner(report.title, "pd_subtitle", 20, about="副題")
    sheet.banner("", "pd_note", 8, about="")

    def field(label: str, value: str, style: str = "pd_value") -> int:
        return sheet.line([label, value], ["pd_label", style], about=label)

    field("支部", f"{m.branch}　{_branch_name(m.branch)}", "pd_value_big")
    fy = plan.fiscal_year
    field(
        "年度",
        f"{fiscal_year_label(fy, 'era')}（{fy}年度：{fy}年4月～{fy + 1}年3月）",
        "pd_value_big",
    )
    if report is not None:
        as_of = report.as_of
        field(
            "報告期間",
            f"{report.period.label_ja}\n{as_of.era_label()}時点（{as_of.year}年{as_of.month}月）",
            "pd_value_big",
        )
    else:
        field("報告期間", "—（計画テンプレート：実績を含みません）")
    field("種別", m.kind.label_ja)  # the pages are Japanese: the kind too
    if m.signed_off_at is not None or m.signer:
        when = _jst(m.signed_off_at) if m.signed_off_at else ""
        field("決裁", f"{m.signer}　{when}".strip(), "pd_value_big")
    else:
        field("決裁", "未決裁")
    field("作成者", m.creator)
    field("作成日時", f"{_jst(m.created_at)}（日本時間）")
    field("作成アプリ", f"PlanDesk {m.app_version}（ファイル形式 第{m.format_version}版）")
    if m.kind is Kind.WORK and m.sections:
        titles = [plan.node(k).display_title for k in m.sections if k in view.shown]
        field("収録範囲", "\n".join(titles) or "—")

    reportable = [n for n in plan.nodes if view.reportable(n)]
    counts = f"項目 {len(reportable)}件、KPI {len(view.lines)}件"
    # Marks count per rated unit: a rating scope once (its holder's mark).
    reportable = [n for n in reportable if not rating_scopes.is_rated_elsewhere(plan, n.key)]
    if report is not None:
        marked = [view.entries[n.key].mark for n in reportable if n.key in view.entries]
        written = sum(1 for mark in marked if mark)
        counts += f"（評価記入 {written}／{len(reportable)}件）"
    field("件数", counts)
    if report is not None:
        scale = scale_for(report.period)
        tally = Counter(
            (view.entries[n.key].mark if n.key in view.entries else None) or "未記入"
            for n in reportable
        )
        order = [*scale.symbols, *sorted(k for k in tally if k not in scale.symbols)]
        field("評価の内訳", "　".join(f"{s} {tally[s]}件" for s in order if tally[s]) or "—")
        # 参考指標 carry no verdict: not counted.
        status_tally = Counter(
            line.assessment.status
            for line in view.lines
            if line.assessment.status is not Status.REFERENCE
        )
        field(
            "KPIの判定",
            "　".join(
                f"{STATUS_SYMBOLS[s]} {s.label_ja} {status_tally[s]}件"
                for s in Status
                if status_tally[s]
            )
            or "KPI設定なし",
        )
        legend = "　".join(f"{mark.symbol} {mark.legend_ja}" for mark in scale.marks)
        field("評価の凡例", f"{scale.name_ja}：{legend}")
    if plan.basic_policy:
        field("基本方針", "\n".join(f"・{p}" for p in plan.basic_policy))
    label = "確認用の値\n（SHA-256）"
    row = sheet.line([label, m.digest or None], ["pd_label", "pd_digest"], about=label)
    sheet.page.heights[row] = 30
    sheet.page.digest_cell = (row, 2)
    note = sheet.line(["", DIGEST_NOTE], ["pd_note", "pd_note"], about="注記")
    sheet.page.heights[note] = 18
    sheet.page.file_rows.update(range(row, sheet.row + 1))
    return sheet.frame(header_left=left, header_right=right, freeze=False, one_page=True)


def _report_table(
    data: WorkbookData, view: _View, profile: PrintProfile, left: str, right: str
) -> Page:
    report = data.report
    box = report is not None and profile.kpi_box
    if report is None:
        columns = [Column("事業計画", 110), Column("担当グループ", 16, "pd_centre")]
        name = PLAN_SHEET
    elif box:
        columns = [Column(*c) for c in kpi_box.grid_columns(profile, report.period)]
        name = REPORT_SHEETS[report.period]
    else:
        columns = profile_columns(profile, report.period)
        name = REPORT_SHEETS[report.period]
    fields = [c.field for c in profile.columns]
    sheet = _Sheet(name, columns)
    sheet.banner(_title(data), "pd_title", 28, about="表題")
    subtitle = report.title if report is not None and report.title else _period_text(data)
    sheet.banner(
        f"{subtitle}　（{_branch_name(data.manifest.branch)}）", "pd_subtitle", 20, about="副題"
    )
    if box:
        titles = [c.title_for(report.period) for c in profile.columns]  # type: ignore[union-attr]
        header = sheet.line(titles, about=HEADER_SUBJECT, styles=["pd_head"] * len(titles),
                            spans=kpi_box.spans(len(columns)))  # fmt: skip
        sheet.page.heights[header] = 22
        sheet.page.title_row = header
    else:
        header = sheet.header()
    layout = data.manifest.print_layout
    benchmarks = {b.kpi_key: b for b in report.benchmarks} if report else {}
    kpis_by_node: dict[str, list[KpiLine]] = {}
    for line in view.lines:
        kpis_by_node.setdefault(line.kpi.node_key, []).append(line)

    plan = data.plan
    by_group = plan.report_axis is ReportAxis.GROUP and data.manifest.print_layout >= _GROUPS_SINCE
    if by_group:  # headings per group, the plan's own order (desktop/domain/report_order.py)
        _group_table(sheet, data, view, fields, kpis_by_node, benchmarks, box=bool(box))
    group_shown: object = None  # the group whose heading the rows below print under
    # A profile with a KPI column prints a section's KPIs beside its first item
    # (kpi_cell); a section without items prints them in a row of their own.
    in_column = report is not None and "kpi" in fields
    pending: dict[str, list[KpiLine]] = {}
    scoped = _printed_scopes(view)
    mark_column = fields.index("mark") + 1 if "mark" in fields else None
    scope_rows: dict[str, int] = {}  # holder → the first row of its scope
    for node, entering in () if by_group else view.walk():
        title = node.display_title
        if entering and in_column and node.key in kpis_by_node:
            pending[node.key] = kpis_by_node[node.key]
        if not entering:
            # In a profile with a KPI column, a section's KPIs printed beside an item.
            if node.key in kpis_by_node and not (in_column and node.key not in pending):
                pending.pop(node.key, None)
                if box:
                    kpi_box.box(sheet, kpis_by_node[node.key], about=title)
                else:
                    _kpi_summary(
                        sheet,
                        kpis_by_node[node.key],
                        fields if report is not None else None,
                        benchmarks,
                        layout,
                        about=title,
                    )
            if node.key in scoped and scoped[node.key][-1] == node.key:
                _merge_scope_mark(sheet, view, scope_rows, node.key, mark_column)
                # The scope's reason below its merged mark cell (never inside the merge).
                rated = view.entries.get(rating_scopes.holder_of(plan, node.key))
                if rated is not None and report is not None:
                    _reason_row(sheet, report.period, rated, fields, layout, about=title)
            continue
        has_children = bool(view.children.get(node.key))
        if has_children or node.level in (Level.PILLAR, Level.SECTION, Level.SUBSECTION):
            row = sheet.banner(_heading_text(node), _heading_style(node), about=title)
            group_shown = None
            if node.level is Level.PILLAR and row > header + 1:
                sheet.page.breaks.append(row - 1)  # each pillar on a new page
            for note in _tag_notes(node):
                sheet.banner(note, "pd_note", about=f"{title}（注記）")
            if not view.reportable(node) and node.footnotes:
                sheet.banner("\n".join(node.footnotes), "pd_note", about=f"{title}（注記）")
            label_done = True
        else:
            label_done = False
        if not view.reportable(node):
            continue
        plan_text = _item_plan_text(node, title, label_done=label_done)
        if report is None:
            group = plan.effective_group(node.key)
            sheet.line([plan_text, f"{group.value}グループ" if group else ""], about=title)
            continue
        if profile.group_headings:
            group = plan.effective_group(node.key)
            if group is not None and group != group_shown:
                sheet.banner(
                    f"【{group.value}グループ】", "pd_subsection", about=f"{title}（担当）"
                )
            group_shown = group
        entry = view.entries.get(node.key) or SectionEntry(node.key)
        row_fields = _entry_fields(entry, plan_text, fields, layout)
        if node.key in scoped:  # the scope's one mark, in its first printed row
            rated = view.entries.get(rating_scopes.holder_of(plan, node.key))
            first_of_scope = scoped[node.key][0] == node.key
            row_fields["mark"] = rated.mark if rated and first_of_scope else None
        if pending:
            row_fields["kpi"] = "\n\n".join(
                kpi_cell(line, benchmarks.get(line.kpi.key))
                for lines in pending.values()
                for line in lines
            )
            pending.clear()
        values = [row_fields.get(f) for f in fields]
        spans = kpi_box.spans(len(columns)) if box else None
        first = sheet.line(values, about=title, spans=spans)
        if node.key not in scoped:  # a scope's reason prints once, after its last item
            _reason_row(sheet, report.period, entry, fields, layout, about=title)
        if node.key in scoped and scoped[node.key][0] == node.key:
            scope_rows[rating_scopes.holder_of(plan, node.key)] = first
    if sheet.row == header:
        sheet.banner("この範囲には項目がありません。", "pd_note", about="注記")
    return sheet.frame(header_left=left, header_right=right, freeze=True)


def _item_plan_text(node: PlanNode, title: str, *, label_done: bool) -> str:
    """An item's plan text as printed: below its number and title unless a heading
    printed them, with its tags and footnotes."""
    plan_text = node.plan_text.strip()
    if not label_done:  # an item row: its label and title above its plan text
        plan_text = "\n".join([f"{title}\n{plan_text}".strip(), *_tag_notes(node)])
    if node.footnotes:
        plan_text = "\n".join([plan_text, *node.footnotes])
    return plan_text


def _item_line(
    sheet: _Sheet,
    data: WorkbookData,
    view: _View,
    node: PlanNode,
    title: str,
    fields: list[str],
    *,
    spans: list[int] | None = None,
    scope: tuple[str, ...] | None = None,
) -> int:
    """One item's row of a report by group: its number, title and plan text and, in a
    report, what was entered for it in the profile's columns. ``scope``: the printed
    items of the rating scope the item is in (its mark prints in the first). The row."""
    plan_text = _item_plan_text(node, title, label_done=False)
    if data.report is None:
        group = data.plan.effective_group(node.key)
        return sheet.line([plan_text, f"{group.value}グループ" if group else ""], about=title)
    entry = view.entries.get(node.key) or SectionEntry(node.key)
    layout = data.manifest.print_layout
    row_fields = _entry_fields(entry, plan_text, fields, layout)
    if scope is not None:  # the scope's one mark and reason, in its first printed row
        rated = view.entries.get(rating_scopes.holder_of(data.plan, node.key))
        if scope[0] != node.key or rated is None:
            rated = SectionEntry(node.key)  # the other rows: no mark of their own
        row_fields["mark"] = rated.mark
        if "mark_reason" in fields:
            row_fields["mark_reason"] = rated.mark_reason
    row = sheet.line([row_fields.get(f) for f in fields], about=title, spans=spans)
    if scope is None:  # a scope's reason prints once, after its last item
        _reason_row(sheet, data.report.period, entry, fields, layout, about=title)
    return row


def _group_table(
    sheet: _Sheet,
    data: WorkbookData,
    view: _View,
    fields: list[str],
    kpis_by_node: dict[str, list[KpiLine]],
    benchmarks: dict[str, Benchmark],
    *,
    box: bool,
) -> None:
    """A report organised by group (report_order): a heading per group, its items in
    the plan's order with their printed numbers. A node's KPIs follow the last row
    of its subtree, so the KPIs of a heading without a row of its own print too."""
    plan = data.plan
    lines = report_order(plan, view.own)
    anchor: dict[str, list[str]] = {}  # row key → the nodes whose KPIs follow it
    for node_key in kpis_by_node:
        last = None
        for line in lines:
            if isinstance(line, ReportRow) and within(plan, line.node.key, node_key):
                last = line.node.key
        if last is not None:
            anchor.setdefault(last, []).append(node_key)
    rows = [line.node.key for line in lines if isinstance(line, ReportRow)]
    printed = {key: i for i, key in enumerate(rows)}
    scoped = _printed_scopes(view, printed)
    # Whether a scope's items print one after another (then one merged mark cell).
    together = {
        key: [printed[k] for k in keys]
        == list(range(printed[keys[0]], printed[keys[0]] + len(keys)))
        and not any(
            isinstance(line, ReportHeading)
            for line in lines[_line_index(lines, keys[0]) : _line_index(lines, keys[-1])]
        )
        for key, keys in scoped.items()
    }
    mark_column = fields.index("mark") + 1 if "mark" in fields else None
    scope_rows: dict[str, int] = {}  # holder → the first row of its scope
    first = True
    for line in lines:
        if isinstance(line, ReportHeading):
            row = sheet.banner(line.text, "pd_pillar", about=line.text)
            if not first:
                sheet.page.breaks.append(row - 1)  # each group on a new page
            first = False
            continue
        title = line.title
        spans = kpi_box.spans(len(sheet.columns)) if box else None
        scope = scoped.get(line.node.key)
        row = _item_line(sheet, data, view, line.node, title, fields, spans=spans, scope=scope)
        if scope is not None and scope[0] == line.node.key:
            scope_rows[rating_scopes.holder_of(plan, line.node.key)] = row
        if scope is not None and scope[-1] == line.node.key:
            # One mark cell down the scope's rows where they print together (as by
            # tree); the reason below it, once, where the profile has no column for it.
            if together[line.node.key]:
                _merge_scope_mark(sheet, view, scope_rows, line.node.key, mark_column)
            rated = view.entries.get(rating_scopes.holder_of(plan, line.node.key))
            if rated is not None and data.report is not None:
                layout = data.manifest.print_layout
                _reason_row(sheet, data.report.period, rated, fields, layout, about=title)
        for node_key in anchor.get(line.node.key, ()):
            if box:
                kpi_box.box(sheet, kpis_by_node[node_key], about=title)
                continue
            _kpi_summary(
                sheet,
                kpis_by_node[node_key],
                fields if data.report is not None else None,
                benchmarks,
                data.manifest.print_layout,
                about=title,
            )


def _line_index(lines: Sequence[ReportHeading | ReportRow], key: str) -> int:
    return next(
        i for i, line in enumerate(lines) if isinstance(line, ReportRow) and line.node.key == key
    )


def _reason_has_a_place(fields: Sequence[str]) -> bool:
    """Whether the profile prints the reason for a mark in a column (its own, or the
    results cell that holds everything entered)."""
    return "mark_reason" in fields or "results" in fields


def _reason_row(
    sheet: _Sheet,
    period: PeriodKind,
    entry: SectionEntry,
    fields: Sequence[str],
    layout: int,
    *,
    about: str,
) -> None:
    """From layout 3, in a profile without a place for it, the reason for a mark on a
    row of its own under the item, never inside 実施状況 or 今後の実施予定等."""
    reason = (entry.mark_reason or "").strip()
    if reason and layout >= _REASON_APART_SINCE and not _reason_has_a_place(fields):
        label = REASON_LABELS[period]
        sheet.labelled(label, reason, about=f"{about}（{label}）")


def _entry_fields(
    entry: SectionEntry, plan_text: str, fields: Sequence[str], layout: int
) -> dict[str, Any]:
    """What each field of a profile prints for an item: a text written into a field
    the profile has no column for goes with the nearest column, never left off."""
    status = entry.status_text
    reason = (entry.mark_reason or "").strip()
    if reason and not _reason_has_a_place(fields) and layout < _REASON_APART_SINCE:
        status = f"{status}\n【評価の理由】{entry.mark_reason}".strip()  # as it printed
    actions = entry.actions
    if "status" not in fields and entry.status_text.strip():
        actions = f"{actions}\n【実施状況】{entry.status_text}".strip()
    if "actions" not in fields and entry.actions.strip():
        status = f"【具体的な取り組み】{entry.actions}\n{status}".strip()
    results = [status]
    if entry.mark:
        results.append(f"【評価】{entry.mark}")
    if entry.mark_reason:
        results.append(f"【評価の理由】{entry.mark_reason}")
    if entry.next_steps.strip():
        results.append(f"【今後の実施予定等】{entry.next_steps}")
    return {
        "plan": plan_text,
        "status": status,
        "mark": entry.mark,
        "mark_reason": reason,
        "next_steps": entry.next_steps,
        "actions": actions,
        "kpi": "",
        "results": "\n".join(r for r in results if r),
    }


def _merge_scope_mark(
    sheet: _Sheet, view: _View, scope_rows: dict[str, int], last: str, column: int | None
) -> None:
    """One mark cell down the rows of every item the scope rates (and their KPIs)."""
    holder = rating_scopes.holder_of(view.plan, last)
    if view.data.report is not None and column is not None and holder in scope_rows:
        sheet.page.merges.append((scope_rows[holder], column, sheet.row, column))


def _printed_scopes(view: _View, order: dict[str, int] | None = None) -> dict[str, tuple[str, ...]]:
    """Per printed item of a rating scope of more than one printed item: the scope's
    printed items in printed order (the first carries the mark, the last closes
    the merged mark cell). ``order``: each row's place (default: the tree's)."""
    out: dict[str, tuple[str, ...]] = {}
    if order is None:
        order = {n.key: i for i, n in enumerate(rating_scopes.in_tree_order(view.plan))}
    for keys in rating_scopes.scopes(view.plan).values():
        shown = (
            k for k in keys if k in order and k in view.shown and view.reportable(view.plan.node(k))
        )
        printed = tuple(sorted(shown, key=order.__getitem__))
        if len(printed) > 1:
            out.update(dict.fromkeys(printed, printed))
    return out


def _kpi_summary(
    sheet: _Sheet,
    lines: list[KpiLine],
    fields: list[str] | None,
    benchmarks: dict[str, Benchmark],
    layout: int,
    *,
    about: str,
) -> None:
    """The ■ KPI lines under a section, as the reports print them: the KPIs and
    their targets under the plan; under the status each one's actual as of its
    month, its judgement and the reference figures held (``kpi_rows``).
    ``fields``: the profile's columns (None: the plan, without figures; from layout 3
    with the reference figures under the targets). ``layout``: the file's print layout
    (1 printed no reference figures, 2 last year's actual and the national figures)."""
    targets = ["■ KPI："]
    actuals = ["■ KPI："]
    for line in lines:
        kpi = line.kpi
        row = kpi_row(kpi, benchmarks.get(kpi.key), line.measurement)
        targets.append(f"{kpi.label}{kpi.name}　{line.target_text()}")
        if layout >= _ALL_REFERENCES_SINCE:
            targets.extend(f"　{text}" for text in (row.definition(),) if text)
            if fields is None:  # a plan without figures: the references under the target
                targets.extend(f"　{text}" for text in row.lines())
        status = line.assessment.status
        manual = "（手動判定）" if line.assessment.manual else ""
        actuals.append(
            f"{kpi.label}{line.actual_text()}（{line.as_of_text()}）"
            f"　{STATUS_SYMBOLS[status]} {status.label_ja}{manual}"
        )
        actuals.extend(f"　{text}" for text in _reference_lines(row, layout))
    about = f"{about}のKPI"
    if fields is None:
        sheet.line(["\n".join(targets), ""], ["pd_kpi_text", "pd_kpi_text"], about=about)
        return
    figures = "\n".join(actuals)
    if "kpi" in fields:
        row_fields = {"plan": "\n".join(targets), "kpi": figures}
    else:
        row_fields = {"plan": "\n".join(targets), "status": figures, "results": figures}
    sheet.line(
        [row_fields.get(f, None if f == "mark" else "") for f in fields],
        ["pd_kpi_text"] * len(fields),
        about=about,
    )


def kpi_cell(line: KpiLine, benchmark: Benchmark | None) -> str:
    """One KPI in a KPI column: name, target, actual as of its month with the
    judgement, then the definition-change note and the reference figures held (kpi_rows)."""
    kpi = line.kpi
    status = line.assessment.status
    manual = "（手動判定）" if line.assessment.manual else ""
    parts = [
        f"{kpi.label}{kpi.name}",
        f"目標：{line.target_text()}",
        f"実績：{line.actual_text()}（{line.as_of_text()}）"
        f"　{STATUS_SYMBOLS[status]} {status.label_ja}{manual}",
    ]
    row = kpi_row(kpi, benchmark, line.measurement)
    parts.extend(text for text in (row.definition(), *row.lines()) if text)
    return "\n".join(parts)


def _reference_lines(row: KpiRow, layout: int) -> tuple[str, ...]:
    """The reference figures under a KPI's actual, as the file's layout printed them."""
    if layout >= _ALL_REFERENCES_SINCE:
        return row.lines()
    if layout >= _REFERENCES_SINCE:  # one line: 前年度実績 and this year's national figures
        held = [f.words for f in (row.last_year, row.national_average, row.national_rank) if f]
        return ("　".join(held),) if held else ()
    return ()


def _kpi_table(data: WorkbookData, view: _View, left: str, right: str) -> Page:
    report = data.report
    benchmarks = {b.kpi_key: b for b in report.benchmarks} if report else {}
    # From layout 3: every kind of file prints 前年度実績 (前々年度 below it) and, where
    # any KPI holds them, the national figures of this year and last year.
    every = data.manifest.print_layout >= _ALL_REFERENCES_SINCE
    rows = {
        line.kpi.key: kpi_row(line.kpi, benchmarks.get(line.kpi.key), line.measurement)
        for line in view.lines
    }
    national = any(r.has_national for r in rows.values()) if every else bool(benchmarks)
    if report is None:
        columns = [
            Column("事業計画", 34),
            Column("KPI設定項目", 58),
            Column("目標", 24, "pd_number"),
            Column("前年度実績", 16, "pd_number"),
        ]
        if every and national:
            columns += [Column("全国平均", 14, "pd_number"), Column("全国順位", 14, "pd_centre")]
        columns.append(Column("備考", 30))
    else:
        columns = [
            Column("事業計画", 30),
            Column("KPI設定項目", 50),
            Column("目標", 25, "pd_number"),
            Column("実績", 18, "pd_number"),
            Column("時点", 15, "pd_centre"),
            Column("判定", 20),
        ]
        if every:  # room for last year's national figures under this year's
            columns += [Column("前年度実績", 16, "pd_number")]
            if national:
                columns += [
                    Column("全国平均", 13, "pd_number"),
                    Column("全国順位", 14, "pd_centre"),
                ]
        elif national:
            columns += [Column("全国平均", 12, "pd_number"), Column("全国順位", 10, "pd_centre")]
    sheet = _Sheet(KPI_SHEET, columns)
    page = sheet.page
    fy = fiscal_year_label(data.plan.fiscal_year, "era")
    sheet.banner(f"{fy}　ＫＰＩ設定項目一覧表", "pd_title", 28, about="表題")
    sheet.banner(
        f"{_branch_name(data.manifest.branch)}　{_period_text(data)}",
        "pd_subtitle",
        20,
        about="副題",
    )
    sheet.header()
    pillar = None
    section_start: tuple[str, int] | None = None

    def close_section(end: int) -> None:
        if section_start is None:
            return
        text, start = section_start
        if end > start:
            page.merges.append((start, 1, end, 1))
        need = row_height(line_count(text, columns[0].width))
        have = sum(page.heights.get(r, 0) for r in range(start, end + 1))
        if need > have:
            page.heights[end] = min(_MAX_ROW_HEIGHT, page.heights.get(end, 0) + need - have)

    for line in view.lines:
        if line.pillar != pillar:
            close_section(sheet.row)
            section_start = None
            pillar = line.pillar
            sheet.banner(pillar, "pd_pillar", about=pillar)
        section = _kpi_section(data.plan, line.kpi.node_key)
        new_section = section_start is None or section_start[0] != section
        if new_section:
            close_section(sheet.row)
        kpi = line.kpi
        row = rows[kpi.key]
        name = _kpi_title(kpi)
        if kpi.note:
            name += "\n" + (kpi.note if kpi.note.startswith("※") else f"※{kpi.note}")
        if every and kpi.definition_note and row.definition():
            name += "\n" + row.definition()
        section_text = section if new_section else None
        if report is None:
            past = row.past_cell() if every else (row.last_year.text if row.last_year else "—")
            values = [section_text, name, line.target_text(), past]
            if every and national:
                values += list(row.national_cells())
            values.append(kpi.reference or "")
        else:
            actual = line.actual_text()
            parts = _parts_text(line)
            if parts:
                actual += f"\n{parts}"
            values = [
                section_text,
                name,
                line.target_text(),
                actual,
                line.as_of_text(),
                _status_text(line),
            ]
            if every:
                values.append(row.past_cell())
                if national:
                    values += list(row.national_cells())
            elif national:
                average, rank = row.national
                values += [average.text if average else "—", rank.text if rank else "—"]
        at = sheet.line(values, unmeasured=1, about=f"{kpi.label}{kpi.name}")
        if new_section:
            section_start = (printable(section), at)
    close_section(sheet.row)
    if not view.lines:
        sheet.banner("KPI設定なし", "pd_note", about="注記")
    return sheet.frame(header_left=left, header_right=right, freeze=True)


_CUT_NOTE = "…（以下省略：全文は PlanDesk のデータに保存されています）"


def _fit(value: str | None) -> str | None:
    """Texts joined for people may pass Excel's 32,767-character cell limit even when
    every field fits: print the start and say so. The hidden tables keep every word."""
    if value is None or text_length(value) <= MAX_CELL:
        return value
    keep = MAX_CELL - len(_CUT_NOTE) - 1
    while text_length(value[:keep]) > keep:  # characters outside the BMP count twice
        keep -= 16
    return value[:keep] + _CUT_NOTE
