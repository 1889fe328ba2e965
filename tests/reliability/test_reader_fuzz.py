"""The workbook reader fuzzed: every input is read, or refused with the app's own
error — never another exception (issue 17 item 3; figures in docs/RELIABILITY.md).

What HQ and the branches read from outside goes through ``safety.check_content``
(the archive), ``xlsx_cells`` (expat: the workbook, its relationships, shared
strings, styles and sheets), then ``reader.read_workbook`` (tables, seals,
digest, values, ``printed``) and ``verify``. Each layer is fuzzed straight in
memory, where a case costs well under a millisecond, and the whole path end to end
with fewer, structured cases on a real signed submission:

- ``sheet_xml``, ``parts_xml``: XML parts byte- and token-mutated (DTDs, entities,
  billion laughs, encodings, malformed and deeply nested XML, huge attributes, odd
  prefixes and namespaces, cells and rows out of range) into ``xlsx_cells``;
- ``cells``: generated worksheets of cells of every type, value, reference, style,
  shared-string index, inline-string shape and formula into ``read_sheet``;
- ``zip_bytes``: a small sound xlsx with bytes flipped, cut, inserted or removed;
- ``zip_structured``: duplicate, case-folded and odd member names ('..', absolute,
  backslashes, drive letters), lying sizes, bombs, nested zips, missing parts,
  encrypted flags, OLE, UTF-16 and DOCTYPE parts, macros — into ``check_content``
  and, when it passes, every sheet through ``xlsx_cells``;
- ``workbook``: a signed demo submission with sheets missing, renamed, reordered,
  hidden or added, members dropped or swapped, one part XML-mutated or one cell
  changed, written to a file and checked by ``verify_file`` (with HQ's registry),
  ``peek_manifest`` and ``read_benchmark_pack``.

The oracle: the layer returns, or raises its documented error (``XlsxError`` from
``xlsx_cells``, ``WorkbookError`` and its subclasses from ``safety``, the readers
and ``peek``); ``verify_file`` returns a verdict. Anything else is a failure, listed
with its family and seed. A hang would stop the run (the inputs are bounded, the
parsers linear); the slowest case of each family and the process's peak memory are
reported.

Hypothesis draws the seeds (``database=None``, derandomized, no deadline); each
seed drives a cheap deterministic loop of ``PER_SEED`` cases (``fuzz_inputs``):
hypothesis's own per-example cost would not let a million cases fit on two shared
cores.
"""

from __future__ import annotations

import contextlib
import io
import random
import re
import resource
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.services.verify import Verdict, verify_file
from desktop.workbooks.benchmark_pack import read_benchmark_pack
from desktop.workbooks.machine import WorkbookError
from desktop.workbooks.peek import peek_manifest
from desktop.workbooks.safety import check_content
from desktop.workbooks.xlsx_cells import Book, XlsxError, read_sheet, read_styles, shared_strings
from tests.reliability import fuzz_inputs as fz
from tests.reliability.scale import count
from tests.reliability.workbook_cases import Corpus, Submission, edits, signed_corpus, zip_parts

PER_SEED = 50


@dataclass
class Tally:
    family: str
    cases: int = 0
    outcomes: Counter = field(default_factory=Counter)
    failures: list[tuple[str, int, str]] = field(default_factory=list)
    slowest: float = 0.0

    def run(
        self, seed: int, case: Callable[[random.Random], str], per_seed: int = PER_SEED
    ) -> None:
        rng = random.Random(seed)
        for i in range(per_seed):
            started = time.perf_counter()
            try:
                outcome = case(rng)
            except (XlsxError, WorkbookError) as exc:
                outcome = f"refused ({type(exc).__name__})"
            except Exception as exc:  # the failure this test looks for
                self.failures.append(
                    (self.family, seed, f"case {i}: {type(exc).__name__}: {exc}"[:300])
                )
                outcome = "UNEXPECTED"
            self.slowest = max(self.slowest, time.perf_counter() - started)
            self.cases += 1
            self.outcomes[outcome] += 1

    def report(self) -> None:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(
            f"\n[fuzz {self.family}] cases: {self.cases}, unexpected exceptions: "
            f"{len(self.failures)}, slowest case: {self.slowest:.3f} s, peak RSS: {peak} MB, "
            f"outcomes: {dict(self.outcomes.most_common())}"
        )
        assert not self.failures, self.failures[:10]


