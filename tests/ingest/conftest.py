"""A hostile web server for the gathering tests, started once per session on 127.0.0.1.

It serves real feeds and pages, and every way a server can misbehave: slow drips (body and headers), a hang,
500/404/429, redirect loops, oversized and lying Content-Length, a gzip bomb, conditional GET. Every slow
behaviour is bounded (it stops by itself after a few seconds, or when the client hangs up) so a broken client
cannot keep the test run alive forever.
"""

from __future__ import annotations

import email.utils
import functools
import gzip
import http.server
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"
FEED = (Path(__file__).resolve().parents[2] / "content" / "samples" / "feeds" / "phong-vhtt.xml").read_bytes()
ETAG = '"vhtt-2023-11-15"'
LAST_MODIFIED = email.utils.formatdate(1700042400, usegmt=True)
STOP = threading.Event()
DRIP_SECONDS = 8.0  # how long a drip lasts at most, whatever the client does


@dataclass
class Log:
    """What the server saw: requests per path, and how many were in flight at once (per host)."""

    hits: dict[str, int] = field(default_factory=dict)
    in_flight: int = 0
    max_in_flight: int = 0
    starts: list[tuple[str, float]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        with self.lock:
            self.hits.clear()
            self.starts.clear()
            self.max_in_flight = 0


LOG = Log()


@functools.cache
def _gzip_bomb() -> bytes:
    return gzip.compress(b"\0" * 20_000_000, compresslevel=9)  # 20 KB on the wire, 20 MB unpacked


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802
        path = self.path.split("?")[0]
        # Politeness is measured on the site's own pages: slow replies left over from other tests don't count.
        site = path.startswith("/data/") or path == "/robots.txt"
        with LOG.lock:
            LOG.hits[path] = LOG.hits.get(path, 0) + 1
            if site:
                LOG.in_flight += 1
                LOG.max_in_flight = max(LOG.max_in_flight, LOG.in_flight)
                LOG.starts.append((path, time.monotonic()))
        try:
            self._route(path)
        except OSError:  # the client hung up (its deadline or its byte cap), as it should
            pass
        finally:
            if site:
                with LOG.lock:
                    LOG.in_flight -= 1

    def _route(self, path: str) -> None:
        if path == "/feed.xml":
            self._conditional_feed()
        elif path == "/drip-body":
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self._drip(b"<" * 100000)
        elif path == "/drip-headers":
            self._drip(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nX-Slow: " + b"x" * 10000)
        elif path == "/hang":
            STOP.wait(DRIP_SECONDS)
        elif path.startswith("/status/"):
            code = int(path.rsplit("/", 1)[1])
            self._send(code, f"status {code}".encode())
        elif path == "/loop":
            self._redirect("/loop")
        elif path == "/loop-a":
            self._redirect("/loop-b")
        elif path == "/loop-b":
            self._redirect("/loop-a")
        elif path == "/redirect-js":
            self._redirect("javascript:alert(1)")
        elif path == "/redirect-file":
            self._redirect("file:///etc/passwd")
        elif path == "/redirect-ok":
            self._redirect("/feed.xml")
        elif path == "/huge":
            self.send_response(200)
            self.send_header("Connection", "close")
            self.end_headers()  # no Content-Length: the cap must hold while streaming
            for _ in range(200):
                self.wfile.write(b"x" * 10_000)
        elif path == "/huge-declared":
            self.send_response(200)
            self.send_header("Content-Length", "50000000")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"x" * 1000)
        elif path == "/bad-length":
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", "mười nghìn".encode("utf-8").decode("latin-1"))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(FEED)
        elif path == "/gzip-bomb":
            body = _gzip_bomb()
            self.send_response(200)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif path.startswith("/data/"):
            target = (DATA / path[len("/data/"):]).resolve()
            if DATA in target.parents and target.is_file():
                ctype = "text/html" if target.suffix == ".html" else "application/xml"
                self._send(200, target.read_bytes(), ctype if "charset" in target.name else ctype)
            else:
                self._send(404, b"not here")
        elif path == "/robots.txt":
            self._send(200, b"User-agent: *\nDisallow: /data/pages/cam/\n", "text/plain")
        else:
            self._send(404, b"not here")

    def _conditional_feed(self) -> None:
        if self.headers.get("If-None-Match") == ETAG or self.headers.get("If-Modified-Since") == LAST_MODIFIED:
            self.send_response(304)
            self.send_header("ETag", ETAG)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("ETag", ETAG)
        self.send_header("Last-Modified", LAST_MODIFIED)
        self.send_header("Content-Length", str(len(FEED)))
        self.end_headers()
        self.wfile.write(FEED)

    def _drip(self, data: bytes) -> None:
        until = time.monotonic() + DRIP_SECONDS
        for byte in data:
            if STOP.is_set() or time.monotonic() > until:
                return
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(0.1)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, code: int, body: bytes, ctype: str = "text/plain") -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        pass  # clients that time out or stop at their byte cap hang up mid-reply, as they should


@pytest.fixture(scope="session")
def hostile_server() -> Iterator[str]:
    _gzip_bomb()
    httpd = _Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    STOP.set()
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture()
def server_log(hostile_server: str) -> Log:
    LOG.reset()
    return LOG
