"""One real night of bulletins and one running `bantin serve` for the whole session.

The night is built by the audio library the nightly run uses (espeak-ng voices, loudness, MP3, manifests and
transcripts) for three stations of the demo content: Bình Long on three days (yesterday, today, tomorrow, in
the district's time zone) with an emergency bulletin today and an old day that retention has already thinned,
La Hiên yesterday and tomorrow, the district station tomorrow morning. Short stories keep it to ~20 clips. The
server is started through the CLI (`bantin serve`) on a free loopback port, as an operator would start it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
ARTIFACTS = ROOT / "test-artifacts"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")

STORIES = {
    1: ("Võ Nhai phát động phong trào thi đua yêu nước", "Huyện Võ Nhai phát động phong trào thi đua yêu nước, "
        "mỗi xã chọn một mô hình dân vận khéo để nhân rộng.", 1),
    2: ("Nông dân thi đua sản xuất giỏi", "Hội Nông dân huyện biểu dương các hộ sản xuất, kinh doanh giỏi.", 0),
    3: ("Xã Bình Long ra mắt mô hình camera an ninh", "Xã Bình Long ra mắt mô hình camera an ninh ở khu dân cư.", 0),
    4: ("Xã La Hiên hoàn thành tiêu chí nông thôn mới", "Xã La Hiên hoàn thành các tiêu chí nông thôn mới nâng cao.", 0),
    9: ("Cảnh báo lũ quét trên suối Nghinh Tường", "Khẩn cấp: mưa lớn có thể gây lũ quét trên suối Nghinh Tường, "
        "người dân không qua ngầm tràn.", 2),
}
PASSWORDS = {"op-binh-long": "mat-khau-binh-long", "op-la-hien": "mat-khau-la-hien", "bien-tap": "mat-khau-bien-tap",
             "noi-vu": "mat-khau-noi-vu", "quan-tri": "mat-khau-quan-tri", "op-da-khoa": "mat-khau-da-khoa",
             "op-bi-khoa-tam": "mat-khau-bi-khoa-tam", "op-het-han": "mat-khau-het-han",
             "op-thu-sai": "mat-khau-thu-sai"}


@dataclass
class Night:
    content: Path
    audio_out: Path
    yesterday: date
    today: date
    tomorrow: date
    old_day: date
    emergency_slot: str
    stations: tuple[str, ...] = ("vo-nhai", "binh-long", "la-hien")

    def mp3(self, station: str, day: date, slot: str) -> Path:
        return self.audio_out / station / day.isoformat() / f"{slot}.mp3"

    def manifest(self, station: str, day: date, slot: str) -> dict:
        return json.loads(self.mp3(station, day, slot).with_suffix(".json").read_text(encoding="utf-8"))


def _build_night(project: Path) -> Night:
    from flows.audio import SynthesisCache, build_bulletin, closing_text, opening_text, voice_text
    from flows.audio.archive import remove_old_bulletins
    from flows.content import Newsroom
    from flows.models import BulletinItem, BulletinRequest, Priority, Slot

    content = project / "content"
    shutil.copytree(CONTENT, content, ignore=shutil.ignore_patterns(".gitkeep"))
    newsroom = Newsroom.load(content)
    out = newsroom.settings.audio.output
    cache = SynthesisCache(project / "data" / "tts_cache")
    today = datetime.now(TZ).date()
    night = Night(content, out, today - timedelta(days=1), today, today + timedelta(days=1), today - timedelta(days=40),
                  "khan-cap-0715")

    def items(station_id: str, ids: tuple[int, ...]) -> tuple[BulletinItem, ...]:
        return tuple(BulletinItem(i, STORIES[i][0], STORIES[i][1], Priority(STORIES[i][2]),
                                  datetime(2026, 11, 20, 8), i != 3 and i != 4) for i in ids)

    own = {"vo-nhai": (1, 2, 3, 4), "binh-long": (1, 2, 3), "la-hien": (1, 2, 4)}
    clips: dict[tuple[str, int], object] = {}

    def bulletin(station_id: str, day: date, slot: Slot | None = None, ids: tuple[int, ...] | None = None) -> None:
        station = newsroom.station(station_id)
        for chosen in ([slot] if slot else station.slots):
            request = BulletinRequest(station, chosen, day, items(station_id, ids or own[station_id]))
            profile = station.audio
            voiced = {}
            for item in request.items:
                key = (repr(profile), item.story_id)
                if key not in clips:
                    clips[key] = voice_text(item.spoken_text, profile, cache)
                voiced[item.story_id] = clips[key]
            build_bulletin(request, voiced, voice_text(opening_text(request), profile, cache),
                           voice_text(closing_text(request), profile, cache), out)

    sang = newsroom.station("binh-long").slots[0]
    for day in (night.yesterday, night.today, night.tomorrow):
        bulletin("binh-long", day)
    bulletin("binh-long", night.old_day, sang)
    bulletin("binh-long", today, Slot(night.emergency_slot, "khẩn cấp", "07:15", 900), (9,))
    bulletin("la-hien", night.yesterday, sang)
    bulletin("la-hien", night.tomorrow)
    bulletin("vo-nhai", night.tomorrow, sang)
    # Forty days on, retention has taken the old day's MP3s and kept their manifests and transcripts.
    removed = remove_old_bulletins(out, keep_days=30, today=today).removed
    assert {p.parent.name for p in removed} == {night.old_day.isoformat()}

    folder = out / "binh-long" / today.isoformat()
    # A writer killed mid-write leaves a hidden temp file; a stranger planted a link to a system file.
    (folder / f".sang.mp3.part-999999-{time.monotonic_ns()}").write_bytes(b"half a bulletin")
    (folder / "lien-ket.mp3").symlink_to("/etc/passwd")
    planted = json.loads((folder / "sang.json").read_text(encoding="utf-8"))
    planted["slot"]["id"], planted["file"] = "lien-ket", "lien-ket.mp3"
    (folder / "lien-ket.json").write_text(json.dumps(planted, ensure_ascii=False), encoding="utf-8")
    (folder / "sao-chep.json").write_text((folder / "sang.json").read_text(encoding="utf-8"), encoding="utf-8")
    # A big file to show that streaming holds memory flat (sparse: costs no disk).
    big = out / "la-hien" / night.yesterday.isoformat()
    with open(big / "lon.mp3", "wb") as fh:
        fh.truncate(400 * 1024 * 1024)
    manifest = json.loads((big / "sang.json").read_text(encoding="utf-8"))
    manifest["slot"] = {"id": "lon", "name": "thử tệp lớn", "time": "12:00", "max_seconds": 1800}
    manifest["file"] = "lon.mp3"
    (big / "lon.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return night


@pytest.fixture(scope="session")
def night(tmp_path_factory: pytest.TempPathFactory) -> Night:
    return _build_night(tmp_path_factory.mktemp("web") / "project")


# -- the server ---------------------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    night: Night
    process: subprocess.Popen
    passwords: dict[str, str] = field(default_factory=lambda: dict(PASSWORDS))

    def store(self):  # type: ignore[no-untyped-def]
        from flows import runtime

        return runtime.store(str(self.night.content))

    def accounts(self):  # type: ignore[no-untyped-def]
        from flows.store.accounts import Accounts

        return Accounts(self.store())

    def keys(self):  # type: ignore[no-untyped-def]
        from flows.store.stationkeys import StationKeys

        return StationKeys(self.store())

    def fetch_log(self):  # type: ignore[no-untyped-def]
        from flows.store.fetches import FetchLog

        return FetchLog(self.store())

    def client(self, **kw: object) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60, **kw)  # type: ignore[arg-type]

    def login(self, username: str, password: str | None = None) -> httpx.Client:
        """A client with a logged-in session, logged in through the form like a person."""
        c = self.client()
        r = c.post("/dang-nhap", data={"ten": username, "mat_khau": password or self.passwords[username],
                                       "csrf_token": csrf_of(c.get("/dang-nhap").text), "tiep": "/"})
        assert r.status_code == 303, r.text
        return c

    def form_token(self, client: httpx.Client, path: str) -> str:
        """The CSRF token a page gives its forms."""
        return csrf_of(client.get(path).text)

    def key(self, station: str) -> str:
        key = self.keys().first_key(station, actor="test")
        assert key is not None
        return key.secret

    def wait_for_fetches(self, match: Callable[[object], bool], count: int = 1, timeout: float = 20) -> list:
        """The fetch log is written in the background: wait until `count` matching rows are there."""
        deadline = time.monotonic() + timeout
        while True:
            found = [f for f in self.fetch_log().recent(limit=5000) if match(f)]
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.2)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


@pytest.fixture(scope="session")
def server(night: Night) -> Iterator[Server]:
    from flows import runtime
    from flows.store.accounts import Accounts

    runtime.forget()
    accounts = Accounts(runtime.store(str(night.content)))
    accounts.add("op-binh-long", PASSWORDS["op-binh-long"], "operator", "binh-long", "Nguyễn Văn Bình")
    for name, role, station in (("op-la-hien", "operator", "la-hien"), ("bien-tap", "editor", None),
                                ("noi-vu", "viewer", None), ("quan-tri", "admin", None),
                                ("op-da-khoa", "operator", "vo-nhai"), ("op-bi-khoa-tam", "operator", "vo-nhai"),
                                ("op-het-han", "operator", "binh-long"), ("op-thu-sai", "operator", "dan-tien")):
        accounts.add(name, PASSWORDS[name], role, station)
    accounts.set_active("op-da-khoa", False)
    port = _free_port()
    env = {**os.environ, "BANTIN_CONTENT": str(night.content)}
    process = subprocess.Popen([sys.executable, "-c", "from flows.cli import main; main()", "serve",
                                "--content", str(night.content), "--host", "127.0.0.1", "--port", str(port)],
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
        yield Server(url, night, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        runtime.forget()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """test-artifacts/ at the project root (git-ignored): screenshots and other things to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
