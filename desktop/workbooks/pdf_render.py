"""The printed pages (``print_sheets``) as one PDF: A4 landscape, Japanese font embedded.

The PDF prints the very ``Page`` objects the workbook's printed sheets are written
from — every cell's text, its named style, the merges and page breaks — so what a
PDF says and what the sheets say cannot drift apart, and any print profile that
``print_sheets`` lays out is a PDF too. The look (fonts, fills, alignment) is read
from ``page_render.STYLES``, the workbook's own named styles.

Like Excel printing the sheets "fitted to the page width": the columns keep their
proportions and the table and its fonts shrink to the page width. Rows never
split across pages unless one is taller than a page; the header row repeats on
every page of a table; a cell merged down the rows (the KPI table's section) is
drawn once per page it spans. Each page has the report's branch and year at the
top left, its period and as-of month at the top right and "X / Y ページ" below.

fpdf2 embeds a subset of the font (TrueType or CFF outlines, .ttc collections
too); no LibreOffice and no Qt.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from desktop.files import write_atomically
from desktop.workbooks.machine import WorkbookData
from desktop.workbooks.page_render import STYLES
from desktop.workbooks.pdf_fonts import JapaneseFonts, find_japanese_fonts
from desktop.workbooks.print_sheets import (
    STYLE_SIZES,
    Page,
    PrintProfile,
    build_pages,
    report_title,
)

with warnings.catch_warnings():  # Pillow is left out of the frozen build: no images here
    warnings.filterwarnings("ignore", "Pillow could not be imported", UserWarning)
    from fpdf import FPDF

_FAMILY = "jp"
_PAGE_W, _PAGE_H = 841.89, 595.28  # A4 landscape, points
_MARGIN_X, _MARGIN_Y = 28.8, 43.2  # as the sheets print: 0.4 in and 0.6 in
_HEADER_Y = 18.0  # header and footer 0.25 in from the edge
_HEAD_SIZE = 9.0
_POINTS_PER_UNIT = 7 * 0.75  # an Excel column-width unit is 7 px
_LINE = 1.45  # line height per font size (Japanese text needs more than Latin)
_PAD_X, _PAD_Y = 3.0, 2.5
_GREY = (128, 128, 128)
_INNER_HEAD = "pd_head"  # the table header's style; a row all in it inside the table
# Characters that may not start a line (kinsoku): the stops hang in the cell's padding,
# the others take the character before them to the next line.
_HANGING = set("、。，．,.")
_NO_LINE_START = set(
    "）)」』】〕｝}〉》ゝゞ々ー・：；:;！!？?％%ぁぃぅぇぉっゃゅょァィゥェォッャュョ"
)


# Figures and Latin words are not broken inside (98.4％, 2,404,374人, OJT) unless
# longer than a line.
_WORD = set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.,%％")


_OPENING = set("（(「『【〔［[｛{〈《“‘")  # may not end a line


def _break_at(line: str, char: str) -> int:
    """Where ``line`` breaks before ``char`` is put: at its end, or before the word or
    figure it ends with (when ``char`` goes on with it) and the opening brackets before
    that — unless that would leave the line empty."""
    start = len(line)
    if char in _WORD:
        while start and line[start - 1] in _WORD:
            start -= 1
    elif char in _NO_LINE_START:
        start -= 1  # the character before goes down with it
    while start and line[start - 1] in _OPENING:
        start -= 1
    return start or len(line)


@dataclass(frozen=True, slots=True)
class _Look:
    size: float
    bold: bool
    colour: tuple[int, int, int]
    fill: tuple[int, int, int] | None
    box: bool
    align: str  # L C R
    middle: bool  # centred vertically


def _rgb(value: object) -> tuple[int, int, int] | None:
    text = str(value or "")
    if len(text) < 6 or not all(c in "0123456789abcdefABCDEF" for c in text[-6:]):
        return None
    return (int(text[-6:-4], 16), int(text[-4:-2], 16), int(text[-2:], 16))


def _looks() -> dict[str, _Look]:
    looks = {}
    for name, (font, fill, border, alignment) in STYLES.items():
        looks[name] = _Look(
            size=STYLE_SIZES[name],
            bold=bool(font.b),
            colour=_rgb(font.color.rgb if font.color is not None else None) or (0, 0, 0),
            fill=_rgb(fill.start_color.rgb) if fill is not None else None,
            box=border is not None,
            align={"center": "C", "right": "R"}.get(alignment.horizontal or "", "L"),
            middle=alignment.vertical == "center",
        )
    return looks


_LOOKS = _looks()


@dataclass(slots=True)
class _Cell:
    column: int  # 0-based
    x: float
    width: float
    look: _Look
    lines: list[str]
    span_to: int | None = None  # the last row of a cell merged down (its text lives here)
    of: _Cell | None = None  # under a cell merged down: that cell


@dataclass(slots=True)
class _Row:
    number: int
    cells: list[_Cell]
    height: float = 0.0
    line_height: float = 0.0  # of the cell that makes the row this tall
    banner: bool = False  # a heading across the table: kept with the row after it
    # A header row inside the table (the KPI box's KPI（目標）| 実績 | …, in the
    # table header's style): kept with the row after it, as a heading is.
    inner_head: bool = False

    @property
    def keeps_next(self) -> bool:
        return self.banner or self.inner_head


@dataclass(slots=True)
class _Segment:
    """The part of a merged-down cell on one page, drawn when the page or the merge ends."""

    cell: _Cell
    top: float
    bottom: float


class _Document(FPDF):
    def __init__(self, fonts: JapaneseFonts) -> None:
        super().__init__(orientation="L", unit="pt", format="A4")
        self.set_auto_page_break(False)
        self.set_margins(_MARGIN_X, _MARGIN_Y, _MARGIN_X)
        self.add_font(_FAMILY, "", fonts.regular.path, collection_font_number=fonts.regular.index)
        self.add_font(_FAMILY, "B", fonts.bold.path, collection_font_number=fonts.bold.index)
        if fonts.symbols is not None:
            self.add_font("symbols", "", fonts.symbols.path)
            self.set_fallback_fonts(["symbols"], exact_match=False)
        for font in self.fonts.values():
            # Recomputing every kept glyph's bounds when the subset is saved took most
            # of the time (CFF outlines); the font's own bounding box is kept instead.
            font.ttfont.recalcBBoxes = False
        self.header_left = self.header_right = ""
        self._widths: dict[tuple[str, str], float] = {}

    def header(self) -> None:
        self.set_font(_FAMILY, "", _HEAD_SIZE)
        self.set_text_color(0, 0, 0)
        self.set_xy(_MARGIN_X, _HEADER_Y)
        self.cell(_PAGE_W / 2 - _MARGIN_X, _HEAD_SIZE * 1.2, self.header_left, align="L")
        self.set_xy(_PAGE_W / 2, _HEADER_Y)
        self.cell(_PAGE_W / 2 - _MARGIN_X, _HEAD_SIZE * 1.2, self.header_right, align="R")

    def footer(self) -> None:
        self.set_font(_FAMILY, "", _HEAD_SIZE)
        self.set_text_color(0, 0, 0)
        self.set_xy(_MARGIN_X, _PAGE_H - _HEADER_Y - _HEAD_SIZE * 1.2)
        text = f"{self.page_no()} / {self.str_alias_nb_pages} ページ"  # the total, at the end
        self.cell(_PAGE_W - 2 * _MARGIN_X, _HEAD_SIZE * 1.2, text, align="C")

    def use(self, look: _Look, scale: float) -> None:
        self.set_font(_FAMILY, "B" if look.bold else "", look.size * scale)
        self.set_text_color(*look.colour)

    def char_width(self, char: str, style: str) -> float:
        """A character's width at size 1 (measured once per character and weight)."""
        key = (style, char)
        width = self._widths.get(key)
        if width is None:
            size = self.font_size_pt
            self.set_font(_FAMILY, style, 100)
            width = self._widths[key] = self.get_string_width(char) / 100
            self.set_font(_FAMILY, style, size)
        return width

    def wrap(self, text: str, width: float, look: _Look, scale: float) -> list[str]:
        """The lines of ``text`` in a column ``width`` wide: each paragraph breaks
        between any two characters (Japanese has no spaces to break at), and a
        closing bracket or stop hangs at the line's end instead of starting one."""
        style, size = ("B" if look.bold else ""), look.size * scale
        lines: list[str] = []
        for paragraph in text.split("\n"):
            line, used = "", 0.0
            for char in paragraph:
                w = self.char_width(char, style) * size
                if line and used + w > width and char not in _HANGING:
                    keep = _break_at(line, char)
                    lines.append(line[:keep])
                    line = line[keep:]
                    used = sum(self.char_width(c, style) * size for c in line)
                line += char
                used += w
            lines.append(line)
        return lines


