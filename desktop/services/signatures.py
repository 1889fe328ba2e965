"""Signatures on workbooks, and whether a branch's audit chain carries on from file to file.

A signed file's manifest holds, after its digest (which covers the hidden data,
what the printed sheets show and every other manifest key), an Ed25519 signature
and the fingerprint of the key that made it. What is signed is a short statement
that names the digest and, in so many words, the kind, branch, fiscal year,
period, signer, time of signing and the audit head — so a file changed after
signing fails even when its digest was recomputed, and a signature cannot be
carried over to another branch's or year's file.

Who may sign what is the registry's business (``key_registry``): the key must be
registered, for the branch the file names, and not revoked when the file was
signed. The trust model is in docs/TRUST.md.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from desktop.domain.branches import HQ_CODE
from desktop.domain.text import Text
from desktop.services.key_registry import Registry
from desktop.services.signing_keys import SigningKey, spoken
from desktop.workbooks.benchmark_pack import BenchmarkPack
from desktop.workbooks.machine import Kind, Manifest
from desktop.workbooks.national_seal import NationalSeal, read_seal

SIGNATURE_FORMAT = "plandesk.signature/1"


# What carries a signature: a workbook's manifest, HQ's benchmark pack, or the seal of
# HQ's national workbook.
Signed = TypeVar("Signed", Manifest, BenchmarkPack, NationalSeal)
HqFile = BenchmarkPack | NationalSeal


def signed_at(m: Manifest | HqFile) -> datetime:
    """When a file was signed: a submission at its sign-off, HQ's files when written."""
    if isinstance(m, Manifest) and m.kind is Kind.SUBMISSION and m.signed_off_at is not None:
        return m.signed_off_at
    return m.created_at


def _claims(m: Manifest | HqFile) -> dict[str, object]:
    """What the file says of itself, as signed (besides the digest)."""
    if isinstance(m, HqFile):  # HQ's, for every branch
        kind = "benchmarks" if isinstance(m, BenchmarkPack) else "national"
        return {"kind": kind, "branch": HQ_CODE, "fiscal_year": m.fiscal_year,
                "period": m.period.value, "signer": m.created_by, "audit_head": ""}  # fmt: skip
    return {
        "kind": m.kind.value,
        "branch": m.branch,
        "fiscal_year": m.fiscal_year,
        "period": m.period.value if m.period else None,
        "signer": (m.signed_off_by or "") if m.kind is Kind.SUBMISSION else m.created_by,
        "audit_head": m.audit_head or "",
    }


def _branch(m: Manifest | HqFile) -> str:
    return HQ_CODE if isinstance(m, HqFile) else m.branch


