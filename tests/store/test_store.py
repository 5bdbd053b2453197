"""The story store on a real SQLite file, migrated by Alembic: history kept, nothing lost or doubled."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import inspect

from flows.models import DISTRICT, Source, StoryState, SubmittedStory
from flows.errors import ConflictError, NotFoundError
from flows.store import Normalised, Publication, Store

SOURCE = Source(id="s", name="Phòng Văn hóa", kind="feed", location="x", audience=(DISTRICT,), trusted=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """The same tests on the default SQLite file and on a real PostgreSQL server."""
    if request.param == "sqlite":
        s = Store(f"sqlite:///{tmp_path}/deep/bantin.sqlite3")
    else:
        s = Store(request.getfixturevalue("postgres_url"))
    s.migrate()
    yield s
    s.engine.dispose()


def _story(ext: str = "1") -> SubmittedStory:
    return SubmittedStory(source_id="s", external_id=ext, title="Tin", body="<p>Nội dung</p>")


def test_migration_creates_every_table_and_is_repeatable(store: Store) -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from flows.store.db import MIGRATIONS

    store.migrate()
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    heads = ScriptDirectory.from_config(cfg).get_heads()
    assert len(heads) == 1 and store.revision() == heads[0]  # one linear chain, applied to its end
    assert {"stories", "story_events", "broadcasts", "source_runs", "publications", "store_meta", "story_revisions", "source_state",
            "story_credits", "story_bands", "story_tags", "alerts"} <= set(inspect(store.engine).get_table_names())


def test_same_item_twice_is_kept_once_with_source_defaults(store: Store) -> None:
    first = store.add_submission(_story(), SOURCE)
    assert first is not None and store.add_submission(_story(), SOURCE) is None
    row = store.story(first)
    assert row is not None and row.audience == (DISTRICT,) and row.author == "Phòng Văn hóa"
    assert [e.state for e in row.events] == ["submitted"]


def _normalise(store: Store, story_id: int, fp: str = "f", approve: bool = False, dup: int | None = None) -> None:
    ready = Normalised(title="Tin", slug=f"slug-{story_id}", body_html="<p>x</p>", body_text="x", spoken_text="x",
                       fingerprint=fp, movements=[], communes=[], audience=[DISTRICT], warnings=[])
    store.save_normalised(story_id, ready, duplicate_of=dup, approve=approve)


def _placed(story_id: int) -> Publication:
    return Publication(story_id, "static", f"slug-{story_id}", f"/bai/slug-{story_id}/", "h")


def test_history_through_every_state(store: Store) -> None:
    sid = store.add_submission(_story(), SOURCE)
    assert sid is not None
    _normalise(store, sid)
    store.approve(sid, "chị Lan")
    assert store.record_publications("static", [_placed(sid)], [], "cổng thông tin") == [sid]
    store.record_broadcast("vo-nhai", date(2026, 11, 25), "sang", "/a.mp3", [(sid, "espeak")])
    row = store.story(sid)
    assert row is not None
    assert [e.state for e in row.events] == ["submitted", "normalised", "approved", "published", "broadcast"]
    assert row.events[2].actor == "chị Lan" and row.state == StoryState.BROADCAST.value
    assert store.record_publications("static", [_placed(sid)], [], "cổng") == []  # published once only
    assert [e.state for e in store.story(sid).events][-1] == "broadcast"
    assert store.record_broadcast("vo-nhai", date(2026, 11, 25), "sang", "/a.mp3", [(sid, "espeak")]) == 0


def test_stations_finishing_together_write_one_line_of_history_per_day(store: Store) -> None:
    """Bulletins are built in parallel: two stations recording the same story at the same moment must not
    both add the day's "broadcast" line (the emergency test caught this one in two runs)."""
    import threading
    from datetime import timedelta

    sid = store.add_submission(_story(), SOURCE)
    assert sid is not None
    _normalise(store, sid, approve=True)
    first = date(2026, 1, 1)
    for offset in range(6):
        day = first + timedelta(days=offset)
        start = threading.Barrier(3)

        def air(station: str, day: date = day, start: threading.Barrier = start) -> None:
            start.wait()
            store.record_broadcast(station, day, "sang", f"/{station}.mp3", [(sid, "espeak")])

        threads = [threading.Thread(target=air, args=(station,)) for station in ("vo-nhai", "than-sa", "la-hien")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    row = store.story(sid)
    assert row is not None
    assert [e.state for e in row.events].count("broadcast") == 6
    assert len(store.broadcasts_of(sid)) == 18  # every station and slot is still kept


def test_a_nights_bulletins_are_recorded_in_one_call_each_line_once(store: Store) -> None:
    """A night's bulletins are recorded together (one transaction): a line already recorded is not added again,
    and each story gets one line of history for the day however many stations and slots carried it."""
    a, b = (store.add_submission(_story(ext), SOURCE) for ext in ("a", "b"))
    assert a is not None and b is not None
    _normalise(store, a, fp="fa", approve=True)
    _normalise(store, b, fp="fb", approve=True)
    day = date(2026, 1, 2)
    assert store.record_broadcast("vo-nhai", day, "sang", "/v.mp3", [(a, "espeak")]) == 1
    added = store.record_broadcasts(day, [("vo-nhai", "sang", "/v.mp3", [(a, "espeak")]),
                                          ("than-sa", "sang", "/t.mp3", [(b, "espeak"), (a, "gtts")]),
                                          ("than-sa", "chieu", "/t2.mp3", [(b, "espeak")])])
    assert added == 3
    assert store.broadcasts_of(a) == [(day, "than-sa", "sang"), (day, "vo-nhai", "sang")]
    assert store.broadcasts_of(b) == [(day, "than-sa", "chieu"), (day, "than-sa", "sang")]
    for sid in (a, b):
        row = store.story(sid)
        assert row is not None and [e.state for e in row.events].count("broadcast") == 1
    assert store.record_broadcasts(day, []) == 0


def test_illegal_transition_says_why(store: Store) -> None:
    sid = store.add_submission(_story(), SOURCE)
    assert sid is not None
    with pytest.raises(ConflictError, match="đã gửi"):
        store.approve(sid, "x")
    with pytest.raises(NotFoundError, match="Không có bài số 999"):
        store.approve(999, "x")


def test_failed_item_is_kept_with_reason(store: Store) -> None:
    sid = store.add_failed_submission(SOURCE, "bad.docx", "bad.docx", "", "định dạng chưa hỗ trợ")
    row = store.story(sid)  # type: ignore[arg-type]
    assert row is not None and row.state == "failed" and row.failure == "định dạng chưa hỗ trợ"


def test_duplicates_point_to_the_first_copy(store: Store) -> None:
    a = store.add_submission(_story("a"), SOURCE)
    b = store.add_submission(_story("b"), SOURCE)
    assert a and b
    _normalise(store, a, fp="same", approve=True)
    original = store.find_by_fingerprint("same", excluding=b)
    assert original is not None and original.id == a
    _normalise(store, b, fp="same", dup=a)
    assert store.story(b).state == "rejected"  # type: ignore[union-attr]
    assert store.find_by_fingerprint("same", excluding=999).id == a  # type: ignore[union-attr]


def test_aired_before_is_per_station_and_day(store: Store) -> None:
    sid = store.add_submission(_story(), SOURCE)
    assert sid
    _normalise(store, sid, approve=True)
    store.record_broadcast("than-sa", date(2026, 1, 1), "sang", "/x.mp3", [(sid, "espeak")])
    assert store.aired_before("than-sa", date(2026, 1, 2)) == {sid}
    assert store.aired_before("than-sa", date(2026, 1, 1)) == set()
    assert store.aired_before("la-hien", date(2026, 1, 2)) == set()
