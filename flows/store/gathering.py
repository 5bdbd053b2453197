"""What the store remembers about each source between gatherings: conditional-GET validators, the last
successful read and the last new story (so a silent source can be reported), and which sources a story credits
when several units sent it (duplicates kept as one story)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple
from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from flows.store.base import StoreBase
from flows.store.schema import Base, StoryRow


class SourceStateRow(Base):
    """One row per source: what the last gathering learned about it."""

    __tablename__ = "source_state"

    source_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    etag: Mapped[str] = mapped_column(Text, default="")
    last_modified: Mapped[str] = mapped_column(Text, default="")
    first_checked_at: Mapped[datetime] = mapped_column(DateTime)
    last_checked_at: Mapped[datetime] = mapped_column(DateTime)
    last_success_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_new_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    failures_in_row: Mapped[int] = mapped_column(Integer, default=0)


class StoryCreditRow(Base):
    """A story sent again by another unit (or again by the same one): the copy is kept, marked duplicate, and the
    story it repeats credits the copy's source."""

    __tablename__ = "story_credits"
    __table_args__ = (UniqueConstraint("copy_id", name="uq_story_credit_copy"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id"), index=True)
    copy_id: Mapped[int] = mapped_column(ForeignKey("stories.id"))
    source_id: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(10))  # "exact" or "near"
    similarity: Mapped[float] = mapped_column(Float, default=1.0)
    at: Mapped[datetime] = mapped_column(DateTime)


class StoryBandRow(Base):
    """Locality-sensitive hashing bands of a story's MinHash signature: two stories that share a band are
    candidates for being the same story rewritten."""

    __tablename__ = "story_bands"
    __table_args__ = (Index("ix_story_bands_bucket", "band", "bucket"),)

    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id"), primary_key=True)
    band: Mapped[int] = mapped_column(Integer, primary_key=True)
    bucket: Mapped[str] = mapped_column(String(16))


class StoryTagRow(Base):
    """Tags beyond movements and communes: the villages a story names and the unit that sent it."""

    __tablename__ = "story_tags"
    __table_args__ = (UniqueConstraint("story_id", "kind", "value", name="uq_story_tag"),
                      Index("ix_story_tags_value", "kind", "value"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # "village" or "unit"
    value: Mapped[str] = mapped_column(String(300))  # "than-sa/Kim Sơn", or the source id
    label: Mapped[str] = mapped_column(Text, default="")  # as the portal shows it


class Tag(NamedTuple):
    kind: str  # "village" or "unit"
    value: str
    label: str


@dataclass(frozen=True)
class SourceState:
    source_id: str
    etag: str
    last_modified: str
    first_checked_at: datetime
    last_checked_at: datetime
    last_success_at: datetime | None
    last_new_at: datetime | None
    failures_in_row: int


@dataclass(frozen=True)
class Credit:
    """A source a story credits: the story's own, or that of a copy that repeated it."""

    story_id: int  # the story row that came from this source (the kept story or a copy)
    source_id: str
    kind: str  # "own", "exact" or "near"
    similarity: float
    link: str
    author: str


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


class GatheringQueries(StoreBase):
    """Store part for gathering state, credits, bands and tags."""

    # -- source state ------------------------------------------------------------------------------
    def source_states(self) -> dict[str, SourceState]:
        with self.session() as s:
            return {r.source_id: _state(r) for r in s.scalars(select(SourceStateRow))}

    def source_state(self, source_id: str) -> SourceState | None:
        with self.session() as s:
            row = s.get(SourceStateRow, source_id)
            return _state(row) if row is not None else None

    def source_validators(self, source_id: str):  # type: ignore[no-untyped-def]
        """What to send for a conditional request to this source (flows.ingest.Validators), or None."""
        from flows.ingest.fetch import Validators

        state = self.source_state(source_id)
        if state is None or not (state.etag or state.last_modified):
            return None
        return Validators(state.etag, state.last_modified)

    def record_source_check(self, source_id: str, *, ok: bool, new: int, etag: str | None = None,
                            last_modified: str | None = None, at: datetime | None = None) -> None:
        """Note one gathering of a source: whether it could be read, how many new stories it gave, and the
        validators for the next conditional request (None keeps the old ones, "" forgets them)."""
        at = at or _now()
        with self.session() as s:
            row = s.get(SourceStateRow, source_id)
            if row is None:
                row = SourceStateRow(source_id=source_id, etag="", last_modified="", first_checked_at=at,
                                     last_checked_at=at, failures_in_row=0)
                s.add(row)
            row.last_checked_at = at
            if ok:
                row.last_success_at = at
                row.failures_in_row = 0
            else:
                row.failures_in_row = (row.failures_in_row or 0) + 1
            if new:
                row.last_new_at = at
            if etag is not None:
                row.etag = etag
            if last_modified is not None:
                row.last_modified = last_modified

    # -- duplicates and credits --------------------------------------------------------------------
    def credit(self, story_id: int, copy_id: int, source_id: str, kind: str, similarity: float) -> None:
        with self.session() as s:
            if s.scalar(select(StoryCreditRow.id).where(StoryCreditRow.copy_id == copy_id)) is None:
                s.add(StoryCreditRow(story_id=story_id, copy_id=copy_id, source_id=source_id, kind=kind,
                                     similarity=round(similarity, 4), at=_now()))

    def credits(self, story_ids: Sequence[int]) -> dict[int, list[Credit]]:
        """Every source each story credits: its own first, then each copy's, one line per source."""
        ids = list(story_ids)
        out: dict[int, list[Credit]] = {i: [] for i in ids}
        if not ids:
            return out
        with self.session() as s:
            own = s.execute(select(StoryRow.id, StoryRow.source_id, StoryRow.link, StoryRow.author)
                            .where(StoryRow.id.in_(ids))).all()
            for sid, source_id, link, author in own:
                out[sid].append(Credit(sid, source_id, "own", 1.0, link or "", author or ""))
            copies = s.execute(
                select(StoryCreditRow.story_id, StoryCreditRow.copy_id, StoryCreditRow.source_id,
                       StoryCreditRow.kind, StoryCreditRow.similarity, StoryRow.link, StoryRow.author)
                .join(StoryRow, StoryRow.id == StoryCreditRow.copy_id)
                .where(StoryCreditRow.story_id.in_(ids)).order_by(StoryCreditRow.id)).all()
            for story_id, copy_id, source_id, kind, similarity, link, author in copies:
                if all(c.source_id != source_id for c in out[story_id]):
                    out[story_id].append(Credit(copy_id, source_id, kind, similarity, link or "", author or ""))
        return out

    def save_tags(self, story_id: int, tags: Iterable[tuple[str, str, str]]) -> None:
        """Replace a story's village and unit tags, given as (kind, value, label). Its movement and commune rows
        mirror its lists and are kept by flows/store/tags.py."""
        from flows.store.tags import MIRRORED

        with self.session() as s:
            for old in s.scalars(select(StoryTagRow).where(StoryTagRow.story_id == story_id,
                                                           StoryTagRow.kind.not_in(list(MIRRORED)))):
                s.delete(old)
            s.flush()
            for kind, value, label in dict.fromkeys(tuple(t) for t in tags):
                s.add(StoryTagRow(story_id=story_id, kind=kind, value=value[:300], label=label))

    def tags(self, story_ids: Sequence[int]) -> dict[int, list[Tag]]:
        ids = list(story_ids)
        out: dict[int, list[Tag]] = {i: [] for i in ids}
        if not ids:
            return out
        with self.session() as s:
            for row in s.scalars(select(StoryTagRow).where(StoryTagRow.story_id.in_(ids)).order_by(StoryTagRow.id)):
                out[row.story_id].append(Tag(row.kind, row.value, row.label))
        return out

    def save_bands(self, story_id: int, bands: Iterable[tuple[int, str]]) -> None:
        with self.session() as s:
            for old in s.scalars(select(StoryBandRow).where(StoryBandRow.story_id == story_id)):
                s.delete(old)
            s.flush()
            for band, bucket in bands:
                s.add(StoryBandRow(story_id=story_id, band=band, bucket=bucket))

    def band_neighbours(self, bands: Iterable[tuple[int, str]], excluding: int) -> list[StoryRow]:
        """Stories (not duplicates themselves, not failed) sharing at least one band, oldest first."""
        pairs = list(bands)
        if not pairs:
            return []
        from sqlalchemy import and_, or_

        with self.session() as s:
            ids = set(s.scalars(select(StoryBandRow.story_id).where(
                or_(*(and_(StoryBandRow.band == b, StoryBandRow.bucket == k) for b, k in pairs)))))
            ids.discard(excluding)
            if not ids:
                return []
            return list(s.scalars(select(StoryRow).where(
                StoryRow.id.in_(ids), StoryRow.duplicate_of.is_(None),
                StoryRow.state.not_in(["failed", "submitted"])).order_by(StoryRow.id)))


def _state(row: SourceStateRow) -> SourceState:
    return SourceState(row.source_id, row.etag or "", row.last_modified or "", row.first_checked_at,
                       row.last_checked_at, row.last_success_at, row.last_new_at, row.failures_in_row or 0)

