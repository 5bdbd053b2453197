"""Hand a bulletin's MP3 to whoever may have it, and note the fetch in the log."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, time

from fastapi import Request
from starlette.responses import Response

from flows.audio.archive import ArchivedBulletin
from flows.store.accounts import Account, Role
from flows.store.fetches import Fetch
from flows.store.stationkeys import StationKey
from flows.web.files import FileFacts, FileSender, content_disposition, now_utc, plan_response
from flows.web.service import service

MP3 = "audio/mpeg"


@dataclass(frozen=True)
class Fetcher:
    """Who fetches: a logged-in account or a station key."""

    account: Account | None = None
    key: StationKey | None = None

    @property
    def who(self) -> str:
        if self.account is not None:
            return self.account.username
        return f"khóa #{self.key.id}" if self.key is not None else "?"

    def is_station(self, station_id: str) -> bool:
        """The station itself (its operator or its key), as opposed to an editor or viewer looking."""
        if self.key is not None:
            return self.key.station_id == station_id
        return (self.account is not None and self.account.role is Role.OPERATOR
                and self.account.station_id == station_id)


def download_name(b: ArchivedBulletin) -> str:
    """The file name a person sees when saving: Vietnamese, with the date and the station."""
    return _download_name(b.station_name, b.slot_name, b.day, b.slot_time if b.emergency else None)


@functools.lru_cache(maxsize=4096)
def _download_name(station_name: str, slot_name: str, day: date, emergency_time: time | None) -> str:
    when = f"{day:%d-%m-%Y}"
    if emergency_time is not None:
        return f"Bản tin khẩn cấp {emergency_time:%Hh%M} {when} – {station_name}.mp3"
    return f"Bản tin {slot_name} {when} – {station_name}.mp3"


def serve_bulletin(request: Request, bulletin: ArchivedBulletin, fetcher: Fetcher, kind: str = "download",
                   attachment: bool = False) -> Response:
    """A GET or HEAD answer for the bulletin's MP3, with every header a resuming client needs."""
    svc = service(request)
    opened = svc.archive.open_audio(bulletin)
    try:
        facts = FileFacts(opened.size, opened.mtime_ns, opened.inode)
        plan = plan_response(request.method, request.headers, facts, {
            "Content-Disposition": content_disposition(download_name(bulletin), attachment),
            "Cache-Control": "private, no-cache",
        })
    except BaseException:
        opened.close()
        raise
    if request.method == "HEAD":
        on_done = None
    else:
        client = request.client.host if request.client else ""

        def on_done(sent: int, complete: bool) -> None:
            svc.recorder.add(Fetch(
                station_id=bulletin.station_id, kind=kind, who=fetcher.who,
                by_station=fetcher.is_station(bulletin.station_id), at=now_utc().replace(tzinfo=None),
                status=plan.status, bytes_sent=sent, expected_bytes=plan.length if plan.has_body else 0,
                file_bytes=facts.size, complete=complete, day=bulletin.day, slot_id=bulletin.slot_id,
                range_start=plan.start, account_id=fetcher.account.id if fetcher.account else None,
                key_id=fetcher.key.id if fetcher.key else None, client=client[:64]))

    return FileSender(opened, plan, request.method, MP3, on_done)
