"""plan_nodes.rated_with: rating scopes (one mark and reason over several items)

The key of the item whose one mark and reason rate this node too
(desktop/domain/rating_scopes.py); NULL: rated on its own, what every node stored
before this revision is. ADD COLUMN only.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("plan_nodes", sa.Column("rated_with", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table(
        "plan_nodes", schema=None, recreate="always", table_kwargs={"sqlite_strict": True}
    ) as batch_op:
        batch_op.drop_column("rated_with")
