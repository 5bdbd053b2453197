"""The stations' service tables: the migration creates exactly what the code maps, on SQLite and PostgreSQL,
and the same calls work on both."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from flows.store import Store
from flows.store.accounts import Accounts, Role
from flows.store.fetches import Fetch, FetchLog
from flows.store.schema import Base
from flows.store.stationkeys import StationKeys

TABLES = {"accounts", "web_sessions", "login_failures", "station_keys", "fetches"}


def _diffs(store: Store) -> list:
    with store.engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    return [d for d in diffs if any(t in repr(d) for t in TABLES)]


def _exercise(store: Store) -> None:
    accounts, keys, log = Accounts(store), StationKeys(store), FetchLog(store)
    op = accounts.add("op-binh-long", "mat-khau-dai-du", Role.OPERATOR, "binh-long")
    assert accounts.verify("op-binh-long", "sai-mat-khau", "10.0.0.1") is None
    assert accounts.recent_failures("op-binh-long", "10.0.0.1", timedelta(minutes=15))[:2] == (1, 1)
    assert accounts.verify("OP-Binh-Long ", "mat-khau-dai-du", "10.0.0.1") == op
    token, session = accounts.start_session(op, timedelta(hours=1))
    assert accounts.session_for(token) == session and accounts.session_for(token + "x") is None
    assert accounts.expire_sessions("op-binh-long") == 1 and accounts.session_for(token) is None
    spent, _ = accounts.start_session(op, timedelta(seconds=0))  # a lifetime that is already over
    assert accounts.session_for(spent) is None
    accounts.set_active("op-binh-long", False)
    assert accounts.verify("op-binh-long", "mat-khau-dai-du", "10.0.0.1") is None  # disabled: refused
    accounts.set_active("op-binh-long", True)
    key = keys.first_key("binh-long", "bien-tap")
    assert key is not None and keys.check("binh-long", key.secret) == key and keys.check("la-hien", key.secret) is None
    assert keys.find(key.secret) == key
    new = keys.issue("binh-long", "bien-tap")
    assert keys.check("binh-long", key.secret) is None and keys.live("binh-long") == new
    keys.revoke("binh-long", "bien-tap")
    assert keys.first_key("binh-long") is None  # a revoked key is not quietly replaced
    day = date(2026, 12, 1)
    log.record([Fetch(station_id="binh-long", kind="download", who="op-binh-long", by_station=True,
                      at=datetime(2026, 11, 30, 22, 0), status=206, bytes_sent=1000, expected_bytes=1000,
                      file_bytes=5000, complete=True, day=day, slot_id="sang", range_start=2000,
                      account_id=op.id, client="10.0.0.1")])
    (row,) = log.of_day(day)
    assert (row.range_start, row.bytes_sent, row.who, row.by_station) == (2000, 1000, "op-binh-long", True)


def test_migration_matches_the_tables_on_sqlite(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'bantin.sqlite3'}")
    store.migrate()
    assert _diffs(store) == []
    _exercise(store)


def test_the_same_on_postgresql(postgres_url: str) -> None:
    store = Store(postgres_url)
    store.migrate()
    assert _diffs(store) == []
    _exercise(store)


def test_roles_have_vietnamese_labels() -> None:
    assert {r.label_vi for r in Role} == {"vận hành đài", "biên tập viên", "theo dõi (Phòng Nội vụ)", "quản trị"}


@pytest.mark.parametrize("bad", ["ab", "a" * 51, "Tên", "-abc", "a b c"])
def test_bad_usernames_are_refused(tmp_path: Path, bad: str) -> None:
    from flows.errors import UserError

    store = Store(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    store.migrate()
    with pytest.raises(UserError, match="không hợp lệ"):
        Accounts(store).add(bad, "mat-khau-dai-du", Role.EDITOR)
