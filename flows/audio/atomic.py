"""Write files so that readers only ever see a whole old file or a whole new one.

Temp files are hidden (leading dot), live in the target's folder (rename must not cross filesystems), carry the
writer's pid so a later run can sweep the leftovers of a killed one, and are fsynced before the rename.
"""

from __future__ import annotations

import errno
import os
import time
from collections.abc import Iterable
from pathlib import Path

from .errors import DiskFullError

TEMP_MARK = ".part-"
STALE_AFTER_SECONDS = 3600


def temp_name(dest: Path) -> Path:
    return dest.with_name(f".{dest.name}{TEMP_MARK}{os.getpid()}-{time.monotonic_ns()}")


def write_atomic(dest: Path, chunks: Iterable[bytes] | bytes) -> None:
    """Write `chunks` to `dest` via a temp file, fsync, rename. On ENOSPC remove the temp and raise DiskFullError."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_name(dest)
    try:
        with open(tmp, "wb") as fh:
            for chunk in ([chunks] if isinstance(chunks, bytes) else chunks):
                fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            raise DiskFullError(exc.errno, f"Hết dung lượng đĩa khi ghi {dest.name}; tệp cũ (nếu có) được giữ nguyên") from exc
        raise
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(dest.parent)


def _fsync_dir(folder: Path) -> None:
    # The rename itself is only durable once the directory entry is on disk.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _owner_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_temps(folder: Path, stem: str = "") -> int:
    """Remove temp files left by killed writers (dead pid, or older than an hour). Returns how many."""
    removed = 0
    if not folder.is_dir():
        return 0
    for path in folder.glob(f".{stem}*{TEMP_MARK}*"):
        try:
            pid = int(path.name.rsplit(TEMP_MARK, 1)[1].split("-", 1)[0])
        except (IndexError, ValueError):
            continue
        try:
            old = time.time() - path.stat().st_mtime > STALE_AFTER_SECONDS
        except FileNotFoundError:
            continue
        if old or (pid != os.getpid() and not _owner_alive(pid)):
            path.unlink(missing_ok=True)
            removed += 1
    return removed
