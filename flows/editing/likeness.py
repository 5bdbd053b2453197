"""Near duplicates: one story rewritten by two units (a commune and the district's mass organisation both send the
same event with their own title and a sentence or two changed).

Word 3-shingles of the story's text, their Jaccard similarity, and a 64-value MinHash signature cut into 16 bands
of 4 for locality-sensitive lookup: two stories whose shingle sets have Jaccard similarity s share at least one
band with probability 1 - (1 - s^4)^16 (0.98 at s = 0.6, 0.65 at s = 0.4, 0.02 at s = 0.15). The store keeps the
bands, finds candidates by them, and the exact Jaccard of the shingles decides. Pure: no store, no I/O.

A small pure-Python MinHash rather than the `datasketch` package: datasketch brings numpy and scipy for what is 20
lines here, and a newsroom's tens of stories a day need no vectorised hashing.
"""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata
from collections.abc import Iterable

SHINGLE_WORDS = 3
PERMUTATIONS = 64
ROWS_PER_BAND = 4
# Same story rewritten: at least this share of shingles in common. Two different stories about one event (two
# communes' own meetings) stay well below it; see tests/editing/test_likeness.py for measured pairs.
NEAR_DUPLICATE = 0.5
# Too short to judge: a story of a few words shares shingles with anything.
MIN_SHINGLES = 12

_MERSENNE = (1 << 61) - 1
_rng = random.Random(20230608)  # fixed: signatures must be the same in every process and every year
_COEFFICIENTS = [(_rng.randrange(1, _MERSENNE), _rng.randrange(0, _MERSENNE)) for _ in range(PERMUTATIONS)]


def words(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFC", text).casefold())


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[int]:
    """64-bit hashes of every run of `size` words."""
    w = words(text)
    if len(w) < size:
        return {_hash(" ".join(w))} if w else set()
    return {_hash(" ".join(w[i:i + size])) for i in range(len(w) - size + 1)}


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def jaccard(a: set[int], b: set[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def signature(shingle_set: Iterable[int]) -> tuple[int, ...]:
    """MinHash signature: for each of the fixed hash functions, the smallest value over the shingles."""
    values = list(shingle_set)
    if not values:
        return ()
    return tuple(min((a * x + b) % _MERSENNE for x in values) for a, b in _COEFFICIENTS)


def bands(sig: tuple[int, ...]) -> list[tuple[int, str]]:
    """(band number, bucket) pairs: two signatures that agree on all rows of a band land in the same bucket."""
    out = []
    for band, start in enumerate(range(0, len(sig), ROWS_PER_BAND)):
        rows = ",".join(str(v) for v in sig[start:start + ROWS_PER_BAND])
        out.append((band, hashlib.blake2b(rows.encode(), digest_size=8).hexdigest()))
    return out


def story_text(title: str, body_text: str) -> str:
    return f"{title}\n{body_text}"


def likeness(a: str, b: str) -> float:
    """Jaccard similarity of two texts' shingles (0 to 1)."""
    return jaccard(shingles(a), shingles(b))


def comparable(text: str) -> bool:
    return len(shingles(text)) >= MIN_SHINGLES
