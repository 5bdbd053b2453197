"""Near-duplicate lookup: MinHash bands in the store (bantin) vs comparing a new story's shingles with every
story kept (the straightforward way), on the same synthetic newsroom, measured in the same run.

    .venv/bin/python bench/duplicates.py [--stories 2000]

Prints the time per lookup for both, their ratio, and whether both found the same originals.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flows.editing.duplicates import find_near_duplicate, story_bands  # noqa: E402
from flows.editing.likeness import NEAR_DUPLICATE, likeness, story_text  # noqa: E402
from flows.models import Source, SubmittedStory  # noqa: E402
from flows.store import Store  # noqa: E402
from flows.store.schema import StoryRow  # noqa: E402

WORDS = ("xã huyện xóm thôn nông dân hội viên phong trào thi đua mô hình đường bê tông nhà văn hóa giảm nghèo "
         "chè quế rừng lúa ngô bò lợn vốn vay hỗ trợ tập huấn chuyển đổi số an ninh trật tự dân vận khéo "
         "gia đình văn hóa hiến đất ngày công đoàn viên thanh niên phụ nữ cựu chiến binh").split()


def _story(rng: random.Random, n: int = 160) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _rewrite(rng: random.Random, text: str) -> str:
    words = text.split()
    for _ in range(len(words) // 12):  # a unit changes a word here and there and adds a sentence
        words[rng.randrange(len(words))] = rng.choice(WORDS)
    return " ".join(words + ["Hội", "cũng", "tặng", "quà", "cho", "hộ", "khó", "khăn."])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stories", type=int, default=2000)
    parser.add_argument("--lookups", type=int, default=50)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/bench.sqlite3")
        store.migrate()
        source = Source(id="s", name="Nguồn", kind="feed", location="x")
        texts = [_story(rng) for _ in range(args.stories)]
        with store.session() as s:
            for i, text in enumerate(texts):
                s.add(StoryRow(source_id="s", external_id=str(i), title=f"Tin {i}", raw_body="", content_type="t",
                               link="", author="", submitted_at=__import__("datetime").datetime(2023, 1, 1),
                               audience=[], movements=[], communes=[], priority=0, state="approved",
                               warnings=[], body_text=text))
        rows = {r.id: r for r in store.stories()}
        for sid, row in rows.items():
            store.save_bands(sid, story_bands(row.title, row.body_text or ""))
        originals = rng.sample(sorted(rows), args.lookups)
        copies = []
        for original in originals:
            new = store.add_submission(SubmittedStory("s", f"copy-{original}", rows[original].title,
                                                      "<p>x</p>"), source)
            assert new is not None
            copies.append((new, original, _rewrite(rng, rows[original].body_text or "")))

        start = time.perf_counter()
        banded = [find_near_duplicate(store, new, rows[o].title, text) for new, o, text in copies]
        banded_s = (time.perf_counter() - start) / len(copies)

        start = time.perf_counter()
        brute = []
        for _new, o, text in copies:
            mine = story_text(rows[o].title, text)
            scores = [(likeness(mine, story_text(r.title, r.body_text or "")), r.id) for r in rows.values()]
            best = max(scores)
            brute.append(best[1] if best[0] >= NEAR_DUPLICATE else None)
        brute_s = (time.perf_counter() - start) / len(copies)

    found_banded = [m.original_id if m else None for m in banded]
    same = sum(a == b for a, b in zip(found_banded, brute))
    right = sum(a == o for a, (_n, o, _t) in zip(found_banded, copies))
    print(f"{args.stories} stories kept, {len(copies)} rewritten copies looked up")
    print(f"MinHash bands (bantin): {banded_s * 1000:8.1f} ms per lookup, found {right}/{len(copies)} originals")
    print(f"compare with every one: {brute_s * 1000:8.1f} ms per lookup")
    print(f"ratio: bands take {banded_s / brute_s:.3f}x the time; same answer for {same}/{len(copies)}")


if __name__ == "__main__":
    main()
