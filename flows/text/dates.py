"""Dates, times and phone numbers as a northern newsreader says them."""

from __future__ import annotations

import re

from flows.text.numbers import NumberWords, read_digits

_PREV_WORD = re.compile(r"([^\W\d_]+)[^\w]*$")
# A date after these words is read without an added "ngày": "chiều 29/11", "ngày 13/8", "18 và 19/12".
_NO_NGAY = frozenset("ngày sáng chiều tối trưa đêm khuya hôm nay mùng mồng rạng và hoặc hay lễ dịp".split())
# "Dịp lễ 30/4 - 1/5": a holiday named by its dates; neither end of the run says "ngày".
_OCCASIONS = frozenset("lễ dịp".split())
# "8-11" and "7.8" are dates only after a time-of-day word; elsewhere they are ranges and numbers.
_DATE_CUES = frozenset("ngày sáng chiều tối trưa đêm khuya hôm nay mùng mồng rạng".split())
# "bằng 1/3 diện tích" is a fraction, "đến 23/10" a date.
# "1/2 số hộ", "2/3 diện tích": a share of something, read with "phần".
_SHARE_NOUNS = frozenset("số thân mặt diện dân tổng".split())


_JOINERS = frozenset("và hoặc hay".split())
_DAYS_FROM_BARE = re.compile(
    r"(?<!\w)([Tt]ừ)\s+0?(\d{1,2})\s+(đến|tới)\s+0?(\d{1,2})(?=\s*[-/.]\s*0?(\d{1,2})(?![\d/.,-]?\d))"
)


def _number(nw: NumberWords, token: str) -> str:
    return nw.integer(token.replace(".", ""))


def _is_count(part: int, whole: int) -> bool:
    """ "15/15 xã", "7/14 xã", "15/19 tiêu chí" count items out of a total, read with "trên";
    "1/3", "2/3", "3/4" are fractions, read with "phần" (how provincial radio reads both)."""
    return part >= whole or (whole > 10 and part > 1)


_FRACTION_CUES = frozenset("bằng chiếm khoảng gần hơn trên dưới còn mất đạt tăng giảm hết chỉ tới quá là có".split())
# "4/6 trường", "21/21 xã", "1/2 số hộ": a number over a number before one of these is a count or a share, never a
# date (unless a date word comes first: "ngày 4/6 trường ... khai giảng").
_COUNT_NOUNS = frozenset(
    "xã phường thị huyện tỉnh thành thôn xóm bản làng tổ hộ gia trường lớp đơn địa cơ doanh hợp người cá tập tiêu "
    "chỉ mục số thân mặt diện dân tổng đảng chi hội đoàn học cán công dự phòng khu nhà em cháu chiếc căn con suất "
    "phần lượt ban ngành sở điểm km ha tấn".split()
)
_NUMBER_WORDS = frozenset("nghìn ngàn triệu tỷ trăm".split())
# A label such as "Ngày công báo:" or "Ngày nhận bài:" already says "ngày".
_DATE_LABEL = re.compile(r"(?i)ngày\s[^.;:\d\n]{1,25}:\s*$")
# "ngày Quốc khánh 2/9", "Ngày Thương binh - Liệt sĩ 27/7": the day is named just before its date.
_NAMED_DAY = re.compile(r"(?i)(?<!\w)ngày(?:\s+[^\W\d_]+){1,2}\s*$")
# "từ ngày 3-8 đến 1-10": the second end of a run of dates, after the first was read.
_AFTER_DATE = re.compile(
    r"(?:tháng [^\W\d_]+(?: [^\W\d_]+)?(?: năm [^\W\d_ ]+(?: [^\W\d_]+){0,6})?"
    r"|(?i:ngày|sáng|chiều|tối|trưa|đêm|hôm|mùng|mồng|ngày\s+từ)\s+\d{1,2}[.-]\d{1,2}(?:[.-]\d{4})?)\s+(?:đến|tới|và)\s*$"
)
# "2018-01-09": a date written year first.
_ISO_DATE = re.compile(r"(?<![\w/.-])((?:19|20)\d\d)-(\d\d)-(\d\d)(?![\w/-]|[.,]\d)")
# "trong các ngày từ 21.6 đến 24.6": a run of days.
_DAYS_FROM = re.compile(r"(?i)ngày\s+từ\s*$")
# "Ngày 10 và 11-2": the second day of a pair of days.
_DAY_PAIR = re.compile(r"(?i)(?:ngày|sáng|chiều|tối|trưa|đêm|hôm|mùng|mồng)\s+\d{1,2}\s+(?:và|đến|hoặc|,)\s*$")

