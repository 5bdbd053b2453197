"""Only editors reach the desk: an operator's and a viewer's session get 403 on every desk page and action (with a
valid form token, so it is the role that refuses), nothing changes, and a form posted without its token is
refused even for an editor."""

from __future__ import annotations

from contextlib import closing
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.web.desk.conftest import Desk


def desk_actions(ids: dict[str, int]) -> list[tuple[str, dict]]:  # type: ignore[type-arg]
    """Every action of the desk, with a form that an editor's session would have had accepted."""
    one = ids["walk"]
    return [
        (f"/bien-tap/bai/{one}/duyet", {}),
        (f"/bien-tap/bai/{one}/gac-lai", {"ly_do": "Trùng tin"}),
        (f"/bien-tap/bai/{one}/rut", {"ly_do": "Sai số liệu"}),
        (f"/bien-tap/bai/{one}/khoi-phuc", {}),
        (f"/bien-tap/bai/{one}/noi-nhan", {"noi_nhan": ["binh-long"]}),
        (f"/bien-tap/bai/{one}/thoi-gian-phat", {"tu_ngay": "2026-12-01", "den_ngay": "2026-12-05"}),
        (f"/bien-tap/bai/{one}/muc-uu-tien", {"muc": "1"}),
        (f"/bien-tap/bai/{one}/sua", {"tieu_de": "Tiêu đề bị đổi", "noi_dung": "Nội dung bị đổi hẳn."}),
        (f"/bien-tap/bai/{one}/cach-doc", {"cach_doc": "đọc khác đi"}),
        (f"/bien-tap/bai/{one}/nghe-thu", {"dai": "binh-long"}),
        ("/bien-tap/hang-loat", {"viec": "duyet", "bai": [ids["bulk1"], ids["bulk2"]]}),
        ("/bien-tap/chay", {"viec": "synthesise", "dai": ["binh-long"]}),
        ("/bien-tap/chay", {"viec": "emergency", "tieu_de": "Lũ", "noi_dung": "Lũ về."}),
        ("/bien-tap/tu-dien", {"bang": "abbreviations", "viet": "HTXDV", "doc": "hợp tác xã dịch vụ"}),
        ("/bien-tap/tu-dien", {"bang": "words", "viet": "keo", "doc": "keo", "thu": "1", "cau": "rừng keo"}),
    ]


DESK_PAGES = ["/bien-tap", "/bien-tap/hom-nay", "/bien-tap/chay", "/bien-tap/bai/1", "/bien-tap/tu-dien",
              "/bien-tap/nghe-thu/" + "0" * 64 + ".mp3"]


def _snapshot(desk: Desk) -> list[tuple]:  # type: ignore[type-arg]
    store = desk.store()
    return [(s.id, s.state, s.title, s.audience, s.priority, s.air_from, s.air_until, s.spoken_override,
             s.revision, len(s.events)) for s in store.stories(ids=sorted(desk.ids.values()))]


@pytest.mark.parametrize("username", ["op-binh-long", "noi-vu", "quan-tri"])
def test_only_editors_reach_the_desk(desk: Desk, username: str) -> None:
    before, lexicon = _snapshot(desk), (desk.content / "lexicon.toml").read_bytes()
    runs = desk.content.parent / "data" / "desk-runs"
    runs_before = sorted(runs.glob("*.json")) if runs.is_dir() else []
    with closing(desk.login(username)) as client:
        token = desk.token(client)
        for path, form in desk_actions(desk.ids):
            r = client.post(path, data={**form, "csrf_token": token})
            assert r.status_code == 403, (username, path, r.status_code, r.text[:300])
            assert "không được làm việc này" in r.text, (path, r.text[:300])
        for path in DESK_PAGES:
            r = client.get(path)
            assert r.status_code == 403, (username, path, r.status_code)
        assert 'href="/bien-tap"' not in client.get("/dai" if username != "op-binh-long" else "/dai/binh-long").text
    assert _snapshot(desk) == before and (desk.content / "lexicon.toml").read_bytes() == lexicon
    assert (sorted(runs.glob("*.json")) if runs.is_dir() else []) == runs_before


def test_a_logged_out_browser_is_sent_to_the_login(desk: Desk) -> None:
    with closing(desk.client()) as client:
        r = client.get("/bien-tap")
        assert r.status_code == 303 and r.headers["location"].startswith("/dang-nhap?tiep=")
        r = client.post(f"/bien-tap/bai/{desk.ids['walk']}/duyet", data={})
        assert r.status_code in (401, 403)


def test_a_form_without_its_token_is_refused(desk: Desk) -> None:
    before = _snapshot(desk)
    with closing(desk.login("bien-tap")) as editor:
        good = desk.token(editor)
        for path, form in desk_actions(desk.ids):
            r = editor.post(path, data=form)
            assert r.status_code == 403, (path, r.status_code)
            assert "Biểu mẫu đã cũ" in r.text
        # A token of another session (another editor's browser, or a page from before a new login) is no better.
        with closing(desk.login("bien-tap")) as other:
            r = other.post(f"/bien-tap/bai/{desk.ids['walk']}/duyet", data={"csrf_token": good})
            assert r.status_code == 403 and "Biểu mẫu đã cũ" in r.text
    assert _snapshot(desk) == before
