"""plan structure written in the app: 支部独自 flags, HQ's "branch may add" flag,
removed parts kept for undo, and the serial of keys handed out

plan_nodes gains own (支部独自, 0/1) and branch_may_add (HQ's flag: NULL = the
default); kpis gains own; plans gains key_serial (the last serial used for a new
node or KPI key, so that a removed key is never handed out again). removed_parts
keeps what a structure edit removed — the node or KPI with every report value that
hung on it — until it is restored (undo). ADD COLUMN and CREATE TABLE only:
existing rows keep every value.

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-02 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("plan_nodes", sa.Column("own", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("plan_nodes", sa.Column("branch_may_add", sa.Integer(), nullable=True))
    op.add_column("kpis", sa.Column("own", sa.Integer(), nullable=False, server_default="0"))
    op.add_column(
        "plans", sa.Column("key_serial", sa.Integer(), nullable=False, server_default="0")
    )
    op.create_table(
        "removed_parts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("keys", sa.Text(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("removed_by", sa.Text(), nullable=False),
        sa.Column("removed_at", sa.Text(), nullable=False),
        sa.CheckConstraint("kind IN ('node', 'kpi')", name=op.f("ck_removed_parts_kind")),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
            name=op.f("fk_removed_parts_plan_id_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_removed_parts")),
        sqlite_strict=True,
    )
    op.create_index(op.f("ix_removed_parts_plan_id"), "removed_parts", ["plan_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_removed_parts_plan_id"), table_name="removed_parts")
    op.drop_table("removed_parts")
    for table, column in (
        ("plans", "key_serial"),
        ("kpis", "own"),
        ("plan_nodes", "branch_may_add"),
        ("plan_nodes", "own"),
    ):
        with op.batch_alter_table(
            table, schema=None, recreate="always", table_kwargs={"sqlite_strict": True}
        ) as batch_op:
            batch_op.drop_column(column)
