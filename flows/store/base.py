"""Opening the store: engine, short sessions, migrations, and the checks that the store is still the same one."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.exc import OperationalError as SAOperationalError
from sqlalchemy.orm import Session, sessionmaker

from flows.errors import BantinError, OperationalError

if TYPE_CHECKING:
    from flows.models import StoryState
    from flows.store.schema import StoryRow
    from flows.store.transitions import Action

MIGRATIONS = Path(__file__).parent / "migrations"


class StoreError(BantinError):
    """The store cannot do what was asked (message in Vietnamese)."""


class StoreLostError(OperationalError):
    """The store file vanished or was replaced while bantin was using it."""


# Ids per IN (...) query: well under SQLite's limit on bound parameters.
IN_CHUNK = 500


def in_chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    """The ids in order, IN_CHUNK at a time, for one IN (...) query each."""
    for n in range(0, len(ids), IN_CHUNK):
        yield ids[n:n + IN_CHUNK]


def now() -> datetime:
    return datetime.now().replace(microsecond=0)


class StoreBase:
    """Engine and sessions. One instance per process; sessions are short and per operation."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.path: Path | None = None
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            self.path = Path(url[len("sqlite:///"):])
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = create_engine(url, future=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        from flows.store.tags import sync_story_tags

        event.listen(self._sessions, "after_flush", sync_story_tags)  # story_tags mirror each story's lists
        self._inode: tuple[int, int] | None = None

    def migrate(self) -> None:
        """Bring the schema to the newest revision (safe to call on every start)."""
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        try:
            with self.engine.begin() as connection:
                cfg.attributes["connection"] = connection
                command.upgrade(cfg, "head")
        except SAOperationalError as exc:
            raise StoreLostError(f"Không mở được kho tin {self.where}: {exc.orig}",
                                 hint="Kiểm tra đường dẫn, quyền ghi và máy chủ cơ sở dữ liệu.") from exc
        self._inode = self._file_identity()

    def revision(self) -> str | None:
        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    @property
    def where(self) -> str:
        return str(self.path) if self.path is not None else self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def session(self) -> Iterator[Session]:
        self.check_alive()
        with self._sessions.begin() as s:
            yield s

    # -- is it still the same store? ---------------------------------------------------------------
    def _file_identity(self) -> tuple[int, int] | None:
        if self.path is None:
            return None
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return (st.st_dev, st.st_ino)

    def check_alive(self) -> None:
        """Refuse to go on when the SQLite file was deleted or replaced under us.

        SQLite would quietly create a new, empty file on the next connection, and the next run would
        take every story in the feeds for new and air them all again.
        """
        if self._inode is None or self.path is None:
            return
        if self._file_identity() != self._inode:
            raise StoreLostError(
                f"Tệp kho tin {self.path} đã bị xóa hoặc thay thế trong khi bantin đang chạy.",
                hint="Dừng lại, khôi phục tệp từ bản sao lưu rồi chạy lại; không tạo kho mới, kẻo phát lại tin cũ.")

    def identity(self) -> str:
        """The store's own id, made once when it was created; outputs remember which store wrote them."""
        from flows.store.schema import MetaRow

        with self.session() as s:
            row = s.scalar(select(MetaRow).where(MetaRow.key == "store_id"))
            if row is None:
                row = MetaRow(key="store_id", value=uuid.uuid4().hex)
                s.add(row)
            return row.value

    def is_new(self) -> bool:
        """No story has ever been stored here."""
        from flows.store.schema import StoryRow

        with self.session() as s:
            return s.scalar(select(StoryRow.id).limit(1)) is None


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # WAL lets the operators' service read while a flow writes; busy_timeout rides out short locks.
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def event_row(s: Session, story_id: int, state: str, message: str, actor: str = "bantin") -> None:
    from flows.store.schema import StoryEventRow

    s.add(StoryEventRow(story_id=story_id, state=state, at=now(), message=message, actor=actor))


def move(s: Session, row: "StoryRow", action: "Action", message: str, actor: str = "bantin") -> "StoryState":
    """Change a story's state by the transition table, with a line of history."""
    from flows.models import StoryState
    from flows.store.transitions import HISTORY_STEP, next_state

    to = next_state(action, StoryState(row.state), row.id, normalised=row.body_text is not None)
    row.state = to.value
    event_row(s, row.id, HISTORY_STEP.get(action, to).value, message, actor)
    return to
