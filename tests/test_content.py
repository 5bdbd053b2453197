"""The Võ Nhai content folder and the settings that read it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from flows.content import ContentError, Newsroom, parse_stations
from flows.contentfile import key_lines
from flows.errors import NotFoundError, UserError
from flows.models import DISTRICT, Priority
from flows.schemas import ENGINE_NAMES
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


# --- Every content file is read through its schema: mistakes name the file, the line and the field ----------

# (file, what is replaced, by what, after which text, what the error must say: {first}/{last} line of the edit,
# {block} the line of the [[block]] it is in)
MISTAKES = [
    ("sources.toml", "trusted = true", 'trusted = "false"', 'id = "phong-vhtt"',
     ["sources.toml, dòng {first}", 'khối [[source]] thứ 2 (id = "phong-vhtt"), khóa trusted',
      'không phải chuỗi "false"']),
    ("sources.toml", 'kind = "feed"', 'kind = "tin"', 'id = "phong-vhtt"',
     ["dòng {first}", "khóa kind", 'không có loại nguồn "tin"']),
    ("sources.toml", 'location = "samples/feeds/phong-vhtt.xml"', 'location = "htp://vonhai.gov.vn/rss"', "",
     ["dòng {first}", "khóa location", "http://, https:// hoặc file://"]),
    ("sources.toml", 'location = "samples/feeds/phong-vhtt.xml"', 'location = "https:///rss"', "",
     ["dòng {first}", "thiếu tên máy chủ"]),
    ("sources.toml", 'id = "hop-thu"', 'id = "../../x"', "", ["dòng {first}", 'mã "../../x" không hợp lệ']),
    ("sources.toml", "trusted = true", 'trusted = true\nmovements = ["khong-co"]', 'id = "phong-vhtt"',
     ["dòng {last}", "khóa movements, phần tử thứ 1", 'không có phong trào "khong-co" trong movements.toml']),
    ("sources.toml", 'audience = ["la-hien"]', 'audience = ["La Hiên"]', "", ["dòng {first}", 'Ví dụ: "la-hien"']),
    ("sources.toml", "trusted = true", "trusted = true\nprioriy = 1", 'id = "phong-vhtt"',
     ["dòng {last}", "khóa 'prioriy'"]),
    ("sources.toml", "trusted = true", "trusted = true\nair_days = 0", 'id = "phong-vhtt"',
     ["dòng {last}", "khóa air_days", "phải không nhỏ hơn 1"]),
    ("sources.toml", 'body = ".detail-content"', 'body = ".detail-content["', "[source.page]",
     ["dòng {first}", "bảng [source.page], khóa body", "không phải bộ chọn CSS hợp lệ"]),
    ("sources.toml", "archive = false", 'archive = "false"', 'id = "hop-thu"',
     ["dòng {first}", "khóa archive", "true hoặc false"]),
    ("stations.toml", "stings = true", 'stings = "có"', 'id = "vo-nhai"',
     ["dòng {first}", "khóa stings", "true hoặc false"]),
    ("stations.toml", 'time = "06:00"', 'time = "6 giờ sáng"', "",
     ["dòng {first}", "[[defaults.slot]] thứ 1", "HH:MM"]),
    ("stations.toml", "bitrate_kbps = 64", "bitrate_kbps = -64", "",
     ["dòng {first}", "bảng [defaults]", "bitrate_kbps", "-64 không phải tốc độ bit MP3"]),
    ("stations.toml", "loudness_lufs = -16.0", 'loudness_lufs = "-16"', "", ["dòng {first}", "phải là một số"]),
    ("stations.toml", 'commune = "la-hien"', 'commune = "la-hein"', "", ["dòng {first}", 'không có xã "la-hein"']),
    ("stations.toml", 'kind = "commune"', 'kind = "phuong"', 'id = "binh-long"',
     ["dòng {first}", 'không có loại đài "phuong"']),
    ("stations.toml", 'id = "vu-chan"', 'id = "than-sa"', "[[commune]]",
     ["dòng {first}", "[[commune]] thứ 15", 'mã xã "than-sa" trùng với khối [[commune]] thứ 12']),
    ("stations.toml", 'id = "vu-chan"', 'id = "vo-nhai"', "",
     ["dòng {first}", 'mã đài "vo-nhai" trùng với khối [[station]] thứ 1']),
    ("movements.toml", 'id = "dan-van-kheo"', 'id = "ngan-sach"', "", ["movements.toml, dòng {first}", "trùng"]),
    ("movements.toml", 'name = "Dân vận khéo"\n', "", "",
     ["movements.toml, dòng {block}", "thiếu khóa bắt buộc 'name'"]),
    ("lexicon.toml", "[station.than-sa.words]", "[station.than-xa.words]", "",
     ["lexicon.toml, dòng {first}", "bảng [station.than-xa]", 'không có đài "than-xa"']),
    ("lexicon.toml", '"Mỏ Gà" = "mỏ gà"', '"Mỏ Gà" = 5', "",
     ["lexicon.toml, dòng {first}", "bảng [station.than-sa.words], khóa Mỏ Gà", "phải là một chuỗi"]),
    ("lexicon.toml", "[proofread]", "[proofreed]", "", ["lexicon.toml", "khóa 'proofreed'", "'proofread'"]),
    ("lexicon.toml", 'UBND = "ủy ban nhân dân"', 'UBND = "ủy ban nhân dân', "",
     ["lexicon.toml, dòng {first}, cột 24", "chưa đóng ngoặc kép"]),
    ("bantin.toml", "max_bytes = 10_000_000", "max_bytes = -1", "",
     ["bantin.toml, dòng {first}", "[gather]", "phải lớn hơn 0"]),
    ("bantin.toml", "[portal]", "[portail]", "", ["bantin.toml, dòng {first}", "Có phải ý là 'portal'?"]),
]


@pytest.mark.parametrize(("name", "old", "new", "after", "expected"), MISTAKES,
                         ids=[f"{m[0]}:{m[2][:24]}" for m in MISTAKES])
def test_content_mistakes_name_the_file_line_and_field(content_dir: Path, edit_content: Callable[..., Any],
                                                       name: str, old: str, new: str, after: str,
                                                       expected: list[str]) -> None:
    edit = edit_content(name, old, new, after)
    with pytest.raises(ContentError) as caught:
        Newsroom.load(content_dir).check()
    for words in expected:
        assert edit.expect(words) in str(caught.value), (edit.expect(words), str(caught.value))


def test_vietnamese_values_are_read_as_editors_write_them(content_dir: Path,
                                                          edit_content: Callable[..., Any]) -> None:
    edit_content("stations.toml", 'kind = "commune"', 'kind = "xã"', 'id = "binh-long"')
    edit_content("stations.toml", 'kind = "district"', 'kind = "Huyện"', 'id = "vo-nhai"')
    edit_content("stations.toml", 'time = "06:00"', 'time = "6:00"')
    edit_content("stations.toml", 'kind = "thị trấn"', 'kind = "thi tran"', 'id = "dinh-ca"\nname = "Đình Cả"')
    edit_content("sources.toml", 'kind = "feed"', 'kind = "RSS"', 'id = "phong-vhtt"')
    edit_content("sources.toml", 'audience = ["district"]', 'audience = ["toàn huyện"]', 'id = "phong-vhtt"')
    edit_content("sources.toml", 'kind = "inbox"', 'kind = "hộp thư"', 'id = "hop-thu"')
    newsroom = Newsroom.load(content_dir)
    assert newsroom.station("binh-long").kind == "commune" and newsroom.station("vo-nhai").is_district
    assert [slot.time for slot in newsroom.stations[1].slots] == ["06:00", "17:00"]
    assert next(c for c in newsroom.communes if c.id == "dinh-ca").kind == "thị trấn"
    assert newsroom.source("phong-vhtt").kind == "feed" and newsroom.source("phong-vhtt").audience == (DISTRICT,)
    assert newsroom.source("hop-thu").kind == "inbox"


@pytest.mark.parametrize(
    ("written", "priority"),
    [("khẩn", Priority.EMERGENCY), ("Khẩn cấp", Priority.EMERGENCY), ("khan", Priority.EMERGENCY),
     ("emergency", Priority.EMERGENCY), (2, Priority.EMERGENCY), ("2", Priority.EMERGENCY),
     ("ưu tiên", Priority.PRIORITY), ("UU TIEN", Priority.PRIORITY), ("priority", Priority.PRIORITY),
     (1, Priority.PRIORITY), ("thường", Priority.NORMAL), ("thông thường", Priority.NORMAL),
     ("normal", Priority.NORMAL), (0, Priority.NORMAL), (Priority.PRIORITY, Priority.PRIORITY)],
)
def test_priority_is_read_in_vietnamese_or_english(written: object, priority: Priority) -> None:
    assert Priority.parse(written) is priority


@pytest.mark.parametrize("written", ["cao", "", 3, -1, True, None, 1.0])
def test_an_unknown_priority_is_refused_in_vietnamese(written: object) -> None:
    with pytest.raises(ValueError, match="Mức ưu tiên .* không đúng") as caught:
        Priority.parse(written)
    assert isinstance(caught.value, UserError) and "thường, ưu tiên hoặc khẩn" in caught.value.hint


def test_the_schema_knows_every_voice_engine() -> None:
    from flows.audio.engines import ENGINES

    assert set(ENGINE_NAMES) == set(ENGINES)


def test_sources_named_refuses_an_unknown_id(content_dir: Path) -> None:
    newsroom = Newsroom.load(content_dir)
    assert [s.id for s in newsroom.sources_named(["hop-thu", "phong-vhtt"])] == ["phong-vhtt", "hop-thu"]
    assert newsroom.sources_named(None) == newsroom.sources
    with pytest.raises(NotFoundError, match='không có nguồn tin "khong-co"') as caught:
        newsroom.sources_named(["phong-vhtt", "khong-co"])
    assert "hop-thu" in caught.value.hint
    with pytest.raises(NotFoundError, match='không có đài "khong-co"'):
        newsroom.station("khong-co")


def test_a_file_is_read_when_it_is_needed(content_dir: Path) -> None:
    (content_dir / "sources.toml").write_text('[[source]]\nid = "x"\n', encoding="utf-8")
    newsroom = Newsroom.load(content_dir)
    assert len(newsroom.stations) == 16 and newsroom.lexicon().stations() == ["dinh-ca", "than-sa"]
    with pytest.raises(ContentError, match="thiếu khóa bắt buộc 'name'"):
        _ = newsroom.sources


def test_key_lines_follow_blocks_nested_blocks_and_quoted_keys() -> None:
    text = '\n'.join([
        '[[station]]',            # 1
        'id = "a"',               # 2
        '[[station.slot]]',       # 3
        'id = "s"',               # 4
        '[[station]]',            # 5
        'note = """',             # 6
        'id = "not a key"',       # 7
        '"""',                    # 8
        'id = "b"',               # 9
        '[[station.slot]]',       # 10
        'time = "06:00"',         # 11
        '[words]',                # 12
        '"Mỏ Gà" = "mỏ gà"',      # 13
        '[station.x."TT."]',      # 14 (not valid next to [[station]], but the index does not care)
    ])
    lines, blocks = key_lines(text)
    assert lines[("station", 0, "slot", 0, "id")] == 4
    assert lines[("station", 1, "id")] == 9
    assert lines[("station", 1, "slot", 0, "time")] == 11
    assert lines[("words", "Mỏ Gà")] == 13
    assert ("station", 1, "slot", 0) in blocks and ("words",) not in blocks


