"""Bulletin assembly: bantin (encode each unique story once, join bytes per station) against the straightforward
pydub way (per station: decode every story, concatenate, normalise, export one MP3), measured in the same run.

    .venv/bin/python bench/assemble.py            # 16 and 200 stations
    .venv/bin/python bench/assemble.py --quick    # 16 and 50 stations

Each way runs in its own fresh process, so peak memory (ru_maxrss of the process and of its largest ffmpeg child)
is not polluted by the other. Speech is espeak-ng (offline). Synthetic district: 8 district-wide stories on every
station, one own story on every fourth commune station, a shared opening and closing line.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DISTRICT_STORIES = 8
DAY = date(2024, 6, 11)


def synthetic(stations: int):
    from flows.models import BulletinItem, BulletinRequest, Priority, Slot, Station

    district = [BulletinItem(n, f"Tin huyện {n}", f"Tin huyện số {n}: phong trào thi đua yêu nước được đẩy mạnh ở "
                             f"các xã, thị trấn, với nhiều mô hình hay và cách làm sáng tạo.", Priority.NORMAL,
                             datetime(2024, 6, 10, n % 24), True) for n in range(1, DISTRICT_STORIES + 1)]
    requests = []
    for s in range(stations):
        st = Station(f"xa-{s:03d}", f"Đài truyền thanh xã số {s}", "district" if s == 0 else "commune",
                     None if s == 0 else f"xa-{s:03d}", (Slot("sang", "Sáng", "06:00", 1800),))
        own = [BulletinItem(1000 + s, f"Tin xã {s}", f"Tin riêng của xã số {s}: bà con hoàn thành làm đường "
                            "giao thông nông thôn.", Priority.NORMAL, datetime(2024, 6, 10, 7), False)] \
            if s % 4 == 1 else []
        requests.append(BulletinRequest(st, st.slots[0], DAY, tuple(district + own)))
    return requests


OPENING = "Đây là đài truyền thanh cơ sở. Bản tin sáng ngày 11 tháng 6 năm 2024."
CLOSING = "Bản tin sáng đến đây là kết thúc. Cảm ơn quý vị và các bạn đã lắng nghe."


def _rss() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, child


def worker_bantin(stations: int, work: Path) -> dict:
    from flows.audio import SynthesisCache, build_bulletin, voice_text
    from flows.audio.engines import EngineChain, EspeakEngine

    requests = synthetic(stations)
    cache = SynthesisCache(work / "cache")
    chain = EngineChain([EspeakEngine()])
    t0 = time.perf_counter()
    voiced = {}
    for req in requests:  # every station asks for its stories; the cache answers all but the first time
        for text in (OPENING, CLOSING, *(i.spoken_text for i in req.items)):
            if text not in voiced:
                voiced[text] = voice_text(text, req.station.audio, cache, chain)
            else:
                voice_text(text, req.station.audio, cache, chain)
    t1 = time.perf_counter()
    total_seconds = 0.0
    for req in requests:
        clips = {i.story_id: voice_text(i.spoken_text, req.station.audio, cache, chain) for i in req.items}
        result = build_bulletin(req, clips, voiced[OPENING], voiced[CLOSING], work / "bantin_out")
        total_seconds += result.duration_seconds
    t2 = time.perf_counter()
    own, child = _rss()
    return {"voice_seconds": t1 - t0, "assemble_seconds": t2 - t1, "tts_calls": sum(chain.calls.values()),
            "unique_texts": len(voiced), "rss_mb": own, "child_rss_mb": child,
            "audio_minutes": total_seconds / 60}


def worker_pydub(stations: int, work: Path) -> dict:
    import io

    from pydub import AudioSegment, effects

    from flows.audio import ffmpeg
    from flows.audio.cache import SynthesisCache, make_key

    AudioSegment.converter = ffmpeg.ffmpeg_exe()
    cache = SynthesisCache(work / "cache")
    requests = synthetic(stations)
    out = work / "pydub_out"
    out.mkdir(exist_ok=True)

    def raw(text: str) -> AudioSegment:  # the engine's own output, as the naive way would keep it
        entry = cache.get("speech", make_key(kind="speech", text=text, engine="espeak", voice="vi", rate=1.0), "wav")
        assert entry is not None, "run the bantin worker first"
        return AudioSegment.from_wav(io.BytesIO(entry.path.read_bytes()))

    t0 = time.perf_counter()
    for req in requests:
        pause = AudioSegment.silent(duration=1000, frame_rate=22050)
        bulletin = raw(OPENING)
        for item in req.items:
            bulletin += pause + raw(item.spoken_text)
        bulletin += pause + raw(CLOSING)
        bulletin = effects.normalize(bulletin, headroom=1.5).set_frame_rate(44100)
        bulletin = bulletin.apply_gain(-16.0 - bulletin.dBFS - 3.0)  # RMS stands in for LUFS: pydub has no LUFS
        folder = out / req.station.id
        folder.mkdir(exist_ok=True)
        bulletin.export(folder / "sang.mp3", format="mp3", bitrate="64k", parameters=["-ac", "1"],
                        tags={"title": "Bản tin sáng", "artist": req.station.name})
    t1 = time.perf_counter()
    own, child = _rss()
    return {"assemble_seconds": t1 - t0, "rss_mb": own, "child_rss_mb": child}


def run_worker(kind: str, stations: int, work: Path) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--worker", kind, "--stations", str(stations), "--work",
                           str(work)], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="16 and 50 stations instead of 16 and 200")
    parser.add_argument("--worker", choices=["bantin", "pydub"], help=argparse.SUPPRESS)
    parser.add_argument("--stations", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        fn = worker_bantin if args.worker == "bantin" else worker_pydub
        print(json.dumps(fn(args.stations, args.work)))
        return

    sizes = (16, 50) if args.quick else (16, 200)
    print(f"{'stations':>8} {'way':<7} {'voice s':>8} {'assemble s':>10} {'total s':>8} {'peak MB':>8} "
          f"{'ffmpeg MB':>9} {'TTS calls':>9} {'unique':>6} {'audio min':>9}")
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="bench-assemble-") as tmp:
            work = Path(tmp)
            b = run_worker("bantin", n, work)
            p = run_worker("pydub", n, work)
        b_total = b["voice_seconds"] + b["assemble_seconds"]
        print(f"{n:>8} {'bantin':<7} {b['voice_seconds']:>8.2f} {b['assemble_seconds']:>10.2f} {b_total:>8.2f} "
              f"{b['rss_mb']:>8.0f} {b['child_rss_mb']:>9.0f} {b['tts_calls']:>9} {b['unique_texts']:>6} "
              f"{b['audio_minutes']:>9.1f}")
        print(f"{n:>8} {'pydub':<7} {'-':>8} {p['assemble_seconds']:>10.2f} {p['assemble_seconds']:>8.2f} "
              f"{p['rss_mb']:>8.0f} {p['child_rss_mb']:>9.0f}")
        print(f"{n:>8} ratio   assembly {p['assemble_seconds'] / b['assemble_seconds']:.1f}x faster, "
              f"voicing+assembly {p['assemble_seconds'] / b_total:.1f}x faster; "
              f"TTS calls {b['tts_calls']} = unique texts {b['unique_texts']}: "
              f"{'yes' if b['tts_calls'] == b['unique_texts'] else 'NO'}")


if __name__ == "__main__":
    main()
