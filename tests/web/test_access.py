"""Who reaches what, against the running server: traversal and encoding tricks, other stations, revoked keys,
expired sessions, disabled accounts, roles, CSRF on every form, and the login rate limit."""

from __future__ import annotations

import html
import http.client
import re
from contextlib import closing
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:
    import httpx

    from tests.web.conftest import Server

PROBLEM = "application/problem+json"


def _raw(server: Server, path: str, cookie: str = "") -> tuple[int, bytes, dict[str, str]]:
    """Send the request target byte for byte as written (no client-side normalising or re-encoding)."""
    host = urlsplit(server.url)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    conn.putrequest("GET", path, skip_accept_encoding=True)
    if cookie:
        conn.putheader("Cookie", cookie)
    conn.endheaders()
    r = conn.getresponse()
    body = r.read()
    conn.close()
    return r.status, body, {k.lower(): v for k, v in r.getheaders()}


def _cookie(client: httpx.Client) -> str:
    return "; ".join(f"{k}={v}" for k, v in client.cookies.items())


TRICKS = [
    "/dai/binh-long/../../../../etc/passwd",
    "/dai/binh-long/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/dai/binh-long/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/dai/binh-long/%2e%2e%2f%2e%2e%2fdata%2fweb-secret.key",
    "/dai/binh-long/{day}/..%2f..%2fla-hien%2f{tomorrow}%2fsang.mp3",
    "/dai/binh-long/{day}/..%252f..%252f..%252fetc%252fpasswd.mp3",
    "/dai/binh-long/{day}/%c0%ae%c0%ae%c0%af%c0%ae%c0%ae%c0%afetc%c0%afpasswd.mp3",
    "/dai/binh-long/{day}/..\\..\\..\\..\\etc\\passwd.mp3",
    "/dai/binh-long/{day}/..%5c..%5c..%5cla-hien%5c{tomorrow}%5csang.mp3",
    "/dai/binh-long/{day}/sang.mp3%00.txt",
    "/dai/binh-long/{day}/%uff0e%uff0e%u2215etc%u2215passwd.mp3",
    "/dai/binh-long/{day}/%EF%BC%8E%EF%BC%8E%EF%BC%8F%EF%BC%8E%EF%BC%8E%EF%BC%8Fetc%EF%BC%8Fpasswd.mp3",
    "/dai/%2e%2e/{day}/sang.mp3",
    "/dai/../la-hien/{tomorrow}/sang.mp3",
    "/dai/binh-long%2f..%2fla-hien/{tomorrow}/sang.mp3",
    "/dai/binh-long/..%2fla-hien/{tomorrow}/sang.mp3",
    "/dai/la-hien%00/{tomorrow}/sang.mp3",
    "/dai/binh-long/{day}/sang.mp3/..",
    "/dai/binh-long/{day}/%2fetc%2fpasswd.mp3",
    "/dai/binh-long//etc/passwd",
    "/dai/binh-long/{day}/SANG.MP3",
    "/dai/binh-long/{day}/....//....//etc/passwd.mp3",
    "/dai/binh-long/0000-00-00/sang.mp3",
    "/dai/binh-long/2026-02-30/sang.mp3",
    "/dai/binh-long/{day}%2f..%2f..%2fla-hien/sang.mp3",
    "/tinh/../../../../etc/passwd",
    "/tinh/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/tinh/..%2f..%2fapp.py",
    "/tinh/%2e%2e%2fapp.py",
    "/k/binh-long/{key}/{day}/..%2f..%2f..%2fla-hien%2f{tomorrow}%2fsang.mp3",
    "/k/binh-long/{key}/../../la-hien/{key}/{tomorrow}/sang.mp3",
    "/k/binh-long/{key}/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/k/la-hien/{key}/{tomorrow}/sang.mp3",
    "/k/binh-long/{key}/moi-nhat/..%2f..%2f..%2fetc%2fpasswd.mp3",
    "/api/v1/stations/..%2fla-hien/bulletins",
    "/api/v1/stations/binh-long/bulletins/{day}/..%2f..%2f..%2fla-hien%2f{tomorrow}%2fsang",
]


