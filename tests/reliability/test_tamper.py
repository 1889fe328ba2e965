"""Tamper detection over single-cell edits, and no false rejection of re-saved files
(issue 17 item 3; figures in docs/RELIABILITY.md).

Signed: each case changes one cell of a signed demo submission — in a hidden table
(the manifest and every data table, ``_pages`` included) or on a printed sheet —
then recomputes every seal a forger who read the code can (the row's seal, the
``_pages`` fingerprint of a printed cell, the digest in the manifest and on the
cover; ``workbook_cases.Submission``), and HQ's ``verify_file`` with HQ's registry
must call the file invalid. A case the signature check refuses ("changed after it
was signed") passed every keyless check first — verify checks the signature only of
a file that reads as sound — so those count the forgeries only the signature caught. Unsigned: the same edits without recomputing anything, verified
without a registry: the seals and the printed check must catch every one.

Cells are chosen sheet by sheet in turn (every hidden table and printed sheet gets
its share), alternately in order through the sheet and at random, and the kind of
edit in turn (``workbook_cases.KINDS``: another value, whitespace, the number or text
written differently, another cell type, a formula, emptied).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from desktop.domain.model import PeriodKind
from desktop.services.consolidation import FileStatus, scan_folder
from desktop.services.demo_submissions import branch_codes
from desktop.services.verify import verify_file, verify_files
from desktop.workbooks.hidden_tables import PAGES
from desktop.workbooks.machine import MANIFEST_SHEET, WorkbookError
from desktop.workbooks.reader import read_workbook
from desktop.workbooks.row_codec import data_from_tables, manifest_rows, tables_of
from desktop.workbooks.writer import write_workbook
from tests.reliability.scale import count, is_full
from tests.reliability.workbook_cases import (
    CHANGED_AFTER_SIGNING,
    KINDS,
    Corpus,
    Edit,
    Submission,
    Target,
    edits,
    signed_corpus,
    text_cell,
    write,
)
from tests.workbooks.resavers import needs_soffice, resave_libreoffice, resave_openpyxl


def _branches(short: int) -> list[str]:
    codes = branch_codes()
    return codes if is_full() else ["13", *codes[:short]][:short]


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return signed_corpus(tmp_path_factory.mktemp("signed"), _branches(2))


@pytest.fixture(scope="module")
def unsigned(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return signed_corpus(tmp_path_factory.mktemp("unsigned"), _branches(2), signed=False)


def _cases(files: list[Submission], n: int, seed: int):
    """(submission, target, edit): sheets in turn, cells in order and at random, kinds in turn."""
    rng = random.Random(seed)
    sheets = list(files[0].targets)
    for i in range(n):
        sub = files[i % len(files)]
        round_ = i // len(files)
        sheet = sheets[round_ % len(sheets)]
        cells = sub.targets[sheet]
        sweep = round_ // len(sheets)
        # In order (each file takes the next cell, so the files share out the sheet) or at random.
        in_order = ((sweep // 2) * len(files) + i % len(files)) % len(cells)
        target: Target = cells[in_order] if sweep % 2 == 0 else rng.choice(cells)
        options = edits(target, rng, printed=sheet in sub.printed)
        kind = next(
            KINDS[(i + k) % len(KINDS)]
            for k in range(len(KINDS))
            if KINDS[(i + k) % len(KINDS)] in options
        )
        yield sub, target, options[kind]


def _report(title: str, figures: dict[str, object]) -> None:
    print(f"\n[{title}] " + ", ".join(f"{k}: {v}" for k, v in figures.items()))


def test_every_single_cell_edit_of_a_signed_submission_is_caught_with_every_seal_recomputed(
    signed: Corpus, tmp_path: Path
):
    n = count(short=60, full=10_000)
    files = [Submission.load(p) for p in signed.files]
    out = tmp_path / files[0].path.name
    caught_by = Counter()
    per_sheet = Counter()
    per_kind = Counter()
    missed = []
    for sub, target, edit in _cases(files, n, seed=17):
        write(out, sub.apply(target, edit, reseal=True))
        verdict = verify_file(out, signed.registry)
        per_sheet[target.sheet] += 1
        per_kind[edit.kind] += 1
        if verdict.ok:
            missed.append(
                (sub.path.name, target.sheet, target.ref, edit.kind, target.text[:40], edit.text)
            )
            continue
        text = " ".join(verdict.problems_en)
        caught_by["signature" if CHANGED_AFTER_SIGNING in text else "keyless checks"] += 1
    _report(
        "tamper, signed, seals recomputed",
        {"cases": n, "missed": len(missed), "caught by": dict(caught_by), "per sheet": dict(per_sheet),
         "per kind": dict(per_kind),
         },
    )  # fmt: skip
    assert not missed, missed[:10]
    assert set(per_sheet) == set(files[0].targets)  # every table and printed sheet had its share


def test_the_forgers_resealing_alone_leaves_a_valid_file(signed: Corpus, tmp_path: Path):
    """The control: the same machinery with the cell written back as it was gives a
    valid file, so what the test above counts as caught is the edit, not the tooling."""
    sub = Submission.load(signed.files[0])
    rng = random.Random(3)
    out = tmp_path / sub.path.name
    for sheet, cells in sub.targets.items():
        for target in rng.sample(cells, min(3, len(cells))):
            same = Edit("same", text_cell(target.ref, target.style, target.text), target.text)
            verdict = verify_file(write(out, sub.apply(target, same, reseal=True)), signed.registry)
            assert verdict.ok, (sheet, target.ref, verdict.problems_en)


def test_every_single_cell_edit_of_an_unsigned_submission_is_caught_by_the_seals(
    unsigned: Corpus, tmp_path: Path
):
    n = count(short=60, full=10_000)
    files = [Submission.load(p) for p in unsigned.files]
    out = tmp_path / files[0].path.name
    per_sheet = Counter()
    missed = []
    for sub, target, edit in _cases(files, n, seed=18):
        verdict = verify_file(write(out, sub.apply(target, edit, reseal=False)))
        per_sheet[target.sheet] += 1
        if verdict.ok:
            missed.append(
                (sub.path.name, target.sheet, target.ref, edit.kind, target.text[:40], edit.text)
            )
    _report(
        "tamper, unsigned, nothing recomputed",
        {"cases": n, "missed": len(missed), "per sheet": dict(per_sheet)},
    )
    assert not missed, missed[:10]


# --- false rejections -------------------------------------------------------------------


def test_untouched_signed_submissions_re_saved_by_openpyxl_stay_valid(
    signed: Corpus, tmp_path: Path
):
    resaved = [resave_openpyxl(p, tmp_path / "resaved") for p in signed.files]
    verdicts = verify_files(resaved, signed.registry)
    rejected = [(p.name, v.problems_en) for p, v in zip(resaved, verdicts, strict=True) if not v.ok]
    board = scan_folder(
        tmp_path / "resaved", fiscal_year=2024, period=PeriodKind.MIDYEAR, registry=signed.registry
    )
    _report("re-saved by openpyxl", {"files": len(resaved), "false rejections": len(rejected)})
    assert not rejected, rejected
    assert [f.status for f in board.files] == [FileStatus.VALID] * len(resaved)


@needs_soffice
def test_untouched_signed_submissions_re_saved_by_libreoffice_stay_valid(
    signed: Corpus, tmp_path: Path
):
    files = signed.files[: count(short=1, full=5)]
    resaved = [resave_libreoffice(p, tmp_path / "lo") for p in files]
    verdicts = verify_files(resaved, signed.registry)
    rejected = [(p.name, v.problems_en) for p, v in zip(resaved, verdicts, strict=True) if not v.ok]
    _report("re-saved by LibreOffice", {"files": len(resaved), "false rejections": len(rejected)})
    assert not rejected, rejected


def test_the_manifests_header_row_is_checked_like_every_tables(signed: Corpus, tmp_path: Path):
    """Found by the tamper run: the manifest's header ("key", "value") was not read at
    all, so a changed header cell left a valid file — now it is refused like a data
    table's changed header."""
    sub = Submission.load(signed.files[0])
    out = tmp_path / sub.path.name
    for target in (t for t in sub.targets[MANIFEST_SHEET] if t.row == 1):
        for new in (f"{target.text}x", f"{target.text} ", None):
            edit = Edit("value", text_cell(target.ref, target.style, new), new)
            for reseal in (True, False):
                verdict = verify_file(
                    write(out, sub.apply(target, edit, reseal=reseal)), signed.registry
                )
                assert not verdict.ok, (target.ref, new)
                assert "header row" in " ".join(verdict.problems_en)