_END = r"(?![\w/]|[.,]\d)"
_START = r"(?<![\w/.,-])"
# "(\d{1,2})" that does not continue a word, a number or a code, written digit-first: the regex engine then scans
# for digits instead of trying every position (spoken_form runs on every story, for every station).
_D12 = r"(\d(?<![\w/.,-]\d)\d?)"
_DATEISH = re.compile(r"\d\s*[/.–-]\s*\d")
_DATE_RANGE = re.compile(
    rf"{_D12}/(\d{{1,2}})(?:/(\d{{4}}))?\s*[-–—]\s*(\d{{1,2}})/(\d{{1,2}})(?:/(\d{{4}}))?{_END}"
)
_DMY = re.compile(rf"{_D12}([/.-])(\d{{1,2}})\2(\d{{4}}){_END}")
_DAY_RANGE = re.compile(rf"{_D12}\s*[-–]\s*(\d{{1,2}})/(\d{{1,2}})(?:/(\d{{4}}))?{_END}")
_DM_SLASH = re.compile(rf"(\d(?<![\w/.,-]\d)\d{{0,2}}(?:\.\d{{3}})*)/(\d{{1,3}}(?:\.\d{{3}})*){_END}")
_DAY_RANGE_DOT = re.compile(rf"{_D12}\s*[-–]\s*(\d{{1,2}})\.(\d{{1,2}})(?![\w/]|[.,-]\d)")
_DM_SPACED = re.compile(rf"{_D12}\s+[-–]\s+(\d{{1,2}})(?![\w/]|[.,:]\d|\s*[-–/.]\s*\d)")
_MONTH_NO_YEAR_WORD = re.compile(r"\b([Tt]háng|THÁNG)\s+0?(\d{1,2})\s+((?:19|20)\d\d)(?![\w/.,:-]?\d)")
_NEXT_WORD = re.compile(r"\s*([^\W\d_]+)")
_DM_OTHER = re.compile(rf"{_D12}([.-])(\d{{1,2}})(?![\w/]|[.,-]\d)")
_MONTH_YEAR = re.compile(rf"{_D12}\s*([/.-])\s*(\d{{4}}){_END}")
_THANG_BEFORE = re.compile(r"(?:[Tt]háng|THÁNG)\s*$")
_MONTH = re.compile(r"\b([Tt]háng|THÁNG)\s+0?(\d{1,2})(?![\d/.,:-]?\d)")
# "trong tháng 10 - 11": a run of months ("tháng 3-5" is read the same way by the number-range rule).
_MONTH_RANGE = re.compile(r"\b([Tt]háng|THÁNG)\s+0?(\d{1,2})\s*[-–]\s*0?(\d{1,2})(?![\d/.,:-]?\d)")

_TIME = r"\d{1,2}(?:h(?:\d{2})?|g\d{2}|:\d{2}(?::\d{2})?)(?:\s?['’′])?"
_TIME_RANGE = re.compile(rf"(?<![\w.,:/])({_TIME})\s*[-–—]\s*({_TIME})(?![\w:]|[.,]\d)")
_TIME_ONE = re.compile(rf"(?<![\w.,:/])({_TIME})(?![\w:]|[.,]\d)")
_HOUR_MINUTE = re.compile(r"(?<![\w.,])(\d{1,2})\s+giờ\s+(\d{1,2})(?!\s*phút)(?!\w|[.,:/]\d|\s*\d)")
_INTS = re.compile(r"\d+")
_ZERO_MINUTES = re.compile(r"(?<=\d)\s+giờ\s+00(?:\s+phút)?(?!\w|[.,:/]\d|\s*\d)")
_HOUR_SPAN = re.compile(r"(?<![\w.,:/])(\d{1,2})\s*[-–]\s*(\d{1,2})h(?![\w:'’′]|[.,]\d)")
_TIME_HINT = re.compile(r"\d(?:h|g\d|:\d)")

_PHONE = re.compile(r"(?:\+(?<![\w.,+]\+)84[ .-]?|0(?<![\w.,+]0))\d{1,4}(?:[ .-]?\d{2,4}){1,4}(?!\w|[.,]\d)")
_PHONE_CUE_WORDS = ("tổng đài", "đường dây nóng", "hotline", "điện thoại", "sđt", "đt", "fax", "số máy", "di động")
_PHONE_CUE = re.compile(
    r"(?i)(?<!\w)(tổng đài|đường dây nóng|hotline|điện thoại|sđt|đt|fax|số máy|di động)"
    r"(\s*(?:số\s*)?[:.]?\s*)(\+?\d[\d .-]{1,18}\d)(?!\w|[.,]\d)"
)
_GROUPS = re.compile(r"[ .-]+")
# "(0208) 3855 222": the area code in brackets, then the subscriber's number.
_AREA_CODE = re.compile(r"\((0\d{2,3})\)\s?(?=\d{3,4}[ .]?\d{3,4}(?!\w|[.,]\d))")


