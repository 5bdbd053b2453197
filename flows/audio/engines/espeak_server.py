"""A small process that voices with libespeak-ng, each text from the same freshly initialised state.

libespeak-ng keeps state from one synthesis to the next that espeak_Terminate and espeak_Initialize do not
reset (the same text came out 142,176 or 142,182 bytes long, with other samples, depending on what the process
had voiced before), so two workers voicing the same text would make different bytes. This process initialises
the library once and then forks a child for every text: each child starts from that one state, voices, writes
its samples and exits, so a text's bytes depend on the text, voice and rate alone, in any process and order.

Standard library only, run as `python -I -S espeak_server.py LIBRARY DATA` (no site-packages, nothing to
import from bantin: a fork of a small single-threaded process is cheap and safe).

Protocol on stdin/stdout, little-endian: on start the server writes the sample rate (int32, <= 0 when the library
did not start). Each request is voice, rate (int32 words per minute) and text, the strings as uint32 length +
UTF-8; the answer is a status (int32: 0 done, 3 unknown voice, other: the child failed) and uint64 length + PCM.
"""

from __future__ import annotations

import ctypes
import os
import struct
import sys

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_CHARS_UTF8 = 1
_ENDPAUSE = 0x1000
_RATE = 1
UNKNOWN_VOICE = 3


def _read_exact(fd: int, size: int) -> bytes:
    out = bytearray()
    while len(out) < size:
        chunk = os.read(fd, size - len(out))
        if not chunk:
            raise EOFError
        out += chunk
    return bytes(out)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _read_string(fd: int) -> bytes:
    (size,) = struct.unpack("<I", _read_exact(fd, 4))
    return _read_exact(fd, size)


def _library(path: str, data: str) -> tuple[ctypes.CDLL, int, list[bytes], object]:
    lib = ctypes.CDLL(path)
    lib.espeak_Initialize.restype = ctypes.c_int
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    lib.espeak_Synth.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint,
                                 ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
    chunks: list[bytes] = []

    def on_samples(wav, numsamples, _events):  # called by espeak from inside espeak_Synth
        if numsamples > 0 and wav:
            chunks.append(ctypes.string_at(wav, numsamples * 2))
        return 0

    callback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int,
                                ctypes.c_void_p)(on_samples)
    rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, data.encode(), 0)
    if rate > 0:
        lib.espeak_SetSynthCallback(callback)
    return lib, rate, chunks, callback


def _voice_in_child(lib: ctypes.CDLL, chunks: list[bytes], voice: bytes, wpm: int, text: bytes, out: int) -> int:
    if lib.espeak_SetVoiceByName(voice) != 0:
        return UNKNOWN_VOICE
    lib.espeak_SetParameter(_RATE, wpm, 0)
    lib.espeak_Synth(text, len(text) + 1, 0, 0, 0, _CHARS_UTF8 | _ENDPAUSE, None, None)
    lib.espeak_Synchronize()
    _write_all(out, b"".join(chunks))
    return 0


def serve(lib_path: str, data_path: str) -> None:
    lib, rate, chunks, _callback = _library(lib_path, data_path)
    stdin, stdout = sys.stdin.fileno(), sys.stdout.fileno()
    _write_all(stdout, struct.pack("<i", rate))
    if rate <= 0:
        return
    while True:
        try:
            voice = _read_string(stdin)
            (wpm,) = struct.unpack("<i", _read_exact(stdin, 4))
            text = _read_string(stdin)
        except EOFError:
            return  # the parent closed the pipe: it is done with us
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: voice from the state the parent kept untouched, then leave without cleanup
            os.close(read_end)
            code = 1
            try:
                code = _voice_in_child(lib, chunks, voice, wpm, text, write_end)
            finally:
                os._exit(code)
        os.close(write_end)
        pcm = bytearray()
        while chunk := os.read(read_end, 1 << 16):
            pcm += chunk
        os.close(read_end)
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            pcm = bytearray()
        _write_all(stdout, struct.pack("<iQ", code, len(pcm)) + bytes(pcm))


if __name__ == "__main__":
    serve(sys.argv[1], sys.argv[2])
