"""Taking a real export apart: members replaced, removed, added or doubled, and a
DOCTYPE with entities to put in front of a part (shared by the reading-safety tests)."""

from __future__ import annotations

import io
import warnings
import zipfile
from xml.etree import ElementTree


def rezip(content: bytes, changes: dict[str, bytes | None]) -> bytes:
    """The archive with members replaced (bytes), removed (None) or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename in changes:
                new = changes[info.filename]
                if new is not None:
                    dst.writestr(info.filename, new, zipfile.ZIP_DEFLATED)
            else:
                dst.writestr(info, src.read(info), info.compress_type)
        names = set(src.namelist())
        for name, new in changes.items():
            if name not in names and new is not None:
                dst.writestr(name, new, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def member(content: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read(name)


def sheet_part(content: bytes, sheet: str) -> str:
    """The zip member holding ``sheet`` (via workbook.xml and its relationships)."""
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    book = ElementTree.fromstring(member(content, "xl/workbook.xml"))
    rid = next(s.get(rel) for s in book.iter(f"{main}sheet") if s.get("name") == sheet)
    rels = ElementTree.fromstring(member(content, "xl/_rels/workbook.xml.rels"))
    target = next(r.get("Target") for r in rels if r.get("Id") == rid)
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


ENTITIES = (
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
)


def crafted(content: bytes, members: list[tuple[str, bytes]]) -> bytes:
    """A zip with exactly ``members`` in this order (duplicates allowed)."""
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about a duplicate name
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for name, data in members:
                dst.writestr(zipfile.ZipInfo(name), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def members_of(content: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return [(i.filename, archive.read(i)) for i in archive.infolist()]
