"""The stations' downloads: how many of its bulletins each station fetched, and whether before the slot.

The fetch log is kept by `bantin serve` (the stations' service, flows/store/fetches.py). A district that hands
out its files another way has no fetch of the period's bulletins in it: the report then says "no data" rather
than that no station got anything.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from flows.content import Newsroom
from flows.store import Store
from flows.store.fetches import FetchLog, delivery_of
from flows.yearend.airtime import BulletinSheet


@dataclass(frozen=True)
class StationDownloads:
    station_id: str
    bulletins: int  # bulletins of the period the station had to air
    fetched: int  # of which the station's own fetches delivered the whole file
    on_time: int  # ... before the slot's time
    late: int
    partial: int
    none: int


def station_downloads(newsroom: Newsroom, store: Store,
                      sheets: Iterable[BulletinSheet]) -> dict[str, StationDownloads] | None:
    """Per station, what the fetch log says about the period's bulletins; None when there is no fetch log."""
    log = FetchLog(store)
    zone = ZoneInfo(newsroom.settings.district.timezone)
    slot_times = {(s.id, slot.id): slot.time for s in newsroom.stations for slot in s.slots}
    by_day: dict[date, list[BulletinSheet]] = defaultdict(list)
    for sheet in sheets:
        by_day[sheet.day].append(sheet)
    tally: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    logged = 0
    for day, day_sheets in sorted(by_day.items()):
        fetches = log.of_day(day)
        logged += len(fetches)
        for sheet in day_sheets:
            counts = tally[sheet.station_id]
            counts["bulletins"] += 1
            when = sheet.slot_time or slot_times.get((sheet.station_id, sheet.slot_id), "")
            if not sheet.found or not when:  # no manifest: neither the file's size nor its time is known
                counts["none"] += 1
                continue
            air = datetime.combine(day, time.fromisoformat(when), zone).astimezone(timezone.utc).replace(tzinfo=None)
            state = delivery_of(sheet.station_id, day, sheet.slot_id, air, sheet.bytes, fetches).state
            counts[state] += 1
    if not logged:
        return None
    return {sid: StationDownloads(sid, c["bulletins"], c["on_time"] + c["late"], c["on_time"], c["late"],
                                  c["partial"], c["none"]) for sid, c in tally.items()}
