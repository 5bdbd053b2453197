"""What the tests of the spoken form compare: spoken_form's words, scored like the bench (punctuation and case do
not matter)."""

from __future__ import annotations

import re
from typing import Any

from flows.text import Lexicon, spoken_form


def plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def said(text: str, lexicon: Lexicon | None = None, **kw: Any) -> str:
    """spoken_form with `lexicon` (None: the built-in one) and `kw` (station, context ...), as plain words."""
    return plain(spoken_form(text, lexicon=lexicon, **kw))
