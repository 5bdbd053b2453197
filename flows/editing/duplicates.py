"""Finding the story a newly normalised one repeats, exactly or nearly, over the store's MinHash bands.

The store is passed in (Store's GatheringQueries: band_neighbours, save_bands, credit); nothing here opens it.
The normalise step calls `find_near_duplicate` when no exact duplicate (same fingerprint) was found, then
`remember` once the story is saved: a story that stands gets its bands stored (so later copies find it), a copy
credits its source on the story it repeats.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from flows.editing.likeness import NEAR_DUPLICATE, bands, comparable, likeness, shingles, signature, story_text


class _Store(Protocol):
    def band_neighbours(self, bands: Any, excluding: int) -> list[Any]: ...
    def save_bands(self, story_id: int, bands: Any) -> None: ...
    def credit(self, story_id: int, copy_id: int, source_id: str, kind: str, similarity: float) -> None: ...


@dataclass(frozen=True)
class Match:
    original_id: int
    kind: str  # "exact" or "near"
    similarity: float


def story_bands(title: str, body_text: str) -> list[tuple[int, str]]:
    text = story_text(title, body_text)
    return bands(signature(shingles(text))) if comparable(text) else []


def find_near_duplicate(store: _Store, story_id: int, title: str, body_text: str,
                        threshold: float = NEAR_DUPLICATE) -> Match | None:
    """The earliest standing story this one nearly repeats, or None."""
    text = story_text(title, body_text)
    if not comparable(text):
        return None
    best: Match | None = None
    for candidate in store.band_neighbours(story_bands(title, body_text), excluding=story_id):
        if candidate.id >= story_id:
            continue  # the first copy wins, as with exact duplicates
        score = likeness(text, story_text(candidate.title, candidate.body_text or ""))
        if score >= threshold and (best is None or score > best.similarity):
            best = Match(candidate.id, "near", score)
    return best


def remember(store: _Store, story_id: int, source_id: str, title: str, body_text: str,
             match: Match | None) -> None:
    """After saving: bands for a story that stands, a credit on the original for a copy."""
    if match is None:
        store.save_bands(story_id, story_bands(title, body_text))
    else:
        store.credit(match.original_id, story_id, source_id, match.kind, match.similarity)
