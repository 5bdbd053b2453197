"""Vbee AIVoice, asynchronous API (https://api-docs.vbee.vn, "text-to-speech-lagacy": create speech, get request).

POST https://vbee.vn/api/v1/tts with `Authorization: Bearer <token>` and a JSON body: app_id, response_type
"indirect", callback_url (required by Vbee), input_text, voice_code, audio_type, bitrate and speed_rate (0.1 to
1.9). The answer is `{"status": 1, "result": {"request_id": ..., "status": "IN_PROGRESS"}}`; the request is then
polled at GET https://vbee.vn/api/v1/tts/<request_id> until `result.status` is SUCCESS (with `audio_link`) or
FAILURE. A refusal is `{"status": 0, "error_code": ..., "error_message": ...}`.

bantin polls rather than waits for the callback, so no server of the newsroom has to be reachable from Vbee; the
callback address Vbee insists on is the newsroom's own if set (`callback_url`), else an address under the
reserved .invalid domain that can never be delivered to.
"""

from __future__ import annotations

from typing import Any

from ..errors import AccountError, BrokenAudioError, TerminalEngineError
from .vendor import VendorEngine

URL = "https://vbee.vn/api/v1/tts"
NOWHERE = "https://bantin.invalid/vbee-callback"


class VbeeEngine(VendorEngine):
    """Vbee voices: hn_female_ngochuyen_full_48k-fhg, hn_male_manhdung_news_48k-fhg (north), hue_female_
    huonggiang_full_48k-fhg (centre), sg_female_thaotrinh_full_48k-fhg (south), and others, or a vendor-neutral
    name such as nu-mien-bac."""

    name = "vbee"
    vendor = "Vbee"
    key_env = "BANTIN_AUDIO__VBEE__KEY và BANTIN_AUDIO__VBEE__APP_ID"
    max_chars = 2000
    native_rates = (0.1, 1.9)
    rate_step = 0.1

    def _check_account(self) -> None:
        super()._check_account()
        if not self.app_id:
            raise AccountError(self.name, "Chưa có app_id của Vbee (BANTIN_AUDIO__VBEE__APP_ID)")

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._key}", "Accept": "application/json"}

    def _voice_chunk(self, text: str, code: str, rate: float) -> bytes:
        body = {"app_id": self.app_id, "response_type": "indirect", "callback_url": self.callback_url or NOWHERE,
                "input_text": text, "voice_code": code, "audio_type": "mp3", "bitrate": 128,
                "speed_rate": f"{rate:.1f}"}
        resp = self._request("POST", URL, json=body, headers=self._headers())
        result = self._result(resp)
        request_id = result.get("request_id")
        if not isinstance(request_id, str) or not request_id:
            raise BrokenAudioError(self.name, "Vbee nhận yêu cầu nhưng không trả mã yêu cầu (request_id)")
        link = self._poll(lambda: self._progress(request_id), "kết quả").decode("utf-8")
        audio = self._download(link)
        assert audio is not None
        return audio

    def _result(self, resp) -> dict[str, Any]:
        data = self._json(resp)
        if resp.status_code != 200 or not isinstance(data, dict) or data.get("status") not in (1, "1"):
            if resp.status_code == 200 and not isinstance(data, dict):
                raise BrokenAudioError(self.name, "Vbee trả lời nhưng không phải JSON như tài liệu mô tả")
            raise self._refusal(resp, data)
        result = data.get("result")
        if not isinstance(result, dict):
            raise BrokenAudioError(self.name, "Vbee trả lời nhưng thiếu phần kết quả (result)")
        return result

    def _progress(self, request_id: str) -> bytes | None:
        """The audio link once Vbee says SUCCESS; None while it is still working."""
        result = self._result(self._request("GET", f"{URL}/{request_id}", headers=self._headers()))
        status = str(result.get("status", "")).upper()
        if status == "SUCCESS":
            link = result.get("audio_link")
            if result.get("audio_expired") or not isinstance(link, str) or not link.startswith(("http://", "https://")):
                raise BrokenAudioError(self.name, "Vbee báo xong nhưng không có đường dẫn âm thanh dùng được")
            return link.encode("utf-8")
        if status == "FAILURE":
            raise TerminalEngineError(self.name, "Vbee báo không đọc được tin này (FAILURE)")
        return None
