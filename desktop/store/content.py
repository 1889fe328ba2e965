"""What the audit trail vouches for: every stored value, keyed as its audit entries are.

Every value a person, an import, a rollover or a plan install can change is
named by (entity, entity key, field) — the same triple its audit entries carry,
e.g. ("measurement", "13/2024/midyear/1.II.2.k2", "value"). Replaying the
hash-chained audit log (the last ``new`` per triple, in id order) must give
what is stored: :func:`differences` lists where it does not — a value changed
behind PlanDesk's back, a value no entry accounts for, a row deleted by hand.

Rules of the replay:
- an entry ``plan``/``created`` (or ``removed``) for "13/2024" starts that plan's
  values afresh: a plan install, import or rollover writes it, then one entry per
  value it stored (:func:`record_created`), so a new plan is accounted for whole;
- an entry ``database``/``baseline`` starts everything afresh: written once when a
  database from before this accounting is upgraded, followed by one entry per value
  stored at that moment (:func:`record_baseline`) — those values are vouched for as
  "stored at the upgrade", not by their earlier history;
- a field with no entry must hold its empty value ("" / NULL / 0 / false);
- a few values are checked in a stored form: a password by a fingerprint of its
  hash, an approval's saved content by its SHA-256, a sign-off's time as a time;
  a sign-off and a KPI confirmation also by who did it (the entry's actor).

Not covered (bookkeeping, not content): who-and-when columns (updated_by,
entered_at …), the review comment thread, the exchange bases of the three-way
merge, the plans' creation time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from desktop.domain.calendar import YearMonth
from desktop.store import audit

Key = tuple[str, str, str]  # (entity, entity key, field)

CREATED = "created"  # plan/<key>/created: the plan's values start afresh
REMOVED = "removed"
BASELINE = "baseline"  # the action of the entries recorded at an upgrade
BASELINE_ACTOR = "PlanDesk"


def digest(value: str) -> str:
    return "sha256:" + hashlib.sha256(value.encode("utf-8")).hexdigest()


def password_token(password_hash: str | None) -> str | None:
    """What the audit log says about a password: that it was set, with a fingerprint
    of its (salted) hash — never the hash itself."""
    if password_hash is None:
        return None
    return f"(changed) {digest(password_hash)[:31]}"


def flag_text(value: Any) -> str | None:
    """A stored boolean as the editing services write it into the audit log."""
    if value is None:
        return None
    if value in (0, 1):  # also True/False
        return str(bool(value))
    return repr(value)  # anything else was not written by PlanDesk


@dataclass(frozen=True, slots=True)
class FieldSpec:
    entity: str
    field: str
    label_ja: str
    label_en: str
    empty: frozenset[str | None] = frozenset({None, ""})
    kind: str = "value"  # value | timestamp | present
    by_actor: bool = False  # the row also names who did it: the entry's actor

    def label(self, lang: str = "ja") -> str:
        return self.label_ja if lang == "ja" else self.label_en


def _specs() -> dict[tuple[str, str], FieldSpec]:
    zero = frozenset({None, "", "0"})
    false = frozenset({None, "", "False"})
    pack = frozenset({None, "", "pack"})
    rows = [
        ("plan", "title", "計画の表題", "plan title"),
        ("plan", "basic_policy", "基本方針", "basic policy"),
        # A plan's approval (0012): no row is a draft; its content as approved by digest.
        ("plan", "state", "計画の承認状態", "plan approval", frozenset({None, "", "draft"})),
        ("plan", "approved_content", "承認時の計画", "plan as approved"),
        ("plan", "mark_rules", "評価の目安", "rules for suggested marks"),
        ("plan", "report_axis", "報告の構成", "report organised by", frozenset({None, "", "tree"})),
        ("plan", "number_per_group", "グループ内の番号", "numbering per group", false),
        ("plan", "print_profiles", "報告の様式", "report layouts"),
        ("node", "parent", "親項目", "parent item"),
        ("node", "level", "階層", "level"),
        ("node", "label", "番号", "number"),
        ("node", "title", "見出し", "heading"),
        ("node", "plan_text", "事業計画", "plan text"),
        ("node", "group", "担当グループ", "group"),
        ("node", "importance", "重要度", "importance"),
        ("node", "difficulty", "困難度", "difficulty"),
        ("node", "footnotes", "注記", "footnotes"),
        ("node", "position", "並び順", "position", zero),
        ("node", "own", "支部独自", "branch's own", false),
        ("node", "branch_may_add", "支部の追加", "branch may add"),
        ("node", "report_position", "報告での順番", "place in the report"),
        ("node", "rated_with", "まとめて評価する項目", "rated together with"),
        ("kpi", "node", "所属項目", "item"),
        ("kpi", "label", "番号", "number"),
        ("kpi", "name", "KPI名", "KPI name"),
        ("kpi", "unit", "単位", "unit"),
        ("kpi", "decimals", "小数桁数", "decimals", zero),
        ("kpi", "direction", "目標の向き", "direction"),
        ("kpi", "target_kind", "目標の種類", "kind of target"),
        ("kpi", "target", "目標値", "target"),
        ("kpi", "cumulative", "累積", "cumulative", false),
        ("kpi", "is_new", "新設", "new", false),
        ("kpi", "definition_changed", "算出方法の変更", "definition changed", false),
        ("kpi", "numerator_label", "分子の名称", "numerator label"),
        ("kpi", "denominator_label", "分母の名称", "denominator label"),
        ("kpi", "numerator_target", "分子の目標", "numerator target"),
        ("kpi", "denominator_target", "分母の目標", "denominator target"),
        ("kpi", "last_year_actual", "前年度実績", "last year's actual"),
        ("kpi", "reference", "参考", "reference"),
        ("kpi", "note", "備考", "note"),
        ("kpi", "judged_decimals", "判定の小数桁数", "decimals judged at"),
        ("kpi", "last_year_source", "前年度実績の出所", "where last year's actual came from"),
        ("kpi", "prior_year_actual", "前々年度実績", "the year before's actual"),
        ("kpi", "prior_year_source", "前々年度実績の出所", "where the year before's came from"),
        ("kpi", "last_year_national_average", "前年度の全国平均", "last year's national average"),
        ("kpi", "last_year_national_rank", "前年度の全国順位", "last year's national rank"),
        ("kpi", "position", "並び順", "position", zero),
        ("kpi", "target_by_branch", "支部設定", "target set by the branch", false),
        ("branch_target", "target", "支部別目標", "target of a branch"),
        ("kpi", "reference_indicator", "参考指標", "reference indicator", false),
        ("kpi", "baseline_year", "基準年度", "baseline year"),
        ("kpi", "baseline_value", "基準値", "baseline value"),
        ("kpi", "goal_year", "目標年度", "goal year"),
        ("kpi", "target_text", "文章の目標", "goal in words"),
        ("kpi", "definition_note", "算出方法の変更の内容", "what changed in the definition"),
        ("kpi", "own", "支部独自", "branch's own", false),
        ("kpi_profile", "value", "前年度の月次累計", "last year's monthly figure"),
        ("monthly", "value", "月次実績", "monthly figure"),
        ("report", "as_of", "報告の時点", "report as of"),
        ("report", "title", "報告の表題", "report title"),
        ("entry", "status_text", "実施状況", "progress"),
        ("entry", "mark", "評価", "mark"),
        ("entry", "mark_reason", "評価の理由", "reason for the mark"),
        ("entry", "next_steps", "今後の実施予定等", "next steps"),
        ("entry", "actions", "具体的な取り組み", "concrete actions"),
        ("measurement", "value", "実績", "actual"),
        ("measurement", "numerator", "分子", "numerator"),
        ("measurement", "denominator", "分母", "denominator"),
        ("measurement", "done", "実施", "done"),
        ("measurement", "as_of", "時点", "as of"),
        ("measurement", "preliminary", "速報値", "preliminary", false),
        ("measurement", "unavailable_reason", "未確定の理由", "why no value"),
        ("measurement", "manual_status", "手動判定", "verdict by hand"),
        ("measurement", "manual_reason", "手動判定の理由", "reason for the verdict"),
        ("measurement", "old_method_value", "旧算出方法による実績", "actual by the old method"),
        ("benchmark", "national_average", "全国平均", "national average"),
        ("benchmark", "national_rank", "全国順位", "national rank"),
        ("benchmark", "branch_count", "支部数", "number of branches"),
        # "pack" is the default every row stored before 0008 holds: no entry needed.
        ("benchmark", "national_source", "全国平均・順位の出所", "national figures from", pack),
        ("review", "state", "確認・承認の状態", "review state"),
        ("review", "approved_content", "承認時の内容", "content when approved"),
        ("user", "display_name", "表示名", "name"),
        ("user", "role", "役割", "role"),
        ("user", "group", "グループ", "group"),
        ("user", "active", "有効", "active", frozenset({None, "", "true"})),
        ("user", "password", "パスワード", "password", frozenset({None, "", "(removed)"})),
    ]
    specs = {(r[0], r[1]): FieldSpec(*r) for r in rows}  # type: ignore[arg-type]
    specs["report", "signed_off"] = FieldSpec(
        "report", "signed_off", "支部長の決裁", "sign-off", kind="timestamp", by_actor=True
    )
    specs["kpi", "confirmation"] = FieldSpec(
        "kpi", "confirmation", "新設・定義変更の確認", "confirmation", kind="present",
        by_actor=True,
    )  # fmt: skip
    return specs


SPECS = _specs()
PLAN_SCOPED = frozenset(e for e, _ in SPECS if e != "user")


@dataclass(frozen=True, slots=True)
class Stored:
    value: str | None
    actor: str | None = None  # who the row says did it, when it says so


# --- what is stored ---------------------------------------------------------------


def _month(fiscal_year: int, index: int) -> str:
    return YearMonth(fiscal_year, 4).add_months(index - 1).iso()


def _int(value: Any) -> str | None:
    return None if value is None else str(value)


_Rows = Callable[[Session, str, dict[str, Any]], Iterator[tuple[Key, Stored]]]


def _plans(session: Session, where: str, params: dict[str, Any]) -> Iterator[tuple[Key, Stored]]:
    for b, y, title, policy, rules, state, approved, axis, per_group, layouts in session.execute(
        text(
            "SELECT p.branch_code, p.fiscal_year, p.title, p.basic_policy, p.mark_rules, s.state, "
            "s.approved_content, p.report_axis, p.number_per_group, p.print_profiles "
            f"FROM plans p LEFT JOIN plan_states s ON s.plan_id = p.id {where}"
        ),
        params,
    ):
        key = audit.plan_key(b, y)
        yield ("plan", key, "title"), Stored(title)
        yield ("plan", key, "basic_policy"), Stored(policy)
        yield ("plan", key, "mark_rules"), Stored(rules)
        yield ("plan", key, "print_profiles"), Stored(layouts)
        yield ("plan", key, "state"), Stored(state)
        yield ("plan", key, "report_axis"), Stored(axis)
        yield ("plan", key, "number_per_group"), Stored(flag_text(per_group))
        yield (
            ("plan", key, "approved_content"),
            Stored(None if approved is None else digest(approved)),
        )


def _nodes(session: Session, where: str, params: dict[str, Any]) -> Iterator[tuple[Key, Stored]]:
    names = ("level", "label", "title", "plan_text", "group", "importance", "difficulty",
             "footnotes")  # fmt: skip
    for (
        b,
        y,
        k,
        parent,
        *values,
        position,
        own,
        may_add,
        report_position,
        rated_with,
    ) in session.execute(
        text(
            "SELECT p.branch_code, p.fiscal_year, n.key, up.key, n.level, n.label, n.title, "
            "n.plan_text, n.group_name, n.importance, n.difficulty, n.footnotes, n.position, "
            "n.own, n.branch_may_add, n.report_position, n.rated_with "
            "FROM plan_nodes n JOIN plans p ON p.id = n.plan_id "
            f"LEFT JOIN plan_nodes up ON up.id = n.parent_id {where}"
        ),
        params,
    ):
        key = audit.plan_item_key(b, y, k)
        yield ("node", key, "parent"), Stored(parent)
        for name, value in zip(names, values, strict=True):
            yield ("node", key, name), Stored(value)
        yield ("node", key, "position"), Stored(_int(position))
        yield ("node", key, "own"), Stored(flag_text(own))
        yield ("node", key, "branch_may_add"), Stored(flag_text(may_add))
        yield ("node", key, "report_position"), Stored(_int(report_position))
        yield ("node", key, "rated_with"), Stored(rated_with)


_KPI_TEXT = ("label", "name", "unit", "direction", "target_kind", "target", "numerator_label",
             "denominator_label", "numerator_target", "denominator_target", "last_year_actual",
             "reference", "note", "last_year_source", "prior_year_actual", "prior_year_source",
             "last_year_national_average", "baseline_value", "target_text",
             "definition_note")  # fmt: skip
_KPI_FLAGS = ("cumulative", "is_new", "definition_changed", "target_by_branch",
              "reference_indicator", "own")  # fmt: skip
_KPI_YEARS = ("baseline_year", "goal_year")


def _kpis(session: Session, where: str, params: dict[str, Any]) -> Iterator[tuple[Key, Stored]]:
    columns = ", ".join(f"k.{c}" for c in (*_KPI_TEXT, *_KPI_FLAGS, *_KPI_YEARS))
    for b, y, k, node, decimals, judged, position, national_rank, *values in session.execute(
        text(
            "SELECT p.branch_code, p.fiscal_year, k.key, n.key, k.decimals, k.judged_decimals, "
            f"k.position, k.last_year_national_rank, {columns} "
            "FROM kpis k JOIN plans p ON p.id = k.plan_id "
            f"JOIN plan_nodes n ON n.id = k.node_id {where}"
        ),
        params,
    ):
        key = audit.plan_item_key(b, y, k)
        yield ("kpi", key, "node"), Stored(node)
        yield ("kpi", key, "decimals"), Stored(_int(decimals))
        yield ("kpi", key, "judged_decimals"), Stored(_int(judged))
        yield ("kpi", key, "position"), Stored(_int(position))
        yield ("kpi", key, "last_year_national_rank"), Stored(_int(national_rank))
        for name, value in zip(_KPI_TEXT, values[: len(_KPI_TEXT)], strict=True):
            yield ("kpi", key, name), Stored(value)
        flags = values[len(_KPI_TEXT) : len(_KPI_TEXT) + len(_KPI_FLAGS)]
        for name, value in zip(_KPI_FLAGS, flags, strict=True):
            yield ("kpi", key, name), Stored(flag_text(value))
        years = values[len(_KPI_TEXT) + len(_KPI_FLAGS) :]
        for name, value in zip(_KPI_YEARS, years, strict=True):
            yield ("kpi", key, name), Stored(_int(value))
    for b, y, k, by in session.execute(
        text(
            "SELECT p.branch_code, p.fiscal_year, k.key, c.confirmed_by FROM kpi_confirmations c "
            f"JOIN kpis k ON k.id = c.kpi_id JOIN plans p ON p.id = k.plan_id {where}"
        ),
        params,
    ):
        yield ("kpi", audit.plan_item_key(b, y, k), "confirmation"), Stored("present", by)


def branch_target_key(branch: str, fiscal_year: int, kpi_key: str, cell_branch: str) -> str:
    """The audit key of one cell of HQ's table of targets per branch: '00/2025/<kpi>@27'."""
    return audit.plan_item_key(branch, fiscal_year, f"{kpi_key}@{cell_branch}")


