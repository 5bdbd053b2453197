"""Audio: TTS engines, the synthesis cache, loudness, MP3 segments and bulletin assembly. No Prefect here.

Cost follows unique speech: each text is voiced, normalised and encoded once (cached), and every station's
bulletin is a byte-level join of those segments.
"""

from __future__ import annotations

from .assemble import BulletinResult, build_bulletin, plan_for, write_story_audio
from .cache import SynthesisCache
from .engines import EngineChain, EspeakEngine, GttsEngine, PiperEngine, TTSEngine, engine_chain, make_engine
from .errors import (AllEnginesFailedError, AudioError, BrokenAudioError, CircuitOpenError, DiskFullError,
                     EngineError, EngineTimeoutError, FormatMismatchError, TerminalEngineError, TransientEngineError)
from .ffmpeg import decode_errors, measure_loudness, probe_duration
from .ident import closing_text, find_jingle, opening_text
from .plan import BulletinPlan, DroppedItem, plan_bulletin
from .voice import VoicedClip, clip_from_recording, voice_text

__all__ = [
    "AllEnginesFailedError", "AudioError", "BrokenAudioError", "BulletinPlan", "BulletinResult", "CircuitOpenError",
    "DiskFullError", "DroppedItem", "EngineChain", "EngineError", "EngineTimeoutError", "EspeakEngine",
    "FormatMismatchError", "GttsEngine", "PiperEngine", "SynthesisCache", "TTSEngine", "TerminalEngineError",
    "TransientEngineError", "VoicedClip", "build_bulletin", "clip_from_recording", "closing_text", "decode_errors",
    "engine_chain", "find_jingle", "make_engine", "measure_loudness", "opening_text", "plan_bulletin", "plan_for",
    "probe_duration", "voice_text", "write_story_audio",
]
