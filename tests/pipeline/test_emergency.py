"""Emergency bulletins: one urgent item voiced and aired at once on the chosen stations only."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import imageio_ffmpeg
import pytest

from flows.errors import UserError

from typer.testing import CliRunner

from flows import runtime
from flows.audio.ffmpeg import decode_errors
from flows.cli import app

runner = CliRunner()

pytestmark = pytest.mark.usefixtures("prefect_harness")


def test_emergency_bulletin_for_chosen_stations_with_a_jingle(content_dir: Path) -> None:
    from flows.emergency import emergency

    # A recorded jingle for every station: 2 s of tone, as a WAV the newsroom might supply.
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "sine=f=660:d=2",
                    str(content_dir / "jingles" / "opening.wav")], check=True)
    report = emergency("Cảnh báo lũ quét", "Mưa lớn kéo dài, người dân xã Thần Sa không qua ngầm tràn lúc 18h30.",
                       stations=["than-sa", "vo-nhai"], content=str(content_dir), actor="anh Tuấn")
    assert report.failures == []
    assert sorted(b.station_id for b in report.bulletins) == ["than-sa", "vo-nhai"]
    out = runtime.newsroom(str(content_dir)).settings.audio.output
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["than-sa", "vo-nhai"]  # no other station touched
    for bulletin in report.bulletins:
        mp3 = Path(bulletin.path)
        assert mp3.parent.name == report.day.isoformat() and mp3.name.startswith("khan-cap-")
        manifest = json.loads(mp3.with_suffix(".json").read_text(encoding="utf-8"))
        assert [(i["title"], i["priority"]) for i in manifest["items"]] == [("Cảnh báo lũ quét", "emergency")]
        assert len(manifest["opening"]) == 2  # the jingle, then the spoken ident
        assert decode_errors(mp3) == []
    store = runtime.store(str(content_dir))
    (story,) = store.stories()
    row = store.story(story.id)
    assert row is not None and row.spoken_text and "mười tám giờ ba mươi" in row.spoken_text
    assert [e.state for e in row.events] == ["submitted", "submitted", "normalised", "approved", "broadcast"]
    assert row.events[1].actor == "anh Tuấn" and "anh Tuấn" in row.events[1].message
    assert row.author == runtime.newsroom(str(content_dir)).settings.district.centre  # credited to the newsroom

    # The operators' check passes on the fresh files and catches a file damaged afterwards.
    args = ["check", "--content", str(content_dir), "--date", report.day.isoformat()]
    ok = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert ok.exit_code == 0 and "Cả 2 bản tin đều đạt" in ok.output, ok.output
    damaged = Path(report.bulletins[0].path)
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2: len(data) // 2 + 4000] = b"\x00" * 4000
    damaged.write_bytes(bytes(data))
    bad = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert bad.exit_code == 1 and "sha256" in bad.output and "1/2 bản tin không đạt" in bad.output


def test_emergency_needs_text(content_dir: Path) -> None:
    from flows.emergency import emergency

    with pytest.raises(UserError, match="cần có tiêu đề và nội dung"):
        emergency("Tiêu đề", "   ", content=str(content_dir))


def test_emergency_text_is_the_editors_words_never_markup(content_dir: Path) -> None:
    """Typed text is escaped before it becomes HTML: "<Trưởng thôn>" would otherwise be read as a tag and lost."""
    from datetime import datetime

    from flows.pipeline.emergency import add_emergency_story

    newsroom, store = runtime.open_newsroom(str(content_dir))
    text = "Mọi thắc mắc liên hệ <Trưởng thôn> hoặc Ban Chỉ huy quân sự xã.\r\n\r\nTuyệt đối không qua ngầm tràn."
    story_id = add_emergency_story(newsroom, store, "Cảnh báo lũ", text, ["than-sa"], datetime(2023, 12, 1, 7, 0),
                                   "chị Lan")
    row = store.story(story_id)
    assert row is not None and row.body_html is not None
    assert row.body_html.count("<p>") == 2 and "&lt;Trưởng thôn&gt;" in row.body_html
    assert "<Trưởng thôn>" in (row.body_text or "") and "trưởng thôn" in row.reading
