"""Write a rendered site to its folder: only changed files, each atomically, stale pages removed.

A page is given as its bytes; a large file placed as it is (a bulletin's MP3, a unit's video clip) as the Path
to copy, compared with the copy already there and copied in pieces, so the publish never holds it whole.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from flows.errors import BantinError

MANIFEST = ".bantin-site.json"


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


def atomic_write(path: Path, data: bytes) -> None:
    """Readers see the old file or the new one, never half of one."""
    _atomically(path, lambda f: f.write(data))


def atomic_copy(source: Path, path: Path) -> None:
    """Like atomic_write, for a file copied from `source` in pieces."""
    def copy(f: BinaryIO) -> None:
        with open(source, "rb") as src:
            shutil.copyfileobj(src, f, _PIECE)

    _atomically(path, copy)


def _atomically(path: Path, fill: Callable[[BinaryIO], object]) -> None:
    """`fill` writes a temp file beside `path`, which then replaces it whole (synced first)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            fill(f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_PIECE = 1 << 20


def _same(target: Path, data: bytes | Path) -> bool:
    """Whether the file already there holds exactly these bytes (a copy is compared piece by piece)."""
    if not target.is_file():
        return False
    if isinstance(data, bytes):
        return target.read_bytes() == data
    if target.stat().st_size != data.stat().st_size:
        return False
    with open(target, "rb") as old, open(data, "rb") as new:
        while True:
            a, b = old.read(_PIECE), new.read(_PIECE)
            if a != b:
                return False
            if not a:
                return True


class UnsafePathError(BantinError):
    """A page path that would land outside the site folder (`../x`, an absolute path)."""


def inside(out: Path, rel: str) -> Path:
    """`out / rel`, refused unless it stays inside `out` (checked on the text and on the resolved path, so a link
    planted in the site folder cannot carry a page outside either)."""
    parts = rel.split("/")
    if (not rel or rel.startswith("/") or "\\" in rel or "\x00" in rel or any(p in {"", ".", ".."} for p in parts)):
        raise UnsafePathError(f"Đường dẫn trang “{rel[:80]}” không hợp lệ (ra ngoài thư mục cổng thông tin); "
                              "không ghi.")
    target = out / rel
    root = out.resolve()
    if not target.resolve().is_relative_to(root):
        raise UnsafePathError(f"Đường dẫn trang “{rel[:80]}” trỏ ra ngoài thư mục cổng thông tin; không ghi.")
    return target


def write_site(pages: Mapping[str, bytes | Path], out: Path) -> WriteReport:
    report = WriteReport()
    for rel in pages:
        inside(out, rel)  # every path checked before the first file is written
    out.mkdir(parents=True, exist_ok=True)
    for rel, data in sorted(pages.items()):
        target = inside(out, rel)
        if _same(target, data):
            report.unchanged += 1
            continue
        if isinstance(data, bytes):
            atomic_write(target, data)
        else:
            atomic_copy(data, target)
        report.written.append(rel)
    # Only files this writer made before are removed (a story withdrawn by an editor); anything
    # else in the folder, such as audio written by the synthesis stage, is left alone.
    manifest = out / MANIFEST
    before = set(json.loads(manifest.read_text())) if manifest.exists() else set()
    for rel in sorted(before - pages.keys()):
        try:
            target = inside(out, rel)
        except UnsafePathError:
            continue  # a tampered manifest must not delete files elsewhere
        target.unlink(missing_ok=True)
        report.removed.append(rel)
    listing = json.dumps(sorted(pages), ensure_ascii=False, indent=0).encode()
    if not manifest.exists() or manifest.read_bytes() != listing:
        atomic_write(manifest, listing)
    return report
