"""Signed submissions (issue 17 item 1): real keys, real databases, real xlsx files.

The branch (the demo database, branch 13) makes its key, signs its report off with
the passphrase and writes the submission; HQ (its own keys folder) imports the
branch's public key and checks the file. scrypt runs at a low cost passed
explicitly (``FAST``): PlanDesk itself always uses ``PRODUCT_COST``.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select, update

from desktop.domain.errors import UserError
from desktop.domain.model import PeriodKind, ReportRef
from desktop.services import (
    benchmarks,
    exchange,
    key_registry,
    review,
    signing_keys,
    submission_signing,
)
from desktop.services.consolidation import FileStatus, Problem, consolidate_folder, scan_folder
from desktop.services.demo_submissions import write_demo_submissions
from desktop.services.export import export_workbook
from desktop.services.key_registry import load_registry
from desktop.services.signatures import chain_breaks
from desktop.services.signing_keys import KdfCost, WrongPassphrase
from desktop.services.verify import verify_file, verify_files
from desktop.store import audit
from desktop.store.database import Database
from desktop.store.models import AuditHeadRow, AuditRow
from desktop.workbooks import benchmark_pack
from desktop.workbooks.benchmark_pack import read_benchmark_pack
from desktop.workbooks.machine import Kind
from desktop.workbooks.reader import read_workbook
from desktop.workbooks.writer import write_workbook
from tests.helpers.reports import REF, sign_off_all
from tests.workbooks.forging import manifest_line, resign
from tests.workbooks.resavers import needs_soffice, resave_libreoffice, resave_openpyxl

FAST = KdfCost(n=2**10, r=8, p=1)
PASS = "branch-head-passphrase"
ANNUAL = ReportRef(REF.branch, REF.fiscal_year, PeriodKind.ANNUAL)


def _sign_off(db: Database, ref: ReportRef = REF) -> None:
    """Everything approved as sign_off_all does, then the sign-off with the passphrase."""
    sign_off_all(db, ref, sign=False)
    submission_signing.sign_off_and_sign(
        db,
        ref,
        login="head",
        password="head-pass",
        passphrase=PASS,
        keys=signing_keys.keys_dir(db.path),
    )


def _submission(db: Database, out: Path, ref: ReportRef = REF) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    return export_workbook(
        db, branch=ref.branch, fiscal_year=ref.fiscal_year, period=ref.period,
        kind=Kind.SUBMISSION, out=out, actor="staff",
    ).path  # fmt: skip


@pytest.fixture
def branch_keys(demo_db: Database) -> Path:
    folder = signing_keys.keys_dir(demo_db.path)
    signing_keys.create_key(folder, "13", PASS, cost=FAST)
    return folder


@pytest.fixture
def hq(tmp_path: Path, branch_keys: Path) -> Path:
    """HQ's keys folder with branch 13's public key imported (confirmed by phone)."""
    folder = tmp_path / "hq" / "keys"
    sent = signing_keys.export_public_key(branch_keys, tmp_path / "13.pub.json")
    entry = key_registry.import_key(folder, tmp_path / "13.pub.json")
    assert entry.fingerprint == sent.fingerprint
    return folder


@pytest.fixture
def signed(demo_db: Database, branch_keys: Path, tmp_path: Path) -> Path:
    _sign_off(demo_db)
    return _submission(demo_db, tmp_path / "share")


def _problems(path: Path, hq: Path) -> str:
    verdict = verify_file(path, load_registry(hq))
    assert not verdict.ok, "expected the file to be refused"
    return " ".join(verdict.problems_ja + verdict.problems_en)


def test_a_signed_submission_is_valid_at_hq(signed: Path, hq: Path, branch_keys: Path):
    verdict = verify_file(signed, load_registry(hq))
    assert verdict.ok, verdict.problems_en
    m = verdict.data.manifest
    assert m.signature and m.signing_key == signing_keys.own_public_key(branch_keys).fingerprint
    assert m.audit_head and m.created_at == m.signed_off_at and m.created_by == "head"
    board = scan_folder(signed.parent, fiscal_year=2024, period=PeriodKind.MIDYEAR,
                        registry=load_registry(hq))  # fmt: skip
    assert [f.status for f in board.files] == [FileStatus.VALID]


def test_every_export_of_the_submission_is_the_signed_file(
    demo_db, signed: Path, hq: Path, tmp_path
):
    again = _submission(demo_db, tmp_path / "later")
    assert read_workbook(again).manifest == read_workbook(signed).manifest
    assert verify_file(again, load_registry(hq)).ok


# --- changed after signing, every seal recomputed --------------------------------------------


def _forged(signed: Path, tmp_path: Path, change) -> Path:
    """PlanDesk's own writer used as a forger would: ``change`` applied to the data, a
    fresh digest and sealed pages, and the original signature copied over."""
    data = read_workbook(signed)
    m = data.manifest
    out = tmp_path / "forged" / signed.name
    out.parent.mkdir(exist_ok=True)
    stolen = {"signature": m.signature, "signing_key": m.signing_key}
    write_workbook(change(data), out, lambda new: replace(new, **stolen))
    assert read_workbook(out).manifest.digest != m.digest  # the file itself reads as sound
    return out


def test_a_changed_figure_with_everything_recomputed_is_invalid(signed: Path, hq: Path, tmp_path):
    def change(data):
        report = data.report
        first = next(m for m in report.measurements if m.value is not None and m.numerator is None)
        changed = tuple(
            replace(m, value=m.value + 1) if m is first else m for m in report.measurements
        )
        report = replace(report, measurements=changed)
        return replace(data, plan=replace(data.plan, reports=(report,)))

    forged = _forged(signed, tmp_path, change)
    assert "署名の後に書き換え" in _problems(forged, hq)
    board = scan_folder(forged.parent, fiscal_year=2024, period=PeriodKind.MIDYEAR,
                        registry=load_registry(hq))  # fmt: skip
    assert board.files[0].problem is Problem.SIGNATURE


def test_a_changed_manifest_with_everything_recomputed_is_invalid(signed: Path, hq: Path, tmp_path):
    forged = _forged(
        signed, tmp_path,
        lambda data: replace(data, manifest=replace(data.manifest, signed_off_name="支部長 鈴木")),
    )  # fmt: skip
    assert "changed after it was signed" in _problems(forged, hq)


def _edit(path: Path, change) -> None:
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)


def test_a_hidden_data_cell_edited_and_resealed_is_invalid(signed: Path, hq: Path):
    """A cell no page prints (the audit head): the reader finds the file sound after the
    forger recomputed the seals; only the signature tells."""

    def forge(wb):
        ws = wb["_manifest"]
        before = ws.cell(manifest_line(ws, "digest"), 2).value
        line = manifest_line(ws, "audit_head")
        number, digest = ws.cell(line, 2).value.split(":")
        ws.cell(line, 2).value = f"{number}:{'0' * len(digest)}"
        resign(wb)
        after = ws.cell(manifest_line(ws, "digest"), 2).value
        for row in wb.worksheets[0].iter_rows():  # the cover prints the digest
            for cell in row:
                if cell.value == before:
                    cell.value = after

    _edit(signed, forge)
    read_workbook(signed)  # every seal matches
    assert "署名の後に書き換え" in _problems(signed, hq)


def test_a_printed_cell_edited_and_resealed_is_invalid(signed: Path, hq: Path):
    def forge(wb):
        ws = wb.worksheets[0]  # the cover
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and "支部長 山田" in cell.value:
                    cell.value = cell.value.replace("山田", "鈴木")
        resign(wb)

    _edit(signed, forge)
    assert not verify_file(signed, load_registry(hq)).ok


def test_a_signature_moved_to_the_digest_of_another_file_is_invalid(signed: Path, hq: Path):
    def forge(wb):
        ws = wb["_manifest"]
        ws.cell(manifest_line(ws, "signing_key"), 2).value = "ab" * 32
        resign(wb)

    _edit(signed, forge)
    assert "not registered" in _problems(signed, hq)


# --- the registry -----------------------------------------------------------------------------


def test_a_key_hq_never_imported_is_invalid(signed: Path, tmp_path: Path):
    other = tmp_path / "other-branch"
    signing_keys.create_key(other, "14", "another-passphrase", cost=FAST)
    signing_keys.export_public_key(other, tmp_path / "14.pub.json")
    registry_folder = tmp_path / "hq2"
    key_registry.import_key(registry_folder, tmp_path / "14.pub.json")
    problems = _problems(signed, registry_folder)
    assert "登録されていません" in problems and "not registered" in problems


def test_a_key_registered_for_another_branch_is_invalid(signed: Path, branch_keys: Path, tmp_path):
    """Branch 13's key, sent to HQ as if it were branch 14's: its files are refused."""
    pub = tmp_path / "as14.pub.json"
    signing_keys.export_public_key(branch_keys, pub)
    content = json.loads(pub.read_text(encoding="utf-8"))
    pub.write_text(json.dumps(content | {"branch": "14"}), encoding="utf-8")
    folder = tmp_path / "hq3"
    key_registry.import_key(folder, pub)
    assert "signed with the key of branch 14" in _problems(signed, folder)


def test_a_revoked_key_refuses_later_files_and_notes_earlier_ones(signed: Path, hq: Path, tmp_path):
    signed_at = read_workbook(signed).manifest.signed_off_at
    after = tmp_path / "after"
    shutil.copytree(hq, after)
    key_registry.revoke_key(after, load_registry(after).keys[0].fingerprint[:8],
                            at=signed_at + timedelta(hours=1))  # fmt: skip
    verdict = verify_file(signed, load_registry(after))
    assert verdict.ok and any("失効" in n for n in verdict.notes_ja)

    key_registry.revoke_key(
        hq, load_registry(hq).keys[0].fingerprint, at=signed_at - timedelta(hours=1)
    )
    assert "revoked" in _problems(signed, hq)


def test_a_rotated_key_keeps_earlier_files_valid(
    demo_db, signed: Path, hq: Path, branch_keys, tmp_path
):
    old, new = signing_keys.rotate_key(branch_keys, "the-new-passphrase", cost=FAST)
    assert old is not None and old.fingerprint != new.fingerprint
    signing_keys.export_public_key(branch_keys, tmp_path / "new.pub.json")
    key_registry.import_key(hq, tmp_path / "new.pub.json")
    assert verify_file(signed, load_registry(hq)).ok  # signed before the new key existed
    # The retired key still opens with the old passphrase on the branch PC; what it would
    # sign now is refused at HQ.
    retired = tmp_path / "retired-copy"
    retired.mkdir()
    shutil.copy(branch_keys / "retired" / f"{old.fingerprint}.json", retired / "signing_key.json")
    key = signing_keys.unlock(retired, PASS)
    submission_signing.sign_submission(demo_db, REF, key=key, login="head")
    later = _submission(demo_db, tmp_path / "resigned")
    # The sign-off's time is what a submission says it was signed at; so a re-signature
    # with the old key of a report signed off before the rotation stays valid...
    assert verify_file(later, load_registry(hq)).ok
    # ...and the new key signs from now on.
    submission_signing.sign_submission(
        demo_db, REF, key=signing_keys.unlock(branch_keys, "the-new-passphrase"), login="head"
    )
    newest = _submission(demo_db, tmp_path / "newest")
    assert read_workbook(newest).manifest.signing_key == new.fingerprint
    assert verify_file(newest, load_registry(hq)).ok


def test_an_unsigned_submission_is_invalid_once_hq_registers_keys(demo_db, tmp_path, hq: Path):
    sign_off_all(demo_db)  # signed off without a key: no signature
    path = _submission(demo_db, tmp_path / "unsigned")
    assert "no signature" in _problems(path, hq)
    # Before HQ imported any key, the file is checked as before, with a note saying
    # why it passes (not guessing when it was written).
    verdict = verify_file(path, load_registry(tmp_path / "no-keys-yet"))
    assert verdict.ok
    assert verdict.notes_en == (
        "The file is not signed (this PC has registered no public key yet, so it accepts "
        "unsigned files): confirm who wrote it another way.",
    )


# --- the passphrase ---------------------------------------------------------------------------


def test_a_wrong_passphrase_changes_nothing(demo_db: Database, branch_keys: Path):
    sign_off_all(demo_db, sign=False)
    with demo_db.read() as session:
        head_before = session.get(AuditHeadRow, 1).last_id
    with pytest.raises(WrongPassphrase) as refused:
        submission_signing.sign_off_and_sign(
            demo_db, REF, login="head", password="head-pass", passphrase="not-it-at-all",
            keys=branch_keys,
        )  # fmt: skip
    assert "パスフレーズが違います" in refused.value.message("ja")
    assert "Wrong passphrase" in refused.value.message("en")
    assert review.signed_off(demo_db, REF) is None
    with demo_db.read() as session:
        assert session.get(AuditHeadRow, 1).last_id == head_before


def test_the_key_file_holds_no_private_key_in_clear(branch_keys: Path):
    key = signing_keys.unlock(branch_keys, PASS)
    raw = key.private.private_bytes_raw()
    content = (branch_keys / "signing_key.json").read_bytes()
    assert raw not in content and raw.hex().encode() not in content
    import base64

    assert base64.b64encode(raw) not in content
    assert (branch_keys / "signing_key.json").stat().st_mode & 0o077 == 0


def test_a_short_passphrase_is_refused(tmp_path: Path):
    with pytest.raises(signing_keys.UserError):
        signing_keys.create_key(tmp_path, "13", "short", cost=FAST)
    assert not (tmp_path / "signing_key.json").exists()


# --- re-saved untouched -------------------------------------------------------------------------


def test_an_untouched_file_resaved_by_openpyxl_stays_valid(signed: Path, hq: Path, tmp_path):
    again = resave_openpyxl(signed, tmp_path / "resaved")
    assert verify_file(again, load_registry(hq)).ok


@needs_soffice
def test_an_untouched_file_resaved_by_libreoffice_stays_valid(signed: Path, hq: Path, tmp_path):
    again = resave_libreoffice(signed, tmp_path / "lo")
    verdict = verify_file(again, load_registry(hq))
    assert verdict.ok, verdict.problems_en


# --- the audit chain across a year's files --------------------------------------------------------


def test_a_later_file_extends_the_earlier_ones_chain(demo_db, signed: Path, hq: Path, tmp_path):
    _sign_off(demo_db, ANNUAL)
    annual = _submission(demo_db, tmp_path / "share", ANNUAL)
    files = [(p.name, read_workbook(p).manifest) for p in (signed, annual)]
    assert chain_breaks(files) == []
    assert all(v.ok for v in verify_files([signed, annual], load_registry(hq)))


def _entry_hash(row: AuditRow, prev: str) -> str:
    """An audit entry's hash, as a forger who read desktop/store/audit.py computes it."""
    fields = {
        "id": row.id,
        "at": row.at.isoformat(timespec="microseconds"),
        "actor": row.actor,
        "action": row.action,
        "entity": row.entity,
        "entity_key": row.entity_key,
        "field": row.field,
        "old": row.old_value,
        "new": row.new_value,
        "prev": prev,
    }
    text = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _rewrite_history(db: Database) -> None:
    """What someone with the database file can do: change an old entry and recompute
    every hash after it, and the head: the chain checks out again."""
    with db.write() as session:
        first = session.scalars(select(AuditRow).order_by(AuditRow.id)).first()
        session.execute(update(AuditRow).where(AuditRow.id == first.id).values(new_value="書換"))
        prev = audit.GENESIS
        for row in session.scalars(select(AuditRow).order_by(AuditRow.id)):
            session.refresh(row)
            row.prev_hash, row.hash = prev, _entry_hash(row, prev)
            prev = row.hash
        session.get(AuditHeadRow, 1).last_hash = prev
    with db.read() as session:
        assert audit.verify_chain(session)[1] is None  # nothing for the branch PC to see


