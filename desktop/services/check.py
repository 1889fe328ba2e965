"""`plandesk check`: is the database whole, is its history intact, and does what is
stored agree with that history?

Every finding says what was checked and what was found in Japanese and in English
(``label`` and ``detail``, each a Text): a changed value is named by its report,
section or KPI, field, stored value and the value the audit trail gives.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

from desktop.domain.branches import branch as find_branch
from desktop.domain.calendar import YearMonth, fiscal_year_label
from desktop.domain.model import PeriodKind
from desktop.domain.review import Role, SectionState
from desktop.domain.text import Text
from desktop.store import audit, content
from desktop.store.database import Database, current_revision, head_revision
from desktop.store.errors import StoreError
from desktop.store.models import Base

LISTED = 10  # differences named one by one; the rest are counted
_NO_PROBLEMS = Text("問題ありません", "no problems")


@dataclass(frozen=True, slots=True)
class Finding:
    ok: bool
    label: Text  # what was checked
    detail: Text  # what was found


@dataclass(frozen=True, slots=True)
class CheckReport:
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.findings)


def check_database(db: Database) -> CheckReport:
    findings: list[Finding] = []
    with db.read() as session:
        findings.append(_integrity(session))
        findings.append(_references(session))
        structure = _structure(session)
        findings.append(structure)
        findings.append(_chain(session))
        if structure.ok:
            findings.append(_content(session))
    revision = current_revision(db)
    findings.append(
        Finding(
            revision == head_revision(),
            Text("データベースの版", "Schema version"),
            Text(
                f"{revision}（この PlanDesk は {head_revision()}）",
                f"{revision} (this PlanDesk: {head_revision()})",
            ),
        )
    )
    return CheckReport(findings)


def _integrity(session: Session) -> Finding:
    rows = [r[0] for r in session.execute(text("PRAGMA integrity_check")).fetchall()]
    ok = rows == ["ok"]
    said = "; ".join(rows[:5])
    return Finding(
        ok,
        Text("ファイルの整合性（integrity_check）", "File integrity (integrity_check)"),
        _NO_PROBLEMS
        if ok
        else Text(
            f"SQLite がファイルの破損を報告しました: {said}",
            f"SQLite reports damage in the file: {said}",
        ),
    )


def _references(session: Session) -> Finding:
    rows = session.execute(text("PRAGMA foreign_key_check")).fetchall()
    label = Text("参照の整合性（foreign_key_check）", "References (foreign_key_check)")
    if not rows:
        return Finding(True, label, _NO_PROBLEMS)
    where = ", ".join(f"{table} #{rowid} → {parent}" for table, rowid, parent, _ in rows[:3])
    return Finding(
        False,
        label,
        Text(
            f"存在しない行を参照している行が {len(rows)} 件あります: {where}",
            f"{len(rows)} row(s) refer to rows that do not exist: {where}",
        ),
    )


def _structure(session: Session) -> Finding:
    """Every table PlanDesk needs, and nothing that acts behind its back: PlanDesk
    creates no triggers, and one added by hand can change data on every write."""
    rows = session.execute(
        text("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'trigger')")
    ).all()
    present = {name for kind, name in rows if kind == "table"}
    missing = sorted(set(Base.metadata.tables) - present)
    triggers = sorted(name for kind, name in rows if kind == "trigger")
    ja: list[str] = []
    en: list[str] = []
    if missing:
        ja.append(f"表がありません: {', '.join(missing)}")
        en.append(f"missing tables: {', '.join(missing)}")
    if triggers:
        ja.append(f"PlanDesk が作っていないトリガーがあります: {', '.join(triggers)}")
        en.append(f"triggers PlanDesk did not create: {', '.join(triggers)}")
    return Finding(
        not missing and not triggers,
        Text("データベースの構造（表）", "Database structure (tables)"),
        Text(
            "; ".join(ja) or "すべての表があり、ほかのものはありません",
            "; ".join(en) or "all tables present, nothing else",
        ),
    )


def _chain(session: Session) -> Finding:
    count, broken = audit.verify_chain(session)
    label = Text("監査ログのハッシュチェーン", "Audit trail hash chain")
    if broken is None:
        return Finding(
            True, label, Text(f"{count:,} 件の記録に問題はありません", f"{count:,} entries intact")
        )
    return Finding(
        False,
        label,
        Text(
            f"監査ログ {broken.row_id} 番: {broken.reason_ja}",
            f"audit entry {broken.row_id}: {broken.reason_en}",
        ),
    )


# --- stored data against the audit trail ---------------------------------------------


def _content(session: Session) -> Finding:
    label = Text("保存内容と監査ログの照合", "Stored data against the audit trail")
    try:
        found, played = content.differences(session)
        stored = len(content.stored_values(session))
    except StoreError as exc:
        return Finding(False, label, exc.text)
    if not found:
        ja = f"保存されている {stored:,} 件の値はすべて監査ログのとおりです"
        en = f"all {stored:,} stored values are as the audit trail says"
        if played.baseline_at is not None:
            day = played.baseline_at.astimezone().date().isoformat()
            ja += (
                f"（うち {played.baseline_count:,} 件は {day} のアップグレード時に保存されていた値"
                "として記録されたもので、それ以前の変更履歴は確認できません）"
            )
            en += (
                f" ({played.baseline_count:,} of them recorded as stored at the upgrade on {day}; "
                "their history before that cannot be checked)"
            )
        return Finding(True, label, Text(ja, en))
    names = _Names(session)
    lines_ja = [
        f"監査ログと異なる値が {len(found):,} 件あります（PlanDesk 以外で変更された可能性）:"
    ]
    lines_en = [
        f"{len(found):,} stored value(s) differ from the audit trail (changed outside PlanDesk?):"
    ]
    for d in found[:LISTED]:
        lines_ja.append("  - " + _describe(d, names, "ja"))
        lines_en.append("  - " + _describe(d, names, "en"))
    if len(found) > LISTED:
        lines_ja.append(f"  ほか {len(found) - LISTED:,} 件")
        lines_en.append(f"  and {len(found) - LISTED:,} more")
    return Finding(False, label, Text("\n".join(lines_ja), "\n".join(lines_en)))


class _Names:
    """Titles of sections and names of KPIs, for the few differences listed."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _one(self, sql: str, branch: str, year: int, key: str) -> str | None:
        return self.session.execute(
            text(sql), {"b": branch, "y": year, "k": key}
        ).scalar_one_or_none()

    def node(self, branch: str, year: int, key: str) -> str:
        title = self._one(
            "SELECT n.label || n.title FROM plan_nodes n JOIN plans p ON p.id = n.plan_id "
            "WHERE p.branch_code = :b AND p.fiscal_year = :y AND n.key = :k",
            branch, year, key,
        )  # fmt: skip
        return f"{key} {title}" if title else key

    def kpi(self, branch: str, year: int, key: str) -> str:
        name = self._one(
            "SELECT k.name FROM kpis k JOIN plans p ON p.id = k.plan_id "
            "WHERE p.branch_code = :b AND p.fiscal_year = :y AND k.key = :k",
            branch, year, key,
        )  # fmt: skip
        return f"{key} {name}" if name else key


