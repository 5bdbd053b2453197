"""Retention: old bulletin MP3s go, their manifests and transcripts stay, and so does each station's newest
bulletin of each slot (and its newest emergency bulletin); the CLI and the Prefect flow call the same function."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from flows.audio.archive import BulletinArchive, remove_old_bulletins
from flows.cli import app
from flows.errors import UserError

if TYPE_CHECKING:
    from tests.web.conftest import Night


def _copy(night: Night, tmp_path: Path) -> tuple[Path, Path]:
    """The night's content and audio_out copied side by side (the shared night is never changed)."""
    content = tmp_path / "project" / "content"
    shutil.copytree(night.content, content)
    out = tmp_path / "project" / "audio_out"
    shutil.copytree(night.audio_out, out, symlinks=True)
    return content, out


def _files(root: Path, suffix: str) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob(f"*{suffix}") if not p.is_symlink()}


def test_old_mp3s_go_manifests_transcripts_and_the_newest_stay(night: Night, tmp_path: Path) -> None:
    _, out = _copy(night, tmp_path)
    manifests, transcripts = _files(out, ".json"), _files(out, ".txt")
    today = night.tomorrow + timedelta(days=2)
    dry = remove_old_bulletins(out, keep_days=2, today=today, dry_run=True)
    assert dry.removed and _files(out, ".mp3") == _files(night.audio_out, ".mp3")  # a dry run removes nothing
    report = remove_old_bulletins(out, keep_days=2, today=today)
    assert report.cutoff == night.tomorrow and report.removed == dry.removed
    removed = {str(p.relative_to(out)) for p in report.removed}
    y, t = night.yesterday.isoformat(), night.today.isoformat()
    assert removed == {f"binh-long/{y}/sang.mp3", f"binh-long/{y}/chieu.mp3", f"binh-long/{t}/sang.mp3",
                       f"binh-long/{t}/chieu.mp3", f"la-hien/{y}/sang.mp3"}
    kept = {str(p.relative_to(out)) for p in report.kept_latest}
    # today's emergency bulletin is the newest one; yesterday's big file is the newest (only) of its slot
    assert kept == {f"binh-long/{t}/{night.emergency_slot}.mp3", f"la-hien/{y}/lon.mp3"}
    assert report.freed_bytes == sum((night.audio_out / r).stat().st_size for r in removed)
    assert _files(out, ".json") == manifests and _files(out, ".txt") == transcripts
    archive = BulletinArchive(out, night.stations)
    gone = archive.bulletin("binh-long", night.yesterday, "sang")
    assert not gone.available and gone.items  # the record of what aired is still readable
    assert archive.latest("binh-long", slot_id="sang").day == night.tomorrow
    assert remove_old_bulletins(out, keep_days=2, today=today).removed == []  # a second pass has nothing to do
    assert (out / "binh-long" / t / "lien-ket.mp3").is_symlink()  # not a bulletin: left alone


def test_a_retention_of_less_than_a_day_is_refused(night: Night, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="từ 1 ngày"):
        remove_old_bulletins(tmp_path, keep_days=0, today=night.today)


def test_bantin_retention_and_the_flow(night: Night, tmp_path: Path) -> None:
    content, out = _copy(night, tmp_path)
    # A bulletin ten days old (its folder's date is what counts).
    old = out / "binh-long" / (night.today - timedelta(days=10)).isoformat()
    shutil.copytree(out / "binh-long" / night.yesterday.isoformat(), old)
    for manifest in old.glob("*.json"):
        manifest.write_text(manifest.read_text(encoding="utf-8").replace(night.yesterday.isoformat(), old.name),
                            encoding="utf-8")
    runner = CliRunner()
    dry = runner.invoke(app, ["retention", "--days", "5", "--dry-run", "--content", str(content)], env={"COLUMNS": "200"})
    assert dry.exit_code == 0, dry.output
    assert "Sẽ xóa 2 tệp" in dry.output and (old / "sang.mp3").exists()
    from flows import runtime
    from flows.retention import retention

    runtime.forget()
    try:
        report = retention.fn(str(content), days=5)
    finally:
        runtime.forget()
    assert sorted(p.name for p in report.removed) == ["chieu.mp3", "sang.mp3"]
    assert not (old / "sang.mp3").exists() and (old / "sang.json").exists()
    again = runner.invoke(app, ["retention", "--days", "5", "--content", str(content)], env={"COLUMNS": "200"})
    assert again.exit_code == 0 and "Đã xóa 0 tệp" in again.output
    bad = runner.invoke(app, ["retention", "--days", "0", "--content", str(content)], env={"COLUMNS": "200"})
    assert bad.exit_code == 1 and "từ 1 ngày" in bad.output
