"""An editor's day at the desk in a real browser (Debian's Chromium driven by Playwright): log in, open the queue,
approve a waiting story, correct how it is read, hear it, build the station's bulletins from the desk, and find
the corrected reading in the bulletin's transcript. Screenshots of the queue, the story page and today's page at
desktop and phone width go to test-artifacts/."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from flows.models import StoryState

if TYPE_CHECKING:
    from tests.web.desk.conftest import Desk

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
READING = ("Sáng nay, ủy ban xã Bình Long ra mắt tổ hòa giải thôn Đồng Mỏ. "
           "Tổ gồm bảy người được bà con tin cậy.")


def _watch(tab) -> list[str]:  # type: ignore[no-untyped-def]
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return errors


def _log_in(tab, desk: Desk, target: str) -> None:  # type: ignore[no-untyped-def]
    tab.goto(desk.url + target)
    assert "/dang-nhap" in tab.url
    tab.fill("input[name=ten]", "bien-tap")
    tab.fill("input[name=mat_khau]", desk.passwords["bien-tap"])
    tab.click("button:has-text('Đăng nhập')")
    tab.wait_for_url(desk.url + target)


def test_an_editors_day(desk: Desk, browser, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    sid = desk.ids["walk"]
    context = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    tab = context.new_page()
    errors = _watch(tab)
    _log_in(tab, desk, "/bien-tap")
    assert tab.locator("h1").inner_text() == "Bài chờ xem"
    tab.screenshot(path=str(artifacts / "desk-queue-desktop.png"), full_page=True)

    # Approve the waiting story from its page.
    tab.click(f"a.title[href='/bien-tap/bai/{sid}']")
    tab.wait_for_url(f"{desk.url}/bien-tap/bai/{sid}")
    tab.click("section.decide button:has-text('Duyệt')")
    assert f"Đã duyệt bài số {sid}" in tab.locator("p.ok").inner_text()
    assert desk.store().story(sid).state is StoryState.APPROVED

    # Correct how it is read on air.
    tab.fill("textarea[name=cach_doc]", READING)
    tab.click("button:has-text('Lưu cách đọc')")
    assert "Đã lưu cách đọc sửa tay" in tab.locator("p.ok").inner_text()
    assert tab.locator("section.spoken .reading").inner_text().strip() == READING

    # Hear it in Bình Long's voice, in the page.
    tab.select_option("select[name=dai]", "binh-long")
    tab.click("button:has-text('Nghe thử')")
    audio = tab.locator("audio.preview")
    audio.wait_for()
    tab.wait_for_function("() => document.querySelector('audio.preview').readyState >= 2", timeout=60_000)
    box = audio.bounding_box()
    assert box is not None
    tab.mouse.click(box["x"] + 18, box["y"] + box["height"] / 2)  # the native control's play button
    tab.wait_for_function("() => document.querySelector('audio.preview').currentTime > 0.3", timeout=60_000)
    assert tab.evaluate("document.querySelector('audio.preview').error") is None
    tab.screenshot(path=str(artifacts / "desk-story-desktop.png"), full_page=True)

    # Build Bình Long's bulletins of tomorrow from the desk, and follow the run to its end.
    tomorrow = (datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")) + timedelta(days=1)).date()
    tab.goto(desk.url + "/bien-tap/chay")
    tab.select_option("select[name=viec]", "synthesise")
    tab.fill("input[name=ngay]", tomorrow.isoformat())
    tab.check("input[name=dai][value=binh-long]")
    tab.click("button:has-text('Bắt đầu')")
    tab.wait_for_url(f"{desk.url}/bien-tap/chay/*")
    deadline = time.monotonic() + 300
    state = ""
    while time.monotonic() < deadline:  # the page reloads itself while the run goes
        state = tab.locator("p.run-state strong").inner_text()
        if state in ("xong", "lỗi"):
            break
        tab.wait_for_timeout(500)
    assert state == "xong", tab.locator("main").inner_text()
    assert "Bình Long" in tab.locator("pre.log").inner_text()

    # The bulletin as built carries the corrected reading.
    slot = "sang"  # the morning slot of content/stations.toml
    tab.goto(f"{desk.url}/dai/binh-long/{tomorrow.isoformat()}/{slot}")
    transcript = tab.locator("pre.transcript").inner_text()
    assert READING in transcript, transcript

    tab.goto(f"{desk.url}/bien-tap/hom-nay?ngay={tomorrow.isoformat()}")
    assert "Đài Truyền thanh xã Bình Long" in tab.locator("table.today").inner_text()
    tab.screenshot(path=str(artifacts / "desk-today-desktop.png"), full_page=True)
    assert errors == []
    context.close()

    # The same pages on a phone: nothing wider than the screen.
    phone = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                locale="vi-VN")
    tab = phone.new_page()
    errors = _watch(tab)
    _log_in(tab, desk, "/bien-tap")
    for path, name in (("/bien-tap", "queue"), (f"/bien-tap/bai/{sid}", "story"),
                       (f"/bien-tap/hom-nay?ngay={tomorrow.isoformat()}", "today")):
        tab.goto(desk.url + path)
        assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        tab.screenshot(path=str(artifacts / f"desk-{name}-phone.png"), full_page=True)
    assert errors == []
    phone.close()
