"""The desk's queue, story page and actions against the running server, each checked in the store afterwards;
bad input gets a Vietnamese message and changes nothing."""

from __future__ import annotations

import html
import re
import unicodedata
from contextlib import closing
from datetime import date
from typing import TYPE_CHECKING

import pytest

from flows import pipeline
from flows.audio.ffmpeg import decode_pcm
from flows.models import Priority, StoryState

if TYPE_CHECKING:
    from tests.web.desk.conftest import Desk


@pytest.fixture(scope="module")
def editor(desk: Desk):  # type: ignore[no-untyped-def]
    with closing(desk.login("bien-tap")) as client:
        yield client


def post(desk: Desk, client, path: str, **form):  # type: ignore[no-untyped-def]
    return client.post(path, data={**form, "csrf_token": desk.token(client)})


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_the_queue_counts_what_waits_and_filters_it(desk: Desk, editor) -> None:  # type: ignore[no-untyped-def]
    store = desk.store()
    waiting = pipeline.waiting_for_review(store)
    page = editor.get("/bien-tap")
    assert page.status_code == 200
    assert unicodedata.is_normalized("NFC", page.text)
    body = text_of(page.text)
    assert re.search(rf"Chờ xem:\s+{len(waiting)}\b", body), body[:800]
    assert re.search(r"Lỗi:\s+1\b", body)
    # Newest first, each with why it waits.
    listed = [int(n) for n in re.findall(r'href="/bien-tap/bai/(\d+)"', page.text)]
    assert listed == [s.id for s in waiting]
    assert "Tệp không đọc được: không phải văn bản." in body
    assert "1 cảnh báo soát lỗi" in body
    assert "Trường mầm non Tràng Xá" not in body  # approved without warnings: nothing to decide

    failed = editor.get("/bien-tap", params={"trang_thai": "failed"}).text
    assert re.findall(r'href="/bien-tap/bai/(\d+)"', failed) == [str(desk.ids["failed"])]
    centre = editor.get("/bien-tap", params={"trang_thai": "tat-ca", "nguon": "trung-tam"}).text
    assert re.findall(r'href="/bien-tap/bai/(\d+)"', centre) == [str(desk.ids["approved"])]
    assert editor.get("/bien-tap", params={"trang_thai": "tat-ca", "xa": "than-sa"}).text.count(
        'href="/bien-tap/bai/') == len(store.find_stories(pipeline_filter(commune="than-sa")))
    bad = editor.get("/bien-tap", params={"trang_thai": "khong-co"})
    assert bad.status_code == 400 and "Không có trạng thái" in bad.text


def pipeline_filter(**kw):  # type: ignore[no-untyped-def]
    from flows.store import StoryFilter

    return StoryFilter(**kw)


def test_the_story_page_shows_both_texts_the_warning_in_place_and_the_history(desk: Desk, editor) -> None:  # type: ignore[no-untyped-def]
    story = desk.store().story(desk.ids["flagged"])
    page = editor.get(f"/bien-tap/bai/{story.id}").text
    assert unicodedata.is_normalized("NFC", page)
    written = page.split('class="written"')[1].split("</section>")[0]
    spoken = page.split('class="spoken"')[1].split("</section>")[0]
    assert re.search(r'<mark class="warn" id="canh-bao-1" title="Từ bị lặp: “đã đã”[^"]*">đã đã<sup>1</sup></mark>',
                     written), written
    assert html.escape(story.reading, quote=False) in spoken
    assert "Từ bị lặp" in page and 'href="#canh-bao-1"' in page
    body = text_of(page)
    assert "toàn huyện" in body
    assert f"{story.air_from:%d/%m/%Y} – {story.air_until:%d/%m/%Y}" in body
    assert "thông thường" in body
    assert all(e.message in body for e in story.events)
    missing = editor.get("/bien-tap/bai/99999")
    assert missing.status_code == 404 and "Không có bài số 99999" in missing.text


