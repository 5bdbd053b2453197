"""A file cache of synthesised speech and encoded segments, shared by runs and worker processes.

Layout: <root>/<kind>/<k[:2]>/<k>.<ext> plus <k>.json. The data file is renamed into place first and its JSON
(with the data's sha256) last, so an entry exists only once both are whole; a reader that finds a JSON whose hash
does not match treats it as a miss. Keys are sha256 of canonical JSON of everything that changes the bytes.
With a shared folder behind it (shared.py, e.g. on S3), a miss is looked for there and an entry made here is put
there too, so every machine of a province voices a text once.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .atomic import write_atomic
from .shared import SharedFolder

SCHEMA = 2  # bump when the processing changes, so old entries stop matching


def make_key(**fields: Any) -> str:
    canonical = json.dumps({"schema": SCHEMA, **fields}, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CacheEntry:
    path: Path
    meta: Mapping[str, Any]


class SynthesisCache:
    """Content-addressed entries by kind ("speech" for raw engine output, "segment" for encoded MP3)."""

    def __init__(self, root: Path, shared: SharedFolder | None = None) -> None:
        self.root = Path(root)
        self.shared = shared  # storage every machine reaches (shared.py); `root` is then this machine's copy

    def _paths(self, kind: str, key: str, ext: str) -> tuple[Path, Path]:
        folder = self.root / kind / key[:2]
        return folder / f"{key}.{ext}", folder / f"{key}.json"

    def get(self, kind: str, key: str, ext: str) -> CacheEntry | None:
        data_path, meta_path = self._paths(kind, key, ext)
        try:
            meta = json.loads(meta_path.read_text("utf-8"))
            data = data_path.read_bytes()
        except (FileNotFoundError, ValueError):
            return self._from_shared(kind, key, ext)
        if hashlib.sha256(data).hexdigest() != meta.get("sha256"):
            return self._from_shared(kind, key, ext)  # torn or tampered entry: recompute and overwrite
        return CacheEntry(data_path, meta)

    def _from_shared(self, kind: str, key: str, ext: str) -> CacheEntry | None:
        """Another machine's entry, copied into this machine's folder (metadata last, as put does)."""
        if self.shared is None:
            return None
        folder = f"{kind}/{key[:2]}"
        raw_meta = self.shared.read(f"{folder}/{key}.json")
        data = self.shared.read(f"{folder}/{key}.{ext}") if raw_meta is not None else None
        if raw_meta is None or data is None:
            return None
        try:
            meta = json.loads(raw_meta)
        except ValueError:
            return None
        if hashlib.sha256(data).hexdigest() != meta.get("sha256"):
            return None
        data_path, meta_path = self._paths(kind, key, ext)
        write_atomic(data_path, data)
        write_atomic(meta_path, raw_meta)
        return CacheEntry(data_path, meta)

    def put(self, kind: str, key: str, ext: str, data: bytes, meta: Mapping[str, Any]) -> CacheEntry:
        data_path, meta_path = self._paths(kind, key, ext)
        full = {**meta, "sha256": hashlib.sha256(data).hexdigest()}
        write_atomic(data_path, data)
        meta_bytes = json.dumps(full, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")
        write_atomic(meta_path, meta_bytes)
        if self.shared is not None:
            folder = f"{kind}/{key[:2]}"
            self.shared.write(f"{folder}/{key}.{ext}", data)
            self.shared.write(f"{folder}/{key}.json", meta_bytes)
        return CacheEntry(data_path, full)

    @contextlib.contextmanager
    def lock(self, key: str) -> Iterator[None]:
        """Exclusive across processes, so two workers never voice the same text at the same time."""
        path = self.root / "locks" / f"{key[:2]}" / f"{key}.lock"
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
