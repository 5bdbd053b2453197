"""The bulletins in audio_out as an archive: find them, read their manifests, open their audio, retire old ones.

audio_out/<station>/<yyyy-mm-dd>/<slot>.mp3 with <slot>.json (manifest) and <slot>.txt (transcript) beside it.
Names are checked against strict patterns before any path is built, and a bulletin is listed only once its
manifest is there (the MP3 is renamed into place first, the manifest last), so a reader never meets a file
half-written. Hidden names (the writers' temp files) never match.
"""

from __future__ import annotations

import json
import os
import re
import stat
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flows.errors import NotFoundError, OperationalError, UserError

EMERGENCY_PREFIX = "khan-cap-"
"""Slot ids of emergency bulletins start with this (flows.pipeline.emergency.emergency_slot)."""

_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,99}")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_EMERGENCY_TIME = re.compile(r"khan-cap-(\d{2})(\d{2})")


def valid_name(value: str) -> bool:
    """A station or slot id as it may appear in a path: lowercase ASCII letters, digits, '-' and '_'."""
    return bool(_NAME.fullmatch(value))


def parse_day(value: str) -> date:
    """A bulletin folder's date (yyyy-mm-dd); anything else is a user's mistake."""
    if not _DAY.fullmatch(value):
        raise UserError(f"Ngày '{value[:40]}' không đúng dạng YYYY-MM-DD.")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UserError(f"Ngày '{value}' không có trên lịch.") from None


def is_emergency(slot_id: str) -> bool:
    return slot_id.startswith(EMERGENCY_PREFIX)


@dataclass(frozen=True)
class ArchivedBulletin:
    """One bulletin of one station, slot and day, as its manifest describes it."""

    station_id: str
    day: date
    slot_id: str
    folder: Path
    manifest: dict[str, Any]
    audio_bytes: int | None  # size of the MP3 on disk; None once retention removed it

    @property
    def mp3_path(self) -> Path:
        return self.folder / f"{self.slot_id}.mp3"

    @property
    def manifest_path(self) -> Path:
        return self.folder / f"{self.slot_id}.json"

    @property
    def transcript_path(self) -> Path:
        return self.folder / f"{self.slot_id}.txt"

    @property
    def emergency(self) -> bool:
        return is_emergency(self.slot_id)

    @property
    def available(self) -> bool:
        return self.audio_bytes is not None

    @property
    def station_name(self) -> str:
        return str(self.manifest.get("station", {}).get("name") or self.station_id)

    @property
    def slot_name(self) -> str:
        return str(self.manifest.get("slot", {}).get("name") or self.slot_id)

    @property
    def slot_time(self) -> time:
        """When the bulletin airs: the slot's time, or the minute an emergency bulletin was ordered."""
        raw = str(self.manifest.get("slot", {}).get("time") or "")
        try:
            hour, minute = (int(x) for x in raw.split(":"))
            return time(hour, minute)
        except ValueError:
            found = _EMERGENCY_TIME.match(self.slot_id)
            return time(int(found.group(1)), int(found.group(2))) if found else time(0, 0)

    def air_time(self, timezone: str) -> datetime:
        return datetime.combine(self.day, self.slot_time, tzinfo=ZoneInfo(timezone))

    @property
    def duration_seconds(self) -> float:
        return float(self.manifest.get("duration_seconds") or 0.0)

    @property
    def items(self) -> list[dict[str, Any]]:
        return list(self.manifest.get("items", []))

    @property
    def dropped(self) -> list[dict[str, Any]]:
        return list(self.manifest.get("dropped", []))

    @property
    def key(self) -> tuple[str, str, str]:
        """What names this bulletin for ever: station, day, slot (the podcast GUID is built from it)."""
        return (self.station_id, self.day.isoformat(), self.slot_id)

    def order(self) -> tuple[date, time, str]:
        return (self.day, self.slot_time, self.slot_id)


@dataclass
class OpenedAudio:
    """An open bulletin MP3 and what fstat says about exactly the bytes that will be read."""

    fd: int
    size: int
    mtime_ns: int
    inode: int

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


