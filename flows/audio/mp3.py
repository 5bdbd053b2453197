"""Pure MP3 byte work: count and check frames of a bare CBR stream, and build the ID3v2 tag that heads a bulletin.

Durations come from the frames themselves: a byte-joined bulletin decodes to exactly the sum of its segments'
frames, so the manifest's offsets are exact without decoding anything.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from .errors import BrokenAudioError

_BITRATES = {  # kbps by index, for MPEG-1 and MPEG-2/2.5 Layer III
    1: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_RATES = {1: (44100, 48000, 32000), 2: (22050, 24000, 16000), 25: (11025, 12000, 8000)}


@dataclass(frozen=True)
class StreamInfo:
    frames: int
    sample_rate: int
    bitrate_kbps: int  # 0 when frames differ (VBR)
    channels: int
    samples: int

    @property
    def duration_seconds(self) -> float:
        return self.samples / self.sample_rate


def scan(data: bytes) -> StreamInfo:
    """Walk every frame of a bare MP3 stream (no tags). Raise BrokenAudioError on anything else."""
    return _walk(data)[0]


def take_frames(data: bytes, count: int) -> bytes:
    """The first `count` frames. Cutting at the end is safe: the bit reservoir only ever points backwards."""
    offsets = _walk(data)[1]
    if count > len(offsets):
        raise BrokenAudioError("mp3", "không đủ khung MP3")
    return data[: offsets[count]] if count < len(offsets) else data


def _walk(data: bytes) -> tuple[StreamInfo, list[int]]:
    pos, frames, samples = 0, 0, 0
    offsets: list[int] = []
    rates, bitrates, channels = set(), set(), set()
    n = len(data)
    while pos < n:
        if pos + 4 > n or data[pos] != 0xFF or (data[pos + 1] & 0xE0) != 0xE0:
            raise BrokenAudioError("mp3", f"dữ liệu MP3 hỏng ở byte {pos}")
        b1, b2, b3 = data[pos + 1], data[pos + 2], data[pos + 3]
        version = {3: 1, 2: 2, 0: 25}.get((b1 >> 3) & 3)
        layer = (b1 >> 1) & 3
        br_index, sr_index, padding = b2 >> 4, (b2 >> 2) & 3, (b2 >> 1) & 1
        if version is None or layer != 1 or br_index in (0, 15) or sr_index == 3:
            raise BrokenAudioError("mp3", f"khung MP3 không hợp lệ ở byte {pos}")
        kbps = _BITRATES[1 if version == 1 else 2][br_index]
        rate = _RATES[version][sr_index]
        per_frame = 1152 if version == 1 else 576
        size = (per_frame // 8) * kbps * 1000 // rate + padding
        if pos + size > n:
            raise BrokenAudioError("mp3", "tệp MP3 bị cắt cụt")
        offsets.append(pos)
        pos += size
        frames += 1
        samples += per_frame
        rates.add(rate)
        bitrates.add(kbps)
        channels.add(1 if (b3 >> 6) == 3 else 2)
    if not frames:
        raise BrokenAudioError("mp3", "tệp MP3 rỗng")
    if len(rates) != 1 or len(channels) != 1:
        raise BrokenAudioError("mp3", "các khung MP3 khác định dạng nhau")
    info = StreamInfo(frames, rates.pop(), bitrates.pop() if len(bitrates) == 1 else 0, channels.pop(), samples)
    return info, offsets


def id3_tag(title: str, artist: str, album: str, date: str, length_ms: int, comment: str = "") -> bytes:
    """ID3v2.3 tag bytes (v2.3: what phones and Windows players read best). Deterministic for equal input."""
    from mutagen.id3 import COMM, ID3, TALB, TDRC, TIT2, TLEN, TPE1

    tags = ID3()
    tags.add(TIT2(encoding=3, text=title))
    tags.add(TPE1(encoding=3, text=artist))
    tags.add(TALB(encoding=3, text=album))
    if date:
        tags.add(TDRC(encoding=3, text=date))
    tags.add(TLEN(encoding=3, text=str(length_ms)))
    if comment:
        tags.add(COMM(encoding=3, lang="vie", desc="", text=comment))
    buf = io.BytesIO()
    tags.save(buf, v2_version=3, padding=lambda _info: 0)
    return buf.getvalue()


def strip_id3(data: bytes) -> bytes:
    """The bare stream of a tagged file: drop a leading ID3v2 tag and a trailing ID3v1 tag."""
    if data[:3] == b"ID3" and len(data) >= 10:
        size = (data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9]
        data = data[10 + size + (10 if data[5] & 0x10 else 0):]
    if len(data) >= 128 and data[-128:-125] == b"TAG":
        data = data[:-128]
    return data
