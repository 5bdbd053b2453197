"""Running the newsroom from the desk: an emergency bulletin for chosen stations in a worker process, followed to
its end; the runs of the last days; today's page with bulletins, quiet sources and decisions."""

from __future__ import annotations

import html
import re
import time
from contextlib import closing
from datetime import datetime
from typing import TYPE_CHECKING

from flows import pipeline
from flows.ingest.silence import silent_sources
from flows.models import Priority

if TYPE_CHECKING:
    from tests.web.desk.conftest import Desk


def _follow(client, location: str, timeout: float = 300) -> str:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while True:
        page = client.get(location).text
        state = re.search(r'class="run-state state-(\w+)"', page)
        assert state, page[:500]
        if state.group(1) in ("done", "failed") or time.monotonic() > deadline:
            return page
        assert '<meta http-equiv="refresh"' in page  # the page reloads itself while the run goes
        time.sleep(0.5)


def test_an_emergency_from_the_desk_airs_on_the_chosen_station_only(desk: Desk) -> None:
    with closing(desk.login("bien-tap")) as editor:
        token = desk.token(editor, "/bien-tap/chay")
        r = editor.post("/bien-tap/chay", data={"viec": "emergency", "tieu_de": "", "noi_dung": "x",
                                                "csrf_token": token})
        assert r.status_code == 400 and "cần có tiêu đề và nội dung" in r.text
        r = editor.post("/bien-tap/chay", data={"viec": "synthesise", "ngay": "31/12", "csrf_token": token})
        assert r.status_code == 400 and "không đúng" in html.unescape(r.text)
        r = editor.post("/bien-tap/chay", data={"viec": "xoa-het", "csrf_token": token})
        assert r.status_code == 400 and "Không có việc" in r.text
        r = editor.post("/bien-tap/chay", data={"viec": "check", "dai": ["khong-co"], "csrf_token": token})
        assert r.status_code == 404

        r = editor.post("/bien-tap/chay", data={"viec": "emergency", "tieu_de": "Cảnh báo sạt lở đất ở La Hiên",
                                                "noi_dung": "Mưa lớn kéo dài, người dân xóm Cây Bòng không ở "
                                                            "gần taluy âm.", "dai": ["la-hien"],
                                                "csrf_token": token})
        assert r.status_code == 303
        page = _follow(editor, r.headers["location"])
        assert "class=\"run-state state-done\"" in page, page
        assert "La Hiên" in html.unescape(page)
        story = next(s for s in desk.store().stories() if s.title == "Cảnh báo sạt lở đất ở La Hiên")
        assert story.priority is Priority.EMERGENCY and story.stations == ("la-hien",)
        assert any(e.actor == "bien-tap" for e in desk.store().story(story.id).events)
        aired = {station for _, station, _ in desk.store().broadcasts_of(story.id)}
        assert aired == {"la-hien"}

        assert "máy chủ Prefect" not in page  # no `bantin up` here: the run was this machine's worker process
        runs = editor.get("/bien-tap/chay").text
        assert "Phát tin khẩn cấp" in runs and "xong" in runs
        assert "không chạy thường trực" in runs
        assert editor.get("/bien-tap/chay/khong-co-lan-nay").status_code == 404
        assert editor.get("/bien-tap/chay/..%2F..%2Fetc").status_code == 404


def test_today_shows_bulletins_quiet_sources_and_decisions(desk: Desk) -> None:
    store = desk.store()
    with closing(desk.login("bien-tap")) as editor:
        page = html.unescape(editor.get("/bien-tap/hom-nay").text)
    waiting = pipeline.waiting_for_review(store)
    assert re.search(rf"Bài chờ xem:\s*<strong>{len(waiting)}</strong>", page)
    from flows import runtime

    room = runtime.newsroom(str(desk.content))
    quiet = silent_sources(room.sources, store.source_states(), datetime.now())
    for q in quiet:
        assert q.message in page
    if not quiet:
        assert "Mọi nguồn đều gửi tin đúng hạn." in page
    for station in room.stations:
        assert station.name in page
