"""Checks on an incoming file before any XML parser sees it.

A workbook is untrusted input: it may not be a zip at all, be cut short, be
far larger than any real report, inflate to gigabytes (a zip bomb), carry a
DOCTYPE with entity definitions (billion laughs; the XML reader refuses those too,
this check names the file part), macros, or be an encrypted (OLE) file.

Before anything is decompressed, the member names are checked: a zip may
hold two members of the same name (``zipfile`` reads the last, Excel and other
readers the first, so a tampered copy of a sheet placed before the original
would be what people see while the check reads the original), names that
climb out of a folder (``..``, ``/abs``, ``C:``, backslashes), and parts no
spreadsheet program writes for a PlanDesk workbook. Only the parts that
Excel, LibreOffice and openpyxl write (``BRANCH_PARTS``) are accepted: a re-saved
file passes, a file with pictures, shapes, comments or macros added does not.

Every member is then decompressed once (bounded by the limits below), so a
damaged member (bad CRC, broken deflate data, a local header whose name
differs from the directory's) is reported as a damaged file before any XML
parser sees it, and a DOCTYPE is found wherever it stands. The parts a reader
parses (``READ_PARTS``) are kept as they were decompressed and checked
(``load_checked_parts``): the reader parses exactly those bytes, and nothing
is decompressed twice.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path

from desktop.workbooks.machine import WorkbookError

MAX_FILE_BYTES = 20 * 1024 * 1024  # a whole branch report is well under 1 MB
MAX_MEMBERS = 300
MAX_TOTAL_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200  # sheet XML compresses ~10-40x; a bomb compresses ~1000x
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CHUNK = 1024 * 1024
_XML_TRAPS = (b"<!DOCTYPE", b"<!ENTITY")
_OVERLAP = max(len(t) for t in _XML_TRAPS) - 1
_UTF16_STARTS = (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")
_REQUIRED = ("[Content_Types].xml", "xl/workbook.xml")
# The parts of a PlanDesk workbook as openpyxl writes it, and as Excel and
# LibreOffice write it again when it is opened and saved (LibreOffice adds
# docProps/custom.xml and xl/sharedStrings.xml; Excel may add printer settings,
# a calculation chain, a preview picture, and sensitivity labels or SharePoint
# properties under docMetadata/ and customXml/).
BRANCH_PARTS = re.compile(
    r"\[Content_Types\]\.xml"
    r"|_rels/\.rels"
    r"|docProps/(?:app|core|custom)\.xml"
    r"|docProps/thumbnail\.(?:jpeg|jpg|png|emf|wmf)"
    r"|docMetadata/LabelInfo\.xml"
    r"|customXml/(?:item[0-9]{1,4}|itemProps[0-9]{1,4})\.xml"
    r"|customXml/_rels/item[0-9]{1,4}\.xml\.rels"
    r"|xl/(?:workbook|styles|sharedStrings|calcChain)\.xml"
    r"|xl/_rels/workbook\.xml\.rels"
    r"|xl/theme/theme[0-9]{1,4}\.xml"
    r"|xl/worksheets/sheet[0-9]{1,4}\.xml"
    r"|xl/worksheets/_rels/sheet[0-9]{1,4}\.xml\.rels"
    r"|xl/printerSettings/printerSettings[0-9]{1,4}\.bin",
    re.ASCII,
)
# What the readers parse: the workbook, its relationships, shared strings,
# styles and sheets (never docProps, themes or customXml).
READ_PARTS = re.compile(
    r"xl/(?:workbook|styles|sharedStrings)\.xml|xl/_rels/workbook\.xml\.rels"
    r"|xl/worksheets/sheet[0-9]{1,4}\.xml",
    re.ASCII,
)
_UNUSUAL = re.compile(r"[\\:\x00-\x1f\x7f]|^/|//|(?:^|/)\.{1,2}(?:/|$)|/$")


def load_checked(path: Path) -> bytes:
    """The bytes of ``path`` once they passed every check. The caller parses
    exactly these bytes, so a file replaced or still being copied on a shared
    drive between the check and the parse cannot slip through."""
    content, size = _read_file(path)
    check_content(path.name, content, size)
    return content


def load_checked_parts(path: Path) -> Mapping[str, bytes]:
    """The decompressed parts a reader parses (``READ_PARTS``, by member name) of
    ``path``, once the whole file passed every check."""
    content, size = _read_file(path)
    return check_content(path.name, content, size)


def _read_file(path: Path) -> tuple[bytes, int]:
    name = path.name
    try:
        with open(path, "rb") as handle:
            content = handle.read(MAX_FILE_BYTES + 1)
            return content, max(len(content), _size(handle))
    except OSError as exc:
        raise WorkbookError(
            f"「{name}」を開けません（{exc.strerror or exc}）。",
            f"Cannot open '{name}' ({exc.strerror or exc}).",
        ) from exc


def _size(handle: io.BufferedReader) -> int:
    return os.fstat(handle.fileno()).st_size


def check_content(
    name: str, content: bytes, size: int | None = None, *, parts: re.Pattern[str] = BRANCH_PARTS
) -> dict[str, bytes]:
    """Raise WorkbookError unless ``content`` (the file ``name``) is a sane xlsx
    archive holding only ``parts`` (HQ's national workbook also has charts); the
    parts a reader parses (``READ_PARTS``), decompressed."""
    size = len(content) if size is None else size
    head = content[:8]
    if size > MAX_FILE_BYTES:
        raise WorkbookError(
            f"「{name}」は大きすぎます（{_mb(size)}、上限 {_mb(MAX_FILE_BYTES)}）。",
            f"'{name}' is too large ({_mb(size)}, limit {_mb(MAX_FILE_BYTES)}).",
        )
    if head == _OLE_MAGIC:
        raise WorkbookError(
            f"「{name}」はパスワード付きか古い形式（.xls）の Excel ファイルです。"
            "パスワードを外して .xlsx で保存してください。",
            f"'{name}' is password-protected or an old-format (.xls) Excel file. "
            "Remove the password and save it as .xlsx.",
        )
    if not head.startswith(b"PK"):
        raise _not_xlsx(name)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return _check_members(archive, name, parts)
    except WorkbookError:
        raise
    except Exception as exc:  # BadZipFile, zlib.error, EOFError, NotImplementedError, …
        raise WorkbookError(
            f"「{name}」は壊れているか、途中までしかコピーされていません。",
            f"'{name}' is damaged or was copied only in part.",
        ) from exc


def _check_members(
    archive: zipfile.ZipFile, name: str, allowed: re.Pattern[str]
) -> dict[str, bytes]:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise WorkbookError(
            f"「{name}」の中身が多すぎます（{len(infos)} 個）。",
            f"'{name}' has too many parts ({len(infos)}).",
        )
    _check_names(infos, name, allowed)
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise WorkbookError(
                f"「{name}」の一部（{info.filename}）が暗号化されています。",
                f"Part {info.filename} of '{name}' is encrypted.",
            )
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > MAX_RATIO and info.file_size > 1024 * 1024:
            raise _bomb(name, info.filename)
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise _bomb(name, "")
    parts: dict[str, bytes] = {}
    for info in infos:
        content = _scan_member(archive, info, name, keep=info.filename == "[Content_Types].xml")
        if content is not None:
            parts[info.filename] = content
    if b"macroenabled" in parts.pop("[Content_Types].xml", b"").lower():
        raise _macros(name)
    return parts


class SuspiciousArchive(WorkbookError):
    """Member names no program writes: duplicates, paths that climb out of a folder."""


class UnexpectedParts(WorkbookError):
    """An xlsx with parts a PlanDesk workbook never has (pictures, comments, charts…)."""


def _check_names(infos: list[zipfile.ZipInfo], name: str, allowed: re.Pattern[str]) -> None:
    """The member names, from the zip's directory alone: nothing is decompressed
    before they pass."""
    seen: set[str] = set()
    for info in infos:
        # The name as stored: zipfile cuts it at a NUL and, on Windows only, turns
        # backslashes into "/".
        raw = info.orig_filename
        if _UNUSUAL.search(raw):
            raise SuspiciousArchive(
                f"「{name}」の中に普通でない名前の部品（{raw!r}）があります"
                "（Excel の書くファイルではありません。改ざんの可能性）。",
                f"'{name}' holds a part with an unusual name ({raw!r}): not a file Excel "
                "writes (possibly tampered with).",
                raw,
            )
        # Part names in an xlsx are case-insensitive: XL/a.xml and xl/A.xml are one part.
        folded = raw.casefold()
        if folded in seen:
            raise SuspiciousArchive(
                f"「{name}」には同じ名前の部品（{raw}）が2つ以上あります。読むプログラムによって"
                "見える内容が違うため、読み込みません（改ざんの可能性）。",
                f"'{name}' holds two or more parts named {raw}: different programs would "
                "show different contents, so it is not read (possibly tampered with).",
                raw,
            )
        seen.add(folded)
    names = {i.filename for i in infos}
    if any(required not in names for required in _REQUIRED):
        raise _not_xlsx(name)
    for info in infos:
        lowered = info.filename.lower()
        if "vbaproject" in lowered or lowered.endswith("vbadata.xml"):
            raise _macros(name)
    foreign = sorted(n for n in names if not allowed.fullmatch(n))
    if foreign:
        listed = ", ".join(foreign[:5]) + (f" …(+{len(foreign) - 5})" if len(foreign) > 5 else "")
        raise UnexpectedParts(
            f"「{name}」には PlanDesk のブックにない部品があります（{listed}）。"
            "図形・画像・コメントなどを追加したファイルは読み込みません。"
            "PlanDesk で書き出し直してください。",
            f"'{name}' holds parts a PlanDesk workbook does not have ({listed}). Files with "
            "shapes, pictures, comments or the like added are not read; export it again "
            "from PlanDesk.",
            foreign[0],
        )


def _scan_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, *, keep: bool = False
) -> bytes | None:
    """Decompress one member (zipfile stops at its declared size and checks the
    CRC at the end) and refuse XML that is not UTF-8 or declares a DOCTYPE. The
    member's bytes when a reader parses it (or ``keep``), else None."""
    keep = keep or bool(READ_PARTS.fullmatch(info.filename))
    chunks: list[bytes] = []
    with archive.open(info) as member:
        first = True
        tail = b""
        while chunk := member.read(_CHUNK):
            if keep:
                chunks.append(chunk)
            if first:
                first = False
                if chunk.lstrip(b" \t\r\n").startswith(_UTF16_STARTS):
                    raise WorkbookError(
                        f"「{name}」の {info.filename} が UTF-8 ではありません"
                        "（Excel の書くファイルではありません）。",
                        f"{info.filename} in '{name}' is not UTF-8 (not a file Excel writes).",
                    )
            window = tail + chunk
            if any(trap in window for trap in _XML_TRAPS):
                raise WorkbookError(
                    f"「{name}」の {info.filename} に XML の DOCTYPE/ENTITY 定義があります"
                    "（不正なファイルの可能性）。",
                    f"{info.filename} in '{name}' declares an XML DOCTYPE/ENTITY "
                    "(a possibly malicious file).",
                )
            tail = window[-_OVERLAP:]
    return b"".join(chunks) if keep else None


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f} MB" if size >= 2**20 else f"{size:,} bytes"


def _not_xlsx(name: str) -> WorkbookError:
    return WorkbookError(
        f"「{name}」は Excel ブック（.xlsx）ではありません。",
        f"'{name}' is not an Excel workbook (.xlsx).",
    )


def _macros(name: str) -> WorkbookError:
    return WorkbookError(
        f"「{name}」にはマクロが含まれています。マクロ付きのファイルは読み込みません。",
        f"'{name}' contains macros; files with macros are not read.",
    )


def _bomb(name: str, part: str) -> WorkbookError:
    where_ja = f"（{part}）" if part else ""
    where_en = f" ({part})" if part else ""
    return WorkbookError(
        f"「{name}」{where_ja}は展開すると大きくなりすぎます（不正なファイルの可能性）。",
        f"'{name}'{where_en} expands far beyond its size (a possibly malicious file).",
    )
