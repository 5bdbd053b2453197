"""The paid voices (FPT.AI, Viettel AI, Vbee) against fakes that speak each vendor's documented HTTP protocol.

No test can reach the vendors, so each fake answers at the HTTP level (the `responses` library intercepts
requests' transport) in the vendor's own request and response format, with real MP3 speech, and scripts the
failures a newsroom meets: a refused key, a used-up quota, 429 and 5xx, timeouts, a file that never appears, and
an audio link that answers with a web page. Polling runs on a fake clock: no test waits on the wall clock.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
import requests
import responses

from flows.audio import build_bulletin, closing_text, decode_errors, opening_text, voice_text
from flows.audio.cache import SynthesisCache
from flows.audio.engines import (CircuitBreaker, EngineChain, EspeakEngine, FptEngine, VbeeEngine, ViettelEngine, engine_chain,
                                 engine_options, voices)
from flows.audio.engines.vendor import looks_like_audio, split_rate
from flows.audio.errors import (AccountError, BrokenAudioError, CircuitOpenError, EngineTimeoutError,
                                TerminalEngineError, TransientEngineError)
from flows.models import AudioProfile

KEY = "k3y-FPT-0123456789abcdef"  # a recognisable secret: it must never show up outside a request
APP_ID = "b5cdad60-6637-4061-98e4-aa9a3ba80932"
TEXT = "Xã Bình Long ra mắt mô hình dân vận khéo."

FPT_URL = "https://api.fpt.ai/hmi/tts/v5"
FPT_FILES = re.compile(r"https://file01\.fpt\.ai/text2speech-v5/short/.*")
VIETTEL_URL = "https://viettelai.vn/tts/speech_synthesis"
VBEE_URL = "https://vbee.vn/api/v1/tts"
VBEE_POLL = re.compile(r"https://vbee\.vn/api/v1/tts/[0-9a-f-]+$")
VBEE_FILES = re.compile(r"https://vbee-studio-30\.s3\.ap-southeast-1\.amazonaws\.com/synthesis/.*")

JSON = {"Content-Type": "application/json"}
HTML_PAGE = b"<!DOCTYPE html><html><body><h1>404 - Trang kh\xc3\xb4ng t\xe1\xbb\x93n t\xe1\xba\xa1i</h1></body></html>"


class Clock:
    """Time as the engine sees it: sleeping moves it on at once."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


class VendorFake:
    """Shared by the three fakes: a script says, per request to the synthesis endpoint, what to do."""

    def __init__(self, rsps: responses.RequestsMock, mp3: Callable[[str], bytes]) -> None:
        self.rsps = rsps
        self.mp3 = mp3
        self.script: Callable[[int], object] = lambda n: "ok"
        self.posts: list[requests.PreparedRequest] = []
        self.polls = 0
        self.ready_after = 0  # polls answered "not yet" before the file exists; -1: never

    def act(self) -> object:
        return self.script(len(self.posts))

    @staticmethod
    def fail(action: object):
        if action == "timeout":
            raise requests.exceptions.ReadTimeout("fake: no answer")
        if action == "refused":
            raise requests.exceptions.ConnectionError("fake: connection refused")
        return None


class FptFake(VendorFake):
    """FPT.AI TTS v5: text body + api-key/voice/speed/format headers → {"error": 0, "async": link, ...}."""

    def __init__(self, rsps, mp3):
        super().__init__(rsps, mp3)
        self.files: dict[str, str] = {}
        self.file_mode = "mp3"
        rsps.add_callback(responses.POST, FPT_URL, callback=self._tts)
        rsps.add_callback(responses.GET, FPT_FILES, callback=self._file)

    def _tts(self, req):
        self.posts.append(req)
        action = self.act()
        self.fail(action)
        if req.headers.get("api-key", req.headers.get("api_key")) != KEY or action == "badkey":
            return 401, {"Content-Type": "application/json"}, json.dumps({"message": "Invalid API key"})
        if isinstance(action, int):
            return action, {"Retry-After": "0"} if action == 429 else {}, json.dumps({"message": "API rate limit exceeded"}
                                                                                     if action == 429 else "Bad gateway")
        if action == "quota":
            return 200, {}, json.dumps({"error": 1, "message": "Out of quota: please top up characters",
                                        "request_id": str(uuid.uuid4())})
        if action == "notjson":
            return 200, {"Content-Type": "text/html"}, HTML_PAGE
        text = req.body.decode("utf-8")
        if len(text) > 5000 or len(text) < 3:
            return 200, {}, json.dumps({"error": 2, "message": "Invalid text length"})
        name = hashlib.md5(f"{text}|{req.headers['voice']}".encode()).hexdigest()
        link = f"https://file01.fpt.ai/text2speech-v5/short/2024-06-11/{name}.mp3"
        self.files[link] = text
        return 200, {"Content-Type": "application/json"}, json.dumps({
            "async": link, "error": 0, "request_id": str(uuid.uuid4()),
            "message": "The content will be returned after a few seconds under the async link."})

    def _file(self, req):
        self.polls += 1
        if self.ready_after < 0 or self.polls <= self.ready_after:
            # What the storage behind the link answers before the file exists.
            return 404, {"Content-Type": "application/xml"}, "<Error><Code>NoSuchKey</Code></Error>"
        if self.file_mode == "html":
            return 200, {"Content-Type": "text/html; charset=utf-8"}, HTML_PAGE
        return 200, {"Content-Type": "audio/mpeg"}, self.mp3(self.files[req.url])