@dataclass(slots=True)
class _Table:
    """One ``Page`` laid out on PDF pages."""

    doc: _Document
    page: Page
    scale: float = 1.0
    x0: float = _MARGIN_X
    rows: list[_Row] = field(default_factory=list)
    open: dict[int, _Segment] = field(default_factory=dict)  # column → merged cell on this page

    def layout(self) -> None:
        widths = [c.width * _POINTS_PER_UNIT for c in self.page.columns]
        room = _PAGE_W - 2 * _MARGIN_X
        self.scale = min(1.0, room / sum(widths))
        widths = [w * self.scale for w in widths]
        self.x0 = _MARGIN_X + (room - sum(widths)) / 2  # centred, as the sheets print
        lefts = [self.x0 + sum(widths[:i]) for i in range(len(widths))]
        spans: dict[tuple[int, int], int] = {}  # (row, column) → last column
        down: dict[tuple[int, int], int] = {}  # (row, column) → last row
        covered: set[tuple[int, int]] = set()
        for r1, c1, r2, c2 in self.page.merges:
            spans[(r1, c1)] = c2
            if r2 > r1:
                down[(r1, c1)] = r2
            covered.update(
                (r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1) if (r, c) != (r1, c1)
            )
        by_row: dict[int, dict[int, tuple[str | None, str]]] = {}
        for (row, column), value in self.page.cells.items():
            by_row.setdefault(row, {})[column] = value
        merged_need: dict[int, tuple[int, float]] = {}  # last row → (first row, height needed)
        origins: dict[int, _Cell] = {}  # column → the cell merged down over it
        for number in sorted(by_row):
            if number in self.page.file_rows:
                continue
            row = _Row(number, [])
            row.inner_head = number != self.page.title_row and all(
                style == _INNER_HEAD for _text, style in by_row[number].values()
            )
            tallest = 0.0
            for column, (text, style) in sorted(by_row[number].items()):
                if (number, column) in covered and (number, column) not in down:
                    continue
                look = _LOOKS[style]
                last = spans.get((number, column), column)
                width = sum(widths[column - 1 : last])
                lines = self.doc.wrap(text or "", width - 2 * _PAD_X, look, self.scale)
                cell = _Cell(column - 1, lefts[column - 1], width, look, lines)
                line_height = look.size * self.scale * _LINE
                need = max(1, len(lines)) * line_height + 2 * _PAD_Y
                if (number, column) in down:
                    cell.span_to = down[(number, column)]
                    origins[column] = cell
                    merged_need[cell.span_to] = (number, need)
                elif need > tallest:
                    tallest, row.line_height = need, line_height
                row.cells.append(cell)
                # A heading: one cell across the whole table (not a cell merged over
                # the last columns of a row that has others, as the KPI box's rows).
                row.banner = row.banner or (column == 1 and last == len(widths) > 1)
            for column in range(1, len(widths) + 1):  # the columns a merge above covers
                if (number, column) in covered and not any(
                    c.column == column - 1 for c in row.cells
                ):
                    origin = origins.get(column)
                    if origin is None or (origin.span_to or 0) < number:
                        continue  # under a merge across: the cell to its left covers it
                    row.cells.append(
                        _Cell(origin.column, origin.x, origin.width, origin.look, [], of=origin)
                    )
            row.line_height = row.line_height or STYLE_SIZES["pd_text"] * self.scale * _LINE
            row.height = tallest or row.line_height + 2 * _PAD_Y
            self.rows.append(row)
        heights = {row.number: row for row in self.rows}
        for last, (first, need) in merged_need.items():
            have = sum(heights[n].height for n in range(first, last + 1) if n in heights)
            if need > have and last in heights:
                heights[last].height += need - have

    def bottom(self) -> float:
        return _PAGE_H - _MARGIN_Y

    def draw(self) -> None:
        self.doc.header_left, self.doc.header_right = self.page.header_left, self.page.header_right
        self.doc.add_page()
        self.doc.set_y(_MARGIN_Y)
        title = next((r for r in self.rows if r.number == self.page.title_row), None)
        fresh = True  # nothing on the page yet but the repeated header row
        pending_break = False
        for index, row in enumerate(self.rows):
            if pending_break:
                self.new_page(title)
                fresh, pending_break = True, False
            if (
                row.keeps_next
                and not fresh
                and self.keep(index, title) > self.bottom() - self.doc.get_y()
            ):
                # Headings (or a box's header row) at the foot of a page, their first
                # row on the next: move them.
                self.new_page(title)
                fresh = True
            lines = max((len(c.lines) for c in row.cells if c.span_to is None), default=1)
            done = 0
            while True:
                rest = row.height if done == 0 else (lines - done) * row.line_height + 2 * _PAD_Y
                room = self.bottom() - self.doc.get_y()
                if rest <= room + 0.01:
                    self.draw_row(row, done, None, rest)
                    break
                fits = int((room - 2 * _PAD_Y) // row.line_height) if room > 2 * _PAD_Y else 0
                if not fresh and (rest <= self.full_page(title) or fits < 2):
                    self.new_page(title)  # a row that fits a page is never split
                    fresh = True
                    continue
                # Taller than a whole page: as many lines as fit, the rest on the next pages.
                take = max(1, fits)
                self.draw_row(row, done, done + take, take * row.line_height + 2 * _PAD_Y)
                done += take
                self.new_page(title)
                fresh = True
            fresh = False
            pending_break = row.number in self.page.breaks
        self.close_segments()

    def keep(self, index: int, title: _Row | None) -> float:
        """The room the headings from ``index`` (and a header row under them) need with
        the row below them: all of it
        when it fits a page (such a row moves whole to the next page, and would leave
        its headings behind), else its first lines."""
        need = 0.0
        for row in self.rows[index:]:
            if not row.keeps_next:
                if row.height <= self.full_page(title):
                    return need + row.height
                return need + min(row.height, 3 * row.line_height + 2 * _PAD_Y)
            need += row.height
        return need

    def full_page(self, title: _Row | None) -> float:
        return self.bottom() - _MARGIN_Y - (title.height if title else 0)

    def new_page(self, title: _Row | None) -> None:
        self.close_segments()
        self.doc.add_page()
        self.doc.set_y(_MARGIN_Y)
        if title is not None and not self.page.one_page:
            self.draw_row(title, 0, None, title.height)

    def draw_row(self, row: _Row, first: int, last: int | None, height: float) -> None:
        doc = self.doc
        top = doc.get_y()
        for cell in row.cells:
            origin = cell if cell.span_to is not None else cell.of
            if origin is not None:  # a cell merged down: drawn once per page it spans
                segment = self.open.get(cell.column)
                if segment is None or segment.cell is not origin:
                    if segment is not None:
                        self.close(cell.column)
                    self.open[cell.column] = _Segment(origin, top, top + height)
                else:
                    segment.bottom = top + height
                if row.number >= (origin.span_to or 0):
                    self.close(cell.column)
                continue
            self.box(cell, top, height)
            self.text(cell, cell.lines[first:last], top, height)
        doc.set_y(top + height)

    def box(self, cell: _Cell, top: float, height: float) -> None:
        doc = self.doc
        if cell.look.fill is not None:
            doc.set_fill_color(*cell.look.fill)
        if cell.look.box:
            doc.set_draw_color(*_GREY)
            doc.set_line_width(0.5)
        style = ("F" if cell.look.fill else "") + ("D" if cell.look.box else "")
        if style:
            doc.rect(cell.x, top, cell.width, height, style=style)

    def text(self, cell: _Cell, lines: Sequence[str], top: float, height: float) -> None:
        doc = self.doc
        doc.use(cell.look, self.scale)
        line_height = cell.look.size * self.scale * _LINE
        fit = max(0, int((height - 2 * _PAD_Y + 0.01) // line_height))
        lines = list(lines)[:fit]
        y = top + _PAD_Y
        if cell.look.middle:
            y = top + max(_PAD_Y, (height - len(lines) * line_height) / 2)
        for line in lines:
            doc.set_xy(cell.x + _PAD_X, y)
            doc.cell(cell.width - 2 * _PAD_X, line_height, line, align=cell.look.align)
            y += line_height

    def close(self, column: int) -> None:
        segment = self.open.pop(column)
        height = segment.bottom - segment.top
        self.box(segment.cell, segment.top, height)
        self.text(segment.cell, segment.cell.lines, segment.top, height)

    def close_segments(self) -> None:
        y = self.doc.get_y()
        for column in list(self.open):
            self.close(column)
        self.doc.set_y(y)


def render_pdf(
    pages: Sequence[Page],
    fonts: JapaneseFonts,
    *,
    title: str,
    author: str = "",
    created_at: datetime | None = None,
) -> bytes:
    """The PDF of ``pages``, each starting on a new sheet of paper."""
    doc = _Document(fonts)
    doc.set_title(title)
    doc.set_author(author)
    doc.set_creator("PlanDesk")
    doc.set_lang("ja")
    if created_at is not None:
        doc.set_creation_date(created_at)
    for page in pages:
        table = _Table(doc, page)
        table.layout()
        table.draw()
    return bytes(doc.output())


def write_pdf(
    data: WorkbookData,
    path: str | Path,
    *,
    profile: PrintProfile | None = None,
    fonts: JapaneseFonts | None = None,
) -> Path:
    """The printed pages of ``data`` as a PDF at ``path``, written atomically (the
    file is complete or as it was). UserError when no Japanese font is found."""
    fonts = fonts or find_japanese_fonts()
    m = data.manifest
    content = render_pdf(
        build_pages(data, profile),
        fonts,
        title=report_title(data),
        author=m.created_name or m.created_by,
        created_at=m.created_at,
    )

    def save(temp: Path) -> None:
        temp.write_bytes(content)

    return write_atomically(path, save)
