"""This PC's signing key: an Ed25519 key created here, kept encrypted in the data folder.

The private key never leaves the ``keys`` folder next to the database and is never
stored in clear: it is encrypted with AES-256-GCM under a key derived from the
branch head's passphrase with scrypt (cost recorded in the file, so a later
PlanDesk can raise it for new keys and still open old ones). The file's header —
branch, public key, when it was made, the KDF's parameters — is the encryption's
associated data: a header swapped from another file makes the passphrase "wrong".

Rotation makes a new key and keeps the old one (retired, still encrypted) so that
files signed before remain checkable on this PC; HQ keeps the old public key valid
for them in its registry (``key_registry``) unless it revokes it.

The KDF cost is a parameter: the product uses ``PRODUCT_COST``; tests pass a lower
cost explicitly (there is no switch to lower it anywhere else).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from desktop.domain.branches import BRANCHES, HQ_CODE
from desktop.domain.errors import Refused, UserError
from desktop.files import write_atomically
from desktop.store.repository import now_utc

KEY_FORMAT = "plandesk.signing-key/1"
PUBLIC_FORMAT = "plandesk.public-key/1"
KEY_FILE = "signing_key.json"
RETIRED = "retired"
MIN_PASSPHRASE = 8


@dataclass(frozen=True, slots=True)
class KdfCost:
    """scrypt's cost. n=2**17, r=8: 128 MiB and about half a second here: slow for
    someone guessing passphrases against a copied key file, quick for one sign-off."""

    n: int = 2**17
    r: int = 8
    p: int = 1


PRODUCT_COST = KdfCost()


class WrongPassphrase(Refused):
    """The passphrase does not open this PC's signing key."""


def keys_dir(database: Path) -> Path:
    """The signing key and the registry of public keys: a ``keys`` folder next to the
    database, in the local data folder."""
    return database.parent / "keys"


def fingerprint(public: bytes) -> str:
    """A public key's fingerprint: SHA-256 of its 32 raw bytes, in hex."""
    return hashlib.sha256(public).hexdigest()


def spoken(fp: str) -> str:
    """The fingerprint to read out on the telephone: its first 32 hex digits (128 bits)
    in eight groups of four, e.g. ``3fa2 91c0 …``."""
    head = fp[:32].upper()
    return " ".join(head[i : i + 4] for i in range(0, 32, 4))


@dataclass(frozen=True, slots=True)
class PublicKey:
    branch: str
    public: bytes  # the 32 raw bytes
    created_at: datetime

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public)

    def verifier(self) -> Ed25519PublicKey:
        return Ed25519PublicKey.from_public_bytes(self.public)


@dataclass(frozen=True, slots=True)
class SigningKey:
    """An unlocked key: held only as long as a sign-off takes."""

    branch: str
    private: Ed25519PrivateKey

    @property
    def public(self) -> bytes:
        return self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public)

    def sign(self, message: bytes) -> bytes:
        return self.private.sign(message)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _check_branch(branch: str) -> None:
    if branch != HQ_CODE and branch not in BRANCHES:
        raise UserError(
            f"支部コード「{branch}」は支部でも本部でもありません。",
            f"Branch code {branch!r} is neither a branch nor HQ.",
        )


