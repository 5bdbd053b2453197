"""A story a contributing unit sends to `bantin serve` (a form from a phone, or JSON from the unit's own software).

The fields are the inbox front matter's (title, author, date, audience, movement, priority), read through the same
declared schema, plus the text and the files: photos, a video clip, an audio recording and a .docx whose text
becomes the story when the text box is empty. Every problem is collected and answered at once, per field, in
Vietnamese; nothing is kept from a refused submission.

Files are judged by their bytes, never by the name or type the client claims: a program renamed .jpg is refused.
Photos are decoded and saved again (which drops EXIF, including a phone's GPS position of the reporter) and
scaled down for the web; clips and recordings must decode with ffmpeg. Kept files are named by their SHA-256, so a
client's file name never reaches a path.
"""

from __future__ import annotations

import hashlib
import io
import subprocess
import tempfile
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from flows.editing.paragraphs import paragraphs_html
from flows.errors import UserError
from flows.ingest.frontmatter import FIELD_LABELS, FrontMatter, Known, _explain, resolve_audience, resolve_movements
from flows.models import Attachment, Source, SubmittedStory

MB = 1024 * 1024
# What a commune's staff may send, judged by content; the limits fit a phone's photo, a short clip, a recording.
MEDIA = {
    "image/jpeg": ("photo", "jpg"), "image/png": ("photo", "png"), "image/webp": ("photo", "webp"),
    "video/mp4": ("video", "mp4"), "video/webm": ("video", "webm"), "video/quicktime": ("video", "mov"),
    "audio/mpeg": ("audio", "mp3"), "audio/ogg": ("audio", "ogg"), "audio/x-wav": ("audio", "wav"),
    "audio/mp4": ("audio", "m4a"), "audio/m4a": ("audio", "m4a"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("document", "docx"),
}
LIMITS = {"photo": 15 * MB, "video": 200 * MB, "audio": 50 * MB, "document": 20 * MB}
KIND_VI = {"photo": "ảnh", "video": "video", "audio": "bản ghi âm", "document": "tệp Word"}
MAX_FILES = 12
MAX_TITLE = 300
MAX_TEXT = 100_000
PHOTO_EDGE = 2000  # pixels on the long side: plenty for a portal, a tenth of a phone's file
FIELDS = ("title", "text", "author", "date", "audience", "movements", "priority")


@dataclass(frozen=True)
class Upload:
    """A file as the client sent it."""

    name: str
    data: bytes
    caption: str = ""


@dataclass(frozen=True)
class Problem:
    field: str  # "title", "text", "file 2"...
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"where": self.field, "message": self.message}


class SubmissionRefused(UserError):
    """The submission cannot be taken as sent; `problems` says what to fix, field by field."""

    http_status = 422

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("Bài gửi chưa nhận được: " + "; ".join(f"{p.field}: {p.message}" for p in self.problems),
                         hint="Sửa các mục được nêu rồi gửi lại.")


@dataclass(frozen=True)
class CheckedFile:
    kind: str
    media_type: str
    extension: str
    data: bytes  # what will be kept (a photo saved again without its metadata)
    caption: str
    name: str


def _nfc(value: Any) -> Any:
    return unicodedata.normalize("NFC", value).strip() if isinstance(value, str) else value


