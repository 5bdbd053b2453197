"""TTS engines behind one interface, chosen by settings, with a fallback chain."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...models import AudioProfile
from .base import TTSEngine
from .breaker import CircuitBreaker, breaker_for, reset_breakers
from .chain import DEFAULT_DEADLINE_SECONDS, EngineChain, Voiced
from .espeak import EspeakEngine
from .gtts import GttsEngine
from .piper import PiperEngine

ENGINES: dict[str, type] = {"espeak": EspeakEngine, "gtts": GttsEngine, "piper": PiperEngine}


def make_engine(name: str, **options: Any) -> TTSEngine:
    """Build one engine by its settings name ("espeak", "gtts", "piper") with its options."""
    try:
        cls = ENGINES[name]
    except KeyError:
        raise ValueError(f"Không có bộ đọc tên “{name}” (có: {', '.join(sorted(ENGINES))})") from None
    return cls(**options)


def engine_chain(profile: AudioProfile, options: Mapping[str, Mapping[str, Any]] | None = None) -> EngineChain:
    """The station's engines in order. `options` maps an engine name to its options; key "chain" holds
    chain options (deadline_seconds)."""
    options = options or {}
    engines = [make_engine(name, **dict(options.get(name, {}))) for name in profile.engines]
    chain_options = dict(options.get("chain", {}))
    return EngineChain(engines, chain_options.get("deadline_seconds", DEFAULT_DEADLINE_SECONDS))


__all__ = [
    "CircuitBreaker", "EngineChain", "EspeakEngine", "GttsEngine", "PiperEngine", "TTSEngine", "Voiced",
    "breaker_for", "engine_chain", "make_engine", "reset_breakers",
]
