"""The registry of public keys this PC trusts: at HQ the branches' keys, at a branch
HQ's key. One JSON file in the ``keys`` folder of the local data folder, written
atomically; it is never read from the shared drive.

A key is imported from the file its owner exported, after its fingerprint was
confirmed by telephone. A branch may have several keys (rotation: the old one stays
valid for what it signed); a revoked key is refused for what it signed at or after
the revocation, and what it signed before stays valid with a note.

``trusted_keys`` adds this PC's own keys (current and retired) to the registry: a
branch verifies its own submissions, HQ its own templates.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from desktop.domain.errors import UserError
from desktop.files import write_atomically
from desktop.services.signing_keys import (
    PublicKey,
    own_public_keys,
    read_public_key_file,
)
from desktop.store.repository import now_utc

REGISTRY_FORMAT = "plandesk.key-registry/1"
REGISTRY_FILE = "registry.json"


@dataclass(frozen=True, slots=True)
class RegisteredKey:
    key: PublicKey
    imported_at: datetime
    revoked_at: datetime | None = None
    # Rotation: the fingerprint of the branch's next key, whose creation ends this
    # key's validity (``revoked_at`` then says when) — a replacement, not a compromise.
    replaced_by: str | None = None
    own: bool = False  # this PC's own key (not in the file)

    @property
    def fingerprint(self) -> str:
        return self.key.fingerprint

    @property
    def branch(self) -> str:
        return self.key.branch


@dataclass(frozen=True, slots=True)
class Registry:
    keys: tuple[RegisteredKey, ...] = ()

    def find(self, fp: str) -> RegisteredKey | None:
        return next((k for k in self.keys if k.fingerprint == fp), None)

    def of_branch(self, branch: str) -> list[RegisteredKey]:
        return [k for k in self.keys if k.branch == branch]

    @property
    def enforcing(self) -> bool:
        """Signatures are required once this PC trusts any key: before that (a PC that
        never imported one) files are checked as before, with a note."""
        return any(not k.own for k in self.keys)


def _path(folder: Path) -> Path:
    return folder / REGISTRY_FILE


def _stamp(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def load_registry(folder: Path) -> Registry:
    """The imported keys (an empty registry when none was imported yet)."""
    path = _path(folder)
    if not path.exists():
        return Registry()
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(content, dict) or content.get("format") != REGISTRY_FORMAT:
            raise ValueError("format")
        keys = tuple(
            RegisteredKey(
                PublicKey(
                    str(item["branch"]),
                    base64.b64decode(item["public_key"], validate=True),
                    datetime.fromisoformat(item["created_at"]),
                ),
                datetime.fromisoformat(item["imported_at"]),
                _stamp(item.get("revoked_at")),
                item.get("replaced_by"),
            )
            for item in content["keys"]
        )
    except (OSError, KeyError, TypeError, ValueError) as exc:
        raise UserError(
            f"公開鍵の登録簿「{path}」を読めません（壊れています）。",
            f"Cannot read the registry of public keys '{path}' (damaged).",
        ) from exc
    return Registry(keys)


def trusted_keys(folder: Path) -> Registry:
    """The registry with this PC's own keys added."""
    registry = load_registry(folder)
    known = {k.fingerprint for k in registry.keys}
    own = tuple(
        RegisteredKey(k, k.created_at, own=True)
        for k in own_public_keys(folder)
        if k.fingerprint not in known
    )
    return Registry(registry.keys + own)


def _save(folder: Path, registry: Registry) -> None:
    items = [
        {
            "branch": k.branch,
            "public_key": base64.b64encode(k.key.public).decode("ascii"),
            "fingerprint": k.fingerprint,
            "created_at": k.key.created_at.isoformat(),
            "imported_at": k.imported_at.isoformat(timespec="seconds"),
            "revoked_at": k.revoked_at.isoformat() if k.revoked_at else None,
            "replaced_by": k.replaced_by,
        }
        for k in registry.keys
        if not k.own
    ]
    text = json.dumps({"format": REGISTRY_FORMAT, "keys": items}, indent=1) + "\n"
    folder.mkdir(parents=True, exist_ok=True)
    write_atomically(_path(folder), lambda temp: temp.write_text(text, encoding="utf-8"))


def import_key(folder: Path, public_key_file: Path) -> RegisteredKey:
    """Register the public key in ``public_key_file`` (confirm its fingerprint with its
    owner first). A key already registered is refused: nothing changes. A new key of a
    branch that has one is its rotation: the older keys stay valid for what they signed
    before the new key was made, and are refused for anything signed later."""
    key = read_public_key_file(public_key_file)
    registry = load_registry(folder)
    existing = registry.find(key.fingerprint)
    if existing is not None:
        raise UserError(
            f"この公開鍵（支部 {existing.branch}）はすでに登録されています。何も変更していません。",
            f"This public key (branch {existing.branch}) is registered already. "
            "Nothing was changed.",
        )
    entry = RegisteredKey(key, now_utc().replace(microsecond=0))
    kept = tuple(
        replace(k, revoked_at=key.created_at, replaced_by=key.fingerprint)
        if k.branch == key.branch and k.revoked_at is None and k.key.created_at < key.created_at
        else k
        for k in registry.keys
    )
    _save(folder, Registry((*kept, entry)))
    return entry


def _matching(registry: Registry, prefix: str) -> RegisteredKey:
    wanted = prefix.replace(" ", "").lower()
    found = [k for k in registry.keys if wanted and k.fingerprint.startswith(wanted)]
    if len(found) != 1:
        raise UserError(
            f"指紋「{prefix}」に当たる登録済みの公開鍵が{'ありません' if not found else '複数あります'}。"
            "何も変更していません。",
            f"{'No' if not found else 'More than one'} registered public key matches "
            f"fingerprint {prefix!r}. Nothing was changed.",
        )
    return found[0]


def revoke_key(
    folder: Path, fingerprint_prefix: str, *, at: datetime | None = None
) -> RegisteredKey:
    """Revoke a registered key from ``at`` (now by default): what it signed from then on
    is refused; what it signed before stays valid, with a note."""
    registry = load_registry(folder)
    entry = _matching(registry, fingerprint_prefix)
    if entry.revoked_at is not None:
        raise UserError(
            "この公開鍵はすでに失効しています。何も変更していません。",
            "This public key is revoked already. Nothing was changed.",
        )
    revoked = replace(entry, revoked_at=at or now_utc())
    _save(folder, Registry(tuple(revoked if k is entry else k for k in registry.keys)))
    return revoked
