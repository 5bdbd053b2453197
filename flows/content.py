"""Read a district's content folder (stations, sources, movements, units, lexicon) into typed records.

Each file goes through its declared schema (flows/schemas.py); what needs two files (a station's commune,
a source's audience, movements and unit, a unit's cluster and commune, a lexicon override's station) and duplicate ids are checked here. Any
mistake is a ContentError naming the file, the line and the field, in Vietnamese. Files are read when a
command first needs them, so `bantin speak` does not stop on a mistake in sources.toml.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from flows.contentfile import ContentError, TomlFile, read_toml, shown
from flows.errors import NotFoundError
from flows.models import DISTRICT, AudioProfile, Cluster, Commune, Movement, PageRules, Slot, Source, Station, Unit
from flows.schemas import (DefaultsSchema, LexiconFile, MovementsFile, SourcesFile, StationSchema, StationsFile,
                           UnitsFile)
from flows.settings import Settings, load_settings
from flows.text import Lexicon
from flows.text.lexicon import LexiconError

__all__ = ["ContentError", "Newsroom", "parse_movements", "parse_sources", "parse_stations", "parse_units"]

DEFAULT_MAX_SECONDS = 1800.0
DEFAULT_HEADLINES = 5

if TYPE_CHECKING:
    from flows.editing.tagging import Gazetteer


def _validated(model: type[BaseModel], file: TomlFile) -> Any:
    try:
        return model.model_validate(file.data)
    except ValidationError as exc:
        raise file.explain(exc, model) from None


def _in_memory(data: dict[str, Any], name: str) -> TomlFile:
    """Data given as a dict (tests, other callers): errors name the file and the field, without a line."""
    return TomlFile(Path(name), "", data)


def _no_duplicates(file: TomlFile, block: str, ids: Sequence[str], what: str) -> None:
    first: dict[str, int] = {}
    for index, ident in enumerate(ids):
        if ident in first:
            earlier = file.line_of((block, first[ident]))
            raise file.error((block, index, "id"),
                             f"mã {what} \"{ident}\" trùng với khối [[{block}]] thứ {first[ident] + 1}"
                             + (f" (dòng {earlier})." if earlier else "."),
                             "Mỗi mã chỉ dùng một lần: đổi mã này hoặc xóa khối thừa.")
        first[ident] = index


def _unknown(file: TomlFile, loc: tuple[str | int, ...], value: str, what: str, known: Iterable[str],
             listed_in: str) -> ContentError:
    choices = ", ".join(sorted(known))
    return file.error(loc, f"không có {what} \"{value}\" trong {listed_in}.",
                      f"Dùng một mã có trong {listed_in} ({choices}), hoặc thêm nó vào {listed_in} trước.")


def _profile(raw: StationSchema, defaults: DefaultsSchema, engines: Sequence[str]) -> AudioProfile:
    """The station's own audio settings, else [defaults], else bantin's (engines: bantin.toml's)."""
    values: dict[str, Any] = {}
    for name in (f.name for f in fields(AudioProfile) if f.name != "engines"):
        value = getattr(raw, name)
        value = getattr(defaults, name) if value is None else value
        if value is not None:
            values[name] = value
    return AudioProfile(**values, engines=tuple(raw.engines or defaults.engines or engines))


def parse_stations(data: dict[str, Any] | TomlFile, engines: Sequence[str]) -> tuple[list[Station], list[Commune]]:
    """Build stations and communes from stations.toml (pure)."""
    file = data if isinstance(data, TomlFile) else _in_memory(data, "stations.toml")
    parsed: StationsFile = _validated(StationsFile, file)
    _no_duplicates(file, "commune", [c.id for c in parsed.commune], "xã")
    _no_duplicates(file, "station", [s.id for s in parsed.station], "đài")
    communes = [Commune(id=c.id, name=c.name, kind=c.kind) for c in parsed.commune]
    commune_ids = {c.id for c in communes}
    defaults = parsed.defaults
    stations: list[Station] = []
    for index, raw in enumerate(parsed.station):
        if raw.commune is not None and raw.commune not in commune_ids:
            raise _unknown(file, ("station", index, "commune"), raw.commune, "xã", commune_ids,
                           "các khối [[commune]] của stations.toml")
        if raw.kind == "commune" and raw.commune is None:
            raise file.error(("station", index), "đài xã phải ghi xã của mình (khóa commune).",
                             "Thêm dòng commune = \"<mã xã>\" (mã trong các khối [[commune]]).")
        profile = _profile(raw, defaults, engines)
        slots_from = "slot" if raw.slot is not None else None
        chosen = raw.slot if raw.slot is not None else defaults.slot
        if not chosen:
            raise file.error(("station", index), "đài chưa có buổi phát nào.",
                             "Thêm [[defaults.slot]] cho mọi đài, hoặc [[station.slot]] cho đài này.")
        seen_slots: set[str] = set()
        for number, slot in enumerate(chosen):
            if slot.id in seen_slots:
                loc = ("station", index, "slot", number, "id") if slots_from else ("defaults", "slot", number, "id")
                raise file.error(loc, f"mã buổi phát \"{slot.id}\" trùng.", "Mỗi buổi phát của một đài cần một mã riêng.")
            seen_slots.add(slot.id)
        limit = raw.max_seconds if raw.max_seconds is not None else defaults.max_seconds
        slots = tuple(
            Slot(id=s.id, name=s.name, time=s.time,
                 max_seconds=float(limit if limit is not None else (s.max_seconds or DEFAULT_MAX_SECONDS)))
            for s in chosen
        )
        headlines = raw.headlines if raw.headlines is not None else defaults.headlines
        # The bed and the stings: the station's own setting, else [defaults]; off when neither says.
        bed = raw.bed if raw.bed is not None else bool(defaults.bed)
        stings = raw.stings if raw.stings is not None else bool(defaults.stings)
        stations.append(Station(id=raw.id, name=raw.name, kind=raw.kind, commune=raw.commune, slots=slots,
                                audio=profile, ident=raw.ident,
                                headlines=DEFAULT_HEADLINES if headlines is None else headlines,
                                bed=bed, stings=stings))
    return stations, communes


def parse_sources(data: dict[str, Any] | TomlFile, known_audience: set[str],
                  known_movements: set[str] | None = None, known_units: set[str] | None = None) -> list[Source]:
    """Build sources from sources.toml (pure); audience ids must be `district` or a commune id."""
    file = data if isinstance(data, TomlFile) else _in_memory(data, "sources.toml")
    parsed: SourcesFile = _validated(SourcesFile, file)
    _no_duplicates(file, "source", [s.id for s in parsed.source], "nguồn")
    sources = []
    for index, raw in enumerate(parsed.source):
        if raw.kind != "submission" and not raw.location:
            raise file.error(("source", index, "location"), "thiếu địa chỉ nguồn (location).",
                             "Ghi địa chỉ web (https://...) hoặc đường dẫn thư mục; chỉ nguồn kind = \"submission\" "
                             "(đơn vị tự gửi tin) không cần.")
        for number, target in enumerate(raw.audience):
            if target not in known_audience:
                communes = ", ".join(sorted(known_audience - {DISTRICT}))
                raise file.error(("source", index, "audience", number), f"không có xã \"{target}\" trong stations.toml.",
                                 f"Ghi \"{DISTRICT}\" (toàn huyện) hoặc mã một xã có trong stations.toml ({communes}).")
        if known_movements is not None:
            for number, movement in enumerate(raw.movements):
                if movement not in known_movements:
                    raise _unknown(file, ("source", index, "movements", number), movement, "phong trào",
                                   known_movements, "movements.toml")
        if raw.unit is not None and known_units is not None and raw.unit not in known_units:
            raise _unknown(file, ("source", index, "unit"), raw.unit, "đơn vị", known_units, "units.toml")
        sources.append(Source(id=raw.id, name=raw.name, kind=raw.kind, location=raw.location or "",
                              contributor=raw.contributor or raw.name, audience=tuple(raw.audience),
                              trusted=raw.trusted, movements=tuple(raw.movements),
                              review_hours=raw.review_hours, air_days=raw.air_days,
                              expect_every_days=raw.expect_every_days, archive=raw.archive,
                              page=PageRules(**{**raw.page.model_dump(), "drop": tuple(raw.page.drop)})
                              if raw.page is not None else None, unit=raw.unit or ""))
    return sources


def parse_units(data: dict[str, Any] | TomlFile, communes: set[str]) -> tuple[list[Cluster], list[Unit]]:
    """The emulation clusters and blocks and their contributing units, from units.toml (pure)."""
    file = data if isinstance(data, TomlFile) else _in_memory(data, "units.toml")
    parsed: UnitsFile = _validated(UnitsFile, file)
    _no_duplicates(file, "cluster", [c.id for c in parsed.cluster], "cụm, khối")
    _no_duplicates(file, "unit", [u.id for u in parsed.unit], "đơn vị")
    clusters = [Cluster(id=c.id, name=c.name, kind=c.kind) for c in parsed.cluster]
    known = {c.id for c in clusters}
    for index, raw in enumerate(parsed.unit):
        if raw.cluster not in known:
            raise _unknown(file, ("unit", index, "cluster"), raw.cluster, "cụm, khối thi đua", known,
                           "các khối [[cluster]] của units.toml")
        if raw.commune is not None and raw.commune not in communes:
            raise _unknown(file, ("unit", index, "commune"), raw.commune, "xã", communes,
                           "các khối [[commune]] của stations.toml")
    units = [Unit(id=u.id, name=u.name, cluster=u.cluster, aliases=tuple(u.aliases), commune=u.commune)
             for u in parsed.unit]
    return clusters, units


def parse_movements(data: dict[str, Any] | TomlFile) -> list[Movement]:
    """Build the emulation movements from movements.toml (pure)."""
    file = data if isinstance(data, TomlFile) else _in_memory(data, "movements.toml")
    parsed: MovementsFile = _validated(MovementsFile, file)
    _no_duplicates(file, "movement", [m.id for m in parsed.movement], "phong trào")
    return [Movement(id=m.id, name=m.name, keywords=tuple(m.keywords), description=m.description)
            for m in parsed.movement]


def parse_lexicon(file: TomlFile, station_ids: set[str]) -> Lexicon:
    """Check lexicon.toml's shape and station ids, then let flows/text build the lexicon."""
    parsed: LexiconFile = _validated(LexiconFile, file)
    for station in parsed.station:
        if station not in station_ids:
            raise _unknown(file, ("station", station), station, "đài", station_ids, "stations.toml")
    try:
        return Lexicon.from_mapping(file.data)
    except LexiconError as exc:
        raise ContentError(f"từ điển không dùng được: {exc}.", where=file.where(),
                           hint="Sửa bảng được nêu theo mẫu ở đầu tệp lexicon.toml.") from None


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

    def check(self) -> None:
        """Read every content file now, so a mistake stops a command before it starts any work."""
        _ = self.stations, self.movements, self.units, self.sources, self.lexicon()

    @cached_property
    def _stations_and_communes(self) -> tuple[list[Station], list[Commune]]:
        return parse_stations(read_toml(self.content / "stations.toml"), tuple(self.settings.audio.engines))

    @property
    def stations(self) -> list[Station]:
        return self._stations_and_communes[0]

    @property
    def communes(self) -> list[Commune]:
        return self._stations_and_communes[1]

    @cached_property
    def movements(self) -> list[Movement]:
        return parse_movements(read_toml(self.content / "movements.toml"))

    @cached_property
    def sources(self) -> list[Source]:
        known = {DISTRICT} | {c.id for c in self.communes}
        return parse_sources(read_toml(self.content / "sources.toml"), known, {m.id for m in self.movements},
                             {u.id for u in self.units})

    @cached_property
    def _clusters_and_units(self) -> tuple[list[Cluster], list[Unit]]:
        # Optional: a district without units.toml counts no units (and its sources may name none).
        return parse_units(read_toml(self.content / "units.toml", required=False), {c.id for c in self.communes})

    @property
    def clusters(self) -> list[Cluster]:
        """The emulation clusters (cụm) and blocks (khối) of units.toml."""
        return self._clusters_and_units[0]

    @property
    def units(self) -> list[Unit]:
        """The contributing units of units.toml."""
        return self._clusters_and_units[1]

    @cached_property
    def gazetteer(self) -> "Gazetteer":
        """Villages and other spellings of the communes (content/gazetteer.toml; empty when absent)."""
        from flows.editing.tagging import Gazetteer

        path = self.content / "gazetteer.toml"
        if not path.exists():
            return Gazetteer()
        return Gazetteer.parse(read_toml(path).data, self.communes, where=shown(path))

    def find_source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)

    def source(self, source_id: str) -> Source:
        found = self.find_source(source_id)
        if found is None:
            raise NotFoundError(f"không có nguồn tin \"{source_id}\".", where="sources.toml",
                                hint=f"Các mã nguồn có: {', '.join(s.id for s in self.sources)}.")
        return found

    def sources_named(self, ids: Iterable[str] | None) -> list[Source]:
        """The sources with these ids, in the file's order (all of them for None); an unknown id is refused."""
        if ids is None:
            return list(self.sources)
        wanted = list(dict.fromkeys(ids))
        for source_id in wanted:
            self.source(source_id)
        return [s for s in self.sources if s.id in wanted]

    def station(self, station_id: str) -> Station:
        for s in self.stations:
            if s.id == station_id:
                return s
        raise NotFoundError(f"không có đài \"{station_id}\".", where="stations.toml",
                            hint=f"Các mã đài có: {', '.join(s.id for s in self.stations)} (xem 'bantin stations').")

    def resolve(self, location: str) -> Path:
        """A source location relative to the content folder."""
        path = Path(location)
        return path if path.is_absolute() else self.content / path

    @cached_property
    def _lexicon(self) -> Lexicon:
        file = read_toml(self.content / "lexicon.toml", required=False)
        if not file.text:
            return Lexicon.default()
        return parse_lexicon(file, {s.id for s in self.stations})

    def lexicon(self) -> Lexicon:
        """The newsroom's pronunciations and abbreviations (content/lexicon.toml), or the built-in ones."""
        return self._lexicon
