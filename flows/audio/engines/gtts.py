"""gTTS (Google Translate's voice), online: the newsroom's preferred Vietnamese voice when it can be reached.

gTTS packs each request (its batchexecute body); we send it ourselves to get what the library lacks: TLS
verification, connect and read timeouts, one keep-alive session, a bounded retry with backoff on 429 and 5xx that
honours Retry-After, chunks cut at phrase boundaries, and a circuit breaker shared by the process.
"""

from __future__ import annotations

import base64
import logging
import random
import re
import time
from collections.abc import Callable

import requests

from .. import ffmpeg
from flows.http import is_transient_status

from ..errors import BrokenAudioError, CircuitOpenError, EngineError, FfmpegError, TerminalEngineError, TransientEngineError
from ..phrases import chunks
from ..speech import Speech, check_speech
from . import voices
from .breaker import CircuitBreaker, breaker_for

log = logging.getLogger(__name__)

_AUDIO_RE = re.compile(r'jQ1olc","\[\\"(.*?)\\"]')
_GTTS_RATE = 24000  # Google answers with mono 24 kHz MP3

MSG_UNREACHABLE = "Không kết nối được máy chủ Google TTS"
MSG_RATE_LIMITED = "Máy chủ Google TTS từ chối vì quá nhiều yêu cầu (HTTP 429)"
MSG_SERVER = "Máy chủ Google TTS đang lỗi (HTTP {status})"
MSG_NO_AUDIO = "Máy chủ Google TTS trả lời nhưng không có âm thanh"
MSG_OPEN = "Tạm ngừng gọi Google TTS sau nhiều lần lỗi liên tiếp"


class GttsEngine:
    """Google Translate TTS through gTTS's request format. `voice` is a language code ("vi"; "vi-vn-x-*" → "vi")."""

    name = "gtts"

    def __init__(self, tld: str = "com", timeout: float | tuple[float, float] = (3.05, 10.0), max_attempts: int = 3,
                 backoff_seconds: float = 0.5, max_backoff_seconds: float = 4.0, breaker_threshold: int = 2,
                 breaker_cooldown: float = 120.0, breaker: CircuitBreaker | None = None,
                 session: requests.Session | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
        self.tld = tld
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.backoff_seconds = backoff_seconds
        self.max_backoff_seconds = max_backoff_seconds
        self.breaker = breaker or breaker_for(("gtts", tld), breaker_threshold, breaker_cooldown)
        self.session = session or requests.Session()
        self.sleep = sleep
        self.requests_sent = 0

    @property
    def url(self) -> str:
        return f"https://translate.google.{self.tld}/_/TranslateWebserverUi/data/batchexecute"

    def voice_id(self, voice: str) -> str:
        # Google has one Vietnamese voice: a station's named voice (nu-mien-bac, banmai...) reads as "vi".
        if voices.describe(voice) is not None:
            return "vi"
        return voice.split("-")[0].lower()

    def synthesize(self, text: str, voice: str, rate: float = 1.0) -> Speech:
        if not self.breaker.allow():
            # Same wording as the failure that opened it: manifests stay identical from run to run.
            raise CircuitOpenError(self.name, self.breaker.last_reason or MSG_OPEN)
        try:
            parts = [self._fetch(chunk, self.voice_id(voice), rate) for chunk in chunks(text)]
        except EngineError as exc:
            self.breaker.record_failure(str(exc))
            raise
        self.breaker.record_success()
        return self._decode(b"".join(parts), rate)

    def _body(self, chunk: str, lang: str, rate: float) -> str:
        from gtts import gTTS

        # No gTTS pre-processing: the text is already the newsroom's spoken form, and already chunked.
        tts = gTTS(chunk, lang=lang, tld=self.tld, slow=rate < 0.8, lang_check=False, pre_processor_funcs=[])
        return tts.get_bodies()[0]

    def _fetch(self, chunk: str, lang: str, rate: float) -> bytes:
        from gtts import gTTS

        body = self._body(chunk, lang, rate)
        last: EngineError | None = None
        for attempt in range(self.max_attempts):
            if attempt:
                self.sleep(self._delay(attempt, last))
            try:
                self.requests_sent += 1
                resp = self.session.post(self.url, data=body, headers=gTTS.GOOGLE_TTS_HEADERS, timeout=self.timeout)
            except requests.RequestException as exc:
                log.info("gtts request failed: %r", exc)
                last = TransientEngineError(self.name, MSG_UNREACHABLE)
                last.retry_after = None  # type: ignore[attr-defined]
                continue
            if is_transient_status(resp.status_code):
                last = TransientEngineError(
                    self.name, MSG_RATE_LIMITED if resp.status_code == 429 else MSG_SERVER.format(status=resp.status_code))
                last.retry_after = _retry_after(resp)  # type: ignore[attr-defined]
                continue
            if resp.status_code != 200:
                raise TerminalEngineError(self.name, f"Máy chủ Google TTS trả lỗi HTTP {resp.status_code}")
            found = _AUDIO_RE.search(resp.text)
            if not found:
                raise BrokenAudioError(self.name, MSG_NO_AUDIO)
            try:
                return base64.b64decode(found.group(1), validate=True)
            except ValueError as exc:
                raise BrokenAudioError(self.name, MSG_NO_AUDIO) from exc
        assert last is not None
        raise last

    def _delay(self, attempt: int, last: EngineError | None) -> float:
        hinted = getattr(last, "retry_after", None)
        if hinted is not None:
            return min(hinted, self.max_backoff_seconds)
        # Full jitter: workers that failed together do not retry together.
        return random.uniform(0, min(self.max_backoff_seconds, self.backoff_seconds * 2 ** (attempt - 1)))

    def _decode(self, mp3: bytes, rate: float) -> Speech:
        # Rates gTTS cannot ask for (it only has "slow") are reached by time-stretching, which keeps the pitch.
        tempo = 1.0 if rate < 0.8 else rate
        filters = f"atempo={tempo:.3f}" if abs(tempo - 1.0) > 1e-3 else ""
        try:
            pcm = ffmpeg.decode_pcm(mp3, _GTTS_RATE, filters=filters, fmt="mp3", codec="s16le")
        except FfmpegError as exc:
            raise BrokenAudioError(self.name, "Âm thanh Google TTS trả về bị hỏng") from exc
        return check_speech(Speech(pcm, _GTTS_RATE), self.name)


def _retry_after(resp: requests.Response) -> float | None:
    value = resp.headers.get("Retry-After", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
