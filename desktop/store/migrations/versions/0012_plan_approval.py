"""a plan's own approval: draft, submitted, approved, with its content as approved

plan_states holds one row per plan that left draft: its state, who submitted and
approved it and when, the reason of the last send-back or reopening, and the plan's
content when approved (plandesk.plan/1 JSON: tree, texts, KPI definitions and
targets) against which later changes are shown.

Every plan stored before this revision was being reported on already: it is treated
as approved (a row with state 'approved', approved by "PlanDesk" at the upgrade,
no saved content — the content is saved when it is first reopened). Plans made
afterwards (rollover, template, import, install) have no row: a draft.

The upgrade records an audit baseline (records_audit_baseline): the new state of
each plan is then accounted for like every stored value.

Revision ID: 0012
Revises: 0008
Create Date: 2026-12-02 06:00:00
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

records_audit_baseline = True

UPGRADE_ACTOR = "PlanDesk"


def upgrade() -> None:
    op.create_table(
        "plan_states",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("submitted_by", sa.Text(), nullable=True),
        sa.Column("submitted_at", sa.Text(), nullable=True),
        sa.Column("approved_by", sa.Text(), nullable=True),
        sa.Column("approved_at", sa.Text(), nullable=True),
        sa.Column("approved_content", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "state IN ('draft','submitted','approved')", name=op.f("ck_plan_states_state")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
            name=op.f("fk_plan_states_plan_id_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_states")),
        sa.UniqueConstraint("plan_id", name="plan_state_plan"),
        sqlite_strict=True,
    )
    stamp = datetime.now(UTC).isoformat(timespec="microseconds")
    op.get_bind().execute(
        sa.text(
            "INSERT INTO plan_states (plan_id, state, approved_by, approved_at, reason, "
            "updated_by, updated_at) SELECT id, 'approved', :who, :at, '', :who, :at FROM plans"
        ),
        {"who": UPGRADE_ACTOR, "at": stamp},
    )


def downgrade() -> None:
    op.drop_table("plan_states")