def check_passphrase(passphrase: str) -> None:
    """A new passphrase: long enough to resist guessing against a copied key file."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise UserError(
            f"パスフレーズは {MIN_PASSPHRASE} 文字以上にしてください。鍵は作成していません。",
            f"The passphrase must have at least {MIN_PASSPHRASE} characters. No key was made.",
        )


def _kek(passphrase: str, salt: bytes, cost: KdfCost) -> bytes:
    return hashlib.scrypt(
        passphrase.encode("utf-8"),
        salt=salt,
        n=cost.n,
        r=cost.r,
        p=cost.p,
        maxmem=256 * cost.r * cost.n + (1 << 20),
        dklen=32,
    )


def _header(branch: str, public: bytes, created_at: datetime, salt: bytes, cost: KdfCost) -> dict:
    return {
        "format": KEY_FORMAT,
        "branch": branch,
        "public_key": _b64(public),
        "created_at": created_at.isoformat(),
        "kdf": {"name": "scrypt", "n": cost.n, "r": cost.r, "p": cost.p, "salt": _b64(salt)},
    }


def _associated(header: dict) -> bytes:
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _write_private(folder: Path, name: str, content: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(content, ensure_ascii=False, indent=1) + "\n"

    path = write_atomically(folder / name, lambda temp: temp.write_text(text, encoding="utf-8"))
    path.chmod(0o600)  # the key file is this user's alone (encrypted all the same)
    return path


def create_key(
    folder: Path, branch: str, passphrase: str, *, cost: KdfCost = PRODUCT_COST
) -> PublicKey:
    """Make this PC's signing key for ``branch`` under ``passphrase``; refused when a
    key exists already (``rotate_key`` replaces one)."""
    _check_branch(branch)
    if (folder / KEY_FILE).exists():
        raise UserError(
            "この PC には署名鍵がすでにあります（新しい鍵にするには鍵の更新を使います）。",
            "This PC has a signing key already (use key rotation to make a new one).",
        )
    return _make(folder, branch, passphrase, cost)


def _make(folder: Path, branch: str, passphrase: str, cost: KdfCost) -> PublicKey:
    check_passphrase(passphrase)
    private = Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    created = now_utc()  # to the microsecond: a sign-off in the same second comes before
    header = _header(branch, public, created, salt, cost)
    seed = private.private_bytes_raw()
    sealed = AESGCM(_kek(passphrase, salt, cost)).encrypt(nonce, seed, _associated(header))
    _write_private(folder, KEY_FILE, {**header, "nonce": _b64(nonce), "ciphertext": _b64(sealed)})
    return PublicKey(branch, public, created)


def rotate_key(
    folder: Path, passphrase: str, *, branch: str | None = None, cost: KdfCost = PRODUCT_COST
) -> tuple[PublicKey | None, PublicKey]:
    """A new signing key; the current one is kept as retired (files it signed stay
    checkable). No old passphrase is needed: a forgotten passphrase is exactly when a
    new key is made, and a new key counts only once HQ has confirmed and imported it.
    Returns (old, new)."""
    old = own_public_key(folder)
    branch = branch or (old.branch if old else "")
    _check_branch(branch)
    check_passphrase(passphrase)
    if old is not None:
        retired = folder / RETIRED
        retired.mkdir(parents=True, exist_ok=True)
        os.replace(folder / KEY_FILE, retired / f"{old.fingerprint}.json")
    return old, _make(folder, branch, passphrase, cost)


def _read(path: Path) -> dict:
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(content, dict) or content.get("format") != KEY_FORMAT:
            raise ValueError("format")
        return content
    except (OSError, ValueError) as exc:
        raise UserError(
            f"署名鍵のファイル「{path}」を読めません（壊れています）。",
            f"Cannot read the signing key file '{path}' (damaged).",
        ) from exc


def _public_of(content: dict) -> PublicKey:
    return PublicKey(
        content["branch"],
        _unb64(content["public_key"]),
        datetime.fromisoformat(content["created_at"]),
    )


def own_public_key(folder: Path) -> PublicKey | None:
    """This PC's current public key, or None when no key was made here."""
    path = folder / KEY_FILE
    if not path.exists():
        return None
    return _public_of(_read(path))


def own_public_keys(folder: Path) -> list[PublicKey]:
    """Every key this PC signed with: the current one and the retired ones."""
    keys = [k for k in [own_public_key(folder)] if k is not None]
    retired = folder / RETIRED
    if retired.is_dir():
        keys += [_public_of(_read(p)) for p in sorted(retired.glob("*.json"))]
    return keys


