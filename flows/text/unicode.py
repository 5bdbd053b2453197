"""Unicode clean-up for Vietnamese text: NFC, look-alike letters, odd spaces, tone-mark placement."""

from __future__ import annotations

import re
import unicodedata

# Characters that render as nothing but break word matching, search and TTS.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"), None)
# Spaces that word processors and web pages insert; a TTS engine may read them as a pause or not at all.
_SPACES = dict.fromkeys(map(ord, "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
                                  "\u202f\u205f\u3000"), " ")
_LINES = {0x2028: "\n", 0x2029: "\n", 0x85: "\n"}
# Ð (U+00D0, Icelandic eth) and ð look exactly like Đ/đ and come from Windows fonts and OCR.
_LOOKALIKES = {0xD0: "Đ", 0xF0: "đ", 0x0189: "Đ"}
_CONTROL = {c: None for c in list(range(0x00, 0x09)) + [0x0B, 0x0C] + list(range(0x0E, 0x20)) + [0x7F]
            + list(range(0x80, 0x85)) + list(range(0x86, 0xA0))}

_TABLE: dict[int, str | None] = {}
for _part in (_CONTROL, _INVISIBLE, _SPACES, _LINES, _LOOKALIKES):
    _TABLE.update(_part)


def normalize_unicode(text: str) -> str:
    """Return display-safe Vietnamese text: NFC, Đ for its look-alikes, no invisible characters, plain spaces.

    Tone marks stay where the writer put them (both "hoà" and "hòa" are accepted spellings, and the portal shows
    what the newsroom wrote); :func:`traditional_tone_marks` re-places them for speech only.
    Run :func:`flows.text.fix_legacy` first on text that may be TCVN3 mojibake: its "ư" is a soft hyphen.
    """
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).translate(_TABLE))


def _move_tone(first: str, second: str) -> str:
    """Move the tone mark of ``second`` onto ``first``, keeping each letter's case."""
    decomposed = unicodedata.normalize("NFD", second)
    base, marks = decomposed[0], decomposed[1:]
    return unicodedata.normalize("NFC", first + marks) + base


def _tone_pairs() -> dict[str, str]:
    pairs = {}
    for first in "oO":
        for vowel in "àáảãạèéẻẽẹ":
            for second in (vowel, vowel.upper()):
                pairs[first + second] = _move_tone(first, second)
    for first in "uU":
        for vowel in "ỳýỷỹỵ":
            for second in (vowel, vowel.upper()):
                pairs[first + second] = _move_tone(first, second)
    return pairs


_TONE_PAIRS = _tone_pairs()
# Only open syllables differ between the styles: "hoà/hòa", "khoẻ/khỏe", "thuỷ/thủy"; "hoàn", "quý" do not.
_NEW_STYLE = re.compile("([oO][àáảãạèéẻẽẹÀÁẢÃẠÈÉẺẼẸ]|[uU][ỳýỷỹỵỲÝỶỸỴ])(?![^\\W\\d_])")


def traditional_tone_marks(text: str) -> str:
    """Put tone marks in the traditional place (hòa, khỏe, thủy, ủy) so every word has one spoken spelling."""
    if not _NEW_STYLE.search(text):
        return text

    def move(m: re.Match[str]) -> str:
        start = m.start()
        if start and m.string[start - 1] in "qQ":  # "quý", "quỳnh": the u belongs to the onset
            return m.group(1)
        return _TONE_PAIRS[m.group(1)]

    return _NEW_STYLE.sub(move, text)


def _digit_table() -> dict[int, str]:
    table = {}
    for code in range(0x80, 0x20000):
        value = unicodedata.digit(chr(code), None)
        if value is not None:
            table[code] = str(value)
    return table


# Every Unicode digit (Arabic-Indic, full-width, superscript "km²" ...) becomes an ASCII digit to be read.
DIGITS_TO_ASCII = _digit_table()

# PDF text layers of documents typed in old fonts give "ƣ" (U+01A3, "oi") for "ư": "ngƣời", "Nhà nƣớc". The written
# text keeps what the writer pasted (proofreading points at it); the voice reads the letter that was meant.
PDF_GLYPHS = {0x01A3: "ư", 0x01A2: "Ư"}
_SPEECH_TABLE = {**_TABLE, **DIGITS_TO_ASCII, **PDF_GLYPHS}


# str.translate looks every character up in the table: slow on long Vietnamese text, so look for work first.
_SPEECH_CHARS = frozenset(chr(code) for code in _SPEECH_TABLE)


def normalize_for_speech(text: str) -> str:
    """normalize_unicode plus every Unicode digit made ASCII, in one pass (spoken_form's first step)."""
    text = unicodedata.normalize("NFC", text)
    if _SPEECH_CHARS.isdisjoint(text):
        return text
    return unicodedata.normalize("NFC", text.translate(_SPEECH_TABLE))


_TONED = "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
_VOWELS = "aăâeêioôơuưy" + _TONED
_TONE_CHARS = frozenset(_TONED)
_SYLLABLE_PARTS = re.compile(
    r"(ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnprstvx])?"
    rf"([{_VOWELS}]{{1,3}})"
    r"(ch|nh|ng|[cmnpt])?"
)
_UNTONE = {
    ord(ch): unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", ch)
                                                  if c not in "\u0300\u0301\u0303\u0309\u0323"))
    for ch in _TONED
}
# Vowel nuclei that exist in Vietnamese (tones removed); mojibake makes clusters like "oo", "aư", "ieo".
_NUCLEI = frozenset(
    "a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi ua uâ uê ui uô uơ ươ ưa ưi ưu uy "
    "yê iêu oai oao oay oeo uây uôi ươi ươu uya uyê yêu uyu".split()
)


def is_vietnamese_syllable(word: str) -> bool:
    """True when ``word`` has the shape of one Vietnamese syllable (onset, vowels, coda, at most one tone)."""
    lower = word.lower()
    m = _SYLLABLE_PARTS.fullmatch(lower)
    if not m or sum(ch in _TONE_CHARS for ch in lower) > 1:
        return False
    nucleus = m.group(2).translate(_UNTONE)
    if m.group(1) in ("qu", "gi") and nucleus not in _NUCLEI:
        return True
    return nucleus in _NUCLEI
