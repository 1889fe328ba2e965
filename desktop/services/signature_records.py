"""A signed submission's signature as the branch database keeps it: an audit entry
(``sign_submission``) holding the signature and what the submission file says of its
author, time and audit chain, so that every export writes the same, signed file
(``desktop/services/submission_signing.py`` makes it; ``export`` reads it)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select

from desktop.domain.errors import Refused
from desktop.domain.model import ReportRef
from desktop.store.database import Database
from desktop.store.models import AuditRow
from desktop.workbooks.machine import Manifest

SIGN_ACTION = "sign_submission"


@dataclass(frozen=True, slots=True)
class SignatureRecord:
    """A submission's signature and what its file says, as signed."""

    digest: str
    signature: str
    signing_key: str
    audit_head: str
    audit_checkpoints: str | None  # None: no earlier sign-off (an empty cell reads so)
    created_at: datetime
    created_by: str
    created_name: str | None
    signed_off_name: str | None
    app_version: str

    def to_json(self) -> str:
        values = {
            name: getattr(self, name)
            for name in self.__slots__  # type: ignore[attr-defined]
        }
        values["created_at"] = self.created_at.isoformat(timespec="microseconds")
        return json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @staticmethod
    def from_json(text: str) -> SignatureRecord:
        values = json.loads(text)
        values["created_at"] = datetime.fromisoformat(values["created_at"])
        return SignatureRecord(**values)

    def pin(self, m: Manifest) -> Manifest:
        """``m`` saying what the signed file says of its author, time and audit chain."""
        return replace(
            m,
            created_at=self.created_at,
            created_by=self.created_by,
            created_name=self.created_name,
            signed_off_name=self.signed_off_name,
            app_version=self.app_version,
            audit_head=self.audit_head,
            audit_checkpoints=self.audit_checkpoints,
        )

    def signer(self) -> Callable[[Manifest], Manifest]:
        """For ``write_workbook``: puts the signature on the file if its digest is the
        one signed; otherwise refuses (sign again)."""

        def apply(m: Manifest) -> Manifest:
            if m.digest != self.digest:
                raise SignAgain(
                    "署名した時と提出版の内容が異なるため（PlanDesk の更新で印刷の配置が"
                    "変わった、または決裁後に内容が変わった）、このままでは提出版を書き出せません。"
                    "支部長がパスフレーズで署名し直してください（plandesk keys sign）。",
                    "The submission is not what was signed (PlanDesk was updated and prints "
                    "differently, or the report changed after sign-off), so it cannot be "
                    "written as signed. The branch head must sign it again with the "
                    "passphrase (plandesk keys sign).",
                )
            return replace(m, signature=self.signature, signing_key=self.signing_key)

        return apply


class SignAgain(Refused):
    """The stored signature no longer fits the submission file."""


def signature_record(db: Database, ref: ReportRef) -> SignatureRecord | None:
    """The latest signature of the report's submission, or None (never signed)."""
    with db.read() as session:
        row = session.scalars(
            select(AuditRow)
            .where(AuditRow.action == SIGN_ACTION, AuditRow.entity_key == ref.key)
            .order_by(AuditRow.id.desc())
            .limit(1)
        ).first()
        return SignatureRecord.from_json(row.new_value) if row and row.new_value else None
