"""The one HTTP retry rule, shared by feed fetching and every online TTS engine.

Retry what a retry can fix: timeouts, connection errors, 408/425/429 and 5xx answers. Everything
else (404, 403, a malformed reply) is terminal for that request.
"""

from __future__ import annotations

import email.utils
from datetime import datetime, timezone

import requests

RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


def is_transient_status(status: int) -> bool:
    return status in RETRY_STATUS or status >= 500


def is_transient_exception(exc: BaseException) -> bool:
    return isinstance(exc, (requests.Timeout, requests.ConnectionError))


def retry_after_seconds(value: str | None, default: float, cap: float = 60.0) -> float:
    """How long a server asked us to wait (Retry-After as seconds or an HTTP date), bounded by `cap`."""
    if not value:
        return default
    try:
        return max(0.0, min(cap, float(value)))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, min(cap, (when - datetime.now(timezone.utc)).total_seconds()))