def read_fields(fields: Mapping[str, Any], known: Known, now: datetime) -> tuple[dict[str, Any], list[Problem]]:
    """The metadata and text, validated (pure). Unknown fields are refused, as in a front matter."""
    problems: list[Problem] = []
    values = {k: _nfc(v) for k, v in fields.items() if v not in (None, "", [], ())}
    for key in sorted(set(values) - set(FIELDS)):
        problems.append(Problem(key, "mục này không có trong mẫu gửi tin; các mục dùng được: " + ", ".join(FIELDS)))
    text = values.pop("text", "")
    meta_values = {k: v for k, v in values.items() if k in FIELDS and k != "text"}
    if not isinstance(text, str):
        problems.append(Problem("text", "nội dung phải là chữ"))
        text = ""
    elif len(text) > MAX_TEXT:
        problems.append(Problem("text", f"nội dung dài quá {MAX_TEXT:,} ký tự; hãy chia thành nhiều bài".replace(",", ".")))
    try:
        meta = FrontMatter.model_validate(meta_values)
    except ValidationError as exc:
        for err in exc.errors():
            field = str(err["loc"][0]) if err["loc"] else ""
            problems.append(Problem(field, _explain(err)))
        title = meta_values.get("title")
        return {"title": title if isinstance(title, str) else "", "text": text}, problems
    if len(meta.title) > MAX_TITLE:
        problems.append(Problem("title", f"tiêu đề dài quá {MAX_TITLE} ký tự"))
    if meta.date is not None and meta.date > now.replace(tzinfo=None) + timedelta(days=1):
        problems.append(Problem("date", f"ngày {meta.date:%d/%m/%Y} chưa tới; hãy ghi ngày của sự việc"))
    audience, bad = resolve_audience(meta.audience, known.communes)
    if bad:
        problems.append(Problem("audience", f"không có xã, thị trấn: {', '.join(bad)}; ghi “toàn huyện” hoặc tên xã"))
    movements, unknown = resolve_movements(meta.movements, known.movements)
    if unknown:
        problems.append(Problem("movements", f"không có phong trào: {', '.join(unknown)}"))
    return {"title": meta.title, "text": text, "author": meta.author, "date": meta.date, "audience": audience,
            "movements": movements, "priority": meta.priority}, problems


def sniff(data: bytes) -> str | None:
    """The media type the bytes really are (the `filetype` library's signatures), or None."""
    import filetype

    kind = filetype.guess(data[:8192] if len(data) > 8192 else data)
    if kind is None:
        return None
    if kind.mime == "application/zip" or kind.extension == "docx":
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return str(kind.mime)


def check_file(index: int, upload: Upload) -> tuple[CheckedFile | None, Problem | None]:
    """One file judged by its bytes: allowed kind, within its size, and really decodable."""
    where = f"tệp {index} ({upload.name[:80]})"
    if not upload.data:
        return None, Problem(where, "tệp rỗng")
    media_type = sniff(upload.data)
    if media_type not in MEDIA:
        return None, Problem(where, "không phải ảnh (JPEG, PNG, WebP), video (MP4, WebM), bản ghi âm (MP3, OGG, "
                                    "WAV, M4A) hay tệp Word .docx; định dạng này không nhận")
    kind, extension = MEDIA[media_type]
    if len(upload.data) > LIMITS[kind]:
        return None, Problem(where, f"{KIND_VI[kind]} nặng {len(upload.data) / MB:.0f} MB, quá giới hạn "
                                    f"{LIMITS[kind] // MB} MB")
    caption = _nfc(upload.caption or "")[:500]
    try:
        if kind == "photo":
            data, media_type, extension = _photo_for_web(upload.data)
        else:
            data = upload.data
            if kind in ("video", "audio"):
                _must_decode(upload.data, extension)
    except ValueError as exc:
        return None, Problem(where, str(exc))
    return CheckedFile(kind, media_type, extension, data, caption, upload.name), None


def _photo_for_web(data: bytes) -> tuple[bytes, str, str]:
    from PIL import Image, ImageOps, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = 60_000_000  # a decompression bomb is refused, not decoded
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            upright = ImageOps.exif_transpose(image)  # a phone's "rotate" flag, applied before the EXIF is dropped
            upright.thumbnail((PHOTO_EDGE, PHOTO_EDGE))
            out = io.BytesIO()
            if upright.mode in ("RGBA", "LA", "P"):
                upright.save(out, "PNG", optimize=True)
                return out.getvalue(), "image/png", "png"
            upright.convert("RGB").save(out, "JPEG", quality=85, optimize=True, progressive=True)
            return out.getvalue(), "image/jpeg", "jpg"
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValueError(f"ảnh hỏng hoặc không đọc được ({exc.__class__.__name__})") from None