class ViettelFake(VendorFake):
    """Viettel AI: JSON body {text, voice, speed, tts_return_option, token, without_filter} → the MP3 itself."""

    def __init__(self, rsps, mp3):
        super().__init__(rsps, mp3)
        rsps.add_callback(responses.POST, VIETTEL_URL, callback=self._tts)

    def _tts(self, req):
        self.posts.append(req)
        action = self.act()
        self.fail(action)
        body = json.loads(req.body)
        if body.get("token") != KEY or action == "badkey":
            return 401, {"Content-Type": "application/json"}, json.dumps(
                {"code": 401, "vi_message": "Token không hợp lệ", "en_message": "Invalid token"}, ensure_ascii=False)
        if isinstance(action, int):
            return action, {"Retry-After": "0"} if action == 429 else {}, "error"
        if action == "quota":  # a refusal inside a 200, the body's code naming it
            return 200, {"Content-Type": "application/json"}, json.dumps(
                {"code": 402, "vi_message": "Tài khoản đã hết hạn mức ký tự", "en_message": "Quota exceeded"},
                ensure_ascii=False)
        if action == "html":
            return 200, {"Content-Type": "text/html"}, HTML_PAGE
        if not 0.8 <= body["speed"] <= 1.2 or body["tts_return_option"] not in (2, 3):
            return 400, {"Content-Type": "application/json"}, json.dumps({"code": 400, "vi_message": "Tham số sai"})
        return 200, {"Content-Type": "audio/mpeg"}, self.mp3(body["text"])


