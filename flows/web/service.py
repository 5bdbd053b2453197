"""What every router of the app shares: the newsroom, the store, the bulletin archive, the fetch log."""

from __future__ import annotations

import hmac
import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from fastapi import Request

from flows.audio.archive import BulletinArchive
from flows.content import Newsroom
from flows.errors import NotFoundError
from flows.models import Station
from flows.settings import Settings
from flows.store import Store
from flows.store.accounts import Accounts
from flows.store.fetches import FetchLog
from flows.store.stationkeys import StationKey, StationKeys
from flows.web.fetchlog import FetchRecorder
from flows.web.security import load_secret_key


@dataclass
class Service:
    newsroom: Newsroom
    store: Store
    archive: BulletinArchive
    accounts: Accounts
    keys: StationKeys
    fetch_log: FetchLog
    recorder: FetchRecorder
    secret: bytes
    _keys: dict[str, tuple[float, StationKey | None]] = field(default_factory=dict)
    _keys_lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def open(cls, newsroom: Newsroom, store: Store) -> "Service":
        settings = newsroom.settings
        fetch_log = FetchLog(store)
        return cls(newsroom=newsroom, store=store,
                   archive=BulletinArchive(settings.audio.output, [s.id for s in newsroom.stations]),
                   accounts=Accounts(store), keys=StationKeys(store), fetch_log=fetch_log,
                   recorder=FetchRecorder(fetch_log), secret=load_secret_key(settings.web.secret_key_file))

    @property
    def settings(self) -> Settings:
        return self.newsroom.settings

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.settings.district.timezone)

    def now(self) -> datetime:
        return datetime.now(self.tz)

    def today(self) -> date:
        return self.now().date()

    def station(self, station_id: str) -> Station:
        for s in self.newsroom.stations:
            if s.id == station_id:
                return s
        raise NotFoundError(f"Không có đài '{station_id[:60]}'.")

    @property
    def stations(self) -> list[Station]:
        return self.newsroom.stations

    # -- station keys, asked on every machine fetch ---------------------------------------------------------
    def cached_key(self, station_id: str) -> tuple[bool, StationKey | None]:
        """(known, key) from memory. A key changed through this process is forgotten at once; one changed by
        another process (a second worker) is seen within KEY_MEMORY_SECONDS."""
        with self._keys_lock:
            found = self._keys.get(station_id)
        if found is None or found[0] < time.monotonic():
            return False, None
        return True, found[1]

    def remember_key(self, station_id: str, key: StationKey | None) -> None:
        with self._keys_lock:
            self._keys[station_id] = (time.monotonic() + KEY_MEMORY_SECONDS, key)

    def forget_key(self, station_id: str) -> None:
        with self._keys_lock:
            self._keys.pop(station_id, None)

    def live_key(self, station_id: str) -> StationKey | None:
        known, key = self.cached_key(station_id)
        if not known:
            key = self.keys.live(station_id)
            self.remember_key(station_id, key)
        return key


KEY_MEMORY_SECONDS = 5.0


def matches(key: StationKey | None, secret: str) -> bool:
    return key is not None and bool(secret) and hmac.compare_digest(key.secret.encode(),
                                                                    secret.encode("utf-8", "replace"))


def service(request: Request) -> Service:
    return request.app.state.service  # type: ignore[no-any-return]
