"""The story store: SQLAlchemy 2 schema, Alembic migrations and the queries the library needs.

SQLite file by default; any SQLAlchemy URL (PostgreSQL with psycopg) works the same way. Callers get
typed records (flows.models.Story), never ORM rows; every change of state goes through transitions.py.
"""

from flows.store.db import Normalised, Publication, Store, StoreError, StoreLostError
from flows.store.stories import StoryFilter, air_window
from flows.store.transitions import ON_AIR_OR_WEB, Action

__all__ = ["ON_AIR_OR_WEB", "Action", "Normalised", "Publication", "Store", "StoreError", "StoreLostError", "StoryFilter", "air_window"]
