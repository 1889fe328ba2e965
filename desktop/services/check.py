"""`plandesk check`: is the database whole, and is its history intact?"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import text

from desktop.store import audit
from desktop.store.database import Database, current_revision, head_revision


@dataclass(frozen=True, slots=True)
class Finding:
    ok: bool
    label_ja: str
    label_en: str
    detail: str = ""

    def label(self, lang: str = "ja") -> str:
        return self.label_ja if lang == "ja" else self.label_en


@dataclass(frozen=True, slots=True)
class CheckReport:
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.findings)


def check_database(db: Database) -> CheckReport:
    findings: list[Finding] = []
    with db.read() as session:
        conn = session.connection()
        integrity = [r[0] for r in conn.execute(text("PRAGMA integrity_check")).fetchall()]
        findings.append(
            Finding(
                integrity == ["ok"],
                "ファイルの整合性（integrity_check）",
                "File integrity (integrity_check)",
                "ok" if integrity == ["ok"] else "; ".join(integrity[:5]),
            )
        )
        fk = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
        findings.append(
            Finding(
                not fk,
                "参照の整合性（foreign_key_check）",
                "References (foreign_key_check)",
                "ok" if not fk else f"{len(fk)} problem(s): {fk[:3]}",
            )
        )
        count, broken = audit.verify_chain(session)
        findings.append(
            Finding(
                broken is None,
                "監査ログのハッシュチェーン",
                "Audit trail hash chain",
                f"{count} entries intact"
                if broken is None
                else f"row {broken.row_id}: {broken.reason_en} / {broken.reason_ja}",
            )
        )
    revision = current_revision(db)
    findings.append(
        Finding(
            revision == head_revision(),
            "データベースの版",
            "Schema version",
            f"{revision}",
        )
    )
    return CheckReport(findings)
