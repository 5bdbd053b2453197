"""A store the report tests fill with known stories, publications, broadcasts and manifests (SQLite and PostgreSQL),
and helpers that read the report back the way an official's tools would (bs4 for the page, openpyxl)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from flows.content import Newsroom
from flows.models import Priority, Source, SubmittedStory
from flows.store import Normalised, Publication, Store

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "report"


@dataclass
class Filled:
    newsroom: Newsroom
    store: Store
    ids: dict[str, int]


SOURCE = Source(id="phong-vhtt", name="Phòng Văn hóa và Thông tin", kind="feed", location="x")


def add_story(store: Store, name: str, dated: datetime, *, unit: str = "", kind: str = "news",
              movements: tuple[str, ...] = (), communes: tuple[str, ...] = (), approve: bool = True,
              duplicate_of: int | None = None, link: str = "") -> int:
    story_id = store.add_submission(SubmittedStory(source_id=SOURCE.id, external_id=name, title=f"Bài {name}",
                                                   body="<p>Nội dung</p>", published_at=dated, link=link,
                                                   priority=Priority.EMERGENCY if kind == "emergency" else
                                                   Priority.NORMAL), SOURCE)
    assert story_id is not None
    store.save_normalised(story_id, Normalised(
        title=f"Bài {name}", slug=f"bai-{name}", body_html="<p>x</p>", body_text=f"x {name}", spoken_text="x",
        fingerprint=f"fp-{name}", movements=list(movements), communes=list(communes), audience=["district"],
        warnings=[], kind=kind, unit=unit), duplicate_of=duplicate_of, approve=approve and duplicate_of is None)
    return story_id


def air(store: Store, audio_out: Path, station: str, day: date, slot: str, items: dict[int, float] | list[int],
        manifest: bool = True, slot_time: str = "06:00") -> None:
    """A bulletin that carried these stories (with each item's seconds in its manifest, unless there is none)."""
    folder = audio_out / station / day.isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slot}.mp3"
    ids = list(items)
    store.record_broadcast(station, day, slot, str(path), [(i, "espeak") for i in ids])
    if manifest and isinstance(items, dict):
        data = {"slot": {"id": slot, "time": slot_time}, "bytes": 1000, "date": day.isoformat(),
                "duration_seconds": sum(items.values()) + 10.0,
                "items": [{"story_id": i, "duration_seconds": s} for i, s in items.items()]}
        path.with_suffix(".json").write_text(json.dumps(data), encoding="utf-8")


def fill_known(newsroom: Newsroom, store: Store) -> dict[str, int]:
    """The known newsroom of 2023 the expectations in test_report.py are written against."""
    out = newsroom.settings.audio.output
    ids = {}
    ids["s1"] = add_story(store, "s1", datetime(2023, 3, 10, 8), unit="phong-vhtt", kind="model",
                          movements=("nong-thon-moi", "ky-niem-75-nam"), communes=("la-hien",), link="http://nguon/s1")
    ids["s2"] = add_story(store, "s2", datetime(2023, 3, 20), unit="hoi-nong-dan", movements=("nong-thon-moi",))
    ids["s3"] = add_story(store, "s3", datetime(2023, 6, 11, 23, 30), unit="ubnd-than-sa", kind="example",
                          movements=("ky-niem-75-nam",), communes=("than-sa",), link="http://nguon/s3")
    ids["s4"] = add_story(store, "s4", datetime(2023, 7, 1), communes=("than-sa",), approve=False)
    ids["s5"] = add_story(store, "s5", datetime(2023, 7, 2), unit="hoi-nong-dan", movements=("nong-thon-moi",),
                          duplicate_of=ids["s2"])
    ids["s6"] = add_story(store, "s6", datetime(2022, 12, 31), unit="phong-vhtt", movements=("nong-thon-moi",))
    ids["s7"] = add_story(store, "s7", datetime(2024, 1, 1), unit="phong-vhtt", movements=("nong-thon-moi",))
    ids["s8"] = add_story(store, "s8", datetime(2023, 8, 1, 9), kind="emergency")
    store.record_publications("static", [
        Publication(ids["s1"], "static", "", "http://cong/s1.html", "h1"),
        Publication(ids["s2"], "static", "", "http://cong/s2.html", "h2")], [], "cổng thông tin")
    air(store, out, "vo-nhai", date(2023, 1, 2), "sang", {ids["s6"]: 30.0})
    air(store, out, "vo-nhai", date(2023, 3, 11), "sang", {ids["s1"]: 60.0})
    air(store, out, "la-hien", date(2023, 3, 11), "sang", {ids["s1"]: 60.0})
    air(store, out, "vo-nhai", date(2023, 6, 12), "sang", {ids["s3"]: 90.5})
    air(store, out, "la-hien", date(2023, 6, 12), "sang", [ids["s3"]], manifest=False)
    air(store, out, "vo-nhai", date(2023, 8, 1), "khan-cap-0900", {ids["s8"]: 20.0}, slot_time="09:00")
    air(store, out, "vo-nhai", date(2024, 1, 2), "sang", {ids["s7"]: 40.0})  # after the period
    fetched(store)
    return ids


