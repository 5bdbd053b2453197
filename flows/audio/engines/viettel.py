"""Viettel AI text to speech (https://viettelai.vn/tts, API "speech_synthesis").

POST https://viettelai.vn/tts/speech_synthesis with a JSON body: text, voice, speed (a factor, 0.8 to 1.2 in
steps of 0.1), tts_return_option (2 = WAV, 3 = MP3), token (the account key) and without_filter. It answers
synchronously with the audio itself; a refusal comes back as JSON with a Vietnamese `vi_message`.
"""

from __future__ import annotations

from ..errors import BrokenAudioError
from .vendor import VendorEngine, looks_like_audio

URL = "https://viettelai.vn/tts/speech_synthesis"
RETURN_MP3 = 3


class ViettelEngine(VendorEngine):
    """Viettel AI voices: hn-quynhanh, hn-thanhtung (north), hue-maingoc, hue-baoquoc (centre), hcm-diemmy,
    hcm-minhquan (south), and others, or a vendor-neutral name such as nu-mien-bac."""

    name = "viettel"
    vendor = "Viettel AI"
    key_env = "BANTIN_AUDIO__VIETTEL__KEY"
    max_chars = 500  # long texts are sent phrase by phrase; the service is synchronous, so keep each answer short
    native_rates = (0.8, 1.2)
    rate_step = 0.1

    def _voice_chunk(self, text: str, code: str, rate: float) -> bytes:
        body = {"text": text, "voice": code, "speed": round(rate, 1), "tts_return_option": RETURN_MP3,
                "token": self._key, "without_filter": False}
        resp = self._request("POST", URL, json=body, headers={"Accept": "audio/mpeg, application/json"})
        if resp.status_code == 200 and looks_like_audio(resp.content, resp.headers.get("Content-Type", "")):
            return resp.content
        data = self._json(resp)
        if resp.status_code == 200 and data is None:
            raise BrokenAudioError(self.name, "Viettel AI trả về thứ không phải âm thanh")
        if resp.status_code == 200 and isinstance(data, dict) and not _says_error(data):
            raise BrokenAudioError(self.name, "Viettel AI trả lời nhưng không có âm thanh")
        raise self._refusal(resp, data)


def _says_error(data: dict) -> bool:
    """A 200 JSON answer is a refusal when it carries a message or a non-success code."""
    return bool(data.get("vi_message") or data.get("en_message") or data.get("message")
                or data.get("code") not in (None, 0, 1, 200, "0", "1", "200"))
