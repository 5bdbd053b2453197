"""Bad input through the installed `bantin` command: one Vietnamese line naming the file and field, a non-zero
exit, and never a traceback. Errors raised inside a Prefect flow reach the same one place (flows/cli.py's
command group)."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer

from flows import cli
from flows.errors import NotFoundError, OperationalError, UserError


def _bantin() -> str:
    beside = Path(sys.executable).parent / "bantin"
    found = str(beside) if beside.is_file() else shutil.which("bantin")
    assert found, "the bantin command is not installed (pip install -e .)"
    return found


def _run(content: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "BANTIN_CONTENT": str(content)}
    env.pop("PREFECT_API_URL", None)
    return subprocess.run([_bantin(), *args], capture_output=True, text=True, env=env, cwd=content.parent,
                          timeout=600)


# (what the editor did, the edit: file, old, new, after which text; the command; what the one line must say, with
# {first}/{block} the line of the edit and of its [[block]])
CASES = [
    ("trusted-as-string", ("sources.toml", "trusted = true", 'trusted = "false"', 'id = "phong-vhtt"'), ["gather"],
     ["sources.toml, dòng {first}", '(id = "phong-vhtt"), khóa trusted', "true hoặc false"]),
    ("duplicate-source-id", ("sources.toml", 'id = "xa-la-hien"', 'id = "phong-vhtt"', ""), ["gather"],
     ["sources.toml, dòng {first}", "khóa id", '"phong-vhtt" trùng với khối [[source]]']),
    ("gather-unknown-source", None, ["gather", "-s", "phong-vhtt", "-s", "khong-co"],
     ["sources.toml", "Không có nguồn tin", "khong-co"]),
    ("audience-of-a-missing-story", None, ["audience", "999", "district"],
     ["Không có bài số 999", "bantin status"]),
    ("station-without-name", ("stations.toml", 'name = "Đài Truyền thanh xã Bình Long"\n', "", ""), ["stations"],
     ["stations.toml, dòng {block}", '(id = "binh-long")', "thiếu khóa bắt buộc 'name'"]),
    ("invalid-toml", ("sources.toml", "[[source]]\nid = \"hop-thu\"", "[[source]\nid = \"hop-thu\"", ""),
     ["gather"], ["sources.toml, dòng {first}", "sai cú pháp TOML", "thiếu ']]'", "«[[source]»"]),
    ("unknown-key-in-settings", ("bantin.toml", "engines = [", "engine = [", ""), ["status"],
     ["bantin.toml, dòng {first}", "bảng [audio], khóa engine", "không có trong mẫu", "Có phải ý là 'engines'?"]),
    ("unknown-commune-in-audience", ("sources.toml", 'audience = ["la-hien"]', 'audience = ["la-hein"]', ""),
     ["gather"], ["sources.toml, dòng {first}", "khóa audience", 'không có xã "la-hein"', "la-hien"]),
    ("station-id-with-a-space", ("stations.toml", 'id = "binh-long"', 'id = "binh long"', ""), ["stations"],
     ["stations.toml, dòng {first}", "khóa id", 'mã "binh long" không hợp lệ', 'Ví dụ: "binh-long"']),
]


@pytest.mark.parametrize(("edit", "args", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_one_vietnamese_line(content_dir: Path, edit_content: Callable[..., Any],
                                          edit: tuple[str, str, str, str] | None, args: list[str],
                                          expected: list[str]) -> None:
    where = edit_content(*edit) if edit else None
    result = _run(content_dir, *args)
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Lỗi: "), result.stderr
    for words in expected:
        words = where.expect(words) if where else words
        assert words in lines[0], (words, lines[0])
    assert "Prefect" not in result.stdout + result.stderr  # refused before any server started


def test_a_usage_mistake_keeps_typer_message_and_exit_2(content_dir: Path) -> None:
    result = _run(content_dir, "story", "abc")
    assert result.returncode == 2
    assert "story_id" in result.stderr and "Traceback" not in result.stderr


def test_the_error_names_where_the_environment_set_a_bad_value(content_dir: Path) -> None:
    env_result = subprocess.run([_bantin(), "stations"], capture_output=True, text=True, cwd=content_dir.parent,
                                env={**os.environ, "BANTIN_CONTENT": str(content_dir),
                                     "BANTIN_AUDIO__ENGINES": '["espeak", "google"]'}, timeout=600)
    assert env_result.returncode == 1
    assert "biến môi trường BANTIN_AUDIO__ENGINES" in env_result.stderr
    assert 'không có bộ đọc "google"' in env_result.stderr


# --- main() in-process: the exit codes and what is left as a traceback -----------------------------------------

def _main_with(monkeypatch: pytest.MonkeyPatch, command: Callable[[], None]) -> int:
    app = typer.Typer(cls=cli._Commands)
    app.command()(command)
    app.command("other")(lambda: None)  # two commands, so the command's name is an argument as in bantin
    monkeypatch.setattr(cli, "app", app)
    monkeypatch.setattr(sys, "argv", ["bantin", command.__name__])
    with pytest.raises(SystemExit) as exited:
        cli.main()
    return int(exited.value.code or 0)


def test_a_user_error_exits_1_and_an_operational_error_exits_2(monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    def mistake() -> None:
        raise UserError("sai rồi.", where="tệp x.toml, dòng 3", hint="Sửa lại.")

    def broken() -> None:
        raise OperationalError("mất kho tin.", hint="Báo quản trị.")

    assert _main_with(monkeypatch, mistake) == 1
    assert capsys.readouterr().err == "Lỗi: tệp x.toml, dòng 3: sai rồi. Sửa lại.\n"
    assert _main_with(monkeypatch, broken) == 2
    assert capsys.readouterr().err == "Lỗi: mất kho tin. Báo quản trị.\n"


def test_a_bug_keeps_its_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def bug() -> None:
        raise ZeroDivisionError("a bug")

    app = typer.Typer(cls=cli._Commands, pretty_exceptions_enable=False)
    app.command()(bug)
    app.command("other")(lambda: None)
    monkeypatch.setattr(cli, "app", app)
    monkeypatch.setattr(sys, "argv", ["bantin", "bug"])
    with pytest.raises(ZeroDivisionError):
        cli.main()


def test_an_error_raised_inside_a_flow_reaches_main_as_itself(prefect_harness: None, monkeypatch: pytest.MonkeyPatch,
                                                              capfd: pytest.CaptureFixture[str]) -> None:
    from flows.orchestration import flow, task

    class Kept(logging.Handler):
        def __init__(self) -> None:
            super().__init__(logging.ERROR)
            self.records: list[logging.LogRecord] = []

        def emit(self, record: logging.LogRecord) -> None:
            self.records.append(record)

    kept = Kept()  # on the logger itself: it sees records after the logger's filters, as Prefect's console does
    task_log = logging.getLogger("prefect.task_runs")
    task_log.addHandler(kept)

    @task
    def look_up() -> None:
        raise NotFoundError("Không có bài số 999.", hint="Xem số các bài bằng lệnh 'bantin status'.")

    @flow
    def desk() -> None:
        look_up()

    def audience() -> None:
        desk()

    try:
        assert _main_with(monkeypatch, audience) == 1
    finally:
        task_log.removeHandler(kept)
    captured = capfd.readouterr()
    assert "Lỗi: Không có bài số 999. Xem số các bài bằng lệnh 'bantin status'.\n" in captured.err
    assert "Traceback" not in captured.out + captured.err
    # Prefect did log the failure, without the traceback it would attach.
    failures = [r for r in kept.records if "NotFoundError" in r.getMessage()]
    assert failures and all(r.exc_info is None for r in failures)
