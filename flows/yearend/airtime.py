"""How long each story was on air: the bulletins' manifests (audio_out/<station>/<day>/<slot>.json) hold each
item's duration as it was assembled. Reading files only; nothing is decoded."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flows.store.reports import BroadcastLine

BulletinKey = tuple[str, date, str]  # station, day, slot


@dataclass(frozen=True)
class BulletinSheet:
    """What a bulletin's manifest says: its slot time, size, length, and each story's seconds in it."""

    station_id: str
    day: date
    slot_id: str
    found: bool  # False: the manifest is gone (the durations are unknown)
    slot_time: str = ""  # "06:00"
    bytes: int = 0
    duration_seconds: float = 0.0
    item_seconds: dict[int, float] = field(default_factory=dict)
    emergency: bool = False

    @property
    def key(self) -> BulletinKey:
        return (self.station_id, self.day, self.slot_id)


def manifest_path(line: BroadcastLine, audio_out: Path) -> list[Path]:
    """Where the manifest may be: beside the file the broadcast names, else where audio_out keeps it now."""
    recorded = Path(line.bulletin_path).with_suffix(".json") if line.bulletin_path else None
    here = audio_out / line.station_id / line.day.isoformat() / f"{line.slot_id}.json"
    return [p for p in (recorded, here) if p is not None]


def read_sheet(key: BulletinKey, candidates: Iterable[Path]) -> BulletinSheet:
    station_id, day, slot_id = key
    for path in candidates:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        items = {int(i["story_id"]): float(i.get("duration_seconds") or 0) for i in data.get("items", [])
                 if "story_id" in i}
        slot = data.get("slot") or {}
        return BulletinSheet(station_id, day, slot_id, True, str(slot.get("time") or ""), int(data.get("bytes") or 0),
                             float(data.get("duration_seconds") or 0), items,
                             emergency=slot_id.startswith("khan-cap") or any(
                                 i.get("priority") == "emergency" for i in data.get("items", [])))
    return BulletinSheet(station_id, day, slot_id, False)


def bulletin_sheets(lines: Iterable[BroadcastLine], audio_out: Path) -> dict[BulletinKey, BulletinSheet]:
    """The manifest of every bulletin these broadcasts name, each read once."""
    sheets: dict[BulletinKey, BulletinSheet] = {}
    for line in lines:
        key = (line.station_id, line.day, line.slot_id)
        if key not in sheets:
            sheets[key] = read_sheet(key, manifest_path(line, audio_out))
    return sheets
