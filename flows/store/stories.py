"""Stories: keeping what sources gave, what normalising made of it, and every editorial change of state."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from flows.errors import NotFoundError
from flows.models import ProofWarning, Source, Story, StoryState, SubmittedStory
from flows.store.base import StoreBase, event_row, move, now
from flows.store.records import to_story, warnings_json
from flows.store.schema import BroadcastRow, StoryEventRow, StoryRow
from flows.store.transitions import Action
from flows.store.submissions import attachment_rows


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
    air_from: date | None = None
    air_until: date | None = None
    kind: str = "news"
    stations: list[str] = field(default_factory=list)
    unit: str | None = None  # the contributing unit found at normalise; None: leave the story's as it is


@dataclass(frozen=True)
class StoryFilter:
    """Which stories an editor wants to see; every field narrows the list."""

    states: tuple[StoryState, ...] = ()
    flagged: bool = False  # with proofreading warnings
    source: str | None = None
    commune: str | None = None  # about or addressed to this commune
    movement: str | None = None
    since: date | None = None  # the story's own date
    until: date | None = None
    limit: int = 200


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
                kind=story.kind or "news", unit=story.unit[:100],
            )
            try:
                with s.begin_nested():  # a savepoint: a concurrent gatherer may have stored it first
                    s.add(row)
            except IntegrityError:
                return None
            s.add_all(attachment_rows(row.id, story.attachments))
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
    def save_normalised(self, story_id: int, ready: Normalised, *, duplicate_of: int | None, approve: bool,
                        review_until: datetime | None = None) -> StoryState:
        """Store what normalising made of a submitted story; a duplicate is set aside, a trusted one approved
        at once (`approve`) or when its review window ends (`review_until`)."""
        with self.session() as s:
            row = self._row(s, story_id)
            if row.raw_title is None:
                row.raw_title = row.title
            row.title, row.slug, row.body_html, row.body_text = ready.title, ready.slug, ready.body_html, ready.body_text
            row.spoken_text, row.fingerprint = ready.spoken_text, ready.fingerprint
            row.movements, row.communes, row.audience = ready.movements, ready.communes, ready.audience
            row.warnings = warnings_json(ready.warnings)
            row.duplicate_of = duplicate_of
            row.air_from, row.air_until, row.kind = ready.air_from, ready.air_until, ready.kind
            row.stations = list(ready.stations)
            if ready.unit is not None:
                row.unit = ready.unit
            row.review_until = None if approve else review_until
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

    def find_stories(self, wanted: StoryFilter) -> list[Story]:
        """Stories matching an editor's filter, newest first (by the story's own date)."""
        with self.session() as s:
            q = select(StoryRow)
            if wanted.states:
                q = q.where(StoryRow.state.in_([st.value for st in wanted.states]))
            if wanted.source:
                q = q.where(StoryRow.source_id == wanted.source)
            rows = [to_story(r) for r in s.scalars(q)]
        picked = [
            r for r in rows
            if (not wanted.flagged or r.warnings)
            and (wanted.commune is None or wanted.commune in r.communes or wanted.commune in r.audience)
            and (wanted.movement is None or wanted.movement in r.movements)
            and (wanted.since is None or r.dated.date() >= wanted.since)
            and (wanted.until is None or r.dated.date() <= wanted.until)
        ]
        picked.sort(key=lambda r: (r.dated, r.id), reverse=True)
        return picked[: wanted.limit]

    def due_for_release(self, now: datetime) -> list[int]:
        """Stories of trusted sources whose review window has ended with no editor's decision."""
        with self.session() as s:
            return list(s.scalars(select(StoryRow.id).where(
                StoryRow.state == StoryState.NORMALISED.value, StoryRow.review_until.is_not(None),
                StoryRow.review_until <= now).order_by(StoryRow.id)))

    def set_air_window(self, story_id: int, first: date, last: date, weekdays: list[int], actor: str) -> None:
        with self.session() as s:
            row = self._row(s, story_id)
            row.air_from, row.air_until, row.air_weekdays = first, last, list(weekdays)
            days = f" (các thứ: {', '.join(_weekday(d) for d in weekdays)})" if weekdays else ""
            event_row(s, row.id, row.state, f"Đổi thời gian phát: {first:%d/%m/%Y} – {last:%d/%m/%Y}{days}", actor)

    def set_priority(self, story_id: int, priority: int, actor: str, label: str) -> None:
        with self.session() as s:
            row = self._row(s, story_id)
            row.priority = priority
            event_row(s, row.id, row.state, f"Đổi mức ưu tiên: {label}", actor)

    def set_spoken_override(self, story_id: int, reading: str | None, actor: str) -> None:
        """The reading every later synthesis uses for every station, until the text changes (None: clear it)."""
        with self.session() as s:
            row = self._row(s, story_id)
            row.spoken_override = reading
            event_row(s, row.id, row.state, "Sửa cách đọc bằng tay" if reading else "Bỏ cách đọc sửa tay", actor)

    def respeak(self, story_id: int, spoken_text: str, warnings: Sequence[ProofWarning], actor: str, why: str) -> None:
        """A new spoken form for the same text (the lexicon changed); the written text is untouched."""
        with self.session() as s:
            row = self._row(s, story_id)
            row.spoken_text, row.warnings = spoken_text, warnings_json(tuple(warnings))
            event_row(s, row.id, row.state, why, actor)

    def revise(self, story_id: int, ready: Normalised, actor: str, reason: str) -> int:
        """Keep the current title and text as a revision and put the edited ones in place; returns the new number."""
        from flows.store.schema import StoryRevisionRow

        with self.session() as s:
            row = self._row(s, story_id)
            s.add(StoryRevisionRow(story_id=row.id, revision=row.revision or 1, title=row.title,
                                   body_html=row.body_html or "", body_text=row.body_text or "",
                                   spoken_text=row.spoken_text or "", at=now(), actor=actor, reason=reason))
            row.revision = (row.revision or 1) + 1
            row.title, row.body_html, row.body_text = ready.title, ready.body_html, ready.body_text
            row.spoken_text, row.fingerprint, row.warnings = ready.spoken_text, ready.fingerprint, warnings_json(ready.warnings)
            row.movements, row.communes = ready.movements, ready.communes
            row.spoken_override = None  # a reading set by hand belonged to the old text
            event_row(s, row.id, row.state, f"Sửa bài (bản {row.revision})" + (f": {reason}" if reason else ""), actor)
            return row.revision

    def revisions(self, story_id: int) -> list[dict]:
        from flows.store.schema import StoryRevisionRow

        with self.session() as s:
            rows = s.scalars(select(StoryRevisionRow).where(StoryRevisionRow.story_id == story_id)
                             .order_by(StoryRevisionRow.revision))
            return [{"revision": r.revision, "title": r.title, "body_text": r.body_text, "at": r.at,
                     "actor": r.actor, "reason": r.reason} for r in rows]

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



_WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


def _weekday(d: int) -> str:
    return _WEEKDAYS[d]


def air_window(story_day: date, air_days: int) -> tuple[date, date]:
    """A story airs from its own date for `air_days` days after it (the nightly run builds the next day)."""
    return story_day, story_day + timedelta(days=max(0, air_days))
