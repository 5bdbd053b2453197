"""Errors of gathering, split the way retries need them (see flows/errors.py for the family)."""

from flows.errors import BantinError


class GatherError(BantinError):
    """A source could not be read. `message` is in Vietnamese for the editor."""


def failed_item(ident: str) -> str:
    """The id under which an item that could not be read is kept (marked failed). It differs from the id the
    item gets once it reads well, so a later good copy arrives as a new story instead of "already known"."""
    return f"{ident}#khong-doc-duoc"


class TransientGatherError(GatherError):
    """Worth retrying later: timeouts, connection errors, HTTP 429 and 5xx."""

    transient = True
    http_status = 503
