"""The synthesis cache: one TTS call per unique (text, voice), across stations, runs, restarts and processes."""

import json
import subprocess
import sys
from pathlib import Path

from flows.audio.cache import SynthesisCache
from flows.audio.engines import EngineChain
from flows.audio.voice import voice_text
from flows.models import AudioProfile

TEXTS = ["Tin một.", "Tin hai.", "Tin ba."]


def test_one_tts_call_per_unique_story_across_stations_runs_and_restarts(tmp_path, kit):
    engine = kit.CountingEngine()
    stations = {"a": TEXTS, "b": TEXTS[:2], "c": TEXTS[1:]}
    for _run in range(2):
        cache = SynthesisCache(tmp_path)  # a new object each run: as after a restart
        chain = EngineChain([engine])
        clips = {sid: [voice_text(t, AudioProfile(), cache, chain) for t in texts] for sid, texts in stations.items()}
    assert sorted(engine.texts) == sorted(TEXTS)
    assert clips["a"][1].sha256 == clips["b"][1].sha256 == clips["c"][0].sha256


def test_other_format_reencodes_but_does_not_call_tts_again(tmp_path, kit):
    engine = kit.CountingEngine()
    cache = SynthesisCache(tmp_path)
    a = voice_text(TEXTS[0], AudioProfile(), cache, EngineChain([engine]))
    b = voice_text(TEXTS[0], AudioProfile(bitrate_kbps=32, loudness_lufs=-23), cache, EngineChain([engine]))
    c = voice_text(TEXTS[0], AudioProfile(rate=1.3), cache, EngineChain([engine]))
    assert engine.texts == [TEXTS[0], TEXTS[0]]  # the rate is a new reading; the format is not
    assert a.sha256 != b.sha256 and b.bitrate_kbps == 32 and c.duration_seconds < a.duration_seconds


def test_a_torn_entry_is_recomputed(tmp_path, kit):
    engine = kit.CountingEngine()
    cache = SynthesisCache(tmp_path)
    clip = voice_text(TEXTS[0], AudioProfile(), cache, EngineChain([engine]))
    clip.path.write_bytes(clip.path.read_bytes()[:100])
    again = voice_text(TEXTS[0], AudioProfile(), cache, EngineChain([engine]))
    assert again.sha256 == clip.sha256 and len(engine.texts) == 1  # raw speech was still good


WORKER = """
import json, sys
from pathlib import Path
from flows.audio.cache import SynthesisCache
from flows.audio.engines import EngineChain
from flows.audio.engines import EspeakEngine
from flows.audio.voice import voice_text
from flows.models import AudioProfile

calls = []
class Counting(EspeakEngine):
    def synthesize(self, text, voice, rate=1.0):
        calls.append(text)
        return super().synthesize(text, voice, rate)

cache = SynthesisCache(Path(sys.argv[1]))
shas = [voice_text(t, AudioProfile(), cache, EngineChain([Counting()])).sha256 for t in json.loads(sys.argv[2])]
print(json.dumps([len(calls), shas]))
"""


def test_worker_processes_share_the_cache_without_voicing_twice(tmp_path):
    root = Path(__file__).resolve().parents[2]
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, str(tmp_path), json.dumps(TEXTS)], cwd=root,
                                stdout=subprocess.PIPE, text=True) for _ in range(3)]
    results = [json.loads(w.communicate(timeout=120)[0]) for w in workers]
    assert sum(calls for calls, _ in results) == len(TEXTS)
    assert len({tuple(shas) for _, shas in results}) == 1
    assert not list(tmp_path.rglob(".*.part-*"))
