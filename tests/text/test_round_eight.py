"""General rules of round eight (issue 14), each on sentences written for this file."""


import pytest

from flows.text import Lexicon, spoken_form


from tests.text.reading import said


@pytest.mark.parametrize(("written", "piece"), [
    ("Sáng 24/7, huyện Võ Nhai khai mạc hội chợ.", "sáng hai mươi tư tháng bảy huyện"),
    ("Từ ngày 24/7 đến 26/7 trời nắng.", "từ ngày hai mươi tư tháng bảy đến ngày hai mươi sáu tháng bảy"),
    ("Tổng đài trực 24/7 để nhận tin báo.", "trực hai mươi tư trên bảy để"),
    ("Đường dây nóng hoạt động 24/24h.", "hai mươi tư trên hai mươi tư giờ"),
])
def test_a_date_after_a_day_word_is_not_the_word_24_7(written, piece):
    assert piece in said(written)


@pytest.mark.parametrize(("written", "piece"), [
    ("Hội chợ diễn ra từ 26 đến 28-3 tại sân vận động huyện.",
     "từ ngày hai mươi sáu đến ngày hai mươi tám tháng ba tại"),
    ("Từ 2 đến 5/9, các xã treo cờ.", "từ ngày hai đến ngày năm tháng chín các xã"),
    ("Giải đấu kéo dài từ 10 tới 12.11 năm nay.", "từ ngày mười tới ngày mười hai tháng mười một"),
])
def test_a_run_of_days_from_a_bare_day(written, piece):
    assert piece in said(written)


@pytest.mark.parametrize(("written", "piece"), [
    ("Có từ 5 đến 7/10 xã đạt chuẩn.", "từ năm đến bảy trên mười xã"),  # counts, not dates
    ("Mỗi tổ từ 3 đến 5 người.", "từ ba đến năm người"),
    ("Từ 20 đến 25/30 hộ được hỗ trợ.", "từ hai mươi đến hai mươi lăm trên ba mươi hộ"),
])
def test_a_run_of_counts_stays_numbers(written, piece):
    assert piece in said(written)


@pytest.mark.parametrize(("written", "piece"), [
    ("Toàn tỉnh có 96/110 xã và 5/7 đơn vị cấp huyện hoàn thành.", "năm trên bảy đơn vị cấp huyện"),
    ("Đã có 12/15 thôn hoặc 3/4 trường hoàn thành.", "ba trên bốn trường"),
    ("Lễ mừng thọ tổ chức ngày 3/5 và 4/6 tại nhà văn hóa.", "ngày ba tháng năm và bốn tháng sáu tại"),
])
def test_a_count_after_and_stays_a_count(written, piece):
    assert piece in said(written)


@pytest.mark.parametrize("lexicon", [None, "content"])
def test_fatherland_front_tq(lexicon):
    from pathlib import Path

    lex = Lexicon.from_toml((Path(__file__).resolve().parents[2] / "content" / "lexicon.toml").read_text("utf-8")) \
        if lexicon else None
    assert "ủy ban mặt trận tổ quốc việt nam xã" in said("Ủy ban Mặt trận TQ Việt Nam xã Tràng Xá họp.", lex)
    assert said("Hàng TQ nhập lậu bị thu giữ.", lex) == "hàng tê quy nhập lậu bị thu giữ"


LEX_NO_PARTS = Lexicon.from_mapping({"abbreviations": {"PCCCR": "phòng cháy chữa cháy rừng",
                                                       "MTTQ": "mặt trận tổ quốc",
                                                       "TNXH": "tệ nạn xã hội"}})


@pytest.mark.parametrize(("written", "spoken"), [
    ("Tuyên truyền công tác phòng CCCR mùa khô.", "tuyên truyền công tác phòng cháy chữa cháy rừng mùa khô"),
    ("CÔNG TÁC BẢO VỆ VÀ PHÒNG CCCR", "công tác bảo vệ và phòng cháy chữa cháy rừng"),
    ("Ủy ban Mặt trận TQ xã họp.", "ủy ban mặt trận tổ quốc xã họp"),
])
def test_an_abbreviation_whose_first_words_are_written_out(written, spoken):
    assert said(written, LEX_NO_PARTS) == spoken


def test_written_heads_only_complete_a_known_abbreviation():
    # "bảo vệ R": BVR is no abbreviation here, so the letter is spelled as before; "tổ CCCR": TCCCR is none either
    assert said("Công tác bảo vệ R tốt.", LEX_NO_PARTS) == "công tác bảo vệ e rờ tốt"
    assert said("Các tổ CCCR họp.", LEX_NO_PARTS) == "các tổ xê xê xê e rờ họp"


def test_written_heads_complete_an_abbreviation_the_story_defined():
    story = "Đội phòng cháy, chữa cháy rừng xã (PCCCRX) thôn Na Hoàng trực. Đội phòng CCCRX sẵn sàng."
    assert said(story, Lexicon.from_mapping({})).endswith("đội phòng cháy chữa cháy rừng xã sẵn sàng")


def test_proofreading_knows_keys_of_several_tokens_and_written_heads():
    from flows.text import proofread

    lex = Lexicon.default()
    assert not [w for w in proofread("Phát triển KT-XH, đồng chí là UV BTV Huyện ủy.", lex) if w.code == "unknown_acronym"]
    assert not [w for w in proofread("Tuyên truyền công tác phòng CCCR.", LEX_NO_PARTS) if w.code == "unknown_acronym"]
    story = "Tổ công nghệ số xã (TCNSX) ra mắt. Tổ CNSX hướng dẫn dân."
    assert not [w for w in proofread(story, Lexicon.from_mapping({})) if w.code == "unknown_acronym"]
    assert [w.excerpt for w in proofread("Tổ CNSX hướng dẫn dân.", Lexicon.from_mapping({}))
            if w.code == "unknown_acronym"] == ["CNSX"]


def test_a_lone_letter_at_the_end_of_a_sentence_is_spelled():
    assert said("Trao 1 giải A, 2 giải B và 3 giải C.") == "trao một giải a hai giải bê và ba giải xê"
    assert said("Dãy nhà C\nDãy nhà D.") == "dãy nhà xê dãy nhà dê"
    # a capital with a full stop and more text after it may be an abbreviation: left to the lexicon as before
    assert spoken_form("khu Q. hoàn thành", lexicon=Lexicon.from_mapping({})) == "khu q. hoàn thành"
