"""Legacy Vietnamese encodings: TCVN3 (ABC) and VNI-Windows to Unicode, and guessing the encoding of bytes."""

from __future__ import annotations

import re
import unicodedata

from flows.text.unicode import is_vietnamese_syllable

# TCVN3 (TCVN 5712:1993, the ".Vn" fonts of the ABC keyboard): one byte per precomposed lowercase letter, plus
# seven capitals. Capitals with tones were drawn with the same codes in the ".VnTimeH" capital fonts.
_TCVN3_PAIRS = (
    "¸á µà ¶ả ·ã ¹ạ ¨ă ¾ắ »ằ ¼ẳ ½ẵ Æặ ©â Êấ Çầ Èẩ Éẫ Ëậ "
    "Ðé Ìè Îẻ Ïẽ Ñẹ ªê Õế Òề Óể Ôễ Öệ Ýí ×ì Øỉ Üĩ Þị "
    "ãó ßò áỏ âõ äọ «ô èố åồ æổ çỗ éộ ¬ơ íớ êờ ëở ìỡ îợ "
    "óú ïù ñủ òũ ôụ \xadư øứ õừ öử ÷ữ ùự ýý úỳ ûỷ üỹ þỵ ®đ "
    "¡Ă ¢Â £Ê ¤Ô ¥Ơ ¦Ư §Đ"
)
TCVN3_TO_UNICODE = {pair[0]: pair[1] for pair in _TCVN3_PAIRS.split(" ")}
_TCVN3_TABLE = str.maketrans(TCVN3_TO_UNICODE)


