"""The append-only audit log and its hash chain.

Each entry's hash covers its own fields and the previous entry's hash, so an
edited, deleted or reordered row breaks the chain at that row. The app only
ever inserts here.

Deleting the newest entries would leave a shorter chain that is still valid,
so the table ``audit_head`` records where the log should end (last id and
hash), updated in the same transaction as every append. New entries chain on
that head rather than on whatever row happens to be last: after a truncation
the next entry's id leaves a visible gap.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from desktop.store.models import AuditHeadRow, AuditRow

GENESIS = "0" * 64
HEAD_RESTORED = "head_restored"  # the action of an entry written when the head was missing


# --- what an entry is about (its entity_key) -----------------------------------------
# The key formats, in one place: the services write them, the audit trail and the
# content check read them back ("13/2024/midyear/1.II.2.1").


def plan_key(branch: str, fiscal_year: int) -> str:
    """A plan: "13/2024"."""
    return f"{branch}/{fiscal_year}"


def plan_item_key(branch: str, fiscal_year: int, item: str) -> str:
    """Something of the plan, shared by its reports: a node's plan text, a KPI."""
    return f"{plan_key(branch, fiscal_year)}/{item}"


def report_key(branch: str, fiscal_year: int, period: str) -> str:
    """A report: "13/2024/midyear" (what ``ReportRef.key`` says)."""
    return f"{plan_key(branch, fiscal_year)}/{period}"


def report_item_key(report_key: str, item: str) -> str:
    """Something of one report: a section's entry, review and comments, a KPI's
    figure and national figures ("13/2024/midyear" + "/" + node or KPI key)."""
    return f"{report_key}/{item}"


def monthly_key(branch: str, fiscal_year: int, kpi_key: str, month_iso: str) -> str:
    """A KPI's figure for one month: the fiscal year's, not one report's."""
    return f"{plan_item_key(branch, fiscal_year, kpi_key)}/{month_iso}"