def test_a_resealed_edit_no_keyless_check_can_see_is_caught_by_the_signature(
    signed: Corpus, tmp_path: Path
):
    """The manifest cells no page prints (the audit head, who exported it, the app's
    version…): changed and resealed, the file passes every keyless check — verified
    without a registry it is valid — and only the signature refuses it."""
    sub = Submission.load(signed.files[0])
    out = tmp_path / sub.path.name
    rng = random.Random(5)
    only_the_signature = 0
    for target in sub.targets[MANIFEST_SHEET]:
        if target.column != 2:
            continue
        edit = edits(target, rng, printed=False).get("value")
        if edit is None:
            continue
        write(out, sub.apply(target, edit, reseal=True))
        verdict = verify_file(out, signed.registry)
        assert not verdict.ok, target.ref
        if verify_file(out).ok:  # (the signature, or the key named beside it, refuses it)
            only_the_signature += 1
    assert only_the_signature >= 3


def _one_value_changed(data, rng: random.Random):
    """``data`` with one value of one hidden table changed as the forger would type it
    (None when PlanDesk would not read the result: another cell is drawn)."""
    tables = tables_of(data)
    sheet = rng.choice([s for s, rows in tables.items() if rows and s != PAGES.sheet])
    row = rng.choice(tables[sheet])
    column = rng.randrange(len(row))
    text = row[column]
    if text is None:
        return None
    row[column] = rng.choice(
        (
            f"{text} ",
            text + "0",
            text[:-1] if len(text) > 1 else text + text,
            *([str(Decimal(text) + 1)] if text.isascii() and text.isdigit() else []),
        )
    )
    try:
        return data_from_tables(dict(manifest_rows(data)), tables), sheet
    except WorkbookError:
        return None