def fetched(store: Store) -> None:
    """What the stations fetched (the fetch log of bantin serve; times in UTC, the district is UTC+7)."""
    from flows.store.fetches import Fetch, FetchLog

    def fetch(station: str, day: date, slot: str, at: datetime, start: int, sent: int, by_station: bool = True) -> Fetch:
        return Fetch(station_id=station, kind="download", who="van-hanh" if by_station else "bien-tap",
                     by_station=by_station, at=at, status=206 if sent < 1000 else 200, bytes_sent=sent,
                     expected_bytes=sent, file_bytes=1000, complete=True, day=day, slot_id=slot, range_start=start)

    FetchLog(store).record([
        fetch("vo-nhai", date(2023, 1, 2), "sang", datetime(2023, 1, 1, 20), 0, 1000, by_station=False),  # an editor
        fetch("vo-nhai", date(2023, 3, 11), "sang", datetime(2023, 3, 10, 22), 0, 1000),  # 05:00, before 06:00
        fetch("la-hien", date(2023, 3, 11), "sang", datetime(2023, 3, 11, 1), 0, 1000),  # 08:00: late
        fetch("vo-nhai", date(2023, 6, 12), "sang", datetime(2023, 6, 11, 20), 0, 400),  # only part of it
        fetch("vo-nhai", date(2023, 8, 1), "khan-cap-0900", datetime(2023, 8, 1, 1), 0, 500),  # in two pieces,
        fetch("vo-nhai", date(2023, 8, 1), "khan-cap-0900", datetime(2023, 8, 1, 1, 30), 500, 500),  # before 09:00
    ])


@pytest.fixture(params=["sqlite", "postgresql"])
def filled(request: pytest.FixtureRequest, content_dir: Path) -> Iterator[Filled]:
    """The known newsroom in a fresh store on SQLite or on the session's PostgreSQL server."""
    newsroom = Newsroom.load(content_dir)
    if request.param == "sqlite":
        url = newsroom.settings.store.url
    else:
        url = request.getfixturevalue("postgres_url")
    store = Store(url)
    store.migrate()
    ids = fill_known(newsroom, store)
    yield Filled(newsroom, store, ids)
    store.engine.dispose()


def vn_number(text: str) -> float:
    """'1.234,5' -> 1234.5 (the page's Vietnamese format read back)."""
    text = text.strip().rstrip("%")
    assert text, "empty cell where a number was expected"
    return float(text.replace(".", "").replace(",", "."))


def page_tables(html: str) -> dict[str, dict[str, Any]]:
    """Every table of the page: its header, its rows (without the order number) and its "Cộng" row."""
    soup = BeautifulSoup(html, "html.parser")
    out = {}
    for table in soup.select("table.so-lieu"):
        head = [th.get_text(" ", strip=True) for th in table.select("thead th")][1:]
        rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")][1:]
                for tr in table.select("tbody tr") if "trong" not in (tr.get("class") or [])]
        foot = [[td.get_text(" ", strip=True) for td in tr.find_all("td")][1:] for tr in table.select("tfoot tr")]
        out[table["data-table"]] = {"head": head, "rows": rows, "total": foot[0] if foot else None}
    return out


def row_of(table: dict[str, Any], first_cell: str) -> list[str]:
    found = [r for r in table["rows"] if r[0] == first_cell]
    assert len(found) == 1, (first_cell, [r[0] for r in table["rows"]])
    return found[0]
