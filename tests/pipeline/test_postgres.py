"""The same stages on PostgreSQL: the store URL is the only change (BANTIN_STORE__URL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows import pipeline, runtime


def _run_stages(content: Path) -> dict[str, int]:
    runtime.forget()
    newsroom, store = runtime.newsroom(str(content)), runtime.store(str(content))
    for _ in range(2):  # twice: the second pass must find everything known
        reports = pipeline.gather(newsroom, store)
        pipeline.normalise(newsroom, store)
        pipeline.publish(newsroom, store)
    assert sum(r.new for r in reports) == 0 and sum(r.known for r in reports) == 48  # samples/README.md
    counts = store.counts()
    runtime.forget()
    return counts


def test_postgres_store_gives_the_same_newsroom_as_sqlite(content_dir: Path, postgres_url: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    on_sqlite = _run_stages(content_dir)
    monkeypatch.setenv("BANTIN_STORE__URL", postgres_url)
    on_postgres = _run_stages(content_dir)
    assert runtime.newsroom(str(content_dir)).settings.store.url == postgres_url
    assert on_postgres == on_sqlite
    assert on_postgres["published"] == 30 and on_postgres["normalised"] == 17 and on_postgres["rejected"] == 1
    runtime.forget()
