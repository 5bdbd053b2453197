"""spoken_form: written Vietnamese → what a northern radio newsreader says, ready for any TTS engine."""

from __future__ import annotations

import re
import unicodedata

from flows.text.abbreviations import expand_abbreviations, read_doc_codes, spell_acronyms, spell_letter_suffixes
from flows.text.dates import prev_word, read_dates, read_phones, read_times
from flows.text.legacy import fix_legacy
from flows.text.lexicon import Lexicon
from flows.text.numbers import NumberWords, number_words, read_digits
from flows.text.roman import parse_roman
from flows.text.unicode import DIGITS_TO_ASCII, normalize_for_speech, normalize_unicode, traditional_tone_marks

# Words after which a Roman numeral is a number: khóa XIV, lần thứ XIII, Đại hội XX, mức độ I, quý II.
_ROMAN_CUES = frozenset(
    "khóa khoá thứ hội độ kỷ kỉ quý hạng khu chương phần đoạn đợt kỳ kì loại cấp vùng nhóm tập điểm".split()
)
_ROMAN = re.compile(r"(?<![\w-])([IVXL]+)(?:/(\d{4}))?(?![\w-])")
_RANK = {1: "nhất", 2: "nhì", 3: "ba", 4: "tư"}  # hạng Nhất, giải Nhì
_ORDINAL = re.compile(r"(?<!\w)([Tt]hứ|THỨ)\s+0*(\d{1,3})(?![\w.,/:]|[.,]\d)")
_RANKED = re.compile(r"(?<!\w)([Hh]ạng|[Gg]iải|HẠNG|GIẢI)\s+0*([1-4])(?![\w.,/:]|[.,]\d)")

_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+|\d+(?:\.\d+)*"
_RANGE = re.compile(rf"(?<![\w.,])({_NUM})\s*[-–—]\s*({_NUM})(?![\w]|[.,]\d)")
_NUMBER = re.compile(_NUM)
_MINUS = re.compile(r"−\s*(?=\d)")
_SLASH_WORDS = re.compile(r"(?:(?<=[^\W\d_])|(?<=m2)|(?<=m3))\s*/\s*(?=[^\W\d_])")

_APOSTROPHE = re.compile(r"(?<=\w)['‘’](?=\w)")
# Brackets are pauses for the listener; quotes are not read.
_MARKS = str.maketrans({**dict.fromkeys("()[]{}", ", "), **dict.fromkeys("\"“”„«»‹›`´'‘’", " ")})
_SPACED_DASH = re.compile(r"(?:^|\s)[-–—]+(?=\s|$)|\s[-–—]+|[-–—]+\s")
_ELLIPSIS = re.compile(r"\.{2,}|…")
_OTHER = re.compile(r"[^\w\s.,;:?!]|_")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+(?=[.,;:?!])")
_PUNCT_RUN = re.compile(r"[.,;:?!]{2,}")
_NO_SPACE_AFTER = re.compile(r"([.,;:?!])(?=[^\s.,;:?!])")
_SPACES = re.compile(r"[ \t]+")
_LINE_SPACES = re.compile(r" *\n[\n ]*")
_LEADING_PUNCT = re.compile(r"(?m)^[ ,;:.]+")
_DIGIT = re.compile(r"[0-9]+")
_HAS_DIGIT = re.compile(r"[0-9]")
_PRIORITY = {"?": 5, "!": 4, ".": 3, ";": 2, ":": 1, ",": 0}


def _symbols_before_numbers(text: str) -> str:
    if "−" in text:
        text = _MINUS.sub(" âm ", text)
    if "/" in text:
        def slash(m: re.Match[str]) -> str:
            left = prev_word(m.string, m.start() + 1)
            nxt = m.string[m.end():m.end() + 5].lower()
            if left == "và" and nxt.startswith("hoặc"):
                return " "
            return " trên " if m.string[m.end()].islower() else " "

        text = _SLASH_WORDS.sub(slash, text)
    return text


_UNIT_AFTER = ("nghìn", "ngàn", "triệu", "tỷ", "trăm", "chục", "trên")


def _units(text: str, lexicon: Lexicon) -> str:
    """Read units that follow a number or a number word: "15.000ha", "5,5 tấn trên ha", "41,8 nghìn ha"."""
    if lexicon.unit_re is None:
        return text

    def unit(m: re.Match[str]) -> str:
        before = m.string[max(0, m.start() - 7):m.start()]
        if before[-1:].isdigit() or (before.endswith(" ") and (before[-2:-1].isdigit()
                                                                 or before[:-1].endswith(_UNIT_AFTER))):
            if before[-1:].isalpha():
                return m.group(0)
            return " " + lexicon.units[m.group(1)] + " "
        return m.group(0)

    return lexicon.unit_re.sub(unit, text)


