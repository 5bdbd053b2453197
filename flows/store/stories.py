"""Stories: keeping what sources gave, what normalising made of it, and every editorial change of state."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from flows.errors import NotFoundError
from flows.models import ProofWarning, Source, Story, StoryState, SubmittedStory
from flows.store.base import StoreBase, event_row, move, now
from flows.store.records import to_story, warnings_json
from flows.store.schema import BroadcastRow, StoryEventRow, StoryRow
from flows.store.transitions import Action


@dataclass(frozen=True)
class Normalised:
    """What normalising made of one story, ready to be saved."""

    title: str
    slug: str
    body_html: str
    body_text: str
    spoken_text: str
    fingerprint: str
    movements: list[str]
    communes: list[str]
    audience: list[str]
    warnings: list[ProofWarning]


class StoryQueries(StoreBase):
    # -- gathering ----------------------------------------------------------------------------
    def add_submission(self, story: SubmittedStory, source: Source) -> int | None:
        """Keep a submitted story; returns its id, or None if this source already gave this item."""
        with self.session() as s:
            exists = s.scalar(select(StoryRow.id).where(
                StoryRow.source_id == story.source_id, StoryRow.external_id == story.external_id))
            if exists is not None:
                return None
            row = StoryRow(
                source_id=story.source_id, external_id=story.external_id[:500], title=story.title,
                raw_body=story.body, content_type=story.content_type, link=story.link,
                author=story.author or source.contributor or source.name, published_at=story.published_at,
                submitted_at=now(), audience=list(story.audience or source.audience),
                movements=list(dict.fromkeys([*story.movements, *source.movements])), communes=[],
                priority=int(story.priority), state=StoryState.SUBMITTED.value, warnings=[],
            )
            try:
                with s.begin_nested():  # a savepoint: a concurrent gatherer may have stored it first
                    s.add(row)
            except IntegrityError:
                return None
            event_row(s, row.id, StoryState.SUBMITTED.value, f"Nhận từ nguồn {source.name}")
            return row.id

    def add_failed_submission(self, source: Source, external_id: str, title: str, raw: str, reason: str) -> int | None:
        """Keep an item that could not be read, marked failed with the reason (nothing is dropped)."""
        sub = SubmittedStory(source_id=source.id, external_id=external_id, title=title or external_id,
                             body=raw, content_type="application/octet-stream")
        story_id = self.add_submission(sub, source)
        if story_id is not None:
            self.mark_failed(story_id, reason)
        return story_id

    # -- reading ------------------------------------------------------------------------------
    def stories(self, *states: StoryState, ids: Sequence[int] | None = None) -> list[Story]:
        with self.session() as s:
            q = select(StoryRow).order_by(StoryRow.id)
            if states:
                q = q.where(StoryRow.state.in_([st.value for st in states]))
            if ids is not None:
                q = q.where(StoryRow.id.in_(list(ids)))
            return [to_story(r) for r in s.scalars(q)]

    def find_story(self, story_id: int) -> Story | None:
        with self.session() as s:
            row = s.get(StoryRow, story_id)
            return to_story(row, with_events=True) if row is not None else None

    def story(self, story_id: int) -> Story:
        """A story with its history; NotFoundError when there is none with that number."""
        found = self.find_story(story_id)
        if found is None:
            raise NotFoundError(f"Không có bài số {story_id} trong kho tin.",
                                hint="Xem danh sách bài bằng lệnh 'bantin status'.")
        return found

    def find_by_fingerprint(self, fingerprint: str, excluding: int) -> Story | None:
        """The earliest story with the same text that is not itself a duplicate."""
        with self.session() as s:
            row = s.scalar(
                select(StoryRow)
                .where(StoryRow.fingerprint == fingerprint, StoryRow.id != excluding,
                       StoryRow.duplicate_of.is_(None),
                       StoryRow.state.not_in([StoryState.FAILED.value, StoryState.SUBMITTED.value]))
                .order_by(StoryRow.id).limit(1))
            return to_story(row) if row is not None else None

    def slug_taken(self, slug: str, excluding: int) -> bool:
        with self.session() as s:
            return s.scalar(select(StoryRow.id).where(StoryRow.slug == slug, StoryRow.id != excluding)) is not None

    def counts(self) -> dict[str, int]:
        with self.session() as s:
            rows = s.execute(select(StoryRow.state, func.count()).group_by(StoryRow.state)).all()
            out = {state: n for state, n in rows}
            out["events"] = s.scalar(select(func.count()).select_from(StoryEventRow)) or 0
            out["broadcasts"] = s.scalar(select(func.count()).select_from(BroadcastRow)) or 0
            out["stories"] = s.scalar(select(func.count()).select_from(StoryRow)) or 0
            return out

    # -- changes ------------------------------------------------------------------------------
    def save_normalised(self, story_id: int, ready: Normalised, *, duplicate_of: int | None, approve: bool) -> StoryState:
        """Store what normalising made of a submitted story; a duplicate is set aside, a trusted one approved."""
        with self.session() as s:
            row = self._row(s, story_id)
            if row.raw_title is None:
                row.raw_title = row.title
            row.title, row.slug, row.body_html, row.body_text = ready.title, ready.slug, ready.body_html, ready.body_text
            row.spoken_text, row.fingerprint = ready.spoken_text, ready.fingerprint
            row.movements, row.communes, row.audience = ready.movements, ready.communes, ready.audience
            row.warnings = warnings_json(ready.warnings)
            row.duplicate_of = duplicate_of
            if duplicate_of is not None:
                return move(s, row, Action.DUPLICATE, f"Trùng với bài số {duplicate_of}")
            n = len(ready.warnings)
            move(s, row, Action.NORMALISE, f"{n} cảnh báo soát lỗi" if n else "")
            if approve:
                return move(s, row, Action.AUTO_APPROVE, "Nguồn tin cậy: tự động duyệt")
            return StoryState(row.state)

    def change_state(self, story_id: int, action: Action, actor: str, message: str) -> StoryState:
        """One editorial or pipeline step on one story, checked against the transition table."""
        with self.session() as s:
            return move(s, self._row(s, story_id), action, message, actor)

    def approve(self, story_id: int, actor: str) -> None:
        self.change_state(story_id, Action.APPROVE, actor, "Biên tập viên duyệt")

    def reject(self, story_id: int, actor: str, reason: str) -> None:
        self.change_state(story_id, Action.REJECT, actor, reason)

    def mark_failed(self, story_id: int, reason: str) -> None:
        with self.session() as s:
            row = self._row(s, story_id)
            row.failure = reason
            move(s, row, Action.FAIL, reason)

    def set_audience(self, story_id: int, audience: list[str], actor: str) -> None:
        with self.session() as s:
            row = self._row(s, story_id)
            row.audience = list(audience)
            event_row(s, row.id, row.state, "Đổi nơi nhận: " + ", ".join(audience), actor)

    def note(self, story_id: int, message: str, actor: str = "bantin") -> None:
        """Add a line to a story's history without changing its state (e.g. a voicing that failed)."""
        with self.session() as s:
            row = self._row(s, story_id)
            event_row(s, row.id, row.state, message, actor)

    def set_audio(self, story_id: int, path: str) -> None:
        with self.session() as s:
            self._row(s, story_id).audio_path = path

    # -- helpers ------------------------------------------------------------------------------
    @staticmethod
    def _row(s: Session, story_id: int) -> StoryRow:
        row = s.get(StoryRow, story_id)
        if row is None:
            raise NotFoundError(f"Không có bài số {story_id} trong kho tin.",
                                hint="Xem danh sách bài bằng lệnh 'bantin status'.")
        return row

