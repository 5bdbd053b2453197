"""Hear before it airs: voice a story (or one sentence of it) the way a station's next bulletin will read it.

The text is the one the bulletin planner gives that station (an editor's own reading, the station's own
lexicon, else the story's spoken form), and it is voiced through the same speech cache as every bulletin:
a preview voiced once is a clip the night's synthesis takes as it is, and the other way round.
"""

from __future__ import annotations

import re

from flows.audio import VoicedClip
from flows.content import Newsroom
from flows.errors import UserError
from flows.models import Story
from flows.pipeline.bulletins import voice_job
from flows.pipeline.synthesising import VoiceJob, _spoken_for

# A sentence ends at . ! ? … (or a line break) followed by a space; numbers like 12.5 stay whole.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


def reading_for(newsroom: Newsroom, story: Story, station_id: str) -> str:
    """What `station_id` will read for this story."""
    station = newsroom.station(station_id)
    lexicon = newsroom.lexicon()
    return _spoken_for(story, station, lexicon, set(lexicon.stations()))


def sentences(reading: str) -> list[str]:
    """The reading cut into sentences an editor can pick one of to hear."""
    return [s.strip() for s in _SENTENCE_END.split(reading) if s and s.strip()]


def preview(newsroom: Newsroom, story: Story, station_id: str, sentence: int | None = None) -> VoicedClip:
    """The story (or its sentence number `sentence`, counted from 0) in the station's voice, from the cache when
    any run voiced it before."""
    station = newsroom.station(station_id)
    reading = reading_for(newsroom, story, station.id)
    if not reading.strip():
        raise UserError(f"Bài số {story.id} chưa có văn bản đọc.", hint="Chuẩn hóa bài trước (bantin normalise).")
    text = reading
    if sentence is not None:
        parts = sentences(reading)
        if not 0 <= sentence < len(parts):
            raise UserError(f"Bài số {story.id} không có câu thứ {sentence + 1} (có {len(parts)} câu).")
        text = parts[sentence]
    return voice_job(newsroom, VoiceJob(key=f"nghe-thu-{story.id}", text=text, profile=station.audio,
                                        story_id=story.id))
