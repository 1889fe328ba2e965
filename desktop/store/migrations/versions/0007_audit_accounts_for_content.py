"""the audit trail accounts for every stored value (a baseline for older databases)

From this revision on, every value a person, an import, a rollover or a plan
install stores has an audit entry (desktop.store.content), and `plandesk check`
replays the log against what is stored. No table changes: the revision marks the
point, so that an older PlanDesk (which writes plans without those entries)
refuses the upgraded file, and so that upgrading a database from before it
records a baseline — one entry per value stored at that moment, labelled
"baseline" — right after the migrations, in the same transaction
(desktop.store.database._migrate, which looks for ``records_audit_baseline``).
The baseline is written there and not here because it reads the tables as the
newest schema has them.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 09:00:00
"""

from __future__ import annotations

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

records_audit_baseline = True


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
