"""What every router of the app shares: the newsroom, the store, the bulletin archive, the fetch log."""

from __future__ import annotations

from dataclasses import dataclass
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
from flows.store.stationkeys import StationKeys
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


def service(request: Request) -> Service:
    return request.app.state.service  # type: ignore[no-any-return]
