"""Contributing units send stories to the running `bantin serve`: the phone form with a photo and a clip, the JSON
API, their refusals in Vietnamese, the keys, and the files reaching the portal's article."""

from __future__ import annotations

import base64
import io
import json
import socket
import subprocess
import zlib
from pathlib import Path

import imageio_ffmpeg
import pytest
from lxml import html as lxml_html
from PIL import Image

from flows import pipeline, runtime
from flows.ingest.submission import MAX_FILES, Upload, check_file

UNIT = "xa-than-sa-gui-tin"


def _photo(orientation: int = 6) -> bytes:
    """A phone's photo: 40x20 pixels stored sideways with an orientation flag and the reporter's name in EXIF."""
    image = Image.new("RGB", (40, 20), (200, 30, 30))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x013B] = "Nguyen Van Phong Vien"  # Artist
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def _clip(tmp: Path) -> bytes:
    path = tmp / "clip.mp4"
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10",
                    "-f", "lavfi", "-i", "sine=f=440", "-t", "1", "-c:v", "mpeg4", "-c:a", "aac", "-shortest",
                    str(path)], check=True)
    return path.read_bytes()


@pytest.fixture
def unit_key(server) -> str:  # type: ignore[no-untyped-def]
    """A fresh key for each test (issuing one revokes the one before)."""
    return str(server.store().issue_submission_key(UNIT, "test").secret)


def _count(server) -> int:  # type: ignore[no-untyped-def]
    return len(server.store().stories())


def test_a_commune_sends_a_story_with_a_photo_and_a_clip_from_the_phone_form(server, unit_key, tmp_path) -> None:  # type: ignore[no-untyped-def]
    c = server.client()
    form = c.get(f"/gui-tin/{unit_key}")
    assert form.status_code == 200 and "UBND xã Thần Sa" in form.text
    assert 'enctype="multipart/form-data"' in form.text and form.headers["cache-control"] == "no-store"
    clip = _clip(tmp_path)
    caption = "Bà con xóm Kim Sơn <script>alert(1)</script> làm đường"
    r = c.post(f"/gui-tin/{unit_key}",
               data={"title": "Xóm Kim Sơn làm đường bê tông", "date": "2023-11-20", "author": "Chị Hoa",
                     "text": "Bà con xóm Kim Sơn góp 300 ngày công làm đường.\n\nCon đường dài 1,2 km.",
                     "audience": ["than-sa"], "movements": [], "chu_thich1": caption, "chu_thich2": "Lễ khánh thành"},
               files={"tep1": ("IMG_2041.JPG", _photo(), "image/jpeg"), "tep2": ("khanh-thanh.mp4", clip, "video/mp4")})
    assert r.status_code == 201, r.text
    assert "Đã nhận bài" in r.text and "2 tệp kèm" in r.text
    store = server.store()
    (story,) = [s for s in store.stories() if s.source_id == UNIT and s.title == "Xóm Kim Sơn làm đường bê tông"]
    assert story.author == "Chị Hoa" and story.published_at.date().isoformat() == "2023-11-20"
    assert story.audience == ("than-sa",)
    photo, video = store.attachments([story.id])[story.id]
    assert (photo.kind, video.kind) == ("photo", "video") and video.media_type == "video/mp4"
    kept = Image.open(photo.path)
    assert kept.size == (20, 40)  # turned upright by its orientation flag...
    assert dict(kept.getexif()) == {}  # ...and the reporter's EXIF is gone
    assert Path(video.path).read_bytes() == clip and Path(video.path).name == f"{video.sha256}.mp4"

    # The editor approves it; the article shows the photo with its caption and plays the clip.
    newsroom, store = runtime.open_newsroom(str(server.night.content))
    pipeline.normalise(newsroom, store)
    assert pipeline.approve(store, [story.id], "chị Lan")[0].ok
    pipeline.publish(newsroom, store)
    site = newsroom.settings.portal.output
    page = lxml_html.fromstring((site / "bai" / store.story(story.id).slug / "index.html").read_bytes())
    img = page.find(".//figure/img")
    src = img.get("src").lstrip("./")
    assert (site / src).read_bytes() == Path(photo.path).read_bytes()
    # The caption is cleaned like a title: markup is dropped, never run, and the words stay.
    assert page.find(".//figure/figcaption").text_content() == "Bà con xóm Kim Sơn làm đường"
    assert page.findall(".//script") == []
    video_src = page.find(".//figure/video").get("src").lstrip("./")
    assert (site / video_src).read_bytes() == clip


