"""reference figures a branch types: the year before's actual, last year's national
figures, where each came from; typed national figures of this year

kpis gains last_year_source ('rollover' | 'typed'; NULL: as the plan was installed),
prior_year_actual (前々年度実績) with prior_year_source, and last year's national
average and rank as typed. benchmarks gains source: 'pack' (HQ's benchmark pack, every
row stored before this revision) or 'typed' (the branch typed them before the pack
arrived; a pack replaces them). ADD COLUMN only: existing rows keep every value.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

SOURCES = "'rollover', 'typed'"


def upgrade() -> None:
    op.add_column(
        "kpis",
        sa.Column(
            "last_year_source",
            sa.Text(),
            sa.CheckConstraint(
                f"last_year_source IN ({SOURCES})", name=op.f("ck_kpis_last_year_source")
            ),
            nullable=True,
        ),
    )
    op.add_column("kpis", sa.Column("prior_year_actual", sa.Text(), nullable=True))
    op.add_column(
        "kpis",
        sa.Column(
            "prior_year_source",
            sa.Text(),
            sa.CheckConstraint(
                f"prior_year_source IN ({SOURCES})", name=op.f("ck_kpis_prior_year_source")
            ),
            nullable=True,
        ),
    )
    op.add_column("kpis", sa.Column("last_year_national_average", sa.Text(), nullable=True))
    op.add_column(
        "kpis",
        sa.Column(
            "last_year_national_rank",
            sa.Integer(),
            sa.CheckConstraint(
                "last_year_national_rank BETWEEN 1 AND 47",
                name=op.f("ck_kpis_last_year_national_rank"),
            ),
            nullable=True,
        ),
    )
    op.add_column(
        "benchmarks",
        sa.Column(
            "source",
            sa.Text(),
            sa.CheckConstraint("source IN ('pack', 'typed')", name=op.f("ck_benchmarks_source")),
            nullable=False,
            server_default="pack",
        ),
    )


def downgrade() -> None:
    # SQLite cannot drop a column its CHECK uses: the tables are rebuilt, STRICT kept.
    with op.batch_alter_table(
        "benchmarks", schema=None, recreate="always", table_kwargs={"sqlite_strict": True}
    ) as batch_op:
        batch_op.drop_constraint(op.f("ck_benchmarks_source"), type_="check")
        batch_op.drop_column("source")
    with op.batch_alter_table(
        "kpis", schema=None, recreate="always", table_kwargs={"sqlite_strict": True}
    ) as batch_op:
        for name in ("last_year_source", "prior_year_source", "last_year_national_rank"):
            batch_op.drop_constraint(op.f(f"ck_kpis_{name}"), type_="check")
        for name in (
            "last_year_national_rank",
            "last_year_national_average",
            "prior_year_source",
            "prior_year_actual",
            "last_year_source",
        ):
            batch_op.drop_column(name)
