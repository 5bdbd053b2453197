"""General rules of round nine (issue 14), each on sentences written for this file."""


import pytest

from flows.text.domains import name_words


from tests.text.reading import said


@pytest.mark.parametrize(("written", "piece"), [
    ("Đoàn công tác của T.Ư Đoàn thăm huyện Võ Nhai.", "của trung ương đoàn thăm"),
    ("Bệnh nhân được chuyển lên Bệnh viện T.W Thái Nguyên.", "bệnh viện trung ương thái nguyên"),
    ("Ủy viên Ban Chấp hành T.Ư Hội Nông dân dự lễ.", "ban chấp hành trung ương hội nông dân"),
])
def test_dotted_central_is_trung_uong(written, piece):
    assert piece in said(written)


@pytest.mark.parametrize(("written", "piece"), [
    # a dot inside the serial is not said; a group with a leading zero is read digit by digit
    ("Xe khách 20B-031.47 bị giữ lại.", "hai mươi bê không ba một bốn mươi bảy bị"),
    ("Chiếc xe tải 20C-215.00 lật ở dốc.", "hai mươi xê hai trăm mười lăm không không lật"),
    ("Xe con 30A - 512.68 đỗ bên đường.", "ba mươi a năm trăm mười hai sáu mươi tám đỗ"),
    # a four-digit serial is digits, with or without a digit in the series
    ("Anh lái xe máy 20K3-5091 về nhà.", "hai mươi ca ba năm không chín một về"),
    ("Xe 20H-1234 đi trước.", "hai mươi hát một hai ba bốn đi"),
    # masked digits stay "ích ích"
    ("Ô tô 20A.345.xx vượt ẩu.", "hai mươi a ba trăm bốn mươi lăm ích ích vượt"),
])
def test_plate_serials_are_read_in_their_groups(written, piece):
    assert piece in said(written)


@pytest.mark.parametrize(("written", "piece"), [
    ("Xe mang BKS 20A-123.45 bị tạm giữ.", "mang biển kiểm soát hai mươi a"),
    ("Chiếc xe BKS số 20C-067.12 chở gỗ lậu.", "xe biển kiểm soát số hai mươi xê không sáu bảy mười hai"),
])
def test_bks_before_a_plate_is_bien_kiem_soat(written, piece):
    assert piece in said(written)


def test_bks_without_a_plate_is_not_read_as_a_plate():
    # "BKS" of a cooperative's supervisory board: no plate follows, so it is not "biển kiểm soát"
    assert "biển kiểm soát" not in said("Trưởng BKS hợp tác xã báo cáo trước đại hội.")


@pytest.mark.parametrize(("written", "piece"), [
    ("Theo Baothainguyen.vn, huyện đã hoàn thành kế hoạch.", "theo báo thái nguyên chấm vê en nờ huyện"),
    ("(Baolangson.vn) - Sáng nay, tỉnh họp.", "báo lạng sơn chấm vê en nờ sáng nay"),
    ("Thông tin đăng trên Thainguyen.gov.vn: lịch tiếp dân.", "thái nguyên chấm giê o vê chấm vê en nờ lịch"),
    ("Bạn đọc xem thêm tại Dantri.com.vn.", "dân trí chấm xê o em mờ chấm vê en nờ"),
    ("Lịch tiếp dân đăng tại www.thainguyen.gov.vn hằng tuần.",
     "vê kép vê kép vê kép chấm thái nguyên chấm giê o vê chấm vê en nờ hằng"),
    ("Bài đăng trên dangcongsan.vn hôm qua.", "trên đảng cộng sản chấm vê en nờ hôm"),
])
def test_a_joined_site_name_is_read_as_its_words(written, piece):
    assert piece in said(written)


@pytest.mark.parametrize(("written", "piece"), [
    ("Theo Soha.vn, giá vàng tăng.", "theo soha chấm vê en nờ giá"),  # not all known pieces: as written
    ("VOV.VN - Sáng nay mưa to.", "vê o vê chấm vê en nờ sáng"),  # all capitals: spelled
    ("Theo vtv.vn, bão đã suy yếu.", "theo vê tê vê chấm vê en nờ bão"),  # no vowel to say: spelled
])
def test_a_site_name_that_is_not_known_words_is_kept(written, piece):
    assert piece in said(written)


