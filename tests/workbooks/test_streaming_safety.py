"""Every safety check still refuses its bad file on the streaming read path.

HQ's consolidation, ``verify``, the manifest peek and the benchmark pack
reader all take the parts ``safety.load_checked_parts`` decompressed and
checked, and parse them with expat (DOCTYPE and entity declarations refused
in its handlers). Each bad file here is refused by every one of them, with a
WorkbookError (a refused file on HQ's board); the parser refuses a DTD or an
entity on its own too, and every member is decompressed exactly once.
"""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop.services.consolidation import FileStatus, read_file
from desktop.services.verify import verify_file
from desktop.workbooks import safety
from desktop.workbooks.benchmark_pack import read_benchmark_pack
from desktop.workbooks.machine import WorkbookData, WorkbookError
from desktop.workbooks.peek import peek_manifest
from desktop.workbooks.reader import read_workbook
from desktop.workbooks.writer import write_workbook
from desktop.workbooks.xlsx_cells import Book, XlsxError, read_sheet
from tests.workbooks.archive_edits import (
    ENTITIES,
    crafted,
    member,
    members_of,
    rezip,
    sheet_part,
)
from tests.workbooks.helpers import tokyo


@pytest.fixture(autouse=True)
def limits(export, monkeypatch: pytest.MonkeyPatch) -> None:
    """A total a sound file stays under and an oversized part goes over (without
    building hundreds of megabytes in a test)."""
    with zipfile.ZipFile(io.BytesIO(export[0])) as archive:
        total = sum(i.file_size for i in archive.infolist())
    monkeypatch.setattr(safety, "MAX_TOTAL_UNCOMPRESSED", total + 100_000)


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, WorkbookData]:
    path = tmp_path_factory.mktemp("export") / "tokyo.xlsx"
    data = write_workbook(tokyo(), path)
    return path.read_bytes(), data


def _dtd(content: bytes) -> bytes:
    part = sheet_part(content, "_manifest")
    return rezip(content, {part: ENTITIES + member(content, part)})


def _entity_only(content: bytes) -> bytes:
    """An entity declaration without the word DOCTYPE before it in the part."""
    part = sheet_part(content, "_manifest")
    return rezip(content, {part: b'<!ENTITY a "x">' + member(content, part)})


_PADDING = 300_000  # the limit is lowered to the file's own size + 100 KB (``limits``)


def _oversize_part(content: bytes) -> bytes:
    """A sheet that takes the parts together beyond MAX_TOTAL_UNCOMPRESSED."""
    part = sheet_part(content, "_nodes")
    xml = member(content, part)
    return rezip(content, {part: b"<!--" + b"x" * _PADDING + b"-->" + xml})


def _bomb(content: bytes) -> bytes:
    """A sheet of 50 MB of zeros (ratio ~1000 : 1)."""
    part = sheet_part(content, "_kpis")
    return rezip(content, {part: bytes(50 * 1024 * 1024)})


def _duplicate(content: bytes) -> bytes:
    members = members_of(content)
    part = sheet_part(content, "_measurements")
    at = next(i for i, (name, _) in enumerate(members) if name == part)
    members.insert(at, (part, members[at][1].replace(b"<t>", b"<t>9", 1)))
    return crafted(content, members)


BAD: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "dtd": (_dtd, "DOCTYPE/ENTITY"),
    "entity": (_entity_only, "DOCTYPE/ENTITY"),
    "oversize part": (_oversize_part, "大きくなりすぎます"),
    "zip bomb": (_bomb, "大きくなりすぎます"),
    "duplicate member": (_duplicate, "同じ名前の部品"),
}


def _peek(path: Path) -> object:
    return peek_manifest(path)


READERS: dict[str, Callable[[Path], object]] = {
    "read_workbook": read_workbook,
    "peek_manifest": _peek,
    "read_benchmark_pack": read_benchmark_pack,
}


@pytest.mark.parametrize("bad", list(BAD))
@pytest.mark.parametrize("reader", list(READERS))
def test_each_reader_refuses_each_bad_file(export, tmp_path: Path, bad: str, reader: str):
    make, words = BAD[bad]
    path = tmp_path / "bad.xlsx"
    path.write_bytes(make(export[0]))
    with pytest.raises(WorkbookError) as err:
        READERS[reader](path)
    assert words in err.value.message("ja")


@pytest.mark.parametrize("bad", list(BAD))
def test_verify_and_hqs_board_refuse_each_bad_file(export, tmp_path: Path, bad: str):
    make, words = BAD[bad]
    path = tmp_path / "bad.xlsx"
    path.write_bytes(make(export[0]))
    verdict = verify_file(path)
    assert not verdict.ok and words in verdict.problems("ja")[0]
    refused = read_file(path)
    assert not isinstance(refused, WorkbookData)
    assert refused.status is FileStatus.INVALID and words in refused.reason_ja


# --- the parser on its own (what the byte scan would miss) -----------------------------------


def _sheet(export) -> bytes:
    content = export[0]
    return member(content, sheet_part(content, "_manifest"))


@pytest.mark.parametrize(
    "prefix",
    [
        ENTITIES,
        b'<?xml version="1.0"?><!DOCTYPE worksheet SYSTEM "http://example.com/x.dtd">',
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    ],
)
def test_the_parser_refuses_a_dtd_without_the_byte_scan(export, prefix: bytes):
    with pytest.raises(XlsxError, match="DOCTYPE or entity"):
        read_sheet(prefix + _sheet(export), list)


def test_the_parser_refuses_an_entity_it_does_not_know(export):
    xml = _sheet(export).replace(b"<t>key</t>", b"<t>&secret;</t>", 1)
    assert b"&secret;" in xml
    with pytest.raises(XlsxError, match="undefined entity"):
        read_sheet(xml, list)


def test_every_member_is_decompressed_once_and_only_the_read_parts_kept(
    export, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    path = tmp_path / "tokyo.xlsx"
    path.write_bytes(export[0])
    opened: Counter[str] = Counter()
    real_open = zipfile.ZipFile.open

    def spy(self, name, *args, **kwargs):
        opened[getattr(name, "filename", name)] += 1
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    assert read_workbook(path) == export[1]
    names = zipfile.ZipFile(io.BytesIO(export[0])).namelist()
    assert opened == Counter(names)  # each member once: the check's decompression
    parts = safety.load_checked_parts(path)
    assert sorted(parts) == sorted(n for n in names if safety.READ_PARTS.fullmatch(n))
    assert {"xl/workbook.xml", "xl/_rels/workbook.xml.rels"} <= set(parts)
    assert Book(parts).entry("_manifest") is not None
