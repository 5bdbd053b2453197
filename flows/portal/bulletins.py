"""Each station's latest bulletins, as the portal shows them: read from audio_out through the bulletin archive.

"Latest" is a station's newest day that has at least one playable bulletin (an MP3 with its manifest), and every
bulletin of that day in the order they air. A bulletin whose manifest is missing, broken or names another file is
skipped with a warning (the publish goes on); `bantin check` says more about it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flows.audio.archive import ArchivedBulletin, BulletinArchive, valid_name
from flows.editing.clean import clean_title
from flows.models import Commune, Station

SITE_FOLDER = "ban-tin"
PAGE = f"{SITE_FOLDER}/index.html"
HEADING = "Bản tin phát thanh"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PortalBulletin:
    """One bulletin of one station: what a listener needs to choose it and play it."""

    station_id: str
    day: date
    slot_id: str
    slot_name: str  # "buổi sáng", from the manifest
    slot_time: str  # "06:00"
    duration_seconds: float
    titles: tuple[str, ...]  # the stories read, in running order
    source: str  # the MP3 in audio_out; the publisher places a copy beside the pages
    href: str = ""  # relative to the site root, set by the publisher

    @property
    def file_name(self) -> str:
        return f"{self.day.isoformat()}-{self.slot_id}.mp3"

    @property
    def date_vi(self) -> str:
        return f"ngày {self.day.day} tháng {self.day.month} năm {self.day.year}"

    @property
    def heading(self) -> str:
        """"Bản tin buổi sáng, 06:00" (the slot's own name, as the station reads it on air)."""
        name = self.slot_name.strip() or self.slot_id
        return f"Bản tin {name}" + (f", {self.slot_time}" if self.slot_time else "")

    @property
    def duration_vi(self) -> str:
        return duration_vi(self.duration_seconds)


@dataclass(frozen=True)
class StationBulletins:
    """A station and its latest bulletins (none yet: an empty tuple)."""

    id: str
    name: str
    commune: str | None
    bulletins: tuple[PortalBulletin, ...] = ()


def duration_vi(seconds: float) -> str:
    """4 phút 05 giây → "4 phút 5 giây"; under a minute, "45 giây"."""
    whole = max(0, round(seconds))
    minutes, rest = divmod(whole, 60)
    return f"{minutes} phút {rest} giây" if minutes else f"{rest} giây"


def station_order(stations: Sequence[Station], communes: Sequence[Commune]) -> list[Station]:
    """The district station first, then the commune stations in the order the communes are listed."""
    rank = {c.id: i for i, c in enumerate(communes)}
    indexed = list(enumerate(stations))
    indexed.sort(key=lambda p: (not p[1].is_district, rank.get(p[1].commune or "", len(rank)), p[0]))
    return [s for _, s in indexed]


def latest_bulletins(root: Path, stations: Sequence[Station],
                     communes: Sequence[Commune] = ()) -> tuple[list[StationBulletins], list[str]]:
    """Every station (district first) with its latest bulletins, and a warning per bulletin that was skipped."""
    ordered = station_order(stations, communes)
    archive = BulletinArchive(root, [s.id for s in ordered])
    warnings: list[str] = []
    out = []
    for station in ordered:
        found: tuple[PortalBulletin, ...] = ()
        if station.id in archive.station_ids:
            found = _latest_of(archive, station, warnings)
        out.append(StationBulletins(station.id, station.name, station.commune, found))
    for warning in warnings:
        log.warning(warning)
    return out, warnings


def _latest_of(archive: BulletinArchive, station: Station, warnings: list[str]) -> tuple[PortalBulletin, ...]:
    for day in archive.days(station.id):
        listed = archive.bulletins_of_day(station.id, day)
        _warn_unlisted(archive.root / station.id / day.isoformat(), {b.slot_id for b in listed}, station, day,
                       warnings)
        shown = []
        for b in listed:
            if not b.available:
                continue
            try:
                shown.append(_shown(b))
            except (TypeError, ValueError, AttributeError):
                warnings.append(f"Bản tin {b.slot_id} ngày {day:%d/%m/%Y} của {station.name}: tệp mô tả "
                                f"{b.slot_id}.json có trường sai kiểu; không đưa lên cổng thông tin.")
        if shown:
            return tuple(shown)
    return ()


def _warn_unlisted(folder: Path, listed: set[str], station: Station, day: date, warnings: list[str]) -> None:
    """An MP3 the archive does not list has no usable manifest: say so rather than leave it out in silence."""
    try:
        names = sorted(p.name for p in folder.iterdir())
    except OSError:
        return
    for name in names:
        slot = name[:-4]
        if name.endswith(".mp3") and valid_name(slot) and slot not in listed:
            warnings.append(f"Bản tin {slot} ngày {day:%d/%m/%Y} của {station.name}: thiếu tệp mô tả {slot}.json "
                            "hoặc tệp hỏng; không đưa lên cổng thông tin. Chạy `bantin check` để xem.")


def _shown(b: ArchivedBulletin) -> PortalBulletin:
    slot = b.manifest.get("slot") or {}
    titles = tuple(clean_title(str(item.get("title") or "")) for item in b.items)
    duration = float(b.manifest.get("duration_seconds") or 0.0)
    if duration != duration or duration < 0:  # NaN or negative: a manifest no writer of ours made
        raise ValueError(duration)
    return PortalBulletin(
        station_id=b.station_id, day=b.day, slot_id=b.slot_id,
        slot_name=clean_title(str(slot.get("name") or "")), slot_time=f"{b.slot_time:%H:%M}",
        duration_seconds=duration, titles=tuple(t for t in titles if t), source=str(b.mp3_path),
    )
