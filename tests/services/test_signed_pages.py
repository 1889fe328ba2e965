"""A valid signature stands in for laying the printed pages out again (docs/TRUST.md).

HQ's files are signed: once the signature checks against the registry, the reader
compares the printed cells with the sealed ``_pages`` record but does not lay the
pages out again from the data. What that gives up, and what it keeps, on real
signed files (demo keys made in memory, their public keys in a real registry):

- a signed file whose record disagrees with its data — made by the key's holder,
  who signed it — is valid with the registry (decided: the signer vouches for both,
  docs/TRUST.md) and invalid wherever the signature does not vouch for it;
- a changed printed cell, or changed data with every seal recomputed, is invalid.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from desktop.domain.model import PeriodKind
from desktop.services.consolidation import FileStatus, scan_folder
from desktop.services.demo_submissions import DemoKeys, demo_keys, write_demo_submissions
from desktop.services.key_registry import Registry, load_registry
from desktop.services.signatures import sign
from desktop.services.verify import verify_file
from desktop.workbooks.peek import peek_manifest
from tests.workbooks.forging import manifest_line, resign

FY, MID = 2024, PeriodKind.MIDYEAR
NEW_TEXT = "計画を見直し、下期に実施する。"


@pytest.fixture
def keys(tmp_path: Path) -> DemoKeys:
    return demo_keys(tmp_path / "hq_keys", ["13"])


@pytest.fixture
def signed(tmp_path: Path, keys: DemoKeys) -> Path:
    (path,) = write_demo_submissions(tmp_path / "share", branches=["13"], keys=keys)
    return path


def _edit(path: Path, change) -> None:
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)


def _change_status_text(wb: openpyxl.Workbook) -> None:
    """The first entry's 実施状況 in the hidden data only (the pages still print the old
    text), every row hash and the digest recomputed, the cover's digest too."""
    ws = wb["_entries"]
    column = next(c for c in range(1, ws.max_column + 1) if ws.cell(1, c).value == "status_text")
    assert ws.cell(2, column).value and ws.cell(2, column).value != NEW_TEXT
    ws.cell(2, column).value = NEW_TEXT
    manifest = wb["_manifest"]
    before = manifest.cell(manifest_line(manifest, "digest"), 2).value
    resign(wb)
    after = manifest.cell(manifest_line(manifest, "digest"), 2).value
    for row in wb.worksheets[0].iter_rows():  # the cover prints the digest
        for cell in row:
            if cell.value == before:
                cell.value = after


def _signed_again(path: Path, keys: DemoKeys) -> None:
    """What only the key's holder can do: sign the file as it now is."""
    m = sign(peek_manifest(path), keys.keys["13"])

    def put(wb: openpyxl.Workbook) -> None:
        ws = wb["_manifest"]
        ws.cell(manifest_line(ws, "signature"), 2).value = m.signature

    _edit(path, put)


def _problems(path: Path, registry: Registry | None) -> str:
    verdict = verify_file(path, registry)
    assert not verdict.ok
    return " ".join(verdict.problems("en"))


def test_the_demo_submission_is_signed_and_valid(signed: Path, keys: DemoKeys):
    verdict = verify_file(signed, load_registry(keys.registry))
    assert verdict.ok, verdict.problems("en")
    assert verdict.notes("en") == ()  # signature checked, nothing to note
    assert verdict.data.manifest.signing_key == keys.keys["13"].fingerprint


def test_pages_that_disagree_with_the_data_are_what_the_signer_vouched_for(
    signed: Path, keys: DemoKeys, tmp_path: Path
):
    _edit(signed, _change_status_text)
    _signed_again(signed, keys)
    registry = load_registry(keys.registry)

    # The signer's file: valid where the signature checks (decided, docs/TRUST.md) …
    assert verify_file(signed, registry).ok
    board = scan_folder(signed.parent, fiscal_year=FY, period=MID, registry=registry)
    assert [f.status for f in board.files] == [FileStatus.VALID]

    # … and refused wherever it does not vouch for the pages: no registry, a registry
    # that does not know the key (not enforcing: the file passes the signature check
    # with a note, but the pages are laid out again), a revoked key.
    assert "does not match the file's data" in _problems(signed, None)
    assert "does not match the file's data" in _problems(signed, Registry())
    unknown = load_registry(demo_keys(tmp_path / "other_hq", ["14"]).registry)
    assert "does not match the file's data" in _problems(signed, unknown)
    board = scan_folder(signed.parent, fiscal_year=FY, period=MID, registry=Registry())
    assert [f.status for f in board.files] == [FileStatus.INVALID]


def test_the_same_change_without_the_key_is_invalid(signed: Path, keys: DemoKeys):
    """The old signature no longer verifies, so the pages are laid out again and the
    reader refuses the file before its signature is even reported."""
    _edit(signed, _change_status_text)  # every seal recomputed, the old signature kept
    problems = _problems(signed, load_registry(keys.registry))
    assert "does not match the file's data" in problems


def test_a_changed_printed_cell_of_a_signed_file_is_invalid(signed: Path, keys: DemoKeys):
    def forge(wb: openpyxl.Workbook) -> None:
        ws = wb.worksheets[1]  # the report table
        cell = next(
            c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "。" in c.value
        )
        cell.value = cell.value.replace("。", "！", 1)

    _edit(signed, forge)
    problems = _problems(signed, load_registry(keys.registry))
    assert "was changed; it prints" in problems
