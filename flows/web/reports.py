"""The newsroom's view of the stations: did each station get today's bulletins before their slot time?

For editors and the Home Affairs office (viewers); an operator never sees other stations.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timezone
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from flows.audio.archive import ArchivedBulletin, parse_day
from flows.models import Station
from flows.store.accounts import Account, Role
from flows.store.fetches import Delivery, delivery_of
from flows.web.auth import role_in
from flows.web.pages import page
from flows.web.service import Service, service

router = APIRouter(include_in_schema=False)
Readers = Annotated[Account, Depends(role_in(Role.EDITOR, Role.VIEWER, Role.ADMIN))]

STATE_VI = {"on_time": "đã nhận đủ trước giờ phát", "late": "nhận đủ nhưng sau giờ phát",
            "partial": "mới nhận một phần", "none": "chưa nhận"}


@dataclass(frozen=True)
class StationDay:
    station: Station
    bulletins: list[tuple[ArchivedBulletin, Delivery]]

    @property
    def all_on_time(self) -> bool:
        return bool(self.bulletins) and all(d.on_time for _, d in self.bulletins)


def station_days(svc: Service, day: date) -> list[StationDay]:
    """Every station's bulletins of `day` with what the fetch log says about each (the library's report)."""
    fetches = svc.fetch_log.of_day(day)
    out = []
    for station in svc.stations:
        rows = []
        for b in svc.archive.bulletins_of_day(station.id, day):
            size = b.audio_bytes if b.audio_bytes is not None else int(b.manifest.get("bytes") or 0)
            air = b.air_time(svc.settings.district.timezone).astimezone(timezone.utc).replace(tzinfo=None)
            rows.append((b, delivery_of(station.id, day, b.slot_id, air, size, fetches)))
        out.append(StationDay(station, rows))
    return out


def day_param(value: str | None, svc: Service) -> date:
    return parse_day(value) if value else svc.today()


@router.get("/bao-cao/nhan-tin")
def fetch_report(request: Request, account: Readers,
                 ngay: Annotated[str | None, Query(max_length=10)] = None) -> Response:
    svc = service(request)
    day = day_param(ngay, svc)
    days = station_days(svc, day)
    missing = [sd for sd in days if sd.bulletins and not sd.all_on_time]
    without = [sd for sd in days if not sd.bulletins]
    return page(request, "report.html", {"day": day, "days": days, "missing": missing, "without": without,
                                         "states": STATE_VI, "now": svc.now(), "today": svc.today()})