def test_name_words_needs_a_full_cover():
    assert name_words("baoquangninh") == "báo quảng ninh"
    assert name_words("baoxyz") is None
    assert name_words("báo") is None


@pytest.mark.parametrize(("written", "piece"), [
    ("Bà Hoa, P.trưởng phòng Tài chính, phát biểu.", "phó trưởng phòng tài chính"),
    ("Ông Nam, P. Giám đốc Sở Y tế, kiểm tra.", "phó giám đốc sở y tế"),
    ("Anh Tùng, P.Bí thư Huyện đoàn, dự lễ.", "phó bí thư huyện đoàn"),
])
def test_p_before_a_role_is_pho(written, piece):
    assert piece in said(written)


@pytest.mark.parametrize("written", ["Hội nghị tổ chức tại P. Hoàng Văn Thụ.", "Nhà văn hóa P. Chánh Nghĩa mở cửa."])
def test_p_before_a_place_is_not_pho(written):
    assert "phó" not in said(written)


@pytest.mark.parametrize(("written", "piece"), [
    ("Người dân phản ánh qua số 3855222 của ban tiếp dân.", "số ba tám năm năm hai hai hai của"),
    ("Gọi đường dây hỗ trợ – 19001234.", "một chín không không một hai ba bốn"),
])
def test_a_bare_seven_or_eight_digit_run_is_a_phone_number(written, piece):
    assert piece in said(written)


def test_a_large_amount_written_without_dots_is_still_a_number():
    assert "một triệu hai trăm nghìn đồng" in said("Mỗi hộ được hỗ trợ 1200000 đồng.")


@pytest.mark.parametrize(("written", "piece"), [
    ("Trẻ được tiêm vaccine phòng bệnh.", "tiêm vắc xin phòng"),
    ("Xã phun thuốc diệt virus gây bệnh.", "diệt vi rút gây"),
    ("Chiến dịch tiêm sởi, rubella cho trẻ.", "sởi ru bê la cho"),
    ("Cán bộ thú y lấy mẫu để test nhanh.", "để tét nhanh"),
    ("Ba xe container chở hàng qua cửa khẩu.", "xe công te nơ chở"),
])
def test_english_spelled_loanwords_are_read_as_newsreaders_say_them(written, piece):
    assert piece in said(written)


@pytest.mark.parametrize(("written", "piece"), [
    ("Ban Bí thư TƯ Đoàn gửi thư khen.", "ban bí thư trung ương đoàn gửi"),
    ("Hội nghị TƯ 8 bàn về kinh tế.", "hội nghị trung ương tám bàn"),
    ("Ủy ban TƯ MTTQ Việt Nam phát động.", "ủy ban trung ương mặt trận tổ quốc"),
])
def test_tu_in_ordinary_text_is_trung_uong(written, piece):
    assert piece in said(written)


@pytest.mark.parametrize(("written", "piece"), [
    ("SỞ TƯ PHÁP THÔNG BÁO LỊCH TIẾP DÂN", "sở tư pháp thông báo"),
    ("LỊCH TRỰC NGÀY THỨ TƯ", "ngày thứ tư"),
    ("Họp vào Thứ TƯ tuần sau.", "thứ tư tuần sau"),
])
def test_tu_in_capitals_or_after_a_number_word_is_the_syllable(written, piece):
    assert piece in said(written)


@pytest.mark.parametrize(("written", "piece"), [
    ("Đoàn khách đi tour tham quan hang động.", "đi tua tham quan"),
    ("Nhà trường trang bị robot cho phòng học.", "trang bị rô bốt cho"),
    ("Bình gas trong bếp bị rò rỉ.", "bình ga trong"),
    ("Công an thu giữ ketamine và cocaine.", "thu giữ ke ta min và cô ca in"),
])
def test_more_loanwords(written, piece):
    assert piece in said(written)
