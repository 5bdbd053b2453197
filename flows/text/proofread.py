"""Proofreading for editors: warnings with positions, never edits."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from flows.text.abbreviations import defined_abbreviations, segment, spell, written_head
from flows.text.legacy import fix_legacy
from flows.text.lexicon import Lexicon, word_start_ok
from flows.text.roman import parse_roman
from flows.text.unicode import is_vietnamese_syllable


@dataclass(frozen=True)
class ProofWarning:
    """One thing an editor should look at: ``text[start:end]`` is ``excerpt``."""

    code: str
    message: str
    start: int
    end: int
    excerpt: str


_REPEAT = re.compile(r"(?<!\w)([^\W\d_]+)(\s+)(\1)(?!\w)", re.IGNORECASE)
_WORD_PAIR_BEFORE = re.compile(r"([^\W\d_]+)\s+$")
_LEGACY_WORD = re.compile(r"\S+")
_COMBINING = re.compile(r"[\u0300-\u036f]")
_LOOKALIKE = re.compile(r"[\u00d0\u00f0\u0189]")
_PDF_GLYPH = re.compile("[\u01a2\u01a3]")  # "ƣ" for "ư" from a PDF's text layer
_PAIRS = {"(": ")", "[": "]", "{": "}", "“": "”", "«": "»"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}


def _warn(text: str, code: str, message: str, start: int, end: int) -> ProofWarning:
    return ProofWarning(code=code, message=message, start=start, end=end, excerpt=text[start:end])


def _repeats(text: str, lexicon: Lexicon) -> list[ProofWarning]:
    out = []
    for m in _REPEAT.finditer(text):
        phrase = f"{m.group(1)} {m.group(3)}".lower()
        if phrase in lexicon.allowed_repeats:
            continue
        out.append(_warn(text, "doubled_word", f"Từ bị lặp: “{m.group(0)}”. Có gõ thừa không?", m.start(), m.end()))
    return out


def _misspellings(text: str, lexicon: Lexicon) -> list[ProofWarning]:
    if lexicon.misspelling_re is None:
        return []
    nfc = unicodedata.normalize("NFC", text)
    if len(nfc) != len(text):  # positions must point into the editor's text; decomposed text is reported apart
        return []
    out = []
    for m in lexicon.misspelling_re.finditer(text):
        if not word_start_ok(m):
            continue
        right = lexicon.misspellings[m.group(0).lower()]
        out.append(_warn(text, "misspelling", f"Có thể viết sai chính tả: “{m.group(0)}”, nên viết “{right}”.",
                         m.start(), m.end()))
    return out


def _encodings(text: str) -> list[ProofWarning]:
    out = []
    for line_match in re.finditer(r"[^\n]+", text):
        line = line_match.group(0)
        fixed, legacy = fix_legacy(line)
        if legacy:
            out.append(_warn(text, "legacy_encoding",
                             f"Đoạn này là chữ mã cũ ({legacy.upper()}) chưa chuyển sang Unicode: “{fixed[:40]}”.",
                             line_match.start(), line_match.end()))
    for m in _LOOKALIKE.finditer(text):
        out.append(_warn(text, "lookalike_letter", "Chữ “Ð” này là ký tự nước ngoài giống chữ “Đ”; nên gõ lại “Đ”.",
                         m.start(), m.end()))
    for m in _PDF_GLYPH.finditer(text):
        out.append(_warn(text, "pdf_glyph", f"Chữ “{m.group(0)}” này là ký tự lỗi khi chép từ tệp PDF, thay cho chữ "
                         f"“{'Ư' if m.group(0).isupper() else 'ư'}”; nên gõ lại.", m.start(), m.end()))
    if "\ufffd" in text:
        i = text.index("\ufffd")
        out.append(_warn(text, "replacement_character", "Có ký tự lỗi “\ufffd”: văn bản bị đọc sai bảng mã.", i, i + 1))
    combining = [m.start() for m in _COMBINING.finditer(text)]
    if combining:
        start = max(0, combining[0] - 1)
        precomposed = any(unicodedata.decomposition(c) for c in text if "\u00c0" <= c <= "\u1ef9")
        code = "mixed_normalization" if precomposed else "decomposed_unicode"
        out.append(_warn(text, code, "Văn bản dùng dấu tổ hợp (Unicode tổ hợp), lẫn với dựng sẵn; nên chuyển về "
                         "Unicode dựng sẵn.", start, combining[0] + 1))
    return out


def _balance(text: str) -> list[ProofWarning]:
    out = []
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        if ch in _PAIRS:
            stack.append((ch, i))
        elif ch in _CLOSERS:
            if stack and stack[-1][0] == _CLOSERS[ch]:
                stack.pop()
            else:
                out.append(_warn(text, "unbalanced_bracket", f"Dấu “{ch}” đóng mà không có dấu mở.", i, i + 1))
    for ch, i in stack:
        code = "unbalanced_quote" if ch in "“«" else "unbalanced_bracket"
        out.append(_warn(text, code, f"Dấu “{ch}” mở mà chưa đóng.", i, i + 1))
    straight = [i for i, ch in enumerate(text) if ch == '"']
    if len(straight) % 2:
        out.append(_warn(text, "unbalanced_quote", "Số dấu ngoặc kép (\") lẻ: thiếu một dấu mở hoặc đóng.",
                         straight[-1], straight[-1] + 1))
    return out


_CAPITALS = re.compile(r"(?<![\w&])[A-ZĐÂĂÊÔƠƯ][A-ZĐÂĂÊÔƠƯ&]*[A-ZĐÂĂÊÔƠƯ](?![\w&])")


def _in_code(text: str, start: int, end: int) -> bool:
    """True when the capitals at text[start:end] are glued to a document code's "/" or "-" ("85/KH-UBND")."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return before in "/-&." or after in "/-&"


