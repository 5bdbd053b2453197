"""Fallback across engines in order, with a deadline per call so a hung engine cannot stall a run."""

from __future__ import annotations

import collections
import logging
import queue
import threading
from dataclasses import dataclass

from ..errors import AllEnginesFailedError, EngineError, EngineTimeoutError, TransientEngineError
from ..speech import Speech
from .base import TTSEngine

log = logging.getLogger(__name__)

DEFAULT_DEADLINE_SECONDS = 120.0


@dataclass(frozen=True)
class Voiced:
    """Speech plus who voiced it, and why earlier engines were passed over (Vietnamese, for the manifest)."""

    speech: Speech
    engine: str
    voice: str
    note: str = ""


def call_with_deadline(engine: TTSEngine, text: str, voice: str, rate: float, deadline: float | None) -> Speech:
    """Run one synthesis; past `deadline` seconds give up on it (the daemon thread is abandoned, not killed)."""
    if deadline is None:
        return engine.synthesize(text, voice, rate)
    box: queue.Queue = queue.Queue(maxsize=1)

    def work() -> None:
        try:
            box.put((True, engine.synthesize(text, voice, rate)))
        except BaseException as exc:  # handed to the caller's thread as is
            box.put((False, exc))

    threading.Thread(target=work, name=f"tts-{engine.name}", daemon=True).start()
    try:
        ok, value = box.get(timeout=deadline)
    except queue.Empty:
        raise EngineTimeoutError(engine.name, f"Bộ đọc {engine.name} không trả lời sau {deadline:g} giây") from None
    if ok:
        return value
    raise value


def fallback_note(failures: list[EngineError], used: str) -> str:
    if not failures:
        return ""
    reasons = "; ".join(str(f) for f in failures)
    offline = used in ("espeak", "piper")
    tail = "đã chuyển sang giọng đọc ngoại tuyến" if offline else f"đã chuyển sang bộ đọc {used}"
    return f"{reasons}, {tail} ({used})"


class EngineChain:
    """Engines tried in order; `calls` counts synthesis attempts per engine, `voiced` the successful ones."""

    def __init__(self, engines: list[TTSEngine], deadline_seconds: float | None = DEFAULT_DEADLINE_SECONDS) -> None:
        if not engines:
            raise ValueError("Chuỗi bộ đọc rỗng: cần ít nhất một bộ đọc")
        self.engines = list(engines)
        self.deadline_seconds = deadline_seconds
        self.calls: collections.Counter[str] = collections.Counter()
        self.voiced: collections.Counter[str] = collections.Counter()

    @property
    def name(self) -> str:
        return "+".join(e.name for e in self.engines)

    def attempt(self, engine: TTSEngine, text: str, voice: str, rate: float) -> Speech:
        """One engine, with the deadline; any failure comes back as an EngineError."""
        self.calls[engine.name] += 1
        try:
            speech = call_with_deadline(engine, text, voice, rate, self.deadline_seconds)
        except EngineError:
            raise
        except Exception as exc:  # a bug or crash inside an engine must not end the run: fall back
            log.exception("engine %s crashed", engine.name)
            raise TransientEngineError(engine.name, f"Bộ đọc {engine.name} gặp lỗi: {exc}") from exc
        self.voiced[engine.name] += 1
        return speech

    def synthesize(self, text: str, voice: str, rate: float = 1.0) -> Voiced:
        failures: list[EngineError] = []
        for engine in self.engines:
            try:
                speech = self.attempt(engine, text, voice, rate)
            except EngineError as exc:
                log.warning("%s: %s", engine.name, exc)
                failures.append(exc)
                continue
            return Voiced(speech, engine.name, engine.voice_id(voice), fallback_note(failures, engine.name))
        raise all_failed(failures)


def all_failed(failures: list[EngineError]) -> AllEnginesFailedError:
    detail = "; ".join(f"{f.engine}: {f}" for f in failures)
    return AllEnginesFailedError(f"Không bộ đọc nào đọc được tin này ({detail})", tuple(failures))
