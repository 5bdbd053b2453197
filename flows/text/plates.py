"""Number plates, service numbers and "P." before a role: readings a newsreader gives by the shape of the text.

- A plate "79C-114.00", "29C - 617.52", "36C.148.xx", "75F9-4087": the series ("79C", "75F9") is read as it is
  elsewhere (number, then letters); the serial is read in its written groups, the dot is not said, a group with a
  leading zero is read digit by digit ("005.58" = không không năm năm mươi tám, "114.00" = ... không không) and a
  four-digit serial is digits ("4087" = bốn không tám bảy).
- "BKS" right before a plate (or "BKS số", "BKS:" and a plate) is "biển kiểm soát"; elsewhere it may be "ban kiểm
  soát" and is left to the lexicon (spelled).
- A run of seven or eight digits with no thousands dots is a phone or service number ("hộp thư 8011035"): Vietnamese
  news writes quantities that large with dots, so it is read digit by digit, unless a unit or money follows.
- "P.trưởng phòng", "P. Giám đốc": "P." before a role is "phó" (deputy), not "phường".
- "TƯ" in ordinary text ("Ban Bí thư TƯ Đoàn", "Hội nghị TƯ 8") is "trung ương", as "TW" is; in an all-capital
  heading ("SỞ TƯ PHÁP") or after a number word ("thứ TƯ") it is the syllable "tư".
"""

from __future__ import annotations

import re

from flows.text.numbers import NumberWords, read_digits
from flows.text.unicode import is_vietnamese_syllable

_SERIAL = r"\d{3}\.(?:\d{2}|xx)|\d{4,5}|\d{2,3}xx"
PLATE = re.compile(
    rf"(?<![\w.,/-])(\d{{2}}[A-Z]{{1,2}}\d?)(?:\s?-\s?|\.)({_SERIAL})(?![\w-]|[.,]\d)"
)
_BKS = re.compile(r"(?<![\w.])BKS(?=\s*(?:số\s*)?:?\s*\d{2}[A-Z]{1,2}\d?(?:\s?-\s?|\.)\d)")
_UNIT_AFTER = r"(?:đồng|đ|VNĐ|VND|USD|người|hộ|lượt|ha|tấn|kg|con|m|m2|m3|km|lít|cây|tỷ|tỉ|triệu|nghìn|ngàn|lần)"
SERVICE_NUMBER = re.compile(rf"(?<![\w.,+/:-])\d{{7,8}}(?![\w/-]|[.,:]\d)(?!\s*{_UNIT_AFTER}(?!\w))")
_ROLES = (
    "trưởng|tổng giám đốc|giám đốc|chủ tịch|bí thư|chánh án|chánh văn phòng|chánh thanh tra|hiệu trưởng|"
    "chủ nhiệm|tổng biên tập|viện trưởng|cục trưởng|vụ trưởng|tư lệnh|chỉ huy trưởng"
)
DEPUTY = re.compile(rf"(?<![\w.])P\.\s?(?=(?i:{_ROLES})(?!\w))")


def _group(group: str, nw: NumberWords) -> str:
    if group.endswith("xx"):
        return _group(group[:-2], nw) + " ích ích" if group[:-2] else "ích ích"
    if group[0] == "0" or len(group) >= 4:
        return read_digits(group)
    return nw.integer(group)


def read_plates(text: str, nw: NumberWords) -> str:
    if "BKS" in text:
        text = _BKS.sub("biển kiểm soát", text)

    def plate(m: re.Match[str]) -> str:
        series, serial = m.groups()
        groups = serial.split(".")
        return f"{series} " + " ".join(_group(g, nw) for g in groups) + " "

    return PLATE.sub(plate, text)


def read_service_numbers(text: str) -> str:
    return SERVICE_NUMBER.sub(lambda m: " " + read_digits(m.group(0)) + " ", text)


def read_deputies(text: str) -> str:
    return DEPUTY.sub("phó ", text) if "P." in text else text


_CENTRAL = re.compile(r"(?<![\w.])TƯ(?![\w.])")
_WORD_BEFORE = re.compile(r"([^\W\d_]+)[\s,]*$")
_WORD_AFTER = re.compile(r"[\s,]*([^\W\d_]+)")
_FOUR = frozenset("thứ mười mươi quý".split())  # "thứ tư", "mười tư", "quý tư": the number four


def read_central(text: str) -> str:
    def central(m: re.Match[str]) -> str:
        before = _WORD_BEFORE.search(m.string, max(0, m.start() - 30), m.start())
        after = _WORD_AFTER.match(m.string, m.end())
        if before is not None:
            word = before.group(1)
            if word.isupper() or word.lower() in _FOUR:
                return m.group(0)
        elif after is None or after.group(1).isupper():
            return m.group(0)
        if after is not None and after.group(1).isupper() and is_vietnamese_syllable(after.group(1)):
            return m.group(0)  # "TƯ PHÁP", "TƯ VẤN" in capitals: words, not an abbreviation
        return " trung ương "

    return _CENTRAL.sub(central, text) if "TƯ" in text else text
