"""Broadcasts: which story each station's bulletin of a slot and day carried."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select

from flows.store.base import StoreBase, move, now
from flows.store.schema import BroadcastRow, StoryRow
from flows.store.transitions import Action


class BroadcastQueries(StoreBase):
    def aired_before(self, station_id: str, day: date) -> set[int]:
        """Stories this station already carried in a bulletin of an earlier day."""
        with self.session() as s:
            return set(s.scalars(select(BroadcastRow.story_id).where(
                BroadcastRow.station_id == station_id, BroadcastRow.day < day)))

    def record_broadcast(self, station_id: str, day: date, slot_id: str, bulletin_path: str,
                         items: Sequence[tuple[int, str]]) -> int:
        """Note that a bulletin carries these (story id, engine) items; returns how many were new."""
        added = 0
        with self.session() as s:
            for story_id, engine in items:
                exists = s.scalar(select(BroadcastRow.id).where(
                    BroadcastRow.story_id == story_id, BroadcastRow.station_id == station_id,
                    BroadcastRow.day == day, BroadcastRow.slot_id == slot_id))
                if exists is not None:
                    continue
                s.add(BroadcastRow(story_id=story_id, station_id=station_id, day=day, slot_id=slot_id,
                                   bulletin_path=bulletin_path, engine=engine, at=now()))
                row = s.get_one(StoryRow, story_id)
                # The story's history gets one line per bulletin day, not one per station and slot.
                move(s, row, Action.BROADCAST, f"Phát trên {station_id}, {slot_id} ngày {day:%d/%m/%Y}")
                added += 1
        return added
