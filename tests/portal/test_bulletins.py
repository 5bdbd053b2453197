"""Each station's latest bulletins on the portal: the page "Bản tin phát thanh", a section on each commune's page,
the MP3s copied beside the pages (only when changed, old copies removed) and broken bulletins skipped with a warning.

Bulletins here are real MP3s made by ffmpeg with manifests shaped as synthesis writes them; the demo night's
bulletins (built by the real synthesis) are checked against their own manifests at the end.
"""

from __future__ import annotations

import json
import subprocess
import unicodedata
from datetime import datetime
from pathlib import Path

import imageio_ffmpeg
import pytest
from bs4 import BeautifulSoup

from flows.audio.ffmpeg import decode_errors, probe_duration
from flows.models import Commune, Movement, Station
from flows.portal import Edition, PortalStory, SiteInfo, StaticSitePublisher
from flows.portal.bulletins import duration_vi, latest_bulletins
from flows.reporting import publish_lines
from flows.pipeline.publishing import PublishReport

INFO = SiteInfo(title="Cổng thông tin điện tử huyện Võ Nhai", column="Thi đua yêu nước", centre="Trung tâm",
                base_url="https://vonhai.example.vn/", district="huyện Võ Nhai", province="tỉnh Thái Nguyên")
COMMUNES = [Commune("than-sa", "Thần Sa"), Commune("dinh-ca", "Đình Cả", "thị trấn"), Commune("la-hien", "La Hiên")]
# Listed out of order on purpose: the page puts the district first, then the communes in content order.
STATIONS = [
    Station("dinh-ca", "Đài Truyền thanh thị trấn Đình Cả", "commune", commune="dinh-ca"),
    Station("vo-nhai", "Đài Truyền thanh huyện Võ Nhai", "district"),
    Station("than-sa", "Đài Truyền thanh xã Thần Sa", "commune", commune="than-sa"),
    Station("la-hien", "Đài Truyền thanh xã La Hiên", "commune", commune="la-hien"),
]
SLOTS = {"sang": ("buổi sáng", "06:00"), "chieu": ("buổi chiều", "17:00")}


def _mp3(path: Path, seconds: float, freq: int = 440) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i",
                    f"sine=f={freq}:d={seconds}", "-ac", "1", "-c:a", "libmp3lame", "-b:a", "64k", str(path)],
                   check=True)


def bulletin(root: Path, station: Station, day: str, slot: str, titles: list[str], seconds: float = 2.0,
             freq: int = 440) -> Path:
    """A bulletin as synthesis leaves it: <slot>.mp3, then <slot>.json and <slot>.txt beside it."""
    folder = root / station.id / day
    _mp3(folder / f"{slot}.mp3", seconds, freq)
    name, at = SLOTS[slot]
    manifest = {"format_version": 1, "file": f"{slot}.mp3", "date": day, "duration_seconds": seconds + 0.026,
                "station": {"id": station.id, "name": station.name, "kind": station.kind},
                "slot": {"id": slot, "name": name, "time": at, "max_seconds": 1800.0},
                "items": [{"story_id": i + 1, "title": t} for i, t in enumerate(titles)], "dropped": []}
    (folder / f"{slot}.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    (folder / f"{slot}.txt").write_text(f"BẢN TIN {name.upper()}\n", encoding="utf-8")
    return folder / f"{slot}.mp3"


def publish(audio: Path, site: Path, stations: list[Station] = STATIONS):  # type: ignore[no-untyped-def]
    shown, warnings = latest_bulletins(audio, stations, COMMUNES)
    story = PortalStory(id=1, slug="bai-1", title="Tin Thần Sa", body_html="<p>Nội dung.</p>", body_text="Nội dung.",
                        published_at=datetime(2023, 11, 30), author="", source="Hộp thư",
                        communes=("than-sa",))
    edition = Edition(INFO, [story], [Movement("dan-van-kheo", "Dân vận khéo")], COMMUNES, tuple(shown),
                      tuple(warnings))
    return StaticSitePublisher(site).publish(edition, {}), warnings


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_bytes(), "html5lib")


