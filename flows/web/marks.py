"""Proofreading warnings shown at their place in a story's text (pure: text in, escaped HTML out)."""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Sequence

from markupsafe import Markup

from flows.models import ProofWarning


def marked(text: str, warnings: Sequence[ProofWarning]) -> tuple[Markup, list[ProofWarning]]:
    """The text escaped for a page, each warning's words wrapped in <mark> with the warning as its title, and
    the warnings whose words were not found in the text (shown in the list only).

    Overlapping places keep the first warning; every occurrence of the words is marked, since the editor
    must look at each of them."""
    text = unicodedata.normalize("NFC", text or "")
    spans: list[tuple[int, int, int]] = []  # start, end, warning number
    unplaced: list[ProofWarning] = []
    for number, warning in enumerate(warnings):
        words = unicodedata.normalize("NFC", warning.excerpt or "").strip()
        found = False
        start = text.find(words) if words else -1
        while start >= 0:
            end = start + len(words)
            if all(end <= s or start >= e for s, e, _ in spans):
                spans.append((start, end, number))
            found = True
            start = text.find(words, end)
        if not found:
            unplaced.append(warning)
    spans.sort()
    out, at = [], 0
    for start, end, number in spans:
        warning = warnings[number]
        out.append(html.escape(text[at:start]))
        out.append(f'<mark class="warn" id="canh-bao-{number + 1}" title="{html.escape(warning.message)}">'
                   f"{html.escape(text[start:end])}<sup>{number + 1}</sup></mark>")
        at = end
    out.append(html.escape(text[at:]))
    return Markup("".join(out)), unplaced