def _plan_words(branch: str, year: int, lang: str) -> str:
    try:
        unit = find_branch(branch)
        who = unit.name_ja if lang == "ja" else unit.name_en
    except (KeyError, ValueError):
        who = branch
    if lang == "ja":
        return f"{who} {fiscal_year_label(year, 'era')}"
    return f"{who} FY{year}"


def _period_words(period: str, lang: str) -> str:
    try:
        kind = PeriodKind(period)
    except ValueError:
        return period
    return kind.label_ja if lang == "ja" else kind.label_en


def _month_words(iso: str, lang: str) -> str:
    try:
        month = YearMonth.from_iso(iso)
    except (ValueError, KeyError):
        return iso
    return month.era_label() if lang == "ja" else iso


def _where(d: content.Difference, names: _Names, lang: str) -> str:
    """The report, section or KPI a value belongs to, as a person reads it."""
    entity, key, _ = d.key
    ja = lang == "ja"
    if entity == "user":
        return f"利用者 {key}" if ja else f"user {key}"
    parts = key.split("/")
    try:
        branch, year = parts[0], int(parts[1])
    except (IndexError, ValueError):
        return key
    plan = _plan_words(branch, year, lang)
    sep, item = ("・", "項目 ") if ja else (", ", "item ")
    if entity == "plan":
        return f"{plan}の計画" if ja else f"{plan} plan"
    if entity == "node" and len(parts) == 3:
        return f"{plan}{sep}{item}{names.node(branch, year, parts[2])}"
    if entity == "kpi" and len(parts) == 3:
        return f"{plan}{sep}KPI {names.kpi(branch, year, parts[2])}"
    if entity in ("monthly", "kpi_profile") and len(parts) == 4:
        kpi = names.kpi(branch, year, parts[2])
        return f"{plan}{sep}KPI {kpi}{sep}{_month_words(parts[3], lang)}"
    if len(parts) < 3:
        return key
    report = f"{plan} {_period_words(parts[2], lang)}"
    if entity == "report":
        return report
    if entity in ("entry", "review") and len(parts) == 4:
        return f"{report}{sep}{item}{names.node(branch, year, parts[3])}"
    if entity in ("measurement", "benchmark") and len(parts) == 4:
        return f"{report}{sep}KPI {names.kpi(branch, year, parts[3])}"
    return key


