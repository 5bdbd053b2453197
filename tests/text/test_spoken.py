"""spoken_form, one table per rule of issue 3. Sentences are written for these tests."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.text import Lexicon, spoken_form


from tests.text.reading import plain, said


TONE_AND_UNICODE = [
    ("Hoà bình", "hòa bình"),
    ("Sức khoẻ cộng đồng", "sức khỏe cộng đồng"),
    ("Thuỷ lợi Phú Thọ", "thủy lợi phú thọ"),
    ("Uỷ ban", "ủy ban"),
    ("Tuỳ theo mùa", "tùy theo mùa"),
    ("Quý khách", "quý khách"),
    ("Hoàn thành", "hoàn thành"),
    ("Ðại hội chi bộ", "đại hội chi bộ"),
    ("Ngư\u200bời\ufeff dân", "người dân"),
    ("ma\u0300u xanh", "màu xanh"),
    ("Lễ\u00a0hội\u2009xuân", "lễ hội xuân"),
    ("VĂN HOÁ CƠ SỞ", "văn hóa cơ sở"),
]


@pytest.mark.parametrize(("written", "spoken"), TONE_AND_UNICODE)
def test_unicode_and_tone_placement(written, spoken):
    assert said(written) == plain(spoken)


LEGACY = [
    ("Héi n«ng d©n x· La Hiªn", "hội nông dân xã la hiên"),
    ("Phong trµo thi ®ua yªu n\xadíc", "phong trào thi đua yêu nước"),
    ("Hoäi noâng daân xaõ La Hieân", "hội nông dân xã la hiên"),
    ("Phong traøo thi ñua yeâu nöôùc", "phong trào thi đua yêu nước"),
]


@pytest.mark.parametrize(("written", "spoken"), LEGACY)
def test_legacy_text_is_read(written, spoken):
    assert said(written) == plain(spoken)


NUMBERS = [
    ("Xã có 21 thôn", "xã có hai mươi mốt thôn"),
    ("Trao 05 suất quà", "trao năm suất quà"),
    ("Huyện có 64.850 nhân khẩu", "huyện có sáu mươi tư nghìn tám trăm năm mươi nhân khẩu"),
    ("Tỷ lệ hộ nghèo còn 3,25%", "tỷ lệ hộ nghèo còn ba phẩy hai mươi lăm phần trăm"),
    ("Tăng 12% so với năm trước", "tăng mười hai phần trăm so với năm trước"),
    ("Hỗ trợ 2.500.000 đồng", "hỗ trợ hai triệu năm trăm nghìn đồng"),
    ("Quỹ được 350.000đ", "quỹ được ba trăm năm mươi nghìn đồng"),
    ("Tổng vốn 12,5 tỷ đồng", "tổng vốn mười hai phẩy năm tỷ đồng"),
    ("Giá 1.200 USD", "giá một nghìn hai trăm đô la mỹ"),
    ("Trồng 120 ha chè", "trồng một trăm hai mươi héc ta chè"),
    ("Trồng 3.500ha keo", "trồng ba nghìn năm trăm héc ta keo"),
    ("Năng suất 55 tạ/ha", "năng suất năm mươi lăm tạ trên héc ta"),
    ("Mở 4,5 km đường", "mở bốn phẩy năm ki lô mét đường"),
    ("Làm mới 850 m2 sân", "làm mới tám trăm năm mươi mét vuông sân"),
    ("Đổ 30 m3 bê tông", "đổ ba mươi mét khối bê tông"),
    ("Thu 2 tấn/ha", "thu hai tấn trên héc ta"),
    ("Mật độ 95 người/km2", "mật độ chín mươi lăm người trên ki lô mét vuông"),
    ("Nặng 45 kg", "nặng bốn mươi lăm ki lô gam"),
    ("Nhiệt độ 35°C", "nhiệt độ ba mươi lăm độ xê"),
    ("Hơn 2/3 số hộ", "hơn hai phần ba số hộ"),
    ("Chiếm 1/4 diện tích", "chiếm một phần tư diện tích"),
    ("Đạt 3/15 tiêu chí", "đạt ba trên mười lăm tiêu chí"),
    ("Huyện có 7/14 xã đạt chuẩn", "huyện có bảy trên mười bốn xã đạt chuẩn"),
    ("15/15 xã, thị trấn", "mười lăm trên mười lăm xã, thị trấn"),
    ("Chiếm 2/3 số hộ", "chiếm hai phần ba số hộ"),
    ("Bằng 1/20 dự toán", "bằng một phần hai mươi dự toán"),
    ("Tuyến Quốc lộ 1B qua xã", "tuyến quốc lộ một bê qua xã"),
    ("Học sinh lớp 12A", "học sinh lớp mười hai a"),
    ("Trường PTDTBT Tiểu học Thần Sa", "trường phổ thông dân tộc bán trú tiểu học thần sa"),
    ("Từ 5-7 người", "từ năm đến bảy người"),
    ("Khoảng 20 - 30%", "khoảng hai mươi đến ba mươi phần trăm"),
    ("Đạt 7,6 nghìn ha", "đạt bảy phẩy sáu nghìn héc ta"),
    ("Nhiệt độ −5 độ", "nhiệt độ âm năm độ"),
]


@pytest.mark.parametrize(("written", "spoken"), NUMBERS)
def test_numbers_units_money(written, spoken):
    assert said(written) == plain(spoken)


PHONES = [
    ("Gọi 0912.345.678 để báo tin", "gọi không chín một hai ba bốn năm sáu bảy tám để báo tin"),
    ("Điện thoại: 0208 3827 111", "điện thoại không hai không tám ba tám hai bảy một một một"),
    ("Đường dây nóng 113", "đường dây nóng một một ba"),
    ("Tổng đài 1900 5678", "tổng đài một chín không không năm sáu bảy tám"),
    ("Liên hệ +84 912 345 678", "liên hệ cộng tám bốn chín một hai ba bốn năm sáu bảy tám"),
]


@pytest.mark.parametrize(("written", "spoken"), PHONES)
def test_phone_numbers_in_digit_groups(written, spoken):
    assert said(written) == plain(spoken)


ORDINALS = [
    ("Lần thứ 1", "lần thứ nhất"),
    ("Kỳ họp thứ 4", "kỳ họp thứ tư"),
    ("Hội nghị lần thứ 14", "hội nghị lần thứ mười bốn"),
    ("Giải 1 cuộc thi", "giải nhất cuộc thi"),
    ("Hạng 2", "hạng nhì"),
    ("Thứ 7 tuần này", "thứ bảy tuần này"),
]


@pytest.mark.parametrize(("written", "spoken"), ORDINALS)
def test_ordinals(written, spoken):
    assert said(written) == plain(spoken)


DATES = [
    ("Ngày 2/9/1945", "ngày hai tháng chín năm một nghìn chín trăm bốn mươi lăm"),
    ("Ký ngày 15.4.2024", "ký ngày mười lăm tháng tư năm hai nghìn không trăm hai mươi tư"),
    ("Tính đến 30/6/2024", "tính đến ngày ba mươi tháng sáu năm hai nghìn không trăm hai mươi tư"),
    ("Sáng 21/4, xã họp", "sáng hai mươi mốt tháng tư, xã họp"),
    ("Tối 3-2, đoàn về", "tối ba tháng hai, đoàn về"),
    ("Chiều 4.7 trời mưa", "chiều bốn tháng bảy trời mưa"),
    ("Từ 10/5 đến 20/5", "từ ngày mười tháng năm đến ngày hai mươi tháng năm"),
    ("Trong tháng 4/2024", "trong tháng tư năm hai nghìn không trăm hai mươi tư"),
    ("Hết tháng 9-2023", "hết tháng chín năm hai nghìn không trăm hai mươi ba"),
    ("Số liệu 12/2022", "số liệu tháng mười hai năm hai nghìn không trăm hai mươi hai"),
    ("Ngày 05 tháng 04 năm 2024", "ngày năm tháng tư năm hai nghìn không trăm hai mươi tư"),
    ("ngày 1 tháng 1 năm 2000", "ngày một tháng một năm hai nghìn"),
    ("Giai đoạn 2026-2030", "giai đoạn hai nghìn không trăm hai mươi sáu đến hai nghìn không trăm ba mươi"),
    ("Nhiệm kỳ 2021 – 2026", "nhiệm kỳ hai nghìn không trăm hai mươi mốt đến hai nghìn không trăm hai mươi sáu"),
    ("Kỷ niệm (3/2/1930 - 3/2/2025)",
     "kỷ niệm ngày ba tháng hai năm một nghìn chín trăm ba mươi đến ngày ba tháng hai năm hai nghìn không trăm hai mươi lăm"),
    ("Từ 1-5/8/2024", "từ ngày một đến ngày năm tháng tám năm hai nghìn không trăm hai mươi tư"),
    ("Ngày 12 và 13/10", "ngày mười hai và mười ba tháng mười"),
]


@pytest.mark.parametrize(("written", "spoken"), DATES)
def test_dates_and_ranges(written, spoken):
    assert said(written) == plain(spoken)


TIMES = [
    ("Khai mạc lúc 7h30", "khai mạc lúc bảy giờ ba mươi phút"),
    ("Bắt đầu 14h", "bắt đầu mười bốn giờ"),
    ("Họp lúc 09h00’", "họp lúc chín giờ"),
    ("Đến 20:45 tối", "đến hai mươi giờ bốn mươi lăm phút tối"),
    ("Lúc 8 giờ 30", "lúc tám giờ ba mươi phút"),
    ("Lúc 8 giờ 30 phút", "lúc tám giờ ba mươi phút"),
    ("Từ 7h - 11h30", "từ bảy giờ đến mười một giờ ba mươi phút"),
    ("Đăng lúc 06:05:09", "đăng lúc sáu giờ năm phút chín giây"),
]


@pytest.mark.parametrize(("written", "spoken"), TIMES)
def test_times(written, spoken):
    assert said(written) == plain(spoken)


ROMANS = [
    ("Đại hội XIV của Đảng", "đại hội mười bốn của đảng"),
    ("HĐND huyện khóa XX", "hội đồng nhân dân huyện khóa hai mươi"),
    ("Lần thứ IV", "lần thứ tư"),
    ("Lần thứ I", "lần thứ nhất"),
    ("Đạt chuẩn mức độ II", "đạt chuẩn mức độ hai"),
    ("Thế kỷ XXI", "thế kỷ hai mươi mốt"),
    ("Trong quý III/2024", "trong quý ba năm hai nghìn không trăm hai mươi tư"),
    ("Huân chương hạng III", "huân chương hạng ba"),
    ("Tôi là I", "tôi là i"),
    ("Khu C trường học", "khu xê trường học"),
    ("Vitamin C", "vitamin xê"),
    ("MIX tại thôn", "em mờ i ích tại thôn"),
]


@pytest.mark.parametrize(("written", "spoken"), ROMANS)
def test_roman_numerals_only_in_context(written, spoken):
    assert said(written) == plain(spoken)


DOC_CODES = [
    ("Kế hoạch số 12/KH-UBND", "kế hoạch số mười hai kế hoạch ủy ban nhân dân"),
    ("Chỉ thị 27-CT/TW", "chỉ thị hai mươi bảy chỉ thị trung ương"),
    ("Nghị định 73/2017/NĐ-CP", "nghị định bảy mươi ba năm hai nghìn không trăm mười bảy nghị định chính phủ"),
    ("Công văn 1520/CV-UBND", "công văn một nghìn năm trăm hai mươi công văn ủy ban nhân dân"),
    ("Quyết định số 07/QĐ-UBND", "quyết định số bảy quyết định ủy ban nhân dân"),
    ("Nghị quyết 09-NQ/HU", "nghị quyết chín nghị quyết huyện ủy"),
    ("Thông tư 12/2019/TT-BNV", "thông tư mười hai năm hai nghìn không trăm mười chín thông tư bộ nội vụ"),
    ("Thông báo 55-TB/TU", "thông báo năm mươi lăm thông báo tỉnh ủy"),
    ("Luật 06/2022/QH15", "luật sáu năm hai nghìn không trăm hai mươi hai quốc hội mười lăm"),
    ("Văn bản 88/XYZ", "văn bản tám mươi tám ích i dài dét"),
    # A code number with a thousands dot is still one number (held-out probe, 2025).
    ("Quyết định số 2.125/QĐ-UBND", "quyết định số hai nghìn một trăm hai mươi lăm quyết định ủy ban nhân dân"),
    ("Công văn 1.047/UBND-KT", "công văn một nghìn không trăm bốn mươi bảy ủy ban nhân dân kinh tế"),
    ("Thông tư 3.210/2021/TT-BTC", "thông tư ba nghìn hai trăm mười năm hai nghìn không trăm hai mươi mốt thông tư bộ tài chính"),
]


@pytest.mark.parametrize(("written", "spoken"), DOC_CODES)
def test_document_codes(written, spoken):
    assert said(written) == plain(spoken)


ABBREVIATIONS = [
    ("UBND xã Dân Tiến", "ủy ban nhân dân xã dân tiến"),
    ("Chủ tịch HĐND huyện", "chủ tịch hội đồng nhân dân huyện"),
    ("Hội đồng TĐKT huyện", "hội đồng thi đua khen thưởng huyện"),
    ("Phát triển KTXH", "phát triển kinh tế xã hội"),
    ("Ủy ban MTTQ xã", "ủy ban mặt trận tổ quốc xã"),
    ("TT Huyện ủy chỉ đạo", "thường trực huyện ủy chỉ đạo"),
    ("TT HĐND tỉnh", "thường trực hội đồng nhân dân tỉnh"),
    ("TT Y tế huyện", "trung tâm y tế huyện"),
    ("TT Văn hóa huyện", "trung tâm văn hóa huyện"),
    ("TP.Thái Nguyên", "thành phố thái nguyên"),
    ("TP. Sông Công", "thành phố sông công"),
    ("TX Phổ Yên", "thị xã phổ yên"),
    ("TX. Phổ Yên", "thị xã phổ yên"),
    ("Sở NN&PTNT", "sở nông nghiệp và phát triển nông thôn"),
    ("Hợp tác xã và HTX", "hợp tác xã và hợp tác xã"),
    ("Đường dài hàng trăm km", "đường dài hàng trăm ki lô mét"),
    ("Trường THPT Võ Nhai", "trường trung học phổ thông võ nhai"),
    ("Bài trên Facebook", "bài trên phây búc"),
    ("Dịch Covid-19", "dịch cô vít mười chín"),
    ("Nhóm THXK", "nhóm tê hát ích ca"),
    ("Đ/c Lò Văn Pấng phát biểu", "đồng chí lò văn pấng phát biểu"),
    ("các đ/c trong Ban Thường vụ", "các đồng chí trong ban thường vụ"),
    ("hội thảo, tọa đàm, v.v.", "hội thảo, tọa đàm, vân vân"),
    ("TAND huyện xét xử lưu động", "tòa án nhân dân huyện xét xử lưu động"),
    ("VKSND tỉnh kiểm sát", "viện kiểm sát nhân dân tỉnh kiểm sát"),
    ("LLVT huyện ra quân", "lực lượng vũ trang huyện ra quân"),
    ("CBCCVC và NLĐ quyên góp", "cán bộ công chức viên chức và người lao động quyên góp"),
]


@pytest.mark.parametrize(("written", "spoken"), ABBREVIATIONS)
def test_abbreviations(written, spoken):
    assert said(written) == plain(spoken)


NEWSROOM_LEXICON = Lexicon.from_toml(
    (Path(__file__).resolve().parents[2] / "content" / "lexicon.toml").read_text(encoding="utf-8")
)
NEWSROOM_ABBREVIATIONS = [
    ("UBND P. Quang Trung ra quân", "ủy ban nhân dân phường quang trung ra quân"),
    ("Lực lượng DQTV xã", "lực lượng dân quân tự vệ xã"),
    ("Viện KSND huyện", "viện kiểm sát nhân dân huyện"),
    ("Hội NCT thôn Bản Mòng", "hội người cao tuổi thôn bản mòng"),
    ("Giữ vững QP-AN", "giữ vững quốc phòng an ninh"),
    ("Trung tâm GDNN-GDTX huyện", "trung tâm giáo dục nghề nghiệp giáo dục thường xuyên huyện"),
    ("Khen thưởng 12 CNVCLĐ", "khen thưởng mười hai công nhân viên chức lao động"),
    ("GS.TS Hà Văn Quế; TS Vi Thị Hoa; ThS Mã Văn Lìn", "giáo sư tiến sĩ hà văn quế; tiến sĩ vi thị hoa; thạc sĩ mã văn lìn"),
    ("Gọi SĐT 0912 111 222", "gọi số điện thoại không chín một hai một một một hai hai hai"),
    ("Tuyến QL.3 và QL 37", "tuyến quốc lộ ba và quốc lộ ba mươi bảy"),
    ("Kính gửi ông/bà trưởng thôn", "kính gửi ông bà trưởng thôn"),
]


@pytest.mark.parametrize(("written", "spoken"), NEWSROOM_ABBREVIATIONS)
def test_newsroom_lexicon_abbreviations(written, spoken):
    assert said(written, lexicon=NEWSROOM_LEXICON) == plain(spoken)


DIALECTS = [
    ("Có 1.000 người", "có một nghìn người", "có một ngàn người"),
    ("Năm 2005", "năm hai nghìn không trăm linh năm", "năm hai ngàn không trăm lẻ năm"),
    ("Có 24 hộ", "có hai mươi tư hộ", "có hai mươi bốn hộ"),
]


@pytest.mark.parametrize(("written", "north", "south"), DIALECTS)
def test_dialects(written, north, south):
    assert said(written) == north
    assert said(written, dialect="south") == south


PUNCTUATION = [
    ("Xã họp (lần 2).", "xã họp, lần hai."),
    ("Ông nói: “Tốt lắm!”", "ông nói: tốt lắm!"),
    ("Kinh tế - xã hội phát triển?", "kinh tế, xã hội phát triển?"),
    ("Một; hai, ba", "một; hai, ba"),
]


@pytest.mark.parametrize(("written", "spoken"), PUNCTUATION)
def test_sentence_punctuation_is_kept(written, spoken):
    assert spoken_form(written) == spoken


def test_station_overrides():
    lexicon = Lexicon.from_mapping({
        "abbreviations": {"UBND": "ủy ban nhân dân"},
        "station": {"xa-a": {"words": {"Pác Bó": "pác pó"}, "abbreviations": {"UBND": "ủy ban"}}},
    })
    assert spoken_form("UBND Pác Bó", lexicon=lexicon) == "ủy ban nhân dân pác bó"
    assert spoken_form("UBND Pác Bó", lexicon=lexicon, station="xa-a") == "ủy ban pác pó"
    assert spoken_form("UBND Pác Bó", lexicon=lexicon, station="unknown") == "ủy ban nhân dân pác bó"


def test_output_is_nfc_lowercase_words():
    out = spoken_form("Ngày 2/9, UBND xã Tràng Xá trao 15 suất quà trị giá 500.000đ/suất.")
    assert out == ("ngày hai tháng chín, ủy ban nhân dân xã tràng xá trao mười lăm suất quà "
                   "trị giá năm trăm nghìn đồng trên suất.")


def test_never_raises_on_odd_input():
    assert spoken_form(None) == "none"  # type: ignore[arg-type]
    assert spoken_form("") == ""
    assert spoken_form("٣٤ và ３５ và ²") == "ba mươi tư và ba mươi lăm và hai"


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_any_unicode_never_raises_or_returns_a_digit(text):
    out = spoken_form(text)
    assert isinstance(out, str)
    assert not any(c in "0123456789" for c in out)
    assert not any(c.isdigit() for c in out)


NUMERIC_TEXT = st.lists(
    st.one_of(st.integers(0, 10**13).map(str), st.sampled_from(list("/.-,:h%() ")), st.sampled_from(
        ["ngày", "tháng", "năm", "thứ", "khóa", "XIV", "UBND", "ha", "km2", "KH", "-CT/TW", "lúc", "0"])),
    max_size=12,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(NUMERIC_TEXT)
def test_number_heavy_text_never_returns_a_digit(text):
    out = spoken_form(text)
    assert not any(c.isdigit() for c in out)
