"""audit_head: where the audit log should end (detects a truncated log)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

GENESIS = "0" * 64  # the hash before the first entry (desktop.store.audit.GENESIS)


def upgrade() -> None:
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.Text(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_audit_head_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
        sqlite_strict=True,
    )
    # An existing database: the head is its current last entry (trusted as it stands
    # at the upgrade, like every row before it); a new one starts at the genesis.
    op.execute(
        sa.text(
            "INSERT INTO audit_head (id, last_id, last_hash) "
            "SELECT 1, COALESCE((SELECT id FROM audit_log ORDER BY id DESC LIMIT 1), 0), "
            "COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), :genesis)"
        ).bindparams(genesis=GENESIS)
    )


def downgrade() -> None:
    op.drop_table("audit_head")
