"""kpis.judged_decimals: a KPI judged at its printed precision (optional rule)

A figure is judged as entered unless its KPI's definition says it is judged
rounded to N decimals; existing KPIs keep NULL (as entered).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ADD COLUMN (no table rebuild): the CHECK holds for new values, NULL passes.
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
    # SQLite cannot drop a column its CHECK uses: the table is rebuilt, STRICT kept.
    with op.batch_alter_table(
        "kpis", schema=None, recreate="always", table_kwargs={"sqlite_strict": True}
    ) as batch_op:
        batch_op.drop_constraint(op.f("ck_kpis_judged_decimals"), type_="check")
        batch_op.drop_column("judged_decimals")
