"""Shared fixtures for the audio tests: stations, stories, a session-wide synthesis cache and a gTTS fake."""

from __future__ import annotations

import base64
import json
import urllib.parse
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
import requests
import responses

from flows.audio import ffmpeg
from flows.audio.cache import SynthesisCache
from flows.audio.engines import EspeakEngine, reset_breakers
from flows.models import AudioProfile, BulletinItem, BulletinRequest, Priority, Slot, Station

DAY = date(2024, 6, 11)
GTTS_URL = "https://translate.google.com/_/TranslateWebserverUi/data/batchexecute"

TEXTS = {
    1: "Huyện Võ Nhai phát động phong trào thi đua yêu nước năm hai nghìn không trăm hai mươi tư.",
    2: "Nông dân thi đua sản xuất, kinh doanh giỏi.",
    3: "Cán bộ, công chức thi đua thực hiện văn hóa công sở.",
    4: "Đẩy mạnh chương trình chuyển đổi số ở các xã.",
    5: "Xã Bình Long ra mắt mô hình dân vận khéo.",
    6: "Xã La Hiên hoàn thành tiêu chí nông thôn mới.",
}


def item(story_id: int, priority: Priority = Priority.NORMAL, district: bool = True, day: int = 1,
         text: str | None = None) -> BulletinItem:
    return BulletinItem(story_id, f"Tin {story_id}", text or TEXTS[story_id], priority, datetime(2024, 6, day, 8),
                        district)


def station(sid: str, kind: str = "commune", profile: AudioProfile | None = None, max_seconds: float = 600) -> Station:
    names = {"vo-nhai": "Đài Truyền thanh huyện Võ Nhai", "binh-long": "Đài truyền thanh xã Bình Long",
             "la-hien": "Đài truyền thanh xã La Hiên"}
    return Station(sid, names.get(sid, sid), kind, None if kind == "district" else sid,
                   (Slot("sang", "Sáng", "06:00", max_seconds),), profile or AudioProfile())


def request(st: Station, items: tuple[BulletinItem, ...]) -> BulletinRequest:
    return BulletinRequest(st, st.slots[0], DAY, items)


@pytest.fixture(autouse=True)
def _fresh_breakers():
    reset_breakers()
    yield
    reset_breakers()


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory) -> SynthesisCache:
    """One cache for the session: most tests voice the same short texts, as the nightly run would."""
    return SynthesisCache(tmp_path_factory.mktemp("cache"))


class CountingEngine:
    """Wraps a real engine and counts the texts it is asked to voice."""

    def __init__(self, inner=None, name: str | None = None) -> None:
        self.inner = inner or EspeakEngine()
        self.name = name or self.inner.name
        self.texts: list[str] = []

    def voice_id(self, voice: str) -> str:
        return self.inner.voice_id(voice)

    def synthesize(self, text: str, voice: str, rate: float = 1.0):
        self.texts.append(text)
        return self.inner.synthesize(text, voice, rate)


def google_mp3(text: str) -> bytes:
    """What Google would send: mono 24 kHz MP3 speech (voiced here by espeak-ng, so it is real speech)."""
    speech = EspeakEngine().synthesize(text, "vi", 1.0)
    out, _ = ffmpeg.run(["-f", "s16le", "-ar", str(speech.sample_rate), "-ac", "1", "-i", "pipe:0",
                         "-ar", "24000", "-c:a", "libmp3lame", "-b:a", "32k", "-f", "mp3", "pipe:1"], speech.pcm)
    return out


def batchexecute_reply(mp3: bytes | None) -> str:
    """The endpoint's real reply format; `None` gives a 200 that carries no audio."""
    payload = json.dumps([base64.b64encode(mp3).decode("ascii")]) if mp3 is not None else None
    return ")]}'\n\n" + json.dumps([["wrb.fr", "jQ1olc", payload, None, None, None, "generic"]], separators=(",", ":"))


def requested_text(body: str) -> str:
    """Unpack the text gTTS put into an f.req body (the fake reads requests the way Google does)."""
    freq = urllib.parse.parse_qs(body)["f.req"][0]
    return json.loads(json.loads(freq)[0][0][1])[0]


class GoogleFake:
    """A scripted batchexecute endpoint. `script(text, n)` returns an int status, "timeout", "noaudio" or "ok"."""

    def __init__(self, rsps: responses.RequestsMock, script: Callable[[str, int], object]) -> None:
        self.calls: list[str] = []
        self.script = script
        self._audio: dict[str, bytes] = {}
        rsps.add_callback(responses.POST, GTTS_URL, callback=self._answer)

    def _answer(self, req):
        text = requested_text(req.body)
        self.calls.append(text)
        action = self.script(text, len(self.calls))
        if action == "timeout":
            raise requests.exceptions.ReadTimeout("fake: no answer")
        if isinstance(action, int):
            return action, {"Retry-After": "0"} if action == 429 else {}, "rate limited" if action == 429 else "error"
        if action == "noaudio":
            return 200, {}, batchexecute_reply(None)
        if action == "garbage":
            return 200, {}, batchexecute_reply(b"\x00not an mp3 at all" * 20)
        if text not in self._audio:
            self._audio[text] = google_mp3(text)
        return 200, {"Content-Type": "application/json; charset=utf-8"}, batchexecute_reply(self._audio[text])


@pytest.fixture
def google():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield lambda script: GoogleFake(rsps, script)


def out_files(root: Path) -> list[Path]:
    """Every file a station operator could see (hidden temp files excluded)."""
    return sorted(p for p in Path(root).rglob("*") if p.is_file() and not p.name.startswith("."))


@pytest.fixture(scope="session")
def kit():
    """The helpers above, as a fixture: test modules never import conftest (other packages have their own)."""
    import types

    return types.SimpleNamespace(DAY=DAY, TEXTS=TEXTS, item=item, station=station, request=request,
                                 CountingEngine=CountingEngine, google_mp3=google_mp3, out_files=out_files,
                                 batchexecute_reply=batchexecute_reply, requested_text=requested_text)
