"""Read a district's content folder (stations, sources, movements, lexicon) into typed records."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from functools import cached_property
from pathlib import Path
from typing import Any

from flows.errors import UserError
from flows.models import DISTRICT, AudioProfile, Commune, Movement, Slot, Source, Station
from flows.settings import Settings, load_settings
from flows.text import Lexicon


class ContentError(UserError):
    """The content folder has a mistake an editor must fix (message in Vietnamese)."""


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentError(f"Thiếu tệp cấu hình {path}.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"Tệp {path.name} sai cú pháp TOML: {exc}") from None


_PROFILE_FIELDS = {f.name for f in fields(AudioProfile)}


def _switch(merged: dict[str, Any], key: str, station_id: str) -> bool:
    """An on/off setting of a station (its own table, else [defaults]); off when absent."""
    value = merged.get(key, False)
    if not isinstance(value, bool):
        raise ContentError(f"Đài '{station_id}': {key} phải là true hoặc false (đang ghi {value!r}).")
    return value


def parse_stations(data: dict[str, Any], engines: tuple[str, ...]) -> tuple[list[Station], list[Commune]]:
    """Build stations and communes from the parsed stations.toml (pure)."""
    defaults = dict(data.get("defaults", {}))
    default_slots = defaults.pop("slot", [])
    communes = [Commune(id=c["id"], name=c["name"], kind=c.get("kind", "xã")) for c in data.get("commune", [])]
    commune_ids = {c.id for c in communes}
    stations: list[Station] = []
    seen: set[str] = set()
    for raw in data.get("station", []):
        sid = raw["id"]
        if not sid.isascii() or sid in seen:
            raise ContentError(f"Mã đài '{sid}' phải là chữ không dấu và không trùng.")
        seen.add(sid)
        merged = {**defaults, **raw}
        profile = AudioProfile(
            **{k: v for k, v in merged.items() if k in _PROFILE_FIELDS and k != "engines"},
            engines=tuple(merged.get("engines", engines)),
        )
        max_seconds = raw.get("max_seconds")
        slots = tuple(
            Slot(
                id=s["id"],
                name=s["name"],
                time=s["time"],
                max_seconds=float(s.get("max_seconds", 1800) if max_seconds is None else max_seconds),
            )
            for s in raw.get("slot", default_slots)
        )
        commune = raw.get("commune")
        if raw["kind"] == "commune" and commune not in commune_ids:
            raise ContentError(f"Đài '{sid}' thuộc xã '{commune}' không có trong danh sách xã.")
        stations.append(
            Station(id=sid, name=raw["name"], kind=raw["kind"], commune=commune, slots=slots,
                    audio=profile, ident=raw.get("ident", ""), headlines=int(raw.get("headlines", 5)),
                    bed=_switch(merged, "bed", sid), stings=_switch(merged, "stings", sid))
        )
    return stations, communes


def parse_sources(data: dict[str, Any], known_audience: set[str]) -> list[Source]:
    sources = []
    for raw in data.get("source", []):
        audience = tuple(raw.get("audience", [DISTRICT]))
        unknown = [a for a in audience if a not in known_audience]
        if unknown:
            raise ContentError(f"Nguồn '{raw['id']}' gửi tới xã không có: {', '.join(unknown)}.")
        sources.append(
            Source(id=raw["id"], name=raw["name"], kind=raw["kind"], location=raw["location"],
                   contributor=raw.get("contributor", raw["name"]), audience=audience,
                   trusted=bool(raw.get("trusted", False)), movements=tuple(raw.get("movements", [])),
                   review_hours=float(raw.get("review_hours", 2.0)), air_days=int(raw.get("air_days", 3)))
        )
    return sources


def parse_movements(data: dict[str, Any]) -> list[Movement]:
    return [
        Movement(id=m["id"], name=m["name"], keywords=tuple(m.get("keywords", [])),
                 description=m.get("description", ""))
        for m in data.get("movement", [])
    ]


@dataclass
class Newsroom:
    """A district's whole configuration: settings plus the records in its content folder."""

    settings: Settings

    @classmethod
    def load(cls, content: Path | str | None = None) -> "Newsroom":
        return cls(load_settings(content))

    @property
    def content(self) -> Path:
        return self.settings.content

    @cached_property
    def _stations_and_communes(self) -> tuple[list[Station], list[Commune]]:
        data = _read_toml(self.content / "stations.toml")
        return parse_stations(data, tuple(self.settings.audio.engines))

    @property
    def stations(self) -> list[Station]:
        return self._stations_and_communes[0]

    @property
    def communes(self) -> list[Commune]:
        return self._stations_and_communes[1]

    @cached_property
    def movements(self) -> list[Movement]:
        return parse_movements(_read_toml(self.content / "movements.toml"))

    @cached_property
    def sources(self) -> list[Source]:
        known = {DISTRICT} | {c.id for c in self.communes}
        return parse_sources(_read_toml(self.content / "sources.toml"), known)

    def find_source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)

    def source(self, source_id: str) -> Source:
        found = self.find_source(source_id)
        if found is None:
            raise ContentError(f"Không có nguồn tin '{source_id}' trong sources.toml.")
        return found

    def station(self, station_id: str) -> Station:
        for s in self.stations:
            if s.id == station_id:
                return s
        raise ContentError(f"Không có đài '{station_id}' trong stations.toml.")

    def resolve(self, location: str) -> Path:
        """A source location relative to the content folder."""
        path = Path(location)
        return path if path.is_absolute() else self.content / path

    @cached_property
    def lexicon_text(self) -> str:
        path = self.content / "lexicon.toml"
        return path.read_text(encoding="utf-8") if path.exists() else ""

    def lexicon(self) -> Lexicon:
        """The newsroom's pronunciations and abbreviations (content/lexicon.toml), or the built-in ones."""
        return Lexicon.from_toml(self.lexicon_text) if self.lexicon_text else Lexicon.default()
