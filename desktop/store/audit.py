"""The append-only audit log and its hash chain.

Each entry's hash covers its own fields and the previous entry's hash, so an
edited, deleted or reordered row breaks the chain at that row. The app only
ever inserts here.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.store.models import AuditRow

GENESIS = "0" * 64


def _digest(row_id: int, fields: dict[str, str | None], prev_hash: str) -> str:
    canonical = json.dumps(
        {"id": row_id, **fields, "prev": prev_hash},
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _fields(
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    entity_key: str,
    field: str,
    old: str | None,
    new: str | None,
) -> dict[str, str | None]:
    return {
        "at": at.isoformat(timespec="microseconds"),
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_key": entity_key,
        "field": field,
        "old": old,
        "new": new,
    }


def append(
    session: Session,
    *,
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    entity_key: str,
    field: str = "",
    old: str | None = None,
    new: str | None = None,
) -> AuditRow:
    """Add one entry inside the caller's (IMMEDIATE) transaction."""
    last = session.execute(
        select(AuditRow.id, AuditRow.hash).order_by(AuditRow.id.desc()).limit(1)
    ).first()
    prev_id, prev_hash = (last[0], last[1]) if last else (0, GENESIS)
    row_id = prev_id + 1
    fields = _fields(at, actor, action, entity, entity_key, field, old, new)
    row = AuditRow(
        id=row_id,
        at=at,
        actor=actor,
        action=action,
        entity=entity,
        entity_key=entity_key,
        field=field,
        old_value=old,
        new_value=new,
        prev_hash=prev_hash,
        hash=_digest(row_id, fields, prev_hash),
    )
    session.add(row)
    return row


@dataclass(frozen=True, slots=True)
class ChainBreak:
    row_id: int
    reason_ja: str
    reason_en: str


def verify_chain(session: Session) -> tuple[int, ChainBreak | None]:
    """(entries checked, first break or None)."""
    expected_prev = GENESIS
    expected_id = 1
    count = 0
    for row in session.scalars(select(AuditRow).order_by(AuditRow.id)):
        count += 1
        if row.id != expected_id:
            return count, ChainBreak(
                row.id,
                f"監査ログ {expected_id} 番が欠けています（次は {row.id} 番）。",
                f"Audit entry {expected_id} is missing (next is {row.id}).",
            )
        if row.prev_hash != expected_prev:
            return count, ChainBreak(
                row.id,
                f"監査ログ {row.id} 番の前の記録が書き換えられたか、順序が変わっています。",
                f"Audit entry {row.id} does not follow the entry before it "
                "(edited, deleted or reordered).",
            )
        fields = _fields(
            row.at,
            row.actor,
            row.action,
            row.entity,
            row.entity_key,
            row.field,
            row.old_value,
            row.new_value,
        )
        if _digest(row.id, fields, row.prev_hash) != row.hash:
            return count, ChainBreak(
                row.id,
                f"監査ログ {row.id} 番の内容が書き換えられています。",
                f"Audit entry {row.id} has been altered.",
            )
        expected_prev = row.hash
        expected_id += 1
    return count, None