def _romans(text: str, nw: NumberWords) -> str:
    def replace(m: re.Match[str]) -> str:
        value = parse_roman(m.group(1))
        cue = prev_word(m.string, m.start())
        if value is None or cue not in _ROMAN_CUES:
            return m.group(0)
        if cue == "thứ":
            words = nw.ordinal(value)
        elif cue == "hạng":
            words = _RANK.get(value) or nw.cardinal(value)
        else:
            words = nw.cardinal(value)
        if m.group(2):
            words += " năm " + nw.integer(m.group(2))
        return " " + words + " "

    return _ROMAN.sub(replace, text) if _ROMAN.search(text) else text


def _ordinals(text: str, nw: NumberWords) -> str:
    text = _ORDINAL.sub(lambda m: f"{m.group(1)} {nw.ordinal(int(m.group(2)))}", text)
    return _RANKED.sub(lambda m: f"{m.group(1)} {_RANK[int(m.group(2))]}", text)


def _value(token: str) -> float:
    if "," in token:
        whole, _, fraction = token.partition(",")
        return float(whole.replace(".", "") + "." + fraction)
    groups = token.split(".")
    if len(groups) > 1 and all(len(g) == 3 for g in groups[1:]):
        return float("".join(groups))
    return float(groups[0])


def _numbers(text: str, nw: NumberWords) -> str:
    def number_range(m: re.Match[str]) -> str:
        a, b = m.groups()
        joiner = " đến " if _value(a) < _value(b) else " "
        return " " + nw.number(a) + joiner + nw.number(b) + " "

    text = _RANGE.sub(number_range, text)
    return _NUMBER.sub(lambda m: " " + nw.number(m.group(0)) + " ", text)


def _punctuation(m: re.Match[str]) -> str:
    return max(m.group(0), key=_PRIORITY.__getitem__)


def _tidy(text: str) -> str:
    if "'" in text or "’" in text or "‘" in text:
        text = _APOSTROPHE.sub("", text)
    if ".." in text or "…" in text:
        text = _ELLIPSIS.sub(", ", text)
    text = text.translate(_MARKS)
    if "-" in text or "–" in text or "—" in text:
        text = _SPACED_DASH.sub(", ", text)
    text = _OTHER.sub(" ", text)
    text = _SPACE_BEFORE_PUNCT.sub("", text)
    text = _PUNCT_RUN.sub(_punctuation, text)
    text = _NO_SPACE_AFTER.sub(r"\1 ", text)
    text = _SPACES.sub(" ", text)
    if "\n" in text:
        text = _LINE_SPACES.sub("\n", text)
    text = _LEADING_PUNCT.sub("", text)
    return text.strip()


def _spoken(text: str, dialect: str, lexicon: Lexicon | None, station: str | None) -> str:
    lex = (lexicon or Lexicon.default()).for_station(station)
    nw = number_words(dialect)
    text, _ = fix_legacy(text)
    text = normalize_for_speech(text)
    text = traditional_tone_marks(text)
    has_digit = _HAS_DIGIT.search(text) is not None
    if has_digit:
        text = read_doc_codes(text, lex, nw)
    text = expand_abbreviations(text, lex)
    if has_digit:
        text = read_phones(text, nw)
        text = read_times(text, nw)
        text = read_dates(text, nw)
    text = _symbols_before_numbers(text)
    if has_digit or " trên " in text:
        text = _units(text, lex)
    text = _romans(text, nw)
    if has_digit:
        text = spell_letter_suffixes(text)
        text = _ordinals(text, nw)
        text = _numbers(text, nw)
    text = spell_acronyms(text)
    text = _tidy(text.lower())
    if dialect == "south":
        text = text.replace("nghìn", "ngàn")
    # Last guard: whatever slipped through is still read, never passed to the TTS engine as a digit.
    text = _DIGIT.sub(lambda m: " " + read_digits(m.group(0)) + " ", text)
    return unicodedata.normalize("NFC", _SPACES.sub(" ", text).strip())


def _fallback(text: object) -> str:
    safe = normalize_unicode(str(text)).translate(DIGITS_TO_ASCII).lower()
    return _SPACES.sub(" ", _DIGIT.sub(lambda m: " " + read_digits(m.group(0)) + " ", safe)).strip()


def spoken_form(
    text: str, dialect: str = "north", lexicon: Lexicon | None = None, station: str | None = None
) -> str:
    """Return what a radio newsreader says for ``text``: words only, sentence punctuation kept, NFC, no digits.

    ``dialect`` is "north" (nghìn, linh; the default) or "south" (ngàn, lẻ). ``lexicon`` defaults to the built-in
    one; ``station`` applies that station's overrides from the lexicon. Never raises.
    """
    try:
        return _spoken(text if isinstance(text, str) else str(text), dialect, lexicon, station)
    except Exception:  # a bulletin must still be read: degrade to a plain reading rather than fail the story
        try:
            return _fallback(text)
        except Exception:
            return ""
