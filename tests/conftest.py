"""Shared fixtures: a private copy of the demo content per test, and one Prefect harness per session."""

from __future__ import annotations

import os
import shutil
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
