"""Checks on an incoming file before any XML parser sees it.

A workbook is untrusted input: it may not be a zip at all, be cut short, be
far larger than any real report, inflate to gigabytes (a zip bomb), carry a
DOCTYPE with entity definitions (billion laughs; defusedxml refuses those too,
this check names the file part), macros, or be an encrypted (OLE) file.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from desktop.workbooks.machine import WorkbookError

MAX_FILE_BYTES = 20 * 1024 * 1024  # a whole branch report is well under 1 MB
MAX_MEMBERS = 300
MAX_TOTAL_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200  # sheet XML compresses ~10-40x; a bomb compresses ~1000x
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_archive(path: Path) -> None:
    """Raise WorkbookError unless ``path`` looks like a sane xlsx archive."""
    name = path.name
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise WorkbookError(
            f"「{name}」を開けません（{exc.strerror or exc}）。",
            f"Cannot open '{name}' ({exc.strerror or exc}).",
        ) from exc
    if size > MAX_FILE_BYTES:
        raise WorkbookError(
            f"「{name}」は大きすぎます（{size / 1e6:.1f} MB、上限 {MAX_FILE_BYTES // 2**20} MB）。",
            f"'{name}' is too large ({size / 1e6:.1f} MB, limit {MAX_FILE_BYTES // 2**20} MB).",
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
        with zipfile.ZipFile(path) as archive:
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
                if info.filename.lower().endswith(("vbaproject.bin", ".bin")) and "vba" in (
                    info.filename.lower()
                ):
                    raise WorkbookError(
                        f"「{name}」にはマクロが含まれています。マクロ付きのファイルは読み込みません。",
                        f"'{name}' contains macros; files with macros are not read.",
                    )
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if ratio > MAX_RATIO and info.file_size > 1024 * 1024:
                    raise _bomb(name, info.filename)
            if total > MAX_TOTAL_UNCOMPRESSED:
                raise _bomb(name, "")
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    with archive.open(info) as member:
                        start = member.read(4096)
                    if b"<!DOCTYPE" in start or b"<!ENTITY" in start:
                        raise WorkbookError(
                            f"「{name}」の {info.filename} に XML の DOCTYPE/ENTITY 定義があります"
                            "（不正なファイルの可能性）。",
                            f"{info.filename} in '{name}' declares an XML DOCTYPE/ENTITY "
                            "(a possibly malicious file).",
                        )
    except WorkbookError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise WorkbookError(
            f"「{name}」は壊れているか、途中までしかコピーされていません。",
            f"'{name}' is damaged or was copied only in part.",
        ) from exc


def _not_xlsx(name: str) -> WorkbookError:
    return WorkbookError(
        f"「{name}」は Excel ブック（.xlsx）ではありません。",
        f"'{name}' is not an Excel workbook (.xlsx).",
    )


def _bomb(name: str, part: str) -> WorkbookError:
    where = f"（{part}）" if part else ""
    return WorkbookError(
        f"「{name}」{where}は展開すると大きくなりすぎます（不正なファイルの可能性）。",
        f"'{name}' {part} expands far beyond its size (a possibly malicious file).",
    )
