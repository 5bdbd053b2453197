"""The inbox folder: Markdown, plain text, HTML and Word (.docx) submissions from units.

A Markdown or text file may start with front matter (see frontmatter.py); a .txt file is its title on the first
line, a blank line, then the body. An .html file gives its <title> or <h1> and its body; a .docx file its Title or
first heading and its paragraphs, lists and tables.

Only regular files are read: a symbolic link (which could point at any file on the machine), a device or a FIFO is
refused with a reason. A file name that is not UTF-8 (a legacy name from a USB stick) is read as the legacy
encoding it is in. Once its story is safely in the store, a file moves to `da-xu-ly/<day>/`; a refused file moves
to `bi-tu-choi/<day>/` with a note beside it saying why (see `settle`). Nothing is dropped: a refused file is also
kept in the store as a failed item.
"""

from __future__ import annotations

import hashlib
import html
import io
import os
import re
import stat
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from markdown_it import MarkdownIt

from flows.editing.paragraphs import paragraphs_html
from flows.errors import UserError
from flows.ingest.errors import GatherError
from flows.ingest.fetch import read_capped
from flows.ingest.frontmatter import FrontMatterError, Known, read_front_matter, split_front_matter
from flows.models import Priority, Source, SourceFailure, SubmittedStory
from flows.text import decode_vietnamese, fix_legacy
from flows.text.legacy import vietnamese_score

SUPPORTED = {".md", ".markdown", ".txt", ".html", ".htm", ".docx"}
PROCESSED_DIR = "da-xu-ly"
REFUSED_DIR = "bi-tu-choi"
NOTE_SUFFIX = ".ly-do.txt"
# A .docx is a zip: refuse one that would unpack to more than this many times its cap (a zip bomb).
DOCX_EXPANSION = 20
_markdown = MarkdownIt("commonmark", {"html": False})


class SubmissionError(UserError, ValueError):
    """A submission file that cannot become a story; the message is for the editor."""


@dataclass(frozen=True)
class InboxFile:
    """A file found in the inbox: where it is, the name an editor reads, and why it is refused before reading."""

    path: Path
    name: str  # relative to the inbox, always valid text (a legacy file name is decoded)
    refused: str = ""


@dataclass
class Disposition:
    """What to do with a file once the gathering is stored."""

    file: InboxFile
    refused: str = ""  # empty: processed