@pytest.mark.parametrize(("table", "key", "what", "variable"), [
    ("[storage]", "secret", "khóa bí mật của kho lưu trữ chung", "BANTIN_STORAGE__SECRET"),
    ("[alerts]", "smtp_password", "mật khẩu thư điện tử", "BANTIN_ALERTS__SMTP_PASSWORD"),
    ("[audio.fpt]", "key", "khóa API của FPT.AI", "BANTIN_AUDIO__FPT__KEY"),
    ("[audio.vbee]", "key", "khóa API của Vbee", "BANTIN_AUDIO__VBEE__KEY"),
])
def test_a_secret_written_in_the_content_file_is_refused_with_its_line(
        content_dir: Path, monkeypatch: pytest.MonkeyPatch, table: str, key: str, what: str, variable: str) -> None:
    """A content folder is copied and shared: a secret belongs in the environment, where it is still read."""
    toml = content_dir / "bantin.toml"
    clean = toml.read_text(encoding="utf-8")
    monkeypatch.setenv(variable, "gia-tri-bi-mat")
    assert getattr(_section(load_settings(content_dir), table), key).get_secret_value() == "gia-tri-bi-mat"
    toml.write_text(clean + f'\n{table}\n{key} = "lo-ra"\n', encoding="utf-8")
    with pytest.raises(UserError) as refused:
        load_settings(content_dir)
    line = len((clean + f"\n{table}\n").splitlines()) + 1
    assert refused.value.message == f"không ghi {what} vào tệp nội dung."
    assert refused.value.where.endswith(f"bantin.toml, dòng {line}") and variable in refused.value.hint
    assert "lo-ra" not in str(refused.value.message) + refused.value.hint


def _section(settings: Any, table: str) -> Any:
    for part in table.strip("[]").split("."):
        settings = getattr(settings, part)
    return settings
