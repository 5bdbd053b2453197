"""Synthesis on a real Dask cluster (prefect-dask, a LocalCluster of two worker processes) makes the same
bulletins, byte for byte, as the bare library in one process (issue 11, point 6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import DEMO_DAY
from tests.service.helpers import copy_project

STATIONS = ["vo-nhai", "dinh-ca", "binh-long"]  # the district station and two communes: each hears other stories


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


def _workers_voiced() -> int:
    """On a worker: how many espeak servers it kept, i.e. whether it voiced anything."""
    from flows.audio.engines import espeak

    return len(espeak._idle)


def test_synthesis_on_two_dask_workers_equals_one_process_byte_for_byte(
        demo_night: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from distributed import Client, LocalCluster

    from flows import pipeline, runtime
    from flows.pipeline.cluster import DaskFanout
    from flows.pipeline.fanout import Serial
    from flows.synthesise import synthesise

    # Two copies of the demo night's store with cold speech caches: each run voices everything itself.
    alone = copy_project(demo_night, tmp_path / "alone", cache=False)
    spread = copy_project(demo_night, tmp_path / "spread", cache=False)
    bare = copy_project(demo_night, tmp_path / "bare", cache=False)

    runtime.forget()
    one = pipeline.synthesise(*runtime.open_newsroom(str(alone)), day=DEMO_DAY, stations=STATIONS, fanout=Serial())
    assert one.ok and len(one.bulletins) == 2 * len(STATIONS)

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        monkeypatch.setenv("BANTIN_CLUSTER__ADDRESS", cluster.scheduler_address)
        runtime.forget()
        two = synthesise(str(spread), day=DEMO_DAY, stations=STATIONS)
        voiced_on = client.run(_workers_voiced)

        # The bare library's fan-out sends every piece of speech and every station's assembly (its headlines
        # included) to the workers: the run's own process voices and writes no audio (both would fail here); it
        # only records in the store what the workers wrote.
        def not_here(*args: object, **kwargs: object) -> None:
            raise AssertionError("voiced or assembled in the run's process, not on a worker")

        monkeypatch.setattr("flows.pipeline.bulletins.voice_text", not_here)
        monkeypatch.setattr("flows.pipeline.bulletins.build_bulletin", not_here)
        runtime.forget()
        three = pipeline.synthesise(*runtime.open_newsroom(str(bare)), day=DEMO_DAY, stations=STATIONS,
                                    fanout=DaskFanout(client))
        monkeypatch.undo()
    runtime.forget()

    assert two.ok and two.voiced == one.voiced
    assert len(voiced_on) == 2 and all(n >= 1 for n in voiced_on.values()), voiced_on  # both workers voiced
    out_alone, out_spread = (c.parent / "audio_out" for c in (alone, spread))
    bulletins = _tree(out_alone)
    assert sum(name.endswith(".mp3") for name in bulletins) == 2 * len(STATIONS)
    assert _tree(out_spread) == bulletins
    assert three.ok and three.voiced == one.voiced, three.failures
    assert _tree(bare.parent / "audio_out") == bulletins


def _double_unless_refused(n: int) -> int:
    from flows.errors import UserError

    if n % 7 == 3:
        raise UserError(f"số {n} không nhận")
    return 2 * n


def test_dask_fanout_sends_steps_in_batches_and_returns_each_result_in_its_place() -> None:
    """DaskFanout puts several items in one task (fewer tasks for the scheduler and the workers); every item
    still gets its own result, in order, and an item that fails with a BantinError fails alone."""
    from distributed import Client, LocalCluster, get_task_stream

    from flows.errors import UserError
    from flows.pipeline.cluster import MAX_BATCH, DaskFanout

    items = list(range(200))
    with LocalCluster(n_workers=2, processes=False, threads_per_worker=1, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        with get_task_stream(client) as batched:
            got = DaskFanout(client).map("voice", _double_unless_refused, items)
        with get_task_stream(client) as single:
            alone = DaskFanout(client).map("jingle", _double_unless_refused, [11])
    assert [g for g in got if not isinstance(g, UserError)] == [2 * n for n in items if n % 7 != 3]
    assert [n for n, g in zip(items, got) if isinstance(g, UserError)] == [n for n in items if n % 7 == 3]
    assert all(g.message == f"số {n} không nhận" for n, g in zip(items, got) if isinstance(g, UserError))
    # 200 items on two worker threads: batches of 7 (at least 16 batches per thread), so 29 tasks, not 200.
    assert len(batched.data) == 29 < len(items) and MAX_BATCH >= 7
    assert alone == [22] and len(single.data) == 1
