"""The CLI, called in-process: documented, Vietnamese, and turning library errors into messages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def _commands() -> list[str]:
    import typer.main

    return sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`bantin ([\w-]+)", readme))
    assert set(_commands()) <= documented, set(_commands()) - documented


def test_help_is_vietnamese() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0 and "bản tin" in result.output


def test_stations_lists_the_district_and_15_communes(content_dir: Path) -> None:
    result = runner.invoke(app, ["stations", "--content", str(content_dir)], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "Đài Truyền thanh huyện Võ Nhai" in result.output
    assert len(re.findall(r"Đài Truyền thanh (xã|thị trấn)", result.output)) == 15
    assert "nền, chuyển tin" in result.output  # the district station's bed and stings


def test_status_on_a_new_store(content_dir: Path) -> None:
    result = runner.invoke(app, ["status", "--content", str(content_dir)])
    assert result.exit_code == 0, result.output
    assert "tổng" in result.output and (content_dir.parent / "data" / "bantin.sqlite3").is_file()


def test_status_names_the_sources_gone_quiet(content_dir: Path) -> None:
    from flows import runtime

    newsroom, store = runtime.open_newsroom(str(content_dir))
    expecting = [s for s in newsroom.sources if s.expect_every_days]
    assert len(expecting) >= 2, "the demo sets expect_every_days on some sources"
    store.record_source_check(expecting[0].id, ok=True, new=1)  # heard from today
    result = runner.invoke(app, ["status", "--content", str(content_dir)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    listed = [s.name for s in expecting if f"{s.name}: chưa đọc lần nào" in result.output]
    assert listed == [s.name for s in expecting[1:]]  # the one heard from today is not listed


@pytest.mark.parametrize(
    ("args", "message"),
    [(["approve", "999"], "Không có bài số 999"),
     (["story", "999"], "Không có bài số 999"),
     (["audience", "1", "xa-khong-co"], "Không có xã: xa-khong-co"),
     (["run", "--date", "25/11/2026"], "YYYY-MM-DD")],
)
def test_mistakes_get_clear_messages(content_dir: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, [*args, "--content", str(content_dir)], env={"COLUMNS": "200"})
    assert result.exit_code != 0
    assert message in result.output


def test_speak_shows_the_spoken_form_and_warnings(content_dir: Path) -> None:
    result = runner.invoke(app, ["speak", "Ngày 31/3/2023, phóng viên viên UBND xã", "--content", str(content_dir)],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "ngày ba mươi mốt tháng ba năm hai nghìn không trăm hai mươi ba" in result.output
    assert "ủy ban nhân dân xã" in result.output
    assert "Cảnh báo" in result.output and "viên viên" in result.output
