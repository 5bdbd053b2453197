"""The story store: SQLAlchemy 2 schema, Alembic migrations and the queries the stages need.

SQLite file by default; any SQLAlchemy URL (PostgreSQL with psycopg) works the same way.
"""

from flows.store.db import Store, StoreError

__all__ = ["Store", "StoreError"]