def test_decisions_on_one_story_are_recorded_with_the_editor(desk: Desk, editor) -> None:  # type: ignore[no-untyped-def]
    sid, store = desk.ids["spare"], desk.store()
    r = post(desk, editor, f"/bien-tap/bai/{sid}/gac-lai", ly_do="  ")
    assert r.status_code == 400 and "Cần ghi lý do" in r.text
    assert store.story(sid).state is StoryState.NORMALISED
    r = post(desk, editor, f"/bien-tap/bai/{sid}/gac-lai", ly_do="Tin đã cũ")
    assert r.status_code == 200 and "Đã gác lại bài số" in r.text
    story = store.story(sid)
    assert story.state is StoryState.REJECTED
    assert (story.events[-1].actor, story.events[-1].message) == ("bien-tap", "Tin đã cũ")
    r = post(desk, editor, f"/bien-tap/bai/{sid}/duyet")
    assert r.status_code == 409 and "không thể duyệt" in r.text  # the library's refusal, shown on the page
    assert post(desk, editor, f"/bien-tap/bai/{sid}/khoi-phuc").status_code == 200
    assert store.story(sid).state is StoryState.NORMALISED
    assert "Đã duyệt bài số" in post(desk, editor, f"/bien-tap/bai/{sid}/duyet").text
    assert store.story(sid).state is StoryState.APPROVED
    r = post(desk, editor, f"/bien-tap/bai/{sid}/rut")
    assert r.status_code == 400 and "Cần ghi lý do rút bài" in r.text
    assert "Đã rút bài số" in post(desk, editor, f"/bien-tap/bai/{sid}/rut", ly_do="Sai tên xóm").text
    story = store.story(sid)
    assert story.state is StoryState.RETRACTED and story.events[-1].actor == "bien-tap"
    assert post(desk, editor, f"/bien-tap/bai/{sid}/khoi-phuc", ly_do="Đã sửa tên xóm").status_code == 200
    assert store.story(sid).state is StoryState.NORMALISED


def test_audience_air_window_and_priority(desk: Desk, editor) -> None:  # type: ignore[no-untyped-def]
    sid, store = desk.ids["bulk2"], desk.store()
    r = post(desk, editor, f"/bien-tap/bai/{sid}/noi-nhan", noi_nhan=["binh-long", "khong-co-xa"])
    assert r.status_code == 400 and "Không có xã: khong-co-xa" in r.text
    assert store.story(sid).audience == ("district",)
    r = post(desk, editor, f"/bien-tap/bai/{sid}/noi-nhan", noi_nhan=["binh-long", "la-hien"])
    assert r.status_code == 200 and "Bình Long" in r.text
    assert store.story(sid).audience == ("binh-long", "la-hien")

    r = post(desk, editor, f"/bien-tap/bai/{sid}/thoi-gian-phat", tu_ngay="2026-12-05", den_ngay="2026-12-01")
    assert r.status_code == 400 and "trước ngày bắt đầu" in r.text
    r = post(desk, editor, f"/bien-tap/bai/{sid}/thoi-gian-phat", tu_ngay="mai", den_ngay="2026-12-01")
    assert r.status_code == 400 and "không phải ngày" in r.text
    r = post(desk, editor, f"/bien-tap/bai/{sid}/thoi-gian-phat", tu_ngay="2026-12-01", den_ngay="2026-12-09",
             thu=["0", "2"])
    assert r.status_code == 200
    story = store.story(sid)
    assert (story.air_from, story.air_until, story.air_weekdays) == (date(2026, 12, 1), date(2026, 12, 9), (0, 2))

    r = post(desk, editor, f"/bien-tap/bai/{sid}/muc-uu-tien", muc="rất gấp")
    assert r.status_code == 400 and "Mức ưu tiên" in r.text
    assert "Mức ưu tiên: ưu tiên." in post(desk, editor, f"/bien-tap/bai/{sid}/muc-uu-tien", muc="1").text
    assert store.story(sid).priority is Priority.PRIORITY


def test_editing_the_text_and_the_reading(desk: Desk, editor) -> None:  # type: ignore[no-untyped-def]
    sid, store = desk.ids["bulk1"], desk.store()
    old = store.story(sid)
    r = post(desk, editor, f"/bien-tap/bai/{sid}/sua", tieu_de="  ", noi_dung=old.body_text)
    assert r.status_code == 400 and "Tiêu đề không được để trống" in r.text
    new_text = (old.body_text or "") + "\n\nMỗi suất quà trị giá năm trăm nghìn đồng."
    r = post(desk, editor, f"/bien-tap/bai/{sid}/sua", tieu_de="Cựu chiến binh Cúc Đường tặng quà",
             noi_dung=new_text, ly_do="Thêm giá trị quà")
    assert r.status_code == 200 and "Đã lưu bản 2" in r.text
    story = store.story(sid)
    assert story.title == "Cựu chiến binh Cúc Đường tặng quà" and story.revision == 2
    assert "năm trăm nghìn đồng" in (story.spoken_text or "")
    assert store.revisions(sid)[0]["title"] == old.title
    assert old.title in text_of(editor.get(f"/bien-tap/bai/{sid}").text)  # the old version in the page's history

    r = post(desk, editor, f"/bien-tap/bai/{sid}/cach-doc", cach_doc="   ")
    assert r.status_code == 400 and "Cách đọc không được để trống" in r.text
    reading = "Cựu chiến binh xã Cúc Đường tặng hai mươi suất quà, mỗi suất năm trăm nghìn đồng."
    r = post(desk, editor, f"/bien-tap/bai/{sid}/cach-doc", cach_doc=reading)
    assert r.status_code == 200 and "sửa tay" in r.text
    assert store.story(sid).spoken_override == reading
    assert html.escape(reading, quote=False) in r.text.split('class="spoken"')[1].split("</section>")[0]
    assert post(desk, editor, f"/bien-tap/bai/{sid}/cach-doc", bo="1").status_code == 200
    assert store.story(sid).spoken_override is None


