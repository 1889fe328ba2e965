"""Checks on an incoming file before any XML parser sees it.

A workbook is untrusted input: it may not be a zip at all, be cut short, be
far larger than any real report, inflate to gigabytes (a zip bomb), carry a
DOCTYPE with entity definitions (billion laughs; defusedxml refuses those too,
this check names the file part), macros, or be an encrypted (OLE) file.

Every member is decompressed once here (bounded by the limits below), so a
damaged member (bad CRC, broken deflate data) is reported as a damaged file
before openpyxl sees it, and a DOCTYPE is found wherever it stands.
"""

from __future__ import annotations

import io
import os
import zipfile
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


def check_archive(path: Path) -> None:
    """Raise WorkbookError unless ``path`` looks like a sane xlsx archive."""
    load_checked(path)


def load_checked(path: Path) -> bytes:
    """The bytes of ``path`` once they passed every check. The caller parses
    exactly these bytes, so a file replaced or still being copied on a shared
    drive between the check and the parse cannot slip through."""
    name = path.name
    try:
        with open(path, "rb") as handle:
            content = handle.read(MAX_FILE_BYTES + 1)
            size = max(len(content), _size(handle))
    except OSError as exc:
        raise WorkbookError(
            f"「{name}」を開けません（{exc.strerror or exc}）。",
            f"Cannot open '{name}' ({exc.strerror or exc}).",
        ) from exc
    check_content(name, content, size)
    return content


def _size(handle: io.BufferedReader) -> int:
    return os.fstat(handle.fileno()).st_size


def check_content(name: str, content: bytes, size: int | None = None) -> None:
    """Raise WorkbookError unless ``content`` (the file ``name``) is a sane xlsx archive."""
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
            _check_members(archive, name)
    except WorkbookError:
        raise
    except Exception as exc:  # BadZipFile, zlib.error, EOFError, NotImplementedError, …
        raise WorkbookError(
            f"「{name}」は壊れているか、途中までしかコピーされていません。",
            f"'{name}' is damaged or was copied only in part.",
        ) from exc


def _check_members(archive: zipfile.ZipFile, name: str) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise WorkbookError(
            f"「{name}」の中身が多すぎます（{len(infos)} 個）。",
            f"'{name}' has too many parts ({len(infos)}).",
        )
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise _not_xlsx(name)
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise WorkbookError(
                f"「{name}」の一部（{info.filename}）が暗号化されています。",
                f"Part {info.filename} of '{name}' is encrypted.",
            )
        lowered = info.filename.lower()
        if "vbaproject" in lowered or lowered.endswith("vbadata.xml"):
            raise _macros(name)
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > MAX_RATIO and info.file_size > 1024 * 1024:
            raise _bomb(name, info.filename)
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise _bomb(name, "")
    for info in infos:
        _scan_member(archive, info, name)
    if b"macroenabled" in archive.read("[Content_Types].xml").lower():
        raise _macros(name)


def _scan_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> None:
    """Decompress one member (zipfile stops at its declared size and checks the
    CRC at the end) and refuse XML that is not UTF-8 or declares a DOCTYPE."""
    with archive.open(info) as member:
        first = True
        tail = b""
        while chunk := member.read(_CHUNK):
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
