"""The desk's cleaning: safe HTML, plain text, fingerprints that find duplicates, slugs, tags."""

from __future__ import annotations

import pytest

from flows.editing.clean import clean_html, clean_title, html_to_text
from flows.editing.identity import fingerprint, slugify
from flows.editing.tagging import tag_communes, tag_movements
from flows.models import Commune, Movement


def test_scripts_styles_and_handlers_are_removed_text_kept() -> None:
    raw = ('<p style="color:red" onclick="x()">Xã <b>Thần Sa</b></p><script>alert(1)</script>'
           '<style>p{}</style><iframe src="http://evil"></iframe><p>Đoạn hai</p>')
    html = clean_html(raw)
    assert "script" not in html and "alert" not in html and "style" not in html and "onclick" not in html
    assert "iframe" not in html
    assert html_to_text(html) == "Xã Thần Sa\nĐoạn hai"


def test_double_br_becomes_paragraphs() -> None:
    html = clean_html("Đoạn một<br /><br />Đoạn hai<br><br>Đoạn ba")
    assert html.count("<p>") == 3
    assert html_to_text(html).split("\n") == ["Đoạn một", "Đoạn hai", "Đoạn ba"]


def test_bare_text_gets_a_paragraph() -> None:
    assert clean_html("Chỉ là chữ") == "<p>Chỉ là chữ</p>"


def test_links_get_safe_rel() -> None:
    html = clean_html('<p><a href="http://x.vn" target="_blank">x</a></p>')
    assert 'rel="noopener nofollow"' in html and "target" not in html


def test_title_loses_markup_and_extra_space() -> None:
    assert clean_title("  <b>Tin</b>   xã\tLa Hiên ") == "Tin xã La Hiên"


def test_decomposed_unicode_becomes_nfc() -> None:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "<p>Nông thôn mới</p>")
    assert clean_html(decomposed) == "<p>Nông thôn mới</p>"


def test_same_story_in_other_markup_has_the_same_fingerprint() -> None:
    a = fingerprint("Biểu dương 52 hộ", html_to_text(clean_html("<p>Năm nay,  huyện</p><p>biểu dương.</p>")))
    b = fingerprint("Biểu dương 52 hộ", html_to_text(clean_html("Năm nay, huyện<br><br>biểu dương.")))
    c = fingerprint("Biểu dương 53 hộ", html_to_text(clean_html("<p>Năm nay, huyện</p><p>biểu dương.</p>")))
    assert a == b != c


@pytest.mark.parametrize(
    ("title", "slug"),
    [("Xã Đình Cả đạt chuẩn nông thôn mới", "xa-dinh-ca-dat-chuan-nong-thon-moi"),
     ("Ủy ban: 85/KH-UBND!", "uy-ban-85-kh-ubnd"),
     ("???", "bai-viet")],
)
def test_slugs_are_ascii(title: str, slug: str) -> None:
    assert slugify(title) == slug


MOVEMENTS = [Movement("nong-thon-moi", "Cả nước chung sức xây dựng nông thôn mới", ("nông thôn mới", "NTM")),
             Movement("dan-van-kheo", "Dân vận khéo", ("dân vận khéo",))]
COMMUNES = [Commune("than-sa", "Thần Sa"), Commune("dinh-ca", "Đình Cả", "thị trấn"), Commune("la-hien", "La Hiên")]


def test_movements_by_keyword_whole_words_and_given() -> None:
    assert tag_movements("Xã về đích NTM năm 2023", MOVEMENTS) == ["nong-thon-moi"]
    assert tag_movements("Từ NTMX không phải", MOVEMENTS) == []
    assert tag_movements("Mô hình DÂN VẬN KHÉO", MOVEMENTS, given=["nong-thon-moi", "khong-co"]) == [
        "nong-thon-moi", "dan-van-kheo"]


def test_communes_by_name_with_their_kind() -> None:
    assert tag_communes("Nhân dân xã Thần Sa và thị trấn Đình Cả", COMMUNES) == ["than-sa", "dinh-ca"]
    assert tag_communes("Anh Thần Sang", COMMUNES) == []