def prev_word(text: str, start: int) -> str:
    """The word before position ``start``, lower-cased ('' at the start of the text)."""
    m = _PREV_WORD.search(text, max(0, start - 30), start)
    return m.group(1).lower() if m else ""


# "trong 2 ngày (11-12/3)": "ngày" after a number counts days; the dates that follow still say "ngày".
_DAYS_COUNTED = re.compile(r"(?<![\w/.-])\d{1,2}\s+ngày\s*\(\s*$")


# "Hôm qua (5-8)", "Ngày mai (6/12)", "chiều qua (3.4)": the date of a day named just before, in brackets.
_RELATIVE_DAY = re.compile(r"(?i)(?:hôm|ngày|sáng|chiều|tối|đêm|trưa)\s+(?:qua|mai|nay|kia)\s*\(\s*$")


def _says_ngay(text: str, start: int) -> bool:
    """Whether the words just before a date already say its "ngày" (or a time of day that stands for it)."""
    if prev_word(text, start) in _NO_NGAY:
        return _DAYS_COUNTED.search(text, max(0, start - 12), start) is None
    return _RELATIVE_DAY.search(text, max(0, start - 16), start) is not None


def _ngay(text: str, start: int) -> bool:
    """Whether a date at ``start`` needs a spoken "ngày": not after "sáng" or "và", nor after a day's name that
    already says it ("Ngày công báo: 15/7/2022", "ngày Quốc khánh 2/9")."""
    if _says_ngay(text, start):
        return False
    return _DATE_LABEL.search(text, max(0, start - 40), start) is None and \
        _NAMED_DAY.search(text, max(0, start - 30), start) is None


def _next_word(text: str, end: int) -> str:
    m = _NEXT_WORD.match(text, end)
    return m.group(1).lower() if m else ""


def _int(token: str) -> int:
    return int(token.replace(".", ""))


def _valid(day: int, month: int) -> bool:
    return 1 <= day <= 31 and 1 <= month <= 12


def _date(nw: NumberWords, day: str, month: str, year: str | None, ngay: bool) -> str:
    words = ("ngày " if ngay else "") + nw.integer(day) + " tháng " + nw.month(int(month))
    if year:
        words += " năm " + nw.integer(year)
    return " " + words + " "


def _days_from(m: re.Match[str]) -> str:
    day, joiner, other, month = int(m.group(2)), m.group(3), int(m.group(4)), int(m.group(5))
    if not (_valid(day, month) and _valid(other, month) and day < other) or (
            _next_word(m.string, m.end(5)) in _COUNT_NOUNS):  # "từ 5 đến 7/10 xã" counts villages
        return m.group(0)
    return f"{m.group(1)} ngày {m.group(2)} {joiner} ngày {m.group(4)}"