class VbeeFake(VendorFake):
    """Vbee legacy async API: create (Bearer token, app_id, callback_url...) → request_id; poll → audio_link."""

    def __init__(self, rsps, mp3):
        super().__init__(rsps, mp3)
        self.requests: dict[str, dict] = {}
        self.link_mode = "mp3"
        self.final = "SUCCESS"
        rsps.add_callback(responses.POST, VBEE_URL, callback=self._create)
        rsps.add_callback(responses.GET, VBEE_POLL, callback=self._poll)
        rsps.add_callback(responses.GET, VBEE_FILES, callback=self._file)

    def _refuse(self, req):
        if req.headers.get("Authorization") != f"Bearer {KEY}":
            return 401, {"Content-Type": "application/json"}, json.dumps(
                {"status": 0, "error_code": 401, "error_message": "Unauthorized: invalid token"})
        return None

    def _create(self, req):
        self.posts.append(req)
        action = self.act()
        self.fail(action)
        body = json.loads(req.body)
        refused = self._refuse(req)
        if refused or action == "badkey":
            return refused or (401, {}, json.dumps({"status": 0, "error_code": 401, "error_message": "Token expired"}))
        if body.get("app_id") != APP_ID:
            return 200, {}, json.dumps({"status": 0, "error_code": 1002, "error_message": "App not found"})
        if isinstance(action, int):
            return action, {"Retry-After": "0"} if action == 429 else {}, "error"
        if action == "quota":
            return 200, JSON, json.dumps({"status": 0, "error_code": 1009,
                                        "error_message": "Số ký tự còn lại không đủ để chuyển văn bản"},
                                       ensure_ascii=False)
        assert body["response_type"] == "indirect" and body["callback_url"].startswith("https://")
        request_id = str(uuid.uuid4())
        self.requests[request_id] = body
        return 200, {}, json.dumps({"status": 1, "result": {
            "app_id": APP_ID, "request_id": request_id, "characters": len(body["input_text"]),
            "voice_code": body["voice_code"], "audio_type": body["audio_type"], "speed_rate": body["speed_rate"],
            "bitrate": body["bitrate"], "created_at": "2024-06-11T01:00:00.000Z", "status": "IN_PROGRESS"}})

    def _poll(self, req):
        refused = self._refuse(req)
        if refused:
            return refused
        self.polls += 1
        request_id = req.url.rsplit("/", 1)[1]
        body = self.requests[request_id]
        done = self.ready_after >= 0 and self.polls > self.ready_after
        result = {"app_id": APP_ID, "request_id": request_id, "characters": len(body["input_text"]),
                  "voice_code": body["voice_code"], "audio_type": "mp3", "speed_rate": float(body["speed_rate"]),
                  "bitrate": 128, "progress": 100 if done else 40, "status": self.final if done else "IN_PROGRESS"}
        if done and self.final == "SUCCESS":
            result["audio_link"] = ("https://vbee-studio-30.s3.ap-southeast-1.amazonaws.com/synthesis/2024/06/11/"
                                    f"{request_id}.mp3")
            result["audio_expired"] = False
        return 200, {}, json.dumps({"status": 1, "result": result})

    def _file(self, req):
        if self.link_mode == "html":
            return 200, {"Content-Type": "text/html"}, HTML_PAGE
        request_id = req.url.rsplit("/", 1)[1].removesuffix(".mp3")
        return 200, {"Content-Type": "audio/mpeg"}, self.mp3(self.requests[request_id]["input_text"])


FAKES = {"fpt": FptFake, "viettel": ViettelFake, "vbee": VbeeFake}
ENGINES = {"fpt": FptEngine, "viettel": ViettelEngine, "vbee": VbeeEngine}


@pytest.fixture(scope="module")
def mp3(kit):
    """Real MP3 speech for a text (voiced offline once per text), as a vendor would send."""
    made: dict[str, bytes] = {}

    def make(text: str) -> bytes:
        if text not in made:
            made[text] = kit.google_mp3(text)
        return made[text]

    return make


@pytest.fixture
def vendors(mp3):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield {name: fake(rsps, mp3) for name, fake in FAKES.items()}


def engine(name: str, clock: Clock, **options):
    """An engine on the fake clock with its own breaker (the process-wide ones would carry state between calls)."""
    account = {"key": KEY, "app_id": APP_ID} if name == "vbee" else {"key": KEY}
    breaker = CircuitBreaker(clock=clock)
    return ENGINES[name](**{**account, "sleep": clock.sleep, "clock": clock, "poll_seconds": 30.0,
                            "breaker": breaker, **options})


# -- each vendor's protocol -----------------------------------------------------------------------------------


def test_fpt_posts_text_with_header_fields_and_polls_the_async_link(vendors):
    fake, clock = vendors["fpt"], Clock()
    fake.ready_after = 3  # the link answers 404 three times before the MP3 is there
    speech = engine("fpt", clock).synthesize(TEXT, "nu-mien-bac", 1.0)
    sent = fake.posts[0]
    assert sent.body == TEXT.encode("utf-8")
    assert (sent.headers["api-key"], sent.headers["voice"], sent.headers["speed"], sent.headers["format"]) == (
        KEY, "banmai", "0", "mp3")
    assert fake.polls == 4 and len(clock.slept) == 3 and clock.now < 30
    assert speech.sample_rate == 24000 and 1.0 < speech.duration_seconds < 6


def test_viettel_posts_json_and_reads_the_audio_it_answers_with(vendors):
    fake, clock = vendors["viettel"], Clock()
    speech = engine("viettel", clock).synthesize(TEXT, "nam-mien-nam", 0.9)
    body = json.loads(fake.posts[0].body)
    assert body == {"text": TEXT, "voice": "hcm-minhquan", "speed": 0.9, "tts_return_option": 3, "token": KEY,
                    "without_filter": False}
    assert clock.slept == [] and speech.duration_seconds > 1.0


