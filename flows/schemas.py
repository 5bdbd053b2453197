"""The declared shape of each content file (pydantic): the input side of flows/content.py.

These models only say what an editor may write: keys, types and values. They are strict on purpose:
`trusted = "false"` is a string, not a boolean, and is refused rather than read as true; an unknown key
is a typo, not something to ignore. flows/content.py checks what needs more than one file (ids that refer
to each other, duplicates) and builds the typed records of flows/models.py from these.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import time
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictBool
from pydantic_core import PydanticCustomError

from flows.models import DISTRICT

# The TTS engines flows/audio/engines knows (tests/test_content.py holds the two lists together; importing
# the audio package here would cost every command a second of start-up).
ENGINE_NAMES = ("espeak", "fpt", "gtts", "piper", "vbee", "viettel")

# MP3 (MPEG-1 and -2 layer III) sample rates and bitrates an encoder accepts.
MP3_SAMPLE_RATES = (8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000)
MP3_BITRATES = (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 192, 224, 256, 320)

_SLUG = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")


def ascii_slug(text: str) -> str:
    """'Xã La Hiên' -> 'xa-la-hien': what an id written with accents or spaces should have been."""
    text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def fold(text: str) -> str:
    """Lower case, no diacritics, single spaces: how editors' Vietnamese values are compared."""
    return " ".join(ascii_slug(text).split("-"))


def _bantin_error(message: str, hint: str = "Sửa giá trị này.") -> PydanticCustomError:
    return PydanticCustomError("bantin", message, {"hint": hint})


def _slug(value: str) -> str:
    if _SLUG.fullmatch(value):
        return value
    suggestion = ascii_slug(value)
    raise _bantin_error(
        f"mã \"{value}\" không hợp lệ: mã chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang "
        "(không dấu cách, không '/', không '.').",
        f"Ví dụ: \"{suggestion}\"." if suggestion else "Ví dụ: \"xa-la-hien\".")


def _time_of_day(value: Any) -> Any:
    if isinstance(value, time):  # `time = 06:00:00` without quotes is a TOML local time
        return value.strftime("%H:%M")
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d{1,2})[:hH](\d{2})\s*", value)
        if match and int(match.group(1)) < 24 and int(match.group(2)) < 60:
            return f"{int(match.group(1)):02d}:{match.group(2)}"
        raise _bantin_error(f"giờ phát \"{value}\" phải viết dạng HH:MM (giờ 00–23, phút 00–59).",
                            "Ví dụ: time = \"06:00\" hoặc \"17:30\".")
    return value


def _engine(value: str) -> str:
    if value in ENGINE_NAMES:
        return value
    raise _bantin_error(f"không có bộ đọc \"{value}\".", f"Dùng một trong: {', '.join(ENGINE_NAMES)}.")


def _location(value: str) -> str:
    if not value.strip():
        raise _bantin_error("không được để trống.", "Ghi địa chỉ web (https://...) hoặc đường dẫn thư mục, tệp.")
    if "://" in value or re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", value) and not re.match(r"[A-Za-z]:[\\/]", value):
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https", "file"):
            raise _bantin_error(f"địa chỉ \"{value}\" không hợp lệ: chỉ dùng được http://, https:// hoặc file://.",
                                "Sửa địa chỉ, hoặc ghi đường dẫn tệp (tương đối so với thư mục content/).")
        if parts.scheme in ("http", "https") and (not parts.hostname or " " in value):
            raise _bantin_error(f"địa chỉ \"{value}\" không hợp lệ: thiếu tên máy chủ hoặc có dấu cách.",
                                "Ví dụ: \"https://vonhai.thainguyen.gov.vn/rss\".")
    return value


def _bitrate(value: int) -> int:
    if value in MP3_BITRATES:
        return value
    raise _bantin_error(f"{value} không phải tốc độ bit MP3 (kbps).",
                        f"Dùng một trong: {', '.join(map(str, MP3_BITRATES))} (đài xã thường dùng 64).")


def _sample_rate(value: int) -> int:
    if value in MP3_SAMPLE_RATES:
        return value
    raise _bantin_error(f"{value} không phải tần số lấy mẫu MP3 (Hz).",
                        f"Dùng một trong: {', '.join(map(str, MP3_SAMPLE_RATES))} (thường là 44100).")


