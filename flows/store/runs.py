"""Gathering runs: what each pass got from each source."""

from __future__ import annotations

from sqlalchemy import func, select

from flows.store.base import StoreBase, now
from flows.store.schema import SourceRunRow


class RunQueries(StoreBase):
    def record_source_run(self, source_id: str, gathered: int, new: int, known: int, failed: int,
                          error: str | None) -> None:
        with self.session() as s:
            s.add(SourceRunRow(source_id=source_id, at=now(), gathered=gathered, new=new, known=known,
                               failed=failed, error=error))

    def last_source_runs(self) -> list[SourceRunRow]:
        with self.session() as s:
            latest = select(SourceRunRow.source_id, func.max(SourceRunRow.id).label("id")).group_by(
                SourceRunRow.source_id).subquery()
            return list(s.scalars(select(SourceRunRow).join(latest, SourceRunRow.id == latest.c.id)))
