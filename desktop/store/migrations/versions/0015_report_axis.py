"""plans.report_axis, plans.number_per_group, plan_nodes.report_position: groups as
a report axis (issue 16 item 2)

How a plan's report is organised ('tree', what every plan stored before this
revision is, or 'group'), whether the printed numbers restart in each group, and a
node's place in a report organised by group (NULL: after the placed ones, in tree
order). ADD COLUMN only, with defaults that keep every stored plan as it printed.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "plans", sa.Column("report_axis", sa.Text(), nullable=False, server_default="tree")
    )
    op.add_column(
        "plans", sa.Column("number_per_group", sa.Integer(), nullable=False, server_default="0")
    )
    op.add_column("plan_nodes", sa.Column("report_position", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table(
        "plan_nodes", schema=None, recreate="always", table_kwargs={"sqlite_strict": True}
    ) as batch_op:
        batch_op.drop_column("report_position")
    with op.batch_alter_table(
        "plans", schema=None, recreate="always", table_kwargs={"sqlite_strict": True}
    ) as batch_op:
        batch_op.drop_column("number_per_group")
        batch_op.drop_column("report_axis")
