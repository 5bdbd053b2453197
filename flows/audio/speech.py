"""Raw speech as an engine returns it: mono 16-bit PCM at the engine's own sample rate."""

from __future__ import annotations

import array
import io
import wave
from dataclasses import dataclass

from .errors import BrokenAudioError

MIN_SPEECH_SECONDS = 0.05
SILENCE_PEAK = 64  # of 32767: below this, "speech" is digital silence or dither


@dataclass(frozen=True)
class Speech:
    """Mono signed 16-bit little-endian PCM."""

    pcm: bytes
    sample_rate: int

    @property
    def duration_seconds(self) -> float:
        return len(self.pcm) / 2 / self.sample_rate

    def to_wav(self) -> bytes:
        buf = io.BytesIO()
        with wave.open(buf, "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(self.sample_rate)
            wav.writeframes(self.pcm)
        return buf.getvalue()

    @classmethod
    def from_wav(cls, data: bytes) -> "Speech":
        try:
            with wave.open(io.BytesIO(data), "rb") as wav:
                if wav.getsampwidth() != 2 or wav.getnchannels() != 1:
                    raise BrokenAudioError("wav", "âm thanh không phải PCM 16 bit một kênh")
                return cls(wav.readframes(wav.getnframes()), wav.getframerate())
        except (wave.Error, EOFError) as exc:
            raise BrokenAudioError("wav", f"tệp WAV hỏng: {exc}") from exc


def check_speech(speech: Speech, engine: str) -> Speech:
    """Reject output no listener should hear: empty, truncated, or silent. Raise BrokenAudioError."""
    if len(speech.pcm) % 2 or speech.sample_rate < 8000:
        raise BrokenAudioError(engine, f"bộ đọc {engine} trả về dữ liệu âm thanh hỏng")
    if speech.duration_seconds < MIN_SPEECH_SECONDS:
        raise BrokenAudioError(engine, f"bộ đọc {engine} trả về âm thanh rỗng")
    samples = array.array("h")
    samples.frombytes(speech.pcm)
    if max(max(samples), -min(samples)) < SILENCE_PEAK:
        raise BrokenAudioError(engine, f"bộ đọc {engine} trả về toàn khoảng lặng")
    return speech
