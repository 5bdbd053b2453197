"""A story defines its own abbreviations; later uses in the same story read the definition (issue 14, round eight).

Sentences written for this file. The bulletin voices a whole story, and spoken_form(..., context=) reads a sentence
after the story so far (what bench/spoken.py does with a row's `context`).
"""


import pytest

from flows.text import Lexicon, make_spoken_form, proofread
from flows.text.abbreviations import defined_abbreviations

from tests.text import reading

EMPTY = Lexicon.from_mapping({})  # no entries at all: whatever is read as words comes from the story itself


def said(text: str, context: str = "", lexicon: Lexicon | None = EMPTY) -> str:
    return reading.said(text, lexicon=lexicon, context=context)


def test_a_definition_in_an_earlier_sentence_reads_later_uses():
    story = ("Huyện Võ Nhai tăng cường công tác quản lý bảo vệ rừng (QLBVR) trong mùa khô.\n"
             "Các tổ QLBVR của 15 xã tuần tra mỗi ngày.")
    assert "các tổ quản lý bảo vệ rừng của mười lăm xã" in said(story)
    # the same sentence alone spells the letters; after the story so far it reads the words
    later = "Các tổ QLBVR của 15 xã tuần tra mỗi ngày."
    assert "quy e lờ bê vê e rờ" in said(later)
    assert said(later, context=story.split("\n")[0]) == "các tổ quản lý bảo vệ rừng của mười lăm xã tuần tra mỗi ngày"


def test_definition_with_a_comma_inside_and_two_in_a_row():
    first = "Để giữ rừng (GR), phòng cháy, chữa cháy rừng (PCCCR), hạt kiểm lâm trực 24/24 giờ."
    assert said("Tổ đội GR, PCCCR họp.", context=first) == "tổ đội giữ rừng phòng cháy chữa cháy rừng họp"


def test_the_bracketed_abbreviation_itself_reads_its_words():
    # the convention of the development set for "(NTM)": the brackets are read as the words too
    assert said("Xây dựng nông thôn mới kiểu mẫu (NTMKM) năm nay.") == (
        "xây dựng nông thôn mới kiểu mẫu nông thôn mới kiểu mẫu năm nay")


def test_viet_tat_la_and_goi_tat_la():
    story = "Hợp tác xã chè Tân Lập, viết tắt là HTXCTL, có 30 thành viên. Năm nay HTXCTL bán 12 tấn chè."
    out = said(story)
    assert "năm nay hợp tác xã chè tân lập bán mười hai tấn chè" in out
    # the abbreviation being named after "viết tắt là" stays as written (spelled), as the newsroom reads it
    assert "viết tắt là hát tê ích xê tê e lờ" in out
    legal = ("Ban quản lý rừng phòng hộ huyện (sau đây gọi tắt là BQLRPH huyện) chịu trách nhiệm.\n"
             "BQLRPH huyện báo cáo hằng quý.")
    assert said(legal).endswith("ban quản lý rừng phòng hộ huyện báo cáo hằng quý")


def test_reverse_definition_words_in_brackets_after_the_abbreviation():
    story = "Các tổ BVRX (bảo vệ rừng xã) tuần tra.\nTổ BVRX Thần Sa có 12 người."
    assert said(story).endswith("tổ bảo vệ rừng xã thần sa có mười hai người")


def test_small_words_the_abbreviation_leaves_out():
    assert defined_abbreviations("Sở Lao động - Thương binh và Xã hội (SLĐTBXHX) họp.") == {}
    assert defined_abbreviations("Sở Lao động - Thương binh và Xã hội (SLĐTBXH) họp.") == {
        "SLĐTBXH": "sở lao động thương binh và xã hội"}
    assert defined_abbreviations("Khoa học và Công nghệ (KH&CN) phát triển.") == {"KH&CN": "khoa học và công nghệ"}


@pytest.mark.parametrize("text", [
    "Ngày Y tế Thế giới, viết tắt là WHD (World Health Day), vào ngày 7/4.",  # foreign words: not a definition
    "Ông Nguyễn Văn A (TTXVN) cho biết thêm.",  # a bracket whose letters are not the words before it
    "Đại hội lần thứ (IV) của Hội.",  # a Roman numeral
    "Xã Tân Lập (TX) và xã Tân Long (ĐT) họp.",  # initials that do not match the words before
    "Quy định (QĐ) mới.",  # letters match but "QĐ" reads from the lexicon as before: Q is "quy", Đ is "định"
])
def test_brackets_that_define_nothing_change_nothing(text):
    found = defined_abbreviations(text)
    if "QĐ" in text:
        assert found == {"QĐ": "quy định"}
    else:
        assert found == {}


