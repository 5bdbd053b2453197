"""Typed records shared by every stage. Pure data: no I/O, no Prefect, no database."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime


class Priority(enum.IntEnum):
    """Broadcast priority of grassroots radio: higher airs first and is dropped last."""

    NORMAL = 0
    PRIORITY = 1
    EMERGENCY = 2

    @property
    def label_vi(self) -> str:
        return {0: "thông thường", 1: "ưu tiên", 2: "khẩn cấp"}[int(self)]


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

    @property
    def is_district(self) -> bool:
        return self.kind == "district"


@dataclass(frozen=True)
class Commune:
    id: str
    name: str
    kind: str = "xã"  # "xã" or "thị trấn"


@dataclass(frozen=True)
class Source:
    """Where stories come from: a feed, a web page, an inbox folder or authenticated submissions."""

    id: str
    name: str
    kind: str  # "feed", "page", "inbox"
    location: str  # URL, file:// URL or folder path
    contributor: str = ""  # the agency, commune or organisation that submits
    audience: tuple[str, ...] = (DISTRICT,)
    trusted: bool = False  # stories from a trusted source are approved without an editor
    movements: tuple[str, ...] = ()  # default movement tags


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
    events: tuple[StoryEvent, ...] = ()

    @property
    def dated(self) -> datetime:
        """The story's own date, or the day it reached the newsroom when it gave none."""
        return self.published_at or self.submitted_at

    @property
    def district_wide(self) -> bool:
        return DISTRICT in self.audience
