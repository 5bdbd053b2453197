"""Read a district's content folder (stations, sources, movements, lexicon) into typed records."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flows.errors import UserError
from flows.models import DISTRICT, AudioProfile, Cluster, Commune, Movement, Slot, Source, Station, Unit
from flows.settings import Settings, load_settings
from flows.text import Lexicon

if TYPE_CHECKING:
    from flows.editing.tagging import Gazetteer


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
                    audio=profile, ident=raw.get("ident", ""), headlines=int(raw.get("headlines", 5)))
        )
    return stations, communes


def parse_sources(data: dict[str, Any], known_audience: set[str], known_units: set[str] | None = None) -> list[Source]:
    sources = []
    for raw in data.get("source", []):
        audience = tuple(raw.get("audience", [DISTRICT]))
        unknown = [a for a in audience if a not in known_audience]
        if unknown:
            raise ContentError(f"Nguồn '{raw['id']}' gửi tới xã không có: {', '.join(unknown)}.")
        unit = raw.get("unit", "")
        if unit and known_units is not None and unit not in known_units:
            raise ContentError(f"không có đơn vị \"{unit}\" trong units.toml.",
                               where=f"sources.toml, nguồn \"{raw['id']}\", khóa unit",
                               hint="Ghi mã một đơn vị có trong units.toml, hoặc thêm đơn vị đó vào units.toml.")
        sources.append(
            Source(id=raw["id"], name=raw["name"], kind=raw["kind"], location=raw["location"],
                   contributor=raw.get("contributor", raw["name"]), audience=audience,
                   trusted=bool(raw.get("trusted", False)), movements=tuple(raw.get("movements", [])),
                   review_hours=float(raw.get("review_hours", 2.0)), air_days=int(raw.get("air_days", 3)),
                   unit=unit, **_gathering_options(raw))
        )
    return sources


CLUSTER_KINDS = {"cụm": "cụm", "cum": "cụm", "khối": "khối", "khoi": "khối"}


def parse_units(data: dict[str, Any], communes: set[str]) -> tuple[list[Cluster], list[Unit]]:
    """The emulation clusters and blocks and their contributing units, from units.toml (pure)."""
    clusters: list[Cluster] = []
    for index, raw in enumerate(data.get("cluster", [])):
        where = f"units.toml, khối [[cluster]] thứ {index + 1}"
        ident = _required(raw, "id", where)
        kind = CLUSTER_KINDS.get(str(raw.get("kind", "khối")).strip().lower())
        if kind is None:
            raise ContentError(f"loại \"{raw.get('kind')}\" không đúng.", where=f"{where} (\"{ident}\"), khóa kind",
                               hint="Ghi kind = \"cụm\" (cụm thi đua các xã) hoặc \"khối\" (khối thi đua các cơ quan).")
        if any(c.id == ident for c in clusters):
            raise ContentError(f"mã cụm, khối \"{ident}\" trùng.", where=f"{where}, khóa id", hint="Mỗi mã chỉ dùng một lần.")
        clusters.append(Cluster(id=ident, name=_required(raw, "name", where), kind=kind))
    known = {c.id for c in clusters}
    units: list[Unit] = []
    for index, raw in enumerate(data.get("unit", [])):
        where = f"units.toml, khối [[unit]] thứ {index + 1}"
        ident = _required(raw, "id", where)
        where = f"{where} (\"{ident}\")"
        if any(u.id == ident for u in units):
            raise ContentError(f"mã đơn vị \"{ident}\" trùng.", where=f"{where}, khóa id", hint="Mỗi mã chỉ dùng một lần.")
        cluster = _required(raw, "cluster", where)
        if cluster not in known:
            raise ContentError(f"không có cụm, khối thi đua \"{cluster}\".", where=f"{where}, khóa cluster",
                               hint=f"Dùng một mã trong các khối [[cluster]] ({', '.join(sorted(known)) or 'chưa có'}).")
        commune = raw.get("commune")
        if commune is not None and commune not in communes:
            raise ContentError(f"không có xã \"{commune}\" trong stations.toml.", where=f"{where}, khóa commune",
                               hint="Dùng mã một xã trong các khối [[commune]] của stations.toml.")
        aliases = raw.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise ContentError("aliases phải là danh sách tên.", where=f"{where}, khóa aliases",
                               hint='Ví dụ: aliases = ["Công an huyện"].')
        units.append(Unit(id=ident, name=_required(raw, "name", where), cluster=cluster, aliases=tuple(aliases),
                          commune=commune))
    return clusters, units


def _required(raw: dict[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"thiếu khóa {key} (một chuỗi không rỗng).", where=f"{where}, khóa {key}",
                           hint=f'Thêm dòng {key} = "...".')
    return value.strip()


def _gathering_options(raw: dict[str, Any]) -> dict[str, Any]:
    """The keys of a source that only gathering reads: expect_every_days, archive (inbox), [source.page]."""
    from flows.models import PageRules

    out: dict[str, Any] = {}
    sid = raw.get("id", "?")
    every = raw.get("expect_every_days")
    if every is not None:
        if isinstance(every, bool) or not isinstance(every, (int, float)) or every <= 0:
            raise ContentError(f"Nguồn '{sid}': expect_every_days phải là số ngày lớn hơn 0 (ví dụ 7).")
        out["expect_every_days"] = float(every)
    if "archive" in raw:
        if not isinstance(raw["archive"], bool):
            raise ContentError(f"Nguồn '{sid}': archive phải là true hoặc false (không có dấu nháy).")
        out["archive"] = raw["archive"]
    page = raw.get("page")
    if page is not None:
        known = {f for f in PageRules.__dataclass_fields__}
        if not isinstance(page, dict) or set(page) - known:
            extra = ", ".join(sorted(set(page) - known)) if isinstance(page, dict) else str(page)
            raise ContentError(f"Nguồn '{sid}': [source.page] có khóa không hợp lệ ({extra}); các khóa: "
                               f"{', '.join(sorted(known))}.")
        try:
            rules: dict[str, Any] = {k: (tuple(v) if k == "drop" else v) for k, v in page.items()}
            out["page"] = PageRules(**rules)
        except TypeError as exc:
            raise ContentError(f"Nguồn '{sid}': [source.page] sai: {exc}.") from None
        _check_selectors(sid, out["page"])
    return out


def _check_selectors(sid: str, rules: Any) -> None:
    import soupsieve

    for name in ("links", "title", "body", "date"):
        selector = getattr(rules, name)
        if not isinstance(selector, str):
            raise ContentError(f"Nguồn '{sid}': page.{name} phải là bộ chọn CSS dạng chữ.")
        try:
            if selector:
                soupsieve.compile(selector)
        except soupsieve.SelectorSyntaxError as exc:
            raise ContentError(f"Nguồn '{sid}': page.{name} = “{selector}” không phải bộ chọn CSS hợp lệ "
                               f"({exc.args[0] if exc.args else exc}).") from None
    if not isinstance(rules.max_articles, int) or rules.max_articles < 1:
        raise ContentError(f"Nguồn '{sid}': page.max_articles phải là số nguyên dương.")


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
        return parse_sources(_read_toml(self.content / "sources.toml"), known, {u.id for u in self.units})

    @cached_property
    def _clusters_and_units(self) -> tuple[list[Cluster], list[Unit]]:
        path = self.content / "units.toml"  # optional: a district without it reports no units
        data = _read_toml(path) if path.exists() else {}
        return parse_units(data, {c.id for c in self.communes})

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
        return Gazetteer.parse(_read_toml(path), self.communes, where=str(path))

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
