"""Reading the audit trail: filtered entries, in words people read, and an xlsx
export for supervisors.

The log stores codes and keys (``approve``, ``13/2024/midyear/1.II.2.1``,
logins). :func:`readable_entries` turns a list of entries into what a person
reads: names instead of logins, section titles and KPI names instead of keys,
actions, fields and states in words (``audit_labels``). Names and titles are
read with one query each for the whole list, never one per row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select

from desktop.domain.branches import BRANCHES
from desktop.domain.calendar import YearMonth, fiscal_year_label
from desktop.domain.model import PeriodKind
from desktop.services.audit_labels import action_label, entity_label, field_label, value_label
from desktop.services.consolidation import period_label
from desktop.store import audit
from desktop.store.database import Database
from desktop.store.models import AuditRow, KpiRow, NodeRow, PlanRow, UserRow
from desktop.workbooks.audit_sheet import write_audit_sheet

_MONTH = re.compile(r"\d{4}-\d{2}", re.ASCII)
_PERIODS = {p.value: p for p in PeriodKind}
_NODE_ENTITIES = {"entry", "review", "comment", "node"}
_KPI_ENTITIES = {"measurement", "monthly", "kpi", "benchmark"}


@dataclass(frozen=True, slots=True)
class Target:
    """What an entry's key points at: "13/2024/midyear/1.II.2.1" → branch 13,
    FY2024, mid-year, node 1.II.2.1. Monthly figures carry their month last."""

    branch: str | None = None
    fiscal_year: int | None = None
    period: PeriodKind | None = None
    key: str | None = None  # a node or KPI key
    month: YearMonth | None = None


def parse_target(entity: str, entity_key: str) -> Target:
    if entity == "user":
        return Target()
    parts = entity_key.split("/")
    if len(parts) < 2 or parts[0] not in BRANCHES or not parts[1].isascii():
        return Target(key=entity_key or None)
    try:
        year = int(parts[1])
    except ValueError:
        return Target(key=entity_key or None)
    rest = parts[2:]
    period = None
    if rest and rest[0] in _PERIODS:
        period = _PERIODS[rest[0]]
        rest = rest[1:]
    month = None
    if len(rest) > 1 and _MONTH.fullmatch(rest[-1]):
        try:
            month = YearMonth.from_iso(rest[-1])
        except ValueError:
            month = None
        else:
            rest = rest[:-1]
    return Target(parts[0], year, period, "/".join(rest) or None, month)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_key: str  # "13/2024/midyear/1.II.2.1"
    field: str
    old: str | None
    new: str | None

    @property
    def target(self) -> Target:
        return parse_target(self.entity, self.entity_key)

    @property
    def section(self) -> str:
        """The plan node or KPI the entry is about ("" for people, reports, plans)."""
        target = self.target
        if self.entity in _NODE_ENTITIES | _KPI_ENTITIES:
            return target.key or ""
        return ""


@dataclass(frozen=True, slots=True)
class AuditFilter:
    person: str | None = None
    section: str | None = None  # a node key; its items and KPIs match too
    field: str | None = None
    since: date | None = None
    until: date | None = None  # inclusive
    report: str | None = None  # "13/2024/midyear": entries of that report only

    def matches(self, e: AuditEntry) -> bool:
        if self.person and e.actor != self.person:
            return False
        if self.field and e.field != self.field:
            return False
        if self.report and not (
            e.entity_key.startswith(self.report + "/") or self._monthly_of_report(e)
        ):
            return False
        if self.section:
            key, part = self.section.rstrip("."), e.section
            if not (part == key or part.startswith(key + ".")):
                return False
        return True

    def _monthly_of_report(self, e: AuditEntry) -> bool:
        """Monthly figures belong to the fiscal year: they are part of both its reports."""
        if e.entity != "monthly" or not self.report:
            return False
        branch, _, rest = self.report.partition("/")
        year = rest.partition("/")[0]
        return year.isdigit() and e.entity_key.startswith(audit.plan_key(branch, int(year)) + "/")


def entries(db: Database, flt: AuditFilter = AuditFilter()) -> list[AuditEntry]:
    """Entries matching the filter, newest first."""
    query = select(AuditRow).order_by(AuditRow.id.desc())
    if flt.person:
        query = query.where(AuditRow.actor == flt.person)
    if flt.field:
        query = query.where(AuditRow.field == flt.field)
    if flt.since:
        query = query.where(AuditRow.at >= _utc_start(flt.since))
    if flt.until:
        query = query.where(AuditRow.at < _utc_start(flt.until + timedelta(days=1)))
    with db.read() as session:
        out = [
            AuditEntry(
                r.id,
                r.at,
                r.actor,
                r.action,
                r.entity,
                r.entity_key,
                r.field,
                r.old_value,
                r.new_value,
            )
            for r in session.scalars(query)
        ]
    return [e for e in out if flt.matches(e)]


def _utc_start(day: date) -> datetime:
    # Days are the person's local days.
    return datetime.combine(day, time.min).astimezone()


def people(db: Database) -> dict[str, str]:
    """Everyone who ever acted: login → display name (the login when unregistered)."""
    with db.read() as session:
        actors = session.scalars(select(AuditRow.actor).distinct()).all()
        named = dict(session.execute(select(UserRow.login, UserRow.display_name)).tuples().all())
    return {login: named.get(login, login) for login in actors}


# --- in words people read -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AuditNames:
    """Names and titles for a list of entries, read once for the whole list."""

    people: dict[str, str]  # login → display name
    nodes: dict[tuple[str, int, str], str]  # (branch, year, node key) → "（２）サービス水準の向上"
    kpis: dict[tuple[str, int, str], tuple[str, str]]  # … KPI key → (its name, node key)


def names_for(db: Database, rows: Sequence[AuditEntry]) -> AuditNames:
    """One query for the people, one for the sections, one for the KPIs."""
    targets = [r.target for r in rows]
    logins = {r.actor for r in rows} | {r.entity_key for r in rows if r.entity == "user"}
    branches = {t.branch for t in targets if t.branch and t.key}
    years = {t.fiscal_year for t in targets if t.fiscal_year is not None and t.key}
    nodes: dict[tuple[str, int, str], str] = {}
    kpis: dict[tuple[str, int, str], tuple[str, str]] = {}
    with db.read() as session:
        names = dict(
            session.execute(
                select(UserRow.login, UserRow.display_name).where(UserRow.login.in_(logins))
            )
            .tuples()
            .all()
        )
        if branches and years:
            plans = (PlanRow.branch_code.in_(branches), PlanRow.fiscal_year.in_(years))
            for code, year, key, label, title in session.execute(
                select(
                    PlanRow.branch_code, PlanRow.fiscal_year, NodeRow.key, NodeRow.label,
                    NodeRow.title,
                ).join(PlanRow, PlanRow.id == NodeRow.plan_id).where(*plans)
            ):  # fmt: skip
                nodes[(code, year, key)] = f"{label}{title}" if label else title
            for code, year, key, label, name, node_key in session.execute(
                select(
                    PlanRow.branch_code, PlanRow.fiscal_year, KpiRow.key, KpiRow.label,
                    KpiRow.name, NodeRow.key,
                )
                .join(PlanRow, PlanRow.id == KpiRow.plan_id)
                .join(NodeRow, NodeRow.id == KpiRow.node_id)
                .where(*plans)
            ):  # fmt: skip
                kpis[(code, year, key)] = (f"{label}{name}", node_key)
    return AuditNames(names, nodes, kpis)


@dataclass(frozen=True, slots=True)
class ReadableEntry:
    """One audit entry in words; ``entry`` keeps the codes and keys it came from."""

    entry: AuditEntry
    when: str  # local time, "2026-12-01 10:15:03"
    person: str  # display name
    action: str
    what: str  # what kind of thing changed: 項目の記入, KPI実績, …
    report: str  # "13 東京支部 令和6年度・上期" (or the plan's year), "" for people
    item: str  # the section title, the KPI's name (and month), the person
    where: str  # the section a KPI belongs to ("" otherwise)
    field: str
    before: str
    after: str


def readable(entry: AuditEntry, names: AuditNames, lang: str = "ja") -> ReadableEntry:
    t = entry.target
    report = ""
    if t.branch is not None and t.fiscal_year is not None:
        where = BRANCHES[t.branch].label(lang)
        if t.period is not None:
            report = f"{where} {period_label(t.fiscal_year, t.period, lang)}"
        else:
            year = fiscal_year_label(t.fiscal_year, "era" if lang == "ja" else "western")
            report = f"{where} {year}"
    item, section = t.key or "", ""
    if entry.entity == "user":
        item = names.people.get(entry.entity_key, entry.entity_key)
    elif t.key and t.branch and t.fiscal_year is not None:
        place = (t.branch, t.fiscal_year, t.key)
        if entry.entity in _KPI_ENTITIES and place in names.kpis:
            item, node_key = names.kpis[place]
            section = names.nodes.get((t.branch, t.fiscal_year, node_key), node_key)
        elif place in names.nodes:
            item = names.nodes[place]
    if t.month is not None:
        item = f"{item} {t.month.era_label() if lang == 'ja' else t.month.iso()}".strip()
    return ReadableEntry(
        entry=entry,
        when=entry.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
        person=names.people.get(entry.actor, entry.actor),
        action=action_label(entry.action, lang),
        what=entity_label(entry.entity, lang),
        report=report,
        item=item,
        where=section,
        field=field_label(entry.field, lang) if entry.field else "",
        before=value_label(entry.field, entry.old, lang),
        after=value_label(entry.field, entry.new, lang),
    )


def readable_entries(
    db: Database, rows: Sequence[AuditEntry], lang: str = "ja"
) -> list[ReadableEntry]:
    names = names_for(db, rows)
    return [readable(r, names, lang) for r in rows]


# --- export ---------------------------------------------------------------------------------


def export_xlsx(
    db: Database, rows: Sequence[AuditEntry], path: str | Path, lang: str = "ja"
) -> Path:
    """The entries, in the viewer's words, as a workbook a supervisor can filter in
    Excel (written atomically). The login and the entry's key stay in their own
    columns, so every line can be traced back to the log."""
    lines = (
        (
            r.entry.id,
            r.entry.at.astimezone().replace(tzinfo=None),
            r.person,
            r.action,
            r.what,
            r.report,
            r.item,
            r.where,
            r.field,
            r.before,
            r.after,
            r.entry.actor,
            r.entry.entity_key,
        )
        for r in readable_entries(db, rows, lang)
    )
    return write_audit_sheet(lines, path, lang)
