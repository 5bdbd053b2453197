"""Give each row of a score batch its `context`: the text before it in the same page excerpt (bench/data/README.md).

Usage: python bench/data/raw/add_context.py BATCH   (score2, score3 ...; reads raw/BATCH-excerpts.txt and rewrites
bench/data/spoken-real-BATCH.jsonl in place). A story is voiced whole, so an abbreviation it defines in an earlier
sentence ("bảo vệ rừng (BVR)") is read that way later ("tổ đội BVR"); the evaluation is per sentence, so
bench/spoken.py hands bantin the `context` first (read for its definitions, never scored). The context is every line
of the excerpt before the sentence's line, then the sentences before it on its own line, as the excerpt has them;
a sentence found in no excerpt gets none. Only the written text is read: this never runs a system.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from build_score2 import sentences  # noqa: E402  (the same cut the batch was built with)


def excerpts(path: Path) -> list[list[str]]:
    blocks: list[list[str]] = []
    for line in path.read_text("utf-8").splitlines():
        if line.startswith("@@ "):
            blocks.append([])
        elif blocks and line.strip():
            blocks[-1].append(line)
    return blocks


def context_of(written: str, blocks: list[list[str]]) -> str | None:
    for block in blocks:
        before: list[str] = []
        for line in block:
            parts = sentences(line)
            if written in parts:
                return "\n".join(before + [" ".join(parts[:parts.index(written)])]).strip()
            before.append(" ".join(parts))
    return None


def main(batch: str) -> int:
    rows_path = HERE.parent / f"spoken-real-{batch}.jsonl"
    blocks = excerpts(HERE / f"{batch}-excerpts.txt")
    rows = [json.loads(line) for line in rows_path.read_text("utf-8").splitlines() if line.strip()]
    found = 0
    for row in rows:
        context = context_of(row["written"], blocks)
        row.pop("context", None)
        if context is not None:
            found += 1
            if context:
                row["context"] = context
    rows_path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    with_context = sum(1 for r in rows if r.get("context"))
    print(f"{rows_path.name}: {found}/{len(rows)} rows found in the excerpts, {with_context} with a context",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
