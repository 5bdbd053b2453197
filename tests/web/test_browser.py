"""An operator on a cheap phone, in a real browser (Debian's Chromium driven by Playwright, launched as the portal
test launches it): log in, open today's bulletin, play it, download it. A screenshot goes to test-artifacts/."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.web.conftest import Server

# The portal browser test's launch settings (tests/portal/test_browser.py).
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BROWSER_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def phone(server: Server) -> Iterator[object]:
    if CHROMIUM is None:
        message = "Chromium is not installed (apt-get install chromium; .ci/run does it)"
        if os.environ.get("BANTIN_CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_FLAGS)
        context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                      accept_downloads=True, locale="vi-VN")
        tab = context.new_page()
        errors: list[str] = []
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        tab.errors = errors  # type: ignore[attr-defined]
        yield tab
        context.close()
        browser.close()


def test_operator_logs_in_on_a_phone_plays_and_downloads_a_bulletin(server: Server, phone, artifacts: Path,  # type: ignore[no-untyped-def]
                                                                    tmp_path: Path) -> None:
    page, night = phone, server.night
    page.goto(server.url + "/")
    assert page.url.startswith(server.url + "/dang-nhap")
    page.fill("input[name=ten]", "op-binh-long")
    page.fill("input[name=mat_khau]", server.passwords["op-binh-long"])
    page.click("button:has-text('Đăng nhập')")
    page.wait_for_url(server.url + "/dai/binh-long")
    assert page.locator("h1").inner_text() == "Đài Truyền thanh xã Bình Long"
    # The page fits the phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.locator("li.bulletin.emergency .badge").first.inner_text() == "KHẨN CẤP"
    page.screenshot(path=str(artifacts / "serve-operator-phone-station.png"), full_page=True)

    today = night.today.isoformat()
    page.click(f"a[href='/dai/binh-long/{today}/sang']:has-text('Các tin và lời đọc')")
    page.wait_for_url(f"{server.url}/dai/binh-long/{today}/sang")
    assert "Xã Bình Long ra mắt mô hình camera an ninh" in page.locator("ol.stories").inner_text()
    assert "BẢN TIN BUỔI SÁNG" in page.locator("pre.transcript").inner_text()

    # Press play (the native control's button sits at the left of the bar), then wait for the sound to move.
    audio = page.locator("audio")
    box = audio.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 18, box["y"] + box["height"] / 2)
    page.wait_for_function("() => document.querySelector('audio').currentTime > 0.5", timeout=60_000)
    assert page.evaluate("document.querySelector('audio').paused") is False
    assert page.evaluate("document.querySelector('audio').error") is None
    page.screenshot(path=str(artifacts / "serve-operator-phone.png"), full_page=True)

    with page.expect_download() as info:
        page.click("a.button:has-text('Tải về')")
    download = info.value
    assert download.suggested_filename == f"Bản tin buổi sáng {night.today:%d-%m-%Y} – Đài Truyền thanh xã Bình Long.mp3"
    saved = tmp_path / "downloaded.mp3"
    download.save_as(saved)
    assert saved.read_bytes() == night.mp3("binh-long", night.today, "sang").read_bytes()
    assert page.errors == []  # no script error and no blocked resource (the CSP would say so)

    rows = server.wait_for_fetches(lambda f: f.who == "op-binh-long" and f.day == night.today and f.slot_id == "sang"
                                   and f.complete and f.bytes_sent == f.file_bytes)
    assert rows, "the download from the browser is in the fetch log"