def sections(page: BeautifulSoup) -> dict[str, list[dict[str, object]]]:
    """Station name -> its bulletins as the page shows them."""
    out = {}
    for section in page.select("section.station"):
        out[section.h2.get_text(strip=True)] = [
            {"heading": li.h3.get_text(strip=True), "duration": li.select_one("span.duration").get_text(strip=True),
             "titles": [t.get_text(strip=True) for t in li.select("ol.bulletin-stories li")],
             "audio": li.audio["src"], "download": li.select_one("a[download]")["href"],
             "empty": None}
            for li in section.select("ul.bulletins > li")] or [{"empty": section.select_one("p.empty").get_text()}]
    return out


@pytest.fixture
def newsroom_audio(tmp_path: Path) -> Path:
    audio = tmp_path / "audio_out"
    district, dinh_ca, than_sa = STATIONS[1], STATIONS[0], STATIONS[2]
    bulletin(audio, district, "2023-11-30", "sang", ["Tin cũ của huyện"])
    bulletin(audio, district, "2023-12-01", "sang", ["Hội thi tuyên truyền viên giỏi", "Phòng cháy mùa khô"], 2.0)
    bulletin(audio, district, "2023-12-01", "chieu", ["Tháng hành động vì bình đẳng giới"], 3.0, 660)
    bulletin(audio, than_sa, "2023-12-01", "sang", ["Xóm Kim Sơn làm đường bê tông"], 1.5, 550)
    bulletin(audio, dinh_ca, "2023-11-30", "sang", ["Đình Cả đạt chuẩn văn minh đô thị"], 2.5, 330)
    return audio  # La Hiên has no bulletin yet


def test_page_lists_every_station_district_first_with_its_latest_bulletins(newsroom_audio: Path,
                                                                           tmp_path: Path) -> None:
    site = tmp_path / "site"
    result, warnings = publish(newsroom_audio, site)
    assert warnings == [] and result.pages_written > 0
    page = soup(site / "ban-tin" / "index.html")
    assert page.h1.get_text() == "Bản tin phát thanh"
    shown = sections(page)
    assert list(shown) == ["Đài Truyền thanh huyện Võ Nhai", "Đài Truyền thanh xã Thần Sa",
                           "Đài Truyền thanh thị trấn Đình Cả", "Đài Truyền thanh xã La Hiên"]
    district = shown["Đài Truyền thanh huyện Võ Nhai"]
    # Only the newest day (1/12), in the order they air; the 30/11 bulletin has left the page.
    assert [b["heading"] for b in district] == ["Bản tin buổi sáng, 06:00", "Bản tin buổi chiều, 17:00"]
    assert [b["titles"] for b in district] == [["Hội thi tuyên truyền viên giỏi", "Phòng cháy mùa khô"],
                                               ["Tháng hành động vì bình đẳng giới"]]
    assert [b["duration"] for b in district] == ["2 giây", "3 giây"]
    assert [b["audio"] for b in district] == ["../ban-tin/vo-nhai/2023-12-01-sang.mp3",
                                              "../ban-tin/vo-nhai/2023-12-01-chieu.mp3"]
    assert all(b["download"] == b["audio"] for b in district)
    # A station whose newest day is older still shows it: its latest is what it has.
    assert [b["audio"] for b in shown["Đài Truyền thanh thị trấn Đình Cả"]] == [
        "../ban-tin/dinh-ca/2023-11-30-sang.mp3"]
    assert shown["Đài Truyền thanh xã La Hiên"] == [{"empty": "Chưa có bản tin."}]
    li = page.select_one("section.station ul.bulletins > li")
    assert li.audio.get("controls") is not None and li.audio["preload"] == "none"
    assert "ngày 1 tháng 12 năm 2023" in li.select_one("p.meta").get_text()
    text = page.get_text()
    assert unicodedata.is_normalized("NFC", text)
    # Every page's navigation leads here.
    for path in ("index.html", "xa/than-sa/index.html", "bai/bai-1/index.html", "lien-he/index.html"):
        nav = soup(site / path).select_one("nav.main-nav")
        assert "Bản tin phát thanh" in [a.get_text() for a in nav.select("a")], path
        link = nav.find("a", string="Bản tin phát thanh")["href"]
        assert (site / path).parent.joinpath(link).resolve() == (site / "ban-tin" / "index.html").resolve()


