"""plan_bulletin is pure: order and drop rules, checked on examples and on generated requests."""

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from flows.audio.plan import REASON_NO_AUDIO, broadcast_order, plan_bulletin
from flows.models import AudioProfile, BulletinItem, BulletinRequest, Priority, Slot, Station


def _request(items, max_seconds=100.0):
    station = Station("xa", "Đài xã", "commune", "xa", (Slot("sang", "Sáng", "06:00", max_seconds),),
                      AudioProfile(pause_seconds=1.0))
    return BulletinRequest(station, station.slots[0], datetime(2024, 6, 11).date(), tuple(items))


def _item(sid, priority=Priority.NORMAL, district=True, hour=8):
    # A story that is not district-wide is the commune's own news on this commune station.
    return BulletinItem(sid, f"Tin {sid}", "...", priority, datetime(2024, 6, 10, hour), district, own=not district)


def test_order_is_priority_then_the_communes_own_then_newest():
    items = [_item(1, hour=8), _item(2, district=False, hour=9), _item(3, Priority.EMERGENCY, False, 7),
             _item(4, Priority.PRIORITY, hour=6), _item(5, hour=10)]
    assert [i.story_id for i in broadcast_order(items)] == [3, 4, 2, 5, 1]


def test_drops_lowest_priority_then_oldest_and_says_why():
    items = [_item(1, Priority.PRIORITY, hour=6), _item(2, hour=7), _item(3, hour=9), _item(4, Priority.EMERGENCY)]
    plan = plan_bulletin(_request(items, max_seconds=45), {1: 10, 2: 10, 3: 10, 4: 10}, fixed_seconds=5)
    # 5 + 4 × (10 + 1) = 49 > 45: the oldest normal item goes first, and that is enough.
    assert [d.story_id for d in plan.dropped] == [2]
    assert "Vượt thời lượng tối đa" in plan.dropped[0].reason and "thông thường" in plan.dropped[0].reason
    assert [i.story_id for i in plan.items] == [4, 1, 3]
    assert plan.total_seconds == 38 and plan.over_limit_seconds == 0


def test_emergency_items_are_never_dropped_and_overrun_is_reported():
    items = [_item(1, Priority.EMERGENCY), _item(2, Priority.EMERGENCY), _item(3)]
    plan = plan_bulletin(_request(items, max_seconds=20), {1: 15, 2: 15, 3: 5}, fixed_seconds=0)
    assert [i.story_id for i in plan.items] == [1, 2] or [i.story_id for i in plan.items] == [2, 1]
    assert plan.over_limit_seconds == 12


def test_items_without_audio_and_duplicates_are_dropped_with_a_reason():
    items = [_item(1), _item(2), _item(1)]
    plan = plan_bulletin(_request(items), {1: 5}, fixed_seconds=0)
    assert [i.story_id for i in plan.items] == [1]
    reasons = {d.story_id: d.reason for d in plan.dropped}
    assert reasons[2] == REASON_NO_AUDIO and "trùng" in reasons[1]


_items = st.lists(
    st.tuples(st.sampled_from(list(Priority)), st.booleans(), st.integers(0, 500), st.floats(1, 120)),
    min_size=0, max_size=25)


@given(_items, st.floats(10, 900), st.floats(0, 30))
@settings(max_examples=150, deadline=None)
def test_plan_invariants(specs, limit, fixed):
    items = [BulletinItem(n, f"Tin {n}", ".", p, datetime(2024, 1, 1) + timedelta(hours=h), d, own=not d)
             for n, (p, d, h, _) in enumerate(specs)]
    durations = {n: s[3] for n, s in enumerate(specs)}
    plan = plan_bulletin(_request(items, limit), durations, fixed)
    kept = {i.story_id for i in plan.items}
    assert kept | {d.story_id for d in plan.dropped} == set(durations)  # nothing lost silently
    assert plan.total_seconds <= limit + 1e-6 or all(i.priority == Priority.EMERGENCY for i in plan.items)
    ranks = [(-int(i.priority), not i.own) for i in plan.items]
    assert ranks == sorted(ranks)
    for d in plan.dropped:  # nothing dropped outranks something kept
        assert all(d.priority <= k.priority for k in plan.items)
