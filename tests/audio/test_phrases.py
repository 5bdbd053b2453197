"""gTTS request chunks end at Vietnamese phrase boundaries and never exceed Google's 100 characters."""

from hypothesis import given, settings
from hypothesis import strategies as st

from flows.audio.phrases import PHRASE_STARTERS, chunks

TEXT = ("Sáng nay, Ủy ban nhân dân huyện Võ Nhai tổ chức hội nghị tổng kết phong trào thi đua yêu nước; "
        "tham dự có đại diện các xã, thị trấn và các đoàn thể. Hội nghị biểu dương một trăm hai mươi tập thể "
        "và cá nhân có thành tích xuất sắc trong phong trào Cả nước chung sức xây dựng nông thôn mới!")


def test_chunks_end_at_phrase_boundaries():
    parts = chunks(TEXT)
    assert all(len(p) <= 100 for p in parts)
    assert " ".join(parts) == TEXT
    # Every cut falls after punctuation or before a word that opens a phrase: no phrase is cut in two.
    for before, after in zip(parts, parts[1:]):
        assert before[-1] in ",;.!" or after.split()[0] in PHRASE_STARTERS, (before, after)
    assert "xuất sắc" in parts[2] and parts[3].startswith("trong phong trào")


def test_a_phrase_longer_than_a_chunk_is_cut_between_syllables():
    long_phrase = " ".join(["thi đua"] * 40)
    parts = chunks(long_phrase)
    assert all(len(p) <= 100 for p in parts) and " ".join(parts) == long_phrase
    assert all(w in ("thi", "đua") for p in parts for w in p.split())


@given(st.lists(st.sampled_from(["thi", "đua", "yêu", "nước", "xã", "Bình", "Long", ",", ".", ";", "–", "!"]),
                min_size=1, max_size=120))
@settings(max_examples=200, deadline=None)
def test_chunks_keep_every_word_and_the_limit(words):
    text = " ".join(words)
    parts = chunks(text)
    assert all(0 < len(p) <= 100 for p in parts)
    assert " ".join(parts).split() == text.split()
