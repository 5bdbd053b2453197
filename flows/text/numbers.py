"""Vietnamese number words: cardinals, decimals, digit strings and ordinals, northern or southern."""

from __future__ import annotations

from dataclasses import dataclass

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_MAX_CARDINAL_DIGITS = 15  # longer strings are account or serial numbers: read digit by digit


@dataclass(frozen=True)
class NumberWords:
    """The words that differ by dialect."""

    thousand: str
    zero_tens: str  # "linh" (north) or "lẻ" (south): 105 = một trăm linh năm
    four_after_tens: str  # 24 = hai mươi tư (north) or hai mươi bốn (south)

    def cardinal(self, n: int) -> str:
        """Read a non-negative integer: 21 → hai mươi mốt, 2003 → hai nghìn không trăm linh ba."""
        if n == 0:
            return "không"
        if n >= 10**9:
            high, low = divmod(n, 10**9)
            words = self.cardinal(high) + " tỷ"
            return words + " " + self._below_billion(low, True) if low else words
        return self._below_billion(n, False)

    def _below_billion(self, n: int, full: bool) -> str:
        millions, rest = divmod(n, 10**6)
        thousands, units = divmod(rest, 1000)
        parts = []
        if millions:
            parts.append(self._below_thousand(millions, full) + " triệu")
            full = True
        if thousands:
            parts.append(self._below_thousand(thousands, full) + " " + self.thousand)
            full = True
        if units:
            parts.append(self._below_thousand(units, full))
        return " ".join(parts)

    def _below_thousand(self, n: int, full: bool) -> str:
        # "full" means a higher group was read, so zeros must be spoken: 2003 = hai nghìn không trăm linh ba.
        hundreds, rest = divmod(n, 100)
        tens, units = divmod(rest, 10)
        words = []
        if hundreds or full:
            words += [_DIGITS[hundreds], "trăm"]
        if tens == 0:
            if units:
                if hundreds or full:
                    words.append(self.zero_tens)
                words.append(_DIGITS[units])
        elif tens == 1:
            words.append("mười")
            if units:
                words.append("lăm" if units == 5 else _DIGITS[units])
        else:
            words += [_DIGITS[tens], "mươi"]
            if units == 1:
                words.append("mốt")
            elif units == 4:
                words.append(self.four_after_tens)
            elif units == 5:
                words.append("lăm")
            elif units:
                words.append(_DIGITS[units])
        return " ".join(words)

    def integer(self, digits: str) -> str:
        """Read a digit string as a count; leading zeros are not spoken ("05" → năm)."""
        digits = digits.lstrip("0") or "0"
        if len(digits) > _MAX_CARDINAL_DIGITS:
            return read_digits(digits)
        return self.cardinal(int(digits))

    def decimal(self, whole: str, fraction: str) -> str:
        """Read "457,2" as bốn trăm năm mươi bảy phẩy hai; up to three decimals are read as a number."""
        head = self.integer(whole)
        if len(fraction) > 3:
            return head + " phẩy " + read_digits(fraction)
        stripped = fraction.lstrip("0")
        zeros = ["không"] * (len(fraction) - len(stripped))
        tail = [self.cardinal(int(stripped))] if stripped else []
        return head + " phẩy " + " ".join(zeros + tail)

    def number(self, token: str) -> str:
        """Read a written number: "14.491.295", "9,262", "05", "1.5" (a dot not followed by 3 digits is "chấm")."""
        if "," in token:
            whole, _, fraction = token.partition(",")
            return self.decimal(whole.replace(".", ""), fraction)
        if "." in token:
            groups = token.split(".")
            if all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3 and groups[0][0] != "0":
                return self.integer("".join(groups))
            return " chấm ".join(self.integer(g) for g in groups if g)
        return self.integer(token)

    def ordinal(self, n: int) -> str:
        """Read "thứ N": 1 → nhất, 4 → tư, other numbers as cardinals."""
        if n == 1:
            return "nhất"
        if n == 4:
            return "tư"
        return self.cardinal(n)

    def month(self, n: int) -> str:
        """Read a month number: tháng tư, not tháng bốn."""
        return "tư" if n == 4 else self.cardinal(n)


NORTH = NumberWords(thousand="nghìn", zero_tens="linh", four_after_tens="tư")
SOUTH = NumberWords(thousand="ngàn", zero_tens="lẻ", four_after_tens="bốn")


def number_words(dialect: str) -> NumberWords:
    """The number words of a dialect ("north" or "south"); anything else reads as northern radio."""
    return SOUTH if dialect == "south" else NORTH


def read_digits(digits: str) -> str:
    """Read each digit: "0886" → không tám tám sáu (phone numbers, codes)."""
    return " ".join(_DIGITS[int(d)] for d in digits if d.isdigit() and d.isascii())