def branch_target_text(kind: str | None, value: str | None) -> str | None:
    """A cell as the audit log records it: 'fixed 60.0', 'prev_year', … (None: no row)."""
    if kind is None:
        return None
    return f"{kind} {value}" if value is not None else kind


def _branch_targets(
    session: Session, where: str, params: dict[str, Any]
) -> Iterator[tuple[Key, Stored]]:
    for b, y, k, cell, kind, value in session.execute(
        text(
            "SELECT p.branch_code, p.fiscal_year, k.key, t.branch_code, t.kind, t.value "
            "FROM branch_targets t JOIN kpis k ON k.id = t.kpi_id "
            f"JOIN plans p ON p.id = t.plan_id {where}"
        ),
        params,
    ):
        key = branch_target_key(b, y, k, cell)
        yield ("branch_target", key, "target"), Stored(branch_target_text(kind, value))


def _months(session: Session, where: str, params: dict[str, Any]) -> Iterator[tuple[Key, Stored]]:
    for entity, table in (("kpi_profile", "kpi_profiles"), ("monthly", "kpi_monthly")):
        for b, y, k, index, value in session.execute(
            text(
                "SELECT p.branch_code, p.fiscal_year, k.key, m.fiscal_index, m.value "
                f"FROM {table} m JOIN kpis k ON k.id = m.kpi_id "
                f"JOIN plans p ON p.id = k.plan_id {where}"
            ),
            params,
        ):
            yield (entity, audit.monthly_key(b, y, k, _month(y, index)), "value"), Stored(value)