@dataclass
class InboxRead:
    stories: list[SubmittedStory] = field(default_factory=list)
    failures: list[SourceFailure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dispositions: list[Disposition] = field(default_factory=list)


# -- finding files ----------------------------------------------------------------------------------------

def display_name(raw: str) -> tuple[str, str | None]:
    """A file name as text an editor can read and the store can keep, with the legacy encoding it was in."""
    data = os.fsencode(raw)
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        text, encoding = decode_vietnamese(data)
        return text.replace("\ufffd", "?"), encoding


def list_submissions(folder: Path) -> list[InboxFile]:
    """Files in the inbox, in a stable order, without following links. Hidden and temporary files (.x, ~$x.docx)
    and the processed and refused folders are skipped; links, devices and FIFOs are listed as refused."""
    try:
        top = os.lstat(folder)
    except FileNotFoundError:
        raise GatherError(f"Không tìm thấy thư mục hộp thư {display_name(str(folder))[0]}.") from None
    if not stat.S_ISDIR(top.st_mode):
        raise GatherError(f"Hộp thư {display_name(str(folder))[0]} không phải là thư mục (hoặc là liên kết "
                          "tượng trưng); hãy trỏ tới thư mục thật.")
    found: list[InboxFile] = []
    _walk(folder, "", found)
    return sorted(found, key=lambda f: f.name)


def _walk(folder: Path, prefix: str, found: list[InboxFile]) -> None:
    with os.scandir(folder) as entries:
        for entry in entries:
            raw = entry.name
            if raw.startswith((".", "~")) or (not prefix and raw in {PROCESSED_DIR, REFUSED_DIR}):
                continue
            shown, _legacy = display_name(raw)
            name = f"{prefix}{shown}"
            path = Path(entry.path)
            mode = entry.stat(follow_symlinks=False).st_mode
            if stat.S_ISDIR(mode):
                _walk(path, f"{name}/", found)
            elif stat.S_ISREG(mode):
                found.append(InboxFile(path, name))
            elif stat.S_ISLNK(mode):
                found.append(InboxFile(path, name, "là liên kết tượng trưng (symlink), không phải tệp thật; bantin "
                                                   "không đọc liên kết để tránh lấy nhầm tệp khác trên máy. Hãy chép "
                                                   "chính tệp bài vào hộp thư."))
            elif stat.S_ISFIFO(mode):
                found.append(InboxFile(path, name, "là đường ống (FIFO), không phải tệp tin."))
            elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
                found.append(InboxFile(path, name, "là thiết bị, không phải tệp tin."))
            else:
                found.append(InboxFile(path, name, "không phải tệp tin thường (socket hoặc loại khác)."))


# -- reading -----------------------------------------------------------------------------------------------

def read_inbox(folder: Path, source: Source, max_bytes: int, known: Known | None = None) -> InboxRead:
    """Every file of the inbox as a story or a refusal with its reason."""
    known = known or Known()
    out = InboxRead()
    for item in list_submissions(folder):
        reason = item.refused
        if not reason:
            try:
                data = read_capped(item.path, max_bytes, follow_symlinks=False)
                story, notes = parse_file(item.name, data, source, known)
                out.stories.append(story)
                out.warnings.extend(f"Tệp {item.name}: {n}" for n in notes)
                out.dispositions.append(Disposition(item))
                continue
            except (GatherError, SubmissionError) as exc:
                reason = exc.message if isinstance(exc, GatherError) else str(exc)
        out.failures.append(SourceFailure(source.id, f"Tệp {item.name}: {reason}", item=item.name))
        out.dispositions.append(Disposition(item, refused=reason))
    return out


def parse_submission(name: str, data: bytes, source: Source, known: Known | None = None) -> SubmittedStory:
    """One inbox file as a story (pure)."""
    return parse_file(name, data, source, known or Known())[0]


def parse_file(name: str, data: bytes, source: Source, known: Known) -> tuple[SubmittedStory, list[str]]:
    """One inbox file as a story and notes for the editors (pure). The id pairs the file name with its content
    hash, so an edited file arrives as a new submission and the same file read twice is one story."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED:
        raise SubmissionError(f"định dạng {suffix or '(không có đuôi)'} chưa hỗ trợ; hãy gửi tệp .md, .txt, "
                              ".html hoặc .docx.")
    if not data.strip():
        raise SubmissionError("tệp rỗng.")
    external_id = f"{name[:200]}#{hashlib.sha256(data).hexdigest()[:16]}"
    if suffix == ".docx":
        return _docx_story(name, data, external_id, source), []
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SubmissionError("tệp nhị phân (có thể là Word/PDF đổi đuôi), không phải văn bản.")
    declared = _declared_charset(data) if suffix in {".html", ".htm"} else None
    text, encoding, sure = decode_text(data, declared)
    notes = []
    if not sure:
        raise SubmissionError(f"không chắc tệp viết bằng bảng mã nào (đoán là {encoding.upper()} nhưng chữ đọc ra "
                              "không giống tiếng Việt). Hãy mở tệp và lưu lại dạng UTF-8 (Unicode) rồi gửi lại.")
    if encoding not in {"utf-8", "utf-16"}:
        notes.append(f"viết bằng bảng mã {encoding.upper()}, đã chuyển sang Unicode; hãy đọc lại dấu thanh.")
    if suffix in {".html", ".htm"}:
        return _html_story(name, text, external_id, source), notes
    return _text_story(name, text, external_id, source, known, markdown=suffix != ".txt"), notes


def decode_text(data: bytes, declared: str | None = None) -> tuple[str, str, bool]:
    """(text, encoding, sure). UTF-8 is sure; a legacy encoding is sure when the text reads as Vietnamese clearly
    better than with the other candidates."""
    text, encoding = decode_vietnamese(data, declared)
    if encoding in {"utf-8", "utf-16"}:
        return text, encoding, True
    scores = []
    for other in ("windows-1258", "tcvn3", "vni-windows"):
        try:
            candidate, _ = decode_vietnamese(data, other) if other != encoding else (text, encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        scores.append(vietnamese_score(candidate))
    best = vietnamese_score(text)
    words = max(1, sum(1 for w in text.split() if not w.isascii()))
    runner_up = max((s for s in scores if s != best), default=0)
    sure = best >= 3 and best >= 0.6 * words and best - runner_up >= 2
    return text, encoding, sure


def _declared_charset(data: bytes) -> str | None:
    m = re.search(rb"""<meta[^>]+charset\s*=\s*["']?([\w.\-]+)""", data[:4096], re.I)
    return m.group(1).decode("ascii", "replace") if m else None


def _text_story(name: str, text: str, external_id: str, source: Source, known: Known,
                markdown: bool) -> SubmittedStory:
    try:
        entries, body, had = split_front_matter(text)
        meta = read_front_matter(entries, known) if had else None
    except FrontMatterError as exc:
        raise SubmissionError(f"phần thông tin đầu tệp sai — {exc}. Tệp được để riêng, chưa đăng, chưa phát; "
                              "hãy sửa rồi chép lại vào hộp thư.") from None
    title = meta.title if meta else ""
    if not title:
        first, _, rest = body.strip().partition("\n")
        title, body = first.lstrip("# ").strip(), rest
    if not title:
        raise SubmissionError("không có tiêu đề.")
    if not body.strip():
        raise SubmissionError("chỉ có tiêu đề, không có nội dung bài.")
    if markdown:
        body_html = _markdown.render(body)
    else:
        body_html = paragraphs_html(body)
    when = (meta.date if meta and meta.date else None) or dateline(body) or date_in_name(name)
    return SubmittedStory(
        source_id=source.id,
        external_id=external_id,
        title=title,
        body=body_html,
        published_at=when,
        author=(meta.author or meta.unit) if meta else "",
        audience=meta.audience if meta else (),
        movements=meta.movements if meta else (),
        priority=meta.priority if meta else Priority.NORMAL,
        kind=meta.kind if meta else "",
        unit=meta.unit if meta else "",
    )


def _html_story(name: str, text: str, external_id: str, source: Source) -> SubmittedStory:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    h1 = soup.find("h1")
    title = (h1.get_text(" ", strip=True) if h1 else "") or (soup.title.get_text(" ", strip=True) if soup.title else "")
    if h1:
        h1.decompose()
    body = soup.body or soup
    if soup.title:
        soup.title.decompose()
    if not title:
        raise SubmissionError("trang HTML không có tiêu đề (<title> hoặc <h1>).")
    if not body.get_text(strip=True):
        raise SubmissionError("trang HTML không có nội dung bài.")
    plain = body.get_text("\n")
    return SubmittedStory(source_id=source.id, external_id=external_id, title=title,
                          body=body.decode_contents() if hasattr(body, "decode_contents") else str(body),
                          published_at=dateline(plain) or date_in_name(name))


def docx_story(name: str, data: bytes, external_id: str, source: Source) -> SubmittedStory:
    """A Word file's story (also used for a .docx sent with a submission through bantin serve)."""
    return _docx_story(name, data, external_id, source)


def _docx_story(name: str, data: bytes, external_id: str, source: Source) -> SubmittedStory:
    from docx import Document  # python-docx

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            unpacked = sum(i.file_size for i in z.infolist())
            if unpacked > DOCX_EXPANSION * max(len(data), 1_000_000):
                raise SubmissionError(f"tệp Word giải nén ra quá lớn ({unpacked / 1e6:.0f} MB); không đọc.")
            if "word/document.xml" not in z.namelist():
                raise SubmissionError("không phải tệp Word .docx (thiếu word/document.xml).")
        doc = Document(io.BytesIO(data))
    except SubmissionError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise SubmissionError(f"tệp Word .docx hỏng hoặc là định dạng khác đổi đuôi ({exc.__class__.__name__}). "
                              "Hãy mở bằng Word và lưu lại dạng .docx.") from None
    except Exception as exc:  # noqa: BLE001 - lxml and python-docx raise many kinds on a broken document
        raise SubmissionError(f"không đọc được tệp Word .docx ({exc.__class__.__name__}).") from None
    title = ""
    parts: list[str] = []
    in_list = False
    for block in _docx_blocks(doc):
        if isinstance(block, str):  # a table, already HTML
            if in_list:
                parts.append("</ul>")
                in_list = False
            parts.append(block)
            continue
        text = " ".join(block.text.split())
        if not text:
            continue
        style = (block.style.name if block.style is not None else "").lower()
        if not title and (style in {"title", "heading 1", "tiêu đề"} or style.startswith("heading")):
            title = text
            continue
        is_item = "list" in style
        if is_item and not in_list:
            parts.append("<ul>")
            in_list = True
        elif not is_item and in_list:
            parts.append("</ul>")
            in_list = False
        inner = _runs_html(block)
        if is_item:
            parts.append(f"<li>{inner}</li>")
        elif style.startswith("heading"):
            parts.append(f"<h3>{inner}</h3>")
        else:
            parts.append(f"<p>{inner}</p>")
    if in_list:
        parts.append("</ul>")
    title = title or (doc.core_properties.title or "").strip()
    if not title and parts:  # the first paragraph is the title, as in a .txt submission
        first = parts.pop(0)
        title = re.sub(r"<[^>]+>", "", first)
        title = html.unescape(title)
    if not title:
        raise SubmissionError("tệp Word không có tiêu đề và không có nội dung.")
    if not parts:
        raise SubmissionError("tệp Word chỉ có tiêu đề, không có nội dung bài.")
    body = "".join(parts)
    plain = html.unescape(re.sub(r"<[^>]+>", "\n", body))
    return SubmittedStory(source_id=source.id, external_id=external_id, title=title, body=body,
                          author=(doc.core_properties.author or "").strip()[:200],
                          published_at=dateline(fix_legacy(plain)[0]) or date_in_name(name))


def _docx_blocks(doc):  # type: ignore[no-untyped-def]
    """Paragraphs and tables in document order (tables as HTML strings)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            yield Paragraph(child, doc)
        elif tag == "tbl":
            table = Table(child, doc)
            rows = []
            for row in table.rows:
                cells = "".join(f"<td>{html.escape(' '.join(c.text.split()))}</td>" for c in row.cells)
                rows.append(f"<tr>{cells}</tr>")
            yield f"<table><tbody>{''.join(rows)}</tbody></table>"


def _runs_html(paragraph) -> str:  # type: ignore[no-untyped-def]
    out = []
    for run in paragraph.runs:
        text = html.escape(run.text)
        if not text:
            continue
        if run.bold:
            text = f"<strong>{text}</strong>"
        if run.italic:
            text = f"<em>{text}</em>"
        out.append(text)
    return " ".join("".join(out).split()) or html.escape(" ".join(paragraph.text.split()))


# -- dates -------------------------------------------------------------------------------------------------

_DATE_WORDS = r"(\d{1,2})\s*(?:tháng|/|-|\.)\s*(\d{1,2})\s*(?:năm|/|-|\.)\s*(\d{4})"
# "Võ Nhai, ngày 8 tháng 6 năm 2023" on a line of its own (the dateline of an official text), or the lead of a
# news story: "Sáng 14/11/2023, ...", "Ngày 12/6/2023, ...", "Sáng Chủ nhật ngày 26 tháng 3 năm 2023, ...".
_DATELINE = re.compile(r"^\s*(?:[^\d,\n]{1,40},\s*)?ngày\s+" + _DATE_WORDS + r"\s*$", re.I | re.M)
_LEAD = re.compile(r"^\s*(?:(?:sáng|trưa|chiều|tối|đêm)\s+)?(?:(?:thứ\s+\w+|chủ\s+nhật)\s*,?\s+)?(?:ngày\s+)?"
                   + _DATE_WORDS + r"\s*,", re.I)
_NAME_DATE = re.compile(r"(?:^|/)(\d{4})-(\d{2})-(\d{2})")


def dateline(text: str) -> datetime | None:
    """The story's own date from its text: a dateline line near the top or the bottom, or the date that opens
    its first paragraph. None when the text gives none (never the day it was gathered)."""
    lines = [ln for ln in (ln.strip() for ln in text.split("\n")) if ln]
    ends = "\n".join(lines[:3] + lines[-3:])
    for pattern, where in ((_DATELINE, ends), (_LEAD, "\n".join(lines[:3]))):
        for line in where.split("\n"):
            m = pattern.search(line)
            if m:
                found = _date(m.group(1), m.group(2), m.group(3))
                if found:
                    return found
    return None


def date_in_name(name: str) -> datetime | None:
    """A date that opens the file name (2023-06-08-tin.txt), as the newsroom names its files."""
    m = _NAME_DATE.search(name)
    return _date(m.group(3), m.group(2), m.group(1)) if m else None


def _date(day: str, month: str, year: str) -> datetime | None:
    try:
        found = datetime(int(year), int(month), int(day))
    except ValueError:
        return None
    return found if 1990 <= found.year <= 2100 else None


# -- settling files after the store has them ---------------------------------------------------------------

def settle(folder: Path, dispositions: list[Disposition], day: date | None = None) -> list[str]:
    """Move processed files to da-xu-ly/<day>/ and refused ones to bi-tu-choi/<day>/ with a note beside each
    refused file. Called only after the stories are stored, so a crash before this leaves the files in place to
    be read again (the store knows them already). Returns problems (a file that could not be moved)."""
    day = day or date.today()
    problems = []
    for d in dispositions:
        target_dir = folder / (REFUSED_DIR if d.refused else PROCESSED_DIR) / day.isoformat()
        try:
            target_dir.mkdir(parents=True, exist_ok=True)
            target = _free_name(target_dir, d.file.path.name)
            os.rename(d.file.path, target)  # the link itself, never what it points to
            if d.refused:
                note = target.with_name(_note_name(target.name))
                note.write_text(f"Tệp: {d.file.name}\nNgày xử lý: {day:%d/%m/%Y}\nLý do không nhận: {d.refused}\n"
                                "Cách làm: sửa tệp theo lý do trên rồi chép lại vào hộp thư.\n", encoding="utf-8")
        except OSError as exc:
            problems.append(f"Không chuyển được tệp {d.file.name}: {exc.strerror or exc}.")
    return problems


def _note_name(name: str) -> str:
    text, _ = display_name(name)
    return f"{text}{NOTE_SUFFIX}"


def _free_name(folder: Path, name: str) -> Path:
    target = folder / name
    stem, suffix = os.path.splitext(name)
    n = 1
    while os.path.lexists(target):
        n += 1
        target = folder / f"{stem}-{n}{suffix}"
    return target
