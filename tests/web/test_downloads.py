"""Downloads against the running server: every header case a resuming client meets, complete files only,
constant memory, and a fetch-log row for each download, whole or broken off."""

from __future__ import annotations

import hashlib
import http.client
import socket
from contextlib import closing
from email.utils import formatdate, parsedate_to_datetime
from urllib.parse import unquote, urlsplit

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.web.conftest import Server

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def op(server: Server):  # type: ignore[no-untyped-def]
    with closing(server.login("op-binh-long")) as client:
        yield client


def _path(server: Server, slot: str = "sang", day=None) -> str:  # type: ignore[no-untyped-def]
    return f"/dai/binh-long/{(day or server.night.today).isoformat()}/{slot}.mp3"


def test_whole_download_is_the_file_with_the_right_headers(server: Server, op) -> None:  # type: ignore[no-untyped-def]
    mp3 = server.night.mp3("binh-long", server.night.today, "sang")
    r = op.get(_path(server))
    assert r.status_code == 200
    assert r.content == mp3.read_bytes()
    assert r.headers["content-type"] == "audio/mpeg"
    assert int(r.headers["content-length"]) == mp3.stat().st_size
    assert r.headers["accept-ranges"] == "bytes"
    assert r.headers["etag"].startswith('"') and r.headers["etag"].endswith('"')
    assert parsedate_to_datetime(r.headers["last-modified"]).timestamp() == int(mp3.stat().st_mtime)
    assert r.headers["x-content-type-options"] == "nosniff"
    manifest = server.night.manifest("binh-long", server.night.today, "sang")
    assert hashlib.sha256(r.content).hexdigest() == manifest["sha256"]


def test_head_gives_the_same_headers_without_a_body(server: Server, op) -> None:  # type: ignore[no-untyped-def]
    get, head = op.get(_path(server)), op.head(_path(server))
    assert head.status_code == 200 and head.content == b""
    for name in ("content-length", "content-type", "etag", "last-modified", "accept-ranges", "content-disposition"):
        assert head.headers[name] == get.headers[name], name
    assert op.head(_path(server), headers={"Range": "bytes=0-9"}).status_code == 200  # Range is for GET only


def test_download_button_names_the_file_in_vietnamese_with_an_ascii_fallback(server: Server, op) -> None:  # type: ignore[no-untyped-def]
    r = op.get(_path(server) + "?tai=1")
    header = r.headers["content-disposition"]
    assert header.startswith("attachment;")
    star = header.split("filename*=UTF-8''", 1)[1]
    assert unquote(star) == (f"Bản tin buổi sáng {server.night.today:%d-%m-%Y} – Đài Truyền thanh xã Bình Long.mp3")
    fallback = header.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback == f"Ban-tin-buoi-sang-{server.night.today:%d-%m-%Y}-Dai-Truyen-thanh-xa-Binh-Long.mp3"
    assert op.get(_path(server)).headers["content-disposition"].startswith("inline;")  # the player's address
    emergency = op.get(_path(server, server.night.emergency_slot) + "?tai=1").headers["content-disposition"]
    assert unquote(emergency.split("''", 1)[1]).startswith("Bản tin khẩn cấp 07h15")


@pytest.mark.parametrize(("header", "first", "last"), [
    ("bytes=0-0", 0, 0), ("bytes=100-199", 100, 199), ("bytes=-500", None, None), ("bytes=1000-", 1000, None),
])
def test_range_requests_get_206_with_exactly_those_bytes(server: Server, op, header: str, first, last) -> None:  # type: ignore[no-untyped-def]
    data = server.night.mp3("binh-long", server.night.today, "sang").read_bytes()
    size = len(data)
    if first is None:
        first, last = size - 500, size - 1
    last = size - 1 if last is None else last
    r = op.get(_path(server), headers={"Range": header})
    assert r.status_code == 206
    assert r.headers["content-range"] == f"bytes {first}-{last}/{size}"
    assert int(r.headers["content-length"]) == last - first + 1
    assert r.content == data[first:last + 1]
    assert r.headers["content-type"] == "audio/mpeg"


def test_a_range_past_the_end_is_416_with_content_range(server: Server, op) -> None:  # type: ignore[no-untyped-def]
    size = server.night.mp3("binh-long", server.night.today, "sang").stat().st_size
    r = op.get(_path(server), headers={"Range": f"bytes={size}-", "Accept": "*/*"})
    assert r.status_code == 416
    assert r.headers["content-range"] == f"bytes */{size}"
    api = op.get(_path(server), headers={"Range": f"bytes={size + 10}-{size + 20}", "Accept": "application/json"})
    assert api.status_code == 416 and api.headers["content-type"] == PROBLEM
    assert api.json()["status"] == 416 and "ngoài tệp" in api.json()["detail"]


