"""HQ's targets per branch: the branch_targets table (branch × KPI of HQ's template
plan), 対前年度末 targets (target_kind 'prev_year_end'), and kpis.target_by_branch
(支部設定: the template left the target to the branch)

kpis is rebuilt to widen its target_kind CHECK (SQLite cannot alter a CHECK); every
row keeps its values, target_by_branch is 0 for all of them. The migration runs with
foreign keys off and is checked with foreign_key_check afterwards (database.py).

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-02 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

STRICT = {"sqlite_strict": True}


def upgrade() -> None:
    with op.batch_alter_table(
        "kpis", schema=None, recreate="always", table_kwargs=STRICT
    ) as batch_op:
        batch_op.drop_constraint(op.f("ck_kpis_target_kind"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_kpis_target_kind"),
            "target_kind IN ('fixed','prev_year','prev_year_end','multi_year','monthly','manual')",
        )
        batch_op.add_column(
            sa.Column("target_by_branch", sa.Integer(), nullable=False, server_default="0")
        )
    op.create_table(
        "branch_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("kpi_id", sa.Integer(), nullable=False),
        sa.Column("branch_code", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.CheckConstraint("length(branch_code) = 2", name=op.f("ck_branch_targets_branch_code")),
        sa.CheckConstraint(
            "kind IN ('fixed','prev_year','prev_year_end','qualitative','by_branch')",
            name=op.f("ck_branch_targets_kind"),
        ),
        sa.CheckConstraint(
            "(kind = 'fixed') = (value IS NOT NULL)", name=op.f("ck_branch_targets_value")
        ),
        sa.ForeignKeyConstraint(
            ["kpi_id"],
            ["kpis.id"],
            name=op.f("fk_branch_targets_kpi_id_kpis"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
            name=op.f("fk_branch_targets_plan_id_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_branch_targets")),
        sa.UniqueConstraint("kpi_id", "branch_code", name="branch_target_cell"),
        **STRICT,
    )
    op.create_index(op.f("ix_branch_targets_kpi_id"), "branch_targets", ["kpi_id"])
    op.create_index(op.f("ix_branch_targets_plan_id"), "branch_targets", ["plan_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_branch_targets_plan_id"), table_name="branch_targets")
    op.drop_index(op.f("ix_branch_targets_kpi_id"), table_name="branch_targets")
    op.drop_table("branch_targets")
    # 対前年度末 is unknown before 0010: the nearest it knows is 対前年度 (rows are kept).
    op.execute("UPDATE kpis SET target_kind = 'prev_year' WHERE target_kind = 'prev_year_end'")
    with op.batch_alter_table(
        "kpis", schema=None, recreate="always", table_kwargs=STRICT
    ) as batch_op:
        batch_op.drop_constraint(op.f("ck_kpis_target_kind"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_kpis_target_kind"),
            "target_kind IN ('fixed','prev_year','multi_year','monthly','manual')",
        )
        batch_op.drop_column("target_by_branch")
