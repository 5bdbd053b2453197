"""Who contributed a story and what kind of story it is: the rules normalise applies (pure, no I/O).

The year-end report counts stories by their unit and kind, so both are decided once, at normalise, and kept
as columns. A contributor's own word wins (a feed's <category domain="kind">, an inbox file's `kind:`);
otherwise the words of the title, then of the text, decide.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from flows.models import STORY_KINDS, ProofWarning, Source, Unit

# What contributors write for a kind, folded (lower case, no diacritics): the report's four kinds.
KIND_NAMES = {
    "news": "news", "tin": "news", "tin tuc": "news",
    "model": "model", "mo hinh": "model", "mo hinh tieu bieu": "model",
    "practice": "practice", "cach lam hay": "practice",
    "example": "example", "guong": "example", "guong dien hinh": "example",
    "guong dien hinh tien tien": "example", "dien hinh tien tien": "example",
    "emergency": "emergency", "khan cap": "emergency", "thong bao khan": "emergency",
}

# Phrases that make a story an advanced example, a good practice or an exemplary model, strongest first.
EXAMPLE_PHRASES = ("guong dien hinh", "dien hinh tien tien", "bieu duong dien hinh", "guong sang", "tam guong",
                   "neu guong", "guong nguoi tot")
PRACTICE_PHRASES = ("cach lam hay", "sang kien", "cach lam sang tao")
MODEL_PHRASES = ("mo hinh",)
MODEL_MENTIONS_IN_TEXT = 2  # "mô hình" is a common word: the text must come back to it


def fold(text: str) -> str:
    """'Mô hình “Dân vận khéo”' -> 'mo hinh dan van kheo': how names and phrases are compared."""
    text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def _has(text: str, phrases: Sequence[str]) -> int:
    return sum(len(re.findall(rf"\b{re.escape(p)}\b", text)) for p in phrases)


def given_kind(value: str) -> str | None:
    """A kind as a contributor wrote it, as the report's id; None when it is not one."""
    return KIND_NAMES.get(fold(value)) if value.strip() else None


def kind_by_words(title: str, text: str) -> str:
    """The kind the title names, else the kind the text speaks of, else news."""
    head = fold(title)
    for kind, phrases in (("example", EXAMPLE_PHRASES), ("practice", PRACTICE_PHRASES), ("model", MODEL_PHRASES)):
        if _has(head, phrases):
            return kind
    body = fold(text)
    if _has(body, EXAMPLE_PHRASES):
        return "example"
    if _has(body, PRACTICE_PHRASES):
        return "practice"
    if _has(body, MODEL_PHRASES) >= MODEL_MENTIONS_IN_TEXT:
        return "model"
    return "news"


def story_kind(given: str, title: str, text: str) -> tuple[str, ProofWarning | None]:
    """The story's kind: the contributor's own when it is one of the report's kinds, else by its words.

    `given` is what the store holds from gathering ("news" when the contributor said nothing).
    """
    kind = given_kind(given)
    if kind is not None and kind != "news":
        return kind, None
    warning = None
    if given.strip() and kind is None:
        names = ", ".join(f"{k} ({v})" for k, v in STORY_KINDS.items() if k != "emergency")
        warning = ProofWarning("unknown-kind", f"Loại bài “{given}” không có; dùng một trong: {names}.", given)
    return kind_by_words(title, text), warning


def unit_by_name(author: str, units: Sequence[Unit]) -> Unit | None:
    """The unit whose name or one of whose aliases is the author's name (compared folded)."""
    wanted = fold(author)
    if not wanted:
        return None
    for unit in units:
        if wanted in {fold(unit.name), *(fold(a) for a in unit.aliases)}:
            return unit
    return None


def story_unit(given: str, author: str, source: Source | None,
               units: Sequence[Unit]) -> tuple[str, ProofWarning | None]:
    """The contributing unit: the one the story names (by id or name), else the one its author is, else its source's
    ("" if none)."""
    known = {u.id for u in units}
    warning = None
    if given:
        if given in known:
            return given, None
        named = unit_by_name(given, units)  # front matter may give the unit's name rather than its id
        if named is not None:
            return named.id, None
        warning = ProofWarning("unknown-unit", f"Đơn vị “{given}” không có trong units.toml; bài được tính cho "
                                               "đơn vị của nguồn tin hoặc của tác giả.", given)
    by_name = unit_by_name(author, units)
    if by_name is not None:
        return by_name.id, warning
    if source is not None and source.unit in known:
        return source.unit, warning
    return "", warning
