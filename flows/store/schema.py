"""Tables of the story store. Changing them needs a new Alembic revision in migrations/versions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class StoryRow(Base):
    """A submitted story and what the newsroom made of it; never deleted."""

    __tablename__ = "stories"
    __table_args__ = (
        UniqueConstraint("source_id", "external_id", name="uq_story_source_item"),
        Index("ix_stories_state", "state"),
        Index("ix_stories_fingerprint", "fingerprint"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[str] = mapped_column(String(100))
    external_id: Mapped[str] = mapped_column(String(500))
    title: Mapped[str] = mapped_column(Text)  # cleaned at normalise; as submitted before that
    raw_title: Mapped[str | None] = mapped_column(Text, nullable=True)  # as submitted, once cleaned
    raw_body: Mapped[str] = mapped_column(Text)  # as submitted, kept so nothing is lost
    content_type: Mapped[str] = mapped_column(String(50), default="text/html")
    link: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    submitted_at: Mapped[datetime] = mapped_column(DateTime)
    audience: Mapped[list[str]] = mapped_column(JSON, default=list)
    movements: Mapped[list[str]] = mapped_column(JSON, default=list)
    communes: Mapped[list[str]] = mapped_column(JSON, default=list)  # communes the story is about
    priority: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(20))
    # Filled by normalise:
    slug: Mapped[str | None] = mapped_column(String(200), nullable=True, unique=True)
    body_html: Mapped[str | None] = mapped_column(Text, nullable=True)
    body_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    spoken_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    fingerprint: Mapped[str | None] = mapped_column(String(64), nullable=True)
    duplicate_of: Mapped[int | None] = mapped_column(ForeignKey("stories.id"), nullable=True)
    warnings: Mapped[list[dict]] = mapped_column(JSON, default=list)
    failure: Mapped[str | None] = mapped_column(Text, nullable=True)
    audio_path: Mapped[str | None] = mapped_column(Text, nullable=True)  # the story's own MP3, for the portal
    portal_published_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # Editorial control (0003):
    kind: Mapped[str] = mapped_column(String(30), default="news")
    air_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    air_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    air_weekdays: Mapped[list[int]] = mapped_column(JSON, default=list)
    stations: Mapped[list[str]] = mapped_column(JSON, default=list)
    review_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    spoken_override: Mapped[str | None] = mapped_column(Text, nullable=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    # The year-end report (migration 0006_report):
    unit: Mapped[str] = mapped_column(String(100), default="")  # contributing unit (units.toml id); "": unknown

    events: Mapped[list["StoryEventRow"]] = relationship(
        back_populates="story", order_by="StoryEventRow.id", cascade="all, delete-orphan"
    )


class StoryEventRow(Base):
    """One step of a story's history: submitted, normalised, approved, published, broadcast, failed."""

    __tablename__ = "story_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id"), index=True)
    state: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(DateTime)
    message: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(100), default="bantin")

    story: Mapped[StoryRow] = relationship(back_populates="events")


class BroadcastRow(Base):
    """A story carried by one station's bulletin for one slot of one day."""

    __tablename__ = "broadcasts"
    __table_args__ = (UniqueConstraint("story_id", "station_id", "day", "slot_id", name="uq_broadcast"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id"), index=True)
    station_id: Mapped[str] = mapped_column(String(100))
    day: Mapped[date] = mapped_column(Date)
    slot_id: Mapped[str] = mapped_column(String(50))
    bulletin_path: Mapped[str] = mapped_column(Text)
    engine: Mapped[str] = mapped_column(String(50), default="")
    at: Mapped[datetime] = mapped_column(DateTime)


class SourceRunRow(Base):
    """What one gathering pass got from one source; the year-end report counts these."""

    __tablename__ = "source_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[str] = mapped_column(String(100), index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    gathered: Mapped[int] = mapped_column(Integer, default=0)
    new: Mapped[int] = mapped_column(Integer, default=0)
    known: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)


class PublicationRow(Base):
    """A story as it stands at one destination (the static site, a CMS): where, what was sent, whether withdrawn."""

    __tablename__ = "publications"
    __table_args__ = (UniqueConstraint("story_id", "destination", name="uq_publication"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id"), index=True)
    destination: Mapped[str] = mapped_column(String(100))
    remote_id: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    published_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class MetaRow(Base):
    """Facts about the store itself, such as its own id."""

    __tablename__ = "store_meta"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class StoryRevisionRow(Base):
    """An earlier version of a story's title and text, kept when an editor changes them."""

    __tablename__ = "story_revisions"
    __table_args__ = (UniqueConstraint("story_id", "revision", name="uq_story_revision"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text, default="")
    body_text: Mapped[str] = mapped_column(Text, default="")
    spoken_text: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(DateTime)  # when this version was replaced
    actor: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text, default="")
