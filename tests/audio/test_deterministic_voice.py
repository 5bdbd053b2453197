"""espeak-ng voices a text to the same bytes in any process and after anything else (issue 11, point 6).

Voiced in one process, libespeak-ng's samples for a text depended on what it had voiced before, so two workers
of a cluster made different bulletins from the same plan. These tests voice in real separate processes.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from flows.audio.engines import EspeakEngine

TEXTS = ["Xã Bình Long tổ chức hội nghị tổng kết phong trào thi đua.",
         "Một hai ba bốn năm sáu bảy tám chín mười.",
         "Huyện Võ Nhai triển khai xây dựng nông thôn mới năm hai nghìn không trăm hai mươi ba."]

# Voice the texts named by index in argv, in that order, in a fresh process; print one hash per line.
OTHER_PROCESS = """
import hashlib, sys
from flows.audio.engines import EspeakEngine
texts = %r
engine = EspeakEngine()
for i in sys.argv[1:]:
    print(hashlib.sha256(engine.synthesize(texts[int(i)], "vi").pcm).hexdigest())
""" % (TEXTS,)


def digest(text: str, rate: float = 1.0, voice: str = "vi") -> str:
    return hashlib.sha256(EspeakEngine().synthesize(text, voice, rate).pcm).hexdigest()


def test_a_text_voices_the_same_whatever_was_voiced_before() -> None:
    first = [digest(t) for t in TEXTS]
    again = [digest(t) for t in reversed(TEXTS)][::-1]
    assert first == again
    assert len(set(first)) == 3  # three texts, three different recordings
    assert digest(TEXTS[0], rate=1.3) != first[0]  # the rate still changes the speech
    assert digest(TEXTS[0], voice="vi-vn-x-south") != first[0]  # and so does the voice


def test_another_process_in_another_order_makes_the_same_bytes() -> None:
    here = {i: digest(t) for i, t in enumerate(TEXTS)}
    out = subprocess.run([sys.executable, "-c", OTHER_PROCESS, "2", "1", "0", "2"], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == [here[2], here[1], here[0], here[2]]


def test_threads_voice_at_once_and_each_gets_its_own_text() -> None:
    serial = [digest(t) for t in TEXTS]
    with ThreadPoolExecutor(4) as pool:
        parallel = list(pool.map(digest, TEXTS * 3))
    assert parallel == serial * 3


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                found += [int(c) for c in fh.read().split()]
        except OSError:
            pass
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ", 1)[1][0] != "Z"
    except OSError:
        return False


def test_a_killed_process_leaves_no_voicing_server() -> None:
    script = OTHER_PROCESS + "\nsys.stdout.flush()\nimport time\ntime.sleep(600)\n"
    proc = subprocess.Popen([sys.executable, "-c", script, "0"], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and len(proc.stdout.readline().strip()) == 64  # it voiced: its server runs
    servers = [c for c in _children(proc.pid) if "espeak_server" in open(f"/proc/{c}/cmdline").read()]
    assert servers, "the voicing server was not found among the process's children"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 60  # a hang guard only: the server sees its input close at once
    while any(_alive(s) for s in servers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(s) for s in servers)
