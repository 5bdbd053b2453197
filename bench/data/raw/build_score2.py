"""Build a fresh batch's pool from page excerpts (bench/data/README.md, steps 8 and 9): score2, score3, score4.

Usage: python bench/data/raw/build_score2.py [score2|score3|score4]. Reads raw/<batch>-excerpts.txt (blocks "@@ <page address>" followed by the excerpt as the index returned it, lines
of navigation, photo credits and name lists left out), splits it into sentences, drops sentences already in any
bench/data set or ../shared/data, removes duplicates, shuffles with a recorded seed and writes raw/<batch>-pool.jsonl
(id, written, source; no reading). Readings are written by hand afterwards, before bantin is run on any of them.
"""

from __future__ import annotations

import json
import random
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent.parent
SEED = 20261130
# score4 (step 9): its own seed, and at most 12 sentences from one page so that one long price list or decree does
# not outweigh the other pages. score2 and score3 keep the settings they were built with.
SEEDS = {"score4": 20261201}
MAX_PER_PAGE = {"score4": 12}
ABBREV_DOT = ("TP.", "TX.", "TS.", "GS.", "PGS.", "ThS.", "BS.", "Đ/c.")


def score_form(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower()
    text = "".join(ch if ch.isalnum() or ch == " " else " " for ch in text)
    return " ".join(text.split())


def sentences(line: str) -> list[str]:
    line = re.sub(r"^(\d+)\\\.", r"\1.", line.strip())  # markdown escape "1\." of the page converter
    parts, start = [], 0
    for m in re.finditer(r"(?<=[.!?…])\s+(?=\S)", line):
        nxt = line[m.end()]
        if not (nxt.isupper() or nxt in "\"“*"):
            continue
        before = line[start:m.start()]
        if before.split() and before.split()[-1].lstrip("(") in ABBREV_DOT or re.fullmatch(r"\s*[\dIVX]+\.", before):
            continue  # "TP. Thanh Hóa"; a list mark such as "2. Địa điểm" stays with its sentence
        parts.append(line[start:m.start()])
        start = m.end()
    parts.append(line[start:])
    return [p.strip() for p in parts if p.strip()]


def keep(s: str, batch: str = "score2") -> bool:
    if len(s.split()) < 4 or not re.search(r"[a-zà-ỹđ]", s.lower()):
        return False
    skip = ("Bài tiếp theo", "Ảnh:", "Tin liên quan") + (("Ảnh cắt",) if batch == "score4" else ())
    return not s.startswith(skip)


def main(batch: str = "score2") -> int:
    existing: set[str] = set()
    for path in [*ROOT.joinpath("bench/data").glob("*.jsonl"), ROOT.parent / "shared/data/spoken-dev.jsonl"]:
        if path.exists() and path.name != f"spoken-real-{batch}.jsonl":
            for line in path.read_text("utf-8").splitlines():
                if line.strip():
                    existing.add(score_form(json.loads(line)["written"]))
    rows, seen, source, dropped = [], set(), None, 0
    per_page: dict[str, int] = {}
    cap = MAX_PER_PAGE.get(batch)
    for line in (HERE / f"{batch}-excerpts.txt").read_text("utf-8").splitlines():
        if line.startswith("@@ "):
            source = line[3:].strip()
            continue
        for s in sentences(line):
            if not keep(s, batch):
                continue
            if cap is not None and per_page.get(source, 0) >= cap:
                continue
            key = score_form(s)
            if key in seen:
                continue
            if key in existing or any(len(e) > 40 and (e in key or key in e) for e in existing):
                dropped += 1
                continue
            seen.add(key)
            per_page[source] = per_page.get(source, 0) + 1
            rows.append({"written": s, "source": source})
    seed = SEEDS.get(batch, SEED)
    random.Random(seed).shuffle(rows)
    with open(HERE / f"{batch}-pool.jsonl", "w", encoding="utf-8") as fh:
        for i, row in enumerate(rows, 1):
            fh.write(json.dumps({"id": f"pool-{i:03d}", **row}, ensure_ascii=False) + "\n")
    print(f"{len(rows)} sentences from {len(per_page)} pages, {dropped} already in a set, seed {seed}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:2]))