def test_a_rewritten_history_is_flagged(demo_db, signed: Path, hq: Path, tmp_path):
    _rewrite_history(demo_db)
    _sign_off(demo_db, ANNUAL)
    annual = _submission(demo_db, tmp_path / "share", ANNUAL)
    assert verify_file(annual, load_registry(hq)).ok  # on its own the file is sound
    breaks = chain_breaks([(p.name, read_workbook(p).manifest) for p in (signed, annual)])
    assert [(b.earlier, b.later) for b in breaks] == [(signed.name, annual.name)]
    verdicts = verify_files([signed, annual], load_registry(hq))
    assert verdicts[0].ok and not verdicts[1].ok
    assert "does not extend" in " ".join(verdicts[1].problems_en)
    board = scan_folder(annual.parent, fiscal_year=2024, period=PeriodKind.ANNUAL,
                        registry=load_registry(hq))  # fmt: skip
    assert [f.name for f in board.chain_broken_files] == [annual.name] and not board.clean


# --- HQ's templates and benchmark packs ----------------------------------------------------------


@pytest.fixture
def hq_key(tmp_path: Path, demo_db: Database) -> signing_keys.SigningKey:
    """HQ's key (branch 00) made at HQ; the branch (demo_db's keys folder) imported its
    public key once."""
    folder = tmp_path / "hq-pc" / "keys"
    signing_keys.create_key(folder, "00", "hq-passphrase", cost=FAST)
    signing_keys.export_public_key(folder, tmp_path / "hq.pub.json")
    key_registry.import_key(signing_keys.keys_dir(demo_db.path), tmp_path / "hq.pub.json")
    return signing_keys.unlock(folder, "hq-passphrase")


