"""The speech cache and audio_out on S3-compatible storage (issue 11, point 6): a real S3 server speaking the S3
protocol over HTTP (moto's server mode, started here), s3fs as the client. Synthesis on it makes the bulletins a
local folder makes, byte for byte; a second machine (a fresh local folder) finds every piece of speech there and
voices nothing; storage that cannot be reached is a transient error in Vietnamese for the stations that needed it,
and the others' bulletins are still made."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import DEMO_DAY
from tests.service.helpers import copy_project, free_port

STATIONS = ["dinh-ca", "binh-long"]
BUCKET = "bantin"


@pytest.fixture(scope="module")
def s3() -> Iterator[str]:
    try:
        import boto3
        import s3fs  # noqa: F401
        from moto.server import ThreadedMotoServer
    except ImportError as exc:  # a venv made before these test dependencies; CI installs them and must not skip
        if os.environ.get("BANTIN_CI"):
            pytest.fail(f"{exc}: pip install -e '.[test]'")
        pytest.skip(f"{exc}: pip install -e '.[test]' (moto[server], s3fs)")
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="bantin", aws_secret_access_key="bi-mat",
                 region_name="us-east-1").create_bucket(Bucket=BUCKET)
    try:
        yield endpoint
    finally:
        server.stop()


def _on_storage(monkeypatch: pytest.MonkeyPatch, endpoint: str, audio_out: bool = True) -> None:
    monkeypatch.setenv("BANTIN_STORAGE__SPEECH_CACHE", f"s3://{BUCKET}/cache")
    if audio_out:
        monkeypatch.setenv("BANTIN_STORAGE__AUDIO_OUT", f"s3://{BUCKET}/audio")
    monkeypatch.setenv("BANTIN_STORAGE__ENDPOINT_URL", endpoint)
    monkeypatch.setenv("BANTIN_STORAGE__KEY", "bantin")
    monkeypatch.setenv("BANTIN_STORAGE__SECRET", "bi-mat")
    monkeypatch.setenv("BANTIN_STORAGE__REGION", "us-east-1")


def _synthesise(content: Path, fanout=None):  # type: ignore[no-untyped-def]
    from flows import pipeline, runtime
    from flows.pipeline.fanout import Serial

    runtime.forget()
    try:
        return pipeline.synthesise(*runtime.open_newsroom(str(content)), day=DEMO_DAY, stations=STATIONS,
                                   fanout=fanout or Serial())
    finally:
        runtime.forget()


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)}


def _objects(endpoint: str, prefix: str) -> dict[str, bytes]:
    import boto3

    client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="bantin", aws_secret_access_key="bi-mat",
                          region_name="us-east-1")
    found = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix + "/"):
        for item in page.get("Contents", []):
            found[item["Key"][len(prefix) + 1:]] = client.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read()
    return found


def test_bulletins_on_s3_equal_a_local_folders_and_a_second_machine_voices_nothing(
        demo_night: dict, s3: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    local = copy_project(demo_night, tmp_path / "local", cache=False)
    first = copy_project(demo_night, tmp_path / "first", cache=False)
    second = copy_project(demo_night, tmp_path / "second", cache=False)

    alone = _synthesise(local)
    assert alone.ok and len(alone.bulletins) == 2 * len(STATIONS)
    bulletins = _tree(local.parent / "audio_out")

    _on_storage(monkeypatch, s3)
    one = _synthesise(first)
    assert one.ok, one.failures
    assert _tree(first.parent / "audio_out") == bulletins
    assert _objects(s3, "audio") == bulletins  # the shared audio_out holds the same files
    shared = _objects(s3, "cache")
    metas = [json.loads(data) for name, data in shared.items() if name.endswith(".json")]
    assert sum(m.get("engine") == "espeak" for m in metas) >= one.voiced  # every piece of speech went there

    # Another machine: its own empty cache folder; the speech comes from the storage, no engine runs.
    def no_voicing(*args: object, **kwargs: object) -> None:
        raise AssertionError("voiced again although the shared cache had it")

    monkeypatch.setattr("flows.audio.engines.EngineChain.attempt", no_voicing)
    monkeypatch.setattr("flows.audio.voice.render_segment", no_voicing)
    two = _synthesise(second)
    assert two.ok, two.failures + two.warnings
    assert _tree(second.parent / "audio_out") == bulletins
    assert any((second.parent / "data" / "tts_cache" / "segment").rglob("*.mp3"))  # copied into its own folder


def test_storage_down_is_a_transient_error_and_the_other_stations_still_get_theirs(
        demo_night: dict, s3: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from flows.audio.shared import SharedFolder
    from flows.errors import TransientError

    # This machine's cache holds everything but the speech naming Bình Long (its ident, its closing, its
    # headlines): those would come from the storage, which is down (nothing listens on the port).
    content = copy_project(demo_night, tmp_path / "down")
    cache = content.parent / "data" / "tts_cache"
    dropped = 0
    for meta in list(cache.rglob("*.json")):
        if "bình long" in json.loads(meta.read_text("utf-8")).get("text", "").lower():
            for twin in meta.parent.glob(meta.stem + ".*"):
                twin.unlink()
            dropped += 1
    assert dropped
    _on_storage(monkeypatch, f"http://127.0.0.1:{free_port()}", audio_out=False)
    report = _synthesise(content)

    made = {b.station_id for b in report.bulletins}
    assert made == {"dinh-ca"} and len(report.bulletins) == 2, (report.bulletins, report.failures, report.warnings)
    assert {f.split(":")[0] for f in report.failures} == {"Đài Truyền thanh xã Bình Long"}, report.failures
    assert any("kho lưu trữ chung" in w and "Sẽ thử lại" in w for w in report.warnings), report.warnings
    assert sorted(p.parent.parent.name for p in (content.parent / "audio_out").rglob("*.mp3")) == ["dinh-ca"] * 2

    with pytest.raises(TransientError) as caught:
        SharedFolder(f"s3://{BUCKET}/cache", {"endpoint_url": f"http://127.0.0.1:{free_port()}", "key": "k",
                                              "secret": "s"}).read("speech/ab/abc.json")
    assert caught.value.transient and "Không đọc được" in caught.value.message
    shutil.rmtree(cache, ignore_errors=True)


class _OnOtherMachines:
    """A fan-out whose bulletins are assembled "on other machines": once the step returns, what it wrote to this
    machine's audio_out is gone (the first bulletin's MP3 is left stale instead), as on a worker with its own disk.
    Only the copies the workers put on [storage] audio_out are left."""

    def map(self, step, fn, items, label=str):  # type: ignore[no-untyped-def]
        from flows.pipeline.bulletins import AssembledSlot
        from flows.pipeline.fanout import Serial

        got = Serial().map(step, fn, items, label)
        if step == "bulletins":
            slots = [s for station in got if isinstance(station, list) for s in station if isinstance(s, AssembledSlot)]
            for n, slot in enumerate(slots):
                result = slot.result
                for path in (result.path, result.transcript_path, result.manifest_path):
                    path.unlink()
                if n == 0:
                    result.path.write_bytes(b"an older bulletin of the same name")
        return got


def test_bulletins_assembled_on_another_machine_come_home_from_storage_or_fail_clearly(
        demo_night: dict, s3: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker on another machine writes its own disk's audio_out and copies the bulletin to [storage] audio_out;
    the run's machine, which records the bulletin and serves it, takes it from there. Without shared storage the
    bulletin is not recorded as made: a failure the editor can act on, not a file missing on the stations' site."""
    local = copy_project(demo_night, tmp_path / "local", cache=False)
    assert _synthesise(local).ok
    bulletins = _tree(local.parent / "audio_out")

    _on_storage(monkeypatch, s3)
    shared = copy_project(demo_night, tmp_path / "shared", cache=False)
    report = _synthesise(shared, _OnOtherMachines())
    assert report.ok and len(report.bulletins) == 2 * len(STATIONS), report.failures
    assert _tree(shared.parent / "audio_out") == bulletins  # the stale MP3 replaced, the rest brought home

    _on_storage(monkeypatch, s3, audio_out=False)
    monkeypatch.delenv("BANTIN_STORAGE__AUDIO_OUT")
    alone = copy_project(demo_night, tmp_path / "alone", cache=False)
    report = _synthesise(alone, _OnOtherMachines())
    assert not report.bulletins and len(report.failures) == 2 * len(STATIONS)
    assert all("được ghép trên máy khác" in f and "[storage] audio_out" in f for f in report.failures), report.failures
    assert not list((alone.parent / "audio_out").rglob("*.txt"))