def test_a_definition_overrides_the_lexicon_for_this_story_only():
    lex = Lexicon.default()
    # "BCH" is "ban chấp hành" by default; a story that defines it as a command board reads its own definition
    story = "Ban Chỉ huy (BCH) quân sự xã họp. BCH giao nhiệm vụ."
    assert said(story, lexicon=lex).endswith("ban chỉ huy giao nhiệm vụ")
    assert said("BCH giao nhiệm vụ.", lexicon=lex) == "ban chấp hành giao nhiệm vụ"


def test_context_is_read_not_spoken():
    out = said("Tổ GR họp.", context="Ban giữ rừng (GR) của xã có 40 người. Năm 2023 có 3 vụ cháy.")
    assert out == "tổ giữ rừng họp"
    assert make_spoken_form("Tổ họp.", context="Ban giữ rừng (GR).").text == "tổ họp."


def test_bad_context_is_ignored_not_fatal():
    assert make_spoken_form("Tổ GR họp.", context=None).text == "tổ giê e rờ họp."  # type: ignore[arg-type]
    form = make_spoken_form("Tổ GR họp.", context=12)  # type: ignore[arg-type]
    assert not form.fell_back and form.text == "tổ giê e rờ họp."


def test_proofreading_is_quiet_about_an_abbreviation_the_story_defines():
    story = "Tổ đội bảo vệ rừng thôn (BVRT) họp.\nTổ BVRT có 12 người."
    assert not [w for w in proofread(story) if w.code == "unknown_acronym"]
    reverse = "Các tổ BVRT (bảo vệ rừng thôn) họp."
    assert not [w for w in proofread(reverse) if w.code == "unknown_acronym"]
    assert [w.excerpt for w in proofread("Tổ BVRT có 12 người.") if w.code == "unknown_acronym"] == ["BVRT"]


def _bench_module(name: str, path: str):
    import importlib.util
    import sys
    from pathlib import Path

    file = Path(__file__).resolve().parents[2] / path
    sys.path.insert(0, str(file.parent))
    try:
        spec = importlib.util.spec_from_file_location(name, file)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)  # type: ignore[union-attr]
        return module
    finally:
        sys.path.remove(str(file.parent))


def test_bench_reads_a_rows_context_for_bantin_only():
    bench = _bench_module("bench_spoken", "bench/spoken.py")
    row = {"written": "Tổ GR họp.", "context": "Ban giữ rừng (GR) của xã."}
    seen = []
    bantin = bench.reader("bantin", lambda text, context="": seen.append((text, context)) or text)
    peer = bench.reader("sea-g2p", lambda text: seen.append((text,)) or text)
    bantin(row)
    peer(row)
    assert seen == [("Tổ GR họp.", "Ban giữ rừng (GR) của xã."), ("Tổ GR họp.",)]
    assert bench.reader("bantin", bench.bantin_system())(row) == "tổ giữ rừng họp."


def test_context_of_a_sentence_is_the_excerpt_before_it():
    add = _bench_module("add_context", "bench/data/raw/add_context.py")
    blocks = [["Tiêu đề một bài khác."],
              ["Tiêu đề bài rừng", "Bảo vệ rừng (BVR) là việc chung. Tổ BVR họp. Tổ BVR đi tuần."]]
    assert add.context_of("Tổ BVR họp.", blocks) == "Tiêu đề bài rừng\nBảo vệ rừng (BVR) là việc chung."
    assert add.context_of("Tiêu đề bài rừng", blocks) == ""
    assert add.context_of("Câu không có ở đâu.", blocks) is None


def test_a_hyphenated_abbreviation_is_defined_too():
    story = ("Trung tâm Văn hóa - Thể thao - Truyền thông (TTVH-TT-TT) huyện mở lớp bơi.\n"
             "Năm nay TTVH-TT-TT dạy 300 em.")
    assert said(story).endswith("năm nay trung tâm văn hóa thể thao truyền thông dạy ba trăm em")
    assert defined_abbreviations("Số 12-KH ngày 3-8 (KL-TW) của huyện.") == {}


@pytest.mark.parametrize("bracket", ["viết tắt của bảo vệ rừng xã", "tức bảo vệ rừng xã", "tức là: bảo vệ rừng xã"])
def test_reverse_definition_with_a_cue(bracket):
    assert said(f"Tổ BVRX ({bracket}) họp. BVRX đi tuần.").endswith("bảo vệ rừng xã đi tuần")
