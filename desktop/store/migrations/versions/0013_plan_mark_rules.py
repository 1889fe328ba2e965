"""plans.mark_rules: HQ's rules for suggested marks, carried by the plan

The rules HQ sets in its template (desktop/domain/mark_rules.py) as compact JSON
text; branch plans made from the template carry a copy. NULL: the default rules,
what every plan stored before this revision uses. ADD COLUMN only.

Revision ID: 0013
Revises: 0008
Create Date: 2026-12-02 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("plans", sa.Column("mark_rules", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table(
        "plans", schema=None, recreate="always", table_kwargs={"sqlite_strict": True}
    ) as batch_op:
        batch_op.drop_column("mark_rules")
