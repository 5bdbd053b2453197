"""Fetch a source's bytes: HTTP with timeouts and a byte cap, or a local file with the same cap.

feedparser and requests would happily read a 200 MB body whole (FIELD-NOTES); this module is the one
place that stops at max_bytes and turns every failure into a GatherError an editor can read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import requests

from flows.http import is_transient_status
from flows.ingest.errors import GatherError, TransientGatherError



@dataclass(frozen=True)
class Fetched:
    data: bytes
    headers: dict[str, str] = field(default_factory=dict)
    url: str = ""


def fetch(location: str, *, base: Path, timeout: float, max_bytes: int, user_agent: str) -> Fetched:
    """Read a URL (http, https, file) or a path relative to the content folder."""
    if location.startswith(("http://", "https://")):
        return _fetch_http(location, timeout=timeout, max_bytes=max_bytes, user_agent=user_agent)
    path = Path(location[len("file://"):]) if location.startswith("file://") else Path(location)
    if not path.is_absolute():
        path = base / path
    return Fetched(read_capped(path, max_bytes), {}, path.as_uri())


def read_capped(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise GatherError(
                f"Tệp {path.name} quá lớn ({size / 1e6:.1f} MB, giới hạn {max_bytes / 1e6:.1f} MB); chưa đọc."
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise GatherError(f"Không tìm thấy tệp hoặc thư mục {path}.") from None
    except IsADirectoryError:
        raise GatherError(f"{path} là thư mục, không phải tệp tin.") from None
    except PermissionError:
        raise GatherError(f"Không có quyền đọc {path}.") from None


def _fetch_http(url: str, *, timeout: float, max_bytes: int, user_agent: str) -> Fetched:
    try:
        with requests.get(url, timeout=timeout, stream=True, headers={"User-Agent": user_agent}) as resp:
            if is_transient_status(resp.status_code):
                raise TransientGatherError(f"Máy chủ nguồn tin đang bận hoặc lỗi (HTTP {resp.status_code}).")
            if resp.status_code >= 400:
                raise GatherError(f"Máy chủ nguồn tin trả lỗi HTTP {resp.status_code}: địa chỉ có thể đã đổi.")
            declared = int(resp.headers.get("Content-Length") or 0)
            if declared > max_bytes:
                raise GatherError(f"Nguồn tin quá lớn ({declared / 1e6:.1f} MB, giới hạn {max_bytes / 1e6:.1f} MB).")
            chunks, total = [], 0
            for chunk in resp.iter_content(64 * 1024):
                total += len(chunk)
                if total > max_bytes:
                    raise GatherError(f"Nguồn tin vượt giới hạn {max_bytes / 1e6:.1f} MB; đã dừng tải.")
                chunks.append(chunk)
            return Fetched(b"".join(chunks), {k.lower(): v for k, v in resp.headers.items()}, resp.url)
    except requests.Timeout:
        raise TransientGatherError(f"Quá thời gian chờ ({timeout:g} giây) khi tải nguồn tin.") from None
    except requests.ConnectionError:
        raise TransientGatherError("Không kết nối được tới máy chủ nguồn tin.") from None
    except requests.RequestException as exc:
        raise GatherError(f"Không tải được nguồn tin: {exc.__class__.__name__}.") from None
