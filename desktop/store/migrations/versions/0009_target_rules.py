"""targets beyond one number a year: multi-year goals, rules over months, goals in
words (手動判定), reference indicators (参考指標), the old-method figure of a changed
definition

kpis gains reference_indicator (0 for every existing KPI), baseline_year,
baseline_value, goal_year, target_text and definition_note; its target_kind CHECK
also allows 'multi_year', 'monthly' and 'manual' (SQLite cannot alter a CHECK: the
table is rebuilt, every row and id kept). measurements gains manual_status (a
person's verdict: 'met', 'on_pace', 'behind_pace', 'not_met'), manual_reason and
old_method_value. Existing rows keep every value.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

OLD_KINDS = "target_kind IN ('fixed','prev_year')"
NEW_KINDS = "target_kind IN ('fixed','prev_year','multi_year','monthly','manual')"
MANUAL = "manual_status IN ('met','on_pace','behind_pace','not_met')"
KPI_COLUMNS = ("definition_note", "target_text", "goal_year", "baseline_value", "baseline_year")


def upgrade() -> None:
    with op.batch_alter_table(
        "kpis", schema=None, recreate="always", table_kwargs={"sqlite_strict": True}
    ) as batch_op:
        batch_op.drop_constraint(op.f("ck_kpis_target_kind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_kpis_target_kind"), sa.text(NEW_KINDS))
        batch_op.add_column(
            sa.Column("reference_indicator", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("baseline_year", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("baseline_value", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("goal_year", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("target_text", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("definition_note", sa.Text(), nullable=True))
    op.add_column(
        "measurements",
        sa.Column(
            "manual_status",
            sa.Text(),
            sa.CheckConstraint(MANUAL, name=op.f("ck_measurements_manual_status")),
            nullable=True,
        ),
    )
    op.add_column("measurements", sa.Column("manual_reason", sa.Text(), nullable=True))
    op.add_column("measurements", sa.Column("old_method_value", sa.Text(), nullable=True))


def downgrade() -> None:
    # SQLite cannot drop a column its CHECK uses: the tables are rebuilt, STRICT kept.
    with op.batch_alter_table(
        "measurements", schema=None, recreate="always", table_kwargs={"sqlite_strict": True}
    ) as batch_op:
        batch_op.drop_constraint(op.f("ck_measurements_manual_status"), type_="check")
        for name in ("old_method_value", "manual_reason", "manual_status"):
            batch_op.drop_column(name)
    with op.batch_alter_table(
        "kpis", schema=None, recreate="always", table_kwargs={"sqlite_strict": True}
    ) as batch_op:
        batch_op.drop_constraint(op.f("ck_kpis_target_kind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_kpis_target_kind"), sa.text(OLD_KINDS))
        for name in (*KPI_COLUMNS, "reference_indicator"):
            batch_op.drop_column(name)