def test_traversal_and_encoding_tricks_never_reach_a_file_outside_or_another_station(server: Server) -> None:
    night = server.night
    key = server.key("binh-long")
    secret = (night.content.parent / "data" / "web-secret.key").read_bytes()
    foreign = {night.mp3("la-hien", night.tomorrow, s).read_bytes()[:4096] for s in ("sang", "chieu")}
    with closing(server.login("op-binh-long")) as op:
        cookie = _cookie(op)
        for trick in TRICKS:
            path = trick.format(day=night.today.isoformat(), tomorrow=night.tomorrow.isoformat(), key=key)
            status, body, headers = _raw(server, path, cookie)
            assert status in (400, 403, 404, 405), (path, status)
            assert b"root:" not in body and secret not in body, path
            assert not any(body.startswith(f[:1024]) for f in foreign), path
            assert not body.startswith(b"ID3"), path
            assert "location" not in headers or headers["location"].startswith("/"), path


def test_an_operator_never_reaches_another_station(server: Server) -> None:
    night = server.night
    t = night.tomorrow.isoformat()
    with closing(server.login("op-binh-long")) as op:
        assert op.get("/dai/binh-long").status_code == 200
        for path in ("/dai/la-hien", f"/dai/la-hien/{t}/sang", f"/dai/la-hien/{t}/sang.mp3",
                     f"/dai/la-hien/{t}/sang.mp3?tai=1", "/dai/vo-nhai", "/bao-cao/nhan-tin", "/quan-tri/tai-khoan"):
            r = op.get(path)
            assert r.status_code == 403, path
            assert "Không được phép" in r.text and b"ID3" not in r.content[:3]
        assert op.head(f"/dai/la-hien/{t}/sang.mp3").status_code == 403
        # /dai (all stations) takes an operator to their own station
        assert op.get("/dai").headers["location"] == "/dai/binh-long"
        api = op.get("/api/v1/stations/la-hien/bulletins")
        assert api.status_code == 403 and api.headers["content-type"] == PROBLEM
        assert [s["id"] for s in op.get("/api/v1/stations").json()] == ["binh-long"]
        assert op.get(f"/api/v1/stations/la-hien/bulletins/{t}/sang").status_code == 403
        assert op.get("/api/v1/reports/fetches").status_code == 403
    bl_key = server.key("binh-long")
    with closing(server.client()) as anon:
        for path in (f"/k/la-hien/{bl_key}/podcast.xml", f"/k/la-hien/{bl_key}/{t}/sang.mp3",
                     f"/k/la-hien/{bl_key}/moi-nhat/sang.mp3"):
            r = anon.get(path)
            assert r.status_code == 403 and r.headers["content-type"] == PROBLEM, path
        r = anon.get("/api/v1/stations/la-hien/bulletins", headers={"Authorization": f"Bearer {bl_key}"})
        assert r.status_code == 403 and "binh-long" in r.json()["detail"]


def test_without_login_pages_lead_to_the_login_and_the_api_says_401(server: Server) -> None:
    t = server.night.today.isoformat()
    with closing(server.client()) as anon:
        for path in ("/", "/dai", "/dai/binh-long", f"/dai/binh-long/{t}/sang", f"/dai/binh-long/{t}/sang.mp3",
                     "/bao-cao/nhan-tin", "/quan-tri/tai-khoan"):
            r = anon.get(path)
            assert r.status_code == 303 and r.headers["location"].startswith("/dang-nhap?tiep="), path
        r = anon.get("/api/v1/stations")
        assert r.status_code == 401 and r.headers["content-type"] == PROBLEM
        assert r.headers["www-authenticate"].startswith("Bearer")
        problem = r.json()
        assert set(problem) >= {"type", "title", "status", "detail", "instance"} and problem["status"] == 401
        assert anon.get("/k/binh-long/not-the-key/podcast.xml").status_code == 403
        assert anon.get("/api/v1/stations", headers={"Authorization": "Bearer not-a-key"}).status_code == 401


