"""The inbox: Markdown, text, HTML and Word submissions, front matter read through its schema, files that are not
files, legacy encodings and file names, and where each file goes once gathered."""

from __future__ import annotations

import os
import socket
from datetime import date, datetime
from pathlib import Path

import pytest

from flows.ingest import read_source
from flows.ingest.frontmatter import Known
from flows.ingest.inbox import (
    PROCESSED_DIR,
    REFUSED_DIR,
    SubmissionError,
    dateline,
    parse_file,
    parse_submission,
    read_inbox,
)
from flows.models import DISTRICT, Commune, Movement, Priority, Source

INBOX = Path(__file__).resolve().parents[2] / "content" / "samples" / "inbox"
SOURCE = Source(id="hop-thu", name="Hộp thư", kind="inbox", location="inbox", audience=(DISTRICT,))
KNOWN = Known(communes=[Commune("than-sa", "Thần Sa"), Commune("sang-moc", "Sảng Mộc"),
                        Commune("dinh-ca", "Đình Cả", "thị trấn")],
              movements=[Movement("dan-van-kheo", "Dân vận khéo"), Movement("nong-thon-moi", "Nông thôn mới")])


def test_demo_inbox_reads_every_file() -> None:
    from flows.content import Newsroom

    newsroom = Newsroom.load(INBOX.parents[1])
    got = read_inbox(INBOX, SOURCE, 1_000_000, Known(newsroom.communes, newsroom.movements))
    assert got.failures == []
    assert len(got.stories) == len([p for p in INBOX.iterdir() if not p.name.startswith(".")])
    assert all(s.published_at is not None for s in got.stories)  # front matter, dateline or file name
    assert any(s.audience and DISTRICT not in s.audience for s in got.stories)


def test_markdown_front_matter() -> None:
    data = """---
title: Phụ nữ xã Thần Sa làm theo lời Bác
author: Hội Liên hiệp Phụ nữ huyện
date: 2023-06-08
audience: than-sa, sang-moc
movement: dan-van-kheo
priority: priority
---
Chị em **hội viên** đã giúp 12 hộ nghèo.

- Một ý
""".encode()
    story = parse_submission("a.md", data, SOURCE, KNOWN)
    assert story.title == "Phụ nữ xã Thần Sa làm theo lời Bác"
    assert story.audience == ("than-sa", "sang-moc")
    assert story.movements == ("dan-van-kheo",)
    assert story.priority is Priority.PRIORITY
    assert story.published_at == datetime(2023, 6, 8)
    assert "<strong>hội viên</strong>" in story.body and "<li>" in story.body


def test_vietnamese_keys_and_values_are_understood() -> None:
    data = """---
tiêu đề: Sảng Mộc khắc phục sạt lở
ngày: ngày 9 tháng 6 năm 2023
nơi nhận: xã Sảng Mộc, Thần Sa
phong trào:
  - Dân vận khéo
mức ưu tiên: khẩn
---
Nội dung bài.
""".encode()
    story = parse_submission("b.md", data, SOURCE, KNOWN)
    assert story.title == "Sảng Mộc khắc phục sạt lở"
    assert story.audience == ("sang-moc", "than-sa")
    assert story.movements == ("dan-van-kheo",)
    assert story.priority is Priority.EMERGENCY
    assert story.published_at == datetime(2023, 6, 9)


@pytest.mark.parametrize(("word", "priority"), [("thường", Priority.NORMAL), ("Ưu tiên", Priority.PRIORITY),
                                                ("khẩn cấp", Priority.EMERGENCY), ("normal", Priority.NORMAL)])
def test_priority_words(word: str, priority: Priority) -> None:
    data = f"---\ntitle: T\npriority: {word}\n---\nNội dung.".encode()
    assert parse_submission("p.md", data, SOURCE, KNOWN).priority is priority


