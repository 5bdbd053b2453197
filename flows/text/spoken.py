"""spoken_form: written Vietnamese → what a northern radio newsreader says, ready for any TTS engine."""

from __future__ import annotations

import logging
import re
from functools import lru_cache
import unicodedata
from dataclasses import dataclass

from flows.text.abbreviations import (
    apply_definitions,
    defined_abbreviations,
    expand_abbreviations,
    read_doc_codes,
    read_initials,
    spell,
    spell_acronyms,
    spell_letter_suffixes,
)
from flows.text.dates import prev_word, read_dates, read_phones, read_times
from flows.text.legacy import fix_legacy
from flows.text.domains import read_domains
from flows.text.lexicon import Lexicon
from flows.text.numbers import NumberWords, number_words, read_digits
from flows.text.plates import read_central, read_deputies, read_plates, read_service_numbers
from flows.text.proofread import ProofWarning
from flows.text.roman import parse_roman
from flows.text.unicode import DIGITS_TO_ASCII, normalize_for_speech, normalize_unicode, traditional_tone_marks

# Words after which a Roman numeral is a number: khóa XIV, lần thứ XIII, Đại hội XX, mức độ I, quý II.
_ROMAN_CUES = frozenset(
    "khóa khoá thứ hội độ kỷ kỉ quý hạng khu chương phần đoạn đợt kỳ kì loại cấp vùng nhóm tập điểm vực lần mục".split()
)
_LOG = logging.getLogger("bantin.text.spoken")
# Headings and list marks at the start of a line: "I. TỔNG QUAN", "IV.", "b) Cung cấp", "A. NHIỆM VỤ".
_HEADING = re.compile(r"(?m)^([ \t]*)(?:([IVXL]+)|([a-zđ])|([A-ZĐ]))([.)])(?=[ \t])")
# "Km76+900" = ki lô mét bảy mươi sáu cộng chín trăm; "Km65 - Km71" is a stretch of road, read "đến".
_KM = re.compile(
    r"(?<![\w+])(?:(?:Km|KM)\s?(\d{1,4})(?:\s?\+\s?(\d{1,4}))?|km\s?(\d{1,4})\s?\+\s?(\d{1,4}))(?!\w|[.,]\d)"
)
_KM_RANGE = re.compile(r"(ki lô mét [^,;()]{1,60}?)\s*[-–—]\s*(?=ki lô mét )")
# Road numbers glued to their kind: "QL1A", "QL.279D", "ĐT265", "ĐH5", "TL10".
_ROAD = re.compile(r"(?<![\w.])(QL|ĐT|ĐH|TL)\.?(?=\d{1,4}[A-Z]?(?![\w]))")
_ROADS = {"QL": "quốc lộ", "ĐT": "đường tỉnh", "ĐH": "đường huyện", "TL": "tỉnh lộ"}
# "H.Châu Phú", "H.Mù Cang Chải": a district glued to its name.
_DISTRICT = re.compile(r"(?<![\w.])H\.(?=[A-ZĐ][a-zà-ỹ])")
# "TP - Ngày 23/6", "(CAO) Theo dự báo": the outlet's tag that opens a copied story is spelled, never read as a word
# ("cao") or an abbreviation ("thành phố"): a newsreader who reads it at all says its letters.
_OUTLET_TAG = re.compile(r"^\s*(?:\(([A-ZĐ]{2,8})\)(?=\s)|([A-ZĐ]{2,6})(?=\s+[-–]\s+\S))")
# "bão YAGI", "siêu bão KONG-REY": a storm's international name is a word, read as written, never spelled.
_STORM_NAME = re.compile(r"(?<=[Bb]ão )[A-Z]{3,}(?:-[A-Z]{2,})?(?![\w-])|(?<=[Bb]ão số )(\d{1,2} \()([A-Z]{3,}(?:-[A-Z]{2,})?)(?=\))")
# "[21]" after a word is a citation mark of a copied report: not read.
_CITATION = re.compile(r"(?<=[^\W\d_])\s*\[\d{1,3}\]")
_WORD_DASH_DIGIT = re.compile(r"(?<=[A-Za-z])[–—](?=\d)")
_DEGREE_C = re.compile(r"(?<=\d)\s?độ\s?C(?![\w])")
_FIRST_WORD = re.compile(r"[^\W\d_]+")
# "GMT+7", "(GMT +7)": a plus before a number is said ("+84" phone numbers are read before this).
_PLUS = re.compile(r"\+\s?(?=\d)")
# "T3, 2018-01-09": a weekday abbreviated before a date.
_WEEKDAY = re.compile(r"(?<![\w.])T([2-7])(?=,?\s+\d{1,4}[-/.]\d)")
_WEEKDAYS = {"2": "thứ hai", "3": "thứ ba", "4": "thứ tư", "5": "thứ năm", "6": "thứ sáu", "7": "thứ bảy"}
# "15.530 ha/22.366 ha", "1.000 đồng/1 triệu": a unit or money over a number reads "trên".
_SLASH_NUMBER = re.compile(r"(?<=[^\W\d_])\s*/\s*(?=\d)")
_SLASH_PER_TIME = re.compile(r"(?<=[^\W\d_])\s*/\s*(?=\d{1,3}\s*(?:giờ|h|ngày|tháng|năm)(?!\w))")
_ROMAN = re.compile(r"([IVXL](?<![\w-][IVXL])[IVXL]*)(?:/(\d{4}))?(?![\w-])")
_RANK = {1: "nhất", 2: "nhì", 3: "ba", 4: "tư"}  # hạng Nhất, giải Nhì
# A mark after the number ends it ("lần thứ 4, nhiệm kỳ"); a digit after one is a decimal or a time.
_ORDINAL = re.compile(r"(?<!\w)([Tt]hứ|THỨ)\s+0*(\d{1,3})(?![\w/]|[.,:]\d)")
_RANKED = re.compile(r"(?<!\w)([Hh]ạng|[Gg]iải|HẠNG|GIẢI)\s+0*([1-4])(?![\w/]|[.,:]\d)")

