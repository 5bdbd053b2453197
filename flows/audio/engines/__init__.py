"""TTS engines behind one interface, chosen by settings, with a fallback chain."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...models import AudioProfile
from .base import TTSEngine
from .breaker import CircuitBreaker, breaker_for, reset_breakers
from .chain import DEFAULT_DEADLINE_SECONDS, EngineChain, Voiced
from .espeak import EspeakEngine
from .fpt import FptEngine
from .gtts import GttsEngine
from .piper import PiperEngine
from .vbee import VbeeEngine
from .viettel import ViettelEngine

ENGINES: dict[str, type] = {"espeak": EspeakEngine, "fpt": FptEngine, "gtts": GttsEngine, "piper": PiperEngine,
                            "vbee": VbeeEngine, "viettel": ViettelEngine}
VENDORS = ("fpt", "viettel", "vbee")  # the paid voices, each with its own account in settings (audio.<name>)


def make_engine(name: str, **options: Any) -> TTSEngine:
    """Build one engine by its settings name ("espeak", "gtts", "piper", "fpt", "viettel", "vbee")."""
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


def engine_options(audio: Any) -> dict[str, dict[str, Any]]:
    """Every engine's options from the settings' [audio] table (flows.settings.AudioSettings)."""
    options: dict[str, dict[str, Any]] = {"gtts": {"tld": audio.gtts_tld, "timeout": audio.gtts_timeout_seconds}}
    if audio.piper_model:
        options["piper"] = {"model": audio.piper_model}
    for name in VENDORS:
        account = getattr(audio, name, None)
        if account is not None:
            options[name] = {"key": account.key.get_secret_value(), "app_id": account.app_id,
                             "callback_url": account.callback_url, "timeout": account.timeout_seconds,
                             "poll_seconds": account.poll_seconds}
    return options


__all__ = [
    "CircuitBreaker", "EngineChain", "EspeakEngine", "FptEngine", "GttsEngine", "PiperEngine", "TTSEngine",
    "VbeeEngine", "ViettelEngine", "Voiced", "breaker_for", "engine_chain", "engine_options", "make_engine",
    "reset_breakers",
]
