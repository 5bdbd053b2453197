"""Roman numerals: parsed only when the caller has decided the context makes them numbers."""

from __future__ import annotations

import re

# Only I, V, X, L: "C", "D" and "M" are far more often letters (khu C, loại D) than 100, 500, 1000.
ROMAN_TOKEN = re.compile(r"^(?:XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")
_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}


def parse_roman(token: str) -> int | None:
    """Return the value of a well-formed Roman numeral made of I, V, X, L (up to 89), else None."""
    if not token or not ROMAN_TOKEN.match(token):
        return None
    total = 0
    for i, ch in enumerate(token):
        value = _VALUES[ch]
        if i + 1 < len(token) and _VALUES[token[i + 1]] > value:
            total -= value
        else:
            total += value
    return total or None
