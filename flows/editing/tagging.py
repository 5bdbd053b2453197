"""Movement and commune tags, found in a story's text."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from flows.models import Commune, Movement


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def _phrase(phrase: str) -> re.Pattern[str]:
    # Whole words only: "NTM" must not match inside another word.
    return re.compile(r"(?<!\w)" + re.escape(_fold(phrase)) + r"(?!\w)")


def tag_movements(text: str, movements: Iterable[Movement], given: Iterable[str] = ()) -> list[str]:
    """Movement ids named by the contributor plus those whose keywords appear in the text."""
    folded = _fold(text)
    known = {m.id for m in movements}
    tags = [m for m in given if m in known]
    for movement in movements:
        if movement.id in tags:
            continue
        if any(_phrase(k).search(folded) for k in (movement.name, *movement.keywords)):
            tags.append(movement.id)
    return tags


def tag_communes(text: str, communes: Iterable[Commune]) -> list[str]:
    """Communes the story mentions by name ("xã Thần Sa", "thị trấn Đình Cả")."""
    folded = _fold(text)
    found = []
    for commune in communes:
        names = [f"{commune.kind} {commune.name}", f"xã {commune.name}", f"thị trấn {commune.name}"]
        if any(_phrase(n).search(folded) for n in names):
            found.append(commune.id)
    return found


def unknown_movements(given: Iterable[str], movements: Iterable[Movement]) -> list[str]:
    known = {m.id for m in movements}
    return [g for g in given if g not in known]
