"""Signing a branch's submission at sign-off.

The branch head's passphrase opens this PC's signing key first (a wrong one changes
nothing); then the report is signed off as before (``review.sign_off``) and the
submission is signed: its digest is computed from what the submission file will
hold — the hidden data and what the printed sheets show, with the file's author and
time fixed to the sign-off's — and signed together with branch, year, period,
signer and the audit head (the sign-off's own audit entry). The signature and what
the file must say to match it are kept as an audit entry (``sign_submission``), so
every later export of the submission writes the same, signed file.

If that file would differ (a newer PlanDesk lays its pages out differently, or the
report changed after sign-off), export refuses and says to sign again
(``sign_again``: the review screen's "Sign the submission…", the export dialog's
offer, ``plandesk keys sign``). A report signed off before this PC had a key, or
signed with a key since rotated, is signed the same way; ``signing_state`` says
whether it needs it — including a signature by the current key that no longer fits
the file, found by laying the file out once (≈20 ms for the demo plan).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.errors import Refused, UserError
from desktop.domain.model import ReportRef
from desktop.domain.review import check_sign_off
from desktop.services import review
from desktop.services.changes import Changes, SubmissionSigned
from desktop.services.export import prepare_export
from desktop.services.signature_records import SIGN_ACTION, SignatureRecord, signature_record
from desktop.services.signatures import sign
from desktop.services.signing_keys import (
    KdfCost,
    SigningKey,
    check_passphrase,
    create_key,
    own_public_key,
    unlock,
)
from desktop.store import audit
from desktop.store.database import Database
from desktop.store.models import AuditRow
from desktop.store.repository import now_utc
from desktop.workbooks import print_sheets
from desktop.workbooks.machine import Kind, WorkbookData
from desktop.workbooks.seals import with_digest


def _audit_points(session: Session, ref: ReportRef) -> tuple[str, str]:
    """The sign-off's own audit entry ("id:hash"), and every earlier sign-off's entry
    of this database as the chain holds it now."""
    sign_offs = list(
        session.scalars(select(AuditRow).where(AuditRow.action == "sign_off").order_by(AuditRow.id))
    )
    own = [r for r in sign_offs if r.entity_key == ref.key]
    if not own:
        raise UserError(
            "決裁の記録が変更履歴にないため、署名できません。",
            "The sign-off is not in the audit log: it cannot be signed.",
        )
    head = own[-1]
    earlier = " ".join(f"{r.id}:{r.hash}" for r in sign_offs if r.id < head.id)
    return f"{head.id}:{head.hash}", earlier


def signed_submission(db: Database, ref: ReportRef, key: SigningKey) -> tuple[WorkbookData, str]:
    """The submission as its file will hold it, signed with ``key``; and the
    audit points it names."""
    signer = review.signed_off(db, ref)
    if signer is None:
        raise Refused(
            "この報告はまだ決裁されていないため、署名できません。",
            "The report is not signed off yet: there is nothing to sign.",
        )
    if key.branch != ref.branch:
        raise Refused(
            f"この PC の署名鍵は支部 {key.branch} のものです（報告は支部 {ref.branch}）。",
            f"This PC's signing key is branch {key.branch}'s (the report is branch "
            f"{ref.branch}'s).",
        )
    with db.read() as session:
        head, earlier = _audit_points(session, ref)
    prepared = prepare_export(
        db,
        branch=ref.branch,
        fiscal_year=ref.fiscal_year,
        kind=Kind.SUBMISSION,
        actor=signer.signed_by,
        period=ref.period,
        sections=(),
        pinned=False,
    )
    data = prepared.data
    manifest = replace(
        data.manifest,
        created_at=signer.signed_at,
        audit_head=head,
        audit_checkpoints=earlier or None,
    )
    data = replace(data, manifest=manifest)
    data = with_digest(data, print_sheets.seal_rows(print_sheets.build_pages(data)))
    return replace(data, manifest=sign(data.manifest, key)), head


def sign_submission(db: Database, ref: ReportRef, *, key: SigningKey, login: str) -> Changes:
    """Sign the signed-off report's submission with ``key`` (again, when it was signed
    before: the latest signature counts)."""
    data, _head = signed_submission(db, ref, key)
    m = data.manifest
    record = SignatureRecord(
        digest=m.digest,
        signature=m.signature,
        signing_key=m.signing_key,
        audit_head=m.audit_head or "",
        audit_checkpoints=m.audit_checkpoints,
        created_at=m.created_at,
        created_by=m.created_by,
        created_name=m.created_name,
        signed_off_name=m.signed_off_name,
        app_version=m.app_version,
    )
    stamp = now_utc()
    with db.write() as session:
        audit.append(
            session,
            at=stamp,
            actor=login,
            action=SIGN_ACTION,
            entity="report",
            entity_key=ref.key,
            field="signature",
            new=record.to_json(),
        )
    return Changes.of_records([SubmissionSigned(ref, key.fingerprint, login, stamp)])


@dataclass(frozen=True, slots=True)
class SigningState:
    """Whose key signed the report's submission, against this PC's current key."""

    signed_with: str | None  # the latest signature's key fingerprint; None: never signed
    current_key: str | None  # this PC's current key fingerprint; None: no key here yet
    # The current key's signature no longer fits the file export writes today (a later
    # PlanDesk lays the pages out differently): export refuses until it is signed again.
    # Only looked at when the current key signed it (otherwise it needs signing anyway).
    outdated: bool = False

    @property
    def needs_signing(self) -> bool:
        """No signature by this PC's current key that fits the file (never signed,
        signed before the key was made, with a key since rotated, or for a file laid
        out differently): sign it (again) before sending it."""
        return self.current_key is None or self.signed_with != self.current_key or self.outdated


def signing_state(db: Database, ref: ReportRef, keys: Path) -> SigningState:
    """What the review screen shows of the submission's signature (no key is opened).
    When this PC's current key signed it, the file is laid out once to see whether the
    signature still fits (``signature_fits``)."""
    record = signature_record(db, ref)
    own = own_public_key(keys)
    current = own.fingerprint if own is not None else None
    signed_with = record.signing_key if record is not None else None
    outdated = (
        record is not None
        and signed_with == current
        and review.signed_off(db, ref) is not None
        and not signature_fits(db, ref)
    )
    return SigningState(signed_with, current, outdated)


def signature_fits(db: Database, ref: ReportRef) -> bool:
    """Whether the submission export would write today has the digest its latest
    signature signed — what ``SignatureRecord.signer`` checks as the file is written,
    without writing it (the pages are laid out and sealed: ≈20 ms for the demo plan).
    True when there is no signature (nothing to fit); the report must be signed off."""
    prepared = prepare_export(
        db,
        branch=ref.branch,
        fiscal_year=ref.fiscal_year,
        kind=Kind.SUBMISSION,
        actor="",  # the signature pins who wrote the file
        period=ref.period,
        sections=(),
    )
    if prepared.signature is None:
        return True
    data = with_digest(
        prepared.data, print_sheets.seal_rows(print_sheets.build_pages(prepared.data))
    )
    return data.manifest.digest == prepared.signature.digest


def _open_key(ref: ReportRef, keys: Path, passphrase: str, create: KdfCost | None) -> SigningKey:
    """This PC's key for ``ref``'s branch, opened with ``passphrase`` (made under it
    first when ``create``). A wrong passphrase or another branch's key: Refused,
    nothing written."""
    if create is not None:
        check_passphrase(passphrase)
        create_key(keys, ref.branch, passphrase, cost=create)
    key = unlock(keys, passphrase)
    if key.branch != ref.branch:
        raise Refused(
            f"この PC の署名鍵は支部 {key.branch} のものです（報告は支部 {ref.branch}）。"
            "何も変更していません。",
            f"This PC's signing key is branch {key.branch}'s (the report is branch "
            f"{ref.branch}'s). Nothing was changed.",
        )
    return key


def sign_again(
    db: Database,
    ref: ReportRef,
    *,
    login: str,
    passphrase: str,
    keys: Path,
    create: KdfCost | None = None,
) -> Changes:
    """Sign an already signed-off report's submission with this PC's current key (the
    latest signature counts): also when that key signed it before and the signature no
    longer fits the file (export refused with ``SignAgain``) — the file is laid out
    afresh and signed as it is written today. ``create``: this PC has no key yet; it
    is made under ``passphrase`` at that cost — only once the report is known to be
    signed off, so that a refusal leaves no key behind. A wrong passphrase changes
    nothing."""
    if review.signed_off(db, ref) is None:
        raise Refused(
            "この報告はまだ決裁されていないため、署名できません。",
            "The report is not signed off yet: there is nothing to sign.",
        )
    key = _open_key(ref, keys, passphrase, create)
    return sign_submission(db, ref, key=key, login=login)


def sign_off_and_sign(
    db: Database,
    ref: ReportRef,
    *,
    login: str,
    password: str,
    passphrase: str,
    keys: Path,
    create: KdfCost | None = None,
) -> Changes:
    """The branch head's sign-off with the signature: the passphrase is checked before
    anything is written (a wrong one: nothing changed). ``create``: this PC has no key
    yet; the branch head's password and the rules are checked, then the key is made
    under ``passphrase`` at that cost (``signing_keys.PRODUCT_COST`` in PlanDesk)."""
    if create is not None:
        user = review.authenticate(db, login, password)
        plan = review.get_plan(db, ref.branch, ref.fiscal_year)
        titles = {n.key: n.display_title for n in plan.nodes}
        check_sign_off(user, review.section_states(db, ref, plan), titles)
    key = _open_key(ref, keys, passphrase, create)
    changes = review.sign_off(db, ref, login=login, password=password)
    return changes + sign_submission(db, ref, key=key, login=login)