def test_vbee_creates_a_request_then_polls_it_and_downloads_the_link(vendors):
    fake, clock = vendors["vbee"], Clock()
    fake.ready_after = 2
    speech = engine("vbee", clock).synthesize(TEXT, "nu-mien-trung", 1.2)
    sent = fake.posts[0]
    body = json.loads(sent.body)
    assert sent.headers["Authorization"] == f"Bearer {KEY}"
    assert {k: body[k] for k in ("app_id", "response_type", "input_text", "voice_code", "audio_type", "speed_rate")} \
        == {"app_id": APP_ID, "response_type": "indirect", "input_text": TEXT,
            "voice_code": "hue_female_huonggiang_full_48k-fhg", "audio_type": "mp3", "speed_rate": "1.2"}
    assert fake.polls == 3 and speech.duration_seconds > 1.0


def test_long_text_goes_in_phrase_chunks_within_each_vendors_limit(vendors):
    long_text = " ".join([TEXT] * 30)  # ~1,250 characters
    clock = Clock()
    engine("viettel", clock).synthesize(long_text, "nu-mien-bac", 1.0)
    sent = [json.loads(p.body)["text"] for p in vendors["viettel"].posts]
    assert len(sent) == 3 and all(len(t) <= 500 for t in sent) and " ".join(sent) == long_text
    engine("fpt", clock).synthesize(long_text, "nu-mien-bac", 1.0)
    assert len(vendors["fpt"].posts) == 1  # FPT takes up to 5,000 characters at once


def test_rates_a_vendor_cannot_read_at_are_reached_by_time_stretching(vendors):
    clock = Clock()
    normal = engine("viettel", clock).synthesize(TEXT, "nu-mien-bac", 1.0)
    fast = engine("viettel", clock).synthesize(TEXT, "nu-mien-bac", 1.5)
    assert json.loads(vendors["viettel"].posts[1].body)["speed"] == 1.2  # the fastest Viettel reads at
    # The fake reads at one speed whatever it is asked, so what shows is bantin's stretch of the rest: 1.5 / 1.2.
    assert fast.duration_seconds == pytest.approx(normal.duration_seconds / 1.25, rel=0.05)
    assert split_rate(1.5, (0.8, 1.2), 0.1) == (1.2, 1.25) and split_rate(0.7, (1.0, 1.0), 0.1) == (1.0, 0.7)


# -- failures -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["fpt", "viettel", "vbee"])
def test_refused_key_is_an_account_error_and_skips_the_vendor_for_the_night(vendors, name):
    fake, clock = vendors[name], Clock()
    fake.script = lambda n: "badkey"
    eng = engine(name, clock)
    with pytest.raises(AccountError, match="không nhận khóa API"):
        eng.synthesize(TEXT, "nu-mien-bac", 1.0)
    assert len(fake.posts) == 1  # terminal: never retried
    clock.now += 600  # ten minutes on, still skipped without asking
    with pytest.raises(CircuitOpenError, match="không nhận khóa API"):
        eng.synthesize(TEXT, "nu-mien-bac", 1.0)
    assert len(fake.posts) == 1


@pytest.mark.parametrize("name", ["fpt", "viettel", "vbee"])
def test_used_up_quota_is_an_account_error(vendors, name):
    fake = vendors[name]
    fake.script = lambda n: "quota"
    with pytest.raises(AccountError, match="hết hạn mức"):
        engine(name, Clock()).synthesize(TEXT, "nu-mien-bac", 1.0)
    assert len(fake.posts) == 1


@pytest.mark.parametrize("name", ["fpt", "viettel", "vbee"])
def test_missing_key_asks_for_it_and_sends_nothing(vendors, name):
    with pytest.raises(AccountError, match="Chưa có khóa API"):
        ENGINES[name](key="").synthesize(TEXT, "nu-mien-bac", 1.0)
    assert vendors[name].posts == []


def test_vbee_needs_its_app_id_too(vendors):
    with pytest.raises(AccountError, match="app_id"):
        VbeeEngine(key=KEY).synthesize(TEXT, "nu-mien-bac", 1.0)
    assert vendors["vbee"].posts == []