def read_dates(text: str, nw: NumberWords) -> str:
    """Read numeric dates, day ranges, month/year and "tháng N"; bare d/m that is not a date is a fraction."""
    if _DATEISH.search(text) is None:
        return _months(text, nw)
    if "ừ " in text:
        # "từ 26 đến 28-3": a run of days whose first end is the bare day; both ends say "ngày".
        text = _DAYS_FROM_BARE.sub(_days_from, text)
    if "-" in text:
        text = _ISO_DATE.sub(lambda m: _date(nw, m.group(3), m.group(2), m.group(1), _ngay(m.string, m.start()))
                             if _valid(int(m.group(3)), int(m.group(2))) else m.group(0), text)
    if "/" in text or "-" in text or "–" in text:
        def date_range(m: re.Match[str]) -> str:
            d1, m1, y1, d2, m2, y2 = m.groups()
            if not (_valid(int(d1), int(m1)) and _valid(int(d2), int(m2))):
                return m.group(0)
            first = _date(nw, d1, m1, y1, not _says_ngay(m.string, m.start()))
            return first + "đến" + _date(nw, d2, m2, y2, prev_word(m.string, m.start()) not in _OCCASIONS)

        text = _DATE_RANGE.sub(date_range, text)
    if "/" in text:
        def day_range(m: re.Match[str]) -> str:
            d1, d2, month, year = m.groups()
            if not (_valid(int(d1), int(month)) and _valid(int(d2), int(month)) and int(d1) < int(d2)):
                return m.group(0)
            ngay = not _says_ngay(m.string, m.start())
            return " " + ("ngày " if ngay else "") + nw.integer(d1) + " đến" + _date(nw, d2, month, year, True)

        text = _DAY_RANGE.sub(day_range, text)
    if "/" in text or "." in text or "-" in text:
        def dmy(m: re.Match[str]) -> str:
            day, _, month, year = m.groups()
            if not _valid(int(day), int(month)):
                return m.group(0)
            return _date(nw, day, month, year, _ngay(m.string, m.start()))

        text = _DMY.sub(dmy, text)
    if "/" in text:
        def month_year(m: re.Match[str]) -> str:
            month, sep, year = m.groups()
            thang = _THANG_BEFORE.search(m.string, max(0, m.start() - 8), m.start()) is not None
            if prev_word(m.string, m.start()) == "quý" and sep == "/" and 1 <= int(month) <= 4:
                return f" {nw.cardinal(int(month))} năm {nw.integer(year)} "  # "quý 1/2023": quý một năm 2023
            if not 1 <= int(month) <= 12 or (not thang and sep != "/"):
                return m.group(0)
            return f" {'' if thang else 'tháng '}{nw.month(int(month))} năm {nw.integer(year)} "

        text = _MONTH_YEAR.sub(month_year, text)

        def day_month(m: re.Match[str]) -> str:
            a, b = m.groups()
            part, whole = _int(a), _int(b)
            prev = prev_word(m.string, m.start())
            nxt = _next_word(m.string, m.end())
            # "108/126 xã và 4/9 đơn vị": after "và" a number over a number before a counted noun is one more count
            dated = prev in _DATE_CUES or (prev in _NO_NGAY and not (prev in _JOINERS and nxt in _COUNT_NOUNS))
            if "." in a or "." in b or not _valid(part, whole) or (
                    not dated and (prev in _FRACTION_CUES or nxt in _COUNT_NOUNS)):
                if _is_count(part, whole) or (nxt in _COUNT_NOUNS and part > 1 and nxt not in _SHARE_NOUNS):
                    return f" {_number(nw, a)} trên {_number(nw, b)} "  # "7/14 xã": bảy trên mười bốn xã
                return f" {nw.integer(a)} phần {nw.month(whole)} "  # một phần tư, like tháng tư
            return _date(nw, a, b, None, _ngay(m.string, m.start()))

        text = _DM_SLASH.sub(day_month, text)
    elif "-" in text or "." in text:
        text = _MONTH_YEAR.sub(
            lambda m: f" {nw.month(int(m.group(1)))} năm {nw.integer(m.group(3))} "
            if 1 <= int(m.group(1)) <= 12 and _THANG_BEFORE.search(m.string, max(0, m.start() - 8), m.start())
            else m.group(0),
            text,
        )
    if "." in text:
        def day_range_dot(m: re.Match[str]) -> str:
            d1, d2, month = m.groups()
            prev = prev_word(m.string, m.start())
            if (prev not in _DATE_CUES and prev != "từ") or not (
                    _valid(int(d1), int(month)) and _valid(int(d2), int(month)) and int(d1) < int(d2)):
                return m.group(0)
            ngay = prev not in _NO_NGAY
            return " " + ("ngày " if ngay else "") + nw.integer(d1) + " đến" + _date(nw, d2, month, None, True)

        text = _DAY_RANGE_DOT.sub(day_range_dot, text)
    if "-" in text or "–" in text:
        def day_month_spaced(m: re.Match[str]) -> str:
            day, month = int(m.group(1)), int(m.group(2))
            # "Ngày 19 - 12" is a date; "ngày 9 - 12" is more often a run of days, left to the range rule.
            if prev_word(m.string, m.start()) not in _DATE_CUES or day <= month or not _valid(day, month):
                return m.group(0)
            return _date(nw, m.group(1), m.group(2), None, False)

        text = _DM_SPACED.sub(day_month_spaced, text)
    if "-" in text or "." in text:
        def day_month_cue(m: re.Match[str]) -> str:
            day, sep, month = m.groups()
            prev = prev_word(m.string, m.start())
            if not _valid(int(day), int(month)):
                return m.group(0)
            if prev in _DATE_CUES or _DAY_PAIR.search(m.string, max(0, m.start() - 30), m.start()) \
                    or _DAYS_FROM.search(m.string, max(0, m.start() - 30), m.start()) \
                    or _RELATIVE_DAY.search(m.string, max(0, m.start() - 16), m.start()):
                return _date(nw, day, month, None, False)
            if _AFTER_DATE.search(m.string, max(0, m.start() - 80), m.start()):
                return _date(nw, day, month, None, _ngay(m.string, m.start()))
            if sep == "-" and int(day) >= 13:  # "đến 15-6": no run of numbers goes down, and no month has 15
                return _date(nw, day, month, None, _ngay(m.string, m.start()))
            return m.group(0)

        text = _DM_OTHER.sub(day_month_cue, text)
    return _months(text, nw)


