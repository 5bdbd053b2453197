"""Sources that have gone quiet: a unit that used to send news every week and has sent nothing for a month,
or a feed that has failed at every gathering for days. Pure: the caller hands in the sources and what the store
remembers about them (Store.source_states()), and shows the result to the editors (`bantin status`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from flows.models import Source


class _State(Protocol):  # read-only members, so the store's frozen SourceState records match
    @property
    def first_checked_at(self) -> datetime: ...
    @property
    def last_checked_at(self) -> datetime: ...
    @property
    def last_success_at(self) -> datetime | None: ...
    @property
    def last_new_at(self) -> datetime | None: ...
    @property
    def failures_in_row(self) -> int: ...


@dataclass(frozen=True)
class SilentSource:
    source_id: str
    name: str
    since: datetime | None  # the last new story (or the first check when it never sent one)
    expected_days: float
    unreachable: bool  # the source could not be read at all for longer than its interval

    @property
    def message(self) -> str:
        """One line for the editors, in Vietnamese."""
        every = _days(self.expected_days)
        if self.since is None:
            return f"{self.name}: chưa đọc lần nào, dù nguồn này thường có tin mới trong {every}."
        when = f"{self.since:%d/%m/%Y}"
        if self.unreachable:
            return (f"{self.name}: không đọc được nguồn từ {when} (quá {every}); hãy kiểm tra địa chỉ hoặc liên hệ "
                    "đơn vị.")
        return f"{self.name}: không có tin mới từ {when}, quá {every} so với thường lệ; hãy liên hệ đơn vị gửi tin."


def _days(days: float) -> str:
    if days < 1:
        return f"{round(days * 24)} giờ"
    return f"{days:g} ngày"


def silent_sources(sources: Iterable[Source], states: Mapping[str, _State], now: datetime) -> list[SilentSource]:
    """Sources with an expected interval (`expect_every_days` in sources.toml) that have been silent or unreadable
    for longer than it. Sources without one are never reported."""
    out = []
    for source in sources:
        expected = getattr(source, "expect_every_days", None)
        if not expected:
            continue
        limit = timedelta(days=float(expected))
        state = states.get(source.id)
        if state is None:
            out.append(SilentSource(source.id, source.name, None, float(expected), unreachable=True))
            continue
        unread_since = state.last_success_at or state.first_checked_at
        if state.failures_in_row and now - unread_since > limit:
            out.append(SilentSource(source.id, source.name, unread_since, float(expected), unreachable=True))
            continue
        quiet_since = state.last_new_at or state.first_checked_at
        if now - quiet_since > limit:
            out.append(SilentSource(source.id, source.name, quiet_since, float(expected), unreachable=False))
    return out
