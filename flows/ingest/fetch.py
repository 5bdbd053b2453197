"""Fetch a source's bytes: HTTP with timeouts, an overall deadline and a byte cap, or a local file with the same cap.

feedparser and requests would happily read a 200 MB body whole, and a per-read timeout never ends a server that
drips one byte every few seconds (FIELD-NOTES); this module is the one place that stops at `max_bytes` and at the
deadline, and turns every failure into a GatherError an editor can read.

The deadline is enforced by a watchdog: every socket opened or reused for one fetch is registered, and when the
deadline passes the watchdog shuts them down, which wakes any read blocked on them. Reading in small pieces and
checking the clock between them would not do: one `recv` waits up to the read timeout, and the status line and
headers are read by http.client before any of our code runs.
"""

from __future__ import annotations

import os
import socket
import stat
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from flows.http import is_transient_status
from flows.ingest.errors import GatherError, TransientGatherError


@dataclass(frozen=True)
class Limits:
    """How long and how much one fetch may take."""

    connect_timeout: float = 10.0
    read_timeout: float = 20.0  # the longest silence between two packets
    deadline: float = 60.0  # the whole fetch, headers and body, whatever the server does
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    user_agent: str = "bantin/0.1 (+newsroom pipeline)"


@dataclass(frozen=True)
class Validators:
    """What a server said identifies this version of a document (conditional GET)."""

    etag: str = ""
    last_modified: str = ""

    def headers(self) -> dict[str, str]:
        out = {}
        if self.etag:
            out["If-None-Match"] = self.etag
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out

    def __bool__(self) -> bool:
        return bool(self.etag or self.last_modified)


@dataclass(frozen=True)
class Fetched:
    data: bytes
    headers: dict[str, str] = field(default_factory=dict)
    url: str = ""
    not_modified: bool = False  # HTTP 304: the source has not changed since the validators were given
    validators: Validators = field(default_factory=Validators)


def fetch(location: str, *, base: Path, limits: Limits | None = None, validators: Validators | None = None,
          session: requests.Session | None = None, timeout: float | None = None, max_bytes: int | None = None,
          user_agent: str | None = None) -> Fetched:
    """Read a URL (http, https, file) or a path relative to the content folder.

    `timeout`, `max_bytes` and `user_agent` override the matching fields of `limits` (older callers pass them).
    """
    limits = limits or Limits()
    overrides: dict[str, Any] = {}
    if timeout is not None:
        overrides |= {"read_timeout": timeout, "connect_timeout": min(limits.connect_timeout, timeout)}
    if max_bytes is not None:
        overrides["max_bytes"] = max_bytes
    if user_agent is not None:
        overrides["user_agent"] = user_agent
    if overrides:
        limits = Limits(**{**limits.__dict__, **overrides})
    if location.startswith(("http://", "https://")):
        return fetch_http(location, limits, validators, session)
    if "://" in location and not location.startswith("file://"):
        raise GatherError(f"Địa chỉ nguồn '{location[:80]}' không được hỗ trợ (chỉ http, https hoặc tệp trên máy).")
    path = Path(location[len("file://"):]) if location.startswith("file://") else Path(location)
    if not path.is_absolute():
        path = base / path
    return Fetched(read_capped(path, limits.max_bytes), {}, path.as_uri())


# -- local files ------------------------------------------------------------------------------------------

def read_capped(path: Path, max_bytes: int, *, follow_symlinks: bool = True) -> bytes:
    """A regular file's bytes, refused above `max_bytes`. Devices, FIFOs and sockets are refused before they are
    opened: /dev/zero never ends and opening a FIFO waits for a writer."""
    try:
        st = os.stat(path, follow_symlinks=follow_symlinks)
        refuse_unless_regular(path, st.st_mode)
        if st.st_size > max_bytes:
            raise GatherError(f"Tệp {path.name} quá lớn ({st.st_size / 1e6:.1f} MB, giới hạn "
                              f"{max_bytes / 1e6:.1f} MB); chưa đọc.")
        flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
        if not follow_symlinks:
            flags |= getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags)
        with os.fdopen(fd, "rb") as f:
            # The file may have been swapped between stat and open: judge what was opened.
            refuse_unless_regular(path, os.fstat(f.fileno()).st_mode)
            data = f.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise GatherError(f"Tệp {path.name} lớn hơn giới hạn {max_bytes / 1e6:.1f} MB (đang được ghi thêm?); "
                              "chưa đọc.")
        return data
    except FileNotFoundError:
        raise GatherError(f"Không tìm thấy tệp hoặc thư mục {path}.") from None
    except IsADirectoryError:
        raise GatherError(f"{path} là thư mục, không phải tệp tin.") from None
    except PermissionError:
        raise GatherError(f"Không có quyền đọc {path}.") from None
    except OSError as exc:  # ELOOP from O_NOFOLLOW, EIO from a failing USB stick...
        if not follow_symlinks and os.path.islink(path):
            raise GatherError(f"{path.name} là liên kết tượng trưng (symlink); không đọc để tránh lộ tệp khác "
                              "trên máy.") from None
        raise GatherError(f"Không đọc được {path.name}: {exc.strerror or exc}.") from None