@pytest.mark.parametrize(("front", "key", "reason"), [
    ("audiance: than-sa", "audiance", "không có trong mẫu"),
    ("audience: than-sa, thân-xa", "audience", "không có xã, thị trấn: thân-xa"),
    ("audience: Thân Sa", "audience", "không có xã, thị trấn: Thân Sa"),
    ("priority: urgent", "priority", "mức ưu tiên 'urgent' không hợp lệ"),
    ("date: 31-31-2023", "date", "không đúng dạng"),
    ("movement: dan-van-kheoo", "movement", "không có phong trào: dan-van-kheoo"),
    ("title:\n  - một\n  - hai", "title", ""),
    ("title: A\ntiêu đề: B", "tiêu đề", "hai lần"),
    ("không có dấu hai chấm", "", "không có dạng 'khóa: giá trị'"),
])
def test_bad_front_matter_is_refused_with_the_key_and_why(front: str, key: str, reason: str) -> None:
    data = f"---\n{front}\n---\nNội dung bài.".encode()
    with pytest.raises(SubmissionError) as info:
        parse_submission("x.md", data, SOURCE, KNOWN)
    message = str(info.value)
    assert key in message and reason in message and "chưa phát" in message


def test_a_typo_in_the_audience_never_makes_a_story_district_wide(tmp_path: Path) -> None:
    (tmp_path / "tin.md").write_text("---\ntitle: Tin xã\naudience: than-saa\n---\nNội dung.", encoding="utf-8")
    got = read_inbox(tmp_path, SOURCE, 100_000, KNOWN)
    assert got.stories == []
    assert "than-saa" in got.failures[0].reason and got.failures[0].item == "tin.md"


def test_plain_text_title_then_paragraphs() -> None:
    story = parse_submission("b.txt", "Tiêu đề bài\n\nĐoạn một\ndòng hai.\n\nĐoạn hai.".encode(), SOURCE)
    assert story.title == "Tiêu đề bài"
    assert story.body == "<p>Đoạn một dòng hai.</p><p>Đoạn hai.</p>"
    assert story.audience == ()  # takes the source's default when stored


@pytest.mark.parametrize(("text", "when"), [
    ("Tin\n\nSáng 14/11/2023, UBND huyện họp.", datetime(2023, 11, 14)),
    ("Tin\n\nSáng Chủ nhật ngày 26 tháng 3 năm 2023, Huyện đoàn ra quân.", datetime(2023, 3, 26)),
    ("Tin\n\nVõ Nhai, ngày 8 tháng 6 năm 2023\n\nNội dung.", datetime(2023, 6, 8)),
    ("Tin\n\nNội dung.\n\nThần Sa, ngày 02/10/2023", datetime(2023, 10, 2)),
    ("Tin\n\nNội dung không có ngày. Năm 2021 đến nay có 64 hộ thoát nghèo.", None),
])
def test_the_story_date_is_its_own_not_the_gathering_day(text: str, when: datetime | None) -> None:
    assert parse_submission("tin.txt", text.encode(), SOURCE).published_at == when


def test_a_dated_file_name_gives_the_date_when_the_text_has_none() -> None:
    story = parse_submission("2023-08-15-ccb.txt", "Tin\n\nNội dung không ngày.".encode(), SOURCE)
    assert story.published_at == datetime(2023, 8, 15)
    assert dateline("Không có ngày ở đây") is None


def test_same_file_same_id_edited_file_new_id() -> None:
    a = parse_submission("c.txt", "Tiêu đề\n\nNội dung.".encode(), SOURCE)
    b = parse_submission("c.txt", "Tiêu đề\n\nNội dung.".encode(), SOURCE)
    c = parse_submission("c.txt", "Tiêu đề\n\nNội dung đã sửa.".encode(), SOURCE)
    assert a.external_id == b.external_id != c.external_id


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("a.pdf", b"%PDF-1.4", "chưa hỗ trợ"),
        ("a.txt", b"   \n", "rỗng"),
        ("a.md", b"\x00\x01binary", "nhị phân"),
        ("a.txt", "Chỉ có tiêu đề".encode(), "không có nội dung"),
        ("a.md", "---\ntitle: x\nkhông đóng".encode(), "không được đóng"),
        ("a.docx", b"PK\x03\x04 not really a zip", "hỏng"),
        ("a.docx", "Tiêu đề\n\nNội dung".encode(), "hỏng"),
        ("a.html", "<html><body><p>Chỉ có nội dung</p></body></html>".encode(), "không có tiêu đề"),
    ],
)
def test_bad_submissions_raise_messages_for_editors(name: str, data: bytes, reason: str) -> None:
    with pytest.raises(SubmissionError, match=reason):
        parse_submission(name, data, SOURCE)


