"""Mutated inputs for the workbook-reader fuzzer (test_reader_fuzz.py): XML parts,
cells, archives — each made from a seed by a cheap deterministic loop, so that a
million cases fit on two shared cores. Every function here takes a
``random.Random`` and returns bytes; nothing is random beyond it.
"""

from __future__ import annotations

import functools
import io
import random
import struct
import warnings
import zipfile
from collections.abc import Sequence

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# --- a small, sound xlsx: what the byte-level cases start from ----------------------------

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.spreadsheetml.sheet.main+xml"/></Types>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    f'package/2006/relationships"><Relationship Id="rId1" Type="{_REL}/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
).encode()
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" xmlns:r="{REL_NS}"><sheets>'
    '<sheet name="表紙" sheetId="1" r:id="rId1"/><sheet name="_manifest" sheetId="2" '
    'state="veryHidden" r:id="rId2"/></sheets><definedNames><definedName name="_xlnm.Print_Area" '
    'localSheetId="0">表紙!$A$1:$B$3</definedName></definedNames></workbook>'
).encode()
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    f'package/2006/relationships"><Relationship Id="rId1" Type="{_REL}/worksheet" '
    f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{_REL}/worksheet" '
    f'Target="/xl/worksheets/sheet2.xml"/><Relationship Id="rId3" Type="{_REL}/sharedStrings" '
    f'Target="sharedStrings.xml"/><Relationship Id="rId4" Type="{_REL}/styles" '
    'Target="styles.xml"/></Relationships>'
).encode()
STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{NS}"><numFmts count="1">'
    '<numFmt numFmtId="164" formatCode="0.0;-0.0;0;@"/></numFmts><cellXfs count="2">'
    '<xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>'
).encode()
SHARED = (
    f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NS}" count="3" uniqueCount="3">'
    "<si><t>支部</t></si><si><r><t>東京</t></r><r><rPr><b/></rPr><t>支部</t></r></si>"
    '<si><t xml:space="preserve"> 令和６年度_x000D_</t><rPh sb="0" eb="2"><t>レイワ</t></rPh></si></sst>'
).encode()
SHEET = (
    f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}"><sheetFormatPr '
    'defaultRowHeight="15"/><cols><col min="1" max="1" width="20" customWidth="1"/><col min="3" '
    'max="3" width="0" hidden="1"/></cols><sheetData><row r="1" ht="20" customHeight="1">'
    '<c r="A1" s="1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>東京支部</t></is></c></row>'
    '<row r="2"><c r="A2" t="n"><v>12.50</v></c><c r="B2" t="b"><v>1</v></c><c r="C2" t="str">'
    '<f>A2*2</f><v>25</v></c></row><row r="3" hidden="1"><c r="A3" t="s"><v>2</v></c><c r="B3" '
    't="e"><v>#N/A</v></c><c t="d"><v>2024-10-02</v></c></row></sheetData><headerFooter '
    'differentFirst="1"><oddHeader>&amp;L&amp;"ＭＳ 明朝"&amp;12支部&amp;R&amp;P / &amp;N'
    "</oddHeader></headerFooter></worksheet>"
).encode()
MANIFEST = (
    f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}"><sheetData><row r="1">'
    '<c r="A1" t="inlineStr"><is><t>key</t></is></c><c r="B1" t="inlineStr"><is><t>value</t></is>'
    '</c></row><row r="2"><c r="A2" t="inlineStr"><is><t>format</t></is></c><c r="B2" '
    't="inlineStr"><is><t>plandesk.workbook</t></is></c></row></sheetData></worksheet>'
).encode()

MINI_PARTS: dict[str, bytes] = {
    "[Content_Types].xml": CONTENT_TYPES,
    "_rels/.rels": ROOT_RELS,
    "xl/workbook.xml": WORKBOOK,
    "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
    "xl/styles.xml": STYLES,
    "xl/sharedStrings.xml": SHARED,
    "xl/worksheets/sheet1.xml": SHEET,
    "xl/worksheets/sheet2.xml": MANIFEST,
}


