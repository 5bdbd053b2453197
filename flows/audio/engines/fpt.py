"""FPT.AI text to speech, API v5 (https://docs.fpt.ai/docs/en/speech/api/text-to-speech).

POST https://api.fpt.ai/hmi/tts/v5 with the text as the body and the account key, voice, speed and format as
headers. The answer is JSON: `error` 0 and an `async` link to an MP3 that "may not exist right at the time of
response" (the docs: 5 seconds to 2 minutes, by length). Until it exists the link answers 404 (or 403 from the
storage in front of it), so it is polled, with a deadline. At most 5,000 characters and at least 3 per request.
"""

from __future__ import annotations

from ..errors import BrokenAudioError, TerminalEngineError
from .vendor import VendorEngine

URL = "https://api.fpt.ai/hmi/tts/v5"
MIN_CHARS = 3


class FptEngine(VendorEngine):
    """FPT.AI voices: banmai, leminh, thuminh (north), myan, giahuy, ngoclam (centre), lannhi, minhquang, linhsan
    (south), or a vendor-neutral name such as nu-mien-bac."""

    name = "fpt"
    vendor = "FPT.AI"
    key_env = "BANTIN_AUDIO__FPT__KEY"
    max_chars = 5000
    # The speed header takes steps -3..+3 whose factor FPT does not document: ask for normal speed (0) and reach
    # the station's rate by time-stretching, so one rate sounds the same from every engine.
    native_rates = (1.0, 1.0)

    def _voice_chunk(self, text: str, code: str, rate: float) -> bytes:
        if len(text.strip()) < MIN_CHARS:
            raise TerminalEngineError(self.name, f"FPT.AI cần ít nhất {MIN_CHARS} ký tự mỗi lần đọc")
        headers = {"api-key": self._key, "voice": code, "speed": "0", "format": "mp3", "Cache-Control": "no-cache",
                   "Content-Type": "text/plain; charset=utf-8"}
        resp = self._request("POST", URL, data=text.encode("utf-8"), headers=headers)
        data = self._json(resp)
        if resp.status_code != 200 or not isinstance(data, dict) or data.get("error") not in (0, "0"):
            if resp.status_code == 200 and not isinstance(data, dict):
                raise BrokenAudioError(self.name, "FPT.AI trả lời nhưng không phải JSON như tài liệu mô tả")
            raise self._refusal(resp, data)
        link = data.get("async")
        if not isinstance(link, str) or not link.startswith(("http://", "https://")):
            raise BrokenAudioError(self.name, "FPT.AI trả lời nhưng không có đường dẫn âm thanh")
        return self._poll(lambda: self._download(link, not_ready=(403, 404)), "tệp âm thanh")
