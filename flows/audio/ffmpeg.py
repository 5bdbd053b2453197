"""Every ffmpeg invocation of the audio package lives here.

The imageio-ffmpeg wheel ships ffmpeg but no ffprobe, so durations and loudness are read by decoding with ffmpeg.
Audio between steps is raw mono PCM in memory: clips are short, and pipes avoid temp files.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .errors import FfmpegError

DEFAULT_TIMEOUT = 120.0


@functools.lru_cache(maxsize=1)
def ffmpeg_exe() -> str:
    """Path of the ffmpeg binary: $BANTIN_FFMPEG, else the one from the imageio-ffmpeg wheel."""
    override = os.environ.get("BANTIN_FFMPEG")
    if override:
        return override
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def run(args: list[str], data: bytes | None = None, timeout: float = DEFAULT_TIMEOUT) -> tuple[bytes, str]:
    """Run ffmpeg with `args`, feeding `data` on stdin; return (stdout, stderr). Raise FfmpegError on failure."""
    # -nostdin when nothing is piped: ffmpeg would otherwise read the terminal and stall in the background.
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostats", *(["-nostdin"] if data is None else []), *args]
    try:
        proc = subprocess.run(cmd, input=data, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise FfmpegError(f"ffmpeg chạy quá {timeout:.0f} giây và đã bị dừng") from exc
    stderr = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0:
        tail = "\n".join(stderr.strip().splitlines()[-5:])
        raise FfmpegError(f"ffmpeg báo lỗi (mã {proc.returncode}): {tail}")
    return proc.stdout, stderr


def _input_args(source: bytes | Path, fmt: str | None = None, sample_rate: int | None = None) -> tuple[list[str], bytes | None]:
    if isinstance(source, Path):
        return ["-i", str(source)], None
    args: list[str] = []
    if fmt:
        args += ["-f", fmt, "-ac", "1"]
        if sample_rate:
            args += ["-ar", str(sample_rate)]
    return [*args, "-i", "pipe:0"], source


def decode_pcm(source: bytes | Path, sample_rate: int, filters: str = "", fmt: str | None = None,
               in_rate: int | None = None, codec: str = "f32le") -> bytes:
    """Decode anything ffmpeg reads into mono raw PCM at `sample_rate` (float32 by default), after `filters`."""
    inp, data = _input_args(source, fmt, in_rate)
    chain = ",".join(f for f in (filters, f"aresample={sample_rate}:resampler=soxr") if f)
    out, _ = run([*inp, "-vn", "-af", chain, "-ac", "1", "-f", codec, "-c:a", f"pcm_{codec}", "pipe:1"], data)
    return out


@dataclass(frozen=True)
class Loudness:
    integrated_lufs: float
    true_peak_dbtp: float


_I_RE = re.compile(r"Integrated loudness:\s*\n\s*I:\s*(-?[\d.]+|-inf|nan)\s*LUFS", re.M)
_TP_RE = re.compile(r"True peak:\s*\n\s*Peak:\s*(-?[\d.]+|-inf|nan)\s*dBFS", re.M)


def _parse_ebur128(stderr: str) -> Loudness:
    i_match, tp_match = _I_RE.search(stderr), _TP_RE.search(stderr)
    if not i_match or not tp_match:
        raise FfmpegError("không đọc được kết quả đo độ lớn âm thanh (ebur128)")
    return Loudness(float(i_match.group(1)), float(tp_match.group(1)))


def encode_mp3(pcm: bytes, sample_rate: int, bitrate_kbps: int) -> bytes:
    """Encode float32 mono PCM once into a bare CBR MP3 stream that can be joined to others by concatenation.

    No Xing/LAME header, no ID3 and no metadata: a header mid-stream makes decoders report "Header missing".
    """
    out, _ = run(["-f", "f32le", "-ar", str(sample_rate), "-ac", "1", "-i", "pipe:0",
                  "-c:a", "libmp3lame", "-b:a", f"{bitrate_kbps}k", "-ac", "1", "-ar", str(sample_rate),
                  "-write_xing", "0", "-id3v2_version", "0", "-map_metadata", "-1", "-bitexact",
                  "-f", "mp3", "pipe:1"], pcm)
    return out


def measure_loudness(source: Path | bytes) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) of a file or encoded bytes, decoded by ffmpeg."""
    inp, data = _input_args(source)
    _, err = run([*inp, "-vn", "-af", "ebur128=peak=true:framelog=quiet", "-f", "null", "-"], data)
    loud = _parse_ebur128(err)
    return loud.integrated_lufs, loud.true_peak_dbtp