_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+|\d+(?:\.\d+)*"
_RANGE = re.compile(rf"(?<![\w.,])({_NUM})\s*[-–—]\s*({_NUM})(?![\w]|[.,]\d)")
_NUMBER = re.compile(_NUM)
_MAGNITUDE = re.compile(r"\s*(?:nghìn|ngàn|triệu|tỷ|tỉ)(?!\w)")
_RANGE_HINT = re.compile(r"\d\s*[-–—]\s*\d")
_MINUS = re.compile(r"−\s*(?=\d)")
# What a quantity is counted per ("tấn/năm", "2 buổi/ngày", "đồng/người"), and words that are quantities themselves.
_PER = frozenset("năm tháng ngày giờ tuần quý phút người hộ lượt buổi ca suất con khẩu lít tấn tạ".split())
_QUANTITIES = frozenset("đồng nghìn ngàn triệu tỷ tỉ tấn tạ lít chiếc con".split())
# "2,5x3cm", "60 x 120": a size is read "nhân".
_TOKEN = re.compile(r"\w+")
_TIMES_SIGN = re.compile(r"(?<=\d)\s?[x×]\s?(?=\d)")
# "36C.148.xx", "36R2-37xx": the masked digits of a number plate are letters, "ích ích".
_PLATE_MASK = re.compile(r"(?<=[\d.-])xx(?![\w])")
_SLASH_WORDS = re.compile(r"(?:(?<=[^\W\d_])|(?<=m2)|(?<=m3))\s*/\s*(?=[^\W\d_])")

_APOSTROPHE = re.compile(r"(?<=\w)['‘’](?=\w)")
# Brackets are pauses for the listener; quotes are not read.
_BRACKETS = re.compile(r"[()\[\]{}]")
_DASHES = re.compile(r"[-–—]+")
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


