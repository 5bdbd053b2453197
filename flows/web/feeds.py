"""Addresses for machines that fetch without a person: the podcast feed, its enclosures and the fixed
"latest" addresses of playout software and IP loudspeaker controllers. The station's key is in the path;
a revoked key stops every one of them at once.
"""

from __future__ import annotations

import hashlib

from fastapi import APIRouter, Request
from fastapi.responses import Response

from flows.audio.archive import parse_day
from flows.store.fetches import Fetch
from flows.store.stationkeys import StationKey
from flows.web import links
from flows.web.delivery import Fetcher, serve_bulletin
from flows.web.errors import Forbidden
from flows.web.files import now_utc
from flows.web.podcast import Channel, podcast_feed
from flows.web.service import service

router = APIRouter(prefix="/k/{station_id}/{secret}", include_in_schema=False)
RSS = "application/rss+xml; charset=utf-8"


def station_key(request: Request, station_id: str, secret: str) -> StationKey:
    svc = service(request)
    station = svc.station(station_id)
    key = svc.keys.check(station.id, secret)
    if key is None:
        raise Forbidden(f"Khóa của đài {station.id} không đúng hoặc đã bị thu hồi.",
                        hint="Xin biên tập viên địa chỉ mới của đài (trang của đài trên bantin).")
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


@router.api_route("/moi-nhat/{slot_id}.mp3", methods=["GET", "HEAD"])
def latest(request: Request, station_id: str, secret: str, slot_id: str) -> Response:
    """The station's newest bulletin of a slot (or, for 'khan-cap', its newest emergency bulletin)."""
    key = station_key(request, station_id, secret)
    archive = service(request).archive
    if slot_id == links.EMERGENCY_LATEST:
        bulletin = archive.latest(key.station_id, emergency=True)
    else:
        bulletin = archive.latest(key.station_id, slot_id=slot_id)
    return serve_bulletin(request, bulletin, Fetcher(key=key), "latest")


@router.api_route("/{day}/{slot_id}.mp3", methods=["GET", "HEAD"])
def enclosure(request: Request, station_id: str, secret: str, day: str, slot_id: str) -> Response:
    key = station_key(request, station_id, secret)
    bulletin = service(request).archive.bulletin(key.station_id, parse_day(day), slot_id)
    return serve_bulletin(request, bulletin, Fetcher(key=key), "download")
