"""Honest exits through the installed `bantin` command: failures are non-zero, named, in Vietnamese, and
never answered by a traceback or by re-airing history."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest

from flows import pipeline, runtime
from flows.store import StoreLostError

BANTIN = str(Path(sys.executable).parent / "bantin")
DAY = "2023-12-01"  # the demo night: the demo stories are from 2023


def _bantin(*args: str, content: Path, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, COLUMNS="200", PREFECT_SERVER_ANALYTICS_ENABLED="false")
    env.pop("PREFECT_API_URL", None)
    return subprocess.run([BANTIN, *args, "--content", str(content)], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=content.parent)


def test_store_deleted_during_a_run_is_detected(content_dir: Path) -> None:
    newsroom, store = runtime.open_newsroom(str(content_dir))
    pipeline.gather(newsroom, store)
    for part in content_dir.parent.joinpath("data").glob("bantin.sqlite3*"):
        part.unlink()
    with pytest.raises(StoreLostError, match="đã bị xóa hoặc thay thế"):
        pipeline.normalise(newsroom, store)


def test_a_new_store_beside_old_bulletins_is_refused(content_dir: Path) -> None:
    newsroom, store = runtime.open_newsroom(str(content_dir))
    runtime.remember_store(newsroom.settings.audio.output, store)  # as a run that built bulletins does
    runtime.forget()
    for part in content_dir.parent.joinpath("data").glob("bantin.sqlite3*"):
        part.unlink()
    result = _bantin("status", content=content_dir)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "không phải kho đã làm các bản tin" in result.stderr and "Traceback" not in result.stderr
    assert not any(content_dir.parent.joinpath("data").glob("bantin.sqlite3")) or "Khôi phục" in result.stderr


def test_a_bulletin_that_cannot_be_written_fails_the_command_and_names_the_station(content_dir: Path) -> None:
    newsroom, store = runtime.open_newsroom(str(content_dir))
    pipeline.gather(newsroom, store)
    pipeline.normalise(newsroom, store)
    runtime.forget()
    blocked = newsroom.settings.audio.output / "than-sa"
    blocked.parent.mkdir(parents=True, exist_ok=True)
    blocked.write_text("not a folder")  # the station's folder cannot be made (root ignores chmod)
    result = _bantin("synthesise", "--date", DAY, "--station", "than-sa", "--station", "la-hien", content=content_dir)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Thần Sa" in output and "không làm được" in output and "Traceback" not in output
    assert (newsroom.settings.audio.output / "la-hien" / DAY / "sang.mp3").is_file()  # the others are made


def test_commands_without_orchestration_never_start_prefect(content_dir: Path) -> None:
    code = (
        "import sys\n"
        "from flows.cli import app\n"
        "for args in (['stations'], ['status'], ['speak', 'UBND xã'], ['story', '1'], ['approve', '1']):\n"
        f"    app([*args, '--content', {str(content_dir)!r}], standalone_mode=False)\n"
        "print('PREFECT' if 'prefect' in sys.modules else 'NO-PREFECT')\n"
    )
    newsroom, store = runtime.open_newsroom(str(content_dir))
    pipeline.gather(newsroom, store, ["phong-vhtt"])
    runtime.forget()
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.stdout.strip().endswith("NO-PREFECT"), result.stdout + result.stderr


def _burn() -> None:
    while True:
        pass


def test_the_run_command_completes_on_a_busy_machine(content_dir: Path) -> None:
    """`bantin run` (what `make run` calls) with two CPU-bound processes beside it, as on a busy newsroom PC."""
    burners = [multiprocessing.Process(target=_burn, daemon=True) for _ in range(2)]
    for b in burners:
        b.start()
    try:
        result = _bantin("run", "--date", DAY, content=content_dir, timeout=1800)
    finally:
        for b in burners:
            b.terminate()
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert "Đang khởi động máy chủ Prefect" in output and "Timed out" not in output
    assert len(list((content_dir.parent / "audio_out").glob(f"*/{DAY}/*.mp3"))) == 32