def _unknown_acronyms(text: str, lexicon: Lexicon) -> list[ProofWarning]:
    """All-capital tokens the radio would spell letter by letter because nobody told it what they stand for."""
    out: list[ProofWarning] = []
    seen: set[str] = set()
    defined = None
    covered: list[tuple[int, int]] | None = None
    for m in _CAPITALS.finditer(text):
        token = m.group(0)
        if token in seen:
            continue
        if covered is None:  # "KT-XH", "UV BTV": a lexicon key made of several capital tokens is read as one
            covered = [(a.start(), a.end()) for a in lexicon.abbreviation_re.finditer(text) if word_start_ok(a)] \
                if lexicon.abbreviation_re is not None else []
        if any(a <= m.start() and m.end() <= b for a, b in covered):
            continue
        # A document-code part ("BTC", "CT") is read as words only inside a code ("34/QĐ-BTC"); in prose it is spelled.
        in_code = _in_code(text, m.start(), m.end()) and (token in lexicon.doc_codes or segment(token, lexicon))
        if (token in lexicon.abbreviations or in_code or token in lexicon.units
                or token in lexicon.context or token.lower() in lexicon.words or is_vietnamese_syllable(token)
                or parse_roman(token) is not None):
            continue
        if defined is None:
            defined = defined_abbreviations(text)
        if token in defined or written_head(text, m.start(), token, lexicon, defined) is not None:
            continue
        seen.add(token)
        out.append(_warn(text, "unknown_acronym",
                         f"Chữ viết tắt “{token}” chưa có trong từ điển đọc: bản tin sẽ đánh vần “{spell(token)}”. "
                         f"Nếu cần đọc thành chữ, thêm “{token}” vào bảng abbreviations của lexicon.toml.",
                         m.start(), m.end()))
    return out


def proofread(text: str, lexicon: Lexicon | None = None) -> list[ProofWarning]:
    """Warn about doubled words, known misspellings, mixed or legacy encodings, unbalanced quotes/brackets and
    all-capital abbreviations the lexicon does not know (the radio would spell them).

    Positions index ``text`` as given. The text is never changed: an editor decides.
    """
    lex = lexicon or Lexicon.default()
    warnings = (_repeats(text, lex) + _misspellings(text, lex) + _encodings(text) + _balance(text)
                + _unknown_acronyms(text, lex))
    return sorted(warnings, key=lambda w: (w.start, w.code))
