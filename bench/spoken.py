"""Benchmark spoken-form accuracy and speed: bantin against the PyPI normalisers sea-g2p and vinorm.

Usage: python bench/spoken.py [path/to/spoken.jsonl]   (default /work/shared/data/spoken-dev.jsonl)

Scoring: NFC, lower-case, every character that is not a letter, digit or space becomes a space, spaces collapsed,
then exact match with "spoken" (strict, the headline) or with "spoken" or any "spoken_alt" (lenient).
"""

from __future__ import annotations

import json
import os
import sys
import time
import unicodedata
import warnings
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DEFAULT_PATH = "/work/shared/data/spoken-dev.jsonl"
MIN_SECONDS = 1.0  # repeat fast systems until timing is stable


def score_form(text: str) -> str:
    """The scoring rule of issue 3."""
    text = unicodedata.normalize("NFC", text).lower()
    text = "".join(ch if ch.isalnum() or ch == " " else " " for ch in text)
    return " ".join(text.split())


def load(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def bantin_system() -> Callable[[str], str]:
    from flows.text import Lexicon, spoken_form

    lexicon_path = Path(__file__).resolve().parent.parent / "content" / "lexicon.toml"
    lexicon = Lexicon.from_toml(lexicon_path.read_text(encoding="utf-8")) if lexicon_path.exists() else None
    return lambda text: spoken_form(text, lexicon=lexicon)


def sea_g2p_system() -> Callable[[str], str]:
    from sea_g2p import Normalizer

    normalizer = Normalizer("vi")
    return normalizer.normalize


def vinorm_system() -> Callable[[str], str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from vinorm import TTSnorm

    def quiet(text: str) -> str:
        # vinorm runs a bundled binary that prints debug lines to our stdout; keep the report readable.
        sys.stdout.flush()
        sys.stderr.flush()
        saved = os.dup(1), os.dup(2)
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            return TTSnorm(text)
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
            os.close(devnull)

    return quiet


def run(name: str, make: Callable[[], Callable[[str], str]], rows: list[dict]) -> dict | None:
    try:
        system = make()
        outputs = [system(row["written"]) for row in rows]  # warm-up and the outputs scored
    except Exception as exc:  # a missing or broken normaliser is reported, never fatal to the bench
        print(f"{name}: could not run ({type(exc).__name__}: {exc})")
        return None
    start, rounds = time.perf_counter(), 0
    while True:
        for row in rows:
            system(row["written"])
        rounds += 1
        elapsed = time.perf_counter() - start
        if elapsed >= MIN_SECONDS or (name != "bantin" and rounds >= 1):
            break
    per_phen: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    strict = lenient = 0
    misses = []
    for row, out in zip(rows, outputs):
        got = score_form(out)
        ok = got == score_form(row["spoken"])
        ok_any = ok or any(got == score_form(alt) for alt in row.get("spoken_alt", []))
        strict += ok
        lenient += ok_any
        for phen in row.get("phenomena", []):
            per_phen[phen][0] += ok
            per_phen[phen][1] += 1
        if not ok:
            misses.append((row["id"], got, score_form(row["spoken"])))
    return {
        "name": name, "strict": strict / len(rows), "lenient": lenient / len(rows),
        "per_phen": dict(per_phen), "rate": rounds * len(rows) / elapsed, "misses": misses,
    }


def main(argv: list[str]) -> int:
    verbose = "-v" in argv or "--verbose" in argv
    args = [a for a in argv[1:] if a not in ("-v", "--verbose")]
    path = args[0] if args else DEFAULT_PATH
    rows = load(path)
    print(f"{len(rows)} sentences from {path}")
    print("timing: one core, one sentence per call; vinorm starts its bundled binary per call")
    results = [r for r in (run("bantin", bantin_system, rows), run("sea-g2p", sea_g2p_system, rows),
                           run("vinorm", vinorm_system, rows)) if r]
    print()
    print(f"{'system':10} {'strict':>8} {'any-alt':>8} {'sent/s':>10}")
    for r in results:
        print(f"{r['name']:10} {r['strict']:8.1%} {r['lenient']:8.1%} {r['rate']:10.0f}")
    phens = sorted({p for r in results for p in r["per_phen"]})
    print()
    print(f"{'phenomenon (strict)':22} {'n':>3} " + " ".join(f"{r['name']:>8}" for r in results))
    for phen in phens:
        n = results[0]["per_phen"].get(phen, [0, 0])[1]
        cells = " ".join(
            f"{r['per_phen'][phen][0] / r['per_phen'][phen][1]:8.0%}" if phen in r["per_phen"] else f"{'-':>8}"
            for r in results
        )
        print(f"{phen:22} {n:3d} {cells}")
    if verbose:
        for r in results[:1]:
            for rid, got, want in r["misses"]:
                print(f"\n{rid}\n  got:  {got}\n  want: {want}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
