"""espeak-ng, the offline default: libespeak-ng from the espeakng-loader wheel, driven through ctypes.

No subprocess and no apt package: the wheel bundles the library and its Vietnamese data.
"""

from __future__ import annotations

import ctypes
import threading

from ..errors import TerminalEngineError
from ..speech import Speech, check_speech
from . import voices

_AUDIO_OUTPUT_SYNCHRONOUS = 2  # espeak_Synth returns when the whole text is voiced
_CHARS_UTF8 = 1
_ENDPAUSE = 0x1000
_RATE = 1
_DEFAULT_WPM = 175  # espeak's own default speaking rate, i.e. rate 1.0

_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)

# libespeak-ng keeps global state and is not thread-safe: one library per process, one synthesis at a time.
_lock = threading.Lock()
_lib: ctypes.CDLL | None = None
_sample_rate = 0
_chunks: list[bytes] = []


def _on_samples(wav, numsamples, _events):  # called by espeak from inside espeak_Synth
    if numsamples > 0 and wav:
        _chunks.append(ctypes.string_at(wav, numsamples * 2))
    return 0


_callback = _CALLBACK(_on_samples)  # module-level so the C side never calls a collected object


def _library() -> ctypes.CDLL:
    global _lib, _sample_rate
    if _lib is None:
        import espeakng_loader

        lib = ctypes.CDLL(espeakng_loader.get_library_path())
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_Synth.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint,
                                     ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
        rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, espeakng_loader.get_data_path().encode(), 0)
        if rate <= 0:
            raise TerminalEngineError("espeak", "không khởi động được espeak-ng")
        lib.espeak_SetSynthCallback(_callback)
        _lib, _sample_rate = lib, rate
    return _lib


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
        encoded = text.encode("utf-8")
        with _lock:
            lib = _library()
            if lib.espeak_SetVoiceByName(voice.encode()) != 0:
                raise TerminalEngineError(self.name, f"espeak-ng không có giọng đọc “{voice}”")
            lib.espeak_SetParameter(_RATE, max(80, min(450, round(self.words_per_minute * rate))), 0)
            _chunks.clear()
            lib.espeak_Synth(encoded, len(encoded) + 1, 0, 0, 0, _CHARS_UTF8 | _ENDPAUSE, None, None)
            lib.espeak_Synchronize()
            pcm = b"".join(_chunks)
            _chunks.clear()
        return check_speech(Speech(pcm, _sample_rate), self.name)