def test_copies_are_the_station_mp3s_byte_for_byte_and_decode(newsroom_audio: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    publish(newsroom_audio, site)
    copies = sorted(p.relative_to(site).as_posix() for p in (site / "ban-tin").rglob("*.mp3"))
    assert copies == ["ban-tin/dinh-ca/2023-11-30-sang.mp3", "ban-tin/than-sa/2023-12-01-sang.mp3",
                      "ban-tin/vo-nhai/2023-12-01-chieu.mp3", "ban-tin/vo-nhai/2023-12-01-sang.mp3"]
    copy = site / "ban-tin" / "vo-nhai" / "2023-12-01-chieu.mp3"
    assert copy.read_bytes() == (newsroom_audio / "vo-nhai" / "2023-12-01" / "chieu.mp3").read_bytes()
    assert decode_errors(copy) == []
    assert abs(probe_duration(copy) - 3.0) < 0.1


def test_commune_page_shows_only_its_own_station(newsroom_audio: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    publish(newsroom_audio, site)
    page = soup(site / "xa" / "than-sa" / "index.html")
    shown = sections(page)
    assert list(shown) == ["Bản tin phát thanh – Đài Truyền thanh xã Thần Sa"]
    assert [b["titles"] for b in shown["Bản tin phát thanh – Đài Truyền thanh xã Thần Sa"]] == [
        ["Xóm Kim Sơn làm đường bê tông"]]
    sources = [a["src"] for a in page.select("audio")]
    assert sources == ["../../ban-tin/than-sa/2023-12-01-sang.mp3"]
    assert (site / "xa" / "than-sa" / sources[0]).resolve().is_file()
    assert sections(soup(site / "xa" / "la-hien" / "index.html")) == {
        "Bản tin phát thanh – Đài Truyền thanh xã La Hiên": [{"empty": "Chưa có bản tin."}]}
    assert soup(site / "xa" / "la-hien" / "index.html").select("audio") == []


def test_rerun_writes_nothing_and_a_new_day_replaces_the_old_copies(newsroom_audio: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    publish(newsroom_audio, site)
    old = site / "ban-tin" / "vo-nhai" / "2023-12-01-sang.mp3"
    before = old.stat().st_mtime_ns, old.stat().st_ino
    again, _ = publish(newsroom_audio, site)
    assert again.pages_written == 0 and again.pages_removed == 0
    assert (old.stat().st_mtime_ns, old.stat().st_ino) == before
    # The next night: the district's new bulletins take the place of the old copies on the site.
    bulletin(newsroom_audio, STATIONS[1], "2023-12-02", "sang", ["Tin ngày mới"], 1.0, 880)
    third, _ = publish(newsroom_audio, site)
    assert not old.exists() and not (site / "ban-tin" / "vo-nhai" / "2023-12-01-chieu.mp3").exists()
    assert sorted(p.name for p in (site / "ban-tin" / "vo-nhai").iterdir()) == ["2023-12-02-sang.mp3"]
    assert third.pages_removed == 2
    assert (site / "ban-tin" / "than-sa" / "2023-12-01-sang.mp3").is_file()  # other stations untouched
    # A bulletin built again under the same name (a rerun after a fix) is copied again.
    source = bulletin(newsroom_audio, STATIONS[1], "2023-12-02", "sang", ["Tin ngày mới, đã sửa"], 1.2, 880)
    publish(newsroom_audio, site)
    assert (site / "ban-tin" / "vo-nhai" / "2023-12-02-sang.mp3").read_bytes() == source.read_bytes()


def test_broken_or_missing_manifest_is_skipped_with_a_warning(newsroom_audio: Path, tmp_path: Path) -> None:
    district = newsroom_audio / "vo-nhai" / "2023-12-01"
    (district / "chieu.json").write_text('{"file": "chieu.mp3", "date": ', encoding="utf-8")  # cut short
    than_sa = newsroom_audio / "than-sa" / "2023-12-01"
    (than_sa / "sang.json").unlink()
    dinh_ca = newsroom_audio / "dinh-ca" / "2023-11-30" / "sang.json"
    manifest = json.loads(dinh_ca.read_text(encoding="utf-8"))
    dinh_ca.write_text(json.dumps(manifest | {"duration_seconds": "dài lắm"}), encoding="utf-8")
    site = tmp_path / "site"
    result, warnings = publish(newsroom_audio, site)
    assert len(warnings) == 3, warnings
    assert any("chieu" in w and "01/12/2023" in w and "Võ Nhai" in w for w in warnings)
    assert any("sang" in w and "Thần Sa" in w and "sang.json" in w for w in warnings)
    assert any("Đình Cả" in w and "sai kiểu" in w for w in warnings)
    shown = sections(soup(site / "ban-tin" / "index.html"))
    assert [b["heading"] for b in shown["Đài Truyền thanh huyện Võ Nhai"]] == ["Bản tin buổi sáng, 06:00"]
    # Thần Sa's only bulletin is unreadable, so it has none to show; the page still builds.
    assert shown["Đài Truyền thanh xã Thần Sa"] == [{"empty": "Chưa có bản tin."}]
    assert not (site / "ban-tin" / "vo-nhai" / "2023-12-01-chieu.mp3").exists()
    assert result.pages_written > 0
    # The run's summary names each one.
    line = publish_lines(PublishReport(stories=1, warnings=warnings)).plain
    assert line.count("Cảnh báo: ") == 3


def test_hostile_manifest_text_stays_text(newsroom_audio: Path, tmp_path: Path, vnu) -> None:  # type: ignore[no-untyped-def]
    bulletin(newsroom_audio, STATIONS[3], "2023-12-01", "sang",
             ['<script>alert(1)</script> Tin "La Hiên"', "<img src=x onerror=alert(2)>"])
    manifest_path = newsroom_audio / "la-hien" / "2023-12-01" / "sang.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["slot"]["name"] = "buổi sáng <b onmouseover=alert(3)>"
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    site = tmp_path / "site"
    publish(newsroom_audio, site)
    page = soup(site / "ban-tin" / "index.html")
    assert page.find("script") is None and page.find("img") is None and page.find("b") is None
    assert not any(attr.startswith("on") for tag in page.find_all(True) for attr in tag.attrs)
    # Titles are cleaned as the portal cleans every title: markup goes, the words stay; an empty one is left out.
    shown = sections(page)["Đài Truyền thanh xã La Hiên"][0]
    assert shown["titles"] == ['Tin "La Hiên"'] and shown["heading"] == "Bản tin buổi sáng, 06:00"
    pages = [site / "ban-tin" / "index.html", site / "xa" / "la-hien" / "index.html",
             site / "xa" / "than-sa" / "index.html"]
    assert vnu.errors(pages) == []


def test_duration_reads_in_vietnamese() -> None:
    assert duration_vi(245.4) == "4 phút 5 giây"
    assert duration_vi(59.6) == "1 phút 0 giây"
    assert duration_vi(44.0) == "44 giây"
    assert duration_vi(600) == "10 phút 0 giây"


def test_demo_night_shows_every_station_and_its_manifests(demo_night: dict) -> None:
    from flows.content import Newsroom

    audio, site = demo_night["outputs"]
    newsroom = Newsroom.load(demo_night["content"])
    page = soup(site / "ban-tin" / "index.html")
    shown = sections(page)
    district = next(s for s in newsroom.stations if s.is_district)
    communes = [s for c in newsroom.communes for s in newsroom.stations if s.commune == c.id]
    assert list(shown) == [district.name] + [s.name for s in communes]
    day = demo_night["day"]
    day = day if isinstance(day, str) else day.isoformat()
    for station in [district, *communes]:
        manifests = [json.loads(p.read_text(encoding="utf-8")) for p in (audio / station.id / day).glob("*.json")]
        manifests.sort(key=lambda m: m["slot"]["time"])
        assert manifests, station.id
        expected = [{"heading": f"Bản tin {m['slot']['name']}, {m['slot']['time']}",
                     "duration": duration_vi(m["duration_seconds"]),
                     "titles": [i["title"] for i in m["items"]],
                     "audio": f"../ban-tin/{station.id}/{day}-{m['slot']['id']}.mp3"} for m in manifests]
        got = [{k: b[k] for k in ("heading", "duration", "titles", "audio")} for b in shown[station.name]]
        assert got == expected, station.id
        for m in manifests:
            copy = site / "ban-tin" / station.id / f"{day}-{m['slot']['id']}.mp3"
            assert copy.read_bytes() == (audio / station.id / day / m["file"]).read_bytes()
    assert decode_errors(copy) == []
    commune = communes[0]
    on_commune_page = [a["src"] for a in soup(site / "xa" / commune.commune / "index.html").select("audio")]
    assert on_commune_page and all(src.startswith(f"../../ban-tin/{commune.id}/") for src in on_commune_page)
