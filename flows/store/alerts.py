"""Alerts: what the newsroom was told about, so each problem is told once.

Telling is claimed first (a row with a unique key), then marked sent; a claim whose sender died is taken
over after a while, and a send that failed gives its claim back so the next pass tries again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Date, DateTime, Integer, String, Text, UniqueConstraint, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from flows.store.base import StoreBase, now
from flows.store.schema import Base

STALE_CLAIM = timedelta(minutes=10)


class AlertRow(Base):
    __tablename__ = "alerts"
    __table_args__ = (UniqueConstraint("key", name="uq_alert_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(30))
    station_id: Mapped[str] = mapped_column(String(100), default="")
    day: Mapped[date | None] = mapped_column(Date, nullable=True)
    message: Mapped[str] = mapped_column(Text)
    claimed_at: Mapped[datetime] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    channels: Mapped[str] = mapped_column(Text, default="")


@dataclass(frozen=True)
class SentAlert:
    key: str
    kind: str
    station_id: str
    day: date | None
    message: str
    sent_at: datetime | None
    channels: str


class AlertQueries(StoreBase):
    def claim_alert(self, key: str, kind: str, station_id: str, day: date | None, message: str) -> bool:
        """True when this caller is the one to tell the newsroom about `key` now."""
        try:
            with self.session() as s:
                s.add(AlertRow(key=key, kind=kind, station_id=station_id, day=day, message=message,
                               claimed_at=now()))
            return True
        except IntegrityError:
            pass
        with self.session() as s:  # told already, or being told; a claim left by a dead sender is taken over
            taken = s.execute(update(AlertRow).where(AlertRow.key == key, AlertRow.sent_at.is_(None),
                                                     AlertRow.claimed_at < now() - STALE_CLAIM)
                              .values(claimed_at=now()))
            return bool(taken.rowcount)  # type: ignore[attr-defined]

    def alert_sent(self, key: str, channels: list[str]) -> None:
        with self.session() as s:
            s.execute(update(AlertRow).where(AlertRow.key == key).values(sent_at=now(), channels=",".join(channels)))

    def release_alert(self, key: str) -> None:
        """Nobody could be told: forget the claim so the next pass tries again."""
        with self.session() as s:
            s.execute(delete(AlertRow).where(AlertRow.key == key, AlertRow.sent_at.is_(None)))

    def sent_alerts(self) -> list[SentAlert]:
        with self.session() as s:
            return [SentAlert(r.key, r.kind, r.station_id, r.day, r.message, r.sent_at, r.channels)
                    for r in s.scalars(select(AlertRow).where(AlertRow.sent_at.is_not(None)).order_by(AlertRow.id))]
