"""kpi_monthly: this year's figure per fiscal month (月次実績)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 02:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kpi_monthly",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kpi_id", sa.Integer(), nullable=False),
        sa.Column("fiscal_index", sa.Integer(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("entered_by", sa.Text(), nullable=False),
        sa.Column("entered_at", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "fiscal_index BETWEEN 1 AND 12", name=op.f("ck_kpi_monthly_fiscal_index")
        ),
        sa.ForeignKeyConstraint(
            ["kpi_id"], ["kpis.id"], name=op.f("fk_kpi_monthly_kpi_id_kpis"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kpi_monthly")),
        sa.UniqueConstraint("kpi_id", "fiscal_index", name="kpi_monthly_month"),
        sqlite_strict=True,
    )
    with op.batch_alter_table("kpi_monthly", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kpi_monthly_kpi_id"), ["kpi_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("kpi_monthly", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kpi_monthly_kpi_id"))
    op.drop_table("kpi_monthly")
