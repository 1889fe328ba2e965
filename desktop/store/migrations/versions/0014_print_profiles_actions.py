"""plans.print_profiles and section_entries.actions: report layouts and 具体的な取り組み

plans.print_profiles: the print profile HQ's template chooses per period
(desktop/domain/print_profiles.py) as compact JSON, e.g.
{"annual":"annual6","midyear":"progress4"}; branch plans made from the template
carry a copy. NULL: the default (today's four-column table), what every plan
stored before this revision prints.

section_entries.actions: 具体的な取り組み per item, written like 実施状況;
'' for every entry stored before. ADD COLUMN only.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("plans", sa.Column("print_profiles", sa.Text(), nullable=True))
    op.add_column(
        "section_entries",
        sa.Column("actions", sa.Text(), nullable=False, server_default=""),
    )


def downgrade() -> None:
    for table, column in (("section_entries", "actions"), ("plans", "print_profiles")):
        with op.batch_alter_table(
            table, schema=None, recreate="always", table_kwargs={"sqlite_strict": True}
        ) as batch_op:
            batch_op.drop_column(column)
