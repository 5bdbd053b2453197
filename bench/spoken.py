"""Benchmark spoken-form accuracy and speed: bantin against four PyPI normalisers measured in the same run.

Usage: python bench/spoken.py [FILE.jsonl ...] [--systems bantin,sea-g2p,...] [--misses SET] [--quick]
       python bench/spoken.py --tag FILE.jsonl   (fill in "phenomena" where a row has none)

Without files it scores the seven sets: the real-text study part, the old score part and the three fresh score batches
(bench/data/spoken-real-*.jsonl, see bench/data/README.md), the development set (../shared/data/spoken-dev.jsonl,
when present) and the held-out set. `--misses study` prints bantin's misses of one set (study the study part and
dev only: the score parts are scored, not studied; a fresh batch is run once before anyone looks at its misses).
`--quick` times each system on one pass only.

Context: a row may carry `context`, the text before its sentence in the same page excerpt (the story so far). A
bulletin voices a whole story, so bantin reads the context first, for the abbreviations it defines ("bảo vệ rừng
(BVR)" there, "tổ đội BVR" here), and only the sentence is scored. The peers take no context (their interfaces
have no such input) and read the sentence alone, as before.

Scoring: NFC, lower-case, every character that is not a letter, digit or space becomes a space, spaces collapsed,
then exact match with "spoken" (strict, the headline) or with "spoken" or any "spoken_alt" (lenient).
Speed: sentences per second of CPU time on one core (this process and the programs it starts, so vinorm's binary
counts), one sentence per call, over every sentence of the sets scored. CPU time rather than wall time because
the machines this runs on are shared: other work on the other core does not change the figure.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import unicodedata
import warnings
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_SETS = {
    "study": ROOT / "bench/data/spoken-real-study.jsonl",
    "score": ROOT / "bench/data/spoken-real-score.jsonl",
    "score2": ROOT / "bench/data/spoken-real-score2.jsonl",
    "score3": ROOT / "bench/data/spoken-real-score3.jsonl",
    "score4": ROOT / "bench/data/spoken-real-score4.jsonl",
    "dev": ROOT.parent / "shared/data/spoken-dev.jsonl",
    "heldout": ROOT / "bench/data/spoken-heldout.jsonl",
}
MIN_SECONDS = 1.0  # repeat fast systems until timing is stable


def score_form(text: str) -> str:
    """The scoring rule of issue 3."""
    text = unicodedata.normalize("NFC", text).lower()
    text = "".join(ch if ch.isalnum() or ch == " " else " " for ch in text)
    return " ".join(text.split())


def load(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def bantin_system() -> Callable[..., str]:
    from flows.text import Lexicon, spoken_form

    lexicon_path = ROOT / "content" / "lexicon.toml"
    lexicon = Lexicon.from_toml(lexicon_path.read_text(encoding="utf-8")) if lexicon_path.exists() else None
    return lambda text, context="": spoken_form(text, lexicon=lexicon, context=context)


TAKES_CONTEXT = frozenset({"bantin"})  # systems whose callable accepts the story so far as a second argument


def sea_g2p_system() -> Callable[[str], str]:
    from sea_g2p import Normalizer

    normalizer = Normalizer("vi")
    return normalizer.normalize


def g2p_hamster_system() -> Callable[[str], str]:
    # g2p-hamster turns text into phonemes; its rule-based text stage (T0) gives the reading as words.
    from g2p_hamster.t0.pipeline import normalize

    return lambda text: normalize(text)["read_string"]


def vietnormalizer_system() -> Callable[[str], str]:
    from vietnormalizer import VietnameseNormalizer

    return VietnameseNormalizer().normalize


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


# --- Phenomena: tagged by pattern over the written text (bench/data/README.md, step 6), so the per-phenomenon table
# counts every sentence that exercises a phenomenon. `--tag FILE` fills the field where a row has none.
_DATE_BEFORE = r"(?:ngày|sáng|chiều|trưa|tối|đêm|nay|hôm|từ|đến|và|\()\s*"
_PHENOMENA: list[tuple[str, str]] = [
    ("date_dmy", r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{4}\b"),
    ("month_year", r"(?i:tháng|quý)\s+(?:\d{1,2}|[IVX]+)\s*[/.-]\s*\d{4}\b"),
    ("date_words", r"(?i:ngày)\s+\d{1,2}\s+tháng\s+\d{1,2}"),
    ("date_range", r"\b\d{1,2}\s?-\s?\d{1,2}[/-]\d{1,2}\b"),
    ("day_month", r"(?<![\d/.,-])(?:[12]?\d|3[01])[/-](?:0?[1-9]|1[0-2])\b(?![/-]\d)(?!\s+[a-zđà-ỹ])"),
    ("year_range", r"\b(?:19|20)\d\d\s?[-–]\s?(?:19|20)\d\d\b"),
    ("range", r"(?<![\d/.,-])(?!(?:19|20)\d\d\s?-)\d+(?:[.,]\d+)?\s?-\s?\d+(?:[.,]\d+)?\b(?![/-]\d)"),
    ("thousand_sep", r"\b\d{1,3}(?:\.\d{3})+\b"),
    ("decimal", r"\b\d+,\d+\b"),
    ("percent", r"%"),
    ("leading_zero", r"(?<![\w.,/])0\d"),
    ("time", r"\b\d{1,2}h(?:\d\d)?\b|\b\d{1,2}\s?giờ\b"),
    ("temperature", r"\d\s?(?:độ|°)"),
    ("unit", r"\d\s?(?:ha|kg|km|cm|mm|m|m2|m3|tạ|tấn|MW|kV|kWh)\b"),
    ("money", r"\d\s?(?:đ|VNĐ|USD)\b|đồng/"),
    ("km_marker", r"(?i:km)\s?\d+\s?\+\s?\d+"),
    ("road", r"(?i:quốc lộ|tỉnh lộ|\bQL\s?\d|\bĐT\s?\d)"),
    ("phone", r"\b0\d{2,3}[ .]\d{3}[ .]?\d{3,4}\b|\(\d{3,4}\)\s?\d"),
    ("ordinal", r"(?i:\bthứ)\s+(?:\d+|[IVXL]+)\b"),
    ("roman", r"(?<![\w.])(?:[IVX]{2,}|I|V|X)(?![\w])(?!\s?\.\s?\d)"),
    ("heading", r"^\s*(?:\d+(?:\.\d+)*\.|[a-zđ]\)|[IVX]+\.|[-*+])\s"),
    ("initials", r"\b[A-ZĐ]\.(?:[A-ZĐ]\.)*(?=\s|\))"),
    ("place_abbrev", r"\b(?:TP|TX|T\.X|TT)(?:\.|\s)\s?[A-ZĐ]"),
    ("tone_placement", r"(?i:o[àáảãạ]|o[èéẻẽẹ]|(?<!q)u[ỳýỷỹỵ])(?!\w)"),
    ("unicode_confusable", "\u00d0"),
]
_DOC_CODE_HINT = r"\d\s?/\s?[A-ZĐ]|\d-[A-ZĐ]{2}"


def _known_abbreviations() -> set[str]:
    from flows.text import Lexicon

    path = ROOT / "content" / "lexicon.toml"
    lexicon = Lexicon.from_toml(path.read_text(encoding="utf-8"))
    return set(lexicon.abbreviations) | set(lexicon.doc_codes)


def tag_phenomena(written: str) -> list[str]:
    """What a sentence exercises, by pattern over the written text only (never over a system's reading)."""
    import re

    from flows.text.abbreviations import DOC_CODE
    from flows.text.unicode import is_vietnamese_syllable

    tags = {name for name, pattern in _PHENOMENA if re.search(pattern, written, flags=re.M)}
    if unicodedata.normalize("NFC", written) != written:
        tags.add("nfd")
    if DOC_CODE.search(written) or re.search(_DOC_CODE_HINT, written):
        tags.add("doc_code")
    if re.search(r"(?<![\w/.,-])\d+(?![\w/])", written.replace("\u00a0", " ")):
        tags.add("cardinal")
    for m in re.finditer(r"(?<![\d/.])(\d{1,4})/(\d{1,4})\b(?![/-]\d)", written):
        # a count over a total or a share: "41/41 xã", "chiếm 1/4"; a date "ngày 5/9" is not one
        if re.match(r"\s+[a-zđà-ỹ]", written[m.end():]) or re.search(r"(?:chiếm|khoảng|bằng|đạt)\s*$", written[: m.start()]):
            if not re.search(_DATE_BEFORE + r"$", written[: m.start()]):
                tags.add("fraction")
    words = re.findall(r"[^\W\d_]+(?:[.&][^\W\d_]+)*", written)
    caps = [w for w in words if len(w) > 1 and w.upper() == w]
    if caps:
        tags.add("abbreviation")
    known = _known_abbreviations()
    if re.search(r"(?:\b[A-ZĐÀ-Ỹ]{2,}\b[\s;,]+){3}", written) or any(
        w not in known and not is_vietnamese_syllable(w) and "." not in w and not re.fullmatch("[IVXLC]+", w)
        for w in caps
    ):
        tags.add("all_caps")  # a shouted headline, or an acronym the lexicon does not know
    if any(len(w) > 2 and w[1:].islower() and "Ð" not in w and not is_vietnamese_syllable(w) for w in words):
        tags.add("loanword")  # Pasteur, Covid, sơmi rơmooc, nilon
    return sorted(tags) or ["plain"]


SYSTEMS: dict[str, Callable[[], Callable[..., str]]] = {
    "bantin": bantin_system,
    "sea-g2p": sea_g2p_system,
    "vinorm": vinorm_system,
    "g2p-hamster": g2p_hamster_system,
    "vietnormalizer": vietnormalizer_system,
}


def pin_to_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        try:
            os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        except OSError:
            pass


def cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def reader(name: str, system: Callable[..., str]) -> Callable[[dict], str]:
    """How a system reads one row: with the row's context when it takes one, else the sentence alone."""
    if name in TAKES_CONTEXT:
        return lambda row: system(row["written"], row.get("context", ""))
    return lambda row: system(row["written"])


def measure(name: str, read: Callable[[dict], str], rows: list[dict], quick: bool) -> float:
    start, rounds = cpu_seconds(), 0
    while True:
        for row in rows:
            read(row)
        rounds += 1
        elapsed = cpu_seconds() - start
        if quick or elapsed >= MIN_SECONDS or name == "vinorm":
            break
    return rounds * len(rows) / max(elapsed, 1e-9)


def scores(rows: list[dict], outputs: list[str]) -> dict:
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
            misses.append((row["id"], row["written"], got, score_form(row["spoken"])))
    return {"strict": strict, "lenient": lenient, "n": len(rows), "per_phen": dict(per_phen), "misses": misses}


def run(name: str, sets: dict[str, list[dict]], quick: bool) -> dict | None:
    try:
        read = reader(name, SYSTEMS[name]())
        outputs = {set_name: [read(row) for row in rows] for set_name, rows in sets.items()}
    except Exception as exc:  # a missing or broken normaliser is reported, never fatal to the bench
        print(f"{name}: could not run ({type(exc).__name__}: {str(exc)[:200]})")
        return None
    rate = measure(name, read, [row for rows in sets.values() for row in rows], quick)
    return {"name": name, "rate": rate, "sets": {s: scores(sets[s], outputs[s]) for s in sets}}


def report(results: list[dict], sets: dict[str, list[dict]]) -> None:
    names = list(sets)
    print()
    print("strict exact match (lenient: also any spoken_alt), and sentences per CPU second on one core")
    print(f"{'system':15}" + "".join(f" {n + f' ({len(sets[n])})':>18}" for n in names) + f" {'sent/s':>9}")
    for r in results:
        cells = "".join(
            f" {r['sets'][n]['strict'] / r['sets'][n]['n']:>8.1%} ({r['sets'][n]['lenient'] / r['sets'][n]['n']:5.1%})"
            for n in names
        )
        print(f"{r['name']:15}{cells} {r['rate']:9.0f}")
    for n in names:
        phens = sorted({p for r in results for p in r["sets"][n]["per_phen"]})
        print()
        print(f"{n}: per phenomenon (strict)")
        print(f"{'phenomenon':16} {'n':>4} " + " ".join(f"{r['name'][:12]:>12}" for r in results))
        for phen in phens:
            count = results[0]["sets"][n]["per_phen"].get(phen, [0, 0])[1]
            cells = " ".join(
                f"{r['sets'][n]['per_phen'][phen][0] / r['sets'][n]['per_phen'][phen][1]:12.0%}"
                if phen in r["sets"][n]["per_phen"] else f"{'-':>12}"
                for r in results
            )
            print(f"{phen:16} {count:4d} {cells}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", help="jsonl files to score instead of the default sets")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated: " + ", ".join(SYSTEMS))
    parser.add_argument("--misses", action="append", default=[], help="print bantin's misses of this set")
    parser.add_argument("-v", "--verbose", action="store_true", help="print bantin's misses of every set")
    parser.add_argument("--quick", action="store_true", help="time one pass only")
    parser.add_argument("--tag", metavar="FILE", help="fill in phenomena (by pattern over 'written') and exit")
    args = parser.parse_args(argv[1:])
    if args.tag:
        path = Path(args.tag)
        rows = load(path)
        for row in rows:
            row["phenomena"] = row.get("phenomena") or tag_phenomena(row["written"])
        path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
        print(f"{path}: {len(rows)} rows tagged")
        return 0

    if args.files:
        sets = {Path(f).stem: load(Path(f)) for f in args.files}
    else:
        sets = {}
        for name, path in DEFAULT_SETS.items():
            if path.exists():
                sets[name] = load(path)
            else:
                print(f"{name}: {path} not found, not scored")
    for name, rows in sets.items():
        print(f"{name}: {len(rows)} sentences")
    pin_to_one_core()
    print("timing: CPU seconds on one core (pinned), one sentence per call; vinorm starts its bundled binary per call")
    wanted = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = [s for s in wanted if s not in SYSTEMS]
    if unknown:
        parser.error(f"unknown system(s): {', '.join(unknown)}")
    results = [r for r in (run(name, sets, args.quick) for name in wanted) if r]
    if not results:
        return 1
    report(results, sets)
    bantin = next((r for r in results if r["name"] == "bantin"), None)
    show = list(sets) if args.verbose else args.misses
    for set_name in show:
        if bantin is None or set_name not in bantin["sets"]:
            continue
        print(f"\nbantin's misses on {set_name}:")
        for rid, written, got, want in bantin["sets"][set_name]["misses"]:
            print(f"\n{rid}  {written}\n  got:  {got}\n  want: {want}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