def zip_of(
    members: Sequence[tuple[str, bytes]], *, method: int = zipfile.ZIP_DEFLATED, level: int = 1
) -> bytes:
    """An archive of ``members`` in this order (duplicates allowed)."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name": that is the point
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, content in members:
                info = zipfile.ZipInfo(name, (2024, 10, 2, 16, 30, 0))
                archive.writestr(info, content, compress_type=method, compresslevel=level)
    return buffer.getvalue()


MINI = zip_of(list(MINI_PARTS.items()))

# --- XML ----------------------------------------------------------------------------------

_LAUGHS = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)
XML_TOKENS: tuple[bytes, ...] = (
    _LAUGHS,
    b'<!DOCTYPE x SYSTEM "http://example.invalid/x.dtd">',
    b'<!DOCTYPE x [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>',
    b'<!ENTITY e "x">',
    b"&lol3;",
    b"&e;",
    b"&#0;",
    b"&#x10FFFF;",
    b"&#xD800;",
    b"&amp;",
    b"<![CDATA[<c r='A1'>]]>",
    b'<!-- <c r="A9"/> -->',
    b"<?pi x?>",
    b'<?xml version="1.0" encoding="UTF-16"?>',
    b'<?xml version="1.0" encoding="latin-1"?>',
    b'<?xml version="1.0" encoding="x-no-such-codec"?>',
    b'<?xml version="1.0" encoding="Shift_JIS"?>',
    b'<?xml version="1.1"?>',
    b"\xef\xbb\xbf",
    b"\xff\xfe<\x00",
    b"\x00",
    b"\xc3\x28",
    b"\xe6\x9d",
    b'<c r="A1"><v>1</v></c>',
    b'<c r="A1" t="s"><v>99</v></c>',
    b'<c r="A1" t="s"><v>-1</v></c>',
    b'<c r="B2" t="inlineStr"><is><r><t>x</t></r><rPh><t>y</t></rPh></is></c>',
    b'<c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c>',
    b'<c r="XFE1"><v>1</v></c>',
    b'<c r="A1048577"><v>1</v></c>',
    b'<c r="A0"><v>1</v></c>',
    b'<c r="a1"><v>1</v></c>',
    b'<c r="A01"><v>1</v></c>',
    b'<c r="A1"><c r="A2"/></c>',
    b'<c t="inlineStr"><is><t>x</t></is></c>',
    b'<c r="A1" t="z"><v>1</v></c>',
    b'<c r="A1" t="n"><v>1e999</v></c>',
    b'<c r="A1" t="n"><v>nan</v></c>',
    b'<c r="A1" t="n"><v>' + b"9" * 5000 + b"</v></c>",
    b'<c r="A1" t="b"><v>2</v></c>',
    b'<c r="A1" s="-1"><v>1</v></c>',
    b'<c r="A1" s="99999"><v>1</v></c>',
    b'<c r="A1" s="x"><v>1</v></c>',
    b'<c r="A1" t="str"><f>HYPERLINK("http://x","y")</f><v>y</v></c>',
    b'<c r="A1"><f t="shared" ref="A1:A9" si="0">1</f></c>',
    b"<row>",
    b"</row>",
    b'<row r="0">',
    b'<row r="1048577">',
    b'<row r="x" hidden="1">',
    b'<row r="5" ht="-1" customHeight="1">',
    b'<row r="5" ht="abc" customHeight="1">',
    b'<col min="x" max="2"/>',
    b'<col min="1" max="16385" width="-1"/>',
    b"<sheetData>",
    b"</sheetData>",
    b'<sheetFormatPr zeroHeight="1"/>',
    b"<oddHeader>&amp;Lx&amp;</oddHeader>",
    b'<headerFooter differentOddEven="true"/>',
    b"<conditionalFormatting/>",
    b'<x:c xmlns:x="' + NS.encode() + b'" r="D4"><x:v>4</x:v></x:c>',
    b'xmlns:x="urn:other"',
    b'<y:row xmlns:y="urn:other">',
    b"<a:b:c>",
    b'<c r="A1" t="inlineStr"><is><t>' + b"\xe6\x9d\xb1" * 20000 + b"</t></is></c>",
    b' a="' + b"x" * 100_000 + b'"',
    b"<n>" * 3000 + b"</n>" * 3000,
    b"<n>" * 3000,
    b'<sheet name="_manifest" sheetId="9" r:id="rId1"/>',
    b'<sheet name="" sheetId="1" r:id="rId99"/>',
    b'<sheet name="x" state="hidden" r:id="rId2"/>',
    b'<definedName name="_xlnm.Print_Area" localSheetId="x">A</definedName>',
    b'<Relationship Id="rId1" Type="x/worksheet" Target="../../../etc/passwd"/>',
    b'<Relationship Id="rId1" Type="x/worksheet" Target="http://x" TargetMode="External"/>',
    b'<Relationship Id="rId5" Type="x/sharedStrings" Target="/xl/nowhere.xml"/>',
    b'<xf numFmtId="x"/>',
    b'<numFmt numFmtId="" formatCode=";;;"/>',
    b"<cellXfs>",
    b"<si>",
    b"</si>",
    b"<si><t>x</t></si>" * 50,
    b"_x0000_",
    b"_x005F_x0041_",
    b"\r\n",
)
_VALUES = (b"-1", b"0", b"1", b"99999999999999999999", b"1e309", b"nan", b"", b"A0", b"XFD1048576",
           b"\xef\xbc\x91", b"\xd9\xa3", b"true", b" 1", b"1 ", b"&amp;", b"s", b"inlineStr", b"str")  # fmt: skip


def mutate_xml(content: bytes, rng: random.Random, rounds: int | None = None) -> bytes:
    """``content`` changed by one to four mutations: bytes flipped, inserted, deleted,
    repeated or cut; an XML token (DTDs, entities, cells, rows, encodings, huge
    attributes, deep nesting, odd prefixes) put in; an attribute's value replaced."""
    data = bytearray(content)
    for _ in range(rounds or rng.choice((1, 1, 1, 1, 2, 3))):
        op = rng.randrange(9)
        at = rng.randrange(len(data) + 1)
        if op == 0 and data:
            data[min(at, len(data) - 1)] ^= 1 << rng.randrange(8)
        elif op == 1:
            data[at:at] = bytes([rng.randrange(256)])
        elif op == 2:
            del data[at : at + rng.randrange(1, 64)]
        elif op == 3:
            end = min(len(data), at + rng.randrange(1, 256))
            data[at:at] = data[at:end] * rng.randrange(1, 4)
        elif op == 4:
            del data[at:]
        elif op in (5, 6):
            data[at:at] = rng.choice(XML_TOKENS)
        else:  # an attribute value: the text between the next pair of quotes
            start = data.find(b'"', at)
            end = data.find(b'"', start + 1) if start >= 0 else -1
            if end > start >= 0:
                data[start + 1 : end] = rng.choice(_VALUES)
    return bytes(data)


