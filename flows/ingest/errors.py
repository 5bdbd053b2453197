"""Errors of gathering, split the way retries need them (see flows/errors.py for the family)."""

from flows.errors import BantinError


class GatherError(BantinError):
    """A source could not be read. `message` is in Vietnamese for the editor."""


class TransientGatherError(GatherError):
    """Worth retrying later: timeouts, connection errors, HTTP 429 and 5xx."""

    transient = True
    http_status = 503
