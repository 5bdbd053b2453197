"""Two nightly runs of the same day started at once, and runs killed at any point, as real processes on the
store's real databases: the stage locks decide, no story, broadcast or file is made twice, no partial file
is ever visible, and the next run completes the day exactly as one quiet run would have."""

from __future__ import annotations

import json
import signal
import time
from datetime import date
from pathlib import Path

import pytest

from tests.service.helpers import copy_project, start_night
from tests.test_golden import golden_view

DAY = "2023-12-01"


def _outputs(content: Path) -> tuple[Path, Path]:
    return content.parent / "audio_out", content.parent / "portal_out"


def _store_counts(content: Path, url: str | None) -> dict[str, int]:
    from flows import runtime
    from flows.store import Store

    runtime.forget()
    store = Store(url) if url else runtime.store(str(content))
    counts = store.counts()
    store.engine.dispose()
    runtime.forget()
    return counts


def _check(content: Path, url: str | None) -> None:
    from flows import pipeline, runtime
    from flows.settings import load_settings

    if url:
        import os
        os.environ["BANTIN_STORE__URL"] = url
    try:
        runtime.forget()
        report = pipeline.check(runtime.newsroom(str(content)), date.fromisoformat(DAY))
        assert report.ok and len(report.checks) == 32, [c for c in report.checks if not c.ok]
        assert load_settings(content).content == content.resolve()
    finally:
        if url:
            os.environ.pop("BANTIN_STORE__URL", None)
        runtime.forget()


def _no_partial_files(*roots: Path) -> None:
    """Every file a reader can see is whole: temp files are hidden (a leading dot), and each bulletin with a
    manifest has the bytes its manifest names."""
    import hashlib

    for root in roots:
        for path in root.rglob("*"):
            if path.is_file() and not path.name.startswith("."):
                assert ".part-" not in path.name, path
        for manifest in root.rglob("*.json"):
            if manifest.parent.parent.parent != root:
                continue
            meta = json.loads(manifest.read_text())
            mp3 = manifest.with_suffix(".mp3")
            if mp3.is_file() and mp3.stat().st_mtime <= manifest.stat().st_mtime:
                assert hashlib.sha256(mp3.read_bytes()).hexdigest() == meta["sha256"], mp3


@pytest.fixture(scope="module")
def one_night(demo_night: dict, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The same night made by one quiet run of the bare library (what every other way must equal)."""
    content = copy_project(demo_night, tmp_path_factory.mktemp("one-night"), store=False)
    run = start_night(content, DAY)
    output = run.communicate(timeout=1800)[0]
    assert run.returncode == 0, output
    return {"counts": _store_counts(content, None), "view": golden_view(*_outputs(content))}


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest) -> str | None:
    return request.getfixturevalue("postgres_url") if request.param == "postgresql" else None


def test_two_nights_of_the_same_day_at_once_make_one_night(demo_night: dict, one_night: dict, tmp_path: Path,
                                                           store_url: str | None) -> None:
    content = copy_project(demo_night, tmp_path, store=False)  # a new store; the speech cache is warm
    env = {"BANTIN_STORE__URL": store_url} if store_url else {}
    go = tmp_path / "go"
    runs = [start_night(content, DAY, go, **env) for _ in range(2)]
    time.sleep(0.5)
    go.touch()
    outputs = [run.communicate(timeout=1800)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], "\n".join(outputs)
    assert "IntegrityError" not in "".join(outputs)
    # No story, state or broadcast twice. (The number of history lines is left out: two quiet runs of the same
    # night were seen to differ by one line, outside this test's concern; reported to the lead.)
    counts, expected = _store_counts(content, store_url), dict(one_night["counts"])
    assert {k: v for k, v in counts.items() if k != "events"} == {k: v for k, v in expected.items() if k != "events"}
    assert golden_view(*_outputs(content)) == one_night["view"]
    assert golden_view(*_outputs(content)) == golden_view(*demo_night["outputs"])  # and what the flows make
    _check(content, store_url)


@pytest.mark.parametrize("kill_when", ["first-bulletin", "portal"])
def test_a_killed_night_leaves_no_partial_file_and_the_next_run_completes_it(demo_night: dict, one_night: dict,
                                                                            tmp_path: Path, kill_when: str) -> None:
    content = copy_project(demo_night, tmp_path, store=False)
    audio_out, portal_out = _outputs(content)
    run = start_night(content, DAY)
    deadline = time.monotonic() + 1800
    while run.poll() is None and time.monotonic() < deadline:
        if kill_when == "first-bulletin" and any(audio_out.glob(f"*/{DAY}/*.mp3")):
            break
        if kill_when == "portal" and portal_out.is_dir() and any(portal_out.rglob("*.html")):
            break
        time.sleep(0.02)
    assert run.poll() is None, "the run ended before it could be killed:\n" + (run.stdout.read() if run.stdout else "")
    run.send_signal(signal.SIGKILL)
    run.wait()
    _no_partial_files(audio_out, portal_out)

    again = start_night(content, DAY)
    output = again.communicate(timeout=1800)[0]
    assert again.returncode == 0, output
    assert not list(audio_out.rglob(".*.part-*")) and not list(portal_out.rglob(".*.part-*"))
    assert golden_view(audio_out, portal_out) == one_night["view"]
    counts = _store_counts(content, None)
    assert {k: counts[k] for k in ("stories", "broadcasts")} == {k: one_night["counts"][k] for k in ("stories", "broadcasts")}
    _check(content, None)
