"""Unicode, legacy encodings, Roman numerals, the lexicon and proofreading, each on its own."""

import tomllib
import unicodedata
from pathlib import Path

import pytest

from flows.text import Lexicon, LexiconError, ProofWarning, decode_vietnamese, fix_legacy, normalize_unicode, proofread
from flows.text.legacy import TCVN3_TO_UNICODE
from flows.text.roman import parse_roman

LEXICON_FILE = Path(__file__).resolve().parents[2] / "content" / "lexicon.toml"

NORMALIZE = [
    ("Ðoàn thanh niên", "Đoàn thanh niên"),
    ("ðoàn", "đoàn"),
    ("Hoa\u0300 bi\u0300nh", "Hoà bình"),  # NFC, tone stays where it was written
    ("hoà", "hoà"),
    ("Xã\u00a0Dân\u202fTiến", "Xã Dân Tiến"),
    ("Phú\u200bThượng\ufeff", "PhúThượng"),
    ("dòng một\u2028dòng hai", "dòng một\ndòng hai"),
    ("a\x07b", "ab"),
]


@pytest.mark.parametrize(("raw", "clean"), NORMALIZE)
def test_normalize_unicode(raw, clean):
    assert normalize_unicode(raw) == clean
    assert unicodedata.is_normalized("NFC", normalize_unicode(raw))


SENTENCES = [
    "Phong trào thi đua yêu nước ở xã La Hiên",
    "Ủy ban nhân dân huyện Võ Nhai khen thưởng gương điển hình tiên tiến",
    "Cộng hòa xã hội chủ nghĩa Việt Nam. Độc lập - Tự do - Hạnh phúc",
    "Hội Liên hiệp Phụ nữ xã Thượng Nung tổ chức ngày hội đại đoàn kết",
]
_TO_TCVN3 = {v: k for k, v in TCVN3_TO_UNICODE.items()}


def to_tcvn3(text: str) -> str:
    return "".join(_TO_TCVN3.get(c, _TO_TCVN3.get(c.lower(), c)) for c in text)


def to_vni(text: str) -> str:
    from flows.text.legacy import VNI_TO_UNICODE

    back: dict[str, str] = {}
    for key, value in VNI_TO_UNICODE.items():
        if value not in back or len(key) < len(back[value]) or (key.islower() == value.islower() and
                                                                 not back[value].islower() == value.islower()):
            back.setdefault(value, key)
    return "".join(back.get(c, c) for c in text)


def to_cp1258(text: str) -> bytes:
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        marks = "\u0300\u0301\u0303\u0309\u0323"
        decomposed = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in marks))
        out += (base + "".join(c for c in decomposed if c in marks)).encode("cp1258")
    return out


@pytest.mark.parametrize("sentence", SENTENCES)
def test_fix_legacy_tcvn3(sentence):
    mojibake = to_tcvn3(sentence)
    fixed, name = fix_legacy(mojibake)
    assert name == "tcvn3"
    assert fixed.lower() == sentence.lower()


@pytest.mark.parametrize("sentence", SENTENCES)
def test_fix_legacy_vni(sentence):
    fixed, name = fix_legacy(to_vni(sentence))
    assert (fixed, name) == (sentence, "vni-windows")


@pytest.mark.parametrize("sentence", SENTENCES + ["Giá 5 € cho một ly café crème", "Ðại hội chi bộ"])
def test_fix_legacy_leaves_unicode_alone(sentence):
    assert fix_legacy(sentence) == (sentence, None)


@pytest.mark.parametrize("sentence", SENTENCES)
@pytest.mark.parametrize(("encode", "name"), [
    (lambda s: s.encode("utf-8"), "utf-8"),
    (lambda s: b"\xef\xbb\xbf" + s.encode("utf-8"), "utf-8"),
    (lambda s: s.encode("utf-16"), "utf-16"),
    (to_cp1258, "windows-1258"),
    (lambda s: to_tcvn3(s).encode("latin-1"), "tcvn3"),
    (lambda s: to_vni(s).encode("cp1252"), "vni-windows"),
])
def test_decode_vietnamese(sentence, encode, name):
    text, detected = decode_vietnamese(encode(sentence))
    assert detected == name
    assert text.lower() == sentence.lower()


def test_decode_vietnamese_declared_is_a_hint():
    data = to_tcvn3(SENTENCES[0]).encode("latin-1")
    assert decode_vietnamese(data, declared="windows-1258")[1] == "tcvn3"


ROMANS = [("I", 1), ("IV", 4), ("IX", 9), ("XIII", 13), ("XIV", 14), ("XIX", 19), ("XXII", 22), ("XL", 40),
          ("IIII", None), ("VX", None), ("C", None), ("", None), ("ABC", None)]


@pytest.mark.parametrize(("token", "value"), ROMANS)
def test_parse_roman(token, value):
    assert parse_roman(token) == value


def test_content_lexicon_holds_every_default_entry():
    content = tomllib.loads(LEXICON_FILE.read_text(encoding="utf-8"))
    default = Lexicon.default().to_mapping()
    for table in ("abbreviations", "doc_codes", "units", "words", "misspellings"):
        for key, value in default[table].items():
            assert content[table].get(key, "").lower() == value.lower(), (table, key)
    assert Lexicon.from_toml(LEXICON_FILE.read_text(encoding="utf-8")).stations()


@pytest.mark.parametrize("bad", ["[abbreviations\nUBND = 1", "[abbreviations]\nUBND = 1", "context = 3",
                                 "[context.TT]\nrules = [{ next = ['x'] }]", "station = 'x'"])
def test_bad_lexicon_is_a_clear_error(bad):
    with pytest.raises(LexiconError):
        Lexicon.from_toml(bad)


PROOFREAD = [
    ("Phóng viên viên đến xã", "doubled_word", "viên viên"),
    ("Phong trào thi đũa yêu nước", "misspelling", "thi đũa"),
    ("Xuất xắc hoàn thành nhiệm vụ", "misspelling", "Xuất xắc"),
    ("Ông nói “cố lên", "unbalanced_quote", "“"),
    ("Kế hoạch (2021-2025", "unbalanced_bracket", "("),
    ("Kế hoạch 2021-2025)", "unbalanced_bracket", ")"),
    ('Ông nói "cố lên', "unbalanced_quote", '"'),
    ("Tin mới\nHéi n«ng d©n x· tæ chøc", "legacy_encoding", "Héi n«ng d©n x· tæ chøc"),
    ("Ðại hội", "lookalike_letter", "Ð"),
    ("Lỗi \ufffd font", "replacement_character", "\ufffd"),
]


@pytest.mark.parametrize(("text", "code", "excerpt"), PROOFREAD)
def test_proofread_warns(text, code, excerpt):
    warnings = proofread(text)
    hits = [w for w in warnings if w.code == code]
    assert hits, warnings
    w = hits[0]
    assert isinstance(w, ProofWarning)
    assert w.excerpt == excerpt == text[w.start:w.end]
    assert w.message and not w.message.isascii()


@pytest.mark.parametrize("text", ["Người người thi đua, nhà nhà thi đua", "Ông nói “cố lên” (to)", "Sáng 08h00’",
                                  "Phong trào thi đua yêu nước"])
def test_proofread_quiet_on_good_text(text):
    assert proofread(text) == []


def test_proofread_never_edits():
    text = "Phóng viên viên (thi đũa"
    proofread(text)
    assert text == "Phóng viên viên (thi đũa"