def _reports(session: Session, where: str, params: dict[str, Any]) -> Iterator[tuple[Key, Stored]]:
    for b, y, period, as_of, title, signed_by, signed_at in session.execute(
        text(
            "SELECT p.branch_code, p.fiscal_year, r.period, r.as_of, r.title, s.signed_by, "
            "s.signed_at FROM reports r JOIN plans p ON p.id = r.plan_id "
            f"LEFT JOIN report_signoffs s ON s.report_id = r.id {where}"
        ),
        params,
    ):
        key = audit.report_key(b, y, period)
        yield ("report", key, "as_of"), Stored(as_of)
        yield ("report", key, "title"), Stored(title)
        yield ("report", key, "signed_off"), Stored(signed_at, signed_by)


def _report_rows(
    session: Session, where: str, params: dict[str, Any]
) -> Iterator[tuple[Key, Stored]]:
    head = "SELECT p.branch_code, p.fiscal_year, r.period"
    joins = "JOIN reports r ON r.id = x.report_id JOIN plans p ON p.id = r.plan_id"
    for b, y, period, node, *values in session.execute(
        text(
            f"{head}, n.key, x.status_text, x.mark, x.mark_reason, x.next_steps, x.actions "
            f"FROM section_entries x {joins} JOIN plan_nodes n ON n.id = x.node_id {where}"
        ),
        params,
    ):
        key = audit.report_item_key(audit.report_key(b, y, period), node)
        for name, value in zip(("status_text", "mark", "mark_reason", "next_steps", "actions"), values,
                               strict=True):  # fmt: skip
            yield ("entry", key, name), Stored(value)
    for b, y, period, kpi, value, num, den, done, as_of, prelim, why, *more in session.execute(
        text(
            f"{head}, k.key, x.value, x.numerator, x.denominator, x.done, x.as_of, "
            "x.preliminary, x.unavailable_reason, x.manual_status, x.manual_reason, "
            f"x.old_method_value FROM measurements x {joins} "
            f"JOIN kpis k ON k.id = x.kpi_id {where}"
        ),
        params,
    ):
        key = audit.report_item_key(audit.report_key(b, y, period), kpi)
        yield ("measurement", key, "value"), Stored(value)
        yield ("measurement", key, "numerator"), Stored(num)
        yield ("measurement", key, "denominator"), Stored(den)
        yield ("measurement", key, "done"), Stored(flag_text(done))
        yield ("measurement", key, "as_of"), Stored(as_of)
        yield ("measurement", key, "preliminary"), Stored(flag_text(prelim))
        yield ("measurement", key, "unavailable_reason"), Stored(why)
        for name, extra in zip(("manual_status", "manual_reason", "old_method_value"), more,
                               strict=True):  # fmt: skip
            yield ("measurement", key, name), Stored(extra)
    for b, y, period, kpi, average, rank, count, source in session.execute(
        text(
            f"{head}, k.key, x.national_average, x.national_rank, x.branch_count, x.source "
            f"FROM benchmarks x {joins} JOIN kpis k ON k.id = x.kpi_id {where}"
        ),
        params,
    ):
        key = audit.report_item_key(audit.report_key(b, y, period), kpi)
        yield ("benchmark", key, "national_average"), Stored(average)
        yield ("benchmark", key, "national_rank"), Stored(_int(rank))
        yield ("benchmark", key, "branch_count"), Stored(_int(count))
        yield ("benchmark", key, "national_source"), Stored(source)
    for b, y, period, node, state, approved in session.execute(
        text(
            f"{head}, n.key, x.state, x.approved_content FROM section_reviews x {joins} "
            f"JOIN plan_nodes n ON n.id = x.node_id {where}"
        ),
        params,
    ):
        key = audit.report_item_key(audit.report_key(b, y, period), node)
        yield ("review", key, "state"), Stored(state)
        yield (
            ("review", key, "approved_content"),
            Stored(None if approved is None else digest(approved)),
        )


