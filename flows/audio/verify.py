"""Check a finished bulletin against its manifest: decodes cleanly, right length, hash and loudness."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from .ffmpeg import AudioCheck, inspect_audio

DURATION_TOLERANCE_S = 0.1
LOUDNESS_TOLERANCE_LU = 1.0


@dataclass(frozen=True)
class BulletinCheck:
    path: Path
    manifest: dict
    audio: AudioCheck
    problems: tuple[str, ...]  # in Vietnamese, for the operator; empty when the file is good

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_bulletin(mp3: Path) -> BulletinCheck:
    """Decode the file once and compare it with what its manifest promises."""
    manifest_path = mp3.with_suffix(".json")
    problems: list[str] = []
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
        problems.append("thiếu hoặc hỏng tệp mô tả .json")
    audio = inspect_audio(mp3)
    if audio.errors:
        problems.append(f"giải mã lỗi: {audio.errors[0]}")
    if manifest:
        if hashlib.sha256(mp3.read_bytes()).hexdigest() != manifest.get("sha256"):
            problems.append("mã băm sha256 không khớp tệp mô tả (tệp đã bị sửa hoặc chép hỏng)")
        if abs(audio.duration_seconds - manifest.get("duration_seconds", -1)) > DURATION_TOLERANCE_S:
            problems.append(f"thời lượng {audio.duration_seconds:.1f} giây, tệp mô tả ghi "
                            f"{manifest.get('duration_seconds', 0):.1f} giây")
        target = manifest.get("loudness_target", {})
        lufs, peak = target.get("integrated_lufs"), target.get("true_peak_dbtp")
        if lufs is not None and not abs(audio.integrated_lufs - lufs) <= LOUDNESS_TOLERANCE_LU:
            problems.append(f"độ lớn {audio.integrated_lufs:.1f} LUFS, yêu cầu {lufs:g} ± {LOUDNESS_TOLERANCE_LU:g}")
        if peak is not None and not audio.true_peak_dbtp <= peak:
            problems.append(f"đỉnh thực {audio.true_peak_dbtp:.1f} dBTP, vượt mức {peak:g} dBTP")
    return BulletinCheck(mp3, manifest, audio, tuple(problems))


def bulletins_of(out_root: Path, day: str, stations: list[str] | None = None) -> list[Path]:
    """The bulletin files of one day (yyyy-mm-dd), station by station."""
    found = []
    for folder in sorted(out_root.glob(f"*/{day}")):
        if stations and folder.parent.name not in stations:
            continue
        found.extend(sorted(p for p in folder.glob("*.mp3") if not p.name.startswith(".")))
    return found
