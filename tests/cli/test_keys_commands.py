"""`plandesk keys …`, signed sign-off and `verify` against HQ's registry, as a branch
and HQ would type them (issue 17 item 1). The scrypt cost is lowered for the test
with the hidden --scrypt-log-n option; PlanDesk's own default is 17."""

from __future__ import annotations

from pathlib import Path

from desktop.services import review
from desktop.store.database import open_database
from tests.cli.helpers import REF, REPORT

FAST = ["--scrypt-log-n", "10"]


def _approved(db: Path) -> None:
    with open_database(db) as database:
        states = review.section_states(database, REF)
        keys = [k for k, s in states.items() if not s.settled]
        review.submit(database, REF, keys, login="sato")
        review.approve(database, REF, keys, login="tanaka", password="head-pass")


def test_a_branch_signs_and_hq_checks(cli, people_db: Path, tmp_path: Path):
    branch = ["--db", people_db]
    hq = ["--db", tmp_path / "hq" / "hq.sqlite3"]
    made = cli("keys", "create", "--branch", "13", *branch, "--password-stdin", *FAST,
               stdin="branch-passphrase\n")  # fmt: skip
    assert made.code == 0, made.err
    fingerprint = made.out.split("電話で読み上げて確認）: ")[1].split("\n")[0]
    assert len(fingerprint.split()) == 8

    _approved(people_db)
    sign_off = ["review", *branch, "sign-off", *REPORT, "--as", "tanaka", "--password-stdin"]
    wrong = cli(*sign_off, stdin="head-pass\nnot-the-passphrase\n")
    assert wrong.code == 2 and "パスフレーズが違います" in wrong.err, wrong.err
    with open_database(people_db) as database:
        assert review.signed_off(database, REF) is None  # nothing changed
    signed = cli(*sign_off, stdin="head-pass\nbranch-passphrase\n")
    assert signed.code == 0, signed.err

    share = tmp_path / "share"
    share.mkdir()
    assert cli("export", *branch, *REPORT, "--kind", "submission", "--out", share).code == 0
    (submission,) = share.glob("*.xlsx")
    exported = cli("keys", "export", tmp_path / "13.pub.json", *branch)
    assert exported.code == 0 and fingerprint in exported.out

    # HQ: before any key is registered, the signature is not checked (and it says so).
    unchecked = cli("verify", submission, *hq)
    assert unchecked.code == 0 and "電子署名は確認していません" in unchecked.out
    imported = cli("keys", "import", tmp_path / "13.pub.json", *hq)
    assert imported.code == 0 and fingerprint in imported.out
    listed = cli("keys", "list", *hq)
    assert fingerprint in listed.out and "13" in listed.out
    verified = cli("verify", submission, *hq)
    assert verified.code == 0, verified.err
    assert fingerprint in verified.out and "検証: 正常です" in verified.out

    revoked = cli("keys", "revoke", fingerprint[:9], "--at", "2000-01-01T00:00", *hq)
    assert revoked.code == 0, revoked.err
    refused = cli("verify", submission, *hq, "--lang", "en")
    assert refused.code == 1 and "revoked" in refused.err
