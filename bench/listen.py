"""Calibrate the listening check (`bantin check --listen`): how well the offline recogniser hears each voice.

    .venv/bin/python bench/listen.py [-n 80] [--voices vi,vi-vn-x-south]    # espeak-ng clips, made here
    .venv/bin/python bench/listen.py --bulletins audio_out --date 2024-06-11  # a day's bulletins you listened to

Clips are made the way bulletins carry them (voiced, loudness-normalised, MP3-encoded at the station format,
decoded at 16 kHz) from the spoken forms of bench/data/spoken-heldout.jsonl. For each voice it prints, over the
known-good clips and over the same recognitions held to another sentence's text (a wrong clip in the slot):

- word error rate and the toneless character error rate that thresholds apply to, side by side: which one tells
  a good clip from a wrong one (the share of wrong pairs a threshold set on the good clips catches);
- the threshold `listen.calibrate` gives (98th percentile of good clips + 0.1), to record in listen.THRESHOLDS;
- the spectral flatness of speech against white and pink noise, and the recogniser's speed (real-time factor).

With --bulletins it reads a day's manifests instead and prints the same figures per engine, so a newsroom can
calibrate a natural voice (FPT.AI, Viettel AI, Vbee, Google) on bulletins it has listened to and found good.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SAVE: Path | None = None  # --save: keep the (text, heard) pairs to study them again without recognising


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report(name: str, good: list[tuple[str, str]], seconds: float, spent: float) -> None:
    """`good`: (spoken text, heard) pairs of known-good clips."""
    from flows.audio import listen

    if SAVE:
        SAVE.write_text(json.dumps(good, ensure_ascii=False, indent=1), encoding="utf-8")
    n = len(good)
    print(f"\n{name}: {n} clips, {seconds:.0f} s of speech; recognition took {spent / max(seconds, 1e-9):.2f} s "
          f"per second of speech")
    print(f"  {'measure':28s} {'good: median':>12s} {'p90':>6s} {'p98':>6s} {'max':>6s} | {'wrong: p10':>10s} "
          f"{'median':>6s} | {'threshold':>9s} {'wrong caught':>12s} {'good flagged':>12s}")
    for label, measure in (("word error rate", listen.word_error_rate),
                           ("toneless char error rate", listen.error_rate)):
        ok = [measure(text, heard) for text, heard in good]
        wrong = [measure(good[(i + 7) % n][0], heard) for i, (_, heard) in enumerate(good)] if n > 1 else []
        limit = listen.calibrate(ok)
        caught = sum(w > limit for w in wrong) / max(1, len(wrong))
        flagged = sum(v > limit for v in ok) / n
        print(f"  {label:28s} {statistics.median(ok):12.2f} {quantile(ok, .9):6.2f} {quantile(ok, .98):6.2f} "
              f"{max(ok):6.2f} | {quantile(wrong, .1) if wrong else float('nan'):10.2f} "
              f"{statistics.median(wrong) if wrong else float('nan'):6.2f} | {limit:9.2f} {caught:12.0%} {flagged:12.0%}")


def espeak_clips(count: int, voices: list[str]) -> None:
    import numpy as np

    from flows.audio import listen
    from flows.audio.engines import EspeakEngine
    from flows.audio.voice import render_segment
    from flows.models import AudioProfile

    rows = [json.loads(line) for line in (ROOT / "bench/data/spoken-heldout.jsonl").read_text("utf-8").splitlines()]
    texts = [r["spoken"] for r in rows][:count]
    ear = listen.recogniser()
    profile = AudioProfile()
    flat_speech: list[float] = []
    for voice in voices:
        good, seconds, spent = [], 0.0, 0.0
        for text in texts:
            speech = EspeakEngine().synthesize(text, voice, 1.0)
            encoded, _ = render_segment(speech.to_wav(), profile)  # exactly as a bulletin carries it
            pcm = listen.decode_for_listening(encoded)
            flat_speech.append(listen.measure(pcm).flatness)
            started = time.perf_counter()
            good.append((text, ear.transcribe(pcm)))
            spent += time.perf_counter() - started
            seconds += len(pcm) / listen.ASR_RATE
        report(f"espeak ({voice})", good, seconds, spent)

    rng = np.random.default_rng(7)
    white = rng.normal(0, 3000, 16000 * 5)
    pink = np.cumsum(rng.normal(0, 1, 16000 * 5))  # brown-ish: a harder noise than white for a flatness test
    pink = 3000 * (pink - pink.mean()) / pink.std()
    print(f"\nspectral flatness (noise above {listen.NOISE_FLATNESS}): speech max {max(flat_speech):.4f}, "
          f"median {statistics.median(flat_speech):.4f}; white noise {listen.measure(white.astype('int16')).flatness:.4f};"
          f" brown noise {listen.measure(pink.astype('int16')).flatness:.4f} (caught by 'no words heard' instead)")


def bulletins(root: Path, day: str) -> None:
    from flows.audio import listen
    from flows.audio.verify import bulletins_of

    check = listen.ListeningCheck()
    per_engine: dict[str, list[tuple[str, str]]] = {}
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    for mp3 in bulletins_of(root, day):
        for _, heard in check.segments(mp3):
            per_engine.setdefault(heard.engine, []).append((heard.text, heard.heard))
            seconds[heard.engine] = seconds.get(heard.engine, 0.0) + heard.signal.seconds
    spent = time.perf_counter() - started
    total = sum(seconds.values())
    unique = {}
    for engine, pairs in per_engine.items():
        unique[engine] = list(dict.fromkeys(pairs))  # a clip carried by many bulletins counts once
        report(f"{engine} (bulletins of {day})", unique[engine], seconds[engine],
               spent * seconds[engine] / max(total, 1e-9))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=80, help="sentences per voice (default 80)")
    parser.add_argument("--voices", default="vi", help="espeak-ng voices, comma-separated (default vi)")
    parser.add_argument("--bulletins", type=Path, help="audio_out folder: calibrate on a day's bulletins instead")
    parser.add_argument("--date", help="the day of --bulletins, YYYY-MM-DD")
    parser.add_argument("--save", type=Path, help="write the (text, heard) pairs of the last voice to this JSON file")
    args = parser.parse_args()
    global SAVE
    SAVE = args.save
    if args.bulletins:
        if not args.date:
            parser.error("--bulletins needs --date")
        bulletins(args.bulletins, args.date)
    else:
        espeak_clips(args.n, [v.strip() for v in args.voices.split(",") if v.strip()])


if __name__ == "__main__":
    main()
