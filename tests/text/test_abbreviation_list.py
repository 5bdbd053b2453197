"""The newsroom's abbreviation list (issue 14, round eight): every entry well formed, and a sample read in sentences
written for this file."""

import re
import tomllib
import unicodedata
from pathlib import Path

import pytest

from flows.text import Lexicon, proofread, spoken_form
from flows.text.default_lexicon import DEFAULT_LEXICON_TOML
from flows.text.unicode import is_vietnamese_syllable

CONTENT = Path(__file__).resolve().parents[2] / "content" / "lexicon.toml"
SOURCES = {"built-in": DEFAULT_LEXICON_TOML, "content": CONTENT.read_text(encoding="utf-8")}
# Keys shaped like one Vietnamese syllable but no word a story shouts in capitals; any other syllable-shaped key
# ("THA", "TƯ") would turn a headline's word into an abbreviation's reading ("THA THỨ" → "thi hành án thứ").
SYLLABLE_SHAPED = {"TYT", "NGƯT", "BYT", "SYT"}


def _table_keys(text: str, table: str) -> list[str]:
    """The keys of one table as written, duplicates kept (tomllib would reject exact duplicates, not NFC/NFD twins)."""
    keys, inside = [], False
    for line in text.splitlines():
        if line.startswith("["):
            inside = line.strip() == f"[{table}]"
            continue
        m = re.match(r'\s*("(?:[^"\\]|\\.)*"|[^\s=#]+)\s*=', line)
        if inside and m:
            keys.append(m.group(1).strip('"'))
    return keys


@pytest.mark.parametrize("source", SOURCES)
def test_every_abbreviation_is_nfc_unique_and_reads_as_lowercase_words(source):
    text = SOURCES[source]
    keys = _table_keys(text, "abbreviations")
    assert len(keys) > 300
    assert all(unicodedata.normalize("NFC", k) == k for k in keys), [k for k in keys if not unicodedata.is_normalized("NFC", k)]
    assert len(set(keys)) == len(keys), sorted({k for k in keys if keys.count(k) > 1})
    table = tomllib.loads(text)["abbreviations"]
    for key, reading in table.items():
        assert unicodedata.is_normalized("NFC", reading), key
        assert re.fullmatch(r"[^\W\d_A-ZĐ]+(?: [^\W\d_A-ZĐ]+)*", reading) and reading == reading.lower(), (key, reading)
        assert all(is_vietnamese_syllable(w) for w in reading.split()), (key, reading)
        assert not is_vietnamese_syllable(key) or key in SYLLABLE_SHAPED, key


def test_an_abbreviation_and_a_document_code_part_read_alike():
    content = tomllib.loads(SOURCES["content"])
    for key, reading in content["abbreviations"].items():
        if key in content["doc_codes"]:
            assert content["doc_codes"][key] == reading, key


@pytest.mark.parametrize("lexicon", [Lexicon.default(), Lexicon.from_toml(SOURCES["content"])], ids=["built-in", "content"])
@pytest.mark.parametrize(("written", "piece"), [
    ("Ông Nguyễn Văn Bình, ĐBHĐND xã, tiếp xúc cử tri.", "đại biểu hội đồng nhân dân xã"),
    ("UBBC xã niêm yết danh sách cử tri tại 9 KVBP.", "ủy ban bầu cử xã niêm yết danh sách cử tri tại chín khu vực bỏ phiếu"),
    ("Trường PTDTBT TH&THCS Thần Sa khai giảng năm học mới.", "phổ thông dân tộc bán trú tiểu học và trung học cơ sở thần sa"),
    ("100% GV tham gia BDTX hè.", "giáo viên tham gia bồi dưỡng thường xuyên hè"),
    ("Huyện ghi nhận 12 ca SXH và 3 ca TCM.", "mười hai ca sốt xuất huyết và ba ca tay chân miệng"),
    ("Tổ QLBVR thôn Na Mao tuần tra; tiền DVMTR chi đúng hạn.", "tổ quản lý bảo vệ rừng thôn na mao"),
    ("Xã không để DTLCP lây lan.", "không để dịch tả lợn châu phi lây lan"),
    ("Phòng CSCĐ Công an tỉnh tăng cường tuần tra.", "phòng cảnh sát cơ động công an tỉnh"),
    ("Lập biên bản VPHC đối với xe máy.", "biên bản vi phạm hành chính đối với xe máy"),
    ("Kế hoạch 15 năm thực hiện phong trào TDĐKXDĐSVH.", "toàn dân đoàn kết xây dựng đời sống văn hóa"),
    ("Giải vô địch trao 3 HCV, 2 HCB và 4 HCĐ.", "ba huy chương vàng hai huy chương bạc và bốn huy chương đồng"),
    ("Thực hiện NQ số 19 của BCH TW.", "thực hiện nghị quyết số mười chín của ban chấp hành trung ương"),
    ("Chi trả trợ cấp BTXH cho 1.200 NKT.", "trợ cấp bảo trợ xã hội cho một nghìn hai trăm người khuyết tật"),
    ("Dự án có vốn 12 tỷ đồng, CĐT là UBND huyện.", "mười hai tỷ đồng chủ đầu tư là ủy ban nhân dân huyện"),
])
def test_new_abbreviations_in_sentences(lexicon, written, piece):
    out = " ".join(re.sub(r"[^\w\s]", " ", spoken_form(written, lexicon=lexicon)).split())
    assert piece in out, out


@pytest.mark.parametrize("word", ["HS", "CN", "BTC", "BCT", "BKS", "ĐTC"])
def test_ambiguous_abbreviations_are_still_spelled_and_flagged(word):
    # "HS" is học sinh or hồ sơ, "BTC" ban tổ chức or bộ tài chính: the list leaves them out, the editor decides
    text = f"Theo {word} huyện, công việc đã xong."
    assert spoken_form(text).startswith("theo " + " ".join({"H": "hát", "S": "ét", "C": "xê", "N": "en nờ", "B": "bê",
                                                             "T": "tê", "A": "a", "K": "ca", "Đ": "đê"}[c] for c in word))
    assert [w.excerpt for w in proofread(text) if w.code == "unknown_acronym"] == [word]


def test_a_document_code_part_is_flagged_in_prose_only():
    # inside a code "BTC" reads "bộ tài chính" and "TWPCTT" is made of known parts: no warning there
    assert not [w for w in proofread("Căn cứ Thông tư 34/2023/TT-BTC và Công điện 5/CĐ-TWPCTT.")
                if w.code == "unknown_acronym"]
    # in prose the radio spells them, so the editor is told
    warned = [w.excerpt for w in proofread("BTC giải chạy và TWPCTT đã họp. Theo 34/TT-BTC.") if w.code == "unknown_acronym"]
    assert warned == ["BTC", "TWPCTT"]
