"""One error family for the whole newsroom library.

Every error bantin raises on purpose derives from `BantinError`: it carries a message in Vietnamese
for the newsroom, where the problem is (a file and line, a field, a story), what to do about it, and a
`transient` flag that says whether trying again later may work. Each door renders these once: the
CLI as one line and a non-zero exit, the web app as a page or RFC 9457 problem details. Anything
else that escapes is a bug and keeps its traceback.
"""

from __future__ import annotations


class BantinError(Exception):
    """Base of every error raised on purpose. `message` is Vietnamese, for editors and operators."""

    transient: bool = False
    #: HTTP status the web app answers with when this error reaches it.
    http_status: int = 400

    def __init__(self, message: str, *, where: str = "", hint: str = "", transient: bool | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint
        if transient is not None:
            self.transient = transient

    def __reduce__(self) -> tuple:
        # Across processes (a Dask worker's error back to the run): rebuilt as it was, whatever the subclass's
        # own __init__ takes.
        return _rebuild, (type(self), self.args, self.__dict__)

    def describe(self) -> str:
        """The whole explanation on one line: where, what, and what to do."""
        parts = [f"{self.where}: {self.message}" if self.where else self.message]
        if self.hint:
            parts.append(self.hint)
        return " ".join(p.rstrip() for p in parts)

    def __str__(self) -> str:
        return self.describe()


def _rebuild(cls: type[BantinError], args: tuple, state: dict) -> BantinError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class UserError(BantinError):
    """A person's mistake or a bad input: fix it and run again."""


class NotFoundError(UserError):
    """Something named does not exist (a story, a station, a source)."""

    http_status = 404


class ConflictError(UserError):
    """The action does not fit the current state (e.g. approving a story that was already rejected)."""

    http_status = 409


class TransientError(BantinError):
    """Worth retrying later: network trouble, a busy server, a locked file."""

    transient = True
    http_status = 503


class OperationalError(BantinError):
    """The newsroom's own machinery failed (store lost, disk not writable): an administrator must look."""

    http_status = 500
