"""Places named in a story, by the district's gazetteer (content/gazetteer.toml), and the unit that sent it."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.content import Newsroom
from flows.editing.tagging import Gazetteer, place_and_unit_tags, tag_communes, tag_villages
from flows.errors import UserError

CONTENT = Path(__file__).resolve().parents[2] / "content"
NEWSROOM = Newsroom.load(CONTENT)


def test_the_demo_gazetteer_knows_real_villages() -> None:
    names = {(v.commune, v.name) for v in NEWSROOM.gazetteer.villages}
    assert ("than-sa", "Kim Sơn") in names and ("thuong-nung", "Lũng Hoài") in names
    assert ("vu-chan", "Khe Rịa") in names and ("sang-moc", "Nà Ca") in names


def test_a_village_tags_its_commune_and_an_alias_spelling_counts() -> None:
    text = "Bà con xóm Kim Sơn ra quân làm đường."
    assert tag_communes(text, NEWSROOM.communes, NEWSROOM.gazetteer) == ["than-sa"]
    assert tag_communes(text, NEWSROOM.communes) == []  # without the gazetteer only commune names count
    assert tag_communes("UBND xã Thần Xa họp dân", NEWSROOM.communes, NEWSROOM.gazetteer) == ["than-sa"]
    assert tag_communes("Anh Thân Sa đến chơi", NEWSROOM.communes, NEWSROOM.gazetteer) == []


def test_villages_need_their_word_and_a_shared_name_needs_its_commune() -> None:
    gaz = Gazetteer(villages=tuple(NEWSROOM.gazetteer.villages) + (
        type(NEWSROOM.gazetteer.villages[0])("la-hien", "Tân Thành"),))
    assert tag_villages("Chi hội xóm Tân Thành họp", NEWSROOM.communes, gaz) == []  # two communes have one
    found = tag_villages("Xóm Tân Thành, xã Thượng Nung họp", NEWSROOM.communes, gaz)
    assert [(v.commune, v.name) for v in found] == [("thuong-nung", "Tân Thành")]
    assert tag_villages("Kim Sơn là tên một ngọn núi", NEWSROOM.communes, gaz) == []
    assert [v.name for v in tag_villages("Bà con Nà Ca trồng hồi", NEWSROOM.communes, gaz)] == ["Nà Ca"]


def test_tags_for_the_store_name_the_village_and_the_unit() -> None:
    tags = place_and_unit_tags("Tổ tự quản xóm Kim Sơn tuần tra", NEWSROOM.communes, NEWSROOM.gazetteer,
                               "xa-than-sa-web", "Trang thông tin điện tử xã Thần Sa")
    assert tags == [("village", "than-sa/Kim Sơn", "Kim Sơn (xã Thần Sa)"),
                    ("unit", "xa-than-sa-web", "Trang thông tin điện tử xã Thần Sa")]


@pytest.mark.parametrize(("text", "reason"), [
    ('[[commune]]\nid = "khong-co"\nvillages = []', "không có xã"),
    ('[[commune]]\nid = "than-sa"\nvilages = []', "khóa không hợp lệ"),
    ('[[commune]]\nid = "than-sa"\nvillages = "Kim Sơn"', "danh sách"),
])
def test_a_bad_gazetteer_is_refused(text: str, reason: str) -> None:
    with pytest.raises(UserError, match=reason):
        Gazetteer.from_toml(text, NEWSROOM.communes)
