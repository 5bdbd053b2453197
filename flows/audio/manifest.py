"""The JSON manifest and the Vietnamese transcript of a bulletin. Pure: plain data in, text out.

Nothing time-dependent goes in (no "generated at"): the same bulletin must give the same bytes, so a second
nightly run can see that nothing changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..models import BulletinItem, BulletinRequest
from .plan import BulletinPlan

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Placed:
    """One segment as it sits in the bulletin."""

    kind: str  # "opening", "item", "sting", "closing"
    start_seconds: float
    duration_seconds: float
    engine: str
    voice: str
    sha256: str
    text: str
    note: str = ""
    item: BulletinItem | None = None
    produced: str = ""  # "bed": the ident over its music bed; "sting": music between items
    music: str = ""  # which music: a file of content/jingles, or "generated"


def _r(seconds: float) -> float:
    return round(seconds, 3)


def _placed(p: Placed) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if p.produced:
        out.update(kind=p.produced, music=p.music)
    if p.item is not None:
        out.update(story_id=p.item.story_id, title=p.item.title, priority=p.item.priority.name.lower(),
                   district_wide=p.item.district_wide, published_at=p.item.published_at.isoformat())
    out.update(engine=p.engine, voice=p.voice, start_seconds=_r(p.start_seconds),
               duration_seconds=_r(p.duration_seconds), sha256=p.sha256)
    if p.text:  # the spoken form as voiced: what `bantin check --listen` holds the recognised words to
        out["text"] = p.text
    if p.note:
        out["note"] = p.note
    return out


def manifest(request: BulletinRequest, plan: BulletinPlan, placed: list[Placed], file_name: str, file_sha256: str,
             file_bytes: int, duration_seconds: float, pause_seconds: float,
             sting_pause_seconds: float | None = None) -> dict[str, Any]:
    """`sting_pause_seconds`: the pause on each side of a sting, when the bulletin has stings between items."""
    station, slot, profile = request.station, request.slot, request.station.audio
    out: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "station": {"id": station.id, "name": station.name, "kind": station.kind},
        "slot": {"id": slot.id, "name": slot.name, "time": slot.time, "max_seconds": slot.max_seconds},
        "date": request.day.isoformat(),
        "file": file_name,
        "sha256": file_sha256,
        "bytes": file_bytes,
        "duration_seconds": _r(duration_seconds),
        "audio": {"codec": "mp3", "bitrate_kbps": profile.bitrate_kbps, "sample_rate": profile.sample_rate,
                  "channels": 1, "constant_bitrate": True},
        "loudness_target": {"integrated_lufs": profile.loudness_lufs, "true_peak_dbtp": profile.true_peak_dbtp,
                            "method": "ITU-R BS.1770 (ffmpeg ebur128)"},
        "pause_seconds": _r(pause_seconds),
        "opening": [_placed(p) for p in placed if p.kind == "opening"],
        "items": [_placed(p) for p in placed if p.kind == "item"],
        "closing": [_placed(p) for p in placed if p.kind == "closing"],
        "dropped": [{"story_id": d.story_id, "title": d.title, "priority": d.priority.name.lower(), "reason": d.reason}
                    for d in plan.dropped],
        "over_limit_seconds": _r(plan.over_limit_seconds),
        "engines": sorted({p.engine for p in placed}),
    }
    if sting_pause_seconds is not None:
        out["stings"] = [_placed(p) for p in placed if p.kind == "sting"]
        out["sting_pause_seconds"] = _r(sting_pause_seconds)
    return out


def manifest_bytes(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _mmss(seconds: float) -> str:
    return f"{int(seconds) // 60:02d}:{int(seconds) % 60:02d}"


def transcript(request: BulletinRequest, plan: BulletinPlan, placed: list[Placed], duration_seconds: float) -> str:
    """What the bulletin says, in order, for the operator and the archive."""
    station, slot, day = request.station, request.slot, request.day
    lines = [f"BẢN TIN {slot.name.upper()} – {station.name.upper()}",
             f"Ngày {day.day:02d}/{day.month:02d}/{day.year} · phát lúc {slot.time} · thời lượng {_mmss(duration_seconds)}",
             ""]
    number = 0
    for p in placed:
        if p.kind == "sting":  # music, nothing said: one line keeps the running order readable
            lines += [f"[{_mmss(p.start_seconds)}] Nhạc chuyển tin", ""]
            continue
        if p.kind == "item" and p.item is not None:
            number += 1
            head = f"[{_mmss(p.start_seconds)}] Tin {number}: {p.item.title}"
            if p.item.priority:
                head += f" ({p.item.priority.label_vi})"
        else:
            label = "Mở đầu" if p.kind == "opening" else "Kết thúc"
            if p.kind == "opening" and p.text.lower().startswith("điểm tin"):
                label = "Điểm tin"
            head = f"[{_mmss(p.start_seconds)}] {label}"
        if p.produced == "bed":  # the project's own music needs no name; a station's file is named
            head += " (trên nền nhạc" + ("" if p.music == "generated" else f" {p.music}") + ")"
        lines += [head, p.text or "(nhạc hiệu)", f"Giọng đọc: {p.engine}" + (f" – {p.note}" if p.note else ""), ""]
    if plan.dropped:
        lines.append("TIN KHÔNG PHÁT TRONG BẢN TIN NÀY")
        lines += [f"- {d.title}: {d.reason}" for d in plan.dropped]
        lines.append("")
    if plan.over_limit_seconds > 0:
        lines += [f"Lưu ý: tin khẩn cấp vượt thời lượng khung giờ {plan.over_limit_seconds:.0f} giây.", ""]
    return "\n".join(lines)