# --- cells ---------------------------------------------------------------------------------

_REFS = ("A1", "B1", "C2", "A2", "Z9", "AA10", "XFD1", "XFE1", "A1048576", "A1048577", "A0",
         "a1", "A01", "1A", "", "A", "ZZZZ1", "Ａ1", "A\u0661")  # fmt: skip
_TYPES = ("s", "inlineStr", "str", "n", "b", "e", "d", "", "S", "x", None)
_SOUND_TYPES = ("s", "inlineStr", "inlineStr", "str", "n", "n", None)
_RAW = ("0", "1", "2", "3", "-1", "4", "1000000", "12.5", "1e5", "-0", "True", "#N/A", "", " ",
        "２", "1_0", "0x10", "Infinity", "2024-10-02", "x" * 200)  # fmt: skip


def _text(rng: random.Random) -> str:
    pool = ("支部", "東京支部　", " a ", "_x000D_", "_x005F_x0041_", "&amp;", "&lt;c&gt;", "①",
            "\u3000", "x" * rng.randrange(1, 300), "=SUM(A1)", "𠀋", "")  # fmt: skip
    return rng.choice(pool)


def cell_xml(rng: random.Random, ref: str | None, prefix: str = "") -> str:
    """One ``<c>`` element of any type, value, style, formula and inline-string shape."""
    p = prefix
    attrs = f' r="{ref}"' if ref is not None else ""
    kind = rng.choice(_TYPES if rng.randrange(4) == 0 else _SOUND_TYPES)
    if kind is not None:
        attrs += f' t="{kind}"'
    if rng.randrange(4) == 0:
        attrs += f' s="{rng.choice(("0", "1", "2", "7", "-1", "x", "", "99999999999"))}"'
    inner = ""
    if rng.randrange(5) == 0:
        inner += f"<{p}f>{rng.choice(('A1*2', 'SUM(A:A)', ''))}</{p}f>"
    shape = rng.randrange(6)
    if shape == 0:
        inner += f"<{p}v>{rng.choice(_RAW)}</{p}v>"
    elif shape == 1:
        inner += f"<{p}is><{p}t>{_text(rng)}</{p}t></{p}is>"
    elif shape == 2:
        runs = "".join(f"<{p}r><{p}t>{_text(rng)}</{p}t></{p}r>" for _ in range(rng.randrange(4)))
        phonetic = f"<{p}rPh><{p}t>ヨミ</{p}t></{p}rPh>" if rng.randrange(2) else ""
        inner += f"<{p}is>{runs}{phonetic}</{p}is>"
    elif shape == 3:
        inner += f"<{p}v>{rng.choice(_RAW)}</{p}v><{p}v>{rng.choice(_RAW)}</{p}v>"
    elif shape == 4:
        inner += f"<{p}is><{p}t>{_text(rng)}</{p}t></{p}is><{p}v>{rng.choice(_RAW)}</{p}v>"
    return f"<{p}c{attrs}>{inner}</{p}c>" if inner or rng.randrange(2) else f"<{p}c{attrs}/>"


