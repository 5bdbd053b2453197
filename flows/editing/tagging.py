"""Movement, commune and village tags, found in a story's text.

Communes come from stations.toml; the gazetteer (content/gazetteer.toml) adds the other spellings of a commune's
name and its villages (xóm, bản, tổ dân phố), so "xóm Kim Sơn" tags Thần Sa. Matching is on whole words, case
insensitive, and keeps diacritics: "Thần Sa" is not "Thân Sa".
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flows.models import Commune, Movement

VILLAGE_WORDS = ("xóm", "bản", "thôn", "tổ dân phố", "làng")


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _phrase(phrase: str) -> re.Pattern[str]:
    # Whole words only: "NTM" must not match inside another word.
    return re.compile(r"(?<!\w)" + re.escape(_fold(phrase)) + r"(?!\w)")


def tag_movements(text: str, movements: Iterable[Movement], given: Iterable[str] = ()) -> list[str]:
    """Movement ids named by the contributor plus those whose keywords appear in the text."""
    movements = list(movements)
    folded = _fold(text)
    known = {m.id for m in movements}
    tags = [m for m in given if m in known]
    for movement in movements:
        if movement.id in tags:
            continue
        if any(_phrase(k).search(folded) for k in (movement.name, *movement.keywords)):
            tags.append(movement.id)
    return tags


@dataclass(frozen=True)
class Village:
    commune: str
    name: str

    @property
    def id(self) -> str:
        return f"{self.commune}/{self.name}"


@dataclass(frozen=True)
class Gazetteer:
    """The district's places: other spellings of each commune's name and its villages."""

    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # commune id -> other names
    villages: tuple[Village, ...] = ()

    @classmethod
    def parse(cls, data: dict[str, Any], communes: Sequence[Commune], where: str = "gazetteer.toml") -> "Gazetteer":
        """From the parsed gazetteer.toml; an unknown commune id or a malformed entry is refused."""
        from flows.errors import UserError

        known = {c.id for c in communes}
        aliases: dict[str, tuple[str, ...]] = {}
        villages: list[Village] = []
        for i, raw in enumerate(data.get("commune", []), start=1):
            if not isinstance(raw, dict) or set(raw) - {"id", "aliases", "villages"}:
                raise UserError(f"Mục [[commune]] thứ {i} có khóa không hợp lệ; chỉ dùng id, aliases, villages.",
                                where=where)
            cid = raw.get("id")
            if cid not in known:
                raise UserError(f"Mục [[commune]] thứ {i}: không có xã, thị trấn '{cid}' trong stations.toml.",
                                where=where)
            for key in ("aliases", "villages"):
                value = raw.get(key, [])
                if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                    raise UserError(f"Xã '{cid}': {key} phải là danh sách tên (chữ).", where=where)
            aliases[cid] = tuple(raw.get("aliases", []))
            villages.extend(Village(cid, v.strip()) for v in raw.get("villages", []))
        return cls(aliases, tuple(villages))

    @classmethod
    def from_toml(cls, text: str, communes: Sequence[Commune]) -> "Gazetteer":
        return cls.parse(tomllib.loads(text), communes)


def _commune_names(commune: Commune, gazetteer: Gazetteer | None) -> list[str]:
    names = [f"{commune.kind} {commune.name}", f"xã {commune.name}", f"thị trấn {commune.name}"]
    for alias in (gazetteer.aliases.get(commune.id, ()) if gazetteer else ()):
        names += [alias, f"xã {alias}", f"thị trấn {alias}"]
    return names


def tag_communes(text: str, communes: Iterable[Commune], gazetteer: Gazetteer | None = None) -> list[str]:
    """Communes the story mentions by name ("xã Thần Sa", "thị trấn Đình Cả"), or through one of their villages."""
    communes = list(communes)
    folded = _fold(text)
    found = [c.id for c in communes if any(_phrase(n).search(folded) for n in _commune_names(c, gazetteer))]
    if gazetteer is not None:
        for village in tag_villages(text, communes, gazetteer, named=found):
            if village.commune not in found:
                found.append(village.commune)
    return found


def tag_villages(text: str, communes: Iterable[Commune], gazetteer: Gazetteer,
                 named: Sequence[str] | None = None) -> list[Village]:
    """Villages named with their word ("xóm Kim Sơn", "bản Nà Ca"). A name shared by villages of several communes
    counts only for a commune the story also names."""
    communes = list(communes)
    folded = _fold(text)
    if named is None:
        named = [c.id for c in communes if any(_phrase(n).search(folded) for n in _commune_names(c, gazetteer))]
    by_name: dict[str, list[Village]] = {}
    for village in gazetteer.villages:
        by_name.setdefault(_fold(village.name), []).append(village)
    out: list[Village] = []
    for name, places in by_name.items():
        # "Bản Na" is itself a village's name; "bản Bản Na" is never written, so the bare name counts too.
        spelled = [f"{word} {name}" for word in VILLAGE_WORDS]
        if name.split(" ", 1)[0] in {"bản", "khuổi", "nà", "lũng"}:
            spelled.append(name)
        if not any(_phrase(s).search(folded) for s in spelled):
            continue
        chosen = places if len(places) == 1 else [p for p in places if p.commune in named]
        out.extend(p for p in chosen if p not in out)
    return out


def place_and_unit_tags(text: str, communes: Iterable[Commune], gazetteer: Gazetteer, unit_id: str,
                        unit_name: str) -> list[tuple[str, str, str]]:
    """(kind, value, label) tags the store keeps beside movements and communes: each village named, and the
    contributing unit (the source that sent the story)."""
    communes = list(communes)
    by_id = {c.id: c for c in communes}
    tags = [("village", v.id, f"{v.name} ({by_id[v.commune].kind} {by_id[v.commune].name})")
            for v in tag_villages(text, communes, gazetteer) if v.commune in by_id]
    if unit_id:
        tags.append(("unit", unit_id, unit_name or unit_id))
    return tags


def unknown_movements(given: Iterable[str], movements: Iterable[Movement]) -> list[str]:
    known = {m.id for m in movements}
    return [g for g in given if g not in known]
