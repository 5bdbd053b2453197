"""Serving a bulletin file over HTTP the way a bad rural link needs it (RFC 9110).

`plan_response` is pure: from the request's method and headers and the file's facts it decides the status
(200, 206, 304, or raises for 412 and 416), the byte span and the headers. `FileSender` then streams that
span from one open file in fixed-size chunks (constant memory whatever the file size), stops when the client
goes away, and reports how many bytes went out and whether the response was whole (for the fetch log).
"""

from __future__ import annotations

import asyncio
import email.utils
import errno
import functools
import os
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import quote

import anyio
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from flows.audio.archive import OpenedAudio
from flows.web.errors import PreconditionFailed, RangeNotSatisfiable

CHUNK = 64 * 1024
MAX_RANGES = 64  # more parts than this in one Range header is abuse, not a player: the header is ignored
STALL_SECONDS = 120.0  # every response may take this long, plus the time for its bytes at MIN_RATE
MIN_RATE = 1024  # bytes/s: a client slower than this on average (a dead link that never closed) is let go


@dataclass(frozen=True)
class FileFacts:
    size: int
    mtime_ns: int
    inode: int

    @property
    def etag(self) -> str:
        # A bulletin is replaced by renaming a new file over it, so a new inode or mtime means new bytes.
        return f'"{self.inode:x}-{self.size:x}-{self.mtime_ns:x}"'

    @property
    def mtime_seconds(self) -> int:
        return self.mtime_ns // 1_000_000_000

    @property
    def last_modified(self) -> str:
        return _http_date_of(self.mtime_seconds)


@dataclass(frozen=True)
class Plan:
    status: int  # 200, 206 or 304
    start: int = 0
    length: int = 0
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def has_body(self) -> bool:
        return self.status in (200, 206)


@functools.lru_cache(maxsize=4096)
def _http_date_of(seconds: int) -> str:
    return email.utils.formatdate(seconds, usegmt=True)


def _http_date(value: str) -> int | None:
    try:
        parsed = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return int(parsed.timestamp())


def _etags(value: str) -> list[str]:
    return [t.strip() for t in value.split(",") if t.strip()]


def _strong_match(listed: str, etag: str) -> bool:
    return any(t == "*" or (not t.startswith("W/") and t == etag) for t in _etags(listed))


def _weak_match(listed: str, etag: str) -> bool:
    bare = etag.removeprefix("W/")
    return any(t == "*" or t.removeprefix("W/") == bare for t in _etags(listed))


_SPEC = re.compile(r"(\d{0,18})-(\d{0,18})")


def parse_range(value: str, size: int) -> list[tuple[int, int]] | None:
    """The satisfiable byte spans [first, last] of a Range header; [] if none is; None if the header is invalid.

    An invalid header (other unit, bad syntax, last before first) is ignored by the caller (RFC 9110 14.2),
    which then sends the whole file; a valid one with nothing inside the file is a 416.
    """
    unit, sep, specs = value.partition("=")
    if not sep or unit.strip().lower() != "bytes":
        return None
    parts = [p.strip() for p in specs.split(",")]
    if not parts or len(parts) > MAX_RANGES or any(not p for p in parts):
        return None
    spans: list[tuple[int, int]] = []
    for part in parts:
        m = _SPEC.fullmatch(part)
        if m is None or (not m.group(1) and not m.group(2)):
            return None
        first, last = m.group(1), m.group(2)
        if first:
            a = int(first)
            b = int(last) if last else size - 1
            if last and b < a:
                return None
            if a < size:
                spans.append((a, min(b, size - 1)))
        else:
            n = int(last)
            if n > 0 and size > 0:
                spans.append((max(0, size - n), size - 1))
    return spans


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def plan_response(method: str, headers: Mapping[str, str], facts: FileFacts,
                  extra: Mapping[str, str] | None = None) -> Plan:
    """Decide the answer to a GET or HEAD for a file (RFC 9110 13.2.2 order of preconditions, then Range)."""
    common = {"ETag": facts.etag, "Last-Modified": facts.last_modified, "Accept-Ranges": "bytes"}
    common.update(extra or {})
    if_match, if_none_match = headers.get("if-match"), headers.get("if-none-match")
    if if_match is not None:
        if not _strong_match(if_match, facts.etag):
            raise PreconditionFailed()
    elif (since := headers.get("if-unmodified-since")) is not None:
        stamp = _http_date(since)
        if stamp is not None and facts.mtime_seconds > stamp:
            raise PreconditionFailed()
    if if_none_match is not None:
        if _weak_match(if_none_match, facts.etag):
            return Plan(304, headers={k: v for k, v in common.items() if k != "Accept-Ranges"})
    elif (since := headers.get("if-modified-since")) is not None:
        stamp = _http_date(since)
        if stamp is not None and facts.mtime_seconds <= stamp:
            return Plan(304, headers={k: v for k, v in common.items() if k != "Accept-Ranges"})

    whole = Plan(200, 0, facts.size, {**common, "Content-Length": str(facts.size)})
    asked = headers.get("range")
    if method != "GET" or asked is None:
        return whole
    if (if_range := headers.get("if-range")) is not None:
        if_range = if_range.strip()
        if if_range.startswith(('"', "W/")):
            if if_range != facts.etag:  # a weak tag never matches here
                return whole
        elif _http_date(if_range) != facts.mtime_seconds:
            return whole
    spans = parse_range(asked, facts.size)
    if spans is None:
        return whole
    if not spans:
        raise RangeNotSatisfiable(facts.size)
    merged = _merge(spans)
    if len(merged) > 1:
        # Several disjoint parts would need multipart/byteranges; players ask for one. The whole file answers
        # every part at once, which RFC 9110 allows.
        return whole
    a, b = merged[0]
    return Plan(206, a, b - a + 1, {**common, "Content-Length": str(b - a + 1),
                                    "Content-Range": f"bytes {a}-{b}/{facts.size}"})