def _users(session: Session, _where: str, _params: dict[str, Any]) -> Iterator[tuple[Key, Stored]]:
    for login, name, role, group, active, password in session.execute(
        text("SELECT login, display_name, role, group_name, active, password_hash FROM users")
    ):
        yield ("user", login, "display_name"), Stored(name)
        yield ("user", login, "role"), Stored(role)
        yield ("user", login, "group"), Stored(group)
        flag = flag_text(active)
        yield ("user", login, "active"), Stored(flag.lower() if flag in ("True", "False") else flag)
        yield ("user", login, "password"), Stored(password_token(password))


_PLAN_TABLES: tuple[_Rows, ...] = (
    _plans, _nodes, _kpis, _branch_targets, _months, _reports, _report_rows
)  # fmt: skip


def stored_values(session: Session, plan: tuple[str, int] | None = None) -> dict[Key, Stored]:
    """Every accounted value as stored (raw column text, encoded as the audit log
    writes it), of one plan or of the whole database (people included)."""
    where = ""
    params: dict[str, Any] = {}
    if plan is not None:
        where = "WHERE p.branch_code = :b AND p.fiscal_year = :y"
        params = {"b": plan[0], "y": plan[1]}
    out: dict[Key, Stored] = {}
    tables = _PLAN_TABLES if plan is not None else (*_PLAN_TABLES, _users)
    for rows in tables:
        out.update(rows(session, where, params))
    return out