def _fuzz(
    family: str, n: int, case: Callable[[random.Random], str], per_seed: int = PER_SEED
) -> None:
    tally = Tally(family)
    examples = max(1, -(-n // per_seed))

    @settings(
        max_examples=examples,
        database=None,
        derandomize=True,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.integers(min_value=0, max_value=2**64 - 1))
    def seeds(seed: int) -> None:
        tally.run(seed, case, per_seed)

    seeds()
    tally.report()


# --- the layers in memory ---------------------------------------------------------------

_STRINGS = ["支部", "東京支部", " 令和６年度\r"]


def _sheets_of(parts: dict[str, bytes]) -> str:
    """Everything ``xlsx_cells`` reads of a checked archive."""
    book = Book(parts)
    book.strings()
    book.styles()
    for entry in book.sheets:
        if entry.part is not None:
            book.sheet(entry)
    return "read"


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> tuple[Corpus, Submission, dict[str, bytes]]:
    corpus = signed_corpus(tmp_path_factory.mktemp("fuzz"), ["13"])
    sub = Submission.load(corpus.files[0])
    return corpus, sub, dict(sub.members)


def test_sheet_xml(real):
    _corpus, _sub, members = real
    small = [c for n, c in members.items() if n.startswith("xl/worksheets/") and len(c) < 8000]
    large = [c for n, c in members.items() if n.startswith("xl/worksheets/") and len(c) >= 8000]
    bases = [fz.SHEET, fz.MANIFEST, *small]

    def case(rng: random.Random) -> str:
        base = rng.choice(large) if rng.randrange(100) == 0 else rng.choice(bases)
        read_sheet(fz.mutate_xml(base, rng), lambda: _STRINGS, rng.choice((50_001, 1_048_576)))
        return "read"

    _fuzz("sheet_xml", count(short=5_000, full=320_000), case)


def test_parts_xml(real):
    _corpus, _sub, members = real
    names = (
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
        "xl/sharedStrings.xml",
    )
    real_parts = {n: members[n] for n in names if n in members}

    def case(rng: random.Random) -> str:
        parts = dict(fz.MINI_PARTS) if rng.randrange(3) else {**fz.MINI_PARTS, **real_parts}
        name = rng.choice(names)
        if name not in parts:
            name = "xl/workbook.xml"
        parts[name] = fz.mutate_xml(parts[name], rng)
        which = rng.randrange(4)
        if which == 0:
            shared_strings(parts["xl/sharedStrings.xml"])
        elif which == 1:
            read_styles(parts["xl/styles.xml"])
        return _sheets_of(parts)

    _fuzz("parts_xml", count(short=3_000, full=150_000), case)


def test_cells():
    def case(rng: random.Random) -> str:
        strings = rng.choice((_STRINGS, [], ["x"] * 5))
        read_sheet(fz.sheet_of_cells(rng), lambda: strings)
        return "read"

    _fuzz("cells", count(short=5_000, full=250_000), case)


def test_zip_bytes():
    def case(rng: random.Random) -> str:
        return _sheets_of(check_content("fuzz.xlsx", fz.mutate_bytes(fz.MINI, rng)))

    _fuzz("zip_bytes", count(short=3_000, full=160_000), case)


def test_zip_structured():
    def case(rng: random.Random) -> str:
        content = fz.structured_archive(rng)
        if rng.randrange(4) == 0:
            content = fz.mutate_bytes(content, rng)
        return _sheets_of(check_content("fuzz.xlsx", content))

    _fuzz("zip_structured", count(short=1_500, full=115_000), case, per_seed=20)


# --- end to end on a real signed submission ----------------------------------------------

_CATCH_ALL = re.compile(r"not in PlanDesk's format \((\w+)\)")


def _workbook_case(corpus: Corpus, sub: Submission, out: Path) -> Callable[[random.Random], str]:
    members = list(sub.members)
    names = [n for n, _ in members]
    targets = sub.all_targets()

    def structural(rng: random.Random) -> tuple[str, list[tuple[str, bytes]]]:
        parts = list(members)
        book = dict(parts)
        op = rng.randrange(9)
        workbook = book["xl/workbook.xml"]
        sheets = re.findall(rb"<sheet [^>]*/>", workbook)
        if op == 0:  # a sheet missing
            workbook = workbook.replace(rng.choice(sheets), b"", 1)
        elif op == 1:  # a sheet renamed
            victim = rng.choice(sheets)
            name = rng.choice(("_manifest", "_pages", "表紙", "Sheet1", "_NODES", "_nodes ", ""))
            workbook = workbook.replace(
                victim, re.sub(rb'name="[^"]*"', f'name="{name}"'.encode(), victim), 1
            )
        elif op == 2:  # the sheets reordered
            shuffled = list(sheets)
            rng.shuffle(shuffled)
            body = b"".join(shuffled)
            workbook = re.sub(
                rb"<sheets>.*</sheets>", b"<sheets>" + body + b"</sheets>", workbook, flags=re.S
            )
        elif op == 3:  # a sheet's state changed
            victim = rng.choice(sheets)
            state = rng.choice(
                (b"", b' state="hidden"', b' state="veryHidden"', b' state="visible"')
            )
            changed = re.sub(rb' state="[^"]*"', b"", victim).replace(
                b"<sheet ", b"<sheet" + state + b" ", 1
            )
            workbook = workbook.replace(victim, changed, 1)
        elif op == 4:  # an extra sheet, pointing at an existing part
            extra = re.sub(rb'name="[^"]*"', b'name="extra"', rng.choice(sheets))
            extra = re.sub(rb'sheetId="[^"]*"', b'sheetId="99"', extra)
            workbook = workbook.replace(b"</sheets>", extra + b"</sheets>", 1)
        elif op == 5:  # a member dropped
            del parts[rng.randrange(len(parts))]
            return "member dropped", parts
        elif op == 6:  # two sheet parts swapped
            sheet_parts = [i for i, n in enumerate(names) if n.startswith("xl/worksheets/")]
            a, b = rng.sample(sheet_parts, 2)
            parts[a], parts[b] = (names[a], parts[b][1]), (names[b], parts[a][1])
            return "parts swapped", parts
        elif op == 7:  # one part mutated
            i = rng.randrange(len(parts))
            parts[i] = (parts[i][0], fz.mutate_xml(parts[i][1], rng))
            return "part mutated", parts
        else:  # a member twice
            i = rng.randrange(len(parts))
            parts.insert(rng.randrange(len(parts)), (parts[i][0], fz.mutate_xml(parts[i][1], rng)))
            return "member twice", parts
        parts = [(n, workbook if n == "xl/workbook.xml" else c) for n, c in parts]
        return "sheets", parts

    def case(rng: random.Random) -> str:
        if rng.randrange(3) == 0:  # one cell changed, nothing recomputed
            target = rng.choice(targets)
            options = edits(target, rng, printed=target.sheet in sub.printed)
            content = sub.apply(target, rng.choice(list(options.values())), reseal=False)
        else:
            _what, parts = structural(rng)
            content = zip_parts(parts)
        out.write_bytes(content)
        verdict = verify_file(out, corpus.registry)
        assert isinstance(verdict, Verdict)
        for reader in (peek_manifest, read_benchmark_pack):
            with contextlib.suppress(WorkbookError):
                reader(out)
        if verdict.ok:
            return "valid"
        caught_all = _CATCH_ALL.search(" ".join(verdict.problems_en))
        return f"invalid (catch-all: {caught_all.group(1)})" if caught_all else "invalid"

    return case


def test_workbook_end_to_end(real, tmp_path: Path):
    corpus, sub, _members = real
    _fuzz(
        "workbook",
        count(short=60, full=6_000),
        _workbook_case(corpus, sub, tmp_path / sub.path.name),
        per_seed=10,
    )


def test_the_mini_workbook_is_sound():
    """The control: the small archive the byte-level cases start from passes every
    check, so what they count as refused is what the mutation did."""
    parts = check_content("mini.xlsx", fz.MINI)
    assert _sheets_of(parts) == "read"
    with zipfile.ZipFile(io.BytesIO(fz.MINI)) as archive:
        assert sorted(archive.namelist()) == sorted(fz.MINI_PARTS)


_ENCODINGS = ["x-no-such-codec", "Shift_JIS", "UTF-32", "idna", "punycode", "undefined", "cp037"]


@pytest.mark.parametrize("encoding", _ENCODINGS)
def test_every_part_is_read_as_utf8_whatever_its_declaration_says(encoding: str):
    """Found by the fuzzer: expat asked Python for the codec a part declares, and an
    unknown or multi-byte one raised LookupError, ValueError or UnicodeError out of
    ``xlsx_cells`` instead of its XlsxError. Parts are UTF-8 (Excel, LibreOffice and
    openpyxl write nothing else; ``safety`` refuses UTF-16), so the declaration is
    ignored: the text reads the same, and bytes that are not UTF-8 are refused."""
    declared = f'encoding="{encoding}"'.encode()
    sheet = read_sheet(fz.SHEET.replace(b'encoding="UTF-8"', declared, 1), lambda: _STRINGS)
    assert sheet.cells[(1, 2)].text == "東京支部"
    assert shared_strings(fz.SHARED.replace(b'encoding="UTF-8"', declared, 1))[1] == "東京支部"
    latin = fz.SHEET.replace(b'encoding="UTF-8"', declared, 1).replace("東京".encode(), b"\xe9")
    with pytest.raises(XlsxError):
        read_sheet(latin, lambda: _STRINGS)


@pytest.mark.parametrize("index", ["-1", "-3", "3", "99"])
def test_a_shared_string_index_out_of_range_is_refused(index: str):
    """Found reading the fuzzer's cases: a negative index read a string counted from the
    end (Python's list[-1]) where Excel reports a damaged file; now every index outside
    the shared strings is refused."""
    sheet = fz.SHEET.replace(
        b'<c r="A1" s="1" t="s"><v>0</v></c>', f'<c r="A1" t="s"><v>{index}</v></c>'.encode()
    )
    with pytest.raises(XlsxError, match="shared string"):
        read_sheet(sheet, lambda: _STRINGS)
