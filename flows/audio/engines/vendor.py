"""What the paid Vietnamese voices (FPT.AI, Viettel AI, Vbee) share: one HTTP session with timeouts, the retry
rule of flows/http.py, polling with a deadline for the asynchronous ones, a circuit breaker per vendor, audio
that is checked before it is trusted, and an API key that never leaves the request.

Each vendor module only says how its API is spoken: `_voice_chunk(text, voice_code, rate)` returns the bytes of
one audio file for one chunk of text. Everything else is here.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable
from typing import Any

import requests

from flows.http import is_transient_status, retry_after_seconds

from .. import ffmpeg
from ..errors import (AccountError, BrokenAudioError, CircuitOpenError, EngineError, EngineTimeoutError, FfmpegError,
                      TerminalEngineError, TransientEngineError)
from ..phrases import chunks
from ..speech import Speech, check_speech
from . import voices
from .breaker import CircuitBreaker, breaker_for

log = logging.getLogger(__name__)

VENDOR_RATE = 24000  # every vendor's audio is decoded to mono 24 kHz, like Google's: ample for speech on air
ACCOUNT_COOLDOWN_SECONDS = 3600.0  # a wrong key or an empty quota is skipped for an hour, i.e. the night's run

# Vendors word their refusals freely; these words in a refusal mean "the quota is used up" ...
QUOTA_WORDS = ("quota", "hạn mức", "hết ký tự", "không đủ ký tự", "số ký tự còn lại", "credit", "balance", "số dư",
               "insufficient", "exceeded the limit", "limit exceeded", "hết lượt", "gói cước")
# ... and these that the key itself is refused (rate limits are told apart first: they pass by themselves).
KEY_WORDS = ("api key", "api-key", "api_key", "apikey", "token", "unauthori", "authentication", "credential",
             "xác thực", "khóa", "app_id", "app id", "forbidden")
RATE_WORDS = ("rate limit", "too many requests", "quá nhiều yêu cầu")


def looks_like_audio(data: bytes, content_type: str = "") -> bool:
    """True when the bytes start like an audio file (MP3 with or without ID3, WAV, Ogg, FLAC) and the server did
    not call them text. An expired link or a gateway error often answers 200 with an HTML or XML page."""
    kind = content_type.split(";")[0].strip().lower()
    if kind.startswith("text/") or kind in ("application/json", "application/xml", "application/problem+json"):
        return False
    head = data[:12]
    if head[:3] == b"ID3" or head[:4] in (b"OggS", b"fLaC"):
        return True
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return True
    return len(head) >= 2 and head[0] == 0xFF and (head[1] & 0xE0) == 0xE0  # an MPEG audio frame sync


def split_rate(rate: float, native: tuple[float, float], step: float) -> tuple[float, float]:
    """(rate to ask the vendor for, rate left to reach by time-stretching). Vendors read at a few speeds only; the
    rest of a station's rate is made up by ffmpeg's atempo, which keeps the pitch."""
    low, high = native
    if high <= low:
        return low, rate / low
    asked = min(high, max(low, round(round(rate / step) * step, 6)))
    return asked, rate / asked


def vendor_message(data: Any) -> str:
    """The human part of a vendor's JSON refusal, whatever the vendor calls it."""
    if not isinstance(data, dict):
        return ""
    for field in ("vi_message", "error_message", "message", "en_message", "msg", "error", "detail"):
        value = data.get(field)
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, dict):
            inner = vendor_message(value)
            if inner:
                return inner
    return ""


