"""Signing a signed-off report's submission again (``submission_signing.sign_again``,
what the review tab's "Sign the submission…" runs): refused before anything is made
or written when there is nothing to sign; the state the tab shows."""

from __future__ import annotations

import pytest

from desktop.domain.errors import Refused
from desktop.services import signing_keys, submission_signing
from desktop.services.signature_records import signature_record
from desktop.services.signing_keys import KdfCost, WrongPassphrase
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