def unlock(folder: Path, passphrase: str) -> SigningKey:
    """This PC's signing key, opened with ``passphrase``; WrongPassphrase otherwise
    (nothing is changed either way)."""
    path = folder / KEY_FILE
    if not path.exists():
        raise UserError(
            "この PC には署名鍵がありません。先に署名鍵を作成してください"
            "（plandesk keys create、または決裁の画面で作成）。",
            "This PC has no signing key. Create one first (plandesk keys create, or at "
            "sign-off in the app).",
        )
    content = _read(path)
    try:
        kdf = content["kdf"]
        cost = KdfCost(int(kdf["n"]), int(kdf["r"]), int(kdf["p"]))
        salt = _unb64(kdf["salt"])
        header = _header(
            content["branch"],
            _unb64(content["public_key"]),
            datetime.fromisoformat(content["created_at"]),
            salt,
            cost,
        )
        nonce, sealed = _unb64(content["nonce"]), _unb64(content["ciphertext"])
    except (KeyError, TypeError, ValueError) as exc:
        raise UserError(
            f"署名鍵のファイル「{path}」を読めません（壊れています）。",
            f"Cannot read the signing key file '{path}' (damaged).",
        ) from exc
    try:
        seed = AESGCM(_kek(passphrase, salt, cost)).decrypt(nonce, sealed, _associated(header))
    except InvalidTag:
        raise WrongPassphrase(
            "パスフレーズが違います。署名鍵を開けませんでした。何も変更していません。",
            "Wrong passphrase: the signing key did not open. Nothing was changed.",
        ) from None
    private = Ed25519PrivateKey.from_private_bytes(seed)
    key = SigningKey(content["branch"], private)
    if key.public != _unb64(content["public_key"]):
        raise UserError(
            f"署名鍵のファイル「{path}」が壊れています。",
            f"The signing key file '{path}' is damaged.",
        )
    return key


def public_key_document(key: PublicKey) -> str:
    """The public key file a branch sends HQ (JSON, UTF-8)."""
    return (
        json.dumps(
            {
                "format": PUBLIC_FORMAT,
                "branch": key.branch,
                "public_key": _b64(key.public),
                "fingerprint": key.fingerprint,
                "created_at": key.created_at.isoformat(),
            },
            ensure_ascii=False,
            indent=1,
        )
        + "\n"
    )


def export_public_key(folder: Path, out: Path) -> PublicKey:
    """Write this PC's public key to ``out`` (a file, or a folder to put it in)."""
    key = own_public_key(folder)
    if key is None:
        raise UserError(
            "この PC には署名鍵がありません（plandesk keys create で作成します）。",
            "This PC has no signing key (make one with plandesk keys create).",
        )
    if out.is_dir():
        out = out / f"plandesk_{key.branch}_{key.fingerprint[:8]}.pub.json"
    text = public_key_document(key)
    write_atomically(out, lambda temp: temp.write_text(text, encoding="utf-8"))
    return key


def read_public_key_file(path: Path) -> PublicKey:
    """A public key file as a branch (or HQ) exported it; UserError when it is not one."""
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(content, dict) or content.get("format") != PUBLIC_FORMAT:
            raise ValueError("format")
        key = PublicKey(
            str(content["branch"]),
            _unb64(content["public_key"]),
            datetime.fromisoformat(content["created_at"]),
        )
        Ed25519PublicKey.from_public_bytes(key.public)
        if content.get("fingerprint") not in (None, key.fingerprint):
            raise ValueError("fingerprint")
    except (OSError, KeyError, TypeError, ValueError) as exc:
        raise UserError(
            f"「{path.name}」は PlanDesk の公開鍵ファイルではないか、壊れています。",
            f"'{path.name}' is not a PlanDesk public key file, or it is damaged.",
        ) from exc
    _check_branch(key.branch)
    return key
