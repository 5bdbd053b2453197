"""Shared fixtures: a private copy of the demo content per test, and one Prefect harness per session."""

from __future__ import annotations

import os
import shutil
import unicodedata
from collections.abc import Callable
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"


@pytest.fixture()
def content_dir(tmp_path: Path) -> Iterator[Path]:
    """A copy of content/ in a temporary project folder; the store, audio and portal land beside it."""
    from flows import runtime

    target = tmp_path / "project" / "content"
    shutil.copytree(CONTENT, target, ignore=shutil.ignore_patterns(".gitkeep"))
    runtime.forget()
    yield target
    runtime.forget()


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """Prefect's test server, started once (about 8 s) for every test that runs a flow."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


def _cp1258(text: str) -> bytes:
    """Encode as Windows-1258 does: letters with a hat or horn precomposed, tone marks combining."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", ch)
            if marks and marks[0] in "\u0302\u0306\u031b":  # circumflex, breve, horn stay on the letter
                base, marks = unicodedata.normalize("NFC", base + marks[0]), marks[1:]
            out += (base + "".join(marks)).encode("cp1258")
    return out


@pytest.fixture()
def encode_cp1258() -> Callable[[str], bytes]:
    return _cp1258
