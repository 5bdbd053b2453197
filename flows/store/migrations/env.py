"""Alembic environment: bantin passes its connection in; there is no alembic.ini to edit."""

from alembic import context

from flows.store.schema import Base

config = context.config
connection = config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