def test_html_submission(encode_cp1258) -> None:  # type: ignore[no-untyped-def]
    page = ('<html><head><meta charset="windows-1258"><title>Tin</title></head><body><h1>Đình Cả thi đua</h1>'
            '<p>Ngày 3/4/2023, thị trấn Đình Cả phát động thi đua.</p><script>alert(1)</script></body></html>')
    story, notes = parse_file("tin.html", encode_cp1258(page), SOURCE, KNOWN)
    assert story.title == "Đình Cả thi đua"
    assert "thị trấn Đình Cả phát động" in story.body and story.published_at == datetime(2023, 4, 3)
    assert notes and "WINDOWS-1258" in notes[0]


def test_docx_submission(tmp_path: Path) -> None:
    from docx import Document

    doc = Document()
    doc.core_properties.author = "UBND xã Thần Sa"
    doc.add_heading("Thần Sa ra quân làm đường giao thông nông thôn", level=1)
    p = doc.add_paragraph("Ngày 5/3/2023, ")
    p.add_run("xã Thần Sa").bold = True
    p.add_run(" ra quân làm 2 km đường bê tông.")
    doc.add_paragraph("Hiến đất", style="List Bullet")
    doc.add_paragraph("Góp ngày công", style="List Bullet")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Xóm", "Số hộ"
    table.cell(1, 0).text, table.cell(1, 1).text = "Ngọc Sơn", "42"
    path = tmp_path / "bai.docx"
    doc.save(str(path))
    story = parse_submission("bai.docx", path.read_bytes(), SOURCE)
    assert story.title == "Thần Sa ra quân làm đường giao thông nông thôn"
    assert "<strong>xã Thần Sa</strong>" in story.body
    assert "<ul><li>Hiến đất</li><li>Góp ngày công</li></ul>" in story.body
    assert "<td>Ngọc Sơn</td><td>42</td>" in story.body
    assert story.author == "UBND xã Thần Sa" and story.published_at == datetime(2023, 3, 5)


def test_docx_zip_bomb_is_refused(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "bom.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<" + b" " * 60_000_000 + b">")
    with pytest.raises(SubmissionError, match="giải nén ra quá lớn"):
        parse_submission("bom.docx", path.read_bytes(), SOURCE)


