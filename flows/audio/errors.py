"""Named audio errors. Messages are for editors and operators, so they are in Vietnamese."""

from __future__ import annotations

from flows.errors import BantinError


class AudioError(BantinError):
    """Base class of every error the audio package raises on purpose."""


class EngineError(AudioError):
    """A TTS engine could not voice a text. `transient` says whether trying again later may work."""

    transient: bool = False

    def __init__(self, engine: str, message: str) -> None:
        super().__init__(message, transient=type(self).transient)
        self.engine = engine


class TransientEngineError(EngineError):
    """Network, timeout, HTTP 429 or 5xx: worth retrying later, or falling back now."""

    transient = True


class TerminalEngineError(EngineError):
    """The engine answered but cannot voice this text (bad input, unsupported voice)."""


class AccountError(TerminalEngineError):
    """A paid voice refused the newsroom's account: the key is missing, wrong or expired, or the quota is used up.
    No retry helps until a person fixes the account, so the engine is skipped for the rest of the run."""


class BrokenAudioError(EngineError):
    """The engine returned something that is not usable speech (empty, undecodable, silent)."""


class EngineTimeoutError(TransientEngineError):
    """The engine did not finish within its deadline (a hung engine)."""


class CircuitOpenError(TransientEngineError):
    """The engine failed repeatedly and is skipped until its cool-down ends."""


class AllEnginesFailedError(AudioError):
    """No engine of the chain could voice the text."""

    def __init__(self, message: str, failures: tuple[EngineError, ...]) -> None:
        super().__init__(message)
        self.failures = failures


class FfmpegError(AudioError):
    """ffmpeg exited with an error or produced output that cannot be used."""


class DiskFullError(AudioError, OSError):
    """The output disk filled up during a write; nothing partial is left behind."""

    http_status = 507

    def __init__(self, errno: int, message: str) -> None:
        OSError.__init__(self, errno, message)
        self.message, self.where, self.hint = message, "", "Hãy giải phóng dung lượng đĩa rồi chạy lại."

    def __str__(self) -> str:
        return self.describe()


class FormatMismatchError(AudioError):
    """Segments encoded with different settings cannot be joined without re-encoding."""
