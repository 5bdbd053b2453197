"""Write a rendered site to its folder: only changed files, each atomically, stale pages removed."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from flows.errors import BantinError

MANIFEST = ".bantin-site.json"


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


def atomic_write(path: Path, data: bytes) -> None:
    """Readers see the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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


def write_site(pages: dict[str, bytes], out: Path) -> WriteReport:
    report = WriteReport()
    for rel in pages:
        inside(out, rel)  # every path checked before the first file is written
    out.mkdir(parents=True, exist_ok=True)
    for rel, data in sorted(pages.items()):
        target = inside(out, rel)
        if target.exists() and target.read_bytes() == data:
            report.unchanged += 1
            continue
        atomic_write(target, data)
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
