"""The app's addresses, built in one place (pages, the feed and the API all link the same way)."""

from __future__ import annotations

from fastapi import Request

from flows.audio.archive import ArchivedBulletin
from flows.store.stationkeys import StationKey
from flows.web.service import service

EMERGENCY_LATEST = "khan-cap"
"""The slot name of the fixed address of a station's newest emergency bulletin."""


def base_url(request: Request) -> str:
    """Where the app is reached from outside: the configured public address, else this request's own."""
    configured = service(request).settings.web.public_url
    return (configured or str(request.base_url)).rstrip("/")


def station_page(station_id: str) -> str:
    return f"/dai/{station_id}"


def bulletin_page(b: ArchivedBulletin) -> str:
    return f"/dai/{b.station_id}/{b.day.isoformat()}/{b.slot_id}"


def bulletin_audio(b: ArchivedBulletin, download: bool = False) -> str:
    return f"/dai/{b.station_id}/{b.day.isoformat()}/{b.slot_id}.mp3" + ("?tai=1" if download else "")


def keyed(request: Request, key: StationKey) -> str:
    return f"{base_url(request)}/k/{key.station_id}/{key.secret}"


def feed(request: Request, key: StationKey) -> str:
    return f"{keyed(request, key)}/podcast.xml"


def keyed_audio(request: Request, key: StationKey, b: ArchivedBulletin) -> str:
    return f"{keyed(request, key)}/{b.day.isoformat()}/{b.slot_id}.mp3"


def latest(request: Request, key: StationKey, slot_id: str) -> str:
    return f"{keyed(request, key)}/moi-nhat/{slot_id}.mp3"