def statement(m: Manifest | HqFile, key_fingerprint: str) -> bytes:
    """What the signature signs (canonical JSON, UTF-8)."""
    body = {
        "format": SIGNATURE_FORMAT,
        **_claims(m),
        "digest": m.digest,
        "signed_at": signed_at(m).isoformat(timespec="microseconds"),
        "key": key_fingerprint,
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def sign(m: Signed, key: SigningKey) -> Signed:
    """``m`` (with its digest) signed with ``key``."""
    assert m.digest, "sign the digest: compute it first"
    signature = key.sign(statement(m, key.fingerprint))
    return replace(
        m, signature=base64.b64encode(signature).decode("ascii"), signing_key=key.fingerprint
    )


@dataclass(frozen=True, slots=True)
class SignatureCheck:
    ok: bool
    problem: Text | None = None
    notes: tuple[Text, ...] = ()


def _day(at: datetime) -> str:
    return at.astimezone().strftime("%Y-%m-%d %H:%M")


def check_signature(
    m: Manifest | HqFile, registry: Registry, *, unsigned_ok: bool = False
) -> SignatureCheck:
    """The file's signature against the registry. Once this PC trusts any key, a
    missing signature or an unknown key is a refusal (``unsigned_ok``: files from
    before signing — HQ's templates — pass with a note)."""
    if not m.signature:
        if registry.enforcing and not unsigned_ok:
            return SignatureCheck(
                False,
                Text(
                    "電子署名がありません（署名のない提出版は受け付けません）。",
                    "The file has no signature (unsigned submissions are not accepted).",
                ),
            )
        # Why it passes: a file kind that may come unsigned (a template from before
        # signing), or a PC that has registered no public key yet.
        why = (
            Text("署名のないものも受け付ける種類のファイルです", "a kind of file accepted unsigned")
            if unsigned_ok
            else Text(
                "この PC はまだ公開鍵を登録していないため、署名のないファイルも受け付けています",
                "this PC has registered no public key yet, so it accepts unsigned files",
            )
        )
        return SignatureCheck(
            True,
            notes=(
                Text(
                    f"電子署名のないファイルです（{why.ja}）。作成者を別の方法で確認してください。",
                    f"The file is not signed ({why.en}): confirm who wrote it another way.",
                ),
            ),
        )
    entry = registry.find(m.signing_key)
    if entry is None:
        unknown = Text(
            f"署名した鍵（指紋 {spoken(m.signing_key)}）はこの PC に登録されていません。",
            f"The key that signed it (fingerprint {spoken(m.signing_key)}) is not "
            "registered on this PC.",
        )
        if registry.enforcing:
            return SignatureCheck(False, unknown)
        return SignatureCheck(
            True,
            notes=(unknown + Text("署名は確認していません。", " The signature was not checked."),),
        )
    branch = _branch(m)
    if entry.branch != branch:
        return SignatureCheck(
            False,
            Text(
                f"支部 {branch} のファイルですが、支部 {entry.branch} の鍵で署名されています。",
                f"A file of branch {branch} signed with the key of branch {entry.branch}.",
            ),
        )
    if not _verifies(entry.key.public, m.signature, statement(m, m.signing_key)):
        return SignatureCheck(
            False,
            Text(
                "署名の後に書き換えられています（電子署名が内容と一致しません）。",
                "The file was changed after it was signed (the signature does not match).",
            ),
        )
    when = signed_at(m)
    if entry.revoked_at is not None:
        if entry.replaced_by:
            ja_what, en_what = "新しい鍵に更新された", "replaced by a newer key"
        else:
            ja_what, en_what = "失効した", "revoked"
        if when >= entry.revoked_at:
            return SignatureCheck(
                False,
                Text(
                    f"{_day(entry.revoked_at)} に{ja_what}鍵で、その後（{_day(when)}）に署名されています。",
                    f"Signed ({_day(when)}) with a key {en_what} on {_day(entry.revoked_at)}.",
                ),
            )
        return SignatureCheck(
            True,
            notes=(
                Text(
                    f"署名した鍵は {_day(entry.revoked_at)} に{ja_what}ものですが、"
                    f"署名（{_day(when)}）はそれより前のため有効です。",
                    f"The signing key was {en_what} on {_day(entry.revoked_at)}; the file was "
                    f"signed before that ({_day(when)}), so it is valid.",
                ),
            ),
        )
    return SignatureCheck(True)


def check_national_workbook(path: Path, registry: Registry) -> SignatureCheck:
    """A national workbook's seal against what it holds now and HQ's key in
    ``registry``: unsigned, changed after signing, or signed by another key are
    refused; UserError when it is no sound workbook."""
    seal, digest = read_seal(path)
    return check_seal(seal, digest, registry)


def check_seal(seal: NationalSeal | None, digest: str, registry: Registry) -> SignatureCheck:
    """A national workbook's seal (None: the file has none) against ``digest``, that of
    what the file holds now, and HQ's key in ``registry``."""
    if seal is None:
        return SignatureCheck(
            False,
            Text(
                "電子署名がありません（署名なしで書き出された全国集計です）。本部が作成し、"
                "その後書き換えられていないことを確かめられません。署名付きで書き出し直して"
                "ください（plandesk consolidate … --sign）。",
                "The file has no signature (the national workbook was written unsigned): "
                "nothing shows that HQ wrote it and that it was not changed since. Write it "
                "again signed (plandesk consolidate … --sign).",
            ),
        )
    if seal.digest != digest:
        return SignatureCheck(
            False,
            Text(
                "署名の後に書き換えられています（セルの値が署名した時と異なります）。",
                "The file was changed after it was signed (its cells differ from what was signed).",
            ),
        )
    return check_signature(seal, registry)


def vouches_for(m: Manifest, registry: Registry | None) -> bool:
    """Whether ``m``'s signature, checked against ``registry``, vouches for the file's
    sealed record of its printed pages, so that the reader need not lay the pages out
    again from the data (docs/TRUST.md, "A valid signature stands in …"): the key is
    registered for the file's branch, neither revoked nor replaced, and the signature
    verifies. Call it only on a manifest whose digest matched the file's data."""
    if registry is None or not m.signature or not m.signing_key or not m.digest:
        return False
    entry = registry.find(m.signing_key)
    if entry is None or entry.revoked_at is not None or entry.branch != _branch(m):
        return False
    return _verifies(entry.key.public, m.signature, statement(m, m.signing_key))


@functools.lru_cache(maxsize=256)
def _verifies(public: bytes, signature: str, message: bytes) -> bool:
    """Whether ``signature`` (base64) is the key's over ``message``. Remembered: the
    reader asks (``vouches_for``) and the verdict asks again (``check_signature``)."""
    try:
        raw = base64.b64decode(signature.encode("ascii"), validate=True)
        Ed25519PublicKey.from_public_bytes(public).verify(raw, message)
    except (InvalidSignature, binascii.Error, ValueError, UnicodeEncodeError):
        return False
    return True


# --- the audit chain from one file to the next ----------------------------------------


def _entries(text: str | None) -> dict[int, str]:
    out: dict[int, str] = {}
    for token in (text or "").split():
        number, _, value = token.partition(":")
        if number.isdigit() and value:
            out[int(number)] = value
    return out


def head_of(m: Manifest) -> tuple[int, str] | None:
    entries = _entries(m.audit_head)
    return next(iter(entries.items())) if len(entries) == 1 else None


@dataclass(frozen=True, slots=True)
class ChainBreak:
    """A later file of a branch whose audit chain does not carry the earlier file's head."""

    earlier: str  # file names
    later: str

    def text(self) -> Text:
        return Text(
            f"「{self.later}」の変更履歴は、先に提出された「{self.earlier}」の決裁時の履歴を"
            "引き継いでいません（履歴が書き換えられたか、古いバックアップから戻されています）。",
            f"The audit chain of '{self.later}' does not extend the one '{self.earlier}' was "
            "signed with (its history was rewritten, or the database was restored from an "
            "earlier backup).",
        )


def chain_breaks(files: Sequence[tuple[str, Manifest]]) -> list[ChainBreak]:
    """For each branch, every pair of signed files (earlier, later by signing time)
    whose later file's chain lacks the earlier file's audit head."""
    by_branch: dict[str, list[tuple[str, Manifest]]] = {}
    for name, m in files:
        if m.signature and head_of(m) is not None:
            by_branch.setdefault(m.branch, []).append((name, m))
    breaks = []
    for own in by_branch.values():
        own.sort(key=lambda f: signed_at(f[1]))
        for i, (later_name, later) in enumerate(own):
            later_head = head_of(later)
            assert later_head is not None
            chain = _entries(later.audit_checkpoints) | dict([later_head])
            for earlier_name, earlier in own[:i]:
                number, value = head_of(earlier)  # type: ignore[misc]
                if chain.get(number) != value:
                    breaks.append(ChainBreak(earlier_name, later_name))
    return breaks