def _words(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _text(value: str) -> str:
    return unicodedata.normalize("NFC", value)


Slug = Annotated[str, AfterValidator(_slug)]
Text = Annotated[str, BeforeValidator(_words), Field(min_length=1), AfterValidator(_text)]
OptionalText = Annotated[str, AfterValidator(_text)]
TimeOfDay = Annotated[str, BeforeValidator(_time_of_day)]
EngineName = Annotated[str, AfterValidator(_engine)]
Location = Annotated[str, AfterValidator(_location)]
Bitrate = Annotated[int, AfterValidator(_bitrate)]
SampleRate = Annotated[int, AfterValidator(_sample_rate)]


def _one_of(aliases: dict[str, str], what: str, choices: str) -> BeforeValidator:
    """Accept a value as editors write it (with or without diacritics) and give the code's own name."""
    def pick(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        found = aliases.get(fold(value))
        if found is None:
            raise _bantin_error(f"không có {what} \"{value}\".", f"Dùng một trong: {choices}.")
        return found
    return BeforeValidator(pick)


STATION_KINDS = {"district": "district", "huyen": "district", "commune": "commune", "xa": "commune",
                 "thi tran": "commune"}
COMMUNE_KINDS = {"xa": "xã", "thi tran": "thị trấn", "phuong": "phường"}
SOURCE_KINDS = {"feed": "feed", "rss": "feed", "atom": "feed", "page": "page", "trang": "page",
                "trang web": "page", "inbox": "inbox", "hop thu": "inbox", "submission": "submission",
                "gui tin": "submission", "gui truc tiep": "submission"}
DISTRICT_NAMES = {DISTRICT, "huyen", "toan huyen"}


def _audience(value: Any) -> Any:
    """'toàn huyện' is how an editor says `district`."""
    if isinstance(value, str) and fold(value) in DISTRICT_NAMES:
        return DISTRICT
    return value


class Strict(BaseModel):
    """Types as written in TOML (no "false" read as true), and no key the schema does not name."""

    model_config = ConfigDict(strict=True, extra="forbid")


# --- stations.toml -------------------------------------------------------------------------------------------

class SlotSchema(Strict):
    id: Slug
    name: Text
    time: TimeOfDay
    max_seconds: float | None = Field(default=None, gt=0)


class AudioSchema(Strict):
    """A station's audio settings; every key may be left out (the [defaults] table, then bantin's own)."""

    bitrate_kbps: Bitrate | None = None
    sample_rate: SampleRate | None = None
    loudness_lufs: float | None = Field(default=None, ge=-70, le=0)
    true_peak_dbtp: float | None = Field(default=None, ge=-20, le=0)
    engines: list[EngineName] | None = Field(default=None, min_length=1)
    voice: Text | None = None
    rate: float | None = Field(default=None, gt=0, le=4)
    pause_seconds: float | None = Field(default=None, ge=0, le=30)


class DefaultsSchema(AudioSchema):
    slot: list[SlotSchema] = Field(default_factory=list)
    max_seconds: float | None = Field(default=None, gt=0)
    headlines: int | None = Field(default=None, ge=0, le=20)
    bed: StrictBool | None = None
    stings: StrictBool | None = None


class StationSchema(AudioSchema):
    id: Slug
    name: Text
    kind: Annotated[Literal["district", "commune"], _one_of(STATION_KINDS, "loại đài", "district (đài huyện), commune (đài xã, thị trấn)")]
    commune: Slug | None = None
    slot: list[SlotSchema] | None = None
    max_seconds: float | None = Field(default=None, gt=0)
    ident: OptionalText = ""
    headlines: int | None = Field(default=None, ge=0, le=20)  # titles read at the opening; 0: none
    bed: StrictBool | None = None  # the ident over a music bed
    stings: StrictBool | None = None  # a sting between items


class CommuneSchema(Strict):
    id: Slug
    name: Text
    kind: Annotated[str, _one_of(COMMUNE_KINDS, "loại đơn vị", "xã, thị trấn, phường")] = "xã"


class StationsFile(Strict):
    defaults: DefaultsSchema = Field(default_factory=DefaultsSchema)
    station: list[StationSchema] = Field(min_length=1)
    commune: list[CommuneSchema] = Field(default_factory=list)


# --- sources.toml --------------------------------------------------------------------------------------------

def _selector(value: str) -> str:
    """A CSS selector soupsieve (BeautifulSoup's) can compile; empty means 'the usual places'."""
    if value:
        import soupsieve  # only when a page source names selectors

        try:
            soupsieve.compile(value)
        except soupsieve.SelectorSyntaxError as exc:
            raise _bantin_error(f"\"{value}\" không phải bộ chọn CSS hợp lệ ({exc.args[0] if exc.args else exc}).",
                                "Ví dụ: \".list-news a.title\", \"h1.title-detail\", \".detail-content\".") from None
    return value


Selector = Annotated[str, AfterValidator(_selector)]


class PageSchema(Strict):
    """[source.page]: how to read a news site without a feed (flows/models.py PageRules)."""

    links: Selector = "a"
    title: Selector = ""
    body: Selector = ""
    date: Selector = ""
    drop: list[Selector] = Field(default_factory=list)
    max_articles: int = Field(default=20, ge=1)


class SourceSchema(Strict):
    id: Slug
    name: Text
    kind: Annotated[Literal["feed", "page", "inbox", "submission"],
                    _one_of(SOURCE_KINDS, "loại nguồn", "feed (RSS/Atom), page (trang web), inbox (hộp thư), "
                                                        "submission (đơn vị gửi tin qua bantin serve)")]
    location: Location | None = None  # required for every kind but submission (flows/content.py checks)
    contributor: OptionalText = ""
    audience: list[Annotated[Slug, BeforeValidator(_audience)]] = Field(default_factory=lambda: [DISTRICT],
                                                                       min_length=1)
    trusted: StrictBool = False
    review_hours: float = Field(default=2.0, ge=0)
    air_days: int = Field(default=3, ge=1)
    movements: list[Slug] = Field(default_factory=list)
    expect_every_days: float | None = Field(default=None, gt=0)  # `bantin status` reports a silent source
    archive: StrictBool = True  # kind inbox: move each gathered file aside
    page: PageSchema | None = None  # kind page
    unit: Slug | None = None  # the contributing unit (an id in units.toml)


class SourcesFile(Strict):
    source: list[SourceSchema] = Field(default_factory=list)


# --- units.toml ----------------------------------------------------------------------------------------------

CLUSTER_KINDS = {"cum": "cụm", "cum thi dua": "cụm", "khoi": "khối", "khoi thi dua": "khối"}


class ClusterSchema(Strict):
    id: Slug
    name: Text
    kind: Annotated[Literal["cụm", "khối"], _one_of(CLUSTER_KINDS, "loại cụm, khối",
                                                     "cụm (cụm thi đua các xã, thị trấn), khối (khối thi đua các cơ quan)")] = "khối"


class UnitSchema(Strict):
    id: Slug
    name: Text
    cluster: Slug
    aliases: list[Text] = Field(default_factory=list)  # other names the unit signs its stories with
    commune: Slug | None = None  # a commune's or town's own People's Committee


class UnitsFile(Strict):
    cluster: list[ClusterSchema] = Field(default_factory=list)
    unit: list[UnitSchema] = Field(default_factory=list)


# --- movements.toml ------------------------------------------------------------------------------------------

class MovementSchema(Strict):
    id: Slug
    name: Text
    keywords: list[Text] = Field(default_factory=list)
    description: OptionalText = ""


class MovementsFile(Strict):
    movement: list[MovementSchema] = Field(default_factory=list)


# --- lexicon.toml --------------------------------------------------------------------------------------------
# The shape only: flows/text/lexicon.py reads the entries. A new table there needs its line here.

class ContextRuleSchema(Strict):
    say: str
    next: list[str] = Field(default_factory=list)
    prev: list[str] = Field(default_factory=list)


class ContextSchema(Strict):
    default: str | None = None
    rules: list[ContextRuleSchema] = Field(default_factory=list)


class ProofreadSchema(Strict):
    allowed_repeats: list[str] = Field(default_factory=list)


class LexiconTables(Strict):
    abbreviations: dict[str, str] = Field(default_factory=dict)
    doc_codes: dict[str, str] = Field(default_factory=dict)
    units: dict[str, str] = Field(default_factory=dict)
    words: dict[str, str] = Field(default_factory=dict)
    misspellings: dict[str, str] = Field(default_factory=dict)
    context: dict[str, ContextSchema] = Field(default_factory=dict)
    proofread: ProofreadSchema = Field(default_factory=ProofreadSchema)


class LexiconFile(LexiconTables):
    station: dict[str, LexiconTables] = Field(default_factory=dict)
