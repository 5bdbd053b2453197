"""Document codes ("85/KH-UBND"), administrative abbreviations, and spelling unknown acronyms."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from flows.text.lexicon import Lexicon, word_start_ok
from flows.text.numbers import NumberWords
from flows.text.unicode import is_vietnamese_syllable

_UPPER = "A-ZĐĂÂÊÔƠƯ"
_PART = rf"[{_UPPER}][{_UPPER}a-zđ]*\d*"
# number, optional "/year", then "/" or "-" and code parts: 85/KH-UBND, 34-CT/TW, 91/2017/NĐ-CP, 01-KL/TW.
# The number may carry a thousands dot: "2.125/QĐ-UBND".
# Stray spaces are common in submitted text: "94 /BC-UBND", "151/2018/TT - BQP"; "QĐ.TTg" joins with a dot.
DOC_CODE = re.compile(
    rf"(\d(?<![\w/.,-]\d)(?:\d{{0,2}}(?:\.\d{{3}})+|\d{{0,4}}[a-z]?))(?:/(\d{{4}}))?(?: ?/|-)"
    rf"({_PART}(?:(?: ?- ?|[/&.]){_PART})*)(?![\w/])"
)
_PART_SPLIT = re.compile(r" ?- ?|[/.]")
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


def _known(part: str, lexicon: Lexicon) -> str | None:
    return lexicon.doc_codes.get(part) or lexicon.abbreviations.get(part)


def fewest_pieces(text: str, reading: Callable[[str], str | None], shortest: int = 1,
                  longest: int | None = None) -> list[str] | None:
    """The readings of the fewest known pieces that cover `text` exactly (the first such cover, left to right), or
    None when it cannot be covered. A piece is `shortest` to `longest` characters; `reading` names a known one."""
    longest = longest or len(text)
    best: list[list[str] | None] = [None] * (len(text) + 1)
    best[0] = []
    for i in range(len(text)):
        done = best[i]
        if done is None:
            continue
        for j in range(i + shortest, min(len(text), i + longest) + 1):
            said = reading(text[i:j])
            after = best[j]
            if said and (after is None or len(done) + 1 < len(after)):
                best[j] = done + [said]
    return best[-1]


def segment(letters: str, lexicon: Lexicon) -> str | None:
    """Read an unknown code part made of known ones: "TWPCTT" = TW + PCTT; None when it cannot be covered."""
    if len(letters) < 4 or len(letters) > 16:
        return None
    found = fewest_pieces(letters, lambda part: _known(part, lexicon), shortest=2)
    return " ".join(found) if found and len(found) > 1 else None


def _code_part(part: str, lexicon: Lexicon, numbers: NumberWords) -> str:
    reading = _known(part, lexicon)
    if reading:
        return reading
    if "&" in part:  # "BGD&ĐT" is one body; "KH&CN" parts joined by "và"
        return " và ".join(_code_part(p, lexicon, numbers) for p in part.split("&") if p)
    letters, digits = _PART_DIGITS.match(part).groups()  # type: ignore[union-attr]
    head = _known(letters, lexicon) or segment(letters, lexicon) or spell(letters)
    return head + (" " + numbers.integer(digits) if digits else "")


def read_doc_codes(text: str, lexicon: Lexicon, numbers: NumberWords) -> str:
    """Read document codes: "85/KH-UBND" → tám mươi lăm kế hoạch ủy ban nhân dân ("/" and "-" are not read)."""
    if "/" not in text and "-" not in text:
        return text

    def replace(m: re.Match[str]) -> str:
        number, year, code = m.groups()
        suffix = number[-1] if number[-1].isalpha() else ""  # "168a/QĐ-UBND": một trăm sáu mươi tám a
        parts = [numbers.integer(number.rstrip(suffix).replace(".", ""))] + ([spell(suffix)] if suffix else [])
        if year:
            parts.append("năm " + numbers.integer(year))
        parts.extend(_code_part(p, lexicon, numbers) for p in _PART_SPLIT.split(code) if p)
        return " " + " ".join(parts) + " "

    return DOC_CODE.sub(replace, text)


_AFTER_CUE = re.compile(r"[\s(“\"'–-]+")


# "Chiều 24/7", "ngày 24/7": after a word that names a day, "24/7" is a date, not the word "hai mươi tư trên bảy".
_DAY_WORD_BEFORE = re.compile(r"(?i)(?<!\w)(?:ngày|sáng|chiều|tối|trưa|đêm|hôm|mùng|mồng|rạng sáng|từ|đến)\s*$")


def _word_here(m: re.Match[str]) -> bool:
    if not word_start_ok(m):
        return False
    if m.group(0)[:1].isdigit() and _DAY_WORD_BEFORE.search(m.string, max(0, m.start() - 12), m.start()):
        return False
    return True


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
        low = text.lower()
        if len(low) != len(text):  # a character whose lower case is longer: positions would not line up
            return lexicon.words_re.sub(
                lambda m: " " + lexicon.words[m.group(0).lower()] + " " if _word_here(m) else m.group(0), text
            )
        pieces, last = [], 0
        for m in lexicon.words_lower_re.finditer(low):  # type: ignore[union-attr]
            if _word_here(m):
                pieces += [text[last:m.start()], " ", lexicon.words[m.group(0)], " "]
                last = m.end()
        if pieces:
            text = "".join(pieces) + text[last:]
    return text


# Written letter-first (the look-behind after the first letter) so the engine scans for capitals quickly.
ACRONYM = re.compile(rf"[{_UPPER}](?<![\w-].)[{_UPPER}]+(?![\w-])")
# A lone capital consonant is a letter ("khu C", "loại B", "giải C." at the end); vowels read the same as letters.
# A full stop with more text after it may be an abbreviation's ("P. Tân Lập"), so that one is left alone.
_LONE_LETTER = re.compile(r"[BCDĐFGHJKLMNPQRSTVWXZ](?<![\w.&-].)(?![\w&-])(?!\.(?![ \t]*(?:\n|$)))")


_WORDS_BEFORE = re.compile(r"((?:[^\W\d_]+[ ,]+){1,3})$")


def written_head(text: str, start: int, token: str, lexicon: Lexicon,
                 defined: dict[str, str] | None = None) -> str | None:
    """What follows the written-out words before ``token`` (at ``start``) when they and it make one known
    abbreviation: "phòng CCCR" is PCCCR (phòng cháy chữa cháy rừng) with "phòng" in full, "Mặt trận TQ" is MTTQ;
    None when they make none."""
    before = _WORDS_BEFORE.search(text, max(0, start - 40), start)
    if before is None:
        return None
    words = _WORD.findall(before.group(1))
    for n in range(1, len(words) + 1):
        head = words[-n:]
        key = "".join(_initial(w) if _initial(w) == "Đ" else w[0].upper() for w in head) + token
        reading = (defined or {}).get(key) or lexicon.abbreviations.get(key)
        spelled_head = " ".join(w.lower() for w in head)
        if reading and reading.startswith(spelled_head + " "):
            return reading[len(spelled_head) + 1:]
    return None


def spell_acronyms(text: str, lexicon: Lexicon | None = None, defined: dict[str, str] | None = None) -> str:
    """Spell all-capital tokens that are not Vietnamese syllables ("THPT"); "HỒ CHÍ MINH" stays as words. With a
    lexicon, a token that completes an abbreviation whose first words are written out ("phòng CCCR", see
    :func:`written_head`) reads the rest of it instead."""
    def replace(m: re.Match[str]) -> str:
        token = m.group(0)
        if is_vietnamese_syllable(token):
            return token
        if lexicon is not None:
            rest = written_head(m.string, m.start(), token, lexicon, defined)
            if rest is not None:
                return " " + rest + " "
        return spell(token)

    text = ACRONYM.sub(replace, text)
    return _LONE_LETTER.sub(lambda m: spell(m.group(0)), text)


# "K.P.X", "Đ.Đ.N", "T.V,T": initials of a name kept out of the news; spelled, never read as "P." = phường.
_INITIALS = re.compile(r"[A-ZĐ](?<![\w.][A-ZĐ])(?:[.,][A-ZĐ]){1,4}\.?(?!\w)")
# "ông Hồ Trọng S. (58 tuổi)": one initial after a name (a capitalised word).
_LAST_INITIAL = re.compile(r"[A-ZĐ](?<=[a-zà-ỹ] [A-ZĐ])\.(?=[\s(,;)]|$)")
_WORD_BEFORE = re.compile(r"([^\W\d_]+) $")


# "chị L.", "anh T.": a person named by an initial after how the story addresses them.
# "tài xế N.", "đối tượng H.", "bị cáo T.": the role the story gives a person it does not name.
_ADDRESS = frozenset("ông bà anh chị em cháu cô chú bác cụ bé xế tượng cáo hại".split())


def _after_name(text: str, start: int) -> bool:
    m = _WORD_BEFORE.search(text, max(0, start - 12), start)
    return m is not None and (m.group(1)[0].isupper() or m.group(1) in _ADDRESS)


def read_initials(text: str, lexicon: Lexicon) -> str:
    """Spell initials; dotted abbreviations of the lexicon ("T.X" = thị xã) are left to it."""
    def initials(m: re.Match[str]) -> str:
        token = m.group(0)
        if token in lexicon.abbreviations or token.rstrip(".") in lexicon.abbreviations:
            return token
        return " " + spell("".join(ch for ch in token if ch.isalpha())) + " "

    if "." in text or "," in text:
        text = _INITIALS.sub(initials, text)
        text = _LAST_INITIAL.sub(
            lambda m: " " + spell(m.group(0)[0]) + " "
            if _after_name(m.string, m.start()) else m.group(0), text)
    return text


# A story defines its own abbreviations, and a newsreader reads every later use as the words it stands for:
# "Kế hoạch Bảo vệ và phát triển rừng (KHBV&PTR)", "bảo vệ rừng (BVR) ... tổ đội BVR", "Hợp tác xã, viết tắt là HTX",
# "(sau đây gọi tắt là BQL)", and the reverse "BVR (bảo vệ rừng)".
_ABBR = rf"[{_UPPER}](?:[{_UPPER}&]|-(?=[{_UPPER}])){{1,14}}"  # "BVR", "KH&CN", "VH-TT-DL"
_MARKER = r"(?:sau đây |dưới đây )?(?:được )?(?:gọi|viết) tắt là:?\s*[\"“]?"
# "(sau đây gọi tắt là UBND tỉnh)": words after the abbreviation in the bracket repeat the end of the definition.
_DEFINED = re.compile(
    rf"\(\s*(?:{_MARKER})?({_ABBR})((?:\s+[a-zđà-ỹ]+){{0,2}})\s*\)|,?\s*{_MARKER}({_ABBR})(?![\w&])")
_REVERSE = re.compile(rf"(?<![\w&])({_ABBR})\s*\(([^()\d]{{3,90}})\)")
# "BVR (viết tắt của bảo vệ rừng)", "BVR (tức bảo vệ rừng)": the words after the cue are the definition.
_REVERSE_CUE = re.compile(r"^\s*(?:(?:là\s+)?(?:chữ\s+)?viết\s+tắt\s+(?:của|cho)|tức(?:\s+là)?|nghĩa\s+là)[\s:]+", re.I)
_META = re.compile(r"tắt là:?\s*[\"“]?$")
_WORD = re.compile(r"[^\W\d_]+")
_ROMAN_ONLY = re.compile(r"[IVXLCDM]+")
# Small words a definition may carry that its abbreviation leaves out: "Lao động - Thương binh và Xã hội (LĐTBXH)".
_SKIPPABLE = frozenset("và của các về cho với".split())


def _initial(word: str) -> str:
    first = word[0].upper()
    return first if first == "Đ" else unicodedata.normalize("NFD", first)[0]


def _letters(abbr: str) -> list[str]:
    return [c if c in "&Đ" else unicodedata.normalize("NFD", c)[0] for c in abbr if c != "-"]


def _fits(letter: str, word: str) -> bool:
    return word.lower() == "và" if letter == "&" else _initial(word) == letter


def _tail_reading(letters: list[str], words: list[str]) -> str | None:
    """The last words that ``letters`` abbreviate, ending at the last word; a small word may be left out inside."""
    i, j = len(letters) - 1, len(words) - 1
    while i >= 0 and j >= 0:
        if _fits(letters[i], words[j]):
            i -= 1
            j -= 1
        elif words[j].lower() in _SKIPPABLE and j < len(words) - 1:
            j -= 1
        else:
            return None
    if i >= 0:
        return None
    tail = words[j + 1:]
    if not all(is_vietnamese_syllable(w) for w in tail):
        return None  # "WHD (World Health Day)": a foreign name, spelled as the newsroom does
    return " ".join(tail).lower()


def _head_reading(letters: list[str], words: list[str]) -> str | None:
    """``words`` (all of them) abbreviated by ``letters``: the reverse form "BVR (bảo vệ rừng)"."""
    reading = _tail_reading(letters, words)
    return reading if reading is not None and len(reading.split()) == len(words) else None


def defined_abbreviations(text: str) -> dict[str, str]:
    """Abbreviations the text defines, with the words they stand for (lower case): by a bracket after the words
    ("bảo vệ rừng (BVR)"), by "viết tắt là" / "gọi tắt là", or by the words in a bracket after it ("BVR (bảo vệ
    rừng)"). The letters must be the initials of the words, so a bracket that is not a definition defines nothing."""
    found: dict[str, str] = {}
    if "(" not in text and "tắt là" not in text:
        return found
    for m in _DEFINED.finditer(text):
        abbr = m.group(1) or m.group(3)
        if abbr in found or _ROMAN_ONLY.fullmatch(abbr):
            continue
        letters = _letters(abbr)
        words = _WORD.findall(text, max(0, m.start() - 160), m.start())
        after = (m.group(2) or "").split()
        if after:
            if [w.lower() for w in words[-len(after):]] != after:
                continue
            words = words[:-len(after)]
        if len(words) < len(letters):
            continue
        reading = _tail_reading(letters, words[-(len(letters) + 4):])
        if reading:
            found[abbr] = reading
    if "(" in text:
        for m in _REVERSE.finditer(text):
            abbr = m.group(1)
            if abbr in found or _ROMAN_ONLY.fullmatch(abbr):
                continue
            words = _WORD.findall(_REVERSE_CUE.sub("", m.group(2)))
            if len(words) < len(abbr) - abbr.count("&") - abbr.count("-") or not words:
                continue
            reading = _head_reading(_letters(abbr), words)
            if reading:
                found[abbr] = reading
    return found


def apply_definitions(text: str, defined: dict[str, str]) -> str:
    """Read every use of a defined abbreviation, the bracketed one included, as the words it stands for; the one
    right after "viết tắt là" is the abbreviation being named, and stays as it is written."""
    for abbr, words in defined.items():
        if abbr not in text:
            continue
        text = re.sub(rf"(?<![\w&]){re.escape(abbr)}(?![\w&])", _reader_of(words), text)
    return text


def _reader_of(words: str) -> Callable[[re.Match[str]], str]:
    """A use of the abbreviation reads its words, except right after a "viết tắt là"-like cue, where it stays."""
    def read(m: re.Match[str]) -> str:
        return m.group(0) if _META.search(m.string, max(0, m.start() - 30), m.start()) else " " + words + " "
    return read


_DIGIT_LETTER = re.compile(r"(?<=\d)([A-ZĐ])(?!\w)")


def spell_letter_suffixes(text: str) -> str:
    """A capital letter glued to a number is spelled: "Quốc lộ 1B" → quốc lộ 1 bê, "lớp 12A" → 12 a."""
    return _DIGIT_LETTER.sub(lambda m: " " + spell(m.group(1)), text)
