"""Write a rendered site to its folder: only changed files, each atomically, stale pages removed."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

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


def write_site(pages: dict[str, bytes], out: Path) -> WriteReport:
    report = WriteReport()
    out.mkdir(parents=True, exist_ok=True)
    for rel, data in sorted(pages.items()):
        target = out / rel
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
        (out / rel).unlink(missing_ok=True)
        report.removed.append(rel)
    listing = json.dumps(sorted(pages), ensure_ascii=False, indent=0).encode()
    if not manifest.exists() or manifest.read_bytes() != listing:
        atomic_write(manifest, listing)
    return report