def test_a_revoked_key_stops_at_once_and_a_reissued_one_works(server: Server) -> None:
    station = "vo-nhai"
    old = server.key(station)
    t = server.night.tomorrow.isoformat()
    paths = ("/podcast.xml", f"/{t}/sang.mp3", "/moi-nhat/sang.mp3")
    with closing(server.client()) as anon:
        for p in paths:  # HEAD: these checks must not count as the station fetching its bulletin
            assert anon.head(f"/k/{station}/{old}{p}").status_code == 200, p
        with closing(server.login("bien-tap")) as editor:
            token = server.form_token(editor, f"/dai/{station}")
            r = editor.post(f"/dai/{station}/khoa/thu-hoi", data={"csrf_token": token})
            assert r.status_code == 303
            for p in paths:
                r = anon.get(f"/k/{station}/{old}{p}")
                assert r.status_code == 403 and "thu hồi" in r.json()["detail"], p
            assert anon.get("/api/v1/stations", headers={"Authorization": f"Bearer {old}"}).status_code == 401
            page = editor.get(f"/dai/{station}").text
            assert old not in page and "đã bị thu hồi" in page
            # A revoked key is not quietly replaced when someone opens the page.
            assert server.keys().live(station) is None
            token = server.form_token(editor, f"/dai/{station}")
            assert editor.post(f"/dai/{station}/khoa", data={"csrf_token": token}).status_code == 303
        new = server.keys().live(station)
        assert new is not None and new.secret != old
        for p in paths:
            assert anon.head(f"/k/{station}/{new.secret}{p}").status_code == 200, p
            assert anon.head(f"/k/{station}/{old}{p}").status_code == 403, p


def test_an_expired_session_is_refused_and_sends_back_to_the_login(server: Server) -> None:
    with closing(server.login("op-het-han")) as op:
        assert op.get("/dai/binh-long").status_code == 200
        assert server.accounts().expire_sessions("op-het-han") == 1
        r = op.get("/dai/binh-long")
        assert r.status_code == 303 and r.headers["location"] == "/dang-nhap?tiep=%2Fdai%2Fbinh-long"
        login_page = op.get(r.headers["location"])
        assert login_page.status_code == 200 and "Đăng nhập" in login_page.text
        api = op.get("/api/v1/stations")
        assert api.status_code == 401 and "hết hạn" in api.json()["detail"]


def test_a_login_lasts_the_configured_hours(server: Server) -> None:
    with closing(server.client()) as c:
        token = server.form_token(c, "/dang-nhap")
        r = c.post("/dang-nhap", data={"ten": "op-het-han", "mat_khau": server.passwords["op-het-han"],
                                       "csrf_token": token})
        cookie = r.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Max-Age=43200" in cookie


def test_disabled_accounts_cannot_log_in_and_disabling_ends_sessions(server: Server) -> None:
    with closing(server.client()) as c:
        token = server.form_token(c, "/dang-nhap")
        r = c.post("/dang-nhap", data={"ten": "op-da-khoa", "mat_khau": server.passwords["op-da-khoa"],
                                       "csrf_token": token})
        assert r.status_code == 401 and "Sai tên đăng nhập hoặc mật khẩu" in r.text
    with closing(server.login("op-bi-khoa-tam")) as victim, closing(server.login("quan-tri")) as admin:
        assert victim.get("/dai/vo-nhai").status_code == 200
        token = server.form_token(admin, "/quan-tri/tai-khoan")
        r = admin.post("/quan-tri/tai-khoan/op-bi-khoa-tam/khoa", data={"csrf_token": token})
        assert r.status_code == 200 and "Đã khóa tài khoản" in r.text
        assert victim.get("/dai/vo-nhai").status_code == 303


