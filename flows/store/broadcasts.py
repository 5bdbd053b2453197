"""Broadcasts: which story each station's bulletin of a slot and day carried."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select, update

from flows.store.base import StoreBase, move, now
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
        added = 0
        with self.session() as s:
            for story_id, engine in sorted(items):  # one order for every station: PostgreSQL row locks never cross
                # Take the write lock on the story first (a no-op update): stations are built in parallel, and
                # two that read "not aired today" before either wrote would both add the day's history line.
                s.execute(update(StoryRow).where(StoryRow.id == story_id).values(id=StoryRow.id))
                aired_that_day = set(s.execute(select(BroadcastRow.station_id, BroadcastRow.slot_id).where(
                    BroadcastRow.story_id == story_id, BroadcastRow.day == day)).all())
                if (station_id, slot_id) in aired_that_day:
                    continue
                s.add(BroadcastRow(story_id=story_id, station_id=station_id, day=day, slot_id=slot_id,
                                   bulletin_path=bulletin_path, engine=engine, at=now()))
                row = s.get_one(StoryRow, story_id)
                # The history gets one line per day on air; the broadcasts table keeps every station and slot.
                if not aired_that_day:
                    move(s, row, Action.BROADCAST, f"Lên sóng ngày {day:%d/%m/%Y}")
                added += 1
        return added
