"""Web addresses as a newsreader says them: "Baothanhhoa.vn" = báo thanh hóa chấm vê en nờ.

A Vietnamese site name is its words written together without tone marks. When the name is made entirely of known
pieces (a province, a newspaper word) it is read as those words with their marks; otherwise it is left as written
(an English-looking name such as "Soha") and all-capital names are spelled ("VOV"). "." is "chấm"; the endings
(vn, gov, com ...) are spelled, the convention the scored sets already use ("vê en nờ").
"""

from __future__ import annotations

import re

from flows.text.abbreviations import fewest_pieces, spell

# Provinces and cities (before and after the 2025 mergers), written the way a site name writes them.
_PLACES = (
    "an giang|bà rịa|vũng tàu|bạc liêu|bắc giang|bắc kạn|bắc ninh|bến tre|bình dương|bình định|bình phước|"
    "bình thuận|cà mau|cao bằng|cần thơ|đà nẵng|đắk lắk|đắk nông|điện biên|đồng nai|đồng tháp|gia lai|hà giang|"
    "hà nam|hà nội|hà tĩnh|hải dương|hải phòng|hậu giang|hòa bình|hưng yên|khánh hòa|kiên giang|kon tum|lai châu|"
    "lâm đồng|lạng sơn|lào cai|long an|nam định|nghệ an|ninh bình|ninh thuận|phú thọ|phú yên|quảng bình|quảng nam|"
    "quảng ngãi|quảng ninh|quảng trị|sóc trăng|sơn la|tây ninh|thái bình|thái nguyên|thanh hóa|thừa thiên|huế|"
    "tiền giang|tuyên quang|trà vinh|vĩnh long|vĩnh phúc|yên bái|hồ chí minh|sài gòn|võ nhai|việt nam"
)
# Words newspapers and portals put in their names.
_NEWS_WORDS = (
    "báo|điện tử|tin tức|chính phủ|nhân dân|tuổi trẻ|thanh niên|lao động|tiền phong|dân trí|công an|quân đội|"
    "đại biểu|cổng|thông tin|dân tộc|phát triển|nông nghiệp|nông thôn|pháp luật|đời sống|văn hóa|giáo dục|"
    "kinh tế|đô thị|sức khỏe|biên phòng|phụ nữ|tin|đài|truyền hình|phát thanh|đảng|cộng sản|quốc hội|mặt trận|"
    "tổ quốc|hội|nông dân|cựu chiến binh|thời báo|tạp chí|môi trường|tài nguyên|xây dựng|giao thông|y tế|"
    "sở|huyện|tỉnh|thành phố|ủy ban"
)
_WITHOUT_MARKS = str.maketrans(
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ",
    "aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd",
)


def _pieces() -> dict[str, str]:
    pieces: dict[str, str] = {}
    for words in (_PLACES + "|" + _NEWS_WORDS).split("|"):
        pieces[words.replace(" ", "").translate(_WITHOUT_MARKS)] = words
    return pieces


PIECES = _pieces()
_VOWEL = re.compile(r"[aeiouyAEIOUY]")
_LONGEST = max(len(k) for k in PIECES)
# "Baothanhhoa.vn", "Tuyenquang.gov.vn", "VOV.VN", "www.thainguyen.gov.vn": a name, optional second-level parts, then the country or kind.
DOMAIN = re.compile(
    r"(?<![\w.@/])((?:www\.|WWW\.)?)([A-Za-z][A-Za-z0-9-]*)((?:\.(?:gov|com|org|net|edu|ac|info|GOV|COM|ORG|NET|EDU))?)"
    r"\.(vn|VN|com|net|org|COM|NET|ORG)(?!\w|\.\w)"
)


def name_words(name: str) -> str | None:
    """The words a joined site name is made of ("baothanhhoa" = báo thanh hóa), or None when it is not all known."""
    low = name.lower()
    if not low.isalpha() or not low.isascii():
        return None
    found = fewest_pieces(low, PIECES.get, longest=_LONGEST)
    return " ".join(found) if found else None


def read_domains(text: str) -> str:
    def domain(m: re.Match[str]) -> str:
        www, name, second, tld = m.groups()
        # all capitals ("VOV") or no vowel to say ("vtv"): spelled
        words = name_words(name) or (spell(name) if name.isupper() or not _VOWEL.search(name) else name)
        parts = ([spell("www")] if www else []) + [words] + ([spell(second[1:])] if second else []) + [spell(tld)]
        return " " + " chấm ".join(parts) + " "

    return DOMAIN.sub(domain, text)