def test_malformed_and_multiple_ranges_get_the_whole_file(server: Server, op) -> None:  # type: ignore[no-untyped-def]
    size = server.night.mp3("binh-long", server.night.today, "sang").stat().st_size
    for header in ("bytes=50-10", "pages=1-2", "bytes=0-10,2000-3000"):
        r = op.get(_path(server), headers={"Range": header})
        assert r.status_code == 200 and len(r.content) == size, header


def test_conditional_get_304_and_if_range(server: Server, op) -> None:  # type: ignore[no-untyped-def]
    first = op.get(_path(server))
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    same = op.get(_path(server), headers={"If-None-Match": etag})
    assert same.status_code == 304 and same.content == b"" and same.headers["etag"] == etag
    assert op.get(_path(server), headers={"If-Modified-Since": modified}).status_code == 304
    old = formatdate(parsedate_to_datetime(modified).timestamp() - 3600, usegmt=True)
    assert op.get(_path(server), headers={"If-Modified-Since": old}).status_code == 200
    assert op.get(_path(server), headers={"If-None-Match": '"something-else"'}).status_code == 200
    resumed = op.get(_path(server), headers={"Range": "bytes=10-19", "If-Range": etag})
    assert resumed.status_code == 206 and resumed.content == first.content[10:20]
    changed = op.get(_path(server), headers={"Range": "bytes=10-19", "If-Range": '"an-older-file"'})
    assert changed.status_code == 200 and changed.content == first.content
    by_date = op.get(_path(server), headers={"Range": "bytes=10-19", "If-Range": modified})
    assert by_date.status_code == 206
    refused = op.get(_path(server), headers={"If-Match": '"an-older-file"', "Accept": "application/json"})
    assert refused.status_code == 412 and refused.headers["content-type"] == PROBLEM


def test_a_replaced_bulletin_gets_a_new_etag(server: Server, op, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    import shutil

    mp3 = server.night.mp3("binh-long", server.night.yesterday, "chieu")
    before = op.get(_path(server, "chieu", server.night.yesterday)).headers["etag"]
    copy = tmp_path / "copy.mp3"
    shutil.copy2(mp3, copy)
    os.replace(copy, mp3.with_name(".chieu.mp3.new"))
    os.replace(mp3.with_name(".chieu.mp3.new"), mp3)  # the writers' way: a new file renamed over the name
    after = op.get(_path(server, "chieu", server.night.yesterday), headers={"If-None-Match": before})
    assert after.status_code == 200 and after.headers["etag"] != before
    assert after.content == mp3.read_bytes()


def test_temp_files_links_and_unknown_names_are_never_served(server: Server, op) -> None:  # type: ignore[no-untyped-def]
    folder = server.night.mp3("binh-long", server.night.today, "sang").parent
    temp = next(p.name for p in folder.iterdir() if p.name.startswith("."))
    day = server.night.today.isoformat()
    for path in (f"/dai/binh-long/{day}/{temp}", f"/dai/binh-long/{day}/{temp.removesuffix('.mp3')}.mp3",
                 f"/dai/binh-long/{day}/.sang.mp3", f"/dai/binh-long/{day}/lien-ket.mp3",
                 f"/dai/binh-long/{day}/sang.json", f"/dai/binh-long/{day}/sang.txt", f"/dai/binh-long/{day}/khong-co.mp3",
                 f"/dai/binh-long/{day}/sao-chep", f"/dai/binh-long/{day}/sao-chep.mp3"):
        r = op.get(path)
        assert r.status_code in (400, 404), path
        assert b"root:" not in r.content and b"half a bulletin" not in r.content, path
    page = op.get("/dai/binh-long").text
    assert temp not in page and "lien-ket.mp3" not in page


def test_an_old_bulletin_without_its_mp3_shows_its_record_but_no_file(server: Server, op) -> None:  # type: ignore[no-untyped-def]
    old = server.night.old_day
    page = op.get(f"/dai/binh-long/{old.isoformat()}/sang")
    assert page.status_code == 200
    assert "đã xóa theo thời hạn lưu trữ" in page.text and "Xã Bình Long ra mắt mô hình camera an ninh" in page.text
    gone = op.get(f"/dai/binh-long/{old.isoformat()}/sang.mp3", headers={"Accept": "application/json"})
    assert gone.status_code == 404 and "thời hạn lưu trữ" in gone.json()["detail"]


def _rss_kib(pid: int) -> tuple[int, int]:
    fields = dict(line.split(":", 1) for line in open(f"/proc/{pid}/status", encoding="ascii").read().splitlines())
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def test_a_400_mb_file_streams_in_constant_memory(server: Server, op) -> None:  # type: ignore[no-untyped-def]
    path = f"/dai/la-hien/{server.night.yesterday.isoformat()}/lon.mp3"
    with closing(server.login("bien-tap")) as editor:
        editor.get(path, headers={"Range": "bytes=0-1048575"})  # warm up: first-use allocations
        rss_before, _ = _rss_kib(server.process.pid)
        digest, total, peak = hashlib.sha256(), 0, 0
        with editor.stream("GET", path) as r:
            assert r.status_code == 200 and int(r.headers["content-length"]) == 400 * 1024 * 1024
            for n, chunk in enumerate(r.iter_bytes(1 << 20)):
                digest.update(chunk)
                total += len(chunk)
                if n % 40 == 0:
                    peak = max(peak, _rss_kib(server.process.pid)[0])
    assert total == 400 * 1024 * 1024
    assert digest.hexdigest() == hashlib.sha256(b"\0" * (400 * 1024 * 1024)).hexdigest()
    # Memory held while sending 400 MB stays within a few MB of what the server held before (chunks, buffers).
    assert peak - rss_before < 32 * 1024, (rss_before, peak)


def _raw_get(server: Server, path: str, cookie: str, read: int) -> int:
    """Ask for a file over a raw socket, read `read` bytes of body, then hang up (a link that drops)."""
    host = urlsplit(server.url)
    sock = socket.create_connection((host.hostname, host.port))
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host.netloc}\r\nCookie: {cookie}\r\n\r\n".encode())
    got = b""
    while b"\r\n\r\n" not in got:
        got += sock.recv(4096)
    body = len(got.split(b"\r\n\r\n", 1)[1])
    while body < read:
        body += len(sock.recv(min(65536, read - body)))
    sock.close()
    return body


