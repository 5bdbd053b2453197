"""Split spoken text into request-sized chunks at Vietnamese phrase boundaries. Pure.

Google's endpoint takes at most 100 characters per request. Cutting inside a phrase makes the voice drop its
intonation mid-thought, so chunks end at sentence ends first, then at clause punctuation, and only a phrase that is
longer than a whole chunk is split between syllables (Vietnamese writes one syllable per space-separated word).
"""

from __future__ import annotations

import re

MAX_CHARS = 100

_SENTENCE = re.compile(r"(?<=[.!?…])\s+")
_CLAUSE = re.compile(r"(?<=[,;:])\s+|\s+(?=[–—-]\s)")


# Words that open a new phrase in Vietnamese (conjunctions, prepositions, relative words): a clause longer than a
# chunk is cut just before one of them, so each half is still a phrase the voice can intone.
PHRASE_STARTERS = frozenset(
    "và với cùng của cho để tại trong ngoài trên dưới từ đến theo về nhưng mà thì là nên vì do bởi nếu khi "
    "sau trước nhằm qua như hoặc hay cũng đồng thời".split())
MIN_FILL = 0.4  # a cut at a phrase starter is taken only if the chunk before it is at least this full


def _split_long(phrase: str, limit: int) -> list[str]:
    words = phrase.split()
    parts: list[str] = []
    start = 0
    while start < len(words):
        length, end, best = 0, start, None
        while end < len(words) and length + (1 if end > start else 0) + len(words[end]) <= limit:
            length += (1 if end > start else 0) + len(words[end])
            end += 1
            if end < len(words) and words[end].lower() in PHRASE_STARTERS and length >= MIN_FILL * limit:
                best = end
        if end == start:  # one "word" longer than a chunk (a URL, a digit run): hard cut
            word = words[start]
            parts.append(word[:limit])
            words[start] = word[limit:]
            continue
        cut = end if end == len(words) or best is None else best
        parts.append(" ".join(words[start:cut]))
        start = cut
    return parts


def phrases(text: str, limit: int = MAX_CHARS) -> list[str]:
    """Phrases no longer than `limit`: sentences, else clauses, else syllable runs."""
    out: list[str] = []
    for sentence in _SENTENCE.split(" ".join(text.split())):
        if len(sentence) <= limit:
            out.append(sentence)
            continue
        for clause in _CLAUSE.split(sentence):
            out.extend([clause] if len(clause) <= limit else _split_long(clause, limit))
    return [p for p in (p.strip() for p in out) if p]


def chunks(text: str, limit: int = MAX_CHARS) -> list[str]:
    """Pack whole phrases greedily into chunks of at most `limit` characters (fewer requests, no cut phrase)."""
    packed: list[str] = []
    for phrase in phrases(text, limit):
        if packed and len(packed[-1]) + 1 + len(phrase) <= limit:
            packed[-1] = f"{packed[-1]} {phrase}"
        else:
            packed.append(phrase)
    return packed
