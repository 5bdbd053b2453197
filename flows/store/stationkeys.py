"""Station keys: the secret in a station's podcast feed and fixed addresses, for machines that fetch alone.

One live key per station at a time. An editor revokes a key that leaked and issues a new one; the old
addresses stop working at once. Keys are kept as issued (editors and the station's operator need to see the
address again), so the store is as secret as the keys it holds.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import DateTime, Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column

from flows.errors import NotFoundError
from flows.store.accounts import utcnow
from flows.store.schema import Base

if TYPE_CHECKING:
    from flows.store import Store


@dataclass(frozen=True)
class StationKey:
    id: int
    station_id: str
    secret: str
    issued_at: datetime
    issued_by: str
    revoked_at: datetime | None

    @property
    def live(self) -> bool:
        return self.revoked_at is None


class StationKeyRow(Base):
    __tablename__ = "station_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[str] = mapped_column(String(100), index=True)
    secret: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime] = mapped_column(DateTime)
    issued_by: Mapped[str] = mapped_column(String(100), default="")
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    revoked_by: Mapped[str] = mapped_column(String(100), default="")


def _record(row: StationKeyRow) -> StationKey:
    return StationKey(row.id, row.station_id, row.secret, row.issued_at, row.issued_by, row.revoked_at)


class StationKeys:
    def __init__(self, store: Store) -> None:
        self._session = store.session

    def live(self, station_id: str) -> StationKey | None:
        with self._session() as s:
            row = s.scalar(select(StationKeyRow).where(StationKeyRow.station_id == station_id,
                                                       StationKeyRow.revoked_at.is_(None))
                           .order_by(StationKeyRow.id.desc()).limit(1))
            return _record(row) if row is not None else None

    def ever_issued(self, station_id: str) -> bool:
        with self._session() as s:
            return s.scalar(select(StationKeyRow.id).where(StationKeyRow.station_id == station_id).limit(1)) is not None

    def first_key(self, station_id: str, actor: str = "bantin") -> StationKey | None:
        """The station's live key; a station that never had one gets its first. A revoked key is not replaced."""
        key = self.live(station_id)
        if key is None and not self.ever_issued(station_id):
            key = self.issue(station_id, actor)
        return key

    def issue(self, station_id: str, actor: str) -> StationKey:
        """A new key for the station; the one before it (if any) is revoked in the same step."""
        now = utcnow()
        with self._session() as s:
            for old in s.scalars(select(StationKeyRow).where(StationKeyRow.station_id == station_id,
                                                             StationKeyRow.revoked_at.is_(None))):
                old.revoked_at, old.revoked_by = now, actor
            row = StationKeyRow(station_id=station_id, secret=secrets.token_urlsafe(24), issued_at=now,
                                issued_by=actor)
            s.add(row)
            s.flush()
            return _record(row)

    def revoke(self, station_id: str, actor: str) -> int:
        """Revoke the station's live key without a new one; returns how many keys were revoked."""
        now = utcnow()
        with self._session() as s:
            rows = list(s.scalars(select(StationKeyRow).where(StationKeyRow.station_id == station_id,
                                                              StationKeyRow.revoked_at.is_(None))))
            for row in rows:
                row.revoked_at, row.revoked_by = now, actor
            if not rows:
                raise NotFoundError(f"Đài {station_id} không có khóa nào đang dùng.")
            return len(rows)

    def check(self, station_id: str, secret: str) -> StationKey | None:
        """The live key if `secret` is it (compared in constant time), else None."""
        key = self.live(station_id)
        if key is None or not secret or not hmac.compare_digest(key.secret.encode(), secret.encode("utf-8", "replace")):
            return None
        return key

    def find(self, secret: str) -> StationKey | None:
        """The live key with this secret, whatever its station (the API's Bearer authentication)."""
        if not secret or len(secret) > 64:
            return None
        with self._session() as s:
            row = s.scalar(select(StationKeyRow).where(StationKeyRow.secret == secret,
                                                       StationKeyRow.revoked_at.is_(None)))
            if row is None or not hmac.compare_digest(row.secret.encode(), secret.encode("utf-8", "replace")):
                return None
            return _record(row)