def test_every_download_is_logged_whole_or_partial(server: Server, op) -> None:  # type: ignore[no-untyped-def]
    day = server.night.yesterday
    size = server.night.mp3("binh-long", day, "sang").stat().st_size
    path = f"/dai/binh-long/{day.isoformat()}/sang.mp3"
    op.get(path)
    op.get(path, headers={"Range": "bytes=0-999"})
    big = f"/dai/la-hien/{server.night.yesterday.isoformat()}/lon.mp3"
    with closing(server.login("op-la-hien")) as la_hien:
        la_cookie = "; ".join(f"{k}={v}" for k, v in la_hien.cookies.items())
        _raw_get(server, big, la_cookie, 3 * 1024 * 1024)

    rows = server.wait_for_fetches(lambda f: f.day == day and f.slot_id == "sang" and f.station_id == "binh-long"
                                   and f.who == "op-binh-long", count=2)
    whole = [f for f in rows if f.status == 200]
    part = [f for f in rows if f.status == 206]
    assert whole and whole[0].complete and whole[0].bytes_sent == size == whole[0].file_bytes
    assert whole[0].by_station and whole[0].kind == "download" and whole[0].account_id is not None
    assert part and part[0].complete and (part[0].range_start, part[0].bytes_sent, part[0].expected_bytes) == (0, 1000, 1000)
    broken = server.wait_for_fetches(lambda f: f.slot_id == "lon" and f.who == "op-la-hien")
    assert broken, "a broken-off download must be logged"
    assert not broken[0].complete and 3 * 1024 * 1024 <= broken[0].bytes_sent < 400 * 1024 * 1024
    assert broken[0].expected_bytes == 400 * 1024 * 1024


def test_a_request_line_with_traversal_never_leaves_audio_out(server: Server, op) -> None:  # type: ignore[no-untyped-def]
    """http.client sends the path exactly as written (no client-side normalising)."""
    cookie = "; ".join(f"{k}={v}" for k, v in op.cookies.items())
    host = urlsplit(server.url)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    conn.request("GET", "/dai/binh-long/../../../../etc/passwd", headers={"Cookie": cookie})
    r = conn.getresponse()
    assert r.status in (400, 404) and b"root:" not in r.read()
