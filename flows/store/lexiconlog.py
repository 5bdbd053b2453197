"""Who taught the reader what: every change an editor makes to the lexicon from the desk, with who and when.

The lexicon itself stays in content/lexicon.toml (configuration is data, read by every door); this log is the
newsroom's record of the changes made through the app.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from sqlalchemy import DateTime, Integer, String, Text, insert, select
from sqlalchemy.orm import Mapped, mapped_column

from flows.store.schema import Base

if TYPE_CHECKING:
    from flows.store import Store


@dataclass(frozen=True)
class LexiconChange:
    at: datetime  # UTC
    actor: str
    station_id: str | None  # None: every station
    table: str  # "abbreviations" or "words"
    written: str
    spoken: str
    previous: str | None  # the reading it replaced, if any


class LexiconChangeRow(Base):
    __tablename__ = "lexicon_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    actor: Mapped[str] = mapped_column(String(100), nullable=False)
    station_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    table: Mapped[str] = mapped_column(String(30), nullable=False)
    written: Mapped[str] = mapped_column(Text, nullable=False)
    spoken: Mapped[str] = mapped_column(Text, nullable=False)
    previous: Mapped[str | None] = mapped_column(Text, nullable=True)


class LexiconLog:
    def __init__(self, store: Store) -> None:
        self.store = store

    def record(self, actor: str, station_id: str | None, table: str, written: str, spoken: str,
               previous: str | None) -> LexiconChange:
        change = LexiconChange(datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0), actor, station_id,
                               table, written, spoken, previous)
        with self.store.session() as s:
            s.execute(insert(LexiconChangeRow).values(at=change.at, actor=actor, station_id=station_id, table=table,
                                                      written=written, spoken=spoken, previous=previous))
        return change

    def recent(self, limit: int = 50) -> list[LexiconChange]:
        with self.store.session() as s:
            rows = s.scalars(select(LexiconChangeRow).order_by(LexiconChangeRow.id.desc()).limit(limit))
            return [LexiconChange(r.at, r.actor, r.station_id, r.table, r.written, r.spoken, r.previous)
                    for r in rows]
