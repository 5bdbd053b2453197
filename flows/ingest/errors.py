"""Errors of gathering, split the way retries need them."""


class GatherError(Exception):
    """A source could not be read. `message` is in Vietnamese for the editor."""

    transient = False

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TransientGatherError(GatherError):
    """Worth retrying later: timeouts, connection errors, HTTP 429 and 5xx."""

    transient = True