def _must_decode(data: bytes, extension: str) -> None:
    """A clip or recording is kept only when ffmpeg decodes it (its first seconds), as a player would."""
    import imageio_ffmpeg

    with tempfile.NamedTemporaryFile(suffix=f".{extension}") as f:
        f.write(data)
        f.flush()
        try:
            run = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-xerror", "-i", f.name, "-t", "3",
                                  "-f", "null", "-"], capture_output=True, timeout=60)
        except subprocess.TimeoutExpired:
            raise ValueError("tệp giải mã quá lâu; hãy gửi tệp ngắn hơn") from None
    if run.returncode != 0:
        raise ValueError("tệp hỏng hoặc mã hóa lạ, máy phát không mở được")


def read_submission(fields: Mapping[str, Any], uploads: Sequence[Upload], source: Source, known: Known,
                    now: datetime) -> tuple[SubmittedStory, list[CheckedFile]]:
    """The story and its checked files, or SubmissionRefused naming every problem. Nothing is written here."""
    meta, problems = read_fields(fields, known, now)
    if len(uploads) > MAX_FILES:
        problems.append(Problem("tệp", f"gửi {len(uploads)} tệp, quá {MAX_FILES} tệp cho một bài"))
        uploads = uploads[:MAX_FILES]
    files: list[CheckedFile] = []
    for index, upload in enumerate(uploads, start=1):
        checked, problem = check_file(index, upload)
        if problem is not None:
            problems.append(problem)
        elif checked is not None:
            files.append(checked)
    documents = [f for f in files if f.kind == "document"]
    title, body = meta.get("title", ""), paragraphs_html(meta.get("text", ""), lines_if_no_blank_line=True)
    author, date = meta.get("author", ""), meta.get("date")
    if len(documents) > 1:
        problems.append(Problem("tệp", "chỉ gửi một tệp Word cho một bài"))
    elif documents and not meta.get("text", "").strip() and not problems:
        try:
            from flows.ingest.inbox import docx_story

            from_doc = docx_story(documents[0].name, documents[0].data, "", source)
        except UserError as exc:
            problems.append(Problem("tệp Word", exc.message))
        else:
            title, body = title or from_doc.title, from_doc.body
            author, date = author or from_doc.author, date or from_doc.published_at
    if not title and not any(p.field == "title" for p in problems):
        problems.append(Problem("title", f"cần có tiêu đề ({FIELD_LABELS['title']})"))
    if not body and not any(p.field in ("text", "tệp Word") for p in problems):
        problems.append(Problem("text", "cần có nội dung bài (gõ vào ô nội dung hoặc gửi kèm tệp Word .docx)"))
    if problems:
        raise SubmissionRefused(problems)
    media = [f for f in files if f.kind != "document"]
    # The same story with the same files sent twice (a double tap, a retry over a bad link) is one story.
    fingerprint = hashlib.sha256("\x1f".join([title, body, *(hashlib.sha256(f.data).hexdigest() for f in media)])
                                 .encode("utf-8")).hexdigest()
    story = SubmittedStory(source_id=source.id, external_id=f"gui-tin-{fingerprint[:32]}", title=title, body=body,
                           published_at=date or now.replace(tzinfo=None), author=author,
                           audience=tuple(meta.get("audience", ())), priority=meta["priority"],
                           movements=tuple(meta.get("movements", ())))
    return story, media


def keep_files(files: Sequence[CheckedFile], folder: Path) -> tuple[Attachment, ...]:
    """Write the checked files under their SHA-256 (atomic, idempotent) and describe them for the store."""
    kept = []
    for f in files:
        digest = hashlib.sha256(f.data).hexdigest()
        target = folder / digest[:2] / f"{digest}.{f.extension}"
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            part = target.with_name(target.name + ".part")
            part.write_bytes(f.data)
            part.replace(target)
        kept.append(Attachment(f.kind, str(target), f.media_type, f.caption, len(f.data), digest))
    return tuple(kept)
