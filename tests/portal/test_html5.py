"""The demo night's portal, built from content/ by the newsroom library, passes the Nu HTML Checker with zero
errors (the XSS portal in test_xss.py is checked the same way)."""

from __future__ import annotations

import shutil
from pathlib import Path

from flows.content import Newsroom
from flows.pipeline import Serial, gather, normalise, publish
from flows.store import Store

ROOT = Path(__file__).resolve().parents[2]


def test_demo_portal_is_valid_html5(tmp_path: Path, vnu) -> None:  # type: ignore[no-untyped-def]
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    newsroom = Newsroom.load(content)
    store = Store(newsroom.settings.store.url)
    store.migrate()
    gather(newsroom, store, fanout=Serial())
    normalise(newsroom, store)
    publish(newsroom, store)
    pages = sorted(newsroom.settings.portal.output.rglob("*.html"))
    assert len(pages) > 60
    assert vnu.errors(pages) == []