@pytest.mark.parametrize("name", ["fpt", "viettel", "vbee"])
def test_429_and_5xx_are_retried_with_backoff_then_succeed(vendors, name):
    fake, clock = vendors[name], Clock()
    answers = iter([429, 503])
    fake.script = lambda n: next(answers, "ok")
    speech = engine(name, clock).synthesize(TEXT, "nu-mien-bac", 1.0)
    assert len(fake.posts) == 3 and speech.duration_seconds > 1.0
    assert clock.slept[0] == 0  # Retry-After: 0 from the 429 is honoured


@pytest.mark.parametrize("name", ["fpt", "viettel", "vbee"])
@pytest.mark.parametrize("answer, words", [(503, "HTTP 503"), (429, "429"), ("timeout", "không trả lời kịp"),
                                           ("refused", "không kết nối được")])
def test_a_vendor_that_stays_down_is_a_transient_error_after_three_tries(vendors, name, answer, words):
    fake = vendors[name]
    fake.script = lambda n: answer
    with pytest.raises(TransientEngineError, match=words):
        engine(name, Clock()).synthesize(TEXT, "nu-mien-bac", 1.0)
    assert len(fake.posts) == 3


@pytest.mark.parametrize("name", ["fpt", "vbee"])
def test_audio_that_never_appears_gives_up_at_the_poll_deadline(vendors, name):
    fake, clock = vendors[name], Clock()
    fake.ready_after = -1
    with pytest.raises(EngineTimeoutError, match="sau 30 giây"):
        engine(name, clock).synthesize(TEXT, "nu-mien-bac", 1.0)
    assert 20 < clock.now <= 30  # waited up to the deadline, not past it
    assert max(clock.slept) <= 5.0 and fake.polls == len(clock.slept) + 1  # polling slows down, within bounds


def test_vbee_failure_status_is_terminal(vendors):
    vendors["vbee"].final = "FAILURE"
    with pytest.raises(TerminalEngineError, match="FAILURE"):
        engine("vbee", Clock()).synthesize(TEXT, "nu-mien-bac", 1.0)


@pytest.mark.parametrize("name", ["fpt", "viettel", "vbee"])
def test_an_audio_link_that_answers_with_a_web_page_is_broken_audio(vendors, name):
    fake = vendors[name]
    fake.file_mode = "html"
    fake.link_mode = "html"
    fake.script = lambda n: "html" if name == "viettel" else "ok"
    with pytest.raises(BrokenAudioError, match="không phải âm thanh"):
        engine(name, Clock()).synthesize(TEXT, "nu-mien-bac", 1.0)


def test_fpt_answer_that_is_not_the_documented_json_is_broken(vendors):
    vendors["fpt"].script = lambda n: "notjson"
    with pytest.raises(BrokenAudioError, match="không phải JSON"):
        engine("fpt", Clock()).synthesize(TEXT, "nu-mien-bac", 1.0)


def test_audio_sniffing():
    assert looks_like_audio(b"ID3\x04\x00" + bytes(20), "audio/mpeg")
    assert looks_like_audio(b"\xff\xfb\x90\x64" + bytes(20), "application/octet-stream")
    assert looks_like_audio(b"RIFF\x24\x00\x00\x00WAVEfmt ", "")
    assert not looks_like_audio(HTML_PAGE, "text/html")
    assert not looks_like_audio(b"\xff\xfb\x90\x64", "application/json")  # the server says it is not audio
    assert not looks_like_audio(b'{"error": 0}', "")


# -- voices by name -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, expected", [
    ("nu-mien-bac", {"fpt": "banmai", "viettel": "hn-quynhanh", "vbee": "hn_female_ngochuyen_full_48k-fhg",
                     "espeak": "vi", "gtts": "vi"}),
    ("nam-mien-nam", {"fpt": "minhquang", "viettel": "hcm-minhquan", "vbee": "sg_male_minhhoang_full_48k-fhg",
                      "espeak": "vi-vn-x-south", "gtts": "vi"}),
    ("banmai", {"fpt": "banmai", "viettel": "hn-quynhanh", "vbee": "hn_female_ngochuyen_full_48k-fhg",
                "espeak": "vi"}),  # one vendor's own code: the others read with their northern woman
    ("mien-trung", {"fpt": "myan", "viettel": "hue-maingoc", "espeak": "vi-vn-x-central"}),
    ("vi-vn-x-south", {"fpt": "lannhi", "espeak": "vi-vn-x-south", "gtts": "vi"}),
])
def test_a_station_names_its_voice_once_and_every_engine_reads_close_to_it(name, expected):
    from flows.audio.engines import make_engine

    for engine_name, code in expected.items():
        assert make_engine(engine_name).voice_id(name) == code, engine_name
    assert voices.label_vi("nam-mien-nam") == "giọng nam miền Nam"