def _months(text: str, nw: NumberWords) -> str:
    if "háng" in text or "HÁNG" in text:
        # "11 Tháng 1 2009": the year without its "năm".
        text = _MONTH_NO_YEAR_WORD.sub(
            lambda m: f"{m.group(1)} {nw.month(int(m.group(2)))} năm {nw.integer(m.group(3))}"
            if 1 <= int(m.group(2)) <= 12 else m.group(0), text)
        if "-" in text or "–" in text:
            text = _MONTH_RANGE.sub(
                lambda m: f"{m.group(1)} {nw.month(int(m.group(2)))} đến {nw.month(int(m.group(3)))}"
                if 1 <= int(m.group(2)) < int(m.group(3)) <= 12 else m.group(0), text)
        text = _MONTH.sub(lambda m: f"{m.group(1)} {nw.month(int(m.group(2)))}" if 1 <= int(m.group(2)) <= 12
                          else m.group(0), text)
    return text


def _time(nw: NumberWords, token: str) -> str | None:
    parts = [int(x) for x in _INTS.findall(token)]
    hour, minute, second = (parts + [0, 0])[:3]
    if hour > 24 or minute > 59 or second > 59:
        return None
    words = nw.cardinal(hour) + " giờ"
    if minute:
        words += " " + nw.cardinal(minute) + " phút"
    if second:
        words += " " + nw.cardinal(second) + " giây"
    return words


_MINUTES_TWICE = re.compile(r"phút\s+phút(?!\w)")


def read_times(text: str, nw: NumberWords) -> str:
    """Read "13h30", "08h00’", "14:00", "09:25:27", "8 giờ 30" and ranges of them ("7h - 11h" → đến)."""
    def time_range(m: re.Match[str]) -> str:
        a, b = _time(nw, m.group(1)), _time(nw, m.group(2))
        return f" {a} đến {b} " if a and b else m.group(0)

    def one(m: re.Match[str]) -> str:
        words = _time(nw, m.group(1))
        return f" {words} " if words else m.group(0)

    if _TIME_HINT.search(text):
        # "11-14h", "18-23h hàng ngày": the hours of a range, "giờ" written once at its end.
        text = _HOUR_SPAN.sub(lambda m: f" {nw.cardinal(int(m.group(1)))} đến {nw.cardinal(int(m.group(2)))} giờ "
                              if int(m.group(1)) < int(m.group(2)) <= 24 else m.group(0), text)
        text = _TIME_RANGE.sub(time_range, text)
        text = _TIME_ONE.sub(one, text)
    if "giờ" in text:
        if "00" in text:
            text = _ZERO_MINUTES.sub(" giờ", text)  # "08 giờ 00 phút", "8 giờ 00": the hour alone
        text = _HOUR_MINUTE.sub(lambda m: f"{m.group(1)} giờ {m.group(2)} phút", text)
    if "phút" in text:
        text = _MINUTES_TWICE.sub("phút", text)  # "23h30 phút": the minutes are said once
    return text


def _phone_words(number: str) -> str:
    words = []
    if number.startswith("+"):
        words.append("cộng")
        number = number[1:]
    # Groups are kept apart by a comma: the listener writes the number down as it is read.
    return " " + " ".join(words) + (" " if words else "") + ", ".join(
        read_digits(g) for g in _GROUPS.split(number) if g) + " "


def read_phones(text: str, nw: NumberWords) -> str:
    """Read phone numbers digit by digit: "0886.121.666", and any number after "tổng đài", "hotline" ..."""
    def cued(m: re.Match[str]) -> str:
        number = m.group(3)
        if sum(c.isdigit() for c in number) < 3:
            return m.group(0)
        return m.group(1) + m.group(2) + _phone_words(number)

    def phone(m: re.Match[str]) -> str:
        number = m.group(0)
        digits = sum(c.isdigit() for c in number)
        return _phone_words(number) if 9 <= digits <= 12 else number

    if "(0" in text:
        text = _AREA_CODE.sub(r"\1 ", text)
    low = text.lower()
    if any(cue in low for cue in _PHONE_CUE_WORDS):
        text = _PHONE_CUE.sub(cued, text)
    return _PHONE.sub(phone, text)
