"""The one contract every TTS engine meets."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from ..speech import Speech


@runtime_checkable
class TTSEngine(Protocol):
    name: str

    def voice_id(self, voice: str) -> str:
        """The voice this engine will really use for `voice`: part of every cache key."""
        ...

    def synthesize(self, text: str, voice: str, rate: float = 1.0) -> Speech:
        """Voice `text` (already in spoken form). Raise an EngineError subclass on failure."""
        ...
