"""Check: decode every bulletin of a day and hold it to its manifest."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from flows import progress
from flows.audio.verify import BulletinCheck, bulletins_of, verify_bulletin
from flows.content import Newsroom
from flows.errors import NotFoundError
from flows.pipeline.bulletins import next_broadcast_day
from flows.pipeline.fanout import Fanout, Threads


@dataclass
class CheckReport:
    day: date
    checks: list[BulletinCheck] = field(default_factory=list)

    @property
    def bad(self) -> list[BulletinCheck]:
        return [c for c in self.checks if not c.ok]

    @property
    def ok(self) -> bool:
        return not self.bad


def check(newsroom: Newsroom, day: date | None = None, stations: Sequence[str] | None = None,
          fanout: Fanout | None = None) -> CheckReport:
    """Every bulletin of `day` (default: tomorrow) decoded once and compared with its manifest."""
    for station_id in stations or ():
        newsroom.station(station_id)  # an unknown station is a mistake, not an empty check
    day = day or next_broadcast_day(newsroom.settings.district.timezone)
    out = newsroom.settings.audio.output
    files = bulletins_of(out, day.isoformat(), list(stations) if stations else None)
    if not files:
        raise NotFoundError(f"Không có bản tin nào ngày {day:%d/%m/%Y} trong {out}.",
                            hint="Chọn ngày khác bằng --date, hoặc làm bản tin bằng 'bantin synthesise'.")
    progress.report("Đang kiểm tra", 0, len(files))
    checks = (fanout or Threads()).map("check", verify_bulletin, files, label=lambda p: p.name)
    return CheckReport(day, [c for c in checks if isinstance(c, BulletinCheck)])