def sheet_of_cells(rng: random.Random) -> bytes:
    """A worksheet of a few rows of generated cells, references in or out of order,
    in range or not, with or without a namespace prefix."""
    prefix = rng.choice(("", "", "x:"))
    decl = f' xmlns:x="{NS}"' if prefix else f' xmlns="{NS}"'
    rows = []
    for number in range(1, rng.randrange(1, 5) + 1):
        odd = rng.choice(("0", "x", "3", "1048577"))
        row_attr = rng.choice((f' r="{number}"',) * 6 + ("", f' r="{odd}"'))
        cells = []
        for column in range(rng.randrange(0, 5)):
            proper = f"{chr(65 + column)}{number}"
            ref = proper if rng.randrange(4) else rng.choice((*_REFS, None))
            cells.append(cell_xml(rng, ref, prefix))
        hidden = ' hidden="1"' if rng.randrange(6) == 0 else ""
        rows.append(f"<{prefix}row{row_attr}{hidden}>{''.join(cells)}</{prefix}row>")
    body = "".join(rows)
    text = f'<?xml version="1.0" encoding="UTF-8"?><{prefix}worksheet{decl}><{prefix}sheetData>{body}</{prefix}sheetData></{prefix}worksheet>'
    return text.encode("utf-8", "surrogatepass")


# --- archives -------------------------------------------------------------------------------

_ODD_NAMES = ("../xl/workbook.xml", "/xl/workbook.xml", "xl\\workbook.xml", "C:xl/workbook.xml",
              "xl//workbook.xml", "xl/./workbook.xml", "XL/WORKBOOK.XML", "xl/Workbook.xml",
              "xl/worksheets/", "xl/media/image1.png", "xl/vbaProject.bin", "xl/comments1.xml",
              "xl/worksheets/sheet1.xml\x00.png", "xl/worksheets/sheet99999.xml", "docProps/app.xml",
              "customXml/item1.xml", "xl/embeddings/oleObject1.bin", "ｘｌ/workbook.xml")  # fmt: skip


def _headers(data: bytes | bytearray) -> list[int]:
    """Where local headers and central-directory entries start."""
    found = []
    for signature in (b"PK\x03\x04", b"PK\x01\x02"):
        at = data.find(signature)
        while at >= 0:
            found.append(at)
            at = data.find(signature, at + 1)
    return found


def _patch_sizes(content: bytes, rng: random.Random) -> bytes:
    """The declared sizes of a member changed in its local header and/or the central
    directory (a lying archive)."""
    data = bytearray(content)
    headers = _headers(data)
    if not headers:
        return content
    at = rng.choice(headers)
    offset = {b"PK\x03\x04": (18, 22), b"PK\x01\x02": (20, 24)}[bytes(data[at : at + 4])]
    value = rng.choice((0, 1, 10, 2**20, 2**31 - 1, 2**32 - 1, rng.randrange(2**32)))
    field = offset[rng.randrange(2)]
    if at + field + 4 <= len(data):
        data[at + field : at + field + 4] = struct.pack("<I", value)
    return bytes(data)