def test_a_forger_rewriting_the_file_with_plandesks_own_writer_is_caught_by_the_signature(
    signed: Corpus, tmp_path: Path
):
    """The strongest forger: the data read, one value changed, the file written again by
    PlanDesk's own writer (pages laid out again, every seal and the digest new) with
    the original signature copied over. Without a registry such a file is valid; with
    HQ's it must be refused for the signature."""
    n = count(short=4, full=500)
    rng = random.Random(29)
    originals = [read_workbook(p) for p in signed.files]
    per_sheet = Counter()
    missed = []
    passed_keyless = unchanged = 0
    for i in range(n):
        data = originals[i % len(originals)]
        changed = None
        while changed is None:
            changed = _one_value_changed(data, rng)
        forged, sheet = changed
        if forged == data:
            continue  # a change the codec reads back as the same value
        m = data.manifest
        out = tmp_path / f"forged-{i % 2}.xlsx"
        stolen = {"signature": m.signature, "signing_key": m.signing_key}
        written = write_workbook(forged, out, lambda new, stolen=stolen: replace(new, **stolen))
        if written.manifest.digest == m.digest:
            unchanged += 1  # the change is gone once written (the cells are the same): no edit
            continue
        per_sheet[sheet] += 1
        verdict = verify_file(out, signed.registry)
        passed_keyless += verify_file(out).ok
        if verdict.ok or CHANGED_AFTER_SIGNING not in " ".join(verdict.problems_en):
            missed.append((sheet, written.manifest.digest, m.digest, verdict.problems_en))
    cases = sum(per_sheet.values())
    _report(
        "tamper, rewritten by PlanDesk's writer",
        {"cases": cases, "missed": len(missed), "valid without a registry": passed_keyless,
         "per table": dict(per_sheet), "drawn but written as before": unchanged},
    )  # fmt: skip
    assert not missed, missed[:10]
    assert passed_keyless == cases  # the forgeries are complete: only the signature tells


def test_a_manifest_key_renamed_emptied_or_written_twice_is_refused(signed: Corpus, tmp_path: Path):
    """Found by the tamper run: the reader looked up the keys it knows, so renaming the
    key of an empty manifest row (audit_checkpoints, in a file without earlier
    sign-offs) changed a cell and nothing read. Every key must be one the writer
    writes, once."""
    sub = Submission.load(signed.files[0])
    out = tmp_path / sub.path.name
    keys = [t for t in sub.targets[MANIFEST_SHEET] if t.column == 1 and t.row > 1]
    empty_valued = [t for t in keys if sub.manifest.get(t.text) is None]
    assert empty_valued, "the demo file has an empty manifest value to hide a renamed key behind"
    target = empty_valued[0]
    twice = next(t.text for t in keys if t.text not in ("format", "format_version"))
    for new in (f"{target.text}2", twice, None, target.text.upper()):
        edit = Edit("value", text_cell(target.ref, target.style, new), new)
        for reseal in (True, False):
            verdict = verify_file(
                write(out, sub.apply(target, edit, reseal=reseal)), signed.registry
            )
            assert not verdict.ok, (target.text, new, reseal)
            assert "key PlanDesk does not write" in " ".join(verdict.problems_en)
