"""Typed records shared by every stage. Pure data: no I/O, no Prefect, no database."""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from flows.errors import UserError


class Priority(enum.IntEnum):
    """Broadcast priority of grassroots radio: higher airs first and is dropped last."""

    NORMAL = 0
    PRIORITY = 1
    EMERGENCY = 2

    @property
    def label_vi(self) -> str:
        return {0: "thông thường", 1: "ưu tiên", 2: "khẩn cấp"}[int(self)]

    @classmethod
    def parse(cls, value: object) -> "Priority":
        """Read a priority as editors write it: `khẩn`, `ưu tiên`, `thường` (with or without diacritics, any
        case), the English names, or 0/1/2. Anything else is an UnknownPriority (a UserError and a ValueError)."""
        if isinstance(value, Priority):
            return value
        if isinstance(value, int) and not isinstance(value, bool) and value in (0, 1, 2):
            return cls(value)
        if isinstance(value, str):
            found = _PRIORITY_NAMES.get(_folded(value))
            if found is not None:
                return cls(found)
        raise UnknownPriority(f"Mức ưu tiên '{value}' không đúng.",
                              hint="Dùng: thường, ưu tiên hoặc khẩn (hoặc normal, priority, emergency; 0, 1, 2).")


class UnknownPriority(UserError, ValueError):
    """A priority written in a way bantin does not read: a user's mistake, and a ValueError for validators."""


def _folded(text: str) -> str:
    """Lower case without diacritics or extra spaces: 'Khẩn  cấp' -> 'khan cap'."""
    text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).lower().replace("_", " ").split())


_PRIORITY_NAMES = {
    "0": 0, "normal": 0, "thuong": 0, "thong thuong": 0, "binh thuong": 0,
    "1": 1, "priority": 1, "uu tien": 1,
    "2": 2, "emergency": 2, "urgent": 2, "khan": 2, "khan cap": 2, "hoa toc": 2,
}


class StoryState(str, enum.Enum):
    """Where a story is in the newsroom's workflow; every change is kept as an event."""

    SUBMITTED = "submitted"
    NORMALISED = "normalised"
    APPROVED = "approved"
    PUBLISHED = "published"
    BROADCAST = "broadcast"
    FAILED = "failed"
    REJECTED = "rejected"
    RETRACTED = "retracted"

    @property
    def label_vi(self) -> str:
        return {
            "submitted": "đã gửi",
            "normalised": "đã chuẩn hóa",
            "approved": "đã duyệt",
            "published": "đã đăng",
            "broadcast": "đã phát",
            "failed": "lỗi",
            "rejected": "bị từ chối",
            "retracted": "đã rút",
        }[self.value]


STORY_KINDS = {
    "news": "tin tức",
    "model": "mô hình tiêu biểu",
    "practice": "cách làm hay",
    "example": "gương điển hình tiên tiến",
    "emergency": "thông báo khẩn",
}
"""A story's kind (its `kind` column) and what the year-end report calls it."""

DISTRICT = "district"
"""Audience marker: the story is for every station of the district."""

EMERGENCY_SOURCE = "khan-cap"
"""Source id of emergency items, written by the centre itself rather than gathered."""


@dataclass(frozen=True)
class Movement:
    """A patriotic emulation movement (phong trào thi đua) named by the district plan."""

    id: str
    name: str
    keywords: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Slot:
    """A broadcast slot of a station, e.g. morning at 06:00, with a length limit."""

    id: str
    name: str
    time: str
    max_seconds: float = 1800.0


@dataclass(frozen=True)
class AudioProfile:
    """How a station wants its files: format, loudness and voice. Every field is a station setting."""

    bitrate_kbps: int = 64
    sample_rate: int = 44100
    loudness_lufs: float = -16.0
    true_peak_dbtp: float = -1.0
    engines: tuple[str, ...] = ("espeak",)
    voice: str = "vi"
    rate: float = 1.0
    pause_seconds: float = 1.0


