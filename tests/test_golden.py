"""The demo night's outputs against a committed golden tree: the portal pages and feed, every bulletin's
manifest and transcript. A change to what listeners hear or readers see shows up here as a diff to review.

Update on purpose with `make golden` (BANTIN_UPDATE_GOLDEN=1), then read `git diff tests/golden`.
Measurements that depend on the machine's encoder (hashes, byte sizes, exact durations) and today's
date are masked (also a bulletin's length on the portal's pages; the MP3s copied into the portal are listed
by name like every binary file); the words, the running order, the stories chosen and dropped are compared exactly.
"""

from __future__ import annotations

import json
import os
import re
from datetime import datetime
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden" / "demo-night"
MASKED_KEYS = {"sha256", "bytes", "duration_seconds", "start_seconds", "over_limit_seconds", "pause_seconds",
               "integrated_lufs_measured", "true_peak_dbtp_measured"}
TEXT_SUFFIXES = {".html", ".xml", ".json", ".txt", ".css"}


def _mask_today(text: str) -> str:
    now = datetime.now()
    for day in {now, datetime.fromtimestamp(now.timestamp() - 3600 * 12), datetime.fromtimestamp(now.timestamp() + 3600 * 12)}:
        text = re.sub(day.strftime("%a, %d %b %Y") + r" \d\d:\d\d:\d\d [+-]\d{4}", "<NOW>", text)
        text = re.sub(day.strftime("%Y-%m-%d") + r"T\d\d:\d\d(:\d\d)?([+-]\d\d:\d\d)?", "<NOW>", text)
        text = text.replace(day.strftime("%d/%m/%Y"), "<TODAY>")
    return text


def _mask_json(value: object) -> object:
    if isinstance(value, dict):
        return {k: ("<masked>" if k in MASKED_KEYS else _mask_json(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask_json(v) for v in value]
    return value


def golden_view(audio_out: Path, portal_out: Path) -> dict[str, str]:
    """What is compared: relative path -> masked text; binary files by name only."""
    view: dict[str, str] = {}
    for label, root in (("audio_out", audio_out), ("portal_out", portal_out)):
        for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")):
            rel = f"{label}/{path.relative_to(root).as_posix()}"
            if path.suffix not in TEXT_SUFFIXES:
                view[rel + ".listed"] = ""
                continue
            text = path.read_text(encoding="utf-8")
            if path.suffix == ".json" and label == "audio_out":
                text = json.dumps(_mask_json(json.loads(text)), ensure_ascii=False, indent=1, sort_keys=True)
            if path.suffix == ".html" and label == "portal_out":  # a bulletin's length, as the manifests'
                text = re.sub(r'<span class="duration">[^<]*</span>', '<span class="duration">m phút s giây</span>',
                              text)
            if path.suffix == ".txt" and label == "audio_out":
                text = re.sub(r"\[\d+:\d\d\]", "[mm:ss]", text)
                text = re.sub(r"thời lượng \d+:\d\d", "thời lượng mm:ss", text)
            view[rel] = _mask_today(text).rstrip("\n") + "\n"
    return view


def test_demo_night_matches_the_golden_tree(demo_night: dict) -> None:
    view = golden_view(*demo_night["outputs"])
    if os.environ.get("BANTIN_UPDATE_GOLDEN"):
        if GOLDEN.exists():
            for old in sorted(GOLDEN.rglob("*"), reverse=True):
                old.unlink() if old.is_file() else old.rmdir()
        for rel, text in view.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_text(text, encoding="utf-8")
        pytest.skip("golden tree written; review it with git diff tests/golden")
    assert GOLDEN.is_dir(), "no golden tree yet: run `make golden`"
    committed = {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8")
                 for p in sorted(GOLDEN.rglob("*")) if p.is_file()}
    assert sorted(view) == sorted(committed), "files added or missing: run `make golden` if that was intended"
    changed = [rel for rel in view if view[rel] != committed[rel]]
    assert not changed, f"{len(changed)} outputs differ from the golden tree, first: {changed[:5]}"