def _template(demo_db: Database, out: Path, key=None) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    return export_workbook(
        demo_db, branch="00", fiscal_year=2025, kind=Kind.TEMPLATE, out=out, actor="hq",
        signing_key=key,
    ).path  # fmt: skip


TEMPLATES = exchange.Expectation(kinds=(Kind.TEMPLATE,))


def test_a_signed_template_imports_and_a_changed_one_is_refused(demo_db, hq_key, tmp_path):
    signed_template = _template(demo_db, tmp_path / "hq", hq_key)
    preview = exchange.preview_import(demo_db, signed_template, TEMPLATES)
    assert preview.warnings == ()

    def change(data):
        return replace(data, plan=replace(data.plan, title=data.plan.title + "（改）"))

    forged = _forged(signed_template, tmp_path, change)
    with pytest.raises(UserError) as refused:
        exchange.preview_import(demo_db, forged, TEMPLATES)
    assert "changed after it was signed" in refused.value.message("en")


def test_an_unsigned_template_imports_with_a_warning(demo_db, hq_key, tmp_path):
    unsigned = _template(demo_db, tmp_path / "old")
    preview = exchange.preview_import(demo_db, unsigned, TEMPLATES)
    assert [w.en for w in preview.warnings] and "not signed" in preview.warnings[0].en
    assert "a kind of file accepted unsigned" in preview.warnings[0].en