class BulletinArchive:
    """Read-only view of audio_out for a set of known stations."""

    def __init__(self, root: Path, station_ids: Iterable[str]) -> None:
        self.root = Path(root).resolve()
        self.station_ids = frozenset(s for s in station_ids if valid_name(s))
        self._manifests: dict[Path, tuple[tuple[int, int], dict[str, Any]]] = {}
        self._lock = threading.Lock()

    # -- finding ------------------------------------------------------------------------------------
    def _station_folder(self, station_id: str) -> Path:
        if station_id not in self.station_ids:
            raise NotFoundError(f"Không có đài '{station_id[:60]}'.")
        return self.root / station_id

    def days(self, station_id: str) -> list[date]:
        """The days that have a folder for this station, newest first."""
        folder = self._station_folder(station_id)
        found = []
        for entry in _scan(folder):
            if _DAY.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False):
                try:
                    found.append(date.fromisoformat(entry.name))
                except ValueError:
                    continue
        return sorted(found, reverse=True)

    def bulletins_of_day(self, station_id: str, day: date) -> list[ArchivedBulletin]:
        """The bulletins of one station and day, in the order they air."""
        folder = self._station_folder(station_id) / day.isoformat()
        out = []
        for entry in _scan(folder):
            name = entry.name
            if not name.endswith(".json") or not valid_name(name[:-5]):
                continue
            if not entry.is_file(follow_symlinks=False):
                continue
            bulletin = self._load(station_id, day, name[:-5], folder)
            if bulletin is not None:
                out.append(bulletin)
        return sorted(out, key=ArchivedBulletin.order)

    def bulletins(self, station_id: str, since: date | None = None, until: date | None = None) -> list[ArchivedBulletin]:
        """Every bulletin of a station between two days (inclusive), newest first."""
        out: list[ArchivedBulletin] = []
        for day in self.days(station_id):
            if (since is not None and day < since) or (until is not None and day > until):
                continue
            out.extend(reversed(self.bulletins_of_day(station_id, day)))
        return out

    def bulletin(self, station_id: str, day: date, slot_id: str) -> ArchivedBulletin:
        if not valid_name(slot_id):
            raise NotFoundError(f"Không có buổi phát '{slot_id[:60]}'.")
        folder = self._station_folder(station_id) / day.isoformat()
        found = self._load(station_id, day, slot_id, folder)
        if found is None:
            raise NotFoundError(f"Đài {station_id} không có bản tin {slot_id} ngày {day:%d/%m/%Y}.")
        return found

    def latest(self, station_id: str, slot_id: str | None = None, emergency: bool = False,
               playable: bool = True) -> ArchivedBulletin:
        """The newest bulletin of a station: of one slot, or the newest emergency one."""
        for day in self.days(station_id):
            for b in reversed(self.bulletins_of_day(station_id, day)):
                if playable and not b.available:
                    continue
                if emergency and not b.emergency:
                    continue
                if slot_id is not None and b.slot_id != slot_id:
                    continue
                if slot_id is None and not emergency and b.emergency:
                    continue
                return b
        what = "bản tin khẩn cấp" if emergency else f"bản tin {slot_id}" if slot_id else "bản tin"
        raise NotFoundError(f"Đài {station_id} chưa có {what} nào.")

    def _load(self, station_id: str, day: date, slot_id: str, folder: Path) -> ArchivedBulletin | None:
        manifest_path = folder / f"{slot_id}.json"
        manifest = self._manifest(manifest_path)
        if manifest is None or not _belongs(manifest, station_id, day, slot_id):
            return None
        try:
            st = os.stat(folder / f"{slot_id}.mp3", follow_symlinks=False)
            size: int | None = st.st_size if stat.S_ISREG(st.st_mode) else None
        except FileNotFoundError:
            size = None
        return ArchivedBulletin(station_id, day, slot_id, folder, manifest, size)

    def _manifest(self, path: Path) -> dict[str, Any] | None:
        try:
            st = os.stat(path, follow_symlinks=False)
        except (FileNotFoundError, NotADirectoryError):
            return None
        if not stat.S_ISREG(st.st_mode):
            return None
        stamp = (st.st_mtime_ns, st.st_size)
        with self._lock:
            cached = self._manifests.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        try:
            data = json.loads(path.read_bytes())
        except (OSError, ValueError):
            return None  # being replaced, or broken: `bantin check` reports it, the archive skips it
        if not isinstance(data, dict):
            return None
        with self._lock:
            if len(self._manifests) > 4096:
                self._manifests.clear()
            self._manifests[path] = (stamp, data)
        return data

    # -- reading ------------------------------------------------------------------------------------
    def transcript(self, bulletin: ArchivedBulletin) -> str:
        try:
            return bulletin.transcript_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return ""

    def open_audio(self, bulletin: ArchivedBulletin) -> OpenedAudio:
        """Open the bulletin's MP3 for reading: a regular file under the archive, never through a link.

        The caller reads from this one open file, so a bulletin replaced meanwhile (a new file renamed over
        the name) cannot mix old and new bytes in one response.
        """
        path = bulletin.mp3_path
        if self.root not in path.parents:
            raise NotFoundError("Không có tệp này.")
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(path, flags)
        except (FileNotFoundError, NotADirectoryError):
            raise NotFoundError(f"Tệp âm thanh của bản tin {bulletin.slot_id} ngày {bulletin.day:%d/%m/%Y} "
                                "không còn (đã xóa theo thời hạn lưu trữ).") from None
        except OSError as exc:  # ELOOP: a symbolic link where a bulletin should be
            raise NotFoundError("Không có tệp này.") from exc
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            os.close(fd)
            raise NotFoundError("Không có tệp này.")
        return OpenedAudio(fd, st.st_size, st.st_mtime_ns, st.st_ino)


