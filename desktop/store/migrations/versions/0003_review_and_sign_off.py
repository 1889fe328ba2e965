"""review and sign-off

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 02:40:35.104572
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.Text(), nullable=False),
        sa.Column("display_name", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("group_name", sa.Text(), nullable=True),
        sa.Column("password_hash", sa.Text(), nullable=True),
        sa.Column("active", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "role IN ('staff','supervisor','branch_head','admin')", name=op.f("ck_users_role")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("login", name="login"),
        sqlite_strict=True,
    )
    op.create_table(
        "report_signoffs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("signed_by", sa.Text(), nullable=False),
        sa.Column("signed_at", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.id"],
            name=op.f("fk_report_signoffs_report_id_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_signoffs")),
        sa.UniqueConstraint("report_id", name="signoff_report"),
        sqlite_strict=True,
    )
    op.create_table(
        "review_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("node_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.Text(), nullable=False),
        sa.Column("at", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["node_id"],
            ["plan_nodes.id"],
            name=op.f("fk_review_comments_node_id_plan_nodes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.id"],
            name=op.f("fk_review_comments_report_id_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_comments")),
        sqlite_strict=True,
    )
    with op.batch_alter_table("review_comments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_comments_report_id"), ["report_id"], unique=False
        )

    op.create_table(
        "section_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("node_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("submitted_by", sa.Text(), nullable=True),
        sa.Column("submitted_at", sa.Text(), nullable=True),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
        sa.Column("approved_content", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "state IN ('draft','submitted','returned','approved','reopened','excepted')",
            name=op.f("ck_section_reviews_state"),
        ),
        sa.ForeignKeyConstraint(
            ["node_id"],
            ["plan_nodes.id"],
            name=op.f("fk_section_reviews_node_id_plan_nodes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.id"],
            name=op.f("fk_section_reviews_report_id_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_section_reviews")),
        sa.UniqueConstraint("report_id", "node_id", name="review_report_node"),
        sqlite_strict=True,
    )
    with op.batch_alter_table("section_reviews", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_section_reviews_report_id"), ["report_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("section_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_section_reviews_report_id"))

    op.drop_table("section_reviews")
    with op.batch_alter_table("review_comments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_comments_report_id"))

    op.drop_table("review_comments")
    op.drop_table("report_signoffs")
    op.drop_table("users")