_SHORT = 40


def _shown(d: content.Difference, value: str | None, lang: str) -> str:
    ja = lang == "ja"
    entity, _, name = d.key
    if value is None or value == "":
        return "（空）" if ja else "(empty)"
    if name == "approved_content":
        return "（内容の指紋）" + value[7:19] if ja else "(fingerprint) " + value[7:19]
    if name == "password":
        return "（設定あり）" + value[-8:] if ja else "(set) " + value[-8:]
    if value in ("True", "False", "true", "false"):
        yes = value.lower() == "true"
        return ("はい" if yes else "いいえ") if ja else ("yes" if yes else "no")
    if name == "state":
        try:
            return SectionState(value).label(lang)
        except ValueError:
            return value
    if name == "role":
        try:
            return Role(value).label(lang)
        except ValueError:
            return value
    if name == "signed_off" and entity == "report":
        try:  # the person's local time, as the app shows it
            return datetime.fromisoformat(value).astimezone().strftime("%Y-%m-%d %H:%M:%S")
        except ValueError:
            return value
    flat = value.replace("\n", " ")
    return flat if len(flat) <= _SHORT else flat[: _SHORT - 1] + "…"


def _describe(d: content.Difference, names: _Names, lang: str) -> str:
    sep = "・" if lang == "ja" else ", "
    where = f"{_where(d, names, lang)}{sep}{d.spec.label(lang)}"
    stored = _shown(d, d.stored, lang)
    expected = _shown(d, d.expected, lang)
    entry = d.entry_id
    if lang == "ja":
        if d.problem == "changed":
            return (
                f"{where}: 保存値「{stored}」、監査ログ上の値「{expected}」（監査ログ {entry} 番）"
            )
        if d.problem == "unrecorded":
            return f"{where}: 保存値「{stored}」は監査ログに記録がありません"
        if d.problem == "missing":
            return (
                f"{where}: 監査ログ上は「{expected}」（{entry} 番）ですが、"
                "データベースにありません（削除されています）"
            )
        return (
            f"{where}: 監査ログでは {d.expected_actor} さんの操作（{entry} 番）ですが、"
            f"データベースでは {d.stored_actor} さんになっています"
        )
    if d.problem == "changed":
        return f"{where}: stored '{stored}', the audit trail says '{expected}' (entry {entry})"
    if d.problem == "unrecorded":
        return f"{where}: stored '{stored}' has no audit entry"
    if d.problem == "missing":
        return (
            f"{where}: the audit trail says '{expected}' (entry {entry}) but it is not in "
            "the database (deleted)"
        )
    return (
        f"{where}: the audit trail says {d.expected_actor} did it (entry {entry}), the "
        f"database says {d.stored_actor}"
    )
