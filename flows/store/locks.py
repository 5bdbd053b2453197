"""Named locks that decide between runs started at once (two nightly runs of the same day, a scheduled
gathering during a manual one): one holds the stage, the other waits its turn and then finds the work done.

The lock dies with its holder, however it ends (a killed run never blocks the next one):
- SQLite: an OS file lock (flock) on a file beside the database; the store is on this machine anyway;
- PostgreSQL: a session advisory lock on a connection of its own; the server drops it with the connection.
Within one process a thread may take a lock it already holds (a stage calling another stage).
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import inspect
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import text

from flows import progress
from flows.errors import OperationalError
from flows.store.base import StoreBase

LONGEST_WAIT_SECONDS = 3 * 3600.0  # a whole nightly run on a slow machine, with room to spare
POLL_SECONDS = 0.25

_held = threading.local()
F = TypeVar("F", bound=Callable[..., Any])


def _advisory_key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(f"bantin:{name}".encode()).digest()[:8], "big", signed=True)


class LockQueries(StoreBase):
    def migrate(self) -> None:
        # Two processes opening a new store at once would both create Alembic's table (PostgreSQL:
        # UniqueViolation on alembic_version); the first migrates, the second finds the schema current.
        with self.hold("migrate"):
            super().migrate()

    @contextmanager
    def hold(self, name: str, wait: float = LONGEST_WAIT_SECONDS) -> Iterator[None]:
        """Hold the newsroom-wide lock `name` for the block; wait (up to `wait` seconds) while another run has it."""
        counts: dict[tuple[str, str], int] = getattr(_held, "counts", None) or {}
        _held.counts = counts
        mine = (self.url, name)
        if counts.get(mine):
            counts[mine] += 1
            try:
                yield
            finally:
                counts[mine] -= 1
            return
        release = self._acquire(name, wait)
        counts[mine] = 1
        try:
            yield
        finally:
            counts[mine] = 0
            release()

    def _acquire(self, name: str, wait: float):  # type: ignore[no-untyped-def]
        try_lock = self._try_pg(name) if self.engine.dialect.name == "postgresql" else self._try_file(name)
        deadline = time.monotonic() + wait
        told = False
        while True:
            release = try_lock()
            if release is not None:
                return release
            if not told:
                progress.report(f"Đang chờ một lượt chạy khác làm xong ({name})")
                told = True
            if time.monotonic() > deadline:
                raise OperationalError(f"Một lượt chạy khác giữ việc '{name}' quá {wait / 60:.0f} phút.",
                                       hint="Xem lượt chạy đó có bị treo không (giao diện Prefect, nhật ký); "
                                            "dừng nó rồi chạy lại.", transient=True)
            time.sleep(POLL_SECONDS)

    def _try_file(self, name: str):  # type: ignore[no-untyped-def]
        folder = (self.path.parent / f".{self.path.name}.locks") if self.path is not None else None
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", name)

        def attempt():  # type: ignore[no-untyped-def]
            if folder is None:  # an in-memory store lives in one process
                lock = _memory_lock(self.url, name)
                return lock.release if lock.acquire(blocking=False) else None
            folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(folder / f"{safe}.lock", os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                return None
            return lambda: os.close(fd)  # closing the file drops the lock
        return attempt

    def _try_pg(self, name: str):  # type: ignore[no-untyped-def]
        key = _advisory_key(name)

        def attempt():  # type: ignore[no-untyped-def]
            connection = self.engine.connect()
            try:
                got = connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar()
                connection.commit()
            except BaseException:
                connection.close()
                raise
            if not got:
                connection.close()
                return None

            def release() -> None:
                try:
                    connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                    connection.commit()
                    connection.close()
                except Exception:
                    connection.invalidate()  # a broken connection: the server has dropped the lock with it
            return release
        return attempt


_memory_locks: dict[tuple[str, str], threading.Lock] = {}
_memory_guard = threading.Lock()


def _memory_lock(url: str, name: str) -> threading.Lock:
    with _memory_guard:
        return _memory_locks.setdefault((url, name), threading.Lock())


def holding(name: str | Callable[[dict[str, Any]], str]) -> Callable[[F], F]:
    """Decorate a library operation taking a `store` argument: it runs holding the lock `name`.

    `name` may be a function of the call's arguments (e.g. the day a synthesis builds).
    """
    def decorate(fn: F) -> F:
        signature = inspect.signature(fn)

        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            store = bound.arguments["store"]
            with store.hold(name(bound.arguments) if callable(name) else name):
                return fn(*args, **kwargs)
        return run  # type: ignore[return-value]
    return decorate
