"""Per-process handles shared by every door: the newsroom's configuration and its open store.

Flows receive the content folder as a string (cheap to hash and log) and look the rest up here, so
a worker process opens the store once and reuses it.
"""

from __future__ import annotations

import threading
from pathlib import Path

from flows.content import Newsroom
from flows.store import Store, StoreLostError

_lock = threading.Lock()
_newsrooms: dict[str | None, Newsroom] = {}
_stores: dict[str, Store] = {}

STORE_MARK = ".bantin-store-id"
"""File in audio_out naming the store whose broadcasts these bulletins are."""


def newsroom(content: str | None = None) -> Newsroom:
    with _lock:
        if content not in _newsrooms:
            _newsrooms[content] = Newsroom.load(content)
        return _newsrooms[content]


def store(content: str | None = None) -> Store:
    room = newsroom(content)
    url = room.settings.store.url
    with _lock:
        if url not in _stores:
            opened = Store(url)
            opened.migrate()
            guard_history(room.settings.audio.output, opened)
            _stores[url] = opened
        return _stores[url]


def open_newsroom(content: str | None = None) -> tuple[Newsroom, Store]:
    return newsroom(content), store(content)


def guard_history(audio_out: Path, opened: Store) -> None:
    """Refuse a store that is not the one whose bulletins are in audio_out.

    A deleted or swapped store looks empty: the next run would take every story in the feeds for new
    and put them all on the air again.
    """
    mark = audio_out / STORE_MARK
    if not mark.is_file():
        return
    if mark.read_text(encoding="utf-8").strip() != opened.identity():
        raise StoreLostError(
            f"Kho tin {opened.where} không phải kho đã làm các bản tin trong {audio_out} "
            "(kho bị xóa, thay hoặc trỏ nhầm).",
            hint=f"Khôi phục kho tin từ bản sao lưu. Chỉ khi thật sự muốn bắt đầu lại từ đầu mới xóa tệp {mark}.")


def remember_store(audio_out: Path, opened: Store) -> None:
    """Write the store's id beside the bulletins it makes (once)."""
    mark = audio_out / STORE_MARK
    if mark.is_file():
        return
    try:
        audio_out.mkdir(parents=True, exist_ok=True)
        mark.write_text(opened.identity() + "\n", encoding="utf-8")
    except OSError:
        pass  # an unwritable audio_out fails each bulletin with its own clear message


def forget() -> None:
    """Drop cached handles (tests switch content folders and databases)."""
    with _lock:
        for opened in _stores.values():
            opened.engine.dispose()
        _stores.clear()
        _newsrooms.clear()
