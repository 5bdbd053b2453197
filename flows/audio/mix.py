"""Lay the spoken ident over the music bed, as a presenter would ride the fader: pydub's job.

Pure: decoded audio in, mixed audio out. The bed plays alone at full level, dips under the voice with a short
ramp so every word stays clear, comes back part way once the voice ends, and fades out. The levels going in
are set by the caller (production.py) from measured loudness, so the bed sits the same under every voice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydub import AudioSegment

INTRO_MS = 1500  # the bed alone before the voice
FADE_IN_MS = 150  # the bed's start: soft, not a click
DUCK_DB = -18.0  # the bed under the voice
DUCK_RAMP_MS = 250  # down into the voice, ending as the first word starts
RISE_DB = -8.0  # after the voice the bed comes back part way...
RISE_MS = 300
TAIL_MS = 1500  # ...and fades out
LOOP_CROSSFADE_MS = 500  # a bed shorter than the ident loops on itself


def length_for(voice_ms: int) -> int:
    """How long the mix runs for a voice of `voice_ms`."""
    return INTRO_MS + voice_ms + RISE_MS + TAIL_MS


def long_enough(bed: "AudioSegment", ms: int) -> "AudioSegment":
    """The bed, looped (cross-faded on itself) until it lasts `ms`."""
    out = bed
    while len(out) < ms:
        out = out.append(bed, crossfade=min(LOOP_CROSSFADE_MS, len(bed) // 4, len(out) // 4))
    return out[:ms]


def ducked_bed(bed: "AudioSegment", voice_ms: int) -> "AudioSegment":
    """The bed's ride for a voice of `voice_ms` starting at INTRO_MS: full, ducked, partly back, faded out."""
    start, end = INTRO_MS, INTRO_MS + voice_ms
    bed = long_enough(bed, length_for(voice_ms))
    return (bed[:start - DUCK_RAMP_MS].fade_in(FADE_IN_MS)
            + bed[start - DUCK_RAMP_MS:start].fade(to_gain=DUCK_DB, start=0, end=DUCK_RAMP_MS)
            + bed[start:end].apply_gain(DUCK_DB)
            + bed[end:end + RISE_MS].fade(from_gain=DUCK_DB, to_gain=RISE_DB, start=0, end=RISE_MS)
            + bed[end + RISE_MS:].apply_gain(RISE_DB).fade_out(TAIL_MS))


def over_bed(voice: "AudioSegment", bed: "AudioSegment") -> "AudioSegment":
    """The voice at INTRO_MS over the ducked bed. Both at the same rate, width and channels, levels already set."""
    return ducked_bed(bed, len(voice)).overlay(voice, position=INTRO_MS)
