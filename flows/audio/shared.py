"""A folder every machine of a province reaches, by fsspec URL (s3://bucket/prefix on S3-compatible storage).

The speech cache keeps a local folder as it always did and uses a shared folder behind it (cache.py): a worker
that voices a text puts the entry there, and any other machine copies it into its own folder the first time it
needs it, so each piece of speech is voiced once in the province. A PUT on S3 is atomic (an object is whole or
absent), which keeps the cache's rule that an entry is readable only once it is whole: data first, metadata last.
A storage that cannot be reached is a TransientError in Vietnamese (retry later), never a silent miss.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flows.errors import OperationalError, TransientError

# Fail within seconds when the storage is down: the run's own retries (Prefect's) come after.
S3_OPTIONS: dict[str, Any] = {"config_kwargs": {
    "connect_timeout": 5, "read_timeout": 60, "retries": {"max_attempts": 2, "mode": "standard"}}}


class SharedFolder:
    """Bytes by relative name under an fsspec URL. The filesystem is opened on first use, in each process
    (a SharedFolder travels to Dask workers inside the settings, never with an open connection)."""

    def __init__(self, url: str, options: Mapping[str, Any] | None = None) -> None:
        self.url = url.rstrip("/")
        self.options = dict(options or {})
        self._fs: Any = None
        self._root = ""

    def __getstate__(self) -> dict[str, Any]:
        return {"url": self.url, "options": self.options, "_fs": None, "_root": ""}

    def _filesystem(self) -> tuple[Any, str]:
        if self._fs is None:
            import fsspec

            protocol = self.url.split("://", 1)[0] if "://" in self.url else "file"
            extra = S3_OPTIONS if protocol in ("s3", "s3a") else {}
            try:
                self._fs, self._root = fsspec.core.url_to_fs(self.url, **{**extra, **self.options})
            except ImportError as exc:  # s3:// needs s3fs, which is optional
                raise OperationalError(f"Chưa cài thư viện cho kho lưu trữ chung {self.url}: {exc}", where=self.url,
                                       hint="Cài thêm: pip install -e '.[s3]' (s3fs).") from exc
        return self._fs, self._root.rstrip("/")

    def read(self, name: str) -> bytes | None:
        """The object's bytes, or None when there is no such object."""
        fs, root = self._filesystem()
        try:
            data: bytes = fs.cat_file(f"{root}/{name}")
            return data
        except FileNotFoundError:
            return None
        except Exception as exc:  # botocore, aiohttp and OSError all mean "not reachable now"
            raise self._error("đọc", name, exc) from exc

    def write(self, name: str, data: bytes) -> None:
        fs, root = self._filesystem()
        try:
            protocols = (fs.protocol,) if isinstance(fs.protocol, str) else tuple(fs.protocol)
            if "file" in protocols:
                self._write_local(f"{root}/{name}", data)
            else:
                fs.pipe_file(f"{root}/{name}", data)  # one PUT: the object appears whole or not at all
        except Exception as exc:  # any failure to reach it
            raise self._error("ghi", name, exc) from exc

    def size(self, name: str) -> int | None:
        fs, root = self._filesystem()
        try:
            return int(fs.size(f"{root}/{name}"))
        except FileNotFoundError:
            return None
        except Exception as exc:  # any failure to reach it
            raise self._error("đọc", name, exc) from exc

    @staticmethod
    def _write_local(path: str, data: bytes) -> None:
        from pathlib import Path

        from .atomic import write_atomic

        write_atomic(Path(path), data)  # a shared folder by file:// URL: temp name and rename, as everywhere

    def _error(self, verb: str, name: str, exc: Exception) -> Exception:
        if isinstance(exc, PermissionError):
            return OperationalError(f"Kho lưu trữ chung {self.url} từ chối quyền {verb} {name}: {exc}",
                                    where=self.url, hint="Kiểm tra khóa truy cập và quyền của bucket.")
        return TransientError(f"Không {verb} được {name} ở kho lưu trữ chung {self.url} ({type(exc).__name__}: "
                              f"{str(exc)[:200]}). Sẽ thử lại ở lượt sau.", where=self.url,
                              hint="Kiểm tra máy chủ lưu trữ (S3) và đường mạng tới nó.")
