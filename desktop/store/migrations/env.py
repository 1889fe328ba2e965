"""Alembic environment: always run on the connection the store hands over.

No fileConfig(): it would reset the app's logging. The store opens the
transaction (BEGIN IMMEDIATE, foreign keys off) so that a migration killed
half-way leaves nothing behind; here we only join it.
"""

from __future__ import annotations

from alembic import context

from desktop.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable by running alembic by hand
    raise RuntimeError("PlanDesk migrations run through desktop.store.database.open_database")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