def probe_duration(path: Path | bytes) -> float:
    """Duration in seconds, counted from the decoded samples (exact, unlike header estimates)."""
    inp, data = _input_args(path)
    out, err = run([*inp, "-vn", "-af", "astats=metadata=0:reset=0:measure_perchannel=none:measure_overall=Number_of_samples",
                    "-f", "null", "-"], data)
    match = re.findall(r"Number of samples:\s*(\d+)", err)
    rate = re.search(r"Audio:.*?(\d+) Hz", err)
    if not match or not rate:
        raise FfmpegError("không đọc được thời lượng tệp âm thanh")
    return int(match[-1]) / int(rate.group(1))


def decode_errors(path: Path | bytes) -> list[str]:
    """Problems the decoder reports for a file; an empty list means it decodes cleanly."""
    inp, data = _input_args(path)
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostats", "-v", "error", *inp, "-f", "null", "-"]
    proc = subprocess.run(cmd, input=data, capture_output=True, timeout=DEFAULT_TIMEOUT, check=False)
    lines = [ln for ln in proc.stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
    if proc.returncode != 0 and not lines:
        lines = [f"ffmpeg exit {proc.returncode}"]
    return lines


@dataclass(frozen=True)
class AudioCheck:
    """What one full decode of a finished file says: decoder errors, exact length, loudness."""

    errors: tuple[str, ...]
    duration_seconds: float
    integrated_lufs: float
    true_peak_dbtp: float


_LEVEL_RE = re.compile(r"\[(?:error|fatal|panic)\]\s*(.*)$")  # "-loglevel level" tags every line


def inspect_audio(path: Path | bytes) -> AudioCheck:
    """Decode once and report errors, duration and loudness together (a bulletin is checked in one pass)."""
    inp, data = _input_args(path)
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostats", "-loglevel", "repeat+level+info", *inp, "-vn", "-af",
           "astats=metadata=0:reset=0:measure_perchannel=none:measure_overall=Number_of_samples,"
           "ebur128=peak=true:framelog=quiet", "-f", "null", "-"]
    proc = subprocess.run(cmd, input=data, capture_output=True, timeout=DEFAULT_TIMEOUT, check=False)
    err = proc.stderr.decode("utf-8", "replace")
    errors = []
    for line in err.splitlines():
        match = _LEVEL_RE.search(line)
        if match:
            errors.append(match.group(1) or line)
    if proc.returncode != 0 and not errors:
        errors.append(f"ffmpeg exit {proc.returncode}")
    plain = re.sub(r"^(?:\[[^\]]*\]\s*)*?\[(?:info|warning|error|fatal|panic|verbose)\]\s?", "", err, flags=re.M)
    samples = re.findall(r"Number of samples:\s*(\d+)", plain)
    rate = re.search(r"Audio:.*?(\d+) Hz", plain)
    if errors and (not samples or not rate):
        return AudioCheck(tuple(errors), 0.0, float("nan"), float("nan"))
    if not samples or not rate:
        raise FfmpegError("không đọc được thời lượng tệp âm thanh")
    loud = _parse_ebur128(plain)
    return AudioCheck(tuple(errors), int(samples[-1]) / int(rate.group(1)), loud.integrated_lufs, loud.true_peak_dbtp)