def ascii_name(text: str) -> str:
    """A file name without diacritics for old clients: 'Bản tin sáng – Đình Cả.mp3' -> 'Ban-tin-sang-Dinh-Ca.mp3'."""
    text = text.replace("đ", "d").replace("Đ", "D")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    stem, dot, ext = plain.rpartition(".")
    stem = re.sub(r"[^A-Za-z0-9]+", "-", stem if dot else plain).strip("-") or "ban-tin"
    return f"{stem}.{re.sub(r'[^A-Za-z0-9]', '', ext)}" if dot else stem


@functools.lru_cache(maxsize=4096)
def content_disposition(filename: str, attachment: bool) -> str:
    """Content-Disposition with the Vietnamese name (RFC 6266/8187 filename*) and an ASCII fallback."""
    name = unicodedata.normalize("NFC", filename)
    kind = "attachment" if attachment else "inline"
    return f"{kind}; filename=\"{ascii_name(name)}\"; filename*=UTF-8''{quote(name, safe='')}"


OnDone = Callable[[int, bool], None]

_NOWAIT = getattr(os, "RWF_NOWAIT", 0)


def _read_cached(fd: int, size: int, offset: int) -> bytes | None:
    """Bytes already in the page cache, without blocking; None when the disk would have to be read."""
    global _NOWAIT
    if not _NOWAIT:
        return None
    buffer = bytearray(size)
    try:
        got = os.preadv(fd, [buffer], offset, _NOWAIT)
    except BlockingIOError:
        return None
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS):  # a filesystem without it: threads only
            _NOWAIT = 0
            return None
        raise
    if got == 0:
        return None
    return bytes(memoryview(buffer)[:got])


async def read_chunk(fd: int, size: int, offset: int) -> bytes:
    """The next chunk: straight from the page cache when it is there (bulletins are small and hot, and a
    thread hop per chunk cost more than the read), else from a worker thread so a slow disk never stalls
    the other downloads."""
    cached = _read_cached(fd, size, offset)
    if cached is not None:
        return cached
    return await anyio.to_thread.run_sync(os.pread, fd, size, offset)


class FileSender(Response):
    """Streams one planned span of an open file; calls `on_done(bytes_sent, complete)` once at the end."""

    def __init__(self, opened: OpenedAudio, plan: Plan, method: str, media_type: str,
                 on_done: OnDone | None = None) -> None:
        self.opened, self.plan, self.method, self.on_done = opened, plan, method, on_done
        self.status_code = plan.status
        self.media_type = media_type
        self.background = None
        headers = dict(plan.headers)
        if plan.has_body:
            headers["Content-Type"] = media_type
        self.raw_headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        sent, complete = 0, False
        watch: asyncio.Future | None = None
        try:
            await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
            if not self.plan.has_body or self.method == "HEAD":
                await send({"type": "http.response.body", "body": b""})
                complete = True
                return
            # The server tells of a client that hung up through receive(); one pending call watches for it.
            watch = asyncio.ensure_future(_disconnected(receive))
            loop = asyncio.get_running_loop()
            fd, offset, left = self.opened.fd, self.plan.start, self.plan.length
            # One deadline per response (re-arming a timer per chunk cost more than reading the chunk).
            async with asyncio.timeout_at(loop.time() + STALL_SECONDS + left / MIN_RATE):
                while left > 0 and not watch.done():
                    chunk = await read_chunk(fd, min(CHUNK, left), offset)
                    if not chunk:  # the file shrank under us: end short, the client sees a broken body
                        break
                    await send({"type": "http.response.body", "body": chunk, "more_body": left > len(chunk)})
                    offset += len(chunk)
                    left -= len(chunk)
                    sent += len(chunk)
                    # A read from the page cache and a send to a fast client may both return without waiting:
                    # yield, so the other downloads get their turn and a client that hung up is noticed.
                    await asyncio.sleep(0)
            # Bytes are counted once handed to the server; a client that vanished during the very last chunk
            # is the one case counted whole.
            complete = left == 0
        except TimeoutError:
            complete = False
        finally:
            if watch is not None and not watch.done():
                watch.cancel()
            self.opened.close()
            if self.on_done is not None:
                self.on_done(sent, complete)


async def _disconnected(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


def now_utc() -> datetime:
    return datetime.now(timezone.utc)
