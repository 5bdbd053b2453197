"""A tiny observer for long work: stages say what they are doing; the CLI shows it.

Flows cannot take a callback as a parameter (parameters are serialised), so the CLI registers a
listener for its own process here. With no listener, reporting costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable

Listener = Callable[[str, int, int], None]
_listeners: list[Listener] = []


def listen(listener: Listener) -> None:
    _listeners.append(listener)


def stop_listening(listener: Listener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def report(message: str, done: int = 0, total: int = 0) -> None:
    for listener in list(_listeners):
        listener(message, done, total)
