"""The app's secret key and the CSRF tokens it signs.

A CSRF token is an HMAC of the browser's own random `bantin_csrf` cookie and its session, under the app's
secret key: another site can make the browser send the cookie, but it can neither read it nor compute the
token that goes with it, so its forged form fails. A new login (new session) gives new tokens.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from flows.errors import OperationalError

KEY_BYTES = 32


def load_secret_key(path: Path) -> bytes:
    """Read the app's secret key, making it (readable by this user only) on the first start."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "wb") as fh:
            fh.write(secrets.token_bytes(KEY_BYTES))
    key = path.read_bytes()
    if len(key) < KEY_BYTES:
        raise OperationalError(f"Tệp khóa bí mật {path} quá ngắn ({len(key)} byte, cần {KEY_BYTES}).",
                               hint="Xóa tệp để bantin tạo khóa mới (mọi người sẽ phải đăng nhập lại).")
    return key


def new_cookie_value() -> str:
    return secrets.token_urlsafe(24)


def csrf_token(key: bytes, cookie: str, session: str) -> str:
    mac = hmac.new(key, f"csrf|{cookie}|{session}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def csrf_ok(key: bytes, cookie: str, session: str, token: str) -> bool:
    if not cookie or not token:
        return False
    return hmac.compare_digest(csrf_token(key, cookie, session).encode(), token.encode("utf-8", "replace"))