class VendorEngine:
    """Base of the paid voices. Subclasses set the class attributes and write `_voice_chunk`."""

    name = ""
    vendor = ""  # as newsroom staff know it, for messages: "FPT.AI"
    key_env = ""  # where the key goes, for the message when it is missing
    max_chars = 1000  # per request, cut at phrase boundaries
    native_rates: tuple[float, float] = (1.0, 1.0)  # speaking rates the vendor reads at itself
    rate_step = 0.1

    def __init__(self, key: str = "", app_id: str = "", callback_url: str = "",
                 timeout: float | tuple[float, float] = (3.05, 20.0), poll_seconds: float = 90.0,
                 poll_interval: float = 1.0, max_poll_interval: float = 5.0, max_attempts: int = 3,
                 backoff_seconds: float = 0.5, max_backoff_seconds: float = 4.0, breaker_threshold: int = 2,
                 breaker_cooldown: float = 120.0, breaker: CircuitBreaker | None = None,
                 session: requests.Session | None = None, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._key = key.strip()
        self.app_id = app_id.strip()
        self.callback_url = callback_url
        self.timeout = timeout
        self.poll_seconds = poll_seconds
        self.poll_interval = poll_interval
        self.max_poll_interval = max_poll_interval
        self.max_attempts = max_attempts
        self.backoff_seconds = backoff_seconds
        self.max_backoff_seconds = max_backoff_seconds
        self.breaker = breaker or breaker_for((self.name,), breaker_threshold, breaker_cooldown)
        self.session = session or requests.Session()
        self.sleep = sleep
        self.clock = clock
        self.requests_sent = 0

    def __repr__(self) -> str:  # never the key
        return f"{type(self).__name__}(key={'set' if self._key else 'missing'})"

    # -- the TTSEngine contract ------------------------------------------------------------------------------

    def voice_id(self, voice: str) -> str:
        code = voices.resolve(self.name, voice)
        if code is None:
            known = ", ".join(voices.neutral_names()[:6] + voices.own_codes(self.name))
            raise TerminalEngineError(self.name, f"{self.vendor} không có giọng đọc “{voice}” (dùng được: {known})")
        return code

    def synthesize(self, text: str, voice: str, rate: float = 1.0) -> Speech:
        code = self.voice_id(voice)
        self._check_account()
        if not self.breaker.allow():
            # Same wording as the failure that opened it: manifests stay identical from run to run.
            raise CircuitOpenError(self.name, self.breaker.last_reason or f"Tạm ngừng gọi {self.vendor} sau nhiều lần lỗi")
        native, stretch = split_rate(rate, self.native_rates, self.rate_step)
        try:
            pcm = b"".join(self._decode(self._voice_chunk(chunk, code, native), stretch)
                           for chunk in chunks(text, self.max_chars))
        except AccountError as exc:
            self.breaker.trip(str(exc), ACCOUNT_COOLDOWN_SECONDS)
            raise
        except EngineError as exc:
            self.breaker.record_failure(str(exc))
            raise
        self.breaker.record_success()
        return check_speech(Speech(pcm, VENDOR_RATE), self.name)

    # -- for subclasses --------------------------------------------------------------------------------------

    def _voice_chunk(self, text: str, code: str, rate: float) -> bytes:
        raise NotImplementedError

    def _check_account(self) -> None:
        if not self._key:
            raise AccountError(self.name, f"Chưa có khóa API của {self.vendor} ({self.key_env})")

    def _redact(self, text: str) -> str:
        """Vendors sometimes echo what they were sent; the key must not reach a log, a manifest or a message."""
        for secret in (self._key, self.app_id):
            if secret:
                text = text.replace(secret, "***")
        return text[:200]

    def _request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """One HTTP exchange under flows/http.py's rule: timeouts, connection errors, 408/425/429 and 5xx are
        retried with backoff (honouring Retry-After); any other answer is handed back to be read."""
        last: TransientEngineError | None = None
        wait = 0.0
        for attempt in range(self.max_attempts):
            if attempt:
                self.sleep(wait)
            try:
                self.requests_sent += 1
                resp = self.session.request(method, url, timeout=self.timeout, **kwargs)
            except requests.RequestException as exc:
                # The exception's text can carry the URL and body; log the kind only.
                log.info("%s %s failed: %s", self.name, method, type(exc).__name__)
                kind = "không trả lời kịp" if isinstance(exc, requests.Timeout) else "không kết nối được"
                last = TransientEngineError(self.name, f"Máy chủ {self.vendor} {kind}")
                wait = self._backoff(attempt + 1)
                continue
            if is_transient_status(resp.status_code):
                message = (f"{self.vendor} từ chối vì quá nhiều yêu cầu (HTTP 429)" if resp.status_code == 429
                           else f"Máy chủ {self.vendor} đang lỗi (HTTP {resp.status_code})")
                last = TransientEngineError(self.name, message)
                wait = retry_after_seconds(resp.headers.get("Retry-After"), self._backoff(attempt + 1),
                                           cap=self.max_backoff_seconds)
                continue
            return resp
        assert last is not None
        raise last

    def _backoff(self, attempt: int) -> float:
        # Full jitter: workers that failed together do not retry together.
        return random.uniform(0, min(self.max_backoff_seconds, self.backoff_seconds * 2 ** (attempt - 1)))

    def _json(self, resp: requests.Response) -> Any:
        # From the bytes: JSON is UTF-8, whatever charset (or none) the Content-Type header claims.
        try:
            return json.loads(resp.content)
        except (ValueError, UnicodeDecodeError):
            return None

    def _refusal(self, resp: requests.Response, data: Any = None) -> EngineError:
        """Name a refusal: rate limit (transient), used-up quota or refused key (account), else terminal."""
        data = data if data is not None else self._json(resp)
        message = self._redact(vendor_message(data))
        status = resp.status_code
        code = data.get("code", data.get("error_code")) if isinstance(data, dict) else None
        if status == 200 and isinstance(code, int) and 400 <= code < 600:
            status = code  # an error inside a 200: the body's code says which
        low = message.lower()
        said = f": {message}" if message else ""
        if status == 429 or any(w in low for w in RATE_WORDS):
            return TransientEngineError(self.name, f"{self.vendor} từ chối vì quá nhiều yêu cầu{said}")
        if status == 402 or any(w in low for w in QUOTA_WORDS):
            return AccountError(self.name, f"Tài khoản {self.vendor} đã hết hạn mức{said}")
        if status in (401, 403) or any(w in low for w in KEY_WORDS):
            return AccountError(self.name, f"{self.vendor} không nhận khóa API (sai hoặc hết hạn){said}")
        if status >= 500:
            return TransientEngineError(self.name, f"Máy chủ {self.vendor} đang lỗi (HTTP {status}){said}")
        return TerminalEngineError(self.name, f"{self.vendor} từ chối đọc tin này (HTTP {status}){said}")

    def _poll(self, attempt: Callable[[], bytes | None], what: str) -> bytes:
        """Ask `attempt` until it returns audio, waiting longer each time, for at most `poll_seconds` in all."""
        deadline = self.clock() + self.poll_seconds
        interval = self.poll_interval
        while True:
            found = attempt()
            if found is not None:
                return found
            if self.clock() + interval > deadline:
                raise EngineTimeoutError(self.name, f"{self.vendor} chưa có {what} sau {self.poll_seconds:g} giây")
            self.sleep(interval)
            interval = min(self.max_poll_interval, interval * 1.5)

    def _download(self, url: str, not_ready: tuple[int, ...] = ()) -> bytes | None:
        """The audio file at `url`; None while the vendor answers one of `not_ready` (still being made)."""
        resp = self._request("GET", url)
        if resp.status_code in not_ready:
            return None
        if resp.status_code != 200:
            raise BrokenAudioError(self.name, f"Đường dẫn âm thanh của {self.vendor} trả lỗi HTTP {resp.status_code}")
        if not looks_like_audio(resp.content, resp.headers.get("Content-Type", "")):
            raise BrokenAudioError(self.name, f"Đường dẫn âm thanh của {self.vendor} trả về thứ không phải âm thanh")
        return resp.content

    def _decode(self, audio: bytes, stretch: float) -> bytes:
        filters = f"atempo={stretch:.4f}" if abs(stretch - 1.0) > 1e-3 else ""
        try:
            return ffmpeg.decode_pcm(audio, VENDOR_RATE, filters=filters, codec="s16le")
        except FfmpegError as exc:
            raise BrokenAudioError(self.name, f"Âm thanh {self.vendor} trả về bị hỏng") from exc
