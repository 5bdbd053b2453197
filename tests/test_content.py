"""The Võ Nhai content folder and the settings that read it."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.content import ContentError, Newsroom, parse_stations
from flows.models import DISTRICT
from flows.settings import load_settings

COMMUNES = {"Đình Cả", "Bình Long", "Cúc Đường", "Dân Tiến", "La Hiên", "Lâu Thượng", "Liên Minh", "Nghinh Tường",
            "Phú Thượng", "Phương Giao", "Sảng Mộc", "Thần Sa", "Thượng Nung", "Tràng Xá", "Vũ Chấn"}


def test_vo_nhai_stations(content_dir: Path) -> None:
    newsroom = Newsroom.load(content_dir)
    stations = newsroom.stations
    assert len(stations) == 16
    district = [s for s in stations if s.is_district]
    assert [s.name for s in district] == ["Đài Truyền thanh huyện Võ Nhai"]
    names = {s.name.removeprefix("Đài Truyền thanh ") for s in stations if not s.is_district}
    assert {n.removeprefix("xã ").removeprefix("thị trấn ") for n in names} == COMMUNES
    assert "thị trấn Đình Cả" in names
    assert all(s.id.isascii() and [slot.id for slot in s.slots] == ["sang", "chieu"] for s in stations)
    assert all(s.audio.bitrate_kbps == 64 and s.audio.loudness_lufs == -16.0 for s in stations)


def test_movements_and_sources(content_dir: Path) -> None:
    newsroom = Newsroom.load(content_dir)
    assert len(newsroom.movements) == 11
    assert any("Lời kêu gọi thi đua ái quốc" in m.name for m in newsroom.movements)
    kinds = {s.kind for s in newsroom.sources}
    assert {"feed", "inbox"} <= kinds
    assert newsroom.source("xa-la-hien").audience == ("la-hien",)
    assert newsroom.source("phong-vhtt").audience == (DISTRICT,)


def test_relative_paths_resolve_against_the_content_folder(content_dir: Path) -> None:
    settings = load_settings(content_dir)
    assert settings.store.url == f"sqlite:///{content_dir.parent / 'data' / 'bantin.sqlite3'}"
    assert settings.audio.output == content_dir.parent / "audio_out"


def test_environment_overrides_the_file(content_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BANTIN_STORE__URL", "postgresql+psycopg://bantin@db/bantin")
    monkeypatch.setenv("BANTIN_AUDIO__ENGINES", '["gtts", "espeak"]')
    settings = load_settings(content_dir)
    assert settings.store.url == "postgresql+psycopg://bantin@db/bantin"
    assert settings.audio.engines == ["gtts", "espeak"]
    assert settings.district.name == "huyện Võ Nhai"  # the rest still comes from bantin.toml


def test_station_of_an_unknown_commune_is_refused() -> None:
    data = {"station": [{"id": "x", "kind": "commune", "commune": "khong-co", "name": "Đài x"}], "commune": []}
    with pytest.raises(ContentError, match="khong-co"):
        parse_stations(data, ("espeak",))


def test_broken_toml_names_the_file(content_dir: Path) -> None:
    (content_dir / "sources.toml").write_text("[[source]\nid=", encoding="utf-8")
    with pytest.raises(ContentError, match="sources.toml"):
        _ = Newsroom.load(content_dir).sources


def test_a_station_picks_its_own_voice_engines_and_loudness() -> None:
    data = {
        "defaults": {"loudness_lufs": -16.0, "slot": [{"id": "sang", "name": "buổi sáng", "time": "06:00"}]},
        "commune": [{"id": "than-sa", "name": "Thần Sa"}],
        "station": [
            {"id": "vo-nhai", "kind": "district", "name": "Đài huyện", "engines": ["gtts", "espeak"], "rate": 0.9},
            {"id": "than-sa", "kind": "commune", "commune": "than-sa", "name": "Đài xã", "loudness_lufs": -23.0},
        ],
    }
    (district, commune), _ = parse_stations(data, ("espeak",))
    assert district.audio.engines == ("gtts", "espeak") and district.audio.rate == 0.9
    assert commune.audio.engines == ("espeak",) and commune.audio.loudness_lufs == -23.0
    assert district.audio.loudness_lufs == -16.0 and [s.id for s in commune.slots] == ["sang"]


def test_bed_and_stings_come_from_the_station_or_its_defaults(content_dir: Path) -> None:
    stations = {s.id: s for s in Newsroom.load(content_dir).stations}
    assert stations["vo-nhai"].bed and stations["vo-nhai"].stings  # the demo: the district station has both...
    assert all(s.bed and not s.stings for sid, s in stations.items() if sid != "vo-nhai")  # ...communes the bed
    data = {"defaults": {"stings": True, "slot": [{"id": "sang", "name": "Sáng", "time": "06:00"}]},
            "station": [{"id": "a", "kind": "district", "name": "Đài A"},
                        {"id": "b", "kind": "district", "name": "Đài B", "bed": True, "stings": False}]}
    a, b = parse_stations(data, ("espeak",))[0]
    assert (a.bed, a.stings, b.bed, b.stings) == (False, True, True, False)


def test_a_bed_setting_that_is_not_true_or_false_is_refused() -> None:
    data = {"station": [{"id": "a", "kind": "district", "name": "Đài A", "bed": "có"}]}
    with pytest.raises(ContentError, match="bed phải là true hoặc false"):
        parse_stations(data, ("espeak",))
