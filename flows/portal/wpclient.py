"""A small client for the WordPress REST API (wp/v2), authenticated by an application password.

Every request goes through flows/http.py's rule: timeouts, connection errors, 408/425/429 and 5xx are tried
again with backoff (honouring Retry-After); anything else is an answer to read. Routes are addressed as
`?rest_route=/wp/v2/...`, which every WordPress understands, with or without pretty permalinks.

The password never leaves this module: not in a message, a log line or an exception's text.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable
from typing import Any

import requests

from flows.errors import BantinError, OperationalError, TransientError
from flows.http import is_transient_status, retry_after_seconds

log = logging.getLogger(__name__)

PASSWORD_ENV = "BANTIN_PORTAL__WORDPRESS__PASSWORD"
ACCOUNT_HINT = ("Trong WordPress, vào Thành viên > Hồ sơ > Mật khẩu ứng dụng, tạo một mật khẩu cho bantin và đặt "
                f"nó vào biến môi trường {PASSWORD_ENV}; kiểm tra portal.wordpress.user là tên đăng nhập của tài "
                "khoản đó.")


class WordPressRefused(BantinError):
    """WordPress answered but would not do this one thing (a bad field, a post it will not let us edit)."""

    def __init__(self, message: str, *, where: str = "", hint: str = "", status: int = 0, code: str = "",
                 data: Any = None) -> None:
        super().__init__(message, where=where, hint=hint)
        self.status = status
        self.code = code
        self.data = data  # WordPress's error body ({"code", "message", "data"}), for callers that can use it


class WordPressClient:
    """One WordPress site: `call` sends a request under the retry rule and returns the decoded JSON answer."""

    def __init__(self, url: str, user: str, password: str, *, timeout: float = 20.0,
                 session: requests.Session | None = None, max_attempts: int = 3, backoff_seconds: float = 1.0,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.url = url.rstrip("/") + "/"
        self.session = session or requests.Session()
        self.session.auth = (user, password)
        self.session.headers.setdefault("User-Agent", "bantin/0.1 (+newsroom pipeline)")
        self.user = user
        self._password = password
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.backoff_seconds = backoff_seconds
        self.sleep = sleep
        self.writes = 0  # requests that change the site (POST, DELETE): a publish with nothing new sends none
        self.requests_sent = 0

    @property
    def where(self) -> str:
        return f"WordPress {self.url}"

    def call(self, method: str, route: str, *, params: dict[str, Any] | None = None,
             body: dict[str, Any] | None = None, attempts: int | None = None) -> Any:
        """`route` like "/wp/v2/posts/12". Returns the JSON answer of a 2xx; raises WordPressRefused for a 4xx
        (OperationalError for 401: the account), TransientError when the site does not answer.
        `attempts=1` for a request that must not be repeated blindly (making a post: a lost answer may hide
        a post that was made)."""
        resp = self._send(method, route, params=params, body=body, attempts=attempts or self.max_attempts)
        data = _json(resp)
        if 200 <= resp.status_code < 300:
            if data is None:
                raise OperationalError(f"WordPress trả lời {route} không phải JSON.", where=self.where,
                                       hint="Kiểm tra portal.wordpress.url là địa chỉ trang WordPress (REST API "
                                            "có bật) chứ không phải một trang khác.")
            return data
        code, message = _wp_error(data)
        if resp.status_code == 401:  # the account itself: a wrong user or password, a revoked application password
            raise OperationalError(
                f"WordPress không nhận tài khoản '{self.user}' (HTTP 401{', ' + code if code else ''}).",
                where=self.where, hint=ACCOUNT_HINT)
        raise WordPressRefused(
            f"WordPress từ chối (HTTP {resp.status_code}{', ' + code if code else ''})"
            f"{': ' + self._redact(message) if message else ''}", where=f"{self.where} {method} {route}",
            status=resp.status_code, code=code, data=data)

    def _send(self, method: str, route: str, *, params: dict[str, Any] | None,
              body: dict[str, Any] | None, attempts: int) -> requests.Response:
        query = {"rest_route": route, **(params or {})}
        last: TransientError | None = None
        wait = 0.0
        for attempt in range(attempts):
            if attempt:
                self.sleep(wait)
            try:
                self.requests_sent += 1
                if method != "GET":
                    self.writes += 1
                resp = self.session.request(method, self.url, params=query, json=body, timeout=self.timeout,
                                            allow_redirects=method == "GET")
            except requests.RequestException as exc:
                # The exception's text can carry the URL with its query; log the kind only.
                log.info("WordPress %s %s failed: %s", method, route, type(exc).__name__)
                kind = "không trả lời kịp" if isinstance(exc, requests.Timeout) else "không kết nối được"
                last = TransientError(f"Trang WordPress {kind}.", where=self.where,
                                      hint="Kiểm tra trang WordPress đang chạy và mạng; lần đăng sau sẽ gửi lại.")
                wait = self._backoff(attempt + 1)
                continue
            if is_transient_status(resp.status_code):
                last = TransientError(f"Trang WordPress đang lỗi (HTTP {resp.status_code}).", where=self.where,
                                      hint="Thử lại sau; nếu lỗi còn mãi, báo người quản trị trang WordPress.")
                wait = retry_after_seconds(resp.headers.get("Retry-After"), self._backoff(attempt + 1), cap=30.0)
                continue
            return resp
        assert last is not None
        raise last

    def _redact(self, text: str) -> str:
        return text.replace(self._password, "***") if self._password else text

    def _backoff(self, attempt: int) -> float:
        # Full jitter, as the voice engines do: runs that failed together do not retry together.
        return random.uniform(0, min(30.0, self.backoff_seconds * 2 ** (attempt - 1)))


def _json(resp: requests.Response) -> Any:
    # From the bytes: JSON is UTF-8 whatever the Content-Type says; PHP notices before the JSON are skipped.
    raw = resp.content
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        start = min((i for i in (raw.find(b"{"), raw.find(b"[")) if i >= 0), default=-1)
        if start > 0:
            try:
                return json.loads(raw[start:])
            except (ValueError, UnicodeDecodeError):
                return None
        return None


def _wp_error(data: Any) -> tuple[str, str]:
    """WordPress's error code and message ({"code": ..., "message": ...}), cut short for a report line."""
    if isinstance(data, dict):
        return str(data.get("code") or "")[:80], str(data.get("message") or "")[:200]
    return "", ""
