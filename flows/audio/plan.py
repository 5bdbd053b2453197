"""Which items go on air and in what order. Pure: no I/O, durations come in as numbers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..models import BulletinItem, BulletinRequest, Priority

REASON_NO_AUDIO = "Chưa có âm thanh cho tin này (không tổng hợp được giọng đọc)"
REASON_DUPLICATE = "Tin bị trùng trong danh sách, chỉ phát một lần"
REASON_TOO_LONG = ("Vượt thời lượng tối đa {limit} của khung giờ “{slot}”: bỏ tin có mức ưu tiên thấp nhất "
                   "({priority}), đã phát nhiều lần nhất và cũ nhất trước (tin này đã phát {aired} lần)")


@dataclass(frozen=True)
class DroppedItem:
    story_id: int
    title: str
    priority: Priority
    reason: str


@dataclass(frozen=True)
class BulletinPlan:
    items: tuple[BulletinItem, ...]  # in broadcast order
    dropped: tuple[DroppedItem, ...]
    total_seconds: float  # fixed part + items + one pause per item
    max_seconds: float
    over_limit_seconds: float = 0.0  # > 0 only when emergency items alone exceed the slot (they are never dropped)


def broadcast_order(items: list[BulletinItem]) -> list[BulletinItem]:
    """Emergency, then priority, then normal items; within a level, what is new since the day's earlier
    bulletin first, then the commune's own news before the district's, then newest first."""
    by_time = sorted(items, key=lambda i: (i.published_at, i.story_id), reverse=True)
    return sorted(by_time, key=lambda i: (-int(i.priority), not i.new, not i.own))


def drop_order(items: list[BulletinItem]) -> list[BulletinItem]:
    """Who leaves first when a slot is full: lowest priority, then the most aired (fair rotation: every valid
    story airs before any airs again), then the oldest. Emergency items never leave."""
    return sorted((i for i in items if i.priority < Priority.EMERGENCY),
                  key=lambda i: (int(i.priority), -i.aired, i.published_at, i.story_id))


def _clock(seconds: float) -> str:
    return f"{int(seconds) // 60} phút {int(seconds) % 60:02d} giây"


def plan_bulletin(request: BulletinRequest, durations: Mapping[int, float], fixed_seconds: float,
                  pause_seconds: float | None = None) -> BulletinPlan:
    """Order the request's items and drop the lowest-priority, then oldest, ones until the slot's limit is met.

    `fixed_seconds` is the opening and closing with their pauses; each item adds its duration and one pause.
    Emergency items are never dropped: if they alone overrun, the plan says by how much.
    """
    pause = request.station.audio.pause_seconds if pause_seconds is None else pause_seconds
    dropped: list[DroppedItem] = []
    seen: set[int] = set()
    candidates: list[BulletinItem] = []
    for item in request.items:
        if item.story_id in seen:
            dropped.append(DroppedItem(item.story_id, item.title, item.priority, REASON_DUPLICATE))
        elif item.story_id not in durations:
            dropped.append(DroppedItem(item.story_id, item.title, item.priority, REASON_NO_AUDIO))
        else:
            candidates.append(item)
        seen.add(item.story_id)

    kept = broadcast_order(candidates)
    total = fixed_seconds + sum(durations[i.story_id] + pause for i in kept)
    limit = request.slot.max_seconds
    for victim in drop_order(kept):
        if total <= limit:
            break
        kept.remove(victim)
        total -= durations[victim.story_id] + pause
        reason = REASON_TOO_LONG.format(limit=_clock(limit), slot=request.slot.name, priority=victim.priority.label_vi,
                                        aired=victim.aired)
        dropped.append(DroppedItem(victim.story_id, victim.title, victim.priority, reason))
    return BulletinPlan(tuple(kept), tuple(dropped), total, limit, max(0.0, total - limit))
