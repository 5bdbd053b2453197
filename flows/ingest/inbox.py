"""The inbox folder: Markdown (with front matter) and plain-text submissions from units.

A Markdown file starts with a front matter block of `key: value` lines between `---` lines
(title, author, date, audience, movement, priority, kind, unit). A .txt file is its title on the first line,
a blank line, then the body. Anything else is kept as a failed item with a message, never dropped.
"""

from __future__ import annotations

import hashlib
import html
from datetime import datetime
from pathlib import Path

from markdown_it import MarkdownIt

from flows.ingest.errors import GatherError
from flows.ingest.fetch import read_capped
from flows.models import DISTRICT, Priority, Source, SourceFailure, SubmittedStory
from flows.errors import UserError
from flows.text import decode_vietnamese

SUPPORTED = {".md", ".markdown", ".txt"}
_markdown = MarkdownIt("commonmark", {"html": False})
_PRIORITIES = {p.name.lower(): p for p in Priority}


class SubmissionError(UserError, ValueError):
    """A submission file that cannot become a story; the message is for the editor."""


def list_submissions(folder: Path) -> list[Path]:
    """Files in the inbox, in a stable order; hidden and temporary files are skipped."""
    if not folder.is_dir():
        raise GatherError(f"Không tìm thấy thư mục hộp thư {folder}.")
    return sorted(
        p for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith((".", "~")) for part in p.relative_to(folder).parts)
    )


def read_inbox(folder: Path, source: Source, max_bytes: int) -> tuple[list[SubmittedStory], list[SourceFailure]]:
    stories, failures = [], []
    for path in list_submissions(folder):
        name = path.relative_to(folder).as_posix()
        try:
            data = read_capped(path, max_bytes)
            stories.append(parse_submission(name, data, source))
        except (GatherError, SubmissionError) as exc:
            failures.append(SourceFailure(source.id, f"Tệp {name}: {exc}", item=name))
    return stories, failures


def parse_submission(name: str, data: bytes, source: Source) -> SubmittedStory:
    """One inbox file as a story (pure). The id pairs the file name with its content hash, so an
    edited file arrives as a new submission and the same file read twice is one story."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED:
        raise SubmissionError(f"định dạng {suffix or '(không có đuôi)'} chưa hỗ trợ; hãy gửi tệp .md hoặc .txt.")
    if not data.strip():
        raise SubmissionError("tệp rỗng.")
    if b"\x00" in data[:4096]:
        raise SubmissionError("tệp nhị phân (có thể là Word/PDF đổi đuôi), không phải văn bản.")
    text, _encoding = decode_vietnamese(data)
    external_id = f"{name}#{hashlib.sha256(data).hexdigest()[:16]}"
    if suffix == ".txt":
        return _plain(text, external_id, source)
    return _markdown_story(text, external_id, source)


def _plain(text: str, external_id: str, source: Source) -> SubmittedStory:
    title, _, body = text.strip().partition("\n")
    paragraphs = [p.strip() for p in body.strip().split("\n\n") if p.strip()]
    if not paragraphs:
        raise SubmissionError("chỉ có tiêu đề, không có nội dung bài.")
    body_html = "".join(f"<p>{html.escape(' '.join(p.split()))}</p>" for p in paragraphs)
    return SubmittedStory(source_id=source.id, external_id=external_id, title=title.strip(), body=body_html)


def _markdown_story(text: str, external_id: str, source: Source) -> SubmittedStory:
    meta, body = split_front_matter(text)
    title = meta.get("title", "").strip()
    if not title:
        first, _, rest = body.strip().partition("\n")
        title, body = first.lstrip("# ").strip(), rest
    if not body.strip():
        raise SubmissionError("không có nội dung bài.")
    priority_name = meta.get("priority", "normal").strip().lower()
    if priority_name not in _PRIORITIES:
        raise SubmissionError(f"mức ưu tiên '{priority_name}' không hợp lệ (normal, priority, emergency).")
    return SubmittedStory(
        source_id=source.id,
        external_id=external_id,
        title=title,
        body=_markdown.render(body),
        published_at=_date(meta.get("date", "")),
        author=meta.get("author", "").strip(),
        audience=_list(meta.get("audience", ""), district_word=True),
        movements=_list(meta.get("movement", "") or meta.get("movements", "")),
        priority=_PRIORITIES[priority_name],
        kind=meta.get("kind", "").strip(),
        unit=meta.get("unit", "").strip(),
    )


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """`---` fenced `key: value` lines at the top of a Markdown file, and the rest."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        return {}, text
    meta: dict[str, str] = {}
    for i, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return meta, "\n".join(lines[i + 1:])
        key, sep, value = line.partition(":")
        if sep:
            meta[key.strip().lower()] = value.strip()
    raise SubmissionError("phần thông tin đầu tệp (giữa hai dòng ---) không được đóng.")


def _list(value: str, district_word: bool = False) -> tuple[str, ...]:
    items = [v.strip() for v in value.split(",") if v.strip()]
    if district_word:
        items = [DISTRICT if v.lower() in {"district", "toàn huyện", "huyen"} else v for v in items]
    return tuple(dict.fromkeys(items))


def _date(value: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    raise SubmissionError(f"ngày '{value}' không đúng dạng (ví dụ 2023-06-08 hoặc 08/06/2023).")