def _symbols_before_numbers(text: str, lexicon: Lexicon) -> str:
    if "−" in text:
        text = _MINUS.sub(" âm ", text)
    if "/" in text:
        def slash(m: re.Match[str]) -> str:
            left = prev_word(m.string, m.start() + 1)
            nxt = m.string[m.end():m.end() + 5].lower()
            right = _FIRST_WORD.match(m.string, m.end())
            if right and f"{left}/{right.group(0)}" in lexicon.units:  # "km/h" is one unit
                return "/"
            if left == "và" and nxt.startswith("hoặc"):
                return " "
            if not m.string[m.end()].islower():
                return " "
            # "tấn/năm", "đồng/người", "tạ/ha": a quantity per something reads "trên"; between two ordinary words
            # ("hoàn thành nhiệm vụ/đạt chuẩn") the slash is an "or" the newsreader passes over.
            word = right.group(0).lower() if right else ""
            token = _TOKEN.match(m.string, m.end())
            whole = token.group(0) if token else word  # "người/km2": the unit with its power
            if (word in _PER or word in lexicon.units or whole in lexicon.units or left in lexicon.units
                    or left in _QUANTITIES or any(v.startswith(word + " ") for v in lexicon.units.values())):
                # (the last: a unit the lexicon already read, "người/km2" → "người/ki lô mét vuông")
                return " trên "
            return " "

        text = _SLASH_WORDS.sub(slash, text)
        text = _SLASH_PER_TIME.sub(" trên ", text)  # "30 mm/24 giờ"
        text = _SLASH_NUMBER.sub(
            lambda m: " trên " if prev_word(m.string, m.start() + 1) in lexicon.units or
            prev_word(m.string, m.start() + 1) == "đồng" else m.group(0), text)
    return text




def _headings(text: str, nw: NumberWords) -> str:
    def heading(m: re.Match[str]) -> str:
        indent, roman, small, capital, mark = m.groups()
        if roman:
            value = parse_roman(roman)
            if value is not None:
                return f"{indent}{nw.cardinal(value)}."
        letter = small or capital or roman
        return f"{indent}{spell(letter)}."

    return _HEADING.sub(heading, text)


def _km_and_roads(text: str, nw: NumberWords) -> str:
    if "Km" in text or "KM" in text or "km" in text:
        def km(m: re.Match[str]) -> str:
            kilometre, metre = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            words = "ki lô mét " + nw.integer(kilometre)
            if metre is not None:
                words += " cộng " + nw.integer(metre)
            return " " + words + " "

        text = _KM.sub(km, text)
        if "ki lô mét" in text:
            text = _KM_RANGE.sub(r"\1 đến ", text)
    if "QL" in text or "ĐT" in text or "ĐH" in text or "TL" in text:
        text = _ROAD.sub(lambda m: _ROADS[m.group(1)] + " ", text)
    return text


def _units(text: str, lexicon: Lexicon) -> str:
    """Read units that follow a number or a number word: "15.000ha", "5,5 tấn trên ha", "41,8 nghìn ha"."""
    if "độ" in text:
        text = _DEGREE_C.sub(" độ xê", text)
    if lexicon.unit_re is None or lexicon.unit_range_re is None:
        return text
    if "-" in text or "–" in text or "—" in text:
        text = lexicon.unit_range_re.sub(r"\1\2 đến ", text)  # "15cm-30cm", "45kg - 50kg": a range

    return lexicon.unit_re.sub(lambda m: m.group(1) + " " + lexicon.units[m.group(2)] + " ", text)


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
    if "hứ" in text or "HỨ" in text:
        text = _ORDINAL.sub(lambda m: f"{m.group(1)} {nw.ordinal(int(m.group(2)))}", text)
    if "ạng" in text or "iải" in text or "ẠNG" in text or "IẢI" in text:
        text = _RANKED.sub(lambda m: f"{m.group(1)} {_RANK[int(m.group(2))]}", text)
    return text


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
        # "500.000 - 1 triệu đồng": the upper end is bigger once its "triệu" is counted.
        bigger = _value(a) < _value(b) or _MAGNITUDE.match(m.string, m.end()) is not None
        joiner = " đến " if bigger else " "
        return " " + nw.number(a) + joiner + nw.number(b) + " "

    if _RANGE_HINT.search(text):
        text = _RANGE.sub(number_range, text)
    return _NUMBER.sub(lambda m: " " + _number_reading(nw, m.group(0)) + " ", text)