# --- writing entries for what was stored ---------------------------------------------


def _is_empty(key: Key, value: str | None) -> bool:
    spec = SPECS[key[0], key[2]]
    return value in spec.empty


def record_created(
    session: Session,
    branch: str,
    fiscal_year: int,
    *,
    actor: str,
    action: str,
    at: datetime,
    note: str | None,
) -> int:
    """After a plan was stored whole (install, import, rollover): its ``created`` entry,
    then one entry per value it holds. Returns how many values were recorded."""
    session.flush()
    audit.append(session, at=at, actor=actor, action=action, entity="plan",
                 entity_key=audit.plan_key(branch, fiscal_year), field=CREATED, new=note)  # fmt: skip
    values = stored_values(session, (branch, fiscal_year))
    return _record(session, values, actor=actor, action=action, at=at)


def record_baseline(session: Session, *, since: str | None, at: datetime | None = None) -> int:
    """Once, when a database from before this accounting is upgraded: an entry saying
    so, then one entry per value stored at that moment (labelled ``baseline``)."""
    at = at or datetime.now(UTC)
    session.flush()
    audit.append(session, at=at, actor=BASELINE_ACTOR, action=BASELINE, entity="database",
                 entity_key="", field=BASELINE, new=f"schema {since}")  # fmt: skip
    return _record(session, stored_values(session), actor=BASELINE_ACTOR, action=BASELINE, at=at)