def test_an_unknown_voice_name_is_refused_clearly():
    with pytest.raises(TerminalEngineError, match="FPT.AI không có giọng đọc “giong-la”.*nu-mien-bac.*banmai"):
        FptEngine(key=KEY).voice_id("giong-la")


# -- the key stays secret -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["fpt", "viettel", "vbee"])
def test_the_key_never_reaches_logs_errors_or_reprs(vendors, name, caplog):
    caplog.set_level(logging.DEBUG)
    seen: list[str] = []
    for script in ("badkey", "quota", "timeout", 503):
        vendors[name].script = lambda n, s=script: s
        eng = engine(name, Clock())
        with pytest.raises(Exception) as caught:
            eng.synthesize(TEXT, "nu-mien-bac", 1.0)
        seen += [str(caught.value), repr(caught.value), repr(eng)]
    assert KEY not in caplog.text and all(KEY not in s for s in seen)
    assert APP_ID not in caplog.text


def test_settings_take_keys_from_the_environment_and_never_print_them(monkeypatch):
    from flows.settings import load_settings

    monkeypatch.setenv("BANTIN_AUDIO__FPT__KEY", KEY)
    monkeypatch.setenv("BANTIN_AUDIO__VBEE__APP_ID", APP_ID)
    settings = load_settings(Path(__file__).resolve().parents[2] / "content")
    assert KEY not in repr(settings) and KEY not in str(settings.audio.fpt)
    options = engine_options(settings.audio)
    assert options["fpt"]["key"] == KEY and options["vbee"]["app_id"] == APP_ID and options["viettel"]["key"] == ""
    chain = engine_chain(AudioProfile(engines=("fpt", "vbee", "espeak")), options)
    assert [e.name for e in chain.engines] == ["fpt", "vbee", "espeak"] and KEY not in repr(chain.engines)


# -- a bulletin through the fallback chain --------------------------------------------------------------------


def test_bulletin_voiced_through_the_fallback_chain_records_who_voiced_each_item(vendors, kit, tmp_path):
    """FPT's key is refused, Viettel voices what it can, and what it cannot goes to the offline voice. The manifest
    says which engine voiced each item and why the others were passed over; the key appears nowhere."""
    vendors["fpt"].script = lambda n: "badkey"
    vendors["viettel"].script = lambda n: 503 if n >= 3 else "ok"  # Viettel falls over at its third request
    profile = AudioProfile(engines=("fpt", "viettel", "espeak"), voice="nu-mien-bac")
    st = kit.station("binh-long", profile=profile)
    req = kit.request(st, (kit.item(1), kit.item(2), kit.item(5, district=False)))
    fast = {"sleep": lambda s: None, "backoff_seconds": 0.0}
    chain = EngineChain([FptEngine(key=KEY, **fast), ViettelEngine(key=KEY, **fast), EspeakEngine()])
    cache = SynthesisCache(tmp_path / "cache")
    clips = {i.story_id: voice_text(i.spoken_text, profile, cache, chain) for i in req.items}
    opening = voice_text(opening_text(req), profile, cache, chain)
    closing = voice_text(closing_text(req), profile, cache, chain)
    result = build_bulletin(req, clips, opening, closing, tmp_path / "out")

    manifest = json.loads(result.manifest_path.read_text("utf-8"))
    items = {entry["story_id"]: entry for entry in manifest["items"]}  # voiced in the order 1, 2, 5
    assert {sid: (e["engine"], e["voice"]) for sid, e in items.items()} == {
        1: ("viettel", "hn-quynhanh"), 2: ("viettel", "hn-quynhanh"), 5: ("espeak", "vi")}
    assert "FPT.AI không nhận khóa API" in items[1]["note"]
    assert "HTTP 503" in items[5]["note"] and "giọng đọc ngoại tuyến (espeak)" in items[5]["note"]
    assert set(manifest["engines"]) == {"viettel", "espeak"}
    assert len(vendors["fpt"].posts) == 1  # refused once, then skipped for every later story
    assert decode_errors(result.path) == []
    for written in kit.out_files(tmp_path):
        assert KEY.encode() not in written.read_bytes(), written