def _vni_map() -> dict[str, str]:
    """VNI-Windows writes a letter as base + modifier byte(s); build modifier sequences for every letter."""
    plain_tones = ("ù", "ø", "û", "õ", "ï")  # sắc huyền hỏi ngã nặng on a, e, o, u, y, ơ, ư
    hat_tones = ("á", "à", "å", "ã", "ä")  # on â, ê, ô
    breve_tones = ("é", "è", "ú", "ü", "ë")  # on ă
    marks = ("\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
    table: dict[str, str] = {}

    def add(seq: str, letter: str) -> None:
        for tail_case in (str.lower, str.upper):
            for head_case in (str.lower, str.upper):
                key = head_case(seq[0]) + tail_case(seq[1:])
                out = letter.upper() if head_case is str.upper else letter
                table.setdefault(key, out)

    for base in "aeouy":
        for mod, mark in zip(plain_tones, marks):
            add(base + mod, unicodedata.normalize("NFC", base + mark))
    for base, hat in (("a", "â"), ("e", "ê"), ("o", "ô")):
        add(base + "â", hat)
        for mod, mark in zip(hat_tones, marks):
            add(base + mod, unicodedata.normalize("NFC", hat + mark))
    add("aê", "ă")
    for mod, mark in zip(breve_tones, marks):
        add("a" + mod, unicodedata.normalize("NFC", "ă" + mark))
    for base, letter in (("ô", "ơ"), ("ö", "ư")):
        for mod, mark in zip(plain_tones, marks):
            add(base + mod, unicodedata.normalize("NFC", letter + mark))
    # Single-byte letters: i with tones, ơ, ư, đ, ỵ.
    singles = {"í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "ô": "ơ", "ö": "ư", "ñ": "đ", "î": "ỵ"}
    for src, dst in singles.items():
        table.setdefault(src, dst)
        table.setdefault(src.upper(), dst.upper())
    return table


VNI_TO_UNICODE = _vni_map()
_VNI_RE = re.compile("|".join(re.escape(k) for k in sorted(VNI_TO_UNICODE, key=len, reverse=True)))

# Latin-1 characters that never occur in Unicode Vietnamese but fill legacy mojibake.
_VIET_LATIN1 = set("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")
_TELLS = "".join(
    ch for ch in set(TCVN3_TO_UNICODE) | {k[-1] for k in VNI_TO_UNICODE} if ch not in _VIET_LATIN1 and ch > "\x7f"
)
_TELLS = _TELLS.replace("Ð", "").replace("ð", "")  # the Đ look-alike is fixed by normalize_unicode
_TELL_RE = re.compile("[" + re.escape(_TELLS) + "]")
# Letters beyond Latin-1 (ạ, ư, đ, ế ...) cannot come out of a one-byte legacy file read as Latin-1 or cp1252.
_UNICODE_VIET_RE = re.compile("[ăĂđĐĩĨũŨơƠưƯ\u1ea0-\u1ef9]")
_STRIP = ".,;:!?()[]\"'“”‘’«»-–—/…"
_TOKEN = re.compile(r"\S+")


def tcvn3_to_unicode(text: str) -> str:
    """Convert TCVN3 text (as read through Latin-1 or cp1252) to Unicode, restoring capitals in capital words."""
    converted = text.translate(_TCVN3_TABLE)
    if converted == text:
        return text

    def fix_case(match: re.Match[str]) -> str:
        original, word = match.group(0), converted[match.start():match.end()]
        ascii_letters = [c for c in original if c.isascii() and c.isalpha()]
        if len(ascii_letters) >= 2 and all(c.isupper() for c in ascii_letters):
            return word.upper()
        return word

    return _TOKEN.sub(fix_case, text)


def vni_to_unicode(text: str) -> str:
    """Convert VNI-Windows text (as read through cp1252) to Unicode."""
    return _VNI_RE.sub(lambda m: VNI_TO_UNICODE[m.group(0)], text)


def vietnamese_score(text: str) -> int:
    """How Vietnamese a text looks: valid accented syllables minus words with legacy leftovers."""
    score = 0
    for token in text.split():
        word = token.strip(_STRIP)
        if not word or word.isascii():
            continue
        if _TELL_RE.search(word):
            score -= 1
        elif is_vietnamese_syllable(word):
            score += 1
    return score


_CANDIDATES = (("tcvn3", tcvn3_to_unicode), ("vni-windows", vni_to_unicode))


def _fix_line(line: str) -> tuple[str, str | None]:
    tells = len(_TELL_RE.findall(line))
    if not tells or len(_UNICODE_VIET_RE.findall(line)) >= tells:
        return line, None
    best, best_name, best_score = line, None, vietnamese_score(line)
    for name, convert in _CANDIDATES:
        candidate = convert(line)
        score = vietnamese_score(candidate)
        if score > best_score:
            best, best_name, best_score = candidate, name, score
    return best, best_name


def fix_legacy(text: str) -> tuple[str, str | None]:
    """Repair TCVN3 or VNI mojibake in a str; return (text, legacy name) or (text, None) if it was fine.

    Each line is judged on its own, so one pasted legacy paragraph in a Unicode story is repaired too.
    """
    if not _TELL_RE.search(text):
        return text, None
    lines = text.split("\n")
    found: str | None = None
    for i, line in enumerate(lines):
        lines[i], name = _fix_line(line)
        found = found or name
    if found is None:
        return text, None
    return unicodedata.normalize("NFC", "\n".join(lines)), found


def _decode_cp1252(data: bytes) -> str:
    # cp1252 leaves five bytes undefined; Latin-1 keeps them instead of failing.
    return "".join(
        chunk.decode("cp1252") if i % 2 == 0 else chunk.decode("latin-1")
        for i, chunk in enumerate(re.split(rb"([\x81\x8d\x8f\x90\x9d]+)", data))
    )


_DECLARED = {
    "utf8": "utf-8", "utf-8": "utf-8", "tcvn3": "tcvn3", "tcvn": "tcvn3", "abc": "tcvn3", "vn3": "tcvn3",
    "vni": "vni-windows", "vni-windows": "vni-windows", "windows-1258": "windows-1258", "cp1258": "windows-1258",
}


def _decode_as(data: bytes, name: str) -> str:
    if name == "utf-8":
        return data.decode("utf-8")
    if name == "tcvn3":
        return tcvn3_to_unicode(data.decode("latin-1"))
    if name == "vni-windows":
        return vni_to_unicode(_decode_cp1252(data))
    if name == "windows-1258":
        return data.decode("cp1258", errors="replace")
    return data.decode(name)


def decode_vietnamese(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode bytes of unknown encoding to NFC text; return (text, encoding name).

    Names: "utf-8", "utf-16", "windows-1258", "tcvn3", "vni-windows". A declared charset is a hint only, since
    old pages often declare one encoding and use a legacy font.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
        fixed, legacy = fix_legacy(text)
        return unicodedata.normalize("NFC", fixed), legacy or "utf-16"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        fixed, legacy = fix_legacy(text)
        return unicodedata.normalize("NFC", fixed), legacy or "utf-8"
    order = ["windows-1258", "tcvn3", "vni-windows"]
    hint = _DECLARED.get((declared or "").strip().lower())
    if hint in order:
        order.remove(hint)
        order.insert(0, hint)  # wins ties
    best_text, best_name, best_score = "", order[0], None
    for name in order:
        try:
            text = unicodedata.normalize("NFC", _decode_as(data, name))
        except (UnicodeDecodeError, LookupError):
            continue
        score = vietnamese_score(text)
        if best_score is None or score > best_score:
            best_text, best_name, best_score = text, name, score
    return best_text, best_name
