"""Signed submissions, and one-cell edits to them made straight in their XML, for the
reliability tests of the workbook reader (test_reader_fuzz.py, test_tamper.py).

The submissions are the demo ones (``demo_submissions``: the 47 branches' reports of
FY2024, written by PlanDesk's own writer), each signed with its branch's own key,
and HQ's registry holds every branch's public key, imported the way HQ imports one.
scrypt runs at a low cost passed explicitly (PlanDesk itself always uses the
product cost): only the opening of the key is cheaper, the signature is the same.

``Submission`` holds one file's parts in memory and knows, through PlanDesk's own
reader (``xlsx_cells.Book``, ``reader.table_rows``), every cell of every sheet; a
case changes one cell by rewriting that ``<c>`` element, optionally recomputes every
seal a forger who read the code can recompute (the row's seal, the ``_pages`` record
of a printed cell, the digest in the manifest and on the cover) with PlanDesk's own
seal functions, and zips the parts again. No openpyxl load and save per case: that
is what makes tens of thousands of cases affordable.
"""

from __future__ import annotations

import io
import random
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from xml.sax.saxutils import escape

from desktop.services import key_registry, signing_keys
from desktop.services.demo_submissions import DEMO_PLAN, demo_submission
from desktop.services.key_registry import Registry, load_registry
from desktop.services.plans import bundled_plan
from desktop.services.signatures import sign
from desktop.services.signing_keys import KdfCost
from desktop.workbooks.cell_text import printable, store
from desktop.workbooks.hidden_tables import PAGES, Table, manifest_keys, tables_for
from desktop.workbooks.machine import FORMAT_VERSION, MANIFEST_SHEET, Cell, Rows
from desktop.workbooks.print_sheets import COVER_SHEET, text_seal
from desktop.workbooks.reader import table_rows
from desktop.workbooks.safety import check_content
from desktop.workbooks.seals import digest, row_seal
from desktop.workbooks.writer import write_workbook
from desktop.workbooks.xlsx_cells import Book, column_letter, number_text

FAST = KdfCost(n=2**10, r=8, p=1)
PASS = "branch-head-passphrase"
CHANGED_AFTER_SIGNING = "changed after it was signed"


@dataclass(frozen=True, slots=True)
class Corpus:
    files: list[Path]
    registry: Registry  # HQ's: every branch's public key imported


def signed_corpus(folder: Path, branches: Sequence[str], *, signed: bool = True) -> Corpus:
    """One demo submission per branch in ``folder``/share, signed with the branch's own
    key (``signed=False``: the same files without a signature, and an empty registry)."""
    tokyo = bundled_plan(DEMO_PLAN)
    hq = folder / "hq-keys"
    share = folder / "share"
    share.mkdir(parents=True, exist_ok=True)
    files = []
    for code in branches:
        data = demo_submission(code, plan=tokyo)
        path = share / f"{code}.xlsx"
        if signed:
            keys = folder / f"keys-{code}"
            signing_keys.create_key(keys, code, PASS, cost=FAST)
            sent = folder / f"{code}.pub.json"
            signing_keys.export_public_key(keys, sent)
            key_registry.import_key(hq, sent)
            key = signing_keys.unlock(keys, PASS)
            write_workbook(data, path, lambda m, key=key: sign(m, key))
        else:
            write_workbook(data, path)
        files.append(path)
    return Corpus(files, load_registry(hq))


# --- one cell of the XML ---------------------------------------------------------------


def _cell_span(xml: bytes, ref: str) -> tuple[int, int]:
    """Where the ``<c r="ref" …>`` element stands in a sheet part PlanDesk wrote."""
    start = xml.find(b'<c r="' + ref.encode() + b'"')
    if start < 0:
        raise LookupError(ref)
    head_end = xml.index(b">", start)
    if xml[head_end - 1 : head_end] == b"/":
        return start, head_end + 1
    return start, xml.index(b"</c>", head_end) + 4


def text_cell(ref: str, style: int, text: str | None) -> bytes:
    """A text cell as Excel writes one inline (None: a cell with no value)."""
    if text is None:
        return f'<c r="{ref}" s="{style}" />'.encode()
    body = escape(store(text))
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{body}</t></is></c>'.encode()


def put_cells(xml: bytes, cells: dict[str, bytes]) -> bytes:
    """``xml`` with the named cells replaced (each must exist)."""
    spans = sorted((_cell_span(xml, ref), new) for ref, new in cells.items())
    out, at = [], 0
    for (start, end), new in spans:
        out += [xml[at:start], new]
        at = end
    out.append(xml[at:])
    return b"".join(out)


