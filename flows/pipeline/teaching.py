"""Teach the reader: add an abbreviation or a word's pronunciation to the lexicon, for every station or one.

The entry goes into content/lexicon.toml (the one lexicon every door reads; its comments and order are kept),
after the whole new lexicon has been checked; the change is recorded with who made it (flows.store.lexiconlog).
The stories still to air are read again with it at once (their stored spoken form, `respeak`), stories
normalised from then on use it, and every station with its own entries reads it at its next bulletin;
`try_entry` shows the difference on a sentence before anything is saved.
"""

from __future__ import annotations

import tomllib
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flows.audio.atomic import write_atomic
from flows.content import Newsroom
from flows.errors import UserError
from flows.models import ProofWarning, StoryState
from flows.store import Store
from flows.store.lexiconlog import LexiconChange, LexiconLog
from flows.text import Lexicon, LexiconError, make_spoken_form, proofread, spoken_form

TABLES = {"abbreviations": "chữ viết tắt (đúng chữ hoa, chữ thường)", "words": "cách đọc một từ (mọi kiểu chữ)"}


@dataclass(frozen=True)
class Entry:
    table: str
    written: str
    spoken: str
    station_id: str | None  # None: every station


def entry(newsroom: Newsroom, table: str, written: str, spoken: str, station_id: str | None) -> Entry:
    """Check what an editor typed; a clear Vietnamese error for anything the reader could not use."""
    if table not in TABLES:
        raise UserError(f"Không có loại mục '{table[:30]}'.", hint="Chọn chữ viết tắt hoặc cách đọc một từ.")
    written = unicodedata.normalize("NFC", " ".join(written.split()))
    spoken = unicodedata.normalize("NFC", " ".join(spoken.split())).lower()
    if not written or len(written) > 60:
        raise UserError("Cần ghi chữ viết (tối đa 60 ký tự).")
    if any(c in written for c in "\"\\") or any(unicodedata.category(c).startswith("C") for c in written):
        raise UserError(f"Chữ viết '{written}' có ký tự không dùng được.")
    if not spoken or not all(c.isalpha() or c == " " for c in spoken):
        raise UserError(f"Cách đọc '{spoken[:60]}' chỉ được có chữ cái và dấu cách.",
                        hint="Viết như phát thanh viên đọc, ví dụ: \"hợp tác xã\".")
    if station_id:
        newsroom.station(station_id)  # an unknown station is a mistake
    return Entry(table, written, spoken, station_id or None)


def _lexicon_path(newsroom: Newsroom):  # type: ignore[no-untyped-def]
    return newsroom.content / "lexicon.toml"


def _with(newsroom: Newsroom, new: Entry) -> tuple[str, str | None, Lexicon]:
    """lexicon.toml's text with the entry added, the reading it replaces, and the lexicon it makes."""
    import tomlkit

    path = _lexicon_path(newsroom)
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    doc = tomlkit.parse(text)
    if new.station_id:
        stations = doc.setdefault("station", tomlkit.table(is_super_table=True))
        own = stations.setdefault(new.station_id, tomlkit.table(is_super_table=True))
        table = own.setdefault(new.table, tomlkit.table())
    else:
        table = doc.setdefault(new.table, tomlkit.table())
    previous = table.get(new.written)
    table[new.written] = new.spoken
    changed = tomlkit.dumps(doc)
    data: dict[str, Any] = tomllib.loads(changed)
    try:
        lexicon = Lexicon.from_mapping(data)
    except LexiconError as exc:
        raise UserError(f"Mục này làm từ điển không dùng được: {exc}.") from None
    return changed, (str(previous) if previous is not None else None), lexicon


def try_entry(newsroom: Newsroom, new: Entry, sentence: str) -> tuple[str, str]:
    """How `sentence` is read now, and how it would be read with the entry (nothing is saved)."""
    sentence = unicodedata.normalize("NFC", sentence.strip()) or new.written
    _, _, lexicon = _with(newsroom, new)
    return (spoken_form(sentence, lexicon=newsroom.lexicon(), station=new.station_id),
            spoken_form(sentence, lexicon=lexicon, station=new.station_id))


def teach(newsroom: Newsroom, store: Store, new: Entry, actor: str) -> tuple[LexiconChange, list[int]]:
    """Save the entry in lexicon.toml, record who made the change, and read again the stories still to air;
    returns the change and the ids of the stories now read differently."""
    text, previous, _ = _with(newsroom, new)
    write_atomic(_lexicon_path(newsroom), text.encode("utf-8"))
    newsroom.__dict__.pop("_lexicon", None)  # this process's cached lexicon (a cached_property) is now stale
    change = LexiconLog(store).record(actor, new.station_id, new.table, new.written, new.spoken, previous)
    respoken = respeak(newsroom, store, actor, f"Đọc lại theo từ điển mới: “{new.written}” đọc là “{new.spoken}”")
    return change, respoken


# Warnings that do not come from the lexicon (prepare() in normalising.py): kept as they are.
_NOT_FROM_LEXICON = {"legacy-encoding", "unknown-audience"}
_STILL_TO_AIR = (StoryState.NORMALISED, StoryState.APPROVED, StoryState.PUBLISHED, StoryState.BROADCAST)


def respeak(newsroom: Newsroom, store: Store, actor: str, why: str, today: date | None = None) -> list[int]:
    """Make again, with the lexicon as it is now, the stored spoken form of every story that may still be
    read on air (waiting or approved, its air window not over), so the next bulletin and the desk read it
    the new way; returns the ids whose reading changed. An editor's own reading is left alone (it wins
    anyway), and so is the written text."""
    lexicon = newsroom.lexicon()
    today = today or datetime.now(ZoneInfo(newsroom.settings.district.timezone)).date()
    changed = []
    for story in store.stories(*_STILL_TO_AIR):
        if story.air_until is not None and story.air_until < today:
            continue
        spoken = make_spoken_form(f"{story.title}.\n{story.body_text}", lexicon=lexicon)
        kept = [w for w in story.warnings if w.code in _NOT_FROM_LEXICON]
        warnings = ([w for w in kept if w.code == "legacy-encoding"]
                    + [ProofWarning(w.code, w.message, w.excerpt) for w in proofread(f"{story.title}\n{story.body_text}", lexicon)]
                    + [w for w in kept if w.code != "legacy-encoding"]
                    + [ProofWarning(w.code, w.message, w.excerpt) for w in spoken.warnings])
        if spoken.text != story.spoken_text or tuple(warnings) != tuple(story.warnings):
            store.respeak(story.id, spoken.text, warnings, actor, why)
            changed.append(story.id)
    return changed
