"""The report in a real browser and on paper: Debian's Chromium (driven by Playwright) renders the page, headless
Chromium prints the PDF, pdftoppm turns its pages into images kept in test-artifacts/report/ for a person to look at.

CI installs chromium, poppler-utils and the Nu HTML Checker (.ci/run) and sets BANTIN_CI, under which a missing tool
fails the test; elsewhere the tests are skipped with a message when a tool is missing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from flows import pipeline
from flows.content import Newsroom
from flows.store import Store
from flows.yearend.period import Period
from tests.yearend.conftest import ARTIFACTS, fill_known

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PDFTOPPM = shutil.which("pdftoppm")
BROWSER_FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
A4_POINTS = (595, 842)


def _need(tool: str | None, message: str) -> None:
    if tool is None:
        if os.environ.get("BANTIN_CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The known newsroom's 2023 report, with its PDF."""
    _need(CHROMIUM, "Chromium is not installed (apt-get install chromium; .ci/run does it)")
    from tests.conftest import CONTENT

    content = tmp_path_factory.mktemp("report-print") / "project" / "content"
    shutil.copytree(CONTENT, content, ignore=shutil.ignore_patterns(".gitkeep"))
    newsroom = Newsroom.load(content)
    store = Store(newsroom.settings.store.url)
    store.migrate()
    fill_known(newsroom, store)
    files = pipeline.report(newsroom, store, Period.year(2023), now=datetime(2024, 1, 15, 9, 30))
    yield files
    store.engine.dispose()


def test_chromium_renders_the_page_with_its_charts_and_no_errors(printed) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_FLAGS)
        page = browser.new_page(viewport={"width": 900, "height": 1200})
        errors: list[str] = []
        requests: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("request", lambda req: requests.append(req.url))
        page.goto(printed.html.as_uri())
        assert page.title().startswith("Báo cáo kết quả tuyên truyền")
        charts = page.locator("svg.chart")
        assert charts.count() == 3
        for i in range(3):
            box = charts.nth(i).bounding_box()
            assert box is not None and box["width"] > 500 and box["height"] > 150
        # The March point of "received" stands twice as high above the axis as the June one (2 stories vs 1).
        heights = page.eval_on_selector_all(
            'svg.chart circle.point[data-series="0"]', "els => els.map(e => e.getBBox().y)")
        assert len(heights) == 12
        bottom = page.eval_on_selector('svg.chart line:last-of-type', "e => e.y1.baseVal.value")
        assert (bottom - heights[2] - 2.6) == pytest.approx(2 * (bottom - heights[5] - 2.6), abs=0.2)
        bars = page.eval_on_selector_all('svg.chart rect.bar[data-series="0"]',
                                         "els => els.map(e => [e.dataset.value, e.getBBox().width])")
        widths = {float(v): w for v, w in bars if float(v) > 0}
        assert widths[2.0] == pytest.approx(2 * widths[1.0], rel=0.01)
        page.screenshot(path=str(ARTIFACTS / "bao-cao-man-hinh.png"), full_page=True)
        page.emulate_media(media="print")
        assert page.evaluate("getComputedStyle(document.querySelector('.van-ban')).paddingLeft") == "0px"
        browser.close()
    assert errors == []
    assert all(url.startswith("file://") for url in requests), requests  # nothing fetched from the network


def test_the_pdf_is_a4_and_its_pages_are_kept_as_images(printed) -> None:  # type: ignore[no-untyped-def]
    _need(PDFTOPPM, "pdftoppm is not installed (apt-get install poppler-utils; .ci/run does it)")
    assert printed.pdf is not None and printed.pdf_problem == "", printed.pdf_problem
    info = subprocess.run(["pdfinfo", str(printed.pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    size = next(line for line in info.splitlines() if line.startswith("Page size:")).split()
    assert (round(float(size[2])), round(float(size[4]))) == A4_POINTS and 4 <= pages <= 30
    text = subprocess.run(["pdftotext", "-layout", str(printed.pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    for part in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "BÁO CÁO", "Nơi nhận:",
                 "TRƯỞNG PHÒNG", "Bảng 1. Kết quả theo tháng"):
        assert part in text, part
    out = ARTIFACTS / "pdf"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    shutil.copy(printed.pdf, ARTIFACTS / printed.pdf.name)
    subprocess.run([PDFTOPPM, "-r", "70", "-png", str(printed.pdf), str(out / "trang")], check=True)
    images = sorted(out.glob("trang-*.png"))
    assert len(images) == pages and all(p.stat().st_size > 5000 for p in images)
    assert _png_size(images[0]) == (579, 819)  # A4 at 70 dpi


def test_nothing_is_printed_in_the_margins(printed) -> None:  # type: ignore[no-untyped-def]
    """Every word of every page lies inside the administrative margins (30 mm left for binding, 15 mm right, 20 mm
    top and bottom). A heading pushed to the next page once left the stacked marks of its capitals (Ế, Ả) at the foot
    of the page before."""
    _need(PDFTOPPM, "pdftoppm is not installed (apt-get install poppler-utils; .ci/run does it)")
    assert printed.pdf is not None, printed.pdf_problem
    xml = subprocess.run(["pdftotext", "-bbox", str(printed.pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    mm, slack = 72 / 25.4, 1.0  # points; slack for the glyph boxes' rounding
    left, right, top, bottom = 30 * mm - slack, 595.28 - 15 * mm + slack, 20 * mm - slack, 841.89 - 20 * mm + slack
    pages = xml.split("<page ")[1:]
    assert len(pages) >= 4
    outside = []
    for number, page in enumerate(pages, start=1):
        words = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', page)
        assert words, number
        for x0, y0, x1, y1, word in words:
            if float(x0) < left or float(x1) > right or float(y0) < top or float(y1) > bottom:
                outside.append((number, word, round(float(x0)), round(float(y0))))
    assert outside == []


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[16:24]
    return int.from_bytes(data[:4], "big"), int.from_bytes(data[4:], "big")


def test_the_page_is_valid_html(printed) -> None:  # type: ignore[no-untyped-def]
    """The Nu HTML Checker (the portal's tests use it too) finds no error in the report page."""
    from tests.portal.conftest import Validator, _find_vnu

    jar, java = _find_vnu(), shutil.which("java")
    _need(java if jar is not None else None,
          "The Nu HTML Checker is not installed (npm install -g vnu-jar and Java; .ci/run does both)")
    assert jar is not None and java is not None
    assert Validator(java, jar).errors([printed.html]) == []
