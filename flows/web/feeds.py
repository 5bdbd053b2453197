"""Addresses for machines that fetch without a person: the podcast feed, its enclosures and the fixed
"latest" addresses of playout software and IP loudspeaker controllers. The station's key is in the path;
a revoked key stops every one of them at once.
"""

from __future__ import annotations

import hashlib

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from flows.audio.archive import parse_day
from flows.store.fetches import Fetch
from flows.store.stationkeys import StationKey
from flows.web import links
from flows.web.delivery import Fetcher, serve_bulletin
from flows.web.errors import Forbidden
from flows.web.files import now_utc
from flows.web.podcast import Channel, podcast_feed
from flows.web.service import matches, service

router = APIRouter(prefix="/k/{station_id}/{secret}", include_in_schema=False)
RSS = "application/rss+xml; charset=utf-8"


def _refuse(station_id: str) -> Forbidden:
    return Forbidden(f"Khóa của đài {station_id} không đúng hoặc đã bị thu hồi.",
                     hint="Xin biên tập viên địa chỉ mới của đài (trang của đài trên bantin).")


def station_key(request: Request, station_id: str, secret: str) -> StationKey:
    svc = service(request)
    station = svc.station(station_id)
    key = svc.live_key(station.id)
    if not matches(key, secret):
        raise _refuse(station.id)
    assert key is not None
    return key


async def station_key_async(request: Request, station_id: str, secret: str) -> StationKey:
    """The same check for the file addresses, which run on the event loop: the store is asked (in a worker
    thread) only when the key is not in memory."""
    svc = service(request)
    station = svc.station(station_id)
    known, key = svc.cached_key(station.id)
    if not known:
        key = await run_in_threadpool(svc.live_key, station.id)
    if not matches(key, secret):
        raise _refuse(station.id)
    assert key is not None
    return key


@router.api_route("/podcast.xml", methods=["GET", "HEAD"])
def podcast(request: Request, station_id: str, secret: str) -> Response:
    svc = service(request)
    key = station_key(request, station_id, secret)
    station = svc.station(key.station_id)
    district = svc.settings.district
    channel = Channel(station_id=station.id, station_name=station.name, district_id=district.id,
                      district_name=district.name, centre=district.centre, timezone=district.timezone,
                      feed_url=links.feed(request, key), page_url=links.base_url(request) + links.station_page(station.id))
    body = podcast_feed(channel, svc.archive.bulletins(station.id),
                        lambda b: links.keyed_audio(request, key, b))
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    listed = request.headers.get("if-none-match", "")
    unchanged = any(t.strip().removeprefix("W/") == etag for t in listed.split(",")) or listed.strip() == "*"
    status = 304 if unchanged else 200
    if request.method == "GET":
        svc.recorder.add(Fetch(station_id=station.id, kind="feed", who=f"khóa #{key.id}", by_station=True,
                               at=now_utc().replace(tzinfo=None), status=status,
                               bytes_sent=0 if unchanged else len(body), expected_bytes=0 if unchanged else len(body),
                               file_bytes=len(body), complete=True, key_id=key.id,
                               client=(request.client.host if request.client else "")[:64]))
    if unchanged:
        return Response(status_code=304, headers=headers)
    return Response(body if request.method == "GET" else b"", media_type=RSS,
                    headers={**headers, "Content-Length": str(len(body))})


async def file_address(request: Request, station_id: str, secret: str, day: str | None = None,
                       slot_id: str | None = None, latest: str | None = None) -> Response:
    """A bulletin's MP3 at a station-key address: a dated one (the feed's enclosures) or the fixed address of
    the newest bulletin of a slot (`latest`; 'khan-cap': the newest emergency bulletin).

    Machines hammer these, so flows.web.app answers them before FastAPI's routing, on the event loop: the work
    is memory and a few stat/open calls on local files, cheaper than a thread hop.
    """
    key = await station_key_async(request, station_id, secret)
    archive = service(request).archive
    if latest == links.EMERGENCY_LATEST:
        bulletin, kind = archive.latest(key.station_id, emergency=True), "latest"
    elif latest is not None:
        bulletin, kind = archive.latest(key.station_id, slot_id=latest), "latest"
    else:
        bulletin, kind = archive.bulletin(key.station_id, parse_day(day or ""), slot_id or ""), "download"
    return serve_bulletin(request, bulletin, Fetcher(key=key), kind)
