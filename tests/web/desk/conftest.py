"""The editors' desk against a running `bantin serve`: a newsroom with known stories waiting, failed, flagged and
approved (stored and normalised by the library, as gathering leaves them), and the accounts of every role.

One server for the session, started through the CLI on a free loopback port like the stations' tests' server;
its own content copy, so the desk's runs never touch the bulletins the stations' tests check.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[3]
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PASSWORDS = {"bien-tap": "mat-khau-bien-tap", "op-binh-long": "mat-khau-binh-long", "noi-vu": "mat-khau-noi-vu",
             "quan-tri": "mat-khau-quan-tri"}

# Really different texts: normalise folds near duplicates into one story.
STORIES = {
    "walk": ("Xã Bình Long ra mắt tổ hòa giải ở cơ sở",
             "Sáng nay, Ủy ban nhân dân xã Bình Long ra mắt tổ hòa giải ở thôn Đồng Mỏ. "
             "Tổ có bảy thành viên là những người có uy tín trong cộng đồng.", "hop-thu"),
    "flagged": ("Thần Sa trồng mới ba mươi héc ta rừng keo",
                "Năm nay bà con xã Thần Sa đã đã trồng mới ba mươi héc ta rừng keo trên đất đồi. "
                "Cán bộ khuyến nông hướng dẫn kỹ thuật chăm sóc cây non.", "hop-thu"),
    "approved": ("Trường mầm non Tràng Xá đón chuẩn quốc gia",
                 "Trường mầm non xã Tràng Xá vừa được công nhận đạt chuẩn quốc gia mức độ một, "
                 "nhờ sự chung sức của phụ huynh và chính quyền địa phương.", "trung-tam"),
    "bulk1": ("Hội Cựu chiến binh Cúc Đường tặng quà gia đình chính sách",
              "Nhân dịp kỷ niệm ngày thành lập Quân đội, Hội Cựu chiến binh xã Cúc Đường đã thăm hỏi, "
              "tặng hai mươi suất quà cho các gia đình chính sách khó khăn.", "hop-thu"),
    "bulk2": ("Đoàn thanh niên Liên Minh sửa đường liên xóm",
              "Hơn năm mươi đoàn viên thanh niên xã Liên Minh đã ra quân phát quang, "
              "san lấp ổ gà trên tuyến đường liên xóm dài hai cây số.", "hop-thu"),
    "spare": ("Phụ nữ Phú Thượng học làm bánh chưng xanh",
              "Chi hội phụ nữ xóm Khuổi Chao, xã Phú Thượng tổ chức lớp dạy gói bánh chưng "
              "cho các chị em trẻ để giữ gìn nghề truyền thống.", "hop-thu"),
}


@dataclass
class Desk:
    url: str
    content: Path
    ids: dict[str, int]
    process: subprocess.Popen  # type: ignore[type-arg]
    passwords: dict[str, str] = field(default_factory=lambda: dict(PASSWORDS))

    def store(self):  # type: ignore[no-untyped-def]
        from flows import runtime

        return runtime.store(str(self.content))

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=120)

    def login(self, username: str) -> httpx.Client:
        c = self.client()
        r = c.post("/dang-nhap", data={"ten": username, "mat_khau": self.passwords[username],
                                       "csrf_token": csrf_of(c.get("/dang-nhap").text), "tiep": "/"})
        assert r.status_code == 303, r.text
        return c

    def token(self, client: httpx.Client, path: str = "/dai") -> str:
        """A CSRF token of this client's session (every page that renders a form gives one)."""
        return csrf_of(client.get(path, follow_redirects=True).text)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _newsroom_with_stories(content: Path) -> dict[str, int]:
    from flows import pipeline, runtime
    from flows.models import SubmittedStory
    from flows.store.accounts import Accounts

    runtime.forget()
    room, store = runtime.newsroom(str(content)), runtime.store(str(content))
    yesterday = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0) - timedelta(days=1)  # the store keeps UTC
    ids = {}
    for n, (name, (title, text, source_id)) in enumerate(STORIES.items()):
        source = room.source(source_id)
        story = SubmittedStory(source_id=source.id, external_id=f"desk-{name}", title=title, body=f"<p>{text}</p>",
                               published_at=yesterday - timedelta(minutes=n))
        made = store.add_submission(story, source)
        assert made is not None
        ids[name] = made
    failed = store.add_failed_submission(room.source("hop-thu"), "desk-failed", "Bản tin gửi lỗi",
                                         "\x00\x01", "Tệp không đọc được: không phải văn bản.")
    assert failed is not None
    ids["failed"] = failed
    report = pipeline.normalise(room, store)
    assert not report.duplicates, report.duplicates
    assert store.story(ids["approved"]).state.value == "approved"  # the centre's own source goes on air at once
    accounts = Accounts(store)
    accounts.add("bien-tap", PASSWORDS["bien-tap"], "editor", None, "Lò Thị Biên")
    accounts.add("op-binh-long", PASSWORDS["op-binh-long"], "operator", "binh-long")
    accounts.add("noi-vu", PASSWORDS["noi-vu"], "viewer")
    accounts.add("quan-tri", PASSWORDS["quan-tri"], "admin")
    return ids


@pytest.fixture(scope="session")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    from flows import runtime

    content = tmp_path_factory.mktemp("desk") / "project" / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns(".gitkeep"))
    ids = _newsroom_with_stories(content)
    port = _free_port()
    env = {**os.environ, "BANTIN_CONTENT": str(content)}
    process = subprocess.Popen([sys.executable, "-c", "from flows.cli import main; main()", "serve",
                                "--content", str(content), "--host", "127.0.0.1", "--port", str(port)],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(url + "/dang-nhap", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("bantin serve did not start:\n" + (process.stdout.read() if process.stdout else ""))
        time.sleep(0.2)
    try:
        yield Desk(url, content, ids, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        runtime.forget()


# -- the desk's browser (Debian's Chromium, launched as the portal's browser test does) ---------------------------
# Module scope, not session: Playwright's sync API allows one running instance per thread, and the stations' and
# the portal's browser tests start their own in their modules.
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BROWSER_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if CHROMIUM is None:
        message = "Chromium is not installed (apt-get install chromium; .ci/run does it)"
        if os.environ.get("BANTIN_CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_FLAGS)
        yield launched
        launched.close()
