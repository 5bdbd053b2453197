"""The portal in a real browser (Debian's Chromium, driven by Playwright), served by a real web server.

CI installs chromium (.ci/run); elsewhere the test is skipped with a message when it is missing.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from datetime import datetime

import imageio_ffmpeg
import pytest

from flows.models import Commune, Movement, Station
from flows.portal import Edition, PortalStory, SiteInfo, StaticSitePublisher
from flows.portal.bulletins import latest_bulletins

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BROWSER_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if CHROMIUM is None:
        message = "Chromium is not installed (apt-get install chromium; .ci/run does it)"
        if os.environ.get("BANTIN_CI"):
            pytest.fail(message)
        pytest.skip(message)
    root = tmp_path_factory.mktemp("portal")
    clip = tmp_path_factory.mktemp("clips") / "bai-1.mp3"  # the voiced story, placed on the site by the publisher
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "sine=f=440:d=3",
                    "-ac", "1", "-c:a", "libmp3lame", "-b:a", "64k", "-write_xing", "0", "-id3v2_version", "0", str(clip)], check=True)
    stories = [
        PortalStory(id=1, slug="bai-1", title="Xã Thần Sa ra mắt mô hình “Dân vận khéo”",
                    body_html="<p>Ngày 12/6/2023, xã Thần Sa ra mắt mô hình.</p>", body_text="Ngày 12/6/2023.",
                    published_at=datetime(2023, 6, 12), author="UBND xã Thần Sa", source="Hộp thư",
                    movements=("dan-van-kheo",), communes=("than-sa",), audio_source=str(clip)),
        PortalStory(id=2, slug="bai-2", title="Đình Cả đạt chuẩn văn minh đô thị", body_html="<p>Nội dung.</p>",
                    body_text="Nội dung.", published_at=datetime(2023, 9, 1), author="", source="Phòng VH-TT"),
    ]
    # Thần Sa's station has one bulletin (a real MP3 with its manifest, as synthesis leaves it).
    day = tmp_path_factory.mktemp("audio_out") / "than-sa" / "2023-12-01"
    day.mkdir(parents=True)
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "sine=f=330:d=3",
                    "-ac", "1", "-c:a", "libmp3lame", "-b:a", "64k", str(day / "sang.mp3")], check=True)
    (day / "sang.json").write_text(json.dumps({
        "file": "sang.mp3", "date": "2023-12-01", "duration_seconds": 3.0,
        "station": {"id": "than-sa", "name": "Đài Truyền thanh xã Thần Sa", "kind": "commune"},
        "slot": {"id": "sang", "name": "buổi sáng", "time": "06:00"},
        "items": [{"story_id": 1, "title": "Xã Thần Sa ra mắt mô hình “Dân vận khéo”"}]}), encoding="utf-8")
    communes = [Commune("than-sa", "Thần Sa"), Commune("dinh-ca", "Đình Cả", "thị trấn")]
    stations, _ = latest_bulletins(day.parents[1], [
        Station("vo-nhai", "Đài Truyền thanh huyện Võ Nhai", "district"),
        Station("than-sa", "Đài Truyền thanh xã Thần Sa", "commune", commune="than-sa")], communes)
    StaticSitePublisher(root).publish(Edition(
        SiteInfo(title="Cổng thông tin điện tử huyện Võ Nhai", column="Thi đua yêu nước", centre="Trung tâm",
                 base_url="https://vonhai.example.vn/", district="huyện Võ Nhai", province="tỉnh Thái Nguyên"),
        stories, [Movement("dan-van-kheo", "Dân vận khéo")], communes, tuple(stations)), {})

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def page(site: str):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_FLAGS)
        tab = browser.new_page()
        errors: list[str] = []
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        tab.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        tab.errors = errors  # type: ignore[attr-defined]
        yield tab
        browser.close()


def test_reader_goes_from_home_to_the_column_to_an_article_and_plays_it(site: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{site}/index.html")
    assert page.title() == "Cổng thông tin điện tử huyện Võ Nhai"
    page.click("nav >> text=Thi đua yêu nước")
    assert page.locator("h1").inner_text() == "Thi đua yêu nước"
    titles = page.locator("ul.stories li a").all_inner_texts()
    assert titles == ["Đình Cả đạt chuẩn văn minh đô thị", "Xã Thần Sa ra mắt mô hình “Dân vận khéo”"]
    page.click("text=Xã Thần Sa ra mắt mô hình")
    assert page.url.endswith("/bai/bai-1/index.html")
    assert page.locator("article h1").inner_text() == "Xã Thần Sa ra mắt mô hình “Dân vận khéo”"
    assert "ngày 12 tháng 6 năm 2023" in page.locator(".meta").inner_text()
    # The browser loads the story's MP3 and knows its length: the file is real audio it can play.
    duration = page.evaluate("""() => new Promise((resolve, reject) => {
        const a = document.querySelector('audio');
        a.addEventListener('loadedmetadata', () => resolve(a.duration));
        a.addEventListener('error', () => reject(new Error('audio error ' + (a.error && a.error.code))));
        a.load();
    })""")
    assert abs(duration - 3.0) < 0.2
    page.click(".tags >> text=Dân vận khéo")
    assert page.locator("h1").inner_text() == "Dân vận khéo"
    assert page.errors == []


def test_every_link_on_every_page_leads_somewhere(site: str, page) -> None:  # type: ignore[no-untyped-def]
    seen: set[str] = set()
    queue = [f"{site}/index.html"]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        if not url.endswith(".html"):
            continue
        for href in page.eval_on_selector_all("a[href], link[href]", "els => els.map(e => e.href)"):
            if href.startswith(site) and href not in seen:
                queue.append(href.split("#")[0])
    assert f"{site}/xa/than-sa/index.html" in seen and f"{site}/rss.xml" in seen
    assert f"{site}/xa/than-sa/nhung.html" in seen and f"{site}/tim-kiem/index.html" in seen
    assert f"{site}/audio/bai-1.mp3" in seen and len(seen) >= 10
    assert f"{site}/ban-tin/index.html" in seen and f"{site}/ban-tin/than-sa/2023-12-01-sang.mp3" in seen


def test_listener_plays_a_station_bulletin(site: str, page) -> None:  # type: ignore[no-untyped-def]
    page.errors.clear()
    page.goto(f"{site}/index.html")
    page.click("nav >> text=Bản tin phát thanh")
    assert page.locator("h1").inner_text() == "Bản tin phát thanh"
    assert page.locator("#than-sa p.empty").count() == 0 and page.locator("#vo-nhai p.empty").count() == 1
    # Played in the page: the browser decodes the copied MP3 and its clock moves.
    played = page.evaluate("""() => new Promise((resolve, reject) => {
        const a = document.querySelector('#than-sa audio');
        a.addEventListener('timeupdate', () => { if (a.currentTime > 0) { a.pause(); resolve(a.currentTime); } });
        a.addEventListener('ended', () => resolve(a.currentTime));
        a.addEventListener('error', () => reject(new Error('audio error ' + (a.error && a.error.code))));
        a.play().catch(reject);
    })""")
    assert played > 0
    assert page.errors == []


def test_search_finds_a_story_and_shows_it_as_text(site: str, page) -> None:  # type: ignore[no-untyped-def]
    page.errors.clear()
    page.goto(f"{site}/index.html")
    page.fill("#q", "thần sa")
    page.click("form[role=search] button")
    page.wait_for_selector("#ket-qua li")
    assert page.locator("#ket-qua li a").all_inner_texts() == ["Xã Thần Sa ra mắt mô hình “Dân vận khéo”"]
    page.click("#ket-qua li a")
    assert page.url.endswith("/bai/bai-1/index.html")
    assert page.errors == []


@pytest.mark.parametrize("path", ["index.html", "bai/bai-1/index.html", "xa/index.html", "tim-kiem/index.html",
                                  "ban-tin/index.html", "xa/than-sa/index.html"])
def test_pages_fit_a_phone_screen(site: str, page, path: str) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 360, "height": 740})
    try:
        page.goto(f"{site}/{path}")
        overflow = page.evaluate("() => document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a 360px phone"
        nav_font = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('nav a')).fontSize)")
        assert nav_font >= 14
    finally:
        page.set_viewport_size({"width": 1280, "height": 800})