@dataclass(frozen=True)
class Station:
    """A broadcasting station: the district station or a commune/town loudspeaker station."""

    id: str
    name: str
    kind: str  # "district" or "commune"
    commune: str | None = None  # commune id for commune stations
    slots: tuple[Slot, ...] = ()
    audio: AudioProfile = field(default_factory=AudioProfile)
    ident: str = ""  # spoken opening line; the station name is used when empty
    headlines: int = 5  # titles read at the opening ("Điểm tin"); 0: none
    bed: bool = False  # the ident and date read over a music bed that ducks under the voice
    stings: bool = False  # a short sting between items instead of bare silence

    @property
    def is_district(self) -> bool:
        return self.kind == "district"


@dataclass(frozen=True)
class Commune:
    id: str
    name: str
    kind: str = "xã"  # "xã" or "thị trấn"


@dataclass(frozen=True)
class Cluster:
    """An emulation cluster (cụm thi đua: communes) or block (khối thi đua: agencies) of the district's council."""

    id: str
    name: str
    kind: str = "khối"  # "cụm" or "khối"


@dataclass(frozen=True)
class Unit:
    """A contributing unit (agency, mass organisation, commune) and the cluster or block it competes in."""

    id: str
    name: str
    cluster: str
    aliases: tuple[str, ...] = ()  # other names contributors sign with ("Công an huyện")
    commune: str | None = None  # a commune's or town's own People's Committee


@dataclass(frozen=True)
class PageRules:
    """How to read a unit's news site that has no feed: CSS selectors set per source in sources.toml."""

    links: str = "a"  # on the listing page: the links to article pages
    title: str = ""  # on an article page; empty: og:title, then the first h1, then <title>
    body: str = ""  # the article text; empty: the usual places (article, .content, main ...)
    date: str = ""  # the article's own date; empty: <time>, meta tags, then a date in the text
    drop: tuple[str, ...] = ()  # furniture inside the body to remove (share buttons, related links ...)
    max_articles: int = 20  # newest first, per gathering


@dataclass(frozen=True)
class Source:
    """Where stories come from: a feed, a web page, an inbox folder or authenticated submissions."""

    id: str
    name: str
    kind: str  # "feed", "page", "inbox", "submission" (a unit sends its stories through bantin serve)
    location: str  # URL, file:// URL or folder path; "" for submissions
    contributor: str = ""  # the agency, commune or organisation that submits
    audience: tuple[str, ...] = (DISTRICT,)
    trusted: bool = False  # stories from a trusted source are approved without an editor...
    review_hours: float = 2.0  # ...once this long has passed without an editor stopping them (0: at once)
    air_days: int = 3  # a story airs from its own date for this many days
    movements: tuple[str, ...] = ()  # default movement tags
    expect_every_days: float | None = None  # report the source as silent after this long without news
    page: PageRules | None = None  # kind "page": how to read its listing and article pages
    archive: bool = True  # kind "inbox": move each file to da-xu-ly/ or bi-tu-choi/ once it is gathered
    unit: str = ""  # the contributing unit (units.toml); empty: each story names its own, or none is known


@dataclass(frozen=True)
class SubmittedStory:
    """A story as a source gave it, before normalising."""

    source_id: str
    external_id: str
    title: str
    body: str  # HTML or plain text as submitted
    link: str = ""
    published_at: datetime | None = None
    author: str = ""
    audience: tuple[str, ...] = ()  # empty: take the source's default
    priority: Priority = Priority.NORMAL
    movements: tuple[str, ...] = ()
    content_type: str = "text/html"
    kind: str = ""  # as the contributor marked it (news, model, practice, example); empty: found at normalise
    unit: str = ""  # as the contributor named it (a units.toml id); empty: the source's, or found by author
    attachments: tuple[Attachment, ...] = ()  # photos, a video clip, a recording sent with the story


