"""Open the store, migrate it, and the queries the stages run. Stages get plain values back."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from flows.errors import BantinError
from flows.models import Source, StoryState, SubmittedStory
from flows.store.gathering import GatheringQueries
from flows.store.schema import BroadcastRow, SourceRunRow, StoryEventRow, StoryRow

MIGRATIONS = Path(__file__).parent / "migrations"


class StoreError(BantinError):
    """The store cannot be opened or is at a schema this version does not know."""


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


class Store(GatheringQueries):
    """The story store. One instance per process; sessions are short and per operation."""

    def __init__(self, url: str) -> None:
        self.url = url
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = create_engine(url, future=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    # -- schema -----------------------------------------------------------------------------
    def migrate(self) -> None:
        """Bring the schema to the newest revision (safe to call on every start)."""
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")

    def revision(self) -> str | None:
        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions.begin() as s:
            yield s

    # -- gathering ----------------------------------------------------------------------------
    def add_submission(self, story: SubmittedStory, source: Source) -> int | None:
        """Keep a submitted story; returns its id, or None if this source already gave this item."""
        with self.session() as s:
            exists = s.scalar(
                select(StoryRow.id).where(
                    StoryRow.source_id == story.source_id, StoryRow.external_id == story.external_id
                )
            )
            if exists is not None:
                return None
            row = StoryRow(
                source_id=story.source_id,
                external_id=story.external_id[:500],
                title=story.title,
                raw_body=story.body,
                content_type=story.content_type,
                link=story.link,
                author=story.author or source.contributor or source.name,
                published_at=story.published_at,
                submitted_at=_now(),
                audience=list(story.audience or source.audience),
                movements=list(dict.fromkeys([*story.movements, *source.movements])),
                communes=[],
                priority=int(story.priority),
                state=StoryState.SUBMITTED.value,
                warnings=[],
            )
            try:
                with s.begin_nested():  # a savepoint: a concurrent gatherer may have stored it first
                    s.add(row)
            except IntegrityError:
                return None
            _event(s, row, StoryState.SUBMITTED, f"Nhận từ nguồn {source.name}")
            return row.id

    def add_failed_submission(self, source: Source, external_id: str, title: str, raw: str, reason: str) -> int | None:
        """Keep an item that could not be read, marked failed with the reason (nothing is dropped)."""
        sub = SubmittedStory(source_id=source.id, external_id=external_id, title=title or external_id,
                             body=raw, content_type="application/octet-stream")
        story_id = self.add_submission(sub, source)
        if story_id is not None:
            self.mark_failed(story_id, reason)
        return story_id

    def record_source_run(self, source_id: str, gathered: int, new: int, known: int, failed: int,
                          error: str | None) -> None:
        with self.session() as s:
            s.add(SourceRunRow(source_id=source_id, at=_now(), gathered=gathered, new=new, known=known,
                               failed=failed, error=error))

    # -- stories -----------------------------------------------------------------------------
    def stories(self, *states: StoryState, ids: Sequence[int] | None = None) -> list[StoryRow]:
        with self.session() as s:
            q = select(StoryRow).order_by(StoryRow.id)
            if states:
                q = q.where(StoryRow.state.in_([st.value for st in states]))
            if ids is not None:
                q = q.where(StoryRow.id.in_(list(ids)))
            return list(s.scalars(q))

    def story(self, story_id: int) -> StoryRow | None:
        with self.session() as s:
            row = s.get(StoryRow, story_id)
            if row is not None:
                _ = list(row.events)  # load history while the session is open
            return row

    def find_by_fingerprint(self, fingerprint: str, excluding: int) -> StoryRow | None:
        """The earliest story with the same text that is not itself a duplicate."""
        with self.session() as s:
            return s.scalar(
                select(StoryRow)
                .where(StoryRow.fingerprint == fingerprint, StoryRow.id != excluding,
                       StoryRow.duplicate_of.is_(None),
                       StoryRow.state.not_in([StoryState.FAILED.value, StoryState.SUBMITTED.value]))
                .order_by(StoryRow.id)
                .limit(1)
            )

    def slug_taken(self, slug: str, excluding: int) -> bool:
        with self.session() as s:
            return s.scalar(select(StoryRow.id).where(StoryRow.slug == slug, StoryRow.id != excluding)) is not None

    def save_normalised(self, story_id: int, *, slug: str, body_html: str, body_text: str, spoken_text: str,
                        fingerprint: str, movements: list[str], communes: list[str], audience: list[str], warnings: list[dict],
                        duplicate_of: int | None, approve: bool) -> None:
        with self.session() as s:
            row = s.get_one(StoryRow, story_id)
            row.slug, row.body_html, row.body_text = slug, body_html, body_text
            row.spoken_text, row.fingerprint = spoken_text, fingerprint
            row.movements, row.communes, row.audience, row.warnings = movements, communes, audience, warnings
            row.duplicate_of = duplicate_of
            if duplicate_of is not None:
                row.state = StoryState.REJECTED.value
                _event(s, row, StoryState.REJECTED, f"Trùng với bài số {duplicate_of}")
                return
            row.state = StoryState.NORMALISED.value
            _event(s, row, StoryState.NORMALISED, f"{len(warnings)} cảnh báo soát lỗi" if warnings else "")
            if approve:
                row.state = StoryState.APPROVED.value
                _event(s, row, StoryState.APPROVED, "Nguồn tin cậy: tự động duyệt", actor="bantin")

    def approve(self, story_id: int, actor: str) -> None:
        self._transition(story_id, StoryState.APPROVED, "Biên tập viên duyệt", actor,
                         allowed={StoryState.NORMALISED})

    def reject(self, story_id: int, actor: str, reason: str) -> None:
        self._transition(story_id, StoryState.REJECTED, reason, actor,
                         allowed={StoryState.NORMALISED, StoryState.APPROVED, StoryState.SUBMITTED})

    def set_audience(self, story_id: int, audience: list[str], actor: str) -> None:
        with self.session() as s:
            row = s.get_one(StoryRow, story_id)
            row.audience = audience
            s.add(StoryEventRow(story_id=row.id, state=row.state, at=_now(), actor=actor,
                                message="Đổi nơi nhận: " + ", ".join(audience)))

    def mark_published(self, story_ids: Sequence[int], where: str) -> list[int]:
        """Note the first publication of each story on the portal; returns the newly published ids."""
        newly = []
        with self.session() as s:
            for row in s.scalars(select(StoryRow).where(StoryRow.id.in_(list(story_ids)))):
                if row.portal_published_at is not None:
                    continue
                row.portal_published_at = _now()
                if row.state == StoryState.APPROVED.value:
                    row.state = StoryState.PUBLISHED.value
                _event(s, row, StoryState.PUBLISHED, f"Đăng lên {where}")
                newly.append(row.id)
        return newly

    def mark_failed(self, story_id: int, reason: str) -> None:
        with self.session() as s:
            row = s.get_one(StoryRow, story_id)
            row.state, row.failure = StoryState.FAILED.value, reason
            _event(s, row, StoryState.FAILED, reason)

    def note(self, story_id: int, message: str, actor: str = "bantin") -> None:
        """Add a line to a story's history without changing its state (e.g. a voicing that failed)."""
        with self.session() as s:
            row = s.get_one(StoryRow, story_id)
            s.add(StoryEventRow(story_id=row.id, state=row.state, at=_now(), message=message, actor=actor))

    def set_audio(self, story_id: int, path: str) -> None:
        with self.session() as s:
            s.get_one(StoryRow, story_id).audio_path = path

    def _transition(self, story_id: int, to: StoryState, message: str, actor: str,
                    allowed: set[StoryState]) -> None:
        with self.session() as s:
            row = s.get(StoryRow, story_id)
            if row is None:
                raise StoreError(f"Không có bài số {story_id}.")
            if StoryState(row.state) not in allowed:
                raise StoreError(
                    f"Bài số {story_id} đang ở trạng thái '{StoryState(row.state).label_vi}', không thể chuyển sang "
                    f"'{to.label_vi}'."
                )
            row.state = to.value
            _event(s, row, to, message, actor=actor)

    # -- broadcasting -------------------------------------------------------------------------
    def aired_before(self, station_id: str, day: date) -> set[int]:
        """Stories this station already carried in a bulletin of an earlier day."""
        with self.session() as s:
            return set(s.scalars(select(BroadcastRow.story_id).where(
                BroadcastRow.station_id == station_id, BroadcastRow.day < day)))

    def record_broadcast(self, station_id: str, day: date, slot_id: str, bulletin_path: str,
                         items: Sequence[tuple[int, str]]) -> int:
        """Note that a bulletin carries these (story id, engine) items; returns how many were new."""
        added = 0
        with self.session() as s:
            for story_id, engine in items:
                exists = s.scalar(select(BroadcastRow.id).where(
                    BroadcastRow.story_id == story_id, BroadcastRow.station_id == station_id,
                    BroadcastRow.day == day, BroadcastRow.slot_id == slot_id))
                if exists is not None:
                    continue
                s.add(BroadcastRow(story_id=story_id, station_id=station_id, day=day, slot_id=slot_id,
                                   bulletin_path=bulletin_path, engine=engine, at=_now()))
                row = s.get_one(StoryRow, story_id)
                if row.state in (StoryState.PUBLISHED.value, StoryState.APPROVED.value):
                    row.state = StoryState.BROADCAST.value
                _event(s, row, StoryState.BROADCAST, f"Phát trên {station_id}, {slot_id} ngày {day:%d/%m/%Y}")
                added += 1
        return added

    # -- reporting ----------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        with self.session() as s:
            rows = s.execute(select(StoryRow.state, func.count()).group_by(StoryRow.state)).all()
            out = {state: n for state, n in rows}
            out["events"] = s.scalar(select(func.count()).select_from(StoryEventRow)) or 0
            out["broadcasts"] = s.scalar(select(func.count()).select_from(BroadcastRow)) or 0
            out["stories"] = s.scalar(select(func.count()).select_from(StoryRow)) or 0
            return out

    def last_source_runs(self) -> list[SourceRunRow]:
        with self.session() as s:
            latest = select(SourceRunRow.source_id, func.max(SourceRunRow.id).label("id")).group_by(
                SourceRunRow.source_id).subquery()
            return list(s.scalars(select(SourceRunRow).join(latest, SourceRunRow.id == latest.c.id)))


def _event(s: Session, row: StoryRow, state: StoryState, message: str, actor: str = "bantin") -> None:
    s.add(StoryEventRow(story_id=row.id, state=state.value, at=_now(), message=message, actor=actor))


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # WAL lets the operators' service read while a flow writes; busy_timeout rides out short locks.
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()
