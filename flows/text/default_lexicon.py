"""The built-in lexicon, so spoken_form works without content/lexicon.toml.

content/lexicon.toml is the newsroom's editable, richer copy; it holds every entry below (a test checks it).
Kept as TOML text so both share one format and this package reads no files.
"""

DEFAULT_LEXICON_TOML = r'''
# Administrative abbreviations, matched case-sensitively as whole tokens.
[abbreviations]
# Found on real text (issue 14): plans, laws and news of districts and provinces.
PBGDPL = "phổ biến giáo dục pháp luật"
PCT = "phó chủ tịch"
UV = "ủy viên"
"UV BTV" = "ủy viên ban thường vụ"
UBMTTQVN = "ủy ban mặt trận tổ quốc việt nam"
MTTQVN = "mặt trận tổ quốc việt nam"
"UBTƯ" = "ủy ban trung ương"
UBTW = "ủy ban trung ương"
VN = "việt nam"
TTCN = "tiểu thủ công nghiệp"
"CN-TTCN" = "công nghiệp tiểu thủ công nghiệp"
MTQG = "mục tiêu quốc gia"
"ĐBKK" = "đặc biệt khó khăn"
GPMB = "giải phóng mặt bằng"
TDTT = "thể dục thể thao"
"VĐV" = "vận động viên"
PCTT = "phòng chống thiên tai"
TKCN = "tìm kiếm cứu nạn"
"PCTT&TKCN" = "phòng chống thiên tai và tìm kiếm cứu nạn"
"PCTT-TKCN" = "phòng chống thiên tai và tìm kiếm cứu nạn"
PCLB = "phòng chống lụt bão"
"ATNĐ" = "áp thấp nhiệt đới"
NHCSXH = "ngân hàng chính sách xã hội"
XDCB = "xây dựng cơ bản"
QG = "quốc gia"
GDPT = "giáo dục phổ thông"
CTGDPT = "chương trình giáo dục phổ thông"
VKS = "viện kiểm sát"
"VKS ND" = "viện kiểm sát nhân dân"
"BGD&ĐT" = "bộ giáo dục và đào tạo"
"T.X" = "thị xã"
"km/h" = "ki lô mét trên giờ"
"b/c" = "báo cáo"
"V/v" = "về việc"
"v/v" = "về việc"
UBND = "ủy ban nhân dân"
"HĐND" = "hội đồng nhân dân"
MTTQ = "mặt trận tổ quốc"
UBMTTQ = "ủy ban mặt trận tổ quốc"
"TĐKT" = "thi đua khen thưởng"
KTXH = "kinh tế xã hội"
"KT-XH" = "kinh tế xã hội"
"TT-TT" = "thể thao truyền thông"
"VH-TT" = "văn hóa thông tin"
"VH-TT-TT" = "văn hóa thể thao truyền thông"
"PT-TH" = "phát thanh truyền hình"
PTTH = "phát thanh truyền hình"
THCS = "trung học cơ sở"
THPT = "trung học phổ thông"
PTDTBT = "phổ thông dân tộc bán trú"
PTDTNT = "phổ thông dân tộc nội trú"
"TP.HCM" = "thành phố hồ chí minh"
"TP. HCM" = "thành phố hồ chí minh"
"TP HCM" = "thành phố hồ chí minh"
TPHCM = "thành phố hồ chí minh"
HCM = "hồ chí minh"
"TP." = "thành phố"
TP = "thành phố"
"TX." = "thị xã"
TX = "thị xã"
GTVT = "giao thông vận tải"
PTNT = "phát triển nông thôn"
"NN&PTNT" = "nông nghiệp và phát triển nông thôn"
CHQS = "chỉ huy quân sự"
"LĐLĐ" = "liên đoàn lao động"
HTX = "hợp tác xã"
CCB = "cựu chiến binh"
"ĐTN" = "đoàn thanh niên"
TNCS = "thanh niên cộng sản"
LHPN = "liên hiệp phụ nữ"
BTV = "ban thường vụ"
"BCĐ" = "ban chỉ đạo"
CNH = "công nghiệp hóa"
"HĐH" = "hiện đại hóa"
"CNH-HĐH" = "công nghiệp hóa hiện đại hóa"
NTM = "nông thôn mới"
ATTP = "an toàn thực phẩm"
ANTT = "an ninh trật tự"
"ANTT-ATGT" = "an ninh trật tự an toàn giao thông"
ATGT = "an toàn giao thông"
CSGT = "cảnh sát giao thông"
CAND = "công an nhân dân"
"QĐND" = "quân đội nhân dân"
VHTT = "văn hóa thông tin"
VHTTDL = "văn hóa thể thao và du lịch"
"GD-ĐT" = "giáo dục và đào tạo"
"GDĐT" = "giáo dục và đào tạo"
KH-CN = "khoa học và công nghệ"
TN-MT = "tài nguyên và môi trường"
TNMT = "tài nguyên và môi trường"
BHXH = "bảo hiểm xã hội"
BHYT = "bảo hiểm y tế"
CNTT = "công nghệ thông tin"
DTTS = "dân tộc thiểu số"
UBKT = "ủy ban kiểm tra"
km = "ki lô mét"
km2 = "ki lô mét vuông"
m2 = "mét vuông"
m3 = "mét khối"
kg = "ki lô gam"
cm = "xăng ti mét"
mm = "mi li mét"
kWh = "ki lô oát giờ"
"&" = "và"
"%" = "phần trăm"

# People, forces and courts.
"Đ/c" = "đồng chí"
"đ/c" = "đồng chí"
"v.v" = "vân vân"
LLVT = "lực lượng vũ trang"
TAND = "tòa án nhân dân"
VKSND = "viện kiểm sát nhân dân"
CBCCVC = "cán bộ công chức viên chức"
"NLĐ" = "người lao động"

# Parts of document codes ("85/KH-UBND", "10/2022/TT-BLĐTBXH"). Inside a code these win over [abbreviations]:
# there "TT" is "thông tư". A part found in neither table is spelled letter by letter.
[doc_codes]
VBHN = "văn bản hợp nhất"
GDPT = "giáo dục phổ thông"
"BGD&ĐT" = "bộ giáo dục và đào tạo"
PCTT = "phòng chống thiên tai"
VT = "văn thư"
KH = "kế hoạch"
"QĐ" = "quyết định"
CT = "chỉ thị"
NQ = "nghị quyết"
KL = "kết luận"
TB = "thông báo"
BC = "báo cáo"
CV = "công văn"
TTr = "tờ trình"
HD = "hướng dẫn"
QC = "quy chế"
"QyĐ" = "quy định"
"QĐi" = "quy định"
"NĐ" = "nghị định"
TT = "thông tư"
TTLT = "thông tư liên tịch"
CP = "chính phủ"
TTg = "thủ tướng"
TW = "trung ương"
TU = "tỉnh ủy"
HU = "huyện ủy"
"ĐU" = "đảng ủy"
BNN = "bộ nông nghiệp"
BNNPTNT = "bộ nông nghiệp và phát triển nông thôn"
TCTL = "tổng cục thủy lợi"
NC = "nội chính"
CCTTHC = "cải cách thủ tục hành chính"
"BLĐTBXH" = "bộ lao động thương binh và xã hội"
# Ambiguous: "BTC" is also "ban tổ chức" in Party codes; a document code in a news story is far more often a
# Ministry of Finance circular (TT-BTC), so that is what a provincial newsreader reads.
BTC = "bộ tài chính"
BNV = "bộ nội vụ"
"BGDĐT" = "bộ giáo dục và đào tạo"
BYT = "bộ y tế"
BCA = "bộ công an"
BQP = "bộ quốc phòng"
BTTTT = "bộ thông tin và truyền thông"
BVHTTDL = "bộ văn hóa thể thao và du lịch"
BTNMT = "bộ tài nguyên và môi trường"
"BKHĐT" = "bộ kế hoạch và đầu tư"
BXD = "bộ xây dựng"
BCT = "bộ công thương"
BTP = "bộ tư pháp"
VPCP = "văn phòng chính phủ"
VP = "văn phòng"
QH = "quốc hội"
UBTVQH = "ủy ban thường vụ quốc hội"
BTG = "ban tuyên giáo"
BDV = "ban dân vận"
BTCTW = "ban tổ chức trung ương"
SNV = "sở nội vụ"
STC = "sở tài chính"
SVHTTDL = "sở văn hóa thể thao và du lịch"
PNV = "phòng nội vụ"
"TĐKT" = "thi đua khen thưởng"
"HĐTĐKT" = "hội đồng thi đua khen thưởng"
VX = "văn xã"
KGVX = "khoa giáo văn xã"
KT = "kinh tế"
TH = "tổng hợp"
XD = "xây dựng"
BQL = "ban quản lý"
"BCĐ" = "ban chỉ đạo"
"ĐĐ" = "đoàn đại biểu"
MTTQ = "mặt trận tổ quốc"

# Abbreviations whose reading depends on the words around them. "next" / "prev" are the start of the following
# or the end of the preceding text, compared without case; the first rule that matches wins.
[context.TT]
# "TT" alone in a news story is most often a centre ("TT Y tế", "TT Văn hóa"); before a Party or State body it
# is "thường trực" (the standing committee): "TT Huyện ủy", "TT HĐND".
default = "trung tâm"
rules = [
  { next = ["huyện ủy", "huyện uỷ", "tỉnh ủy", "tỉnh uỷ", "thành ủy", "thành uỷ", "đảng ủy", "đảng uỷ", "hđnd", "ubnd", "mttq", "ủy ban", "uỷ ban", "hội đồng", "ban "], say = "thường trực" },
]

[context.BCH]
# Before disaster prevention or the military it is a command board ("Ban Chỉ huy PCTT&TKCN", "BCH Quân sự");
# elsewhere a Party or union executive committee.
default = "ban chấp hành"
rules = [
  { next = ["pctt", "pclb", "phòng chống thiên tai", "phòng, chống thiên tai", "phòng chống lụt bão", "tkcn", "tìm kiếm", "quân sự", "qs", "phòng thủ", "pccc"], say = "ban chỉ huy" },
]

[context.VT]
# "Lưu: VT" closes an official letter: the copy kept by the records office (văn thư); elsewhere spelled.
default = "vê tê"
rules = [
  { prev = ["lưu:", "lưu", "lưu tại:"], say = "văn thư" },
]

[context."TT."]
# With a full stop before a place name it is a town: "TT. Đình Cả" (thị trấn).
default = "thị trấn"
rules = [
  { next = ["huyện ủy", "huyện uỷ", "tỉnh ủy", "tỉnh uỷ", "hđnd", "ubnd", "mttq"], say = "thường trực" },
  { next = ["văn hóa", "văn hoá", "y tế", "chính trị", "giáo dục", "dạy nghề", "truyền thông", "hành chính", "phục vụ", "dịch vụ"], say = "trung tâm" },
]

# Units read after a number (or after "nghìn", "triệu", "trên" ...): "15.000ha", "5,5 tấn/ha", "500.000đ".
[units]
CV = "mã lực"
ha = "héc ta"
km2 = "ki lô mét vuông"
km = "ki lô mét"
m2 = "mét vuông"
m3 = "mét khối"
m = "mét"
cm = "xăng ti mét"
mm = "mi li mét"
kg = "ki lô gam"
g = "gam"
mg = "mi li gam"
ml = "mi li lít"
l = "lít"
kW = "ki lô oát"
kWh = "ki lô oát giờ"
MW = "mê ga oát"
W = "oát"
kV = "ki lô vôn"
V = "vôn"
"°C" = "độ xê"
"℃" = "độ xê"
"%" = "phần trăm"
"đ" = "đồng"
"VNĐ" = "đồng"
VND = "đồng"
USD = "đô la mỹ"
"km/h" = "ki lô mét trên giờ"

# Names and loanwords, matched as whole words without case. The newsroom reads "hotline" as it is written,
# so it is not listed.
[words]
"24/24h" = "hai mươi tư trên hai mươi tư giờ"
"24/24" = "hai mươi tư trên hai mươi tư"
"Covid" = "cô vít"
"Covid-19" = "cô vít mười chín"
"ASEAN" = "a xê an"
"Facebook" = "phây búc"
"Zalo" = "da lô"
"Youtube" = "diu túp"
"website" = "oép sai"
"online" = "ôn lai"
"internet" = "in tơ nét"
"email" = "i meo"
"video" = "vi đê ô"
"livestream" = "lai trim"
"smartphone" = "smát phôn"
"OCOP" = "ô cốp"
"VietGAP" = "việt gáp"
"24/7" = "hai mươi tư trên bảy"

# Common misspellings in submitted stories; proofreading warns, it never corrects.
[misspellings]
"thi đũa" = "thi đua"
"thi đủa" = "thi đua"
"khen thưỡng" = "khen thưởng"
"xuất xắc" = "xuất sắc"
"suất sắc" = "xuất sắc"
"điễn hình" = "điển hình"
"tiên tiếng" = "tiên tiến"
"sử lý" = "xử lý"
"xử dụng" = "sử dụng"
"chia xẻ" = "chia sẻ"
"bổ xung" = "bổ sung"
"sắp sếp" = "sắp xếp"
"sát nhập" = "sáp nhập"
"xát nhập" = "sáp nhập"
"sơ xuất" = "sơ suất"
"chuẩn đoán" = "chẩn đoán"
"sáng lạng" = "xán lạn"
"nghành" = "ngành"
"sữa chữa" = "sửa chữa"
"giành cho" = "dành cho"
"trao tặn" = "trao tặng"
"phong trào thi đưa" = "phong trào thi đua"

[proofread]
# Reduplication is good Vietnamese: these repeated words are not typing slips.
allowed_repeats = ["người người", "nhà nhà", "ngày ngày", "đời đời", "mãi mãi", "dần dần", "từ từ", "ai ai", "đâu đâu",
  "nơi nơi", "lớp lớp", "đêm đêm", "năm năm", "tháng tháng", "thường thường", "lâu lâu", "chầm chậm", "cao cao",
  "xa xa", "gần gần", "vừa vừa", "sớm sớm", "hằng hằng", "rồi rồi", "có có", "nhiều nhiều",
  "nhà nhà người người", "bao bao", "ào ào", "rầm rầm", "đùng đùng", "ầm ầm"]
'''
