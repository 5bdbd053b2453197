"""The project's own royalty-free music: a soft chord pad for the ident's bed and a short chime between items.

Made with pydub's sine generators, so it is the same bytes on every run and nobody's rights are involved.
Every partial has a whole number of hertz, so one second of it is a whole number of cycles and repeats
without a seam: a note is generated for one second and looped, which keeps the generation cheap (pydub's
generators run one Python step per sample). A station replaces either by a file in content/jingles.
"""

from __future__ import annotations

import io
import warnings
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydub import AudioSegment

RATE = 44100
MUSIC_VERSION = 1  # part of every cache key built on this music: change it when the music changes

# A slow I – V – vi – IV in C major, voiced close around middle C: a commune's horn loudspeakers give
# almost nothing below 200 Hz, so a pad voiced lower would vanish on air. Hertz are rounded to whole numbers,
# a few cents off equal temperament, which a pad does not mind. Each partial: (hertz, level in dBFS).
PAD_CHORDS: tuple[tuple[tuple[int, float], ...], ...] = (
    ((262, -20.0), (330, -23.0), (392, -23.0), (523, -26.0), (659, -30.0)),  # C
    ((247, -20.0), (294, -23.0), (392, -23.0), (494, -26.0), (587, -30.0)),  # G/B
    ((220, -20.0), (330, -23.0), (440, -23.0), (523, -26.0), (659, -30.0)),  # Am
    ((175, -22.0), (262, -21.0), (349, -23.0), (440, -26.0), (523, -30.0)),  # F
)
CHORD_MS = 2400
CHORD_CROSSFADE_MS = 600
PAD_SECONDS = 20  # long enough for any ident; a longer one loops the pad

# Two bell notes, high then a third lower ("ding-dong"): fundamental and two softer overtones.
CHIME_NOTES: tuple[tuple[int, int], ...] = ((0, 880), (170, 698))  # (start ms, hertz)
CHIME_OVERTONES: tuple[tuple[float, float], ...] = ((1.0, -12.0), (2.0, -22.0), (3.0, -30.0))  # (× hertz, dBFS)
CHIME_NOTE_MS = 650


def pydub_audio_segment() -> type["AudioSegment"]:
    """pydub's AudioSegment, imported without its warning about ffmpeg on PATH (it is never asked to run one)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pydub import AudioSegment
    return AudioSegment


def _tone(hertz: int, level_dbfs: float, ms: int) -> "AudioSegment":
    """A sine of whole hertz: one second generated, then looped to `ms` (no seam: whole cycles per second)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pydub.generators import Sine

    second = Sine(hertz, sample_rate=RATE).to_audio_segment(duration=1000, volume=level_dbfs)
    return (second * (ms // 1000 + 1))[:ms]


def _mix(parts: list["AudioSegment"]) -> "AudioSegment":
    out = parts[0]
    for part in parts[1:]:
        out = out.overlay(part)
    return out


def pad(seconds: int = PAD_SECONDS) -> "AudioSegment":
    """The bed: the chord progression, chords cross-faded into one another, looped to `seconds`."""
    chords = [_mix([_tone(hz, level, CHORD_MS + CHORD_CROSSFADE_MS) for hz, level in chord]) for chord in PAD_CHORDS]
    cycle = chords[0]
    for chord in [*chords[1:], chords[0]]:
        cycle = cycle.append(chord, crossfade=CHORD_CROSSFADE_MS)
    cycle = cycle[: CHORD_MS * len(PAD_CHORDS)]  # ends where the first chord begins again: loops smoothly
    out = cycle
    while len(out) < seconds * 1000:
        out = out.append(cycle, crossfade=CHORD_CROSSFADE_MS)
    return out[: seconds * 1000]


def chime() -> "AudioSegment":
    """The sting: two soft bell notes, each struck and left to ring away."""
    AudioSegment = pydub_audio_segment()
    length = max(start for start, _ in CHIME_NOTES) + CHIME_NOTE_MS
    out = AudioSegment.silent(duration=length, frame_rate=RATE)
    for start, hertz in CHIME_NOTES:
        note = _mix([_tone(round(hertz * ratio), level, CHIME_NOTE_MS) for ratio, level in CHIME_OVERTONES])
        # Struck, then a decay close to a bell's exponential one, in three straight pieces.
        note = note.fade_in(4).fade(to_gain=-8.0, start=4, end=120).fade(from_gain=0, to_gain=-12.0, start=120,
                                                                         end=CHIME_NOTE_MS)
        out = out.overlay(note.fade_out(200), position=start)
    return out


def wav_bytes(sound: "AudioSegment") -> bytes:
    out = io.BytesIO()
    sound.export(out, format="wav")
    return out.getvalue()