def test_roles(server: Server) -> None:
    with closing(server.login("noi-vu")) as viewer:
        assert viewer.get("/bao-cao/nhan-tin").status_code == 200
        assert viewer.get("/dai/binh-long").status_code == 200
        page = viewer.get("/dai/vo-nhai").text
        assert "/k/vo-nhai/" not in page and "Cấp khóa mới" not in page  # keys are the station's and the desk's
        token = server.form_token(viewer, "/dai/vo-nhai")
        r = viewer.post("/dai/vo-nhai/khoa", data={"csrf_token": token})
        assert r.status_code == 403
        assert viewer.get("/quan-tri/tai-khoan").status_code == 403
    with closing(server.login("op-binh-long")) as op:
        token = server.form_token(op, "/dai/binh-long")
        assert op.post("/dai/binh-long/khoa", data={"csrf_token": token}).status_code == 403
        assert op.post("/dai/binh-long/khoa/thu-hoi", data={"csrf_token": token}).status_code == 403
        assert "/k/binh-long/" in op.get("/dai/binh-long").text  # the operator sees the station's addresses
    with closing(server.login("bien-tap")) as editor:
        assert editor.get("/quan-tri/tai-khoan").status_code == 403
        assert editor.get("/dai/la-hien").status_code == 200 and editor.get("/dai").status_code == 200
        assert editor.get("/").headers["location"] == "/bien-tap"  # an editor's day starts at the desk
    with closing(server.login("noi-vu")) as viewer:
        assert viewer.get("/").headers["location"] == "/dai"


def test_an_admin_adds_an_account_in_the_app_and_it_logs_in(server: Server) -> None:
    with closing(server.login("quan-tri")) as admin:
        token = server.form_token(admin, "/quan-tri/tai-khoan")
        r = admin.post("/quan-tri/tai-khoan", data={"csrf_token": token, "ten": "op-dan-tien", "ho_ten": "Lý Thị Hoa",
                                                    "vai_tro": "operator", "dai": "dan-tien", "mat_khau": ""})
        assert r.status_code == 200 and "Đã tạo tài khoản 'op-dan-tien'" in html.unescape(r.text)
        password = re.search(r'id="mat-khau-moi">([^<]+)<', r.text).group(1)  # type: ignore[union-attr]
        bad = admin.post("/quan-tri/tai-khoan", data={"csrf_token": token, "ten": "op-dan-tien",
                                                      "vai_tro": "operator", "dai": "dan-tien"})
        assert bad.status_code == 409 and "đã có" in bad.text
        no_station = admin.post("/quan-tri/tai-khoan", data={"csrf_token": token, "ten": "op-khong-dai",
                                                             "vai_tro": "operator", "dai": ""})
        assert no_station.status_code == 400 and "cần có mã đài" in no_station.text
    with closing(server.login("op-dan-tien", password)) as newcomer:
        assert newcomer.get("/", follow_redirects=True).url.path == "/dai/dan-tien"


def _post_routes(server: Server) -> list[str]:
    """Every POST route of the real app (a form added later is checked here without touching this test)."""
    from fastapi.routing import APIRoute

    from flows.web.app import create_app

    def walk(routes):  # type: ignore[no-untyped-def]
        for route in routes:
            inner = getattr(route, "original_router", None)  # FastAPI >= 0.150 keeps included routers whole
            yield from walk(inner.routes) if inner is not None else [route]

    paths = []
    for route in walk(create_app(str(server.night.content)).routes):
        # A unit's submissions are authorised by the key in their address or header, not by a browser's session,
        # so another site cannot forge them without the key (tests/web/test_submissions.py checks the key).
        if isinstance(route, APIRoute) and "POST" in route.methods and route.path not in KEY_AUTHORISED:
            paths.append(route.path.replace("{station_id}", "vo-nhai").replace("{username}", "op-thu-sai"))
    return paths


