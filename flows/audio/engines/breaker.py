"""A circuit breaker: after repeated failures an engine is skipped for a cool-down, so an outage costs seconds."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class CircuitBreaker:
    """Closed until `threshold` consecutive failures; then open for `cooldown` seconds; then one trial call."""

    def __init__(self, threshold: int = 2, cooldown: float = 120.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.threshold = threshold
        self.cooldown = cooldown
        self.clock = clock
        self.failures = 0
        self.opened_at: float | None = None
        self.last_reason = ""  # what made it open, so skipped calls report the real cause
        self.open_for = cooldown  # this opening's cool-down: longer when a person must act (trip)
        self._lock = threading.Lock()

    @property
    def state(self) -> str:
        if self.opened_at is None:
            return "closed"
        return "half-open" if self.clock() - self.opened_at >= self.open_for else "open"

    def allow(self) -> bool:
        with self._lock:
            return self.state != "open"

    def record_success(self) -> None:
        with self._lock:
            self.failures = 0
            self.opened_at = None
            self.open_for = self.cooldown

    def record_failure(self, reason: str = "") -> None:
        with self._lock:
            self.last_reason = reason or self.last_reason
            self.failures += 1
            # A failed trial in half-open re-opens at once; otherwise wait for `threshold` in a row.
            if self.opened_at is not None or self.failures >= self.threshold:
                self.opened_at = self.clock()
                self.open_for = max(self.open_for, self.cooldown)

    def trip(self, reason: str, seconds: float) -> None:
        """Open at once for `seconds`: the failure is one no retry fixes (a wrong key, a used-up quota), so
        every later story of the run goes straight to the next engine instead of asking again."""
        with self._lock:
            self.last_reason = reason or self.last_reason
            self.failures = max(self.failures, self.threshold)
            self.opened_at = self.clock()
            self.open_for = max(seconds, self.cooldown)


_registry: dict[tuple[str, ...], CircuitBreaker] = {}
_registry_lock = threading.Lock()


def breaker_for(key: tuple[str, ...], threshold: int = 2, cooldown: float = 120.0) -> CircuitBreaker:
    """One breaker per remote endpoint per process, shared by every engine object that talks to it."""
    with _registry_lock:
        if key not in _registry:
            _registry[key] = CircuitBreaker(threshold, cooldown)
        return _registry[key]


def reset_breakers() -> None:
    with _registry_lock:
        _registry.clear()
