"""The fetch log: every download (whole or partial) and feed fetch of a station's bulletins.

One row per response: who (account or station key), what (station, day, slot), when (UTC), which bytes
(range start, bytes sent, bytes promised, file size) and whether the response went out whole. Whether a
station has its bulletin is then a question of coverage: did the station's own fetches, put together,
deliver every byte of the file before the slot's time (a player or a podcast app fetches in pieces).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Date, DateTime, Index, Integer, String, insert, select
from sqlalchemy.orm import Mapped, mapped_column

from flows.store.schema import Base

if TYPE_CHECKING:
    from flows.store import Store


@dataclass(slots=True)
class Fetch:
    station_id: str
    kind: str  # "download" (a bulletin's MP3), "latest" (the fixed address), "feed" (the podcast feed)
    who: str  # the account's name or "khóa #<id>"
    by_station: bool  # the station itself fetched (its operator or its key), not an editor looking
    at: datetime  # UTC, when the response ended
    status: int
    bytes_sent: int
    expected_bytes: int  # what the response promised (its Content-Length)
    file_bytes: int  # the whole file's size
    complete: bool  # every promised byte went out
    day: date | None = None
    slot_id: str | None = None
    range_start: int = 0
    account_id: int | None = None
    key_id: int | None = None
    client: str = ""


class FetchRow(Base):
    __tablename__ = "fetches"
    __table_args__ = (Index("ix_fetches_station_day", "station_id", "day"), Index("ix_fetches_at", "at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[str] = mapped_column(String(100))
    day: Mapped[date | None] = mapped_column(Date, nullable=True)
    slot_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    kind: Mapped[str] = mapped_column(String(20))
    who: Mapped[str] = mapped_column(String(100))
    by_station: Mapped[bool] = mapped_column(Boolean)
    account_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    key_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    status: Mapped[int] = mapped_column(Integer)
    range_start: Mapped[int] = mapped_column(Integer, default=0)
    bytes_sent: Mapped[int] = mapped_column(Integer)
    expected_bytes: Mapped[int] = mapped_column(Integer)
    file_bytes: Mapped[int] = mapped_column(Integer)
    complete: Mapped[bool] = mapped_column(Boolean)
    client: Mapped[str] = mapped_column(String(64), default="")


_FIELDS = ("station_id", "kind", "who", "by_station", "at", "status", "bytes_sent", "expected_bytes", "file_bytes",
           "complete", "day", "slot_id", "range_start", "account_id", "key_id", "client")


def _record(row: FetchRow) -> Fetch:
    return Fetch(**{f: getattr(row, f) for f in _FIELDS})


def delivered(fetches: Iterable[Fetch]) -> list[tuple[int, int]]:
    """The byte intervals [start, end) the fetches delivered, merged (pure)."""
    spans = sorted((f.range_start, f.range_start + f.bytes_sent) for f in fetches if f.bytes_sent > 0)
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def covered_bytes(fetches: Iterable[Fetch]) -> int:
    return sum(end - start for start, end in delivered(fetches))


class FetchLog:
    def __init__(self, store: Store) -> None:
        self._session = store.session

    def record(self, fetches: Sequence[Fetch]) -> None:
        if not fetches:
            return
        with self._session() as s:
            s.execute(insert(FetchRow), [{f: getattr(x, f) for f in _FIELDS} for x in fetches])

    def of_day(self, day: date, station_id: str | None = None) -> list[Fetch]:
        """Fetches of the bulletins of one broadcast day (not feed fetches), oldest first."""
        with self._session() as s:
            q = select(FetchRow).where(FetchRow.day == day)
            if station_id is not None:
                q = q.where(FetchRow.station_id == station_id)
            return [_record(r) for r in s.scalars(q.order_by(FetchRow.id))]

    def recent(self, station_id: str | None = None, limit: int = 100) -> list[Fetch]:
        with self._session() as s:
            q = select(FetchRow)
            if station_id is not None:
                q = q.where(FetchRow.station_id == station_id)
            return [_record(r) for r in s.scalars(q.order_by(FetchRow.id.desc()).limit(limit))]


@dataclass(frozen=True)
class Delivery:
    """Whether a station got one bulletin before it had to air it (pure: computed from the log)."""

    station_id: str
    day: date
    slot_id: str
    air_time: datetime  # UTC, naive like the log
    file_bytes: int
    covered: int  # bytes of the file the station's own fetches delivered, at any time
    complete_at: datetime | None  # when those fetches first added up to the whole file (UTC)
    fetchers: tuple[str, ...]

    @property
    def state(self) -> str:
        """'on_time', 'late', 'partial' or 'none'."""
        if self.complete_at is not None:
            return "on_time" if self.complete_at <= self.air_time else "late"
        return "partial" if self.covered else "none"

    @property
    def on_time(self) -> bool:
        return self.state == "on_time"


def delivery_of(station_id: str, day: date, slot_id: str, air_time: datetime, file_bytes: int,
                fetches: Iterable[Fetch]) -> Delivery:
    """Put a bulletin's fetches by the station together, in time order, until they cover the whole file.

    Fetches of an earlier file under the same name (another size) do not count: the station does not have
    the bulletin that airs.
    """
    mine = sorted((f for f in fetches if f.by_station and f.station_id == station_id and f.day == day
                   and f.slot_id == slot_id and f.file_bytes == file_bytes and f.bytes_sent > 0),
                  key=lambda f: f.at)
    complete_at = None
    seen: list[Fetch] = []
    for f in mine:
        seen.append(f)
        if complete_at is None and covered_bytes(seen) >= file_bytes:
            complete_at = f.at
    return Delivery(station_id, day, slot_id, air_time, file_bytes, min(covered_bytes(mine), file_bytes),
                    complete_at, tuple(dict.fromkeys(f.who for f in mine)))
