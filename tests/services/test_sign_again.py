"""Signing a signed-off report's submission again (``submission_signing.sign_again``,
what the review tab's "Sign the submission…" and the export dialog's offer run):
refused before anything is made or written when there is nothing to sign; accepted
when this PC's key signed it but the signature no longer fits the file; the state the
tab shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.domain.errors import Refused
from desktop.services import audit_trail, key_registry, signing_keys, submission_signing
from desktop.services.export import export_workbook
from desktop.services.key_registry import load_registry
from desktop.services.signature_records import SIGN_ACTION, SignAgain, signature_record
from desktop.services.signing_keys import KdfCost, WrongPassphrase
from desktop.services.verify import verify_file
from desktop.store import audit
from desktop.workbooks.machine import PRINT_LAYOUT, Kind
from tests.helpers.older_layout import older_plandesk
from tests.helpers.reports import REF, sign_off_all

FAST = KdfCost(n=2**10)  # scrypt's cost for tests


def test_nothing_signed_off_makes_no_key_and_writes_nothing(demo_db):
    sign_off_all(demo_db, REF, sign=False)
    keys = signing_keys.keys_dir(demo_db.path)
    with pytest.raises(Refused, match="not signed off"):
        submission_signing.sign_again(
            demo_db, REF, login="head", passphrase="a-passphrase", keys=keys, create=FAST
        )
    assert signing_keys.own_public_key(keys) is None  # the key is made only to sign
    assert signature_record(demo_db, REF) is None


def test_the_state_follows_the_key_and_a_wrong_passphrase_changes_nothing(demo_db):
    sign_off_all(demo_db, REF, sign=True)
    keys = signing_keys.keys_dir(demo_db.path)
    state = submission_signing.signing_state(demo_db, REF, keys)
    assert state == submission_signing.SigningState(None, None) and state.needs_signing
    key = signing_keys.create_key(keys, "13", "right-passphrase", cost=FAST)
    assert submission_signing.signing_state(demo_db, REF, keys).needs_signing
    with pytest.raises(WrongPassphrase):
        submission_signing.sign_again(demo_db, REF, login="head", passphrase="wrong", keys=keys)
    assert signature_record(demo_db, REF) is None
    submission_signing.sign_again(
        demo_db, REF, login="head", passphrase="right-passphrase", keys=keys
    )
    state = submission_signing.signing_state(demo_db, REF, keys)
    assert state.signed_with == state.current_key == key.fingerprint
    assert not state.needs_signing
    _old, new = signing_keys.rotate_key(keys, "next-passphrase", cost=FAST)
    state = submission_signing.signing_state(demo_db, REF, keys)
    assert state.signed_with == key.fingerprint and state.current_key == new.fingerprint
    assert state.needs_signing


def test_another_branchs_key_is_refused(demo_db):
    sign_off_all(demo_db, REF, sign=True)
    keys = signing_keys.keys_dir(demo_db.path)
    signing_keys.create_key(keys, "27", "osaka-passphrase", cost=FAST)
    with pytest.raises(Refused, match="branch 27"):
        submission_signing.sign_again(
            demo_db, REF, login="head", passphrase="osaka-passphrase", keys=keys
        )
    assert signature_record(demo_db, REF) is None


def test_a_signature_an_update_no_longer_fits_is_signed_again_and_exported(demo_db, tmp_path):
    """The stored signature is a real one by this PC's current key, made by the real
    signing code while the submission was laid out as an older PlanDesk laid it out
    (print layout 2: ``tests/helpers/older_layout.py`` says why that is honest). Today's
    file prints as layout 3, so its digest is not the one signed: the state says so
    without opening the key, export refuses and writes nothing, and ``sign_again``
    signs the file as written today — one audit entry, one change record — after
    which export writes a file HQ's registry accepts."""
    sign_off_all(demo_db, REF, sign=True)
    keys = signing_keys.keys_dir(demo_db.path)
    key = signing_keys.create_key(keys, "13", "right-passphrase", cost=FAST)
    with older_plandesk():
        submission_signing.sign_again(
            demo_db, REF, login="head", passphrase="right-passphrase", keys=keys
        )
    state = submission_signing.signing_state(demo_db, REF, keys)
    assert state.signed_with == state.current_key == key.fingerprint
    assert state.outdated and state.needs_signing
    out = tmp_path / "share"
    out.mkdir()
    with pytest.raises(SignAgain):
        _export(demo_db, out)
    assert list(out.iterdir()) == []

    before = _signatures(demo_db)
    with pytest.raises(WrongPassphrase):
        submission_signing.sign_again(demo_db, REF, login="head", passphrase="wrong", keys=keys)
    assert _signatures(demo_db) == before
    changes = submission_signing.sign_again(
        demo_db, REF, login="head", passphrase="right-passphrase", keys=keys
    )
    assert [r.key for r in changes.records] == [key.fingerprint]
    assert _signatures(demo_db) == before + 1
    assert not submission_signing.signing_state(demo_db, REF, keys).needs_signing

    written = _export(demo_db, out)
    hq = tmp_path / "hq" / "keys"
    signing_keys.export_public_key(keys, tmp_path / "13.pub.json")
    key_registry.import_key(hq, tmp_path / "13.pub.json")
    verdict = verify_file(written, load_registry(hq))
    assert verdict.ok, verdict.problems_en
    m = verdict.data.manifest
    assert m.signing_key == key.fingerprint and m.print_layout == PRINT_LAYOUT
    with demo_db.read() as session:
        assert audit.verify_chain(session)[1] is None


def test_a_fitting_signature_is_not_outdated(demo_db):
    """Signed as PlanDesk writes the file today: nothing to sign again (the layout the
    state lays out is the one export writes)."""
    sign_off_all(demo_db, REF, sign=True)
    keys = signing_keys.keys_dir(demo_db.path)
    signing_keys.create_key(keys, "13", "right-passphrase", cost=FAST)
    submission_signing.sign_again(
        demo_db, REF, login="head", passphrase="right-passphrase", keys=keys
    )
    state = submission_signing.signing_state(demo_db, REF, keys)
    assert not state.outdated and not state.needs_signing
    assert submission_signing.signature_fits(demo_db, REF)


def _export(db, out: Path) -> Path:
    return export_workbook(
        db, branch=REF.branch, fiscal_year=REF.fiscal_year, period=REF.period,
        kind=Kind.SUBMISSION, out=out, actor="staff",
    ).path  # fmt: skip


def _signatures(db) -> int:
    return sum(1 for e in audit_trail.entries(db) if e.action == SIGN_ACTION)