def test_links_devices_fifos_and_sockets_are_refused_with_a_reason(tmp_path: Path) -> None:
    (tmp_path / "tot.txt").write_text("Tin tốt\n\nNội dung tốt.", encoding="utf-8")
    (tmp_path / "passwd.txt").symlink_to("/etc/passwd")
    (tmp_path / "thu-muc-lien-ket").symlink_to("/etc", target_is_directory=True)
    os.mkfifo(tmp_path / "ong.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / "o-cam.txt"))
    try:
        got = read_inbox(tmp_path, SOURCE, 100_000)
    finally:
        sock.close()
    assert [s.title for s in got.stories] == ["Tin tốt"]
    reasons = {f.item: f.reason for f in got.failures}
    assert set(reasons) == {"passwd.txt", "thu-muc-lien-ket", "ong.txt", "o-cam.txt"}
    assert "liên kết tượng trưng" in reasons["passwd.txt"] and "FIFO" in reasons["ong.txt"]
    assert all("root:" not in s.body for s in got.stories)


def test_a_device_is_refused(tmp_path: Path) -> None:
    try:
        os.mknod(tmp_path / "zero.txt", 0o600 | __import__("stat").S_IFCHR, os.makedev(1, 5))
    except PermissionError:
        message = "creating a device node needs CAP_MKNOD (run the tests as root, as CI does)"
        if os.environ.get("BANTIN_CI"):
            pytest.fail(message)
        pytest.skip(message)
    got = read_inbox(tmp_path, SOURCE, 100_000)
    assert got.stories == [] and "thiết bị" in got.failures[0].reason


def test_legacy_file_names_are_read_not_fatal(tmp_path: Path, encode_cp1258) -> None:  # type: ignore[no-untyped-def]
    raw_name = encode_cp1258("Tin xã Thần Sa.txt")
    with pytest.raises(UnicodeDecodeError):
        raw_name.decode("utf-8")
    with open(os.path.join(os.fsencode(tmp_path), raw_name), "wb") as f:
        f.write("Thần Sa\n\nNội dung.".encode())
    got = read_inbox(tmp_path, SOURCE, 100_000)
    assert [s.title for s in got.stories] == ["Thần Sa"]
    assert got.stories[0].external_id.startswith("Tin xã Thần Sa.txt#")
    got.stories[0].external_id.encode("utf-8")  # storable text, no lone surrogates


@pytest.mark.parametrize("encoding", ["windows-1258", "tcvn3", "vni-windows"])
def test_legacy_encoded_text_files_are_decoded_with_a_note(encoding: str, encode_cp1258) -> None:  # type: ignore[no-untyped-def]
    text = "Xã Thần Sa hưởng ứng phong trào\n\nNgười dân đóng góp ngày công làm đường, xây nhà văn hóa xóm."
    data = _legacy(text, encoding, encode_cp1258)
    story, notes = parse_file("d.txt", data, SOURCE, KNOWN)
    assert story.title == "Xã Thần Sa hưởng ứng phong trào"
    assert "Người dân đóng góp ngày công" in story.body
    assert notes and encoding.upper() in notes[0]


def test_bytes_of_no_clear_encoding_are_set_aside_not_guessed() -> None:
    data = bytes(range(0x80, 0x100)) * 3 + b"\n\n" + bytes(range(0xC0, 0xFF))
    with pytest.raises(SubmissionError, match="không chắc tệp viết bằng bảng mã nào"):
        parse_submission("e.txt", data, SOURCE)


def test_processed_and_refused_files_move_once_stored(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "tot.md").write_text("---\ntitle: Tin tốt\n---\nNội dung tốt.", encoding="utf-8")
    (inbox / "sai.md").write_text("---\ntitle: Tin\naudience: khong-co\n---\nNội dung.", encoding="utf-8")
    (inbox / "lien-ket.txt").symlink_to("/etc/passwd")
    source = Source(id="hop-thu", name="Hộp thư", kind="inbox", location="inbox")
    got = read_source(source, base=tmp_path, known=KNOWN)
    assert [s.title for s in got.stories] == ["Tin tốt"]
    assert (inbox / "tot.md").exists()  # nothing moves before the store has the stories
    got.settle(date(2023, 6, 8))
    assert sorted(p.name for p in inbox.iterdir()) == sorted([PROCESSED_DIR, REFUSED_DIR])
    done = inbox / PROCESSED_DIR / "2023-06-08"
    refused = inbox / REFUSED_DIR / "2023-06-08"
    assert [p.name for p in done.iterdir()] == ["tot.md"]
    assert sorted(p.name for p in refused.iterdir()) == ["lien-ket.txt", "lien-ket.txt.ly-do.txt", "sai.md",
                                                          "sai.md.ly-do.txt"]
    assert (refused / "lien-ket.txt").is_symlink()  # the link moved, not the file it points to
    assert "khong-co" in (refused / "sai.md.ly-do.txt").read_text(encoding="utf-8")
    # the next gathering finds an empty inbox and does not read the archive
    assert read_source(source, base=tmp_path, known=KNOWN).stories == []


def test_a_sample_inbox_can_be_kept_in_place(tmp_path: Path) -> None:
    (tmp_path / "tin.txt").write_text("Tin\n\nNội dung.", encoding="utf-8")
    source = Source(id="mau", name="Mẫu", kind="inbox", location=".", archive=False)
    got = read_source(source, base=tmp_path)
    got.settle()
    assert (tmp_path / "tin.txt").exists() and not (tmp_path / PROCESSED_DIR).exists()


def _legacy(text: str, encoding: str, encode_cp1258) -> bytes:  # type: ignore[no-untyped-def]
    import unicodedata

    from flows.text.legacy import TCVN3_TO_UNICODE, VNI_TO_UNICODE

    if encoding == "windows-1258":
        return encode_cp1258(text)
    table = TCVN3_TO_UNICODE if encoding == "tcvn3" else VNI_TO_UNICODE
    reverse: dict[str, str] = {}
    for legacy, uni in table.items():
        reverse.setdefault(uni, legacy)
    out = "".join(reverse.get(ch, ch) for ch in unicodedata.normalize("NFC", text))
    return out.encode("latin-1" if encoding == "tcvn3" else "cp1252")