def test_the_api_answers_every_problem_at_once_in_vietnamese_and_keeps_nothing(server, unit_key) -> None:  # type: ignore[no-untyped-def]
    c = server.client(headers={"Authorization": f"Bearer {unit_key}"})
    before = _count(server)
    fake_photo = b"MZ\x90\x00" + b"\x00" * 200  # a Windows program renamed .jpg
    r = c.post("/api/v1/submissions", json={
        "text": "Nội dung có mà không có tiêu đề.", "date": "31/02/2023", "audience": ["Xã Không Có"],
        "movements": ["khong-co"], "mau": "lạ",
        "attachments": [{"name": "anh.jpg", "data": base64.b64encode(fake_photo).decode()}]})
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    where = {e["where"] for e in problem["errors"]}
    assert {"mau", "date"} <= where, problem  # a wrong date stops the field check before the lists are looked at
    assert any("không phải ảnh" in e["message"] for e in problem["errors"])
    assert _count(server) == before  # nothing kept from a refused submission

    r = c.post("/api/v1/submissions", json={"text": "Không tiêu đề", "audience": ["Xã Không Có"]})
    assert r.status_code == 422
    assert {e["where"] for e in r.json()["errors"]} == {"audience", "title"}

    story = {"title": "Hội Phụ nữ xã Thần Sa ra mắt tổ tiết kiệm", "text": "Tổ có 25 hội viên tham gia.",
             "priority": "thường"}
    first = c.post("/api/v1/submissions", json=story)
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["state"] == "submitted" and server.store().story(body["id"]).source_id == UNIT
    again = c.post("/api/v1/submissions", json=story)  # a retry over a bad link is not a second story
    assert again.status_code == 409 and "đã được gửi" in again.json()["detail"]


def test_keys_are_checked_revocable_and_never_kept_in_the_clear(server) -> None:  # type: ignore[no-untyped-def]
    store = server.store()
    old = store.issue_submission_key(UNIT, "test").secret
    assert server.client().get(f"/gui-tin/{old}").status_code == 200
    new = store.issue_submission_key(UNIT, "test").secret  # issuing again revokes the one before
    assert server.client().get(f"/gui-tin/{old}").status_code == 404
    assert server.client().get(f"/gui-tin/{new}").status_code == 200
    no_key = server.client().post("/api/v1/submissions", json={"title": "x", "text": "y"})
    assert no_key.status_code == 401 and no_key.json()["status"] == 401
    wrong = server.client(headers={"Authorization": "Bearer gt_khong-dung"}).post(
        "/api/v1/submissions", json={"title": "x", "text": "y"})
    assert wrong.status_code == 404
    store.revoke_submission_key(UNIT, "test")
    assert server.client().get(f"/gui-tin/{new}").status_code == 404
    database = Path(str(store.path)).read_bytes() if store.path else b""
    assert new.encode() not in database and old.encode() not in database


def test_an_oversized_submission_is_refused_before_it_is_read(server, unit_key) -> None:  # type: ignore[no-untyped-def]
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as s:
        s.sendall((f"POST /api/v1/submissions HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {unit_key}\r\n"
                   "Content-Type: application/json\r\nContent-Length: 99999999999\r\n\r\n{").encode())
        reply = b""
        while b"\r\n\r\n" not in reply:
            reply += s.recv(65536)
        head, _, body = reply.partition(b"\r\n\r\n")
        length = int(next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")))
        while len(body) < length:
            body += s.recv(65536)
    assert b" 413 " in head.split(b"\r\n")[0]
    assert "quá lớn" in json.loads(body)["detail"]


# -- the file checks, on their own -------------------------------------------------------------------------------
def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge picture (a decompression bomb's first step)."""
    out = io.BytesIO()
    Image.new("L", (1, 1)).save(out, "PNG")
    data = bytearray(out.getvalue())
    ihdr = data[12:29]
    ihdr[4:8], ihdr[8:12] = width.to_bytes(4, "big"), height.to_bytes(4, "big")
    data[12:29] = ihdr
    data[29:33] = zlib.crc32(bytes(ihdr)).to_bytes(4, "big")
    return bytes(data)


@pytest.mark.parametrize(("name", "data", "says"), [
    ("bom.png", _png_claiming(20000, 20000), "ảnh hỏng"),
    ("rong.jpg", b"", "tệp rỗng"),
    ("trang.html", b"<html><script>alert(1)</script></html>", "không phải ảnh"),
    ("cat-ngang.mp4", None, "tệp hỏng"),
])
def test_bad_files_are_refused_with_a_reason(name: str, data: bytes | None, says: str, tmp_path: Path) -> None:
    if data is None:  # a clip cut off in the middle of its upload
        data = _clip(tmp_path)[:3000]
    checked, problem = check_file(1, Upload(name, data))
    assert checked is None and problem is not None and says in problem.message, problem


def test_a_docx_becomes_the_story_when_the_text_box_is_empty(server, unit_key) -> None:  # type: ignore[no-untyped-def]
    from docx import Document

    doc = Document()
    doc.add_heading("Xã Thần Sa tổng kết phong trào khuyến học", level=1)
    doc.add_paragraph("Năm học 2022–2023, xã có 12 học sinh giỏi cấp tỉnh.")
    out = io.BytesIO()
    doc.save(out)
    c = server.client(headers={"Authorization": f"Bearer {unit_key}"})
    r = c.post("/api/v1/submissions", data={"author": "Cán bộ văn hóa xã"},
               files={"files": ("tong-ket.docx", out.getvalue(), "application/octet-stream")})
    assert r.status_code == 201, r.text
    story = server.store().story(r.json()["id"])
    assert story.title == "Xã Thần Sa tổng kết phong trào khuyến học" and "12 học sinh giỏi" in story.raw_body
    too_many = c.post("/api/v1/submissions", json={"title": "Nhiều tệp", "text": "x", "attachments": [
        {"name": f"{n}.jpg", "data": base64.b64encode(_photo(1)).decode()} for n in range(MAX_FILES + 1)]})
    assert too_many.status_code == 422 and any("quá" in e["message"] for e in too_many.json()["errors"])
