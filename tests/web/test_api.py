"""The JSON API against the running server: OpenAPI description, bulletins with their manifests, problem details."""

from __future__ import annotations

import json
from contextlib import closing
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.web.conftest import Server

PROBLEM = "application/problem+json"


def test_openapi_describes_the_api_and_only_the_api(server: Server) -> None:
    with closing(server.client()) as c:
        doc = c.get("/api/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    assert set(doc["paths"]) == {"/api/v1/stations", "/api/v1/stations/{station_id}/bulletins",
                                 "/api/v1/stations/{station_id}/bulletins/{day}/{slot_id}", "/api/v1/reports/fetches",
                                 "/api/v1/submissions"}
    sent = doc["paths"]["/api/v1/submissions"]["post"]
    assert {"application/json", "multipart/form-data"} <= set(sent["requestBody"]["content"])
    assert sent["responses"]["422"]["content"][PROBLEM]["schema"]["$ref"] == "#/components/schemas/Problem"
    listing = doc["paths"]["/api/v1/stations/{station_id}/bulletins"]["get"]
    assert listing["responses"]["404"]["content"][PROBLEM]["schema"]["$ref"] == "#/components/schemas/Problem"
    assert {"BulletinOut", "BulletinList", "Problem"} <= set(doc["components"]["schemas"])
    assert "HTTPBearer" in doc["components"]["securitySchemes"]


def test_a_station_key_lists_its_bulletins_with_their_manifests(server: Server) -> None:
    night = server.night
    key = server.key("binh-long")
    with closing(server.client(headers={"Authorization": f"Bearer {key}"})) as c:
        assert [s["id"] for s in c.get("/api/v1/stations").json()] == ["binh-long"]
        listed = c.get("/api/v1/stations/binh-long/bulletins").json()
        bulletins = listed["bulletins"]
        assert listed["station"]["name"] == "Đài Truyền thanh xã Bình Long"
        keys = [(b["day"], b["slot_id"]) for b in bulletins]
        assert keys[0] == (night.tomorrow.isoformat(), "chieu") and keys[-1] == (night.old_day.isoformat(), "sang")
        for b in bulletins:
            on_disk = json.loads(night.mp3("binh-long", __import__("datetime").date.fromisoformat(b["day"]), b["slot_id"])
                                 .with_suffix(".json").read_text(encoding="utf-8"))
            assert b["manifest"] == on_disk
            assert b["emergency"] == b["slot_id"].startswith("khan-cap-")
        playable = [b for b in bulletins if b["available"]]
        gone = [b for b in bulletins if not b["available"]]
        assert gone and all(b["audio_url"] is None for b in gone)
        assert all(b["audio_url"].startswith(f"{server.url}/k/binh-long/{key}/") for b in playable)
        first = playable[0]
        audio = c.get(first["audio_url"])
        assert audio.status_code == 200 and len(audio.content) == first["bytes"] == first["manifest"]["bytes"]
        only_today = c.get("/api/v1/stations/binh-long/bulletins",
                           params={"since": night.today.isoformat(), "until": night.today.isoformat()}).json()
        assert {b["slot_id"] for b in only_today["bulletins"]} == {"sang", "chieu", night.emergency_slot, "lien-ket"}
        lien_ket = next(b for b in only_today["bulletins"] if b["slot_id"] == "lien-ket")
        assert not lien_ket["available"] and lien_ket["audio_url"] is None  # a link is not a bulletin file
        one = c.get(f"/api/v1/stations/binh-long/bulletins/{night.today.isoformat()}/sang").json()
        assert one["transcript"] == night.mp3("binh-long", night.today, "sang").with_suffix(".txt").read_text("utf-8")
        assert one["air_time"].startswith(f"{night.today.isoformat()}T06:00:00+07:00")


def test_editors_see_every_station(server: Server) -> None:
    with closing(server.login("bien-tap")) as c:
        stations = c.get("/api/v1/stations").json()
        assert len(stations) == 16 and stations[0]["id"] == "vo-nhai"
        la_hien = c.get("/api/v1/stations/la-hien/bulletins").json()["bulletins"]
        assert la_hien and la_hien[0]["audio_url"].startswith(f"{server.url}/dai/la-hien/")


def test_errors_are_problem_details_in_vietnamese(server: Server) -> None:
    key = server.key("binh-long")
    with closing(server.client(headers={"Authorization": f"Bearer {key}"})) as c:
        cases = {
            "/api/v1/stations/khong-co/bulletins": (404, "Không có đài"),
            "/api/v1/stations/binh-long/bulletins/2026-13-01/sang": (400, "không có trên lịch"),
            "/api/v1/stations/binh-long/bulletins/25-11-2026/sang": (400, "YYYY-MM-DD"),
            "/api/v1/stations/binh-long/bulletins/2020-01-01/sang": (404, "không có bản tin"),
            "/api/v1/stations/binh-long/bulletins?since=hom-qua": (422, "since"),
            "/api/v1/khong-co": (404, "Không có trang"),
        }
        for path, (status, words) in cases.items():
            r = c.get(path)
            assert r.status_code == status and r.headers["content-type"] == PROBLEM, path
            problem = r.json()
            assert problem["status"] == status and problem["instance"] == path.split("?")[0], path
            assert words in problem["detail"], (path, problem)
            assert problem["type"].startswith("/api/problems/") and problem["title"]
            assert c.get(problem["type"]).status_code == 200  # the type URI says what it means
        wrong_method = c.post("/api/v1/stations")
        assert wrong_method.status_code == 405 and wrong_method.headers["content-type"] == PROBLEM


def test_a_browser_gets_the_same_errors_as_a_vietnamese_page(server: Server) -> None:
    with closing(server.login("bien-tap")) as c:
        r = c.get("/dai/khong-co", headers={"Accept": "text/html"})
        assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
        assert "Không tìm thấy" in r.text and "Không có đài" in r.text
        bad_day = c.get("/dai/binh-long/2026-02-30/sang", headers={"Accept": "text/html"})
        assert bad_day.status_code == 400 and "không có trên lịch" in bad_day.text
