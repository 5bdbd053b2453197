"""`bantin accounts` and `bantin serve` from the command line, called in-process."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from flows.cli import app

runner = CliRunner()
ENV = {"COLUMNS": "200"}


def _run(content: Path, *args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [*args, "--content", str(content)], input=input, env=ENV)


def test_accounts_add_list_disable_reset(content_dir: Path) -> None:
    from flows import runtime
    from flows.store.accounts import Accounts

    made = _run(content_dir, "accounts", "add", "op-la-hien", "--role", "operator", "--station", "la-hien",
                "--name", "Hoàng Văn Nam", input="mot-mat-khau-dai\nmot-mat-khau-dai\n")
    assert made.exit_code == 0, made.output
    assert "Đã tạo tài khoản 'op-la-hien' (vận hành đài, đài la-hien)" in made.output
    gen = _run(content_dir, "accounts", "add", "bien-tap", "-r", "editor", "--generate")
    assert gen.exit_code == 0, gen.output
    password = re.search(r"Mật khẩu: (\S+)", gen.output).group(1)  # type: ignore[union-attr]
    accounts = Accounts(runtime.store(str(content_dir)))
    assert accounts.verify("bien-tap", password, "test") is not None
    assert accounts.verify("op-la-hien", "mot-mat-khau-dai", "test") is not None

    listed = _run(content_dir, "accounts", "list")
    assert "op-la-hien" in listed.output and "Hoàng Văn Nam" in listed.output and "biên tập viên" in listed.output

    assert _run(content_dir, "accounts", "disable", "op-la-hien").exit_code == 0
    assert accounts.verify("op-la-hien", "mot-mat-khau-dai", "test") is None
    assert "đã khóa" in _run(content_dir, "accounts", "list").output
    assert _run(content_dir, "accounts", "enable", "op-la-hien").exit_code == 0

    reset = _run(content_dir, "accounts", "reset", "bien-tap", "--generate")
    assert reset.exit_code == 0, reset.output
    new = re.search(r"Mật khẩu: (\S+)", reset.output).group(1)  # type: ignore[union-attr]
    assert new != password and accounts.verify("bien-tap", password, "test") is None
    assert accounts.verify("bien-tap", new, "test") is not None


def test_account_mistakes_get_clear_messages(content_dir: Path) -> None:
    cases = [
        (["accounts", "add", "ed-x", "-r", "chu-tich", "-g"], "Không có vai trò 'chu-tich'"),
        (["accounts", "add", "op-x", "-r", "operator", "-g"], "cần có mã đài"),
        (["accounts", "add", "op-x", "-r", "operator", "--station", "khong-co", "-g"], "Không có đài 'khong-co'"),
        (["accounts", "add", "ed-x", "-r", "editor", "--station", "la-hien", "-g"], "Chỉ tài khoản vận hành đài"),
        (["accounts", "add", "Tên Có Dấu", "-r", "editor", "-g"], "không hợp lệ"),
        (["accounts", "disable", "khong-co"], "Không có tài khoản 'khong-co'"),
        (["accounts", "reset", "khong-co", "-g"], "Không có tài khoản 'khong-co'"),
    ]
    for args, message in cases:
        result = _run(content_dir, *args)
        assert result.exit_code == 1 and message in result.output, (args, result.output)
    short = _run(content_dir, "accounts", "add", "ed-y", "-r", "editor", input="ngan\nngan\n")
    assert short.exit_code == 1 and "ít nhất 10 ký tự" in short.output
    assert _run(content_dir, "accounts", "add", "ed-z", "-r", "editor", "-g").exit_code == 0
    again = _run(content_dir, "accounts", "add", "ed-z", "-r", "editor", "-g")
    assert again.exit_code == 1 and "đã có" in again.output


def test_serve_documents_its_options() -> None:
    result = runner.invoke(app, ["serve", "--help"], env=ENV)
    assert result.exit_code == 0 and "--host" in result.output and "--port" in result.output