# json.dumps with these options builds a new encoder per call; one is enough.
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _digest(row_id: int, fields: dict[str, str | None], prev_hash: str) -> str:
    canonical = _CANONICAL.encode({"id": row_id, **fields, "prev": prev_hash})
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
    """Add one entry inside the caller's (IMMEDIATE) transaction and move the head."""
    head = session.get(AuditHeadRow, 1)
    if head is None:
        head = _restore_head(session, at, actor)
    return _insert(session, head, at, actor, action, entity, entity_key, field, old, new)


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry to append (``at`` in UTC, as every ``append`` takes it)."""

    at: datetime
    actor: str
    action: str
    entity: str
    entity_key: str
    field: str
    old: str | None
    new: str | None


def append_many(session: Session, entries: Sequence[Entry]) -> None:
    """Append entries in order, chained exactly as ``append`` one by one would, in one
    bulk INSERT (a plan's thousands of created values cost milliseconds, not seconds)."""
    if not entries:
        return
    head = session.get(AuditHeadRow, 1)
    if head is None:
        head = _restore_head(session, entries[0].at, entries[0].actor)
    session.flush()  # the head row and earlier entries go first
    last_id, last_hash = head.last_id, head.last_hash
    rows = []
    stamps: dict[datetime, str] = {}
    for e in entries:
        at = stamps.get(e.at)
        if at is None:
            if e.at.utcoffset() != timedelta(0):
                raise ValueError("audit entries are stamped in UTC")
            at = stamps[e.at] = e.at.isoformat(timespec="microseconds")  # as UtcTimestamp stores it
        row_id = last_id + 1
        fields = {"at": at, "actor": e.actor, "action": e.action, "entity": e.entity,
                  "entity_key": e.entity_key, "field": e.field, "old": e.old, "new": e.new}  # fmt: skip
        digest = _digest(row_id, fields, last_hash)
        rows.append((row_id, at, e.actor, e.action, e.entity, e.entity_key, e.field, e.old,
                     e.new, last_hash, digest))  # fmt: skip
        last_id, last_hash = row_id, digest
    # Straight to the driver: thousands of rows through SQLAlchemy's type handling
    # cost three times as much, and every column here is plain text already.
    session.connection().exec_driver_sql(
        "INSERT INTO audit_log (id, at, actor, action, entity, entity_key, field, old_value, "
        "new_value, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    head.last_id, head.last_hash = last_id, last_hash


def _insert(
    session: Session,
    head: AuditHeadRow,
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    entity_key: str,
    field: str,
    old: str | None,
    new: str | None,
) -> AuditRow:
    row_id = head.last_id + 1
    fields = _fields(at, actor, action, entity, entity_key, field, old, new)
    digest = _digest(row_id, fields, head.last_hash)
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
        prev_hash=head.last_hash,
        hash=digest,
    )
    session.add(row)
    head.last_id, head.last_hash = row_id, digest
    return row


def _restore_head(session: Session, at: datetime, actor: str) -> AuditHeadRow:
    """The head row is gone (every database gets one from migration 0004, so only a
    hand edit removes it). Writing on must not hide that: chain on the last row
    that is left and record the restoration as an entry of its own, which
    verify_chain reports from then on."""
    last = session.execute(
        select(AuditRow.id, AuditRow.hash).order_by(AuditRow.id.desc()).limit(1)
    ).first()
    head = AuditHeadRow(
        id=1, last_id=last[0] if last else 0, last_hash=last[1] if last else GENESIS
    )
    session.add(head)
    restored_from = str(head.last_id)
    _insert(session, head, at, actor, HEAD_RESTORED, "audit", "audit_head", "last_id", None,
            restored_from)  # fmt: skip
    return head


@dataclass(frozen=True, slots=True)
class ChainBreak:
    row_id: int
    reason_ja: str
    reason_en: str


def verify_chain(session: Session) -> tuple[int, ChainBreak | None]:
    """(entries checked, first break or None): every entry follows the one before it,
    none was altered, and the log ends where the head says it should."""
    expected_prev = GENESIS
    expected_id = 1
    count = 0
    # Plain rows, not ORM objects: a check of every entry stays fast for a long log.
    # ``at`` is hashed as stored (UtcTimestamp writes exactly the hashed text).
    rows = session.execute(
        text(
            "SELECT id, at, actor, action, entity, entity_key, field, old_value, new_value, "
            "prev_hash, hash FROM audit_log ORDER BY id"
        )
    )
    for row in rows:
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
        fields = {
            "at": row.at,
            "actor": row.actor,
            "action": row.action,
            "entity": row.entity,
            "entity_key": row.entity_key,
            "field": row.field,
            "old": row.old_value,
            "new": row.new_value,
        }
        if _digest(row.id, fields, row.prev_hash) != row.hash:
            return count, ChainBreak(
                row.id,
                f"監査ログ {row.id} 番の内容が書き換えられています。",
                f"Audit entry {row.id} has been altered.",
            )
        if row.action == HEAD_RESTORED:
            return count, ChainBreak(
                row.id,
                f"監査ログの終端記録が削除されていたため、{row.id} 番で {row.new_value} 番から"
                "復元しました。それより後の記録が削除されていないかは確認できません。",
                f"The audit log's end record had been deleted; entry {row.id} restored it from "
                f"entry {row.new_value}. Whether newer entries were deleted cannot be told.",
            )
        expected_prev = row.hash
        expected_id += 1
    return count, _check_head(session, expected_id - 1, expected_prev)


def _check_head(session: Session, last_id: int, last_hash: str) -> ChainBreak | None:
    """Does the log end where the head (moved with every append) says it should?"""
    head = session.get(AuditHeadRow, 1)
    if head is None:
        return ChainBreak(
            last_id,
            "監査ログの終端記録（audit_head）が削除されています。最後の記録が削除されていないかは"
            "確認できません。",
            "The audit log's end record (audit_head) has been deleted; whether the newest "
            "entries were deleted cannot be told.",
        )
    if head.last_id > last_id:
        return ChainBreak(
            head.last_id,
            f"監査ログは {head.last_id} 番まであるはずですが、{last_id} 番で終わっています"
            f"（{last_id + 1}〜{head.last_id} 番が削除されています）。",
            f"Audit entry {head.last_id} should exist but the log ends at entry {last_id} "
            f"(entries {last_id + 1}–{head.last_id} were deleted).",
        )
    if head.last_id < last_id:
        return ChainBreak(
            head.last_id + 1,
            f"監査ログ {head.last_id + 1} 番以降は PlanDesk 以外で追加されています"
            f"（記録上の最後は {head.last_id} 番）。",
            f"Audit entries from {head.last_id + 1} on were added outside PlanDesk (the "
            f"recorded end is entry {head.last_id}).",
        )
    if head.last_hash != last_hash:
        return ChainBreak(
            last_id,
            f"監査ログ {last_id} 番が別の記録に置き換えられています。",
            f"Audit entry {last_id} has been replaced by another entry.",
        )
    return None
