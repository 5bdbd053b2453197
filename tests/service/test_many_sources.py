"""A gathering run over 2,000 feed sources completes (issue 11): `bantin gather` as a real process on its
temporary Prefect server. 2,000 sources as 2,000 tasks made that server answer 503; a step with many items now
runs as at most MAX_TASKS_PER_STEP tasks, each over a share of them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.service.helpers import bantin

SOURCES = 2000
PLACES = ["Bình Long", "Cúc Đường", "Dân Tiến", "La Hiên", "Lâu Thượng", "Liên Minh", "Nghinh Tường",
          "Phú Thượng", "Phương Giao", "Sảng Mộc", "Thần Sa", "Thượng Nung", "Tràng Xá", "Vũ Chấn"]
FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Tổ tuyên truyền số {n}</title><link>http://example.invalid/{n}</link>
<description>Tin của tổ tuyên truyền số {n}</description><language>vi</language>
<item><title>Tổ số {n} ở xã {place} họp bàn việc làm đường</title><guid isPermaLink="false">to-{n}-1</guid>
<link>http://example.invalid/{n}/1</link><pubDate>Wed, 29 Nov 2023 08:00:00 +0700</pubDate>
<description>&lt;p&gt;Tổ tuyên truyền số {n} ở xã {place} họp bàn góp {days} ngày công làm đường liên xóm.&lt;/p&gt;</description>
</item></channel></rss>
"""


def test_a_gathering_run_over_two_thousand_feed_sources_completes(content_dir: Path) -> None:
    folder = content_dir / "samples" / "to-tuyen-truyen"
    folder.mkdir()
    blocks = []
    for n in range(SOURCES):
        (folder / f"to-{n:04d}.xml").write_text(
            FEED.format(n=n, place=PLACES[n % len(PLACES)], days=n + 10), encoding="utf-8")
        blocks.append(f'\n[[source]]\nid = "to-{n:04d}"\nname = "Tổ tuyên truyền số {n}"\nkind = "feed"\n'
                      f'location = "samples/to-tuyen-truyen/to-{n:04d}.xml"\naudience = ["district"]\n'
                      f'trusted = false\n')
    with open(content_dir / "sources.toml", "a", encoding="utf-8") as fh:
        fh.write("".join(blocks))

    done = bantin("gather", "--content", str(content_dir), timeout=3000)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    with sqlite3.connect(content_dir.parent / "data" / "bantin.sqlite3") as db:
        gathered = db.execute("SELECT count(*) FROM stories WHERE source_id LIKE 'to-%'").fetchone()[0]
        kept = {row[0] for row in db.execute("SELECT source_id FROM stories WHERE source_id LIKE 'to-%'")}
    assert gathered == SOURCES and len(kept) == SOURCES  # one story from every source, none twice
    assert "Tổ tuyên truyền số 1999" in done.stdout  # the summary has a line for every source, the last too