def test_acting_on_many_stories_gives_each_its_result(desk: Desk, editor) -> None:  # type: ignore[no-untyped-def]
    store = desk.store()
    r = post(desk, editor, "/bien-tap/hang-loat", viec="duyet")
    assert r.status_code == 422 and "Chưa chọn bài nào" in r.text
    r = post(desk, editor, "/bien-tap/hang-loat", viec="gac-lai", bai=[desk.ids["failed"]])
    assert r.status_code == 400 and "Cần ghi lý do" in r.text
    r = post(desk, editor, "/bien-tap/hang-loat", viec="xoa", bai=[desk.ids["failed"]])
    assert r.status_code == 400
    r = post(desk, editor, "/bien-tap/hang-loat", viec="duyet", bai=[desk.ids["approved"], desk.ids["bulk2"]])
    assert r.status_code == 200
    results = re.findall(r'<li class="(ok|error)">([^<]+)</li>', r.text)
    assert [kind for kind, _ in results] == ["error", "ok"], results
    assert "không thể duyệt" in html.unescape(results[0][1])
    assert store.story(desk.ids["bulk2"]).state is StoryState.APPROVED
    assert store.story(desk.ids["bulk2"]).events[-1].actor == "bien-tap"


def test_hearing_a_sentence_in_a_chosen_station_voice(desk: Desk, editor) -> None:  # type: ignore[no-untyped-def]
    sid = desk.ids["flagged"]
    r = post(desk, editor, f"/bien-tap/bai/{sid}/nghe-thu", dai="la-hien", cau="99")
    assert r.status_code == 400 and "không có câu thứ 100" in r.text
    assert post(desk, editor, f"/bien-tap/bai/{sid}/nghe-thu", dai="khong-co", cau="").status_code == 404
    r = post(desk, editor, f"/bien-tap/bai/{sid}/nghe-thu", dai="la-hien", cau="1")
    assert r.status_code == 200, r.text[:500]
    src = re.search(r'<audio class="preview" controls preload="auto" src="([^"]+)"', r.text)
    assert src, r.text
    assert "câu 2" in r.text and "Giọng Đài Truyền thanh xã La Hiên" in text_of(r.text)
    clip = editor.get(src.group(1))
    assert clip.status_code == 200 and clip.headers["content-type"] == "audio/mpeg"
    sentence = desk.store().story(sid).reading.split(". ")[1]
    whole = post(desk, editor, f"/bien-tap/bai/{sid}/nghe-thu", dai="la-hien", cau="")
    whole_src = re.search(r'<audio class="preview" controls preload="auto" src="([^"]+)"', whole.text).group(1)  # type: ignore[union-attr]
    assert whole_src != src.group(1)
    # Real audio: decoded, the sentence is shorter than the whole story and longer than a second.
    seconds = len(decode_pcm(clip.content, 16000)) / 4 / 16000
    whole_seconds = len(decode_pcm(editor.get(whole_src).content, 16000)) / 4 / 16000
    assert 1.0 < seconds < whole_seconds, (sentence, seconds, whole_seconds)
    # Voiced once: asking again gives the same clip from the speech cache.
    again = post(desk, editor, f"/bien-tap/bai/{sid}/nghe-thu", dai="la-hien", cau="1")
    assert src.group(1) in again.text
    assert editor.get("/bien-tap/nghe-thu/" + "../" * 3 + "etc/passwd.mp3").status_code == 404
    assert editor.get("/bien-tap/nghe-thu/" + "f" * 64 + ".mp3").status_code == 404
