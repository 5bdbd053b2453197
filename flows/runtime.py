"""Per-process handles shared by tasks: the newsroom's configuration and its open store.

Tasks receive the content folder as a string (cheap to hash and log) and look the rest up here, so
a worker process opens the store once and reuses it.
"""

from __future__ import annotations

import threading

from flows.content import Newsroom
from flows.store import Store

_lock = threading.Lock()
_newsrooms: dict[str | None, Newsroom] = {}
_stores: dict[str, Store] = {}


def newsroom(content: str | None = None) -> Newsroom:
    with _lock:
        if content not in _newsrooms:
            _newsrooms[content] = Newsroom.load(content)
        return _newsrooms[content]


def store(content: str | None = None) -> Store:
    url = newsroom(content).settings.store.url
    with _lock:
        if url not in _stores:
            opened = Store(url)
            opened.migrate()
            _stores[url] = opened
        return _stores[url]


def forget() -> None:
    """Drop cached handles (tests switch content folders and databases)."""
    with _lock:
        for opened in _stores.values():
            opened.engine.dispose()
        _stores.clear()
        _newsrooms.clear()
