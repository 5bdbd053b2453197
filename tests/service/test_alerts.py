"""Alerts to the newsroom as real processes see them: `bantin watch` finds the stations whose next bulletin is
not there in time and tells a real webhook (a local HTTP server) and a real SMTP server (aiosmtpd), once per
problem, in Vietnamese; a channel that fails is tried again at the next pass."""

from __future__ import annotations

import json
import threading
from datetime import date, datetime, timedelta
from email import message_from_bytes
from email.header import decode_header, make_header
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.service.helpers import bantin, copy_project, free_port


class Webhook:
    """A newsroom chat's webhook: keeps every JSON body; answers `status`."""

    def __init__(self) -> None:
        self.bodies: list[dict] = []
        self.status = 200
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if hook.status == 200:
                    hook.bodies.append(json.loads(body))
                self.send_response(hook.status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802, ANN001
        self.messages.append(envelope.content)
        return "250 OK"


SMTP_LOGIN = ("bantin", "mat-khau-thu-dien-tu")  # the mail account's password comes from the environment only


def _newsroom_account(server, session, envelope, mechanism, auth_data) -> AuthResult:  # noqa: ANN001
    """The mail server takes messages only from the newsroom's account."""
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login.decode(), auth_data.password.decode()) == SMTP_LOGIN
    return AuthResult(success=ok)


@pytest.fixture()
def channels():  # noqa: ANN201
    hook, box = Webhook(), Mailbox()
    smtp = Controller(box, hostname="127.0.0.1", port=free_port(), authenticator=_newsroom_account,
                      auth_required=True, auth_require_tls=False)
    smtp.start()
    yield hook, box, smtp.port
    smtp.stop()
    hook.server.shutdown()


def _due_soon(content: Path, demo_night: dict) -> tuple[date, str]:
    """Make the demo's stations air a slot 20 minutes from now, with a story valid today: a bulletin is due."""
    now = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).replace(tzinfo=None)
    at = now + timedelta(minutes=20)
    stations = content / "stations.toml"
    evening = now + timedelta(hours=12, minutes=20)  # the other slot: far from due, whatever the hour
    text = stations.read_text(encoding="utf-8").replace('time = "06:00"', f'time = "{at:%H:%M}"')
    stations.write_text(text.replace('time = "17:00"', f'time = "{evening:%H:%M}"'), encoding="utf-8")
    from flows import runtime
    from flows.store import Store

    store = Store(f"sqlite:///{content.parent / 'data' / 'bantin.sqlite3'}")
    story = next(s for s in store.stories() if tuple(s.audience) == ("district",) and s.state.value in ("published", "broadcast"))
    store.set_air_window(story.id, at.date() - timedelta(days=1), at.date() + timedelta(days=1), [], "test")
    store.engine.dispose()
    runtime.forget()
    return at.date(), f"{at:%H:%M}"


def test_a_missing_bulletin_is_told_once_on_every_channel(demo_night: dict, tmp_path: Path, channels) -> None:  # noqa: ANN001
    hook, box, smtp_port = channels
    content = copy_project(demo_night, tmp_path, cache=False)
    day, at = _due_soon(content, demo_night)
    env = {"BANTIN_ALERTS__WEBHOOK_URL": hook.url, "BANTIN_ALERTS__SMTP_HOST": "127.0.0.1",
           "BANTIN_ALERTS__SMTP_PORT": str(smtp_port), "BANTIN_ALERTS__MAIL_TO": '["toasoan@vonhai.example"]',
           "BANTIN_ALERTS__SMTP_USER": SMTP_LOGIN[0], "BANTIN_ALERTS__SMTP_PASSWORD": SMTP_LOGIN[1]}

    first = bantin("watch", "--content", str(content), **env)
    assert first.returncode == 0, first.stdout + first.stderr
    told = {b["station_id"] for b in hook.bodies}
    from flows.content import Newsroom

    assert told == {s.id for s in Newsroom.load(content).stations}  # a district-wide story: every station hears it
    assert len(told) == len(hook.bodies) == len(box.messages) == 16
    district = next(b for b in hook.bodies if b["station_id"] == "vo-nhai")
    assert district["kind"] == "late" and district["day"] == day.isoformat()
    assert district["text"].startswith("Cảnh báo bantin: Đài Truyền thanh huyện Võ Nhai chưa có bản tin buổi sáng")
    assert f"phát lúc {at}" in district["text"] and "Chưa có tệp bản tin" in district["reason"]
    mail = message_from_bytes(box.messages[0])
    assert "chưa có bản tin" in str(make_header(decode_header(mail["Subject"])))
    assert "Cảnh báo bantin" in mail.get_payload(decode=True).decode("utf-8")

    second = bantin("watch", "--content", str(content), **env)
    assert second.returncode == 0 and "đã báo trước đó" in second.stdout
    assert len(hook.bodies) == len(told) and len(box.messages) == len(told)  # once per problem


def test_a_webhook_that_fails_is_tried_again_at_the_next_pass(demo_night: dict, tmp_path: Path, channels) -> None:  # noqa: ANN001
    hook, _box, _port = channels
    content = copy_project(demo_night, tmp_path, cache=False)
    _due_soon(content, demo_night)
    env = {"BANTIN_ALERTS__WEBHOOK_URL": hook.url}
    hook.status = 503
    failed = bantin("watch", "--content", str(content), **env)
    assert failed.returncode == 1 and "chưa gửi được" in failed.stderr + failed.stdout
    assert hook.bodies == []
    hook.status = 200
    again = bantin("watch", "--content", str(content), **env)
    assert again.returncode == 0 and hook.bodies and "đã báo" in again.stdout


def test_nothing_is_claimed_while_no_channel_is_configured(demo_night: dict, tmp_path: Path, channels) -> None:  # noqa: ANN001
    hook, _box, _port = channels
    content = copy_project(demo_night, tmp_path, cache=False)
    _due_soon(content, demo_night)
    quiet = bantin("watch", "--content", str(content))
    assert quiet.returncode == 1 and "Chưa cấu hình nơi nhận cảnh báo" in quiet.stdout
    later = bantin("watch", "--content", str(content), BANTIN_ALERTS__WEBHOOK_URL=hook.url)
    assert later.returncode == 0 and hook.bodies


def test_a_bulletin_the_night_could_not_make_is_told_with_its_station_and_reason(content_dir: Path, channels) -> None:  # noqa: ANN001
    import os

    from flows import runtime
    from flows.pipeline import watch as watching
    from flows.pipeline.bulletins import SynthesiseReport

    hook, _box, _port = channels
    os.environ["BANTIN_ALERTS__WEBHOOK_URL"] = hook.url
    try:
        runtime.forget()
        newsroom, store = runtime.open_newsroom(str(content_dir))
        report = SynthesiseReport(day=date(2023, 12, 1), failures=[
            "Đài Truyền thanh xã La Hiên (buổi sáng): Không ghi được tệp bản tin (No space left on device)."])
        first = watching.tell(newsroom, store, watching.night_failures(newsroom, report))
        again = watching.tell(newsroom, store, watching.night_failures(newsroom, report))
    finally:
        os.environ.pop("BANTIN_ALERTS__WEBHOOK_URL")
        runtime.forget()
    assert len(first.told) == 1 and again.known == first.told and len(hook.bodies) == 1
    [body] = hook.bodies
    assert body["kind"] == "failed" and body["station_id"] == "la-hien"
    assert "không thành công cho Đài Truyền thanh xã La Hiên" in body["text"] and "No space left" in body["text"]