@lru_cache(maxsize=4096)
def _number_reading(nw: NumberWords, token: str) -> str:
    # Years, counts and percentages repeat across stories: the words of a written number are kept.
    return nw.number(token)


def _punctuation(m: re.Match[str]) -> str:
    return max(m.group(0), key=_PRIORITY.__getitem__)


def _single_spaces(text: str) -> str:
    """Collapse runs of spaces and blank lines; a line break stays a line break (a pause in the bulletin)."""
    if "\n" not in text:
        return " ".join(text.split())
    return "\n".join(" ".join(line.split()) for line in text.split("\n") if line.strip())


def _dash(m: re.Match[str]) -> str:
    # A dash with a space on either side is a pause ("kinh tế - xã hội"); inside a word it is a hyphen.
    string, start, end = m.string, m.start(), m.end()
    spaced = start == 0 or end == len(string) or string[start - 1].isspace() or string[end].isspace()
    return ", " if spaced else " "


def _tidy(text: str) -> str:
    if ".." in text or "…" in text:
        text = _ELLIPSIS.sub(", ", text)
    if "(" in text or ")" in text or "[" in text or "]" in text or "{" in text or "}" in text:
        text = _BRACKETS.sub(", ", text)
    if "-" in text or "–" in text or "—" in text:
        text = _DASHES.sub(_dash, text)
    text = _OTHER.sub(" ", text)  # quotes and other marks are not read
    text = _single_spaces(text)
    marks = [mark for mark in ".,;:?!" if mark in text]
    for mark in marks:
        text = text.replace(" " + mark, mark)
    if len(marks) > 1 or any(mark * 2 in text for mark in marks):
        text = _PUNCT_RUN.sub(_punctuation, text)  # ", ." after a bracket: one mark, the strongest
    for mark in marks:
        text = text.replace(mark, mark + " ")
    text = _single_spaces(text)
    return _LEADING_PUNCT.sub("", text).strip()


def _spoken(text: str, dialect: str, lexicon: Lexicon | None, station: str | None, context: str = "") -> str:
    lex = (lexicon or Lexicon.default()).for_station(station)
    nw = number_words(dialect)
    text, _ = fix_legacy(text)
    text = normalize_for_speech(text)
    text = traditional_tone_marks(text)
    if "'" in text or "’" in text or "‘" in text:
        text = _APOSTROPHE.sub("", text)  # "Đắk R’lấp" is one word, before letters are spelled
    if text[:1] == "(" or " - " in text[:12] or " – " in text[:12]:
        text = _OUTLET_TAG.sub(lambda m: f"({spell(m.group(1))})" if m.group(1) else spell(m.group(2)), text, count=1)
    if "ão " in text:
        # "bão YAGI", and "bão số 3 (YAGI)" where the name follows the storm's number in brackets
        text = _STORM_NAME.sub(lambda m: (m.group(1) or "") + (m.group(2) or m.group(0)).lower().replace("-", " "), text)
    # The story's own definitions, from this text and from what came before it in the story ("context").
    defined = defined_abbreviations(f"{context}\n{text}" if context else text)
    if defined:
        text = apply_definitions(text, defined)
    text = _headings(text, nw)
    if "H." in text:
        text = _DISTRICT.sub("huyện ", text)
    text = read_deputies(text)
    text = read_central(text)
    text = read_initials(text, lex)
    has_digit = _HAS_DIGIT.search(text) is not None
    if has_digit:
        if "[" in text:
            text = _CITATION.sub("", text)
        if "–" in text or "—" in text:
            text = _WORD_DASH_DIGIT.sub("-", text)
        text = _km_and_roads(text, nw)
        text = read_plates(text, nw)
        text = read_doc_codes(text, lex, nw)
    if ".vn" in text or ".VN" in text or ".com" in text or ".net" in text or ".org" in text:
        text = read_domains(text)
    text = expand_abbreviations(text, lex)
    if has_digit:
        text = read_phones(text, nw)
        text = read_service_numbers(text)
        if "+" in text:
            text = _PLUS.sub(" cộng ", text)
        if "T" in text:
            text = _WEEKDAY.sub(lambda m: _WEEKDAYS[m.group(1)], text)
        text = read_times(text, nw)
        text = read_dates(text, nw)
    if has_digit and ("x" in text or "×" in text):
        text = _TIMES_SIGN.sub(" nhân ", text)
        text = _PLATE_MASK.sub(" ích ích", text)
    text = _symbols_before_numbers(text, lex)
    if has_digit or " trên " in text:
        text = _units(text, lex)
    text = _romans(text, nw)
    if has_digit:
        text = spell_letter_suffixes(text)
        text = _ordinals(text, nw)
        text = _numbers(text, nw)
    text = spell_acronyms(text, lex, defined)
    text = _tidy(text.lower())
    if dialect == "south":
        text = text.replace("nghìn", "ngàn")
    # Last guard: whatever slipped through is still read, never passed to the TTS engine as a digit.
    if _HAS_DIGIT.search(text):
        text = _single_spaces(_DIGIT.sub(lambda m: " " + read_digits(m.group(0)) + " ", text))
    return unicodedata.normalize("NFC", text)