def test_a_template_signed_by_a_branch_key_is_refused(demo_db, hq_key, branch_keys, tmp_path):
    """A branch's key is not HQ's: a template it signs is refused, registered or not."""
    key = signing_keys.unlock(branch_keys, PASS)
    path = _template(demo_db, tmp_path / "fake", key)
    with pytest.raises(UserError) as refused:
        exchange.preview_import(demo_db, path, TEMPLATES)
    assert "branch 00 signed with the key of branch 13" in refused.value.message("en")


def test_a_signed_benchmark_pack_imports_and_a_changed_one_is_refused(demo_db, hq_key, tmp_path):
    folder = tmp_path / "all47"
    write_demo_submissions(
        folder, fiscal_year=2024, period=PeriodKind.MIDYEAR, branches=["13", "27"]
    )
    result = consolidate_folder(folder, fiscal_year=2024, period=PeriodKind.MIDYEAR)
    path = benchmarks.write_pack(result, tmp_path / "pack.xlsx", actor="hq", signing_key=hq_key)
    assert read_benchmark_pack(path).signing_key == hq_key.fingerprint
    done = benchmarks.import_benchmark_pack(demo_db, path, branch="13", actor="planner")
    assert done.warnings == ()

    def forge(wb):  # the average of the first KPI, every seal recomputed; signature kept
        ws = wb[benchmark_pack.KPI_SHEET]
        ws.cell(2, 6).value = "99"
        manifest = wb[benchmark_pack.MANIFEST_SHEET]
        values = {manifest.cell(r, 1).value: manifest.cell(r, 2).value
                  for r in range(2, manifest.max_row + 1)}  # fmt: skip
        kpis, ranks = (
            [[c.value for c in row] for row in wb[sheet].iter_rows(min_row=2)]
            for sheet in (benchmark_pack.KPI_SHEET, benchmark_pack.RANK_SHEET)
        )
        content = [  # the pack's digest, as docs/workbook-format.md describes it
            [[k, values.get(k)] for k in benchmark_pack.MANIFEST_KEYS],
            [benchmark_pack.KPI_SHEET, list(benchmark_pack.KPI_COLUMNS), kpis],
            [benchmark_pack.RANK_SHEET, list(benchmark_pack.RANK_COLUMNS), ranks],
        ]
        text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        manifest.cell(manifest_line(manifest, "digest"), 2).value = digest

    _edit(path, forge)
    read_benchmark_pack(path)  # sound as a file
    with pytest.raises(UserError) as refused:
        benchmarks.import_benchmark_pack(demo_db, path, branch="13", actor="planner")
    assert "changed after it was signed" in refused.value.message("en")

    unsigned = benchmarks.write_pack(result, tmp_path / "unsigned.xlsx", actor="hq")
    assert benchmarks.import_benchmark_pack(demo_db, unsigned, branch="13", actor="p").warnings


