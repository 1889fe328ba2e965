"""The sheets for people: cover, report table, KPI table (print-ready).

Laid out like the reports branches hand in today (``../shared/seeds``): a
cover, the table 事業計画 | 実施状況 | 評価 | 今後の実施予定等 with pillar and
section headings, and the KPI table (KPI設定項目一覧表). Every sheet prints
on A4 landscape, fitted to the page width, with the header row repeated on
each page and page numbers in the footer.

Styles are registered once per workbook as NamedStyles (per-cell fonts and
borders are slow). Every text goes through ``writer.put_text`` so that text
starting with = + - @ stays text. Excel and LibreOffice do not grow rows with
wrapped text in a file written by openpyxl, so row heights are estimated here
from the text length.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from desktop.domain.achievement import Status, format_value, status_detail
from desktop.domain.branches import branch as find_branch
from desktop.domain.calendar import fiscal_year_label
from desktop.domain.kpi_lines import STATUS_SYMBOLS, KpiLine, kpi_lines
from desktop.domain.model import Kpi, Level, PeriodKind, Plan, PlanNode, SectionEntry
from desktop.domain.parsing import format_decimal
from desktop.domain.scales import scale_for
from desktop.workbooks import writer  # the module: it imports this one
from desktop.workbooks.machine import MAX_CELL, Kind, WorkbookData
from desktop.workbooks.styles import register_styles

COVER_SHEET = "表紙"
KPI_SHEET = "KPI設定項目一覧表"
REPORT_SHEETS = {PeriodKind.MIDYEAR: "進捗状況", PeriodKind.ANNUAL: "事業報告"}
PLAN_SHEET = "事業計画"
DIGEST_NOTE = "このファイルが書き換えられていないことを確認するための値です"
JST = timezone(timedelta(hours=9), "JST")  # Japan keeps no daylight saving time

_FONT = "ＭＳ Ｐゴシック"  # on every Japanese Windows; compact line spacing (Yu Gothic is ~1.7 em)
_MONO = "Consolas"
_SIZE = 10
_MAX_ROW_HEIGHT = 409  # Excel's limit, in points
_LINE_HEIGHT = 15.0  # points per wrapped line at 10 pt, with Japanese line spacing
_PAD = 7.0

_thin = Side(style="thin", color="808080")
_BOX = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_TOP_LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_TOP_CENTRE = Alignment(horizontal="center", vertical="top", wrap_text=True)
_TOP_RIGHT = Alignment(horizontal="right", vertical="top", wrap_text=True)
_MID_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


def _fill(colour: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=colour, end_color=colour)


def _font(size: float = _SIZE, *, bold: bool = False, name: str = _FONT, **kw: object) -> Font:
    return Font(name=name, size=size, bold=bold, charset=128, **kw)


# name → (font, fill, border, alignment)
_STYLES: dict[str, tuple[Font, PatternFill | None, Border | None, Alignment]] = {
    "pd_title": (_font(16, bold=True), None, None, _MID_LEFT),
    "pd_subtitle": (_font(11), None, None, _MID_LEFT),
    "pd_note": (_font(9, color="404040"), None, None, _TOP_LEFT),
    "pd_head": (_font(bold=True), _fill("D9D9D9"), _BOX, _CENTRE),
    "pd_pillar": (_font(12, bold=True), _fill("BDD7EE"), _BOX, _MID_LEFT),
    "pd_section": (_font(11, bold=True), _fill("DDEBF7"), _BOX, _MID_LEFT),
    "pd_subsection": (_font(bold=True), _fill("F2F2F2"), _BOX, _MID_LEFT),
    "pd_text": (_font(), None, _BOX, _TOP_LEFT),
    "pd_kpi_text": (_font(), _fill("FAFAF0"), _BOX, _TOP_LEFT),
    "pd_mark": (_font(14, bold=True), None, _BOX, _CENTRE),
    "pd_centre": (_font(), None, _BOX, _TOP_CENTRE),
    "pd_number": (_font(), None, _BOX, _TOP_RIGHT),
    "pd_label": (_font(bold=True), _fill("F2F2F2"), _BOX, _TOP_LEFT),
    "pd_value": (_font(), None, _BOX, _TOP_LEFT),
    "pd_value_big": (_font(12, bold=True), None, _BOX, _TOP_LEFT),
    "pd_digest": (_font(8, name=_MONO), None, _BOX, _TOP_LEFT),
}


# --- text measurement --------------------------------------------------------------


def display_width(text: str) -> int:
    """Width in half-width units: Japanese (wide, full-width, ambiguous) counts 2."""
    return sum(2 if unicodedata.east_asian_width(c) in "WFA" else 1 for c in text)


def capacity(column_width: float, font_size: float = _SIZE) -> int:
    """Half-width characters that fit on one line of a column.

    Column widths are in Excel's units (the digit width of Calibri 11, 7 px);
    a full-width character is as wide as the font size (1 pt = 4/3 px).
    """
    half = font_size * 4 / 3 / 2
    return max(1, math.floor((column_width * 7 - 6) / half) - 1)


def line_count(text: str, column_width: float, font_size: float = _SIZE) -> int:
    """Lines a wrapped cell needs: each paragraph wraps on its own."""
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


# --- the sheet frame -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Column:
    title: str
    width: float
    style: str = "pd_text"


class _Sheet:
    """A printed table: title lines, one repeated header row, then rows."""

    def __init__(self, wb: Workbook, title: str, columns: Sequence[_Column]) -> None:
        self.ws: Worksheet = wb.create_sheet(title)
        self.columns = tuple(columns)
        self.row = 0
        for i, column in enumerate(self.columns, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = column.width

    @property
    def width(self) -> float:
        return sum(c.width for c in self.columns)

    def text(self, row: int, column: int, value: str | None, style: str) -> None:
        cell = self.ws.cell(row=row, column=column)
        cell.style = style  # before the text: a named style resets quotePrefix
        writer.put_text(self.ws, row, column, _fit(value))

    def banner(self, value: str, style: str, height: float | None = None) -> int:
        """A line across the whole table (title, heading, note)."""
        self.row += 1
        row = self.row
        span = len(self.columns)
        for column in range(1, span + 1):
            self.ws.cell(row=row, column=column).style = style
        writer.put_text(self.ws, row, 1, _fit(value))
        if span > 1:
            self.ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)
        size = _STYLES[style][0].size or _SIZE
        if height is None:
            height = row_height(line_count(value, self.width, size), size)
        self.ws.row_dimensions[row].height = height
        return row

    def header(self) -> int:
        self.row += 1
        for i, column in enumerate(self.columns, start=1):
            self.text(self.row, i, column.title, "pd_head")
        self.ws.row_dimensions[self.row].height = 22
        return self.row

    def line(
        self,
        values: Sequence[str | None],
        styles: Sequence[str | None] | None = None,
        *,
        unmeasured: int | None = None,
    ) -> int:
        """A row of cells; its height fits the tallest text (but the column
        ``unmeasured``, whose cell is merged down and measured by the caller).
        A text taller than a row can be goes on in the rows below. Returns the
        first row."""
        first = self.row + 1
        names = [(styles[i] if styles else None) or c.style for i, c in enumerate(self.columns)]
        sizes = [_STYLES[name][0].size or _SIZE for name in names]
        pieces = [
            split_for_rows(value, column.width, size) if value else [value]
            for column, value, size in zip(self.columns, values, sizes, strict=True)
        ]
        for k in range(max(len(p) for p in pieces)):
            self.row += 1
            height = row_height(1)
            for i, (column, parts) in enumerate(zip(self.columns, pieces, strict=True), start=1):
                value = parts[k] if k < len(parts) else None
                self.text(self.row, i, value, names[i - 1])
                if value and i != unmeasured:
                    lines = line_count(value, column.width, sizes[i - 1])
                    height = max(height, row_height(lines, sizes[i - 1]))
            self.ws.row_dimensions[self.row].height = height
        return first


def _header_text(value: str) -> str:
    return value.replace("&", "&&")  # & starts a code in header and footer text


def _print_setup(
    ws: Worksheet,
    *,
    header_left: str,
    header_right: str,
    title_rows: str | None,
    freeze: str | None,
    one_page: bool = False,
) -> None:
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.25
    ws.print_options.horizontalCentered = True
    ws.print_options.gridLines = False
    if title_rows:
        ws.print_title_rows = title_rows
    if freeze:
        ws.freeze_panes = freeze
    for part in (ws.oddHeader, ws.evenHeader):
        part.left.text = _header_text(header_left)
        part.left.size = 9
        part.right.text = _header_text(header_right)
        part.right.size = 9
    for part in (ws.oddFooter, ws.evenFooter):
        part.center.text = "&P / &N ページ"
        part.center.size = 9


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


def _branch_name(code: str) -> str:
    try:
        return find_branch(code).name_ja
    except (KeyError, ValueError):
        return code


# --- the sheets ----------------------------------------------------------------------


def add_people_sheets(wb: Workbook, data: WorkbookData) -> None:
    """The visible sheets, in order: cover, report (or plan) table, KPI table."""
    register_styles(wb, _STYLES)
    view = _view(data)
    branch = _branch_name(data.manifest.branch)
    fy = fiscal_year_label(data.plan.fiscal_year, "era")
    header_left = f"{branch}　{fy}"
    header_right = _period_text(data)
    _cover(wb, data, view, header_left, header_right)
    _report_table(wb, data, view, header_left, header_right)
    _kpi_table(wb, data, view, header_left, header_right)


def _cover(wb: Workbook, data: WorkbookData, view: _View, left: str, right: str) -> None:
    m, plan, report = data.manifest, data.plan, data.report
    sheet = _Sheet(wb, COVER_SHEET, (_Column("", 26), _Column("", 110, "pd_value")))
    ws = sheet.ws
    ws.sheet_view.showGridLines = False
    sheet.banner(_title(data), "pd_title", 32)
    if report is not None and report.title and report.title != _title(data):
        sheet.banner(report.title, "pd_subtitle", 20)
    sheet.banner("", "pd_note", 8)

    def field(label: str, value: str, style: str = "pd_value") -> None:
        sheet.line([label, value], ["pd_label", style])

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
    field("種別", f"{m.kind.label_ja}（{m.kind.label_en}）")
    if m.signed_off_at is not None or m.signed_off_name or m.signed_off_by:
        who = m.signed_off_name or m.signed_off_by or ""
        when = _jst(m.signed_off_at) if m.signed_off_at else ""
        field("決裁", f"{who}　{when}".strip(), "pd_value_big")
    else:
        field("決裁", "未決裁")
    field("作成者", m.created_by)
    field("作成日時", f"{_jst(m.created_at)}（日本時間）")
    field("作成アプリ", f"PlanDesk {m.app_version}（ファイル形式 第{m.format_version}版）")
    if m.kind is Kind.WORK and m.sections:
        titles = [plan.node(k).display_title for k in m.sections if k in view.shown]
        field("収録範囲", "\n".join(titles) or "—")

    reportable = [n for n in plan.nodes if view.reportable(n)]
    counts = f"項目 {len(reportable)}件、KPI {len(view.lines)}件"
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
        status_tally = Counter(line.assessment.status for line in view.lines)
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
    row = sheet.line(["確認用の値\n（SHA-256）", m.digest], ["pd_label", "pd_digest"])
    ws.row_dimensions[row].height = 30
    note = sheet.line(["", DIGEST_NOTE], ["pd_note", "pd_note"])
    ws.row_dimensions[note].height = 18
    _print_setup(
        ws, header_left=left, header_right=right, title_rows=None, freeze=None, one_page=True
    )


def _report_table(wb: Workbook, data: WorkbookData, view: _View, left: str, right: str) -> None:
    report = data.report
    if report is None:
        columns = [_Column("事業計画", 110), _Column("担当グループ", 16, "pd_centre")]
        name = PLAN_SHEET
    else:
        columns = [
            _Column("事業計画", 52),
            _Column("実施状況", 56),
            _Column("自己評価" if report.period is PeriodKind.ANNUAL else "評価", 8, "pd_mark"),
            _Column("今後の実施予定等", 42),
        ]
        name = REPORT_SHEETS[report.period]
    sheet = _Sheet(wb, name, columns)
    sheet.banner(_title(data), "pd_title", 28)
    subtitle = report.title if report is not None and report.title else _period_text(data)
    sheet.banner(f"{subtitle}　（{_branch_name(data.manifest.branch)}）", "pd_subtitle", 20)
    header = sheet.header()
    kpis_by_node: dict[str, list[KpiLine]] = {}
    for line in view.lines:
        kpis_by_node.setdefault(line.kpi.node_key, []).append(line)

    plan = data.plan
    for node, entering in view.walk():
        if not entering:
            if node.key in kpis_by_node:
                _kpi_summary(sheet, kpis_by_node[node.key], with_actuals=report is not None)
            continue
        has_children = bool(view.children.get(node.key))
        if has_children or node.level in (Level.PILLAR, Level.SECTION, Level.SUBSECTION):
            row = sheet.banner(_heading_text(node), _heading_style(node))
            if node.level is Level.PILLAR and row > header + 1:
                sheet.ws.row_breaks.append(Break(id=row - 1))  # each pillar on a new page
            for note in _tag_notes(node):
                sheet.banner(note, "pd_note")
            if not view.reportable(node) and node.footnotes:
                sheet.banner("\n".join(node.footnotes), "pd_note")
            label_done = True
        else:
            label_done = False
        if not view.reportable(node):
            continue
        plan_text = node.plan_text.strip()
        if not label_done:  # an item row: its label and title above its plan text
            plan_text = "\n".join([f"{node.display_title}\n{plan_text}".strip(), *_tag_notes(node)])
        if node.footnotes:
            plan_text = "\n".join([plan_text, *node.footnotes])
        if report is None:
            group = plan.effective_group(node.key)
            sheet.line([plan_text, f"{group.value}グループ" if group else ""])
            continue
        entry = view.entries.get(node.key)
        status = entry.status_text if entry else ""
        if entry and entry.mark_reason:
            status = f"{status}\n【評価の理由】{entry.mark_reason}".strip()
        sheet.line(
            [plan_text, status, entry.mark if entry else None, entry.next_steps if entry else ""]
        )
    if sheet.row == header:
        sheet.banner("この範囲には項目がありません。", "pd_note")
    _print_setup(
        sheet.ws,
        header_left=left,
        header_right=right,
        title_rows=f"{header}:{header}",
        freeze=f"A{header + 1}",
    )


def _kpi_summary(sheet: _Sheet, lines: list[KpiLine], *, with_actuals: bool) -> None:
    """The ■ KPI lines under a section, as the reports print them."""
    targets = ["■ KPI："]
    actuals = ["■ KPI："]
    for line in lines:
        targets.append(f"{line.kpi.label}{line.kpi.name}　{line.target_text()}")
        status = line.assessment.status
        actuals.append(
            f"{line.kpi.label}{line.actual_text()}（{line.as_of_text()}）"
            f"　{STATUS_SYMBOLS[status]} {status.label_ja}"
        )
    if not with_actuals:
        sheet.line(["\n".join(targets), ""], ["pd_kpi_text", "pd_kpi_text"])
        return
    sheet.line(
        ["\n".join(targets), "\n".join(actuals), None, ""],
        ["pd_kpi_text", "pd_kpi_text", "pd_kpi_text", "pd_kpi_text"],
    )


def _kpi_table(wb: Workbook, data: WorkbookData, view: _View, left: str, right: str) -> None:
    report = data.report
    benchmarks = {b.kpi_key: b for b in report.benchmarks} if report else {}
    if report is None:
        columns = [
            _Column("事業計画", 34),
            _Column("KPI設定項目", 58),
            _Column("目標", 24, "pd_number"),
            _Column("前年度実績", 16, "pd_number"),
            _Column("備考", 30),
        ]
    else:
        columns = [
            _Column("事業計画", 30),
            _Column("KPI設定項目", 50),
            _Column("目標", 25, "pd_number"),
            _Column("実績", 18, "pd_number"),
            _Column("時点", 15, "pd_centre"),
            _Column("判定", 20),
        ]
        if benchmarks:
            columns += [_Column("全国平均", 12, "pd_number"), _Column("全国順位", 10, "pd_centre")]
    sheet = _Sheet(wb, KPI_SHEET, columns)
    fy = fiscal_year_label(data.plan.fiscal_year, "era")
    sheet.banner(f"{fy}　ＫＰＩ設定項目一覧表", "pd_title", 28)
    sheet.banner(f"{_branch_name(data.manifest.branch)}　{_period_text(data)}", "pd_subtitle", 20)
    header = sheet.header()
    pillar = None
    section_start: tuple[str, int] | None = None

    def close_section(end: int) -> None:
        if section_start is None:
            return
        text, start = section_start
        if end > start:
            sheet.ws.merge_cells(start_row=start, start_column=1, end_row=end, end_column=1)
        need = row_height(line_count(text, columns[0].width))
        have = sum(sheet.ws.row_dimensions[r].height or 0 for r in range(start, end + 1))
        if need > have:
            sheet.ws.row_dimensions[end].height = min(
                _MAX_ROW_HEIGHT, (sheet.ws.row_dimensions[end].height or 0) + need - have
            )

    for line in view.lines:
        if line.pillar != pillar:
            close_section(sheet.row)
            section_start = None
            pillar = line.pillar
            sheet.banner(pillar, "pd_pillar")
        section = _kpi_section(data.plan, line.kpi.node_key)
        new_section = section_start is None or section_start[0] != section
        if new_section:
            close_section(sheet.row)
        kpi = line.kpi
        name = _kpi_title(kpi)
        if kpi.note:
            name += "\n" + (kpi.note if kpi.note.startswith("※") else f"※{kpi.note}")
        section_text = section if new_section else None
        if report is None:
            values = [
                section_text,
                name,
                line.target_text(),
                format_value(kpi, kpi.last_year_actual)
                if kpi.last_year_actual is not None
                else "—",
                kpi.reference or "",
            ]
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
            if benchmarks:
                b = benchmarks.get(kpi.key)
                average = (
                    format_value(kpi, b.national_average)
                    if b and b.national_average is not None
                    else "—"
                )
                rank = f"全国{b.national_rank}位" if b and b.national_rank is not None else "—"
                values += [average, rank]
        row = sheet.line(values, unmeasured=1)
        if new_section:
            section_start = (section, row)
    close_section(sheet.row)
    if not view.lines:
        sheet.banner("KPI設定なし", "pd_note")
    _print_setup(
        sheet.ws,
        header_left=left,
        header_right=right,
        title_rows=f"{header}:{header}",
        freeze=f"A{header + 1}",
    )


_CUT_NOTE = "…（以下省略：全文は PlanDesk のデータに保存されています）"


def _fit(value: str | None) -> str | None:
    """Texts joined for people may pass Excel's 32,767-character cell limit even when
    every field fits: print the start and say so. The hidden tables keep every word."""
    if value is None or writer.text_length(value) <= MAX_CELL:
        return value
    keep = MAX_CELL - len(_CUT_NOTE) - 1
    while writer.text_length(value[:keep]) > keep:  # characters outside the BMP count twice
        keep -= 16
    return value[:keep] + _CUT_NOTE