def _fallback(text: object) -> str:
    safe = normalize_unicode(str(text)).translate(DIGITS_TO_ASCII).lower()
    return _SPACES.sub(" ", _DIGIT.sub(lambda m: " " + read_digits(m.group(0)) + " ", safe)).strip()


FALLBACK_CODE = "spoken-fallback"


@dataclass(frozen=True)
class SpokenForm:
    """What the newsreader says (``text``) and what an editor should check about it (``warnings``)."""

    text: str
    warnings: tuple[ProofWarning, ...] = ()

    @property
    def fell_back(self) -> bool:
        """True when the full rules failed and ``text`` is the plain fallback reading."""
        return any(w.code == FALLBACK_CODE for w in self.warnings)


def _fallback_warning(text: str, exc: BaseException) -> ProofWarning:
    end = min(len(text), 80)
    return ProofWarning(
        code=FALLBACK_CODE,
        message=("Không đọc được bài này theo đủ quy tắc phát thanh (lỗi nội bộ: "
                 f"{type(exc).__name__}); bản tin dùng cách đọc đơn giản: chữ giữ nguyên, số đọc từng chữ số. "
                 "Biên tập viên nên nghe lại hoặc sửa bài trước khi phát."),
        start=0, end=end, excerpt=text[:end],
    )


def make_spoken_form(
    text: str, dialect: str = "north", lexicon: Lexicon | None = None, station: str | None = None,
    context: str = "",
) -> SpokenForm:
    """The spoken form of ``text`` with its warnings. Never raises: a failure of the rules is logged and the
    plain fallback reading comes back with a "spoken-fallback" warning for the story's proofreading.

    ``context`` is what comes before ``text`` in the same story (read for its definitions of abbreviations, not
    spoken): "bảo vệ rừng (BVR)" there makes "tổ đội BVR" here read "tổ đội bảo vệ rừng". A whole story passed as
    ``text`` needs no context."""
    source = text if isinstance(text, str) else str(text)
    try:
        return SpokenForm(_spoken(source, dialect, lexicon, station, context if isinstance(context, str) else ""))
    except Exception as exc:  # a bulletin must still be read: degrade to a plain reading, never silently
        _LOG.warning("spoken form fell back to the plain reading for %r", source[:80], exc_info=True)
        warning = _fallback_warning(source, exc)
        try:
            return SpokenForm(_fallback(source), (warning,))
        except Exception:
            return SpokenForm("", (warning,))


def spoken_form(
    text: str, dialect: str = "north", lexicon: Lexicon | None = None, station: str | None = None,
    context: str = "",
) -> str:
    """Return what a radio newsreader says for ``text``: words only, sentence punctuation kept, NFC, no digits.

    ``dialect`` is "north" (nghìn, linh; the default) or "south" (ngàn, lẻ). ``lexicon`` defaults to the built-in
    one; ``station`` applies that station's overrides from the lexicon. Never raises; a fallback is logged (use
    :func:`make_spoken_form` to get it as a warning too). ``context``: the story's text before ``text``, read only
    for the abbreviations it defines.
    """
    return make_spoken_form(text, dialect, lexicon, station, context).text
