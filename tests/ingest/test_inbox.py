"""The inbox: Markdown and text submissions, and every way a file can be wrong."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from flows.ingest.inbox import SubmissionError, parse_submission, read_inbox
from flows.models import DISTRICT, Priority, Source

INBOX = Path(__file__).resolve().parents[2] / "content" / "samples" / "inbox"
SOURCE = Source(id="hop-thu", name="Hộp thư", kind="inbox", location="inbox", audience=(DISTRICT,))


def test_demo_inbox_reads_every_file() -> None:
    stories, failures = read_inbox(INBOX, SOURCE, max_bytes=1_000_000)
    assert failures == []
    assert len(stories) == len(list(INBOX.iterdir()))
    md = [s for s in stories if s.external_id.split("#")[0].endswith(".md")]
    assert md and all(s.published_at is not None for s in md)
    assert any(s.audience and DISTRICT not in s.audience for s in md)


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
    story = parse_submission("a.md", data, SOURCE)
    assert story.title == "Phụ nữ xã Thần Sa làm theo lời Bác"
    assert story.audience == ("than-sa", "sang-moc")
    assert story.movements == ("dan-van-kheo",)
    assert story.priority is Priority.PRIORITY
    assert story.published_at == datetime(2023, 6, 8)
    assert "<strong>hội viên</strong>" in story.body and "<li>" in story.body


def test_plain_text_title_then_paragraphs() -> None:
    story = parse_submission("b.txt", "Tiêu đề bài\n\nĐoạn một\ndòng hai.\n\nĐoạn hai.".encode(), SOURCE)
    assert story.title == "Tiêu đề bài"
    assert story.body == "<p>Đoạn một dòng hai.</p><p>Đoạn hai.</p>"
    assert story.audience == ()  # takes the source's default when stored


def test_same_file_same_id_edited_file_new_id() -> None:
    a = parse_submission("c.txt", "Tiêu đề\n\nNội dung.".encode(), SOURCE)
    b = parse_submission("c.txt", "Tiêu đề\n\nNội dung.".encode(), SOURCE)
    c = parse_submission("c.txt", "Tiêu đề\n\nNội dung đã sửa.".encode(), SOURCE)
    assert a.external_id == b.external_id != c.external_id


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("a.docx", b"PK\x03\x04", "chưa hỗ trợ"),
        ("a.txt", b"   \n", "rỗng"),
        ("a.md", b"\x00\x01binary", "nhị phân"),
        ("a.txt", "Chỉ có tiêu đề".encode(), "không có nội dung"),
        ("a.md", "---\ntitle: x\nkhông đóng".encode(), "không được đóng"),
        ("a.md", "---\ntitle: x\ndate: 31-31-2023\n---\nNội dung".encode(), "không đúng dạng"),
        ("a.md", "---\ntitle: x\npriority: urgent\n---\nNội dung".encode(), "không hợp lệ"),
    ],
)
def test_bad_submissions_raise_messages_for_editors(name: str, data: bytes, reason: str) -> None:
    with pytest.raises(SubmissionError, match=reason):
        parse_submission(name, data, SOURCE)


def test_bad_files_fail_alone_and_keep_their_names(tmp_path: Path) -> None:
    (tmp_path / "tot.txt").write_text("Tin tốt\n\nNội dung tốt.", encoding="utf-8")
    (tmp_path / "rong.txt").write_bytes(b"")
    (tmp_path / "lon.txt").write_bytes(b"x" * 5000)
    (tmp_path / ".an.txt").write_text("hidden")
    stories, failures = read_inbox(tmp_path, SOURCE, max_bytes=4000)
    assert [s.title for s in stories] == ["Tin tốt"]
    reasons = {f.item: f.reason for f in failures}
    assert set(reasons) == {"rong.txt", "lon.txt"}
    assert "quá lớn" in reasons["lon.txt"] and "rỗng" in reasons["rong.txt"]


def test_legacy_encoded_text_file_is_decoded(encode_cp1258) -> None:  # type: ignore[no-untyped-def]
    # Windows-1258 is what Vietnamese Word saves as "ANSI"; it must not become mojibake.
    text = "Xã Thần Sa\n\nNgười dân đóng góp ngày công làm đường."
    story = parse_submission("d.txt", encode_cp1258(text), SOURCE)
    assert story.title == "Xã Thần Sa"
    assert "Người dân đóng góp" in story.body
