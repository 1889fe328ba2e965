"""Taking a part of a plan out whole, and putting it back exactly.

A structure edit that removes a node (with everything under it) or a KPI keeps
what it removed: every row that hung on it — the nodes and KPIs, last year's
profile, monthly figures, each report's entries, figures, national figures,
review states and threads, KPI confirmations — as stored, column by column, in
one ``removed_parts`` row. Restoring puts the rows back with their own ids when
those are free (so an undo gives back exactly what was there), references
re-resolved by key and report period. Raw column values are kept (text and
integers as SQLite holds them), so nothing is re-encoded on the way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from desktop.store.models import RemovedPartRow

# What hangs on a node or a KPI, and how each row names its parent.
_NODE_ROWS = ("section_entries", "section_reviews", "review_comments")
_KPI_ROWS = ("kpi_profiles", "kpi_monthly", "measurements", "benchmarks", "kpi_confirmations")
_REPORT_ROWS = frozenset(
    {"section_entries", "section_reviews", "review_comments", "measurements", "benchmarks"}
)


@dataclass(frozen=True, slots=True)
class Counts:
    """What a removal takes out (the confirmation a person sees first)."""

    nodes: int = 0
    kpis: int = 0
    entries: int = 0  # section entries with any text or mark
    figures: int = 0  # KPI figures of reports
    monthly: int = 0
    national: int = 0
    reviews: int = 0  # review states beyond draft, and comments
    reference: int = 0  # last year's / the year before's figures and profiles

    @property
    def content(self) -> int:
        return self.entries + self.figures + self.monthly + self.national + self.reviews


def _rows(session: Session, sql: str, **params: Any) -> list[dict[str, Any]]:
    return [dict(r) for r in session.execute(text(sql), params).mappings()]


def subtree_ids(session: Session, node_id: int) -> list[int]:
    """The node and every node under it, parents first."""
    out, todo = [], [node_id]
    while todo:
        current = todo.pop(0)
        out.append(current)
        todo.extend(
            r[0]
            for r in session.execute(
                text("SELECT id FROM plan_nodes WHERE parent_id = :p ORDER BY position, id"),
                {"p": current},
            )
        )
    return out


def _in(ids: list[int]) -> str:
    return ",".join(str(int(i)) for i in ids) or "NULL"


def capture(session: Session, *, node_id: int | None = None, kpi_id: int | None = None) -> dict:
    """Every row of the part (a node's subtree, or one KPI), raw, with keys for ids."""
    if node_id is not None:
        node_ids = subtree_ids(session, node_id)
        nodes = _rows(session, f"SELECT * FROM plan_nodes WHERE id IN ({_in(node_ids)})")
        order = {i: n for n, i in enumerate(node_ids)}
        nodes.sort(key=lambda r: order[r["id"]])
        kpis = _rows(session, f"SELECT * FROM kpis WHERE node_id IN ({_in(node_ids)})")
    else:
        node_ids, nodes = [], []
        kpis = _rows(session, "SELECT * FROM kpis WHERE id = :k", k=kpi_id)
    kpi_ids = [k["id"] for k in kpis]
    payload: dict[str, Any] = {"plan_nodes": nodes, "kpis": kpis}
    for table in _NODE_ROWS:
        payload[table] = _rows(
            session, f"SELECT * FROM {table} WHERE node_id IN ({_in(node_ids)}) ORDER BY id"
        )
    for table in _KPI_ROWS:
        payload[table] = _rows(
            session, f"SELECT * FROM {table} WHERE kpi_id IN ({_in(kpi_ids)}) ORDER BY id"
        )
    # References by key and period, so that the rows can go back whatever ids are now.
    node_key = {
        r[0]: r[1]
        for r in session.execute(
            text(
                "SELECT id, key FROM plan_nodes WHERE plan_id = "
                "(SELECT plan_id FROM plan_nodes WHERE id = :n)"
                if node_id is not None
                else "SELECT id, key FROM plan_nodes WHERE plan_id = "
                "(SELECT plan_id FROM kpis WHERE id = :n)"
            ),
            {"n": node_id if node_id is not None else kpi_id},
        )
    }
    kpi_key = {k["id"]: k["key"] for k in kpis}
    period = {r[0]: r[1] for r in session.execute(text("SELECT id, period FROM reports"))}
    for table, rows in payload.items():
        for row in rows:
            if "parent_id" in row:
                row["parent_id"] = node_key.get(row["parent_id"])
            if "node_id" in row:
                row["node_id"] = node_key[row["node_id"]]
            if "kpi_id" in row:
                row["kpi_id"] = kpi_key[row["kpi_id"]]
            if table in _REPORT_ROWS:
                row["report_id"] = period[row["report_id"]]
    return payload


def counts(payload: dict) -> Counts:
    entries = [
        e for e in payload["section_entries"]
        if (e["status_text"] or "").strip() or e["mark"] or (e["next_steps"] or "").strip()
        or (e["mark_reason"] or "").strip() or (e.get("actions") or "").strip()
    ]  # fmt: skip
    reference = sum(
        1
        for k in payload["kpis"]
        for c in ("last_year_actual", "prior_year_actual", "last_year_national_average")
        if k.get(c) is not None
    ) + len(payload["kpi_profiles"])
    return Counts(
        nodes=len(payload["plan_nodes"]),
        kpis=len(payload["kpis"]),
        entries=len(entries),
        figures=len(payload["measurements"]),
        monthly=len(payload["kpi_monthly"]),
        national=len(payload["benchmarks"]),
        reviews=len([r for r in payload["section_reviews"] if r["state"] != "draft"])
        + len(payload["review_comments"]),
        reference=reference,
    )


def keys_of(payload: dict) -> list[str]:
    return [r["key"] for r in payload["plan_nodes"]] + [r["key"] for r in payload["kpis"]]


def remove(
    session: Session,
    plan_id: int,
    *,
    kind: str,
    key: str,
    payload: dict,
    actor: str,
    at: datetime,
) -> RemovedPartRow:
    """Keep the captured part, then delete it (the database cascades the rest)."""
    kept = RemovedPartRow(
        plan_id=plan_id,
        kind=kind,
        key=key,
        keys=json.dumps(keys_of(payload), ensure_ascii=False),
        payload=json.dumps(payload, ensure_ascii=False),
        removed_by=actor,
        removed_at=at,
    )
    session.add(kept)
    session.flush()
    if kind == "node":
        top = payload["plan_nodes"][0]["id"]
        session.execute(text("DELETE FROM plan_nodes WHERE id = :i"), {"i": top})
    else:
        session.execute(text("DELETE FROM kpis WHERE id = :i"), {"i": payload["kpis"][0]["id"]})
    session.expire_all()
    return kept


def restore(session: Session, kept: RemovedPartRow) -> None:
    """Put a removed part back: rows with their own ids when free, references by key."""
    payload = json.loads(kept.payload)
    plan_id = kept.plan_id
    node_id = {
        r[1]: r[0]
        for r in session.execute(
            text("SELECT id, key FROM plan_nodes WHERE plan_id = :p"), {"p": plan_id}
        )
    }
    report_id = {
        r[1]: r[0]
        for r in session.execute(
            text("SELECT id, period FROM reports WHERE plan_id = :p"), {"p": plan_id}
        )
    }
    kpi_id: dict[str, int] = {}

    def put(table: str, row: dict[str, Any]) -> int:
        row = dict(row)
        taken = session.execute(
            text(f"SELECT 1 FROM {table} WHERE id = :i"), {"i": row["id"]}
        ).first()
        if taken:
            del row["id"]
        names = ", ".join(row)
        values = ", ".join(f":{n}" for n in row)
        result = session.execute(text(f"INSERT INTO {table} ({names}) VALUES ({values})"), row)
        return int(row.get("id") or result.lastrowid)  # type: ignore[attr-defined]

    for row in payload["plan_nodes"]:
        parent = row["parent_id"]
        node_id[row["key"]] = put(
            "plan_nodes", {**row, "parent_id": node_id[parent] if parent else None}
        )
    for row in payload["kpis"]:
        kpi_id[row["key"]] = put("kpis", {**row, "node_id": node_id[row["node_id"]]})
    for table in (*_NODE_ROWS, *_KPI_ROWS):
        for row in payload[table]:
            values = dict(row)
            if "node_id" in values:
                values["node_id"] = node_id[values["node_id"]]
            if "kpi_id" in values:
                values["kpi_id"] = kpi_id[values["kpi_id"]]
            if table in _REPORT_ROWS:
                values["report_id"] = report_id[values["report_id"]]
            put(table, values)
    session.delete(kept)
    session.flush()
    session.expire_all()