def _belongs(manifest: dict[str, Any], station_id: str, day: date, slot_id: str) -> bool:
    """A manifest describes the file beside it: a copied or misplaced one names another bulletin."""
    return (manifest.get("file") == f"{slot_id}.mp3" and manifest.get("date") == day.isoformat()
            and (manifest.get("station") or {}).get("id") == station_id
            and (manifest.get("slot") or {}).get("id") == slot_id)


def _scan(folder: Path) -> Iterator[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as entries:
            yield from entries
    except (FileNotFoundError, NotADirectoryError):
        return


# -- retention ---------------------------------------------------------------------------------------
@dataclass
class RetentionReport:
    """What a retention pass removed (or would remove) and what it kept on purpose."""

    cutoff: date  # bulletins of days before this one lose their MP3
    removed: list[Path] = field(default_factory=list)
    kept_latest: list[Path] = field(default_factory=list)  # old, but the newest of its station
    freed_bytes: int = 0
    failures: list[str] = field(default_factory=list)
    dry_run: bool = False


def remove_old_bulletins(root: Path, keep_days: int, today: date, dry_run: bool = False) -> RetentionReport:
    """Remove bulletin MP3s of days older than `keep_days` before `today`.

    Manifests and transcripts stay (they are the record of what aired, with the store's broadcasts), and so
    does each station's newest bulletin of each slot (and its newest emergency bulletin) however old.
    """
    if keep_days < 1:
        raise UserError(f"Thời hạn lưu trữ phải từ 1 ngày trở lên (đang đặt {keep_days}).")
    root = Path(root)
    report = RetentionReport(cutoff=today - timedelta(days=keep_days), dry_run=dry_run)
    if not root.is_dir():
        return report
    stations = sorted(e.name for e in _scan(root) if valid_name(e.name) and e.is_dir(follow_symlinks=False))
    archive = BulletinArchive(root, stations)
    for station_id in stations:
        playable = [b for day in archive.days(station_id) for b in archive.bulletins_of_day(station_id, day)
                    if b.available]
        # The newest of each slot (and the newest emergency bulletin) stays, so the fixed "latest" addresses
        # that playout software fetches keep answering however long a station goes without a new bulletin.
        newest: dict[str, ArchivedBulletin] = {}
        for b in playable:
            kind = "khan-cap" if b.emergency else b.slot_id
            if kind not in newest or b.order() > newest[kind].order():
                newest[kind] = b
        keep = {b.mp3_path for b in newest.values()}
        for b in playable:
            if b.day >= report.cutoff:
                continue
            if b.mp3_path in keep:
                report.kept_latest.append(b.mp3_path)
                continue
            if not dry_run:
                try:
                    b.mp3_path.unlink()
                except FileNotFoundError:
                    continue
                except OSError as exc:
                    report.failures.append(f"{b.mp3_path}: {exc.strerror}")
                    continue
            report.removed.append(b.mp3_path)
            report.freed_bytes += b.audio_bytes or 0
    if report.failures and not report.removed:
        raise OperationalError("Không xóa được tệp bản tin cũ nào: " + "; ".join(report.failures[:3]),
                               hint="Kiểm tra quyền ghi thư mục audio_out.")
    return report
