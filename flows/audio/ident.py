"""Opening and closing lines of a bulletin, and the recorded jingles that may replace them. Text part is pure.

The lines use digits for the date; the text package's spoken form may rewrite them before voicing.
"""

from __future__ import annotations

from pathlib import Path

from ..models import BulletinRequest

JINGLE_EXTENSIONS = (".mp3", ".wav", ".ogg", ".flac", ".m4a")


def opening_text(request: BulletinRequest) -> str:
    station, day = request.station, request.day
    name = station.ident or f"Đây là {station.name}"
    return f"{name}. Bản tin {request.slot.name.lower()} ngày {day.day} tháng {day.month} năm {day.year}."


def headlines_text(titles: list[str], limit: int) -> str:
    """The headline list read after the ident ("Điểm tin"), or nothing when there is little to announce."""
    chosen = [t.strip().rstrip(".") for t in titles if t.strip()][:limit]
    if limit <= 0 or len(chosen) < 2:
        return ""
    more = " và các tin khác" if len(titles) > len(chosen) else ""
    return "Điểm tin. " + ". ".join(chosen) + more + "."


def closing_text(request: BulletinRequest) -> str:
    return (f"Bản tin {request.slot.name.lower()} của {request.station.name} đến đây là kết thúc. "
            "Cảm ơn quý vị và các bạn đã lắng nghe.")


def find_jingle(jingles_dir: Path | None, station_id: str, kind: str) -> Path | None:
    """content/jingles/<station>-<kind>.<ext>, else <kind>.<ext> shared by all stations (kind: opening, closing,
    bed, sting)."""
    if jingles_dir is None or not Path(jingles_dir).is_dir():
        return None
    for stem in (f"{station_id}-{kind}", kind):
        for ext in JINGLE_EXTENSIONS:
            path = Path(jingles_dir) / f"{stem}{ext}"
            if path.is_file():
                return path
    return None
