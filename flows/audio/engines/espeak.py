"""espeak-ng, the offline default: libespeak-ng from the espeakng-loader wheel, driven through ctypes.

No apt package: the wheel bundles the library and its Vietnamese data. The library keeps state between
syntheses that changes the samples of the next text (and is not thread-safe), so it runs in small server
processes (espeak_server.py) that voice every text from the same freshly initialised state: a text's bytes
depend only on the text, voice and rate, whichever process or worker voices it and whatever it voiced before.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import threading
from pathlib import Path

from ..errors import TerminalEngineError
from ..speech import Speech, check_speech
from . import voices
from .espeak_server import UNKNOWN_VOICE

_DEFAULT_WPM = 175  # espeak's own default speaking rate, i.e. rate 1.0
_SERVER = Path(__file__).with_name("espeak_server.py")


class _Server:
    """One espeak_server.py process; used by one thread at a time."""

    def __init__(self) -> None:
        import espeakng_loader

        # -I -S: the server needs nothing but the standard library, and starts faster without site-packages.
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-S", str(_SERVER), espeakng_loader.get_library_path(),
             str(espeakng_loader.get_data_path())],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.sample_rate = struct.unpack("<i", self._read(4))[0]
        if self.sample_rate <= 0:
            self.close()
            raise TerminalEngineError("espeak", "không khởi động được espeak-ng")

    def _read(self, size: int) -> bytes:
        assert self.process.stdout is not None
        data = self.process.stdout.read(size)
        if data is None or len(data) != size:
            raise TerminalEngineError("espeak", "tiến trình đọc espeak-ng dừng bất ngờ")
        return data

    def voice(self, text: str, voice: str, words_per_minute: int) -> tuple[int, bytes]:
        assert self.process.stdin is not None
        name, encoded = voice.encode(), text.encode("utf-8")
        self.process.stdin.write(struct.pack("<I", len(name)) + name + struct.pack("<i", words_per_minute)
                                 + struct.pack("<I", len(encoded)) + encoded)
        self.process.stdin.flush()
        status, size = struct.unpack("<iQ", self._read(12))
        return status, self._read(size) if size else b""

    def close(self) -> None:
        try:
            if self.process.stdin is not None:
                self.process.stdin.close()  # the server leaves when its input ends
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()


# Idle servers, one taken per synthesis: as many exist as threads ever voiced at once, so threads voice in
# parallel. A server dies with its parent (its stdin closes), so none outlives a killed run.
_pool_lock = threading.Lock()
_idle: list[_Server] = []
_owner = os.getpid()


def _take() -> _Server:
    global _owner
    with _pool_lock:
        if _owner != os.getpid():  # a forked copy of this process: the parent's servers are not ours
            _idle.clear()
            _owner = os.getpid()
        if _idle:
            return _idle.pop()
    return _Server()


def _give_back(server: _Server) -> None:
    with _pool_lock:
        if _owner == os.getpid():
            _idle.append(server)
            return
    server.close()


class EspeakEngine:
    """Offline Vietnamese voice. Voices: vi, vi-vn-x-central, vi-vn-x-south."""

    name = "espeak"

    def __init__(self, voice: str | None = None, words_per_minute: int = _DEFAULT_WPM) -> None:
        self.default_voice = voice
        self.words_per_minute = words_per_minute

    def voice_id(self, voice: str) -> str:
        # A station's named voice (nu-mien-nam, banmai...) reads with espeak's accent of the same region.
        return self.default_voice or voices.resolve(self.name, voice) or voice

    def synthesize(self, text: str, voice: str, rate: float = 1.0) -> Speech:
        voice = self.voice_id(voice)
        server = _take()
        try:
            status, pcm = server.voice(text, voice, max(80, min(450, round(self.words_per_minute * rate))))
        except BaseException:
            server.close()  # a half-read answer leaves the pipe out of step: never reuse it
            raise
        _give_back(server)
        if status == UNKNOWN_VOICE:
            raise TerminalEngineError(self.name, f"espeak-ng không có giọng đọc “{voice}”")
        if status != 0:
            raise TerminalEngineError(self.name, f"tiến trình đọc espeak-ng lỗi (mã {status})")
        return check_speech(Speech(pcm, server.sample_rate), self.name)
