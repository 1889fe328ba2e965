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

"0006" named two schemas in PlanDesk's history: this revision was 0006 on main
until the merge of 5f3af8d renamed it 0007, after "KPIs judged at a printed
precision" had taken 0006 on a branch. A file stamped 0006 by the code of that
time has this revision's meaning and lacks kpis.judged_decimals; Alembic takes
it for the new 0006 and would skip the column. The upgrade adds it here when it
is missing (tests/data/plandesk-rev0006-audit.sqlite3.gz is such a file).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

records_audit_baseline = True


def upgrade() -> None:
    columns = {row[1] for row in op.get_bind().exec_driver_sql("PRAGMA table_info(kpis)")}
    if "judged_decimals" not in columns:  # the other "0006": see the docstring
        op.add_column(
            "kpis",
            sa.Column(
                "judged_decimals",
                sa.Integer(),
                sa.CheckConstraint(
                    "judged_decimals BETWEEN 0 AND 6", name=op.f("ck_kpis_judged_decimals")
                ),
                nullable=True,
            ),
        )


def downgrade() -> None:
    pass
