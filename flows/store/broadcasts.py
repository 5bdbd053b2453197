"""Broadcasts: which story each station's bulletin of a slot and day carried."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, insert, select, update

from flows.store.base import StoreBase, in_chunks, move, now
from flows.store.schema import BroadcastRow, StoryRow
from flows.store.transitions import Action


class BroadcastQueries(StoreBase):
    def airings(self, station_id: str, before: date) -> Counter[int]:
        """How many bulletins of this station carried each story on days before `before` (for fair rotation)."""
        with self.session() as s:
            rows = s.execute(select(BroadcastRow.story_id, func.count()).where(
                BroadcastRow.station_id == station_id, BroadcastRow.day < before).group_by(BroadcastRow.story_id))
            return Counter({story_id: n for story_id, n in rows})

    def aired_before(self, station_id: str, day: date) -> set[int]:
        """Stories this station already carried in a bulletin of an earlier day."""
        return set(self.airings(station_id, day))

    def broadcasts_of(self, story_id: int) -> list[tuple[date, str, str]]:
        """(day, station, slot) of every bulletin that carried a story."""
        with self.session() as s:
            return [(r.day, r.station_id, r.slot_id) for r in s.scalars(
                select(BroadcastRow).where(BroadcastRow.story_id == story_id)
                .order_by(BroadcastRow.day, BroadcastRow.station_id, BroadcastRow.slot_id))]

    def record_broadcast(self, station_id: str, day: date, slot_id: str, bulletin_path: str,
                         items: Sequence[tuple[int, str]]) -> int:
        """Note that a bulletin carries these (story id, engine) items; returns how many were new."""
        return self.record_broadcasts(day, [(station_id, slot_id, bulletin_path, items)])

    def record_broadcasts(self, day: date, bulletins: Sequence[tuple[str, str, str, Sequence[tuple[int, str]]]]) -> int:
        """Note what each (station, slot, bulletin path, (story id, engine) items) of `day` carried, in one
        transaction: a province's night is hundreds of bulletins, and a commit each cost the run more than
        assembling them. Returns how many (story, station, slot) lines were new."""
        lines = sorted((story_id, station_id, slot_id, path, engine)
                       for station_id, slot_id, path, items in bulletins for story_id, engine in items)
        ids = sorted({line[0] for line in lines})
        with self.session() as s:
            # Take the write lock on each story first, in id order (a no-op update: PostgreSQL row locks never
            # cross, and SQLite's write lock is held from here): two runs that read "not aired today" before
            # either wrote would both add the day's history line.
            for story_id in ids:
                s.execute(update(StoryRow).where(StoryRow.id == story_id).values(id=StoryRow.id))
            aired: dict[int, set[tuple[str, str]]] = {story_id: set() for story_id in ids}
            stories: dict[int, StoryRow] = {}
            for chunk in in_chunks(ids):
                for story_id, station_id, slot_id in s.execute(select(
                        BroadcastRow.story_id, BroadcastRow.station_id, BroadcastRow.slot_id).where(
                        BroadcastRow.story_id.in_(chunk), BroadcastRow.day == day)):
                    aired[story_id].add((station_id, slot_id))
                stories.update((row.id, row) for row in s.scalars(select(StoryRow).where(StoryRow.id.in_(chunk))))
            new: list[dict[str, object]] = []
            for story_id, station_id, slot_id, path, engine in lines:
                if (station_id, slot_id) in aired[story_id]:
                    continue
                new.append({"story_id": story_id, "station_id": station_id, "day": day, "slot_id": slot_id,
                            "bulletin_path": path, "engine": engine, "at": now()})
                # The history gets one line per day on air; the broadcasts table keeps every station and slot.
                if not aired[story_id]:
                    move(s, stories[story_id], Action.BROADCAST, f"Lên sóng ngày {day:%d/%m/%Y}")
                aired[story_id].add((station_id, slot_id))
            if new:  # one executemany: a night is tens of thousands of lines (200 stations, 500 stories: 21,000)
                s.execute(insert(BroadcastRow), new)
        return len(new)
