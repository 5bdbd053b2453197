"""Cardinals, decimals, digits and ordinals; every integer up to 10^12 reads back to itself."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.text.numbers import NORTH, SOUTH, read_digits

UNITS = {"không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5, "sáu": 6,
         "bảy": 7, "tám": 8, "chín": 9}
SCALES = {"nghìn": 10**3, "ngàn": 10**3, "triệu": 10**6, "tỷ": 10**9}


def parse_vietnamese(words: str) -> int:
    """A small words-to-number parser, independent of the reader under test."""
    big = small = group = digit = 0  # big: already times tỷ; small: already times nghìn/triệu
    for word in words.split():
        if word in UNITS:
            digit = UNITS[word]
        elif word == "mười":
            group += 10
        elif word == "mươi":
            group, digit = group + digit * 10, 0
        elif word == "trăm":
            group, digit = group + digit * 100, 0
        elif word in ("linh", "lẻ"):
            continue
        elif word in ("nghìn", "ngàn", "triệu"):
            small, group, digit = small + (group + digit) * SCALES[word], 0, 0
        elif word == "tỷ":
            big, small, group, digit = (big + small + group + digit) * 10**9, 0, 0, 0
        else:
            raise ValueError(word)
    return big + small + group + digit


CARDINALS = [
    (0, "không"), (1, "một"), (4, "bốn"), (5, "năm"), (10, "mười"), (11, "mười một"), (14, "mười bốn"),
    (15, "mười lăm"), (20, "hai mươi"), (21, "hai mươi mốt"), (24, "hai mươi tư"), (25, "hai mươi lăm"),
    (55, "năm mươi lăm"), (100, "một trăm"), (101, "một trăm linh một"), (105, "một trăm linh năm"),
    (110, "một trăm mười"), (115, "một trăm mười lăm"), (121, "một trăm hai mươi mốt"), (1000, "một nghìn"),
    (1001, "một nghìn không trăm linh một"), (1010, "một nghìn không trăm mười"),
    (1034, "một nghìn không trăm ba mươi tư"), (2000, "hai nghìn"), (2005, "hai nghìn không trăm linh năm"),
    (2024, "hai nghìn không trăm hai mươi tư"), (1975, "một nghìn chín trăm bảy mươi lăm"),
    (10000, "mười nghìn"), (15000, "mười lăm nghìn"), (100000, "một trăm nghìn"),
    (1_000_000, "một triệu"), (1_000_005, "một triệu không trăm linh năm"),
    (2_500_000, "hai triệu năm trăm nghìn"), (1_000_000_000, "một tỷ"),
    (3_000_000_021, "ba tỷ không trăm hai mươi mốt"), (10**12, "một nghìn tỷ"),
]


@pytest.mark.parametrize(("n", "words"), CARDINALS)
def test_cardinal_north(n, words):
    assert NORTH.cardinal(n) == words


SOUTH_CARDINALS = [(105, "một trăm lẻ năm"), (1000, "một ngàn"), (24, "hai mươi bốn"), (2003, "hai ngàn không trăm lẻ ba")]


@pytest.mark.parametrize(("n", "words"), SOUTH_CARDINALS)
def test_cardinal_south(n, words):
    assert SOUTH.cardinal(n) == words


WRITTEN = [
    ("05", "năm"), ("007", "bảy"), ("00", "không"), ("1.780", "một nghìn bảy trăm tám mươi"),
    ("14.491.295", "mười bốn triệu bốn trăm chín mươi mốt nghìn hai trăm chín mươi lăm"),
    ("457,2", "bốn trăm năm mươi bảy phẩy hai"), ("0,5", "không phẩy năm"), ("1,05", "một phẩy không năm"),
    ("39,15", "ba mươi chín phẩy mười lăm"), ("2,125", "hai phẩy một trăm hai mươi lăm"),
    ("3,14159", "ba phẩy một bốn một năm chín"), ("1.234,5", "một nghìn hai trăm ba mươi tư phẩy năm"),
    ("1.5", "một chấm năm"), ("12345678901234567890", read_digits("12345678901234567890")),
]


@pytest.mark.parametrize(("token", "words"), WRITTEN)
def test_written_numbers(token, words):
    assert NORTH.number(token) == words


@pytest.mark.parametrize(("n", "words"), [(1, "nhất"), (2, "hai"), (3, "ba"), (4, "tư"), (7, "bảy"), (14, "mười bốn"),
                                          (24, "hai mươi tư")])
def test_ordinal(n, words):
    assert NORTH.ordinal(n) == words


@pytest.mark.parametrize(("n", "words"), [(1, "một"), (4, "tư"), (10, "mười"), (12, "mười hai")])
def test_month(n, words):
    assert NORTH.month(n) == words


@pytest.mark.parametrize("n", [0, 7, 10, 15, 21, 100, 105, 1001, 1_000_005, 2_000_000_001, 10**12])
def test_parser_agrees_on_table(n):
    assert parse_vietnamese(NORTH.cardinal(n)) == n


@settings(max_examples=3000, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_every_integer_reads_back(n):
    assert parse_vietnamese(NORTH.cardinal(n)) == n
    assert parse_vietnamese(SOUTH.cardinal(n)) == n


@settings(max_examples=500, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_spoken_form_of_written_integer_reads_back(n):
    from flows.text import spoken_form

    assert parse_vietnamese(spoken_form(f"có {n} người").removeprefix("có ").removesuffix(" người")) == n