def zip_parts(members: Sequence[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name": the fuzzer writes some on purpose
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            for name, content in members:
                archive.writestr(name, content)
    return buffer.getvalue()


# --- one edit --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Edit:
    """A cell's new XML and what PlanDesk's reader reads from it."""

    kind: str  # value, whitespace, number, type, formula, empty
    xml: bytes
    text: str | None  # the text the reader reads (None: no value)
    formula: bool = False
    text_kind: bool = True  # read as text ("s"), not a number, boolean or error


_FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


def _number(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _respellings(text: str) -> list[str]:
    """The same number (or text) written another way."""
    number = _number(text)
    if number is not None:
        plain = format(number, "f")
        return [
            f"{plain}0" if "." in plain else f"{plain}.0",
            f"+{plain}",
            f"{number:E}",
            text.translate(_FULL_WIDTH),
            f"{number:,}" if abs(number) >= 1000 else f"0{plain}",
        ]
    return [
        text.translate(_FULL_WIDTH),
        text.upper(),
        text.lower(),
        f"'{text}",
        text.replace("・", "･"),
    ]


def _changed_value(text: str, rng: random.Random) -> str:
    number = _number(text)
    if number is not None:
        step = Decimal(1).scaleb(number.as_tuple().exponent)  # one in the last place
        return format(number + step * rng.choice((1, -1, 10, 100)), "f")
    choice = rng.randrange(4)
    if choice == 0 and len(text) > 1:
        i = rng.randrange(len(text))
        return text[:i] + text[i + 1 :]
    if choice == 1:
        return text + rng.choice("改0１a。")
    if choice == 2:
        return rng.choice("改東京0") + text
    return rng.choice(("達成", "0", "○", "A", "100.0", "支部長 鈴木 誠", "2024"))


def _whitespace(text: str, rng: random.Random) -> str:
    return rng.choice(
        (
            f"{text} ",
            f" {text}",
            f"{text}\u3000",
            f"\u3000{text}",
            f"{text}\n",
            text.replace(" ", "\u3000", 1) if " " in text else f"{text}\t",
        )
    )


KINDS = ("value", "whitespace", "number", "type", "formula", "empty")


def edits(target: Target, rng: random.Random, *, printed: bool) -> dict[str, Edit]:
    """One edit of each kind (``KINDS``) that changes what PlanDesk reads from the cell,
    by kind; a kind that cannot change this cell is left out. A hidden cell's text
    typed as a number that reads as the same text is no change of content; on a
    printed sheet a number where text was printed is one."""
    ref, style, text = target.ref, target.style, target.text
    candidates: list[Edit] = [
        Edit("value", text_cell(ref, style, new := _changed_value(text, rng)), new),
        Edit("whitespace", text_cell(ref, style, new := _whitespace(text, rng)), new),
        Edit("empty", text_cell(ref, style, None), None),
        Edit(
            "formula",
            f'<c r="{ref}" s="{style}" t="str"><f>T("x")</f><v>{escape(store(text))}</v></c>'.encode(),
            text,
            formula=True,
        ),
    ]
    spellings = [t for t in _respellings(text) if t != text] or [f"{text}0"]
    new = rng.choice(spellings)
    candidates.append(Edit("number", text_cell(ref, style, new), new))
    number = _number(text)
    typed = [
        ("b", "1", "True"),
        ("e", "#N/A", "#N/A"),
        ("n", format(number, "f") if number is not None else "0", None),
    ]
    for t, raw, read in rng.sample(typed, len(typed)):
        read = read if read is not None else number_text(raw)
        edit = Edit(
            "type",
            f'<c r="{ref}" s="{style}" t="{t}"><v>{raw}</v></c>'.encode(),
            read,
            text_kind=False,
        )
        if read != text or printed:
            candidates.append(edit)
            break
    return {
        e.kind: e
        for e in candidates
        if e.text != text or e.formula or (printed and not e.text_kind)
    }


# --- one submission in memory ------------------------------------------------------------


@dataclass(slots=True)
class Target:
    sheet: str
    row: int
    column: int
    text: str
    style: int

    @property
    def ref(self) -> str:
        return f"{column_letter(self.column)}{self.row}"


@dataclass(slots=True)
class Submission:
    """One PlanDesk workbook's parts and cells, read with PlanDesk's own reader."""

    path: Path
    members: list[tuple[str, bytes]]
    parts: dict[str, str] = field(default_factory=dict)  # sheet name → member
    printed: list[str] = field(default_factory=list)  # the visible sheets
    tables: dict[str, Rows] = field(default_factory=dict)  # hidden table → rows, seal last
    manifest: dict[str, Cell] = field(default_factory=dict)
    manifest_lines: dict[str, int] = field(default_factory=dict)
    targets: dict[str, list[Target]] = field(default_factory=dict)  # sheet → editable cells
    cover_digest: dict[str, int] = field(default_factory=dict)  # cover cells showing it → style
    page_rows: dict[tuple[str, int], int] = field(default_factory=dict)  # → _pages index

    @classmethod
    def load(cls, path: Path) -> Submission:
        content = path.read_bytes()
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = [(i.filename, archive.read(i)) for i in archive.infolist()]
        book = Book(check_content(path.name, content))
        self = cls(path, members)
        self.parts = {e.name: e.part for e in book.sheets if e.part}
        self.printed = [e.name for e in book.sheets if e.state == "visible"]
        manifest_rows = table_rows(book, MANIFEST_SHEET, 2, path.name)
        for line, (key, value) in enumerate(manifest_rows[1:], start=2):
            self.manifest[key] = value
            self.manifest_lines[key] = line
        for table in _tables():
            self.tables[table.sheet] = table_rows(
                book, table.sheet, len(table.columns) + 1, path.name
            )[1:]
        old = self.manifest["digest"]
        for j, (sheet, row, *_rest) in enumerate(self.tables[PAGES.sheet]):
            if row not in ("header", "footer"):
                self.page_rows[(sheet, int(row))] = j
        for entry in book.sheets:
            if entry.part is None:
                continue
            cells = book.sheet(entry).cells
            targets = []
            for (row, column), value in sorted(cells.items()):
                if value.text is None:
                    continue
                if entry.name == COVER_SHEET and value.text == old:
                    self.cover_digest[f"{column_letter(column)}{row}"] = value.style
                    continue
                table = _TABLES.get(entry.name)
                if table is not None and row > 1 and column == len(table.columns) + 1:
                    continue  # a row's seal: what the forger recomputes
                if (
                    entry.name == MANIFEST_SHEET
                    and column == 2
                    and manifest_rows[row - 1][0] == "digest"
                ):
                    continue  # the digest: what the forger recomputes
                targets.append(Target(entry.name, row, column, value.text, value.style))
            self.targets[entry.name] = targets
        return self

    def apply(self, target: Target, edit: Edit, *, reseal: bool) -> bytes:
        """The file with ``edit`` made to ``target``; with ``reseal``, every seal
        recomputed as a forger would (the signature is left as it was)."""
        changes: dict[str, dict[str, bytes]] = {target.sheet: {target.ref: edit.xml}}
        if reseal:
            self._reseal(target, edit, changes)
        out = []
        for name, content in self.members:
            sheet = next((s for s, p in self.parts.items() if p == name and s in changes), None)
            out.append((name, put_cells(content, changes[sheet]) if sheet else content))
        return zip_parts(out)

    def _reseal(self, target: Target, edit: Edit, changes: dict[str, dict[str, bytes]]) -> None:
        manifest = dict(self.manifest)
        tables = {sheet: [list(r) for r in rows] for sheet, rows in self.tables.items()}
        if target.sheet == MANIFEST_SHEET:
            key = next((k for k, line in self.manifest_lines.items() if line == target.row), None)
            if key is not None and target.column == 2:
                manifest[key] = edit.text
            elif key is not None:  # the key itself renamed: its value now stands under another key
                value = manifest.pop(key)
                if edit.text is not None:
                    manifest[edit.text] = value
            # (the header row has nothing to recompute)
        elif target.sheet in _TABLES:
            if target.row > 1:  # a header cell has no seal to recompute
                self._reseal_row(
                    _TABLES[target.sheet],
                    target.row - 2,
                    target.column - 1,
                    edit.text,
                    tables,
                    changes,
                )
        else:  # a printed cell: its fingerprint in the _pages record
            j = self.page_rows[(target.sheet, target.row)]
            sealed = dict(
                part.split(":") for part in (tables[PAGES.sheet][j][3] or "").split(" ") if part
            )
            letter = column_letter(target.column)
            if edit.text is None:
                sealed.pop(letter, None)
            else:
                sealed[letter] = text_seal(printable(edit.text))
            cells = " ".join(
                f"{k}:{v}" for k, v in sorted(sealed.items(), key=lambda kv: (len(kv[0]), kv[0]))
            )
            self._reseal_row(PAGES, j, 3, cells or None, tables, changes)
        pairs = [(k, manifest.get(k)) for k in manifest_keys(FORMAT_VERSION)]
        value = digest(pairs, {s: [r[:-1] for r in rows] for s, rows in tables.items()})
        line = self.manifest_lines["digest"]
        changes.setdefault(MANIFEST_SHEET, {})[f"B{line}"] = text_cell(f"B{line}", 0, value)
        for ref, style in self.cover_digest.items():
            changes.setdefault(COVER_SHEET, {})[ref] = text_cell(ref, style, value)

    def _reseal_row(
        self,
        table: Table,
        index: int,
        column: int,
        text: Cell,
        tables: dict[str, Rows],
        changes: dict[str, dict[str, bytes]],
    ) -> None:
        """The row's new seal; the changed cell itself is written here too unless the
        edit being made is that cell (a printed cell's fingerprint in ``_pages``)."""
        row = tables[table.sheet][index]
        row[column] = text
        width = len(table.columns)
        ref = f"{column_letter(column + 1)}{index + 2}"
        if ref not in changes.get(table.sheet, {}):
            changes.setdefault(table.sheet, {})[ref] = text_cell(ref, 0, text)
        seal_ref = f"{column_letter(width + 1)}{index + 2}"
        row[width] = row_seal(table, row[:width])
        changes.setdefault(table.sheet, {})[seal_ref] = text_cell(seal_ref, 0, row[width])

    def all_targets(self) -> list[Target]:
        return [t for sheet in self.targets for t in self.targets[sheet]]


def _tables() -> tuple[Table, ...]:
    return tables_for(FORMAT_VERSION)


_TABLES = {t.sheet: t for t in _tables()}


def write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path
