"""Document codes ("85/KH-UBND"), administrative abbreviations, and spelling unknown acronyms."""

from __future__ import annotations

import re

from flows.text.lexicon import Lexicon, word_start_ok
from flows.text.numbers import NumberWords
from flows.text.unicode import is_vietnamese_syllable

_UPPER = "A-ZĐĂÂÊÔƠƯ"
_PART = rf"[{_UPPER}][{_UPPER}a-zđ]*\d*"
# number, optional "/year", then "/" or "-" and code parts: 85/KH-UBND, 34-CT/TW, 91/2017/NĐ-CP, 01-KL/TW.
# The number may carry a thousands dot: "2.125/QĐ-UBND".
DOC_CODE = re.compile(
    rf"(?<![\w/.,-])(\d{{1,3}}(?:\.\d{{3}})+|\d{{1,5}})(?:/(\d{{4}}))?[/-]({_PART}(?:[-/&]{_PART})*)(?![\w/])"
)
_PART_SPLIT = re.compile(r"[-/&]")
_PART_DIGITS = re.compile(r"^(.*?)(\d*)$")

LETTER_NAMES = {
    "a": "a", "ă": "á", "â": "ớ", "b": "bê", "c": "xê", "d": "dê", "đ": "đê", "e": "e", "ê": "ê", "f": "ép",
    "g": "giê", "h": "hát", "i": "i", "j": "gi", "k": "ca", "l": "e lờ", "m": "em mờ", "n": "en nờ", "o": "o",
    "ô": "ô", "ơ": "ơ", "p": "pê", "q": "quy", "r": "e rờ", "s": "ét", "t": "tê", "u": "u", "ư": "ư", "v": "vê",
    "w": "vê kép", "x": "ích", "y": "i dài", "z": "dét",
}


def spell(letters: str) -> str:
    """Spell an acronym letter by letter the way a newsreader does: "HTX" → hát tê ích."""
    return " ".join(LETTER_NAMES.get(ch, ch) for ch in letters.lower())


def _code_part(part: str, lexicon: Lexicon, numbers: NumberWords) -> str:
    reading = lexicon.doc_codes.get(part) or lexicon.abbreviations.get(part)
    if reading:
        return reading
    letters, digits = _PART_DIGITS.match(part).groups()  # type: ignore[union-attr]
    head = lexicon.doc_codes.get(letters) or lexicon.abbreviations.get(letters) or spell(letters)
    return head + (" " + numbers.integer(digits) if digits else "")


def read_doc_codes(text: str, lexicon: Lexicon, numbers: NumberWords) -> str:
    """Read document codes: "85/KH-UBND" → tám mươi lăm kế hoạch ủy ban nhân dân ("/" and "-" are not read)."""
    if "/" not in text and "-" not in text:
        return text

    def replace(m: re.Match[str]) -> str:
        number, year, code = m.groups()
        parts = [numbers.integer(number.replace(".", ""))]
        if year:
            parts.append("năm " + numbers.integer(year))
        parts.extend(_code_part(p, lexicon, numbers) for p in _PART_SPLIT.split(code) if p)
        return " " + " ".join(parts) + " "

    return DOC_CODE.sub(replace, text)


_AFTER_CUE = re.compile(r"[\s(“\"'–-]+")


def expand_abbreviations(text: str, lexicon: Lexicon) -> str:
    """Replace known abbreviations (case-sensitive) and names/loanwords (any case) with their readings."""
    if lexicon.abbreviation_re is not None:
        def abbreviation(m: re.Match[str]) -> str:
            key = m.group(0)
            if not word_start_ok(m):
                return key
            entry = lexicon.context.get(key)
            if entry is not None:
                after = _AFTER_CUE.sub(" ", m.string[m.end():m.end() + 40]).lstrip().lower()
                before = m.string[max(0, m.start() - 40):m.start()].rstrip().lower()
                return " " + entry.choose(before, after) + " "
            return " " + lexicon.abbreviations[key] + " "

        text = lexicon.abbreviation_re.sub(abbreviation, text)
    if lexicon.words_re is not None:
        text = lexicon.words_re.sub(
            lambda m: " " + lexicon.words[m.group(0).lower()] + " " if word_start_ok(m) else m.group(0), text
        )
    return text


_ACRONYM = re.compile(rf"(?<![\w-])[{_UPPER}]{{2,}}(?![\w-])")


def spell_acronyms(text: str) -> str:
    """Spell all-capital tokens that are not Vietnamese syllables ("THPT"); "HỒ CHÍ MINH" stays as words."""
    def replace(m: re.Match[str]) -> str:
        token = m.group(0)
        return token if is_vietnamese_syllable(token) else spell(token)

    return _ACRONYM.sub(replace, text)


_DIGIT_LETTER = re.compile(r"(?<=\d)([A-ZĐ])(?!\w)")


def spell_letter_suffixes(text: str) -> str:
    """A capital letter glued to a number is spelled: "Quốc lộ 1B" → quốc lộ 1 bê, "lớp 12A" → 12 a."""
    return _DIGIT_LETTER.sub(lambda m: " " + spell(m.group(1)), text)