def record_differences(
    session: Session,
    before: dict[Key, Stored],
    after: dict[Key, Stored],
    *,
    actor: str,
    action: str,
    at: datetime,
) -> int:
    """After a structure edit (a node or KPI added, moved, removed, restored): one entry
    per accounted value it changed, a removed value recorded as emptied. Returns how
    many. A restored value that names who did it (a KPI confirmation) keeps that actor."""
    session.flush()
    entries = []
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key), after.get(key)
        old_value = old.value if old is not None else None
        new_value = new.value if new is not None else None
        if _is_empty(key, old_value) and _is_empty(key, new_value):
            continue
        if old_value == new_value and (old is None or new is None or old.actor == new.actor):
            continue
        who = (new.actor if new is not None else None) or actor
        entries.append(audit.Entry(at, who, action, *key, old_value, new_value))
    audit.append_many(session, entries)
    return len(entries)


def _record(
    session: Session, values: dict[Key, Stored], *, actor: str, action: str, at: datetime
) -> int:
    entries = [
        audit.Entry(at, stored.actor or actor, action, entity, key, field, None, stored.value)
        for (entity, key, field), stored in sorted(values.items())
        if not _is_empty((entity, key, field), stored.value)
    ]
    audit.append_many(session, entries)
    return len(entries)


