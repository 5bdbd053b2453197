"""The fetch log answers the newsroom's question: did each station get its bulletins before the slot time?

Tomorrow's bulletins are fetched now, so before their slot time whatever the clock says; yesterday's are
fetched late whatever the clock says.
"""

from __future__ import annotations

from contextlib import closing
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from flows.store.fetches import Fetch, covered_bytes, delivered, delivery_of

if TYPE_CHECKING:
    from tests.web.conftest import Server


def _fetch(start: int, sent: int, minute: int, by_station: bool = True, size: int = 1000) -> Fetch:
    return Fetch(station_id="s", kind="download", who="x", by_station=by_station, at=datetime(2026, 1, 1, 5, minute),
                 status=206, bytes_sent=sent, expected_bytes=sent, file_bytes=size, complete=True,
                 day=datetime(2026, 1, 1).date(), slot_id="sang", range_start=start)


def test_delivery_puts_pieces_together_in_time_order() -> None:
    air = datetime(2026, 1, 1, 5, 30)
    pieces = [_fetch(0, 400, 1), _fetch(300, 300, 2), _fetch(900, 100, 40), _fetch(600, 300, 3)]
    assert delivered(pieces) == [(0, 1000)] and covered_bytes(pieces) == 1000
    d = delivery_of("s", pieces[0].day, "sang", air, 1000, pieces)  # type: ignore[arg-type]
    assert d.state == "late" and d.complete_at == datetime(2026, 1, 1, 5, 40)
    on_time = delivery_of("s", pieces[0].day, "sang", air, 1000, [*pieces, _fetch(0, 1000, 20)])  # type: ignore[arg-type]
    assert on_time.state == "on_time" and on_time.complete_at == datetime(2026, 1, 1, 5, 20)
    editor = delivery_of("s", pieces[0].day, "sang", air, 1000, [_fetch(0, 1000, 1, by_station=False)])  # type: ignore[arg-type]
    assert editor.state == "none"
    older_file = delivery_of("s", pieces[0].day, "sang", air, 1000, [_fetch(0, 999, 1, size=999)])  # type: ignore[arg-type]
    assert older_file.state == "none"
    assert delivery_of("s", pieces[0].day, "sang", air, 1000, pieces[:2]).state == "partial"  # type: ignore[arg-type]


def test_report_of_tomorrow_names_the_stations_that_have_not_fetched(server: Server) -> None:
    night = server.night
    t, y = night.tomorrow.isoformat(), night.yesterday.isoformat()
    size = night.mp3("binh-long", night.tomorrow, "chieu").stat().st_size
    started = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
    with closing(server.login("op-binh-long")) as op:
        # Bình Long: the morning whole, the afternoon in two pieces as a resuming player would, yesterday's late.
        assert op.get(f"/dai/binh-long/{t}/sang.mp3").status_code == 200
        assert op.get(f"/dai/binh-long/{t}/chieu.mp3", headers={"Range": f"bytes=0-{size // 2}"}).status_code == 206
        assert op.get(f"/dai/binh-long/{t}/chieu.mp3", headers={"Range": f"bytes={size // 2 + 1}-"}).status_code == 206
        assert op.get(f"/dai/binh-long/{y}/chieu.mp3").status_code == 200
    with closing(server.client()) as c:  # La Hiên's controller takes only the first kilobyte of the morning
        r = c.get(f"/k/la-hien/{server.key('la-hien')}/{t}/sang.mp3", headers={"Range": "bytes=0-999"})
        assert r.status_code == 206
    with closing(server.login("bien-tap")) as editor:  # an editor listening does not count for the station
        assert editor.get(f"/dai/la-hien/{t}/chieu.mp3").status_code == 200
        server.wait_for_fetches(lambda f: f.at >= started and f.who == "bien-tap" and f.slot_id == "chieu")
        server.wait_for_fetches(lambda f: f.at >= started and f.station_id == "binh-long" and f.day == night.yesterday)
        report = editor.get("/api/v1/reports/fetches", params={"day": t}).json()
    assert set(report["not_fetched"]) == {"vo-nhai", "la-hien"}
    stations = {s["station_id"]: s for s in report["stations"]}
    assert stations["binh-long"]["all_on_time"]
    assert {b["slot_id"]: b["state"] for b in stations["binh-long"]["bulletins"]} == {"sang": "on_time", "chieu": "on_time"}
    la_hien = {b["slot_id"]: b for b in stations["la-hien"]["bulletins"]}
    assert la_hien["sang"]["state"] == "partial" and la_hien["sang"]["covered_bytes"] == 1000
    assert la_hien["chieu"]["state"] == "none" and la_hien["chieu"]["fetchers"] == []
    assert stations["vo-nhai"]["bulletins"][0]["state"] == "none"
    assert stations["dan-tien"]["bulletins"] == []  # no bulletin that day: not the station's fault
    with closing(server.login("bien-tap")) as editor:
        yesterday = editor.get("/api/v1/reports/fetches", params={"day": y}).json()
    chieu = next(b for s in yesterday["stations"] if s["station_id"] == "binh-long" for b in s["bulletins"]
                 if b["slot_id"] == "chieu")
    assert chieu["state"] == "late" and "op-binh-long" in chieu["fetchers"]
    air = datetime.fromisoformat(chieu["air_time"]).astimezone(timezone.utc).replace(tzinfo=None)
    assert datetime.fromisoformat(chieu["complete_at"]) > air  # late: whole only after the slot's time

    # The same, as the page the Home Affairs office reads.
    with closing(server.login("noi-vu")) as viewer:
        page = viewer.get("/bao-cao/nhan-tin", params={"ngay": night.tomorrow.isoformat()})
    assert page.status_code == 200
    missing = page.text.split('id="chua-nhan"', 1)[1].split("</ul>", 1)[0]
    assert "Đài Truyền thanh huyện Võ Nhai" in missing and "Đài Truyền thanh xã La Hiên" in missing
    assert "Bình Long" not in missing
    assert "đã nhận đủ trước giờ phát" in page.text and "mới nhận một phần" in page.text
