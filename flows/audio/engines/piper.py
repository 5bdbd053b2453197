"""Piper, offline neural TTS: loads any .onnx voice file the newsroom provides (plus its .onnx.json)."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from ..errors import TerminalEngineError
from ..speech import Speech, check_speech

_voices: dict[str, object] = {}
_ids: dict[str, str] = {}
_lock = threading.Lock()


def _load(model: Path):
    key = str(model.resolve())
    with _lock:
        if key not in _voices:
            try:
                from piper import PiperVoice
            except ImportError as exc:
                raise TerminalEngineError("piper", "Chưa cài bộ đọc Piper: pip install 'bantin[piper]'") from exc
            if not model.is_file():
                raise TerminalEngineError("piper", f"Không tìm thấy tệp giọng đọc Piper: {model}")
            _voices[key] = PiperVoice.load(model)
        return _voices[key]


def _model_id(model: Path) -> str:
    # The cache key must change when the newsroom swaps the voice file under the same name.
    key = str(model.resolve())
    if key not in _ids:
        digest = hashlib.sha256()
        with open(model, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        _ids[key] = f"{model.stem}@{digest.hexdigest()[:16]}"
    return _ids[key]


class PiperEngine:
    """`model` (or a voice that is a path to an .onnx file) selects the voice; rate maps to Piper's length_scale."""

    name = "piper"

    def __init__(self, model: str | Path | None = None, speaker_id: int | None = None) -> None:
        self.model = Path(model) if model else None
        self.speaker_id = speaker_id

    def _model_for(self, voice: str) -> Path:
        if self.model is not None:
            return self.model
        if voice.endswith(".onnx"):
            return Path(voice)
        raise TerminalEngineError(self.name, f"Bộ đọc Piper cần đường dẫn tệp giọng .onnx, không phải “{voice}”")

    def voice_id(self, voice: str) -> str:
        model = self._model_for(voice)
        if not model.is_file():
            raise TerminalEngineError(self.name, f"Không tìm thấy tệp giọng đọc Piper: {model}")
        return _model_id(model)

    def synthesize(self, text: str, voice: str, rate: float = 1.0) -> Speech:
        from piper import SynthesisConfig

        piper_voice = _load(self._model_for(voice))
        config = SynthesisConfig(speaker_id=self.speaker_id, length_scale=1.0 / max(rate, 0.25))
        pcm, sample_rate = [], 22050
        for chunk in piper_voice.synthesize(text, syn_config=config):  # type: ignore[attr-defined]
            pcm.append(chunk.audio_int16_bytes)
            sample_rate = chunk.sample_rate
        return check_speech(Speech(b"".join(pcm), sample_rate), self.name)