@dataclass(frozen=True)
class Attachment:
    """A file a unit sent with its story, already checked and kept in the newsroom's data folder."""

    kind: str  # "photo", "video", "audio"
    path: str  # where bantin keeps it
    media_type: str  # image/jpeg, video/mp4, audio/mpeg...
    caption: str = ""
    size: int = 0
    sha256: str = ""


@dataclass(frozen=True)
class SourceFailure:
    """A source or one of its items that could not be read, with a reason an editor understands."""

    source_id: str
    reason: str
    item: str = ""


@dataclass(frozen=True)
class BulletinItem:
    """One story as it goes on air."""

    story_id: int
    title: str
    spoken_text: str
    priority: Priority
    published_at: datetime
    district_wide: bool
    own: bool = False  # the commune's own news on its own station
    aired: int = 0  # how many bulletins of this station carried it before this one (for fair rotation)
    new: bool = False  # not in an earlier bulletin of the same day (the evening leads with these)


@dataclass(frozen=True)
class BulletinRequest:
    """Everything needed to build one station's bulletin for one slot of one day."""

    station: Station
    slot: Slot
    day: date
    items: tuple[BulletinItem, ...]


@dataclass(frozen=True)
class ProofWarning:
    """A proofreading warning on a story: a code, a Vietnamese message, and the words it is about."""

    code: str
    message: str
    excerpt: str = ""


@dataclass(frozen=True)
class StoryEvent:
    """One line of a story's history: what happened, who did it, when and why."""

    at: datetime
    state: StoryState
    actor: str
    message: str


@dataclass(frozen=True)
class Story:
    """A story as the newsroom holds it: what was submitted and what the desk made of it."""

    id: int
    source_id: str
    external_id: str
    title: str
    state: StoryState
    submitted_at: datetime
    raw_body: str = ""
    content_type: str = "text/html"
    link: str = ""
    author: str = ""
    published_at: datetime | None = None
    audience: tuple[str, ...] = (DISTRICT,)
    movements: tuple[str, ...] = ()
    communes: tuple[str, ...] = ()
    priority: Priority = Priority.NORMAL
    slug: str | None = None
    body_html: str | None = None
    body_text: str | None = None
    spoken_text: str | None = None
    fingerprint: str | None = None
    duplicate_of: int | None = None
    warnings: tuple[ProofWarning, ...] = ()
    failure: str | None = None
    audio_path: str | None = None
    portal_published_at: datetime | None = None
    kind: str = "news"  # news, model, practice, example (exemplary models...), emergency
    unit: str = ""  # the contributing unit (units.toml id); empty: not known
    air_from: date | None = None  # first and last day on air; None: not yet known (before normalising)
    air_until: date | None = None
    air_weekdays: tuple[int, ...] = ()  # 0 = Monday; empty: every day of the window
    stations: tuple[str, ...] = ()  # only these stations (an emergency for chosen stations); empty: by audience
    review_until: datetime | None = None  # a trusted source's story goes on air by itself after this
    spoken_override: str | None = None  # the reading an editor set by hand, for every station
    revision: int = 1
    events: tuple[StoryEvent, ...] = ()

    @property
    def reading(self) -> str:
        """What the voice reads: the editor's own reading when there is one, else the spoken form."""
        return self.spoken_override or self.spoken_text or ""

    def airs_on(self, day: date) -> bool:
        """Inside its air window on `day`, and on one of its weekdays if it names any."""
        if self.air_from is not None and day < self.air_from:
            return False
        if self.air_until is not None and day > self.air_until:
            return False
        return not self.air_weekdays or day.weekday() in self.air_weekdays

    @property
    def dated(self) -> datetime:
        """The story's own date, or the day it reached the newsroom when it gave none."""
        return self.published_at or self.submitted_at

    @property
    def district_wide(self) -> bool:
        return DISTRICT in self.audience