def _bomb(size: int) -> bytes:
    return b"<" + b"a" * size + b">"


@functools.cache
def _bombs() -> tuple[bytes, ...]:
    """Inflating archives (built once, when first asked for): a sheet and a binary part
    far above the ratio, and members of 1 MB each (too small for the ratio check),
    210 MB in all — beyond what an archive may hold (MAX_TOTAL_UNCOMPRESSED)."""
    parts = list(MINI_PARTS.items())
    return (
        zip_of([*parts, ("xl/worksheets/sheet3.xml", _bomb(24 * 2**20))], level=9),
        zip_of([*parts, ("xl/printerSettings/printerSettings1.bin", b"\0" * 40 * 2**20)], level=9),
        zip_of(
            parts
            + [(f"xl/worksheets/sheet{i}.xml", b"<a>" + b" " * (2**20 - 3)) for i in range(3, 213)],
            level=9,
        ),
    )


def structured_archive(rng: random.Random) -> bytes:
    """An archive made wrong on purpose: duplicate, case-folded or odd member names,
    lying sizes, high compression ratios, a zip inside, missing parts, an encrypted
    flag, an OLE header, UTF-16 or DOCTYPE parts, macros; then perhaps byte-mutated."""
    members = list(MINI_PARTS.items())
    op = rng.randrange(13)
    if op == 0:  # a member twice (zipfile reads the last one, Excel the first)
        name, content = rng.choice(members)
        members.insert(rng.randrange(len(members) + 1), (name, mutate_xml(content, rng)))
    elif op == 1:  # the same name in other case
        name, content = rng.choice(members)
        members.append((rng.choice((name.upper(), name.title(), name.swapcase())), content))
    elif op == 2:
        members.append((rng.choice(_ODD_NAMES), rng.choice(members)[1]))
    elif op == 3:  # rename a member
        i = rng.randrange(len(members))
        members[i] = (rng.choice(_ODD_NAMES), members[i][1])
    elif op == 4:  # a part missing
        del members[rng.randrange(len(members))]
    elif op == 5:  # a zip inside a zip, under a part's name
        i = rng.randrange(len(members))
        members[i] = (members[i][0], MINI)
    elif op == 6:
        return _patch_sizes(rng.choice((zip_of(members), _bombs()[0])), rng)
    elif op == 7:
        return rng.choice(_bombs())
    elif op == 8:  # an encrypted flag on one member
        data = bytearray(zip_of(members))
        at = rng.choice(_headers(data))
        flag = at + (6 if data[at + 2] == 3 else 8)
        data[flag] |= 1
        return bytes(data)
    elif op == 9:
        return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(rng.randrange(256) for _ in range(64))
    elif op == 10:  # a part in UTF-16, or with a DOCTYPE
        i = rng.randrange(len(members))
        name, content = members[i]
        members[i] = (name, rng.choice((content.decode().encode("utf-16"), _LAUGHS + content)))
    elif op == 11:  # macros
        members[0] = (
            members[0][0],
            members[0][1].replace(b"sheet.main", b"sheet.macroEnabled.main"),
        )
        members.append(("xl/vbaProject.bin", b"\0" * 16))
    else:  # every member stored, not deflated, in a shuffled order
        rng.shuffle(members)
        return zip_of(members, method=zipfile.ZIP_STORED)
    return zip_of(members)


def mutate_bytes(content: bytes, rng: random.Random) -> bytes:
    """Byte flips, truncation, inserted or removed runs anywhere in an archive."""
    data = bytearray(content)
    for _ in range(rng.choice((1, 1, 2, 3))):
        op = rng.randrange(5)
        at = rng.randrange(len(data) + 1)
        if op == 0 and data:
            data[min(at, len(data) - 1)] ^= 1 << rng.randrange(8)
        elif op == 1:
            del data[at:]
        elif op == 2:
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 16)))
        elif op == 3:
            del data[at : at + rng.randrange(1, 64)]
        elif data:
            data[min(at, len(data) - 1)] = rng.choice((0, 0xFF, 0x50, 0x4B))
    return bytes(data)
