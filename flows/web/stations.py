"""Operators' pages: a station's bulletins by day and slot, one bulletin with its player, stories and
transcript, and the download. Editors (and viewers, read-only) see every station; an operator only their own.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from flows.audio.archive import ArchivedBulletin, parse_day
from flows.store.accounts import Account, Role
from flows.web import links
from flows.web.auth import CsrfChecked, logged_in, may_manage_keys, may_see_keys, may_see_station, role_in
from flows.web.delivery import Fetcher, serve_bulletin
from flows.web.pages import page
from flows.web.service import Service, service

router = APIRouter(include_in_schema=False)
DAYS_PER_PAGE = 14

LoggedIn = Annotated[Account, Depends(logged_in)]


@router.get("/")
def home(request: Request, account: LoggedIn) -> Response:
    if account.role is Role.OPERATOR and account.station_id:
        return RedirectResponse(links.station_page(account.station_id), status_code=303)
    if account.role is Role.ADMIN:
        return RedirectResponse("/quan-tri/tai-khoan", status_code=303)
    if account.role is Role.EDITOR:  # the desk is where editors spend the working day
        return RedirectResponse("/bien-tap", status_code=303)
    return RedirectResponse("/dai", status_code=303)


def _latest(svc: Service, station_id: str) -> ArchivedBulletin | None:
    days = svc.archive.days(station_id)
    for day in days[:3]:
        found = svc.archive.bulletins_of_day(station_id, day)
        if found:
            return found[-1]
    return None


@router.get("/dai")
def stations(request: Request, account: LoggedIn) -> Response:
    if account.role is Role.OPERATOR and account.station_id:
        return RedirectResponse(links.station_page(account.station_id), status_code=303)
    svc = service(request)
    today = svc.today()
    rows = []
    for station in svc.stations:
        todays = svc.archive.bulletins_of_day(station.id, today)
        rows.append({"station": station, "today": todays, "latest": _latest(svc, station.id),
                     "emergency": [b for b in todays if b.emergency]})
    return page(request, "stations.html", {"rows": rows, "today": today})


def _key_links(request: Request, svc: Service, account: Account, station_id: str) -> dict | None:
    if not may_see_keys(account, station_id):
        return None
    key = svc.keys.first_key(station_id, actor=account.username)
    svc.forget_key(station_id)  # it may be the station's first key, just issued
    if key is None:
        return {"key": None}
    station = svc.station(station_id)
    return {"key": key, "feed": links.feed(request, key),
            "latest": [(slot, links.latest(request, key, slot.id)) for slot in station.slots],
            "emergency": links.latest(request, key, links.EMERGENCY_LATEST)}


@router.get("/dai/{station_id}")
def station_page(request: Request, station_id: str, account: LoggedIn,
                 den: Annotated[str | None, Query(max_length=10)] = None) -> Response:
    svc = service(request)
    station = svc.station(station_id)
    may_see_station(account, station.id)
    until = parse_day(den) if den else None
    days = [d for d in svc.archive.days(station.id) if until is None or d <= until]
    shown, older = days[:DAYS_PER_PAGE], days[DAYS_PER_PAGE:]
    groups = [(d, svc.archive.bulletins_of_day(station.id, d)) for d in shown]
    return page(request, "station.html", {
        "station": station, "groups": [(d, bs) for d, bs in groups if bs], "today": svc.today(),
        "tomorrow": svc.today() + timedelta(days=1),
        "older": older[0] if older else None, "keys": _key_links(request, svc, account, station.id),
        "manage_keys": may_manage_keys(account), "links": links})


def _bulletin(request: Request, account: Account, station_id: str, day: str, slot_id: str) -> ArchivedBulletin:
    svc = service(request)
    station = svc.station(station_id)
    may_see_station(account, station.id)
    return svc.archive.bulletin(station.id, parse_day(day), slot_id)


@router.api_route("/dai/{station_id}/{day}/{slot_id}.mp3", methods=["GET", "HEAD"])
def bulletin_audio(request: Request, station_id: str, day: str, slot_id: str, account: LoggedIn,
                   tai: Annotated[int, Query(ge=0, le=1)] = 0) -> Response:
    bulletin = _bulletin(request, account, station_id, day, slot_id)
    return serve_bulletin(request, bulletin, Fetcher(account=account), "download", attachment=bool(tai))


@router.get("/dai/{station_id}/{day}/{slot_id}")
def bulletin_page(request: Request, station_id: str, day: str, slot_id: str, account: LoggedIn) -> Response:
    bulletin = _bulletin(request, account, station_id, day, slot_id)
    svc = service(request)
    transcript = svc.archive.transcript(bulletin)
    return page(request, "bulletin.html", {"b": bulletin, "transcript": transcript, "links": links,
                                           "station": svc.station(station_id)})


# -- editors: the station's key -------------------------------------------------------------------------
EditorOnly = Annotated[Account, Depends(role_in(Role.EDITOR))]


@router.post("/dai/{station_id}/khoa", dependencies=[CsrfChecked])
def reissue_key(request: Request, station_id: str, account: EditorOnly) -> Response:
    svc = service(request)
    station = svc.station(station_id)
    svc.keys.issue(station.id, account.username)
    svc.forget_key(station.id)
    return RedirectResponse(links.station_page(station.id) + "#khoa", status_code=303)


@router.post("/dai/{station_id}/khoa/thu-hoi", dependencies=[CsrfChecked])
def revoke_key(request: Request, station_id: str, account: EditorOnly) -> Response:
    svc = service(request)
    station = svc.station(station_id)
    svc.keys.revoke(station.id, account.username)
    svc.forget_key(station.id)
    return RedirectResponse(links.station_page(station.id) + "#khoa", status_code=303)