def test_a_format_4_file_still_reads_and_verifies(hq: Path, tmp_path: Path):
    """Written by the PlanDesk before signatures (format 4, the full example): it reads
    and verifies as before; once HQ registers keys, it is refused for want of a
    signature (export it again from the branch database)."""
    path = Path(__file__).parents[1] / "workbooks" / "data" / "format4_submission.xlsx"
    data = read_workbook(path)
    assert data.manifest.format_version == 4 and not data.manifest.signature
    assert data.manifest.audit_head is None
    assert verify_file(path).ok
    assert verify_file(path, load_registry(tmp_path / "none")).ok
    assert "no signature" in _problems(path, hq)


def test_the_folder_tree_consolidation_checks_signatures_too(signed: Path, hq: Path, tmp_path):
    """`consolidate --all` (consolidation_tree) judges each file with HQ's registry like
    the one-folder scan: a signed file is counted, the same file under a key HQ never
    imported is refused for its signature."""
    from desktop.services.consolidation_tree import consolidate_tree

    (run,) = consolidate_tree(signed.parent, registry=load_registry(hq)).runs
    assert [f.status for f in run.board.files] == [FileStatus.VALID]
    other = tmp_path / "hq-other"
    signing_keys.create_key(tmp_path / "k14", "14", "another-passphrase", cost=FAST)
    signing_keys.export_public_key(tmp_path / "k14", tmp_path / "14.pub.json")
    key_registry.import_key(other, tmp_path / "14.pub.json")
    result = consolidate_tree(signed.parent, registry=load_registry(other))
    refused = [f for run in result.runs for f in run.board.files] + list(result.unplaced)
    assert [f.problem for f in refused] == [Problem.SIGNATURE]


def test_a_key_rotated_in_the_same_second_as_the_sign_off_keeps_the_file_valid(
    signed: Path, hq: Path, branch_keys: Path, tmp_path: Path, monkeypatch
):
    """The sign-off came first; a rotation within the same second must not make the key
    'replaced before the file was signed' (key times were cut to the second)."""
    signed_off = read_workbook(signed).manifest.signed_off_at
    assert signed_off is not None
    # The clock, set just after the sign-off (what a fast rotation on that PC reads).
    monkeypatch.setattr(signing_keys, "now_utc", lambda: signed_off + timedelta(microseconds=1))
    signing_keys.rotate_key(branch_keys, "the-new-passphrase", cost=FAST)
    signing_keys.export_public_key(branch_keys, tmp_path / "new.pub.json")
    key_registry.import_key(hq, tmp_path / "new.pub.json")
    assert verify_file(signed, load_registry(hq)).ok