# --- replaying the log ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Difference:
    """A stored value the audit trail does not account for."""

    key: Key
    stored: str | None
    expected: str | None  # the last entry's value (None: no entry)
    problem: str  # changed | unrecorded | missing | actor
    entry_id: int | None = None
    stored_actor: str | None = None
    expected_actor: str | None = None

    @property
    def spec(self) -> FieldSpec:
        return SPECS[self.key[0], self.key[2]]


@dataclass(frozen=True, slots=True)
class _Last:
    value: str | None
    actor: str
    entry_id: int


@dataclass(frozen=True, slots=True)
class Replay:
    values: dict[Key, _Last]
    baseline_at: datetime | None  # when the newest baseline was recorded
    baseline_count: int


def replay(session: Session) -> Replay:
    """The last value (and who set it) of every accounted field, by the audit log."""
    state: dict[Key, _Last] = {}
    baseline_at: datetime | None = None
    baseline_count = 0
    rows = session.execute(
        text(
            "SELECT id, at, actor, action, entity, entity_key, field, new_value "
            "FROM audit_log ORDER BY id"
        )
    )
    for row_id, at, actor, action, entity, key, field, new in rows:
        if entity == "database" and field == BASELINE:
            state.clear()
            baseline_at, baseline_count = datetime.fromisoformat(at), 0
            continue
        if entity == "plan" and field in (CREATED, REMOVED):
            prefix = key + "/"
            for k in [k for k in state if k[0] in PLAN_SCOPED and
                      (k[1] == key or k[1].startswith(prefix))]:  # fmt: skip
                del state[k]
        if (entity, field) in SPECS:
            state[entity, key, field] = _Last(new, actor, row_id)
            if action == BASELINE:
                baseline_count += 1
    return Replay(state, baseline_at, baseline_count)


def _same(spec: FieldSpec, stored: str | None, expected: str | None) -> bool:
    if stored in spec.empty and expected in spec.empty:
        return True
    if spec.kind == "present":
        return (stored is None) == (expected is None)
    if spec.kind == "timestamp" and stored is not None and expected is not None:
        try:
            return datetime.fromisoformat(stored) == datetime.fromisoformat(expected)
        except ValueError:
            return False
    return stored == expected


def differences(session: Session) -> tuple[list[Difference], Replay]:
    """Where what is stored differs from what the audit trail says it should be."""
    played = replay(session)
    stored = stored_values(session)
    out: list[Difference] = []
    for key, value in stored.items():
        spec = SPECS[key[0], key[2]]
        last = played.values.get(key)
        expected = last.value if last else None
        if not _same(spec, value.value, expected):
            problem = "changed" if last is not None else "unrecorded"
            out.append(Difference(key, value.value, expected, problem,
                                  last.entry_id if last else None))  # fmt: skip
        elif (
            spec.by_actor
            and last is not None
            and value.value not in spec.empty
            and value.actor != last.actor
        ):
            out.append(Difference(key, value.value, expected, "actor", last.entry_id,
                                  value.actor, last.actor))  # fmt: skip
    for key, last in played.values.items():
        if key not in stored and last.value not in SPECS[key[0], key[2]].empty:
            out.append(Difference(key, None, last.value, "missing", last.entry_id))
    out.sort(key=lambda d: (d.entry_id or 0, d.key))
    return out, played