KEY_AUTHORISED = {"/gui-tin/{secret}", "/api/v1/submissions"}


def test_every_form_refuses_a_post_without_its_token(server: Server) -> None:
    routes = _post_routes(server)
    assert {"/dang-nhap", "/dang-xuat", "/dai/vo-nhai/khoa", "/quan-tri/tai-khoan"} <= set(routes)
    before = server.keys().live("vo-nhai")
    for who, page in (("bien-tap", "/dai"), ("quan-tri", "/quan-tri/tai-khoan")):
        with closing(server.login(who)) as c:
            good = server.form_token(c, page)
            for path in routes:
                for data in ({}, {"csrf_token": "forged"}, {"csrf_token": good + "x"}):
                    r = c.post(path, data={**data, "ten": "x", "vai_tro": "viewer"})
                    assert r.status_code == 403 and "Biểu mẫu đã cũ" in r.text, (who, path, data)
            # A token is bound to its browser and session: another browser's token fails too.
            with closing(server.login("bien-tap")) as other:
                theirs = server.form_token(other, "/dai")
            r = c.post("/dai/vo-nhai/khoa", data={"csrf_token": theirs})
            assert r.status_code == 403 and "Biểu mẫu đã cũ" in r.text
            assert c.get(page).status_code == 200  # and the refused logout did not log anyone out
    assert server.keys().live("vo-nhai") == before  # nothing changed


def test_every_form_on_the_pages_carries_a_token(server: Server) -> None:
    pages = {"quan-tri": ["/quan-tri/tai-khoan"], "bien-tap": ["/dai", "/dai/vo-nhai", "/bao-cao/nhan-tin"],
             "op-binh-long": ["/dai/binh-long", f"/dai/binh-long/{server.night.today.isoformat()}/sang"]}
    seen = 0
    for who, paths in pages.items():
        with closing(server.login(who)) as c:
            for path in paths:
                text = c.get(path).text
                for form in re.findall(r"<form[^>]*>.*?</form>", text, flags=re.S):
                    if 'method="post"' in form:
                        seen += 1
                        assert 'name="csrf_token"' in form, (path, form[:200])
    assert seen >= 8


def test_login_is_rate_limited(server: Server) -> None:
    with closing(server.client()) as c:
        token = server.form_token(c, "/dang-nhap")
        for _ in range(5):
            r = c.post("/dang-nhap", data={"ten": "op-thu-sai", "mat_khau": "sai-mat-khau-roi", "csrf_token": token})
            assert r.status_code == 401
        r = c.post("/dang-nhap", data={"ten": "op-thu-sai", "mat_khau": server.passwords["op-thu-sai"],
                                       "csrf_token": token})
        assert r.status_code == 429 and "quá nhiều lần" in r.text
        assert 0 < int(r.headers["retry-after"]) <= 15 * 60
        # Another name from the same place still logs in (below the per-address limit).
    with closing(server.login("op-la-hien")) as other:
        assert other.get("/dai/la-hien").status_code == 200


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"])
def test_login_never_redirects_off_site(server: Server, target: str) -> None:
    with closing(server.client()) as c:
        token = server.form_token(c, "/dang-nhap")
        r = c.post("/dang-nhap", data={"ten": "noi-vu", "mat_khau": server.passwords["noi-vu"], "csrf_token": token,
                                       "tiep": target})
        assert r.status_code == 303 and r.headers["location"] == "/"


def test_pages_forbid_scripts_and_framing(server: Server) -> None:
    with closing(server.login("bien-tap")) as c:
        r = c.get("/dai")
        assert "script-src" not in r.headers["content-security-policy"]  # default-src 'none' covers scripts
        assert "default-src 'none'" in r.headers["content-security-policy"]
        assert r.headers["x-frame-options"] == "DENY" and "<script" not in r.text
