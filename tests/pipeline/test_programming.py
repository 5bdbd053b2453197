"""Bulletin programming over several days on a store with known stories: air windows, fair rotation, order,
emergencies, retraction, hand-set readings, the review window and what an editor sees."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from flows import pipeline, runtime
from flows.audio.plan import plan_bulletin
from flows.models import DISTRICT, AudioProfile, BulletinItem, BulletinRequest, Priority, Slot, Station, StoryState, SubmittedStory
from flows.pipeline.fanout import Serial
from flows.pipeline.normalising import local_now

D1 = date(2023, 12, 4)  # a Monday

TEXT = ("Xã {place} tổ chức ra quân làm đường giao thông nông thôn, bà con góp ngày công và hiến đất "
        "để mở rộng đường liên xóm, góp phần xây dựng nông thôn mới.")
# A second sentence unlike the others per story: stories that only differ by a word are near duplicates, and
# normalise would rightly fold them into the first one.
DETAIL = ["Hội Phụ nữ trồng {n} cây xanh dọc đường vào trường tiểu học.",
          "Đoàn thanh niên sửa {n} mái nhà cho các gia đình chính sách trước mùa mưa.",
          "Hợp tác xã chè ký hợp đồng bao tiêu {n} tấn chè búp với doanh nghiệp trong tỉnh.",
          "Trạm y tế khám bệnh miễn phí cho {n} người cao tuổi ở các thôn vùng cao.",
          "Câu lạc bộ văn nghệ dân gian luyện tập {n} tiết mục hát then, đàn tính.",
          "Công an xã tuyên truyền phòng chống ma túy tại {n} buổi họp thôn.",
          "Nhà trường vận động {n} học sinh bỏ học trở lại lớp sau kỳ nghỉ.",
          "Hội Nông dân hướng dẫn {n} hộ nuôi gà đồi theo hướng an toàn sinh học."]


def _story(store, newsroom, ext: str, title: str, audience: tuple[str, ...] = (DISTRICT,),  # type: ignore[no-untyped-def]
           day: date = D1, priority: Priority = Priority.NORMAL, place: str = "Tràng Xá") -> int:
    source = newsroom.source("phong-vhtt")
    story_id = store.add_submission(SubmittedStory(
        "phong-vhtt", ext, title,
        f"<p>{TEXT.format(place=place)} {DETAIL[sum(map(ord, ext)) % len(DETAIL)].format(n=len(ext) + 11)}</p>",
        published_at=datetime.combine(day, datetime.min.time()) + timedelta(hours=8), audience=audience,
        priority=priority), source)
    assert story_id is not None
    return story_id


def _manifest(newsroom, station: str, day: date, slot: str = "sang") -> dict:  # type: ignore[no-untyped-def]
    path = newsroom.settings.audio.output / station / day.isoformat() / f"{slot}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _aired(newsroom, station: str, day: date, slot: str = "sang") -> list[int]:  # type: ignore[no-untyped-def]
    return [i["story_id"] for i in _manifest(newsroom, station, day, slot)["items"]]


@pytest.fixture()
def room(content_dir: Path):  # type: ignore[no-untyped-def]
    return runtime.open_newsroom(str(content_dir))


def test_air_windows_are_kept_day_by_day(room) -> None:  # type: ignore[no-untyped-def]
    newsroom, store = room
    early = _story(store, newsroom, "a", "Tin ngày đầu tuần", day=D1)
    late = _story(store, newsroom, "b", "Tin giữa tuần", day=D1 + timedelta(days=2))
    weekly = _story(store, newsroom, "c", "Tin chỉ phát thứ Tư")
    pipeline.normalise(newsroom, store)
    pipeline.set_air_window(store, weekly, D1, D1 + timedelta(days=13), "chị Lan", weekdays=[2])  # Wednesdays
    seen = {}
    for offset in range(6):
        day = D1 + timedelta(days=offset)
        report = pipeline.synthesise(newsroom, store, day=day, stations=["than-sa"], fanout=Serial())
        seen[offset] = set(_aired(newsroom, "than-sa", day)) if report.bulletins else set()
    assert seen[0] == {early} and seen[1] == {early}  # the source's 3 days from the story's own date
    assert seen[2] == {early, late, weekly}  # a Wednesday
    assert seen[3] == {early, late} and seen[4] == {late} and seen[5] == {late}
    assert store.story(early).state is StoryState.BROADCAST


def test_a_day_with_nothing_valid_says_so(room) -> None:  # type: ignore[no-untyped-def]
    newsroom, store = room
    _story(store, newsroom, "a", "Tin cũ", day=D1)
    pipeline.normalise(newsroom, store)
    report = pipeline.synthesise(newsroom, store, day=D1 + timedelta(days=30), stations=["than-sa"], fanout=Serial())
    assert report.bulletins == [] and report.ok
    assert report.idle and "Thần Sa" in report.idle[0] and "không có tin" in report.idle[0]


def _item(story_id: int, aired: int = 0, priority: Priority = Priority.NORMAL) -> BulletinItem:
    return BulletinItem(story_id, f"Tin {story_id}", "x", priority, datetime(2023, 12, story_id), True, aired=aired)


def test_rotation_gives_every_story_airtime_before_any_repeats() -> None:
    station = Station("xa", "Đài xã", "commune", "xa", audio=AudioProfile(pause_seconds=0))
    slot = Slot("sang", "buổi sáng", "06:00", max_seconds=100)
    durations = {n: 30.0 for n in range(1, 8)}  # 7 stories of 30 s, 3 fit a slot
    counts: Counter[int] = Counter()
    for _ in range(7):
        items = tuple(_item(n, counts[n]) for n in durations)
        plan = plan_bulletin(BulletinRequest(station, slot, D1, items), durations, 0, 0)
        assert len(plan.items) == 3 and len(plan.dropped) == 4
        # Nobody airs again while another has aired fewer times.
        assert max(counts[i.story_id] for i in plan.items) <= min(counts[d.story_id] for d in plan.dropped)
        counts.update(i.story_id for i in plan.items)
    assert max(counts.values()) - min(counts.values()) <= 1 and sum(counts.values()) == 21


def test_rotation_across_slots_and_days_through_the_store(room, content_dir: Path) -> None:  # type: ignore[no-untyped-def]
    stations = content_dir / "stations.toml"
    text = stations.read_text(encoding="utf-8")
    text = text.replace('commune = "than-sa"\n', 'commune = "than-sa"\nmax_seconds = 40\nheadlines = 0\n', 1)
    stations.write_text(text, encoding="utf-8")
    runtime.forget()
    newsroom, store = runtime.open_newsroom(str(content_dir))
    ids = [_story(store, newsroom, str(n), f"Tin làm đường số {n}", audience=("than-sa",), place=p)
           for n, p in enumerate(["Thần Sa", "Sảng Mộc", "Thượng Nung", "Nghinh Tường"], start=1)]
    pipeline.normalise(newsroom, store)
    for sid in ids:
        pipeline.set_air_window(store, sid, D1, D1 + timedelta(days=5), "chị Lan")
    order: list[int] = []
    for offset in range(3):  # six slots: more airings than stories, so some must repeat
        pipeline.synthesise(newsroom, store, day=D1 + timedelta(days=offset), stations=["than-sa"], fanout=Serial())
        for slot in ("sang", "chieu"):
            aired = _aired(newsroom, "than-sa", D1 + timedelta(days=offset), slot)
            assert 0 < len(aired) < len(ids)  # the slot is too short for all of them
            order += aired
    first_repeat = next(i for i, sid in enumerate(order) if sid in order[:i])
    assert set(order[:first_repeat]) == set(ids)  # every story aired once before any aired twice
    evening = _manifest(newsroom, "than-sa", D1, "chieu")
    morning_ids = set(_aired(newsroom, "than-sa", D1, "sang"))
    assert evening["items"][0]["story_id"] not in morning_ids  # the evening leads with what is new
    assert any("đã phát" in d["reason"] for d in evening["dropped"])  # the drop is recorded with its reason


def test_order_emergency_then_priority_then_the_communes_own_news(room) -> None:  # type: ignore[no-untyped-def]
    newsroom, store = room
    district = _story(store, newsroom, "d", "Tin toàn huyện mới nhất", day=D1)
    own = _story(store, newsroom, "o", "Tin của xã Thần Sa", audience=("than-sa",), day=D1 - timedelta(days=1))
    prio = _story(store, newsroom, "p", "Tin ưu tiên", day=D1 - timedelta(days=2), priority=Priority.PRIORITY)
    pipeline.normalise(newsroom, store)
    pipeline.synthesise(newsroom, store, day=D1, stations=["than-sa", "vo-nhai"], fanout=Serial())
    assert _aired(newsroom, "than-sa", D1) == [prio, own, district]
    pipeline.emergency(newsroom, store, "Cảnh báo lũ", "Người dân không qua ngầm tràn.", ["than-sa"],
                       now=datetime(2023, 12, 4, 20, 0), fanout=Serial())
    (alert,) = [s.id for s in store.stories() if s.kind == "emergency"]
    pipeline.synthesise(newsroom, store, day=D1 + timedelta(days=1), stations=["than-sa", "la-hien"], fanout=Serial())
    assert _aired(newsroom, "than-sa", D1 + timedelta(days=1))[0] == alert
    assert alert not in _aired(newsroom, "la-hien", D1 + timedelta(days=1))  # only where it was sent
    story = store.story(alert)
    assert story.author == newsroom.settings.district.centre and story.movements == ()


def test_a_retracted_story_leaves_the_next_bulletins_and_the_portal(room) -> None:  # type: ignore[no-untyped-def]
    newsroom, store = room
    keep = _story(store, newsroom, "k", "Tin giữ lại")
    gone = _story(store, newsroom, "g", "Tin phải rút", place="Vũ Chấn")
    pipeline.normalise(newsroom, store)
    pipeline.synthesise(newsroom, store, day=D1, stations=["vu-chan"], fanout=Serial())
    first = pipeline.publish(newsroom, store)
    site = newsroom.settings.portal.output
    slug = store.story(gone).slug
    assert (site / "bai" / slug / "index.html").is_file() and gone in first.newly_published
    (result,) = pipeline.retract(store, [gone], "anh Tuấn", "Số liệu sai, chờ xã gửi lại")
    assert result.ok
    pipeline.synthesise(newsroom, store, day=D1 + timedelta(days=1), stations=["vu-chan"], fanout=Serial())
    assert _aired(newsroom, "vu-chan", D1 + timedelta(days=1)) == [keep]
    second = pipeline.publish(newsroom, store)
    assert second.withdrawn == [gone] and not (site / "bai" / slug / "index.html").exists()
    events = store.story(gone).events
    (retracted,) = [e for e in events if e.state is StoryState.RETRACTED and e.actor != "bantin"]
    assert retracted.actor == "anh Tuấn" and "Số liệu sai" in retracted.message
    assert "Gỡ khỏi" in events[-1].message  # and the history says it left the portal
    (back,) = pipeline.restore(store, [gone], "anh Tuấn")
    assert back.ok and store.story(gone).state is StoryState.NORMALISED


def test_an_emergency_is_its_own_portal_category_credited_to_the_centre(room) -> None:  # type: ignore[no-untyped-def]
    newsroom, store = room
    news = _story(store, newsroom, "n", "Tin thi đua của huyện")
    pipeline.normalise(newsroom, store)
    pipeline.emergency(newsroom, store, "Cảnh báo lũ quét", "Người dân xã Thần Sa không qua ngầm tràn.",
                       stations=["than-sa"], actor="anh Tuấn", now=datetime(2023, 12, 4, 17, 0), fanout=Serial())
    pipeline.publish(newsroom, store)
    site = newsroom.settings.portal.output
    (alert,) = [s for s in store.stories() if s.kind == "emergency"]
    alert_page = f"bai/{alert.slug}/index.html"

    def links(path: str) -> set[str]:
        return set(re.findall(r'href="(?:\.\./)*([^"]+)"', (site / path).read_text(encoding="utf-8")))

    assert alert_page in links("thong-bao-khan/index.html")
    assert f"bai/{store.story(news).slug}/index.html" not in links("thong-bao-khan/index.html")
    assert alert_page not in links("thi-dua-yeu-nuoc/index.html")  # not filed under the emulation column
    assert f"bai/{store.story(news).slug}/index.html" in links("thi-dua-yeu-nuoc/index.html")
    article = (site / alert_page).read_text(encoding="utf-8")
    assert re.search(r'class="column"><a href="[./]*thong-bao-khan/index.html">Thông báo khẩn</a>', article)
    centre = newsroom.settings.district.centre
    assert f"· {centre}</p>" in article and "biên tập viên" not in article  # credited to the newsroom
    front = (site / "index.html").read_text(encoding="utf-8")
    assert front.index("Cảnh báo lũ quét") < front.index("Tin thi đua của huyện")  # the notice leads the front page
    assert "thong-bao-khan/index.html" in links("lien-he/index.html")  # in the navigation of every page


def test_a_hand_set_reading_is_heard_on_every_station(room, content_dir: Path) -> None:  # type: ignore[no-untyped-def]
    newsroom, store = room
    assert "than-sa" in newsroom.lexicon().stations(), "the demo has a station with its own pronunciations"
    sid = _story(store, newsroom, "r", "Xã Thần Sa làm đường")
    pipeline.normalise(newsroom, store)
    reading = "xã thần sa làm đường. bà con góp công góp của, cùng chung sức xây dựng nông thôn mới."
    pipeline.set_reading(store, sid, reading, "chị Lan")
    pipeline.synthesise(newsroom, store, day=D1, stations=["than-sa", "la-hien", "vo-nhai"], fanout=Serial())
    for station in ("than-sa", "la-hien", "vo-nhai"):
        transcript = (newsroom.settings.audio.output / station / D1.isoformat() / "sang.txt").read_text(encoding="utf-8")
        assert reading in transcript, station
    edited = pipeline.edit_story(newsroom, store, sid, "chị Lan", text="Xã Thần Sa khánh thành đường mới.",
                                 reason="cập nhật")
    assert edited.spoken_override is None and edited.revision == 2 and "khánh thành" in edited.reading
    assert store.revisions(sid)[0]["title"] == "Xã Thần Sa làm đường"


def test_review_window_stops_nothing_until_the_cut_off(room, content_dir: Path) -> None:  # type: ignore[no-untyped-def]
    newsroom, store = room
    source = newsroom.source("hoi-nong-dan")
    assert source.trusted and source.review_hours == 2
    sid = store.add_submission(SubmittedStory("hoi-nong-dan", "x", "Nông dân giỏi xã Tràng Xá",
                                              "<p>Hội Nông dân xã Tràng Xá biểu dương hộ sản xuất giỏi.</p>"), source)
    report = pipeline.normalise(newsroom, store)
    assert report.in_review == [sid] and store.story(sid).state is StoryState.NORMALISED
    now = local_now(newsroom)  # the district's clock, not the server's
    assert pipeline.release_due(newsroom, store, now + timedelta(minutes=30)) == []
    waiting = {s.id for s in pipeline.waiting_for_review(store)}
    assert sid in waiting
    assert pipeline.release_due(newsroom, store, now + timedelta(hours=3)) == [sid]
    assert store.story(sid).state is StoryState.APPROVED


def test_approving_many_gives_each_its_own_result(room) -> None:  # type: ignore[no-untyped-def]
    newsroom, store = room
    a = store.add_submission(SubmittedStory("hoi-nong-dan", "1", "Tin A", "<p>Nội dung A của hội.</p>"),
                             newsroom.source("hoi-nong-dan"))
    pipeline.normalise(newsroom, store)
    results = pipeline.approve(store, [999, a, a], "chị Lan")
    assert [(r.story_id, r.ok) for r in results] == [(999, False), (a, True)]
    assert "Không có bài số 999" in results[0].message


def test_history_has_one_line_per_day_on_air(room) -> None:  # type: ignore[no-untyped-def]
    newsroom, store = room
    sid = _story(store, newsroom, "h", "Tin toàn huyện")
    pipeline.normalise(newsroom, store)
    pipeline.synthesise(newsroom, store, day=D1, fanout=Serial())  # 16 stations, 2 slots each
    events = [e for e in store.story(sid).events if e.state is StoryState.BROADCAST]
    assert len(events) == 1 and "04/12/2023" in events[0].message
    assert len(store.broadcasts_of(sid)) == 32


def test_the_demo_night_keeps_slots_and_puts_each_communes_news_first(demo_night: dict) -> None:
    newsroom = runtime.newsroom(demo_night["content"])
    day = demo_night["day"]
    checked = 0
    for station in newsroom.stations:
        for slot in station.slots:
            manifest = _manifest(newsroom, station.id, day, slot.id)
            assert manifest["duration_seconds"] <= slot.max_seconds, (station.id, slot.id)
            own = [i for i in manifest["items"] if not i["district_wide"]]
            if station.is_district or not own:
                continue
            assert min(i["start_seconds"] for i in own) <= manifest["duration_seconds"] / 3, station.id
            checked += 1
    assert checked >= 6  # the demo has communes with their own news that night


def test_bantin_stories_waiting_lists_ids(content_dir: Path) -> None:
    from typer.testing import CliRunner

    from flows.cli import app

    newsroom, store = runtime.open_newsroom(str(content_dir))
    sid = store.add_submission(SubmittedStory("hoi-nong-dan", "w", "Tin chờ xem", "<p>Nội dung của hội.</p>"),
                               newsroom.source("hoi-nong-dan"))
    pipeline.normalise(newsroom, store)
    result = CliRunner().invoke(app, ["stories", "--waiting", "--content", str(content_dir)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert re.search(rf"^\W*{sid}\b.*Tin chờ xem", result.output, re.M) and "tự động duyệt lúc" in result.output