def refuse_unless_regular(path: Path, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISLNK(mode):
        what = "liên kết tượng trưng (symlink); không đọc để tránh lộ tệp khác trên máy"
    elif stat.S_ISDIR(mode):
        what = "thư mục, không phải tệp tin"
    elif stat.S_ISFIFO(mode):
        what = "đường ống (FIFO), không phải tệp tin; đọc nó sẽ treo chờ"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        what = "thiết bị, không phải tệp tin; đọc nó có thể không bao giờ dừng"
    elif stat.S_ISSOCK(mode):
        what = "socket, không phải tệp tin"
    else:
        what = "không phải tệp tin thường"
    raise GatherError(f"{path} là {what}.")


# -- HTTP ---------------------------------------------------------------------------------------------------

class _Watch:
    """The sockets of one fetch, shut down together when its deadline passes."""

    def __init__(self) -> None:
        self.sockets: list[socket.socket] = []
        self.expired = False
        self.lock = threading.Lock()

    def add(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self.lock:
            self.sockets.append(sock)
            if self.expired:
                _shutdown(sock)

    def fire(self) -> None:
        with self.lock:
            self.expired = True
            for sock in self.sockets:
                _shutdown(sock)


def _shutdown(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


_current = threading.local()


def _register(conn: HTTPConnection) -> None:
    watch = getattr(_current, "watch", None)
    if watch is not None:
        watch.add(conn.sock)


class _WatchedHTTPConnection(HTTPConnection):
    def connect(self) -> None:
        super().connect()
        _register(self)

    def request(self, *args: Any, **kwargs: Any) -> None:  # a kept-alive connection is reused without connect()
        _register(self)
        super().request(*args, **kwargs)


class _WatchedHTTPSConnection(HTTPSConnection):
    def connect(self) -> None:
        super().connect()
        _register(self)

    def request(self, *args: Any, **kwargs: Any) -> None:
        _register(self)
        super().request(*args, **kwargs)


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class _WatchedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}
        self.poolmanager.key_fn_by_scheme = dict(self.poolmanager.key_fn_by_scheme)


def new_session(limits: Limits) -> requests.Session:
    """A requests session whose sockets obey the fetch deadline; one per host keeps connections alive."""
    session = requests.Session()
    adapter = _WatchedAdapter(max_retries=0)  # retries are the flow's business (flows/http.py)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.max_redirects = limits.max_redirects
    session.headers["User-Agent"] = limits.user_agent
    session.trust_env = False  # a proxy set in the environment must not see the newsroom's sources by surprise
    return session


def fetch_http(url: str, limits: Limits, validators: Validators | None = None,
               session: requests.Session | None = None) -> Fetched:
    own = session is None
    session = session or new_session(limits)
    watch = _Watch()
    timer = threading.Timer(limits.deadline, watch.fire)
    timer.daemon = True
    _current.watch = watch
    timer.start()
    started = time.monotonic()
    try:
        return _get(session, url, limits, validators, watch)
    except GatherError:
        raise
    except requests.TooManyRedirects:
        raise GatherError(f"Địa chỉ nguồn tin chuyển hướng quá {limits.max_redirects} lần (có thể là vòng lặp "
                          "chuyển hướng); hãy kiểm tra lại địa chỉ.") from None
    except requests.exceptions.InvalidSchema:
        raise GatherError("Máy chủ nguồn tin chuyển hướng tới một địa chỉ không phải http/https; không theo.") from None
    except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError,
            requests.exceptions.ContentDecodingError) as exc:
        if watch.expired:
            raise TransientGatherError(
                f"Tải nguồn tin quá thời hạn {limits.deadline:g} giây (máy chủ trả lời quá chậm); đã dừng.") from None
        if isinstance(exc, requests.Timeout):
            waited = time.monotonic() - started
            phase = "kết nối" if isinstance(exc, requests.ConnectTimeout) else "chờ dữ liệu"
            raise TransientGatherError(f"Quá thời gian {phase} ({waited:.0f} giây) khi tải nguồn tin.") from None
        if isinstance(exc, requests.exceptions.ContentDecodingError):
            raise GatherError("Máy chủ gửi dữ liệu nén hỏng; không giải nén được.") from None
        raise TransientGatherError("Không kết nối được tới máy chủ nguồn tin (hoặc kết nối bị ngắt giữa chừng).") \
            from None
    except requests.RequestException as exc:
        raise GatherError(f"Không tải được nguồn tin: {exc.__class__.__name__}.") from None
    finally:
        timer.cancel()
        _current.watch = None
        if own:
            session.close()


def _get(session: requests.Session, url: str, limits: Limits, validators: Validators | None,
         watch: _Watch) -> Fetched:
    headers = validators.headers() if validators else {}
    with session.get(url, timeout=(limits.connect_timeout, limits.read_timeout), stream=True,
                     headers=headers) as resp:
        got = {k.lower(): v for k, v in resp.headers.items()}
        if resp.status_code == 304 and validators:
            return Fetched(b"", got, resp.url, not_modified=True, validators=_validators(got, validators))
        if is_transient_status(resp.status_code):
            raise TransientGatherError(f"Máy chủ nguồn tin đang bận hoặc lỗi (HTTP {resp.status_code}).")
        if resp.status_code >= 400:
            raise GatherError(f"Máy chủ nguồn tin trả lỗi HTTP {resp.status_code}: địa chỉ có thể đã đổi.")
        if resp.status_code >= 300:
            raise GatherError(f"Máy chủ nguồn tin trả HTTP {resp.status_code} mà không chỉ địa chỉ mới.")
        declared = declared_length(got.get("content-length"))
        if declared is not None and declared > limits.max_bytes:
            raise GatherError(f"Nguồn tin quá lớn ({declared / 1e6:.1f} MB, giới hạn "
                              f"{limits.max_bytes / 1e6:.1f} MB); chưa tải.")
        chunks, total = [], 0
        for chunk in resp.iter_content(64 * 1024):
            total += len(chunk)
            if total > limits.max_bytes:
                raise GatherError(f"Nguồn tin vượt giới hạn {limits.max_bytes / 1e6:.1f} MB; đã dừng tải.")
            chunks.append(chunk)
        if watch.expired:  # the watchdog cut the body short and the server's framing did not show it
            raise TransientGatherError(f"Tải nguồn tin quá thời hạn {limits.deadline:g} giây; đã dừng.")
        return Fetched(b"".join(chunks), got, resp.url, validators=_validators(got, Validators()))


def _validators(headers: dict[str, str], previous: Validators) -> Validators:
    # A 304 may omit them; keep what we had so the next request is still conditional.
    return Validators(etag=headers.get("etag", previous.etag)[:500],
                      last_modified=headers.get("last-modified", previous.last_modified)[:100])


def declared_length(value: str | None) -> int | None:
    """The Content-Length a server declared, or None when it is missing or not a number (then only the
    streaming cap applies)."""
    if not value:
        return None
    parts = {p.strip() for p in value.split(",")}
    if len(parts) != 1:
        return None
    (part,) = parts
    return int(part) if part.isdigit() else None


# -- politeness ---------------------------------------------------------------------------------------------

class HostGate:
    """One request at a time per host, with a pause between two requests to the same host. Shared by every
    source in the process, so two sources on one commune's server do not hit it together."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hosts: dict[str, tuple[threading.Lock, list[float]]] = {}

    def _host(self, host: str) -> tuple[threading.Lock, list[float]]:
        with self._lock:
            if host not in self._hosts:
                self._hosts[host] = (threading.Lock(), [0.0])
            return self._hosts[host]

    def call(self, url: str, delay: float, work: Any) -> Any:
        """Run `work()` holding the host's turn, at least `delay` seconds after the host's previous request."""
        from urllib.parse import urlsplit

        lock, last = self._host((urlsplit(url).hostname or "").lower())
        with lock:
            wait = last[0] + delay - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                return work()
            finally:
                last[0] = time.monotonic()


HOSTS = HostGate()
