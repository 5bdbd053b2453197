"""Fetching over real HTTP (a local server started by the test) and from files, with every failure."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from flows.ingest.errors import GatherError, TransientGatherError
from flows.ingest.fetch import fetch

FEED = (Path(__file__).resolve().parents[2] / "content" / "samples" / "feeds" / "phong-vhtt.xml").read_bytes()


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/feed.xml":
            self._send(200, FEED, "application/rss+xml")
        elif self.path == "/busy":
            self._send(429, b"slow down")
        elif self.path == "/broken":
            self._send(503, b"down")
        elif self.path == "/gone":
            self._send(404, b"not here")
        elif self.path == "/huge":
            self.send_response(200)
            self.end_headers()  # no Content-Length: the cap must work while streaming
            try:
                for _ in range(100):
                    self.wfile.write(b"x" * 10_000)
            except OSError:  # the client hung up at its cap, as it should (reset or broken pipe)
                pass
        elif self.path == "/slow":
            time.sleep(2)
            self._send(200, FEED)

    def _send(self, code: int, body: bytes, ctype: str = "text/plain") -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    class Server(http.server.ThreadingHTTPServer):
        def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
            pass  # clients that time out or stop at their byte cap hang up mid-reply, as they should

    httpd = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def _get(url: str, **kw: object):  # type: ignore[no-untyped-def]
    opts = {"base": Path("."), "timeout": 1.0, "max_bytes": 200_000, "user_agent": "test"} | kw
    return fetch(url, **opts)  # type: ignore[arg-type]


def test_fetches_feed_with_headers(server: str) -> None:
    got = _get(f"{server}/feed.xml")
    assert got.data == FEED and got.headers["content-type"] == "application/rss+xml"


@pytest.mark.parametrize("path", ["/busy", "/broken", "/slow"])
def test_transient_failures_are_marked_for_retry(server: str, path: str) -> None:
    with pytest.raises(TransientGatherError):
        _get(server + path)


def test_not_found_is_terminal_with_a_reason(server: str) -> None:
    with pytest.raises(GatherError, match="HTTP 404") as info:
        _get(f"{server}/gone")
    assert not info.value.transient


def test_stream_is_cut_at_the_byte_cap(server: str) -> None:
    with pytest.raises(GatherError, match="vượt giới hạn"):
        _get(f"{server}/huge")


def test_refused_connection_is_transient() -> None:
    with pytest.raises(TransientGatherError, match="Không kết nối"):
        _get("http://localhost:1/feed.xml")


def test_local_files_by_path_and_url(tmp_path: Path) -> None:
    f = tmp_path / "f.xml"
    f.write_bytes(b"<rss/>")
    assert _get("f.xml", base=tmp_path).data == b"<rss/>"
    assert _get(f.as_uri()).data == b"<rss/>"
    with pytest.raises(GatherError, match="Không tìm thấy"):
        _get("missing.xml", base=tmp_path)
    with pytest.raises(GatherError, match="quá lớn"):
        _get("f.xml", base=tmp_path, max_bytes=3)
