"""RSS (0.9x, 1.0, 2.0) and Atom feeds, parsed by feedparser from bytes (never from a URL: see fetch.py).

Three things feedparser leaves to us:
- a story's id: the guid, else the link, else a hash of the content; long ids are hashed rather than cut (cutting
  made two items sharing a 500-character prefix one story), and items that share one guid in a document are kept
  apart by what differs between them;
- which body to keep: content:encoded / Atom content (the full text) before the summary;
- the link: only http, https and mailto survive (see flows/editing/links.py), resolved against the feed's address.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import feedparser

from flows.editing.links import absolute_link
from flows.editing.paragraphs import paragraphs_html
from flows.ingest.errors import failed_item
from flows.models import DISTRICT, Priority, Source, SourceFailure, SubmittedStory
from flows.text import decode_vietnamese

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# Contributors mark an item's audience, movement and priority with categories in these schemes
# (RSS <category domain="audience">, Atom <category scheme="audience" term="...">).
AUDIENCE_SCHEMES = {"audience", "bantin:audience"}
MOVEMENT_SCHEMES = {"movement", "bantin:movement"}
PRIORITY_SCHEMES = {"priority", "bantin:priority"}
KIND_SCHEMES = {"kind", "bantin:kind"}  # news, model, practice, example (the year-end report's kinds)
UNIT_SCHEMES = {"unit", "bantin:unit"}  # the contributing unit's id in units.toml
_PRIORITIES = {p.name.lower(): p for p in Priority} | {"khẩn": Priority.EMERGENCY, "khẩn cấp": Priority.EMERGENCY,
                                                       "ưu tiên": Priority.PRIORITY, "thường": Priority.NORMAL}
# Problems feedparser reports that do not lose any content (a wrong declared charset it corrected).
BENIGN = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
# Ids longer than this are replaced by a readable head and a hash of the whole id (the store keeps 500).
MAX_ID = 300
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*\?>", re.S)
_DECL_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._\-]+)["']""", re.S)


@dataclass
class FeedRead:
    """A feed document's stories, its items that failed, and notes for the editors (not failures)."""

    stories: list[SubmittedStory] = field(default_factory=list)
    failures: list[SourceFailure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def parse_feed(data: bytes, source: Source, headers: dict[str, str] | None = None,
               url: str = "") -> tuple[list[SubmittedStory], list[SourceFailure]]:
    """Stories from a feed document; a broken document gives one failure with the reason."""
    got = read_feed(data, source, headers, url)
    return got.stories, got.failures


def read_feed(data: bytes, source: Source, headers: dict[str, str] | None = None, url: str = "") -> FeedRead:
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    out = FeedRead()
    data, note = undeclared_legacy(data, headers)
    if note:
        out.warnings.append(note)
    # No content-location: feedparser would resolve a bare guid ("lm-1") against it, and a story's id must not
    # change with the address the feed was fetched from. Links are resolved by _entry_story instead.
    headers.pop("content-location", None)
    parsed = feedparser.parse(data, response_headers=headers)
    entries = parsed.entries
    broken = bool(parsed.bozo) and not isinstance(parsed.bozo_exception, BENIGN)
    if not broken and not entries and not parsed.feed.get("title"):
        out.failures.append(SourceFailure(source.id, "Nội dung tải về không phải là tin RSS/Atom (có thể là trang lỗi)."))
        return out
    # Relative item links resolve against the feed's web address, or the site's own link for a local file.
    base = url if url.startswith(("http://", "https://")) else str(parsed.feed.get("link", ""))
    ids = [_raw_id(e) for e in entries]
    shared = {i for i, n in Counter(ids).items() if i and n > 1}
    seen: set[str] = set()
    for entry, raw_id in zip(entries, ids):
        story = _entry_story(entry, source, raw_id, raw_id in shared, base)
        if isinstance(story, SubmittedStory):
            if story.external_id in seen:  # the very same item twice in one document: one story
                continue
            seen.add(story.external_id)
            out.stories.append(story)
        elif not broken:  # in a cut-off document the last item is a fragment, part of the feed's failure
            out.failures.append(story)
    if broken:
        out.failures.insert(0, SourceFailure(source.id, _bozo_reason(parsed.bozo_exception, len(out.stories))))
    return out


def undeclared_legacy(data: bytes, headers: dict[str, str]) -> tuple[bytes, str | None]:
    """An XML document that declares no encoding is UTF-8 by the rules; one that is not valid UTF-8 came from an
    old system that wrote windows-1258 (or TCVN3, VNI) without saying so. Decode it as the text reads best,
    re-declare it as UTF-8 and say so, rather than let the XML parser turn every accented letter into garbage."""
    declared = _DECL_ENCODING.match(data[:200])
    charset = re.search(r"charset\s*=\s*['\"]?([\w.\-]+)", headers.get("content-type", ""), re.I)
    if declared or charset or data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return data, None
    try:
        data.decode("utf-8")
        return data, None
    except UnicodeDecodeError:
        pass
    text, encoding = decode_vietnamese(data)
    body = _XML_DECL.sub(b"", text.encode("utf-8"), count=1)
    note = (f"Tệp tin không khai báo bảng mã và không phải UTF-8; đã đọc theo bảng mã {encoding.upper()}. "
            "Hãy kiểm tra dấu tiếng Việt và đề nghị đơn vị gửi tin khai báo encoding=\"utf-8\".")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body.lstrip(), note


def _bozo_reason(exc: Exception | None, complete: int) -> str:
    detail = getattr(exc, "getMessage", lambda: str(exc))()
    line = getattr(exc, "getLineNumber", lambda: None)()
    where = f" ở dòng {line}" if line else ""
    got = "không đọc được bài nào" if complete == 0 else f"chỉ đọc được {complete} bài trọn vẹn"
    return f"Tệp tin RSS/Atom bị hỏng{where} ({detail}), {got}. Hãy báo đơn vị gửi tin kiểm tra lại."


def _raw_id(entry: feedparser.FeedParserDict) -> str:
    return str(entry.get("id") or entry.get("link") or "").strip()


def stable_id(ident: str) -> str:
    """An id that fits the store without losing what tells two ids apart."""
    if len(ident) <= MAX_ID:
        return ident
    return f"{ident[:120]}#sha256:{hashlib.sha256(ident.encode('utf-8', 'surrogatepass')).hexdigest()}"


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _body(entry: feedparser.FeedParserDict) -> str:
    """The fullest body: content:encoded or Atom content (HTML first), else the summary. Plain text is escaped,
    so a "<" in a text summary is a character, not markup."""
    contents = list(entry.get("content") or [])
    contents.sort(key=lambda c: ("html" not in (c.get("type") or ""), -len(c.get("value") or "")))
    for detail in [*contents, entry.get("summary_detail") or {}]:
        value = (detail.get("value") or "").strip()
        if not value:
            continue
        if (detail.get("type") or "text/html") == "text/plain":
            return paragraphs_html(value)
        return value
    return str(entry.get("summary") or entry.get("description") or "")


def _title(entry: feedparser.FeedParserDict) -> str:
    detail = entry.get("title_detail") or {}
    value = str(entry.get("title") or "")
    if "html" in (detail.get("type") or ""):
        # Markup in a title is never kept: its text is (the desk cleans it again at normalise).
        from bs4 import BeautifulSoup

        value = BeautifulSoup(value, "html.parser").get_text(" ")
    return " ".join(value.split())


def _entry_story(entry: feedparser.FeedParserDict, source: Source, raw_id: str, shared: bool,
                 base: str) -> SubmittedStory | SourceFailure:
    title = _title(entry)
    body = _body(entry)
    link = absolute_link(str(entry.get("link") or ""), base)
    if not raw_id:
        ident = "sha256:" + _digest(title, body)[:32]
    elif shared:
        # Several items carry one guid (a CMS that gives every item the same one): tell them apart by what
        # differs, so none is lost as "already known".
        ident = f"{raw_id[:200]}#{_digest(str(entry.get('link') or ''), title, body)[:16]}"
    else:
        ident = stable_id(raw_id)
    if not title and not body.strip():
        return SourceFailure(source.id, "Bài không có tiêu đề và không có nội dung.", item=failed_item(ident))
    if not body.strip():
        return SourceFailure(source.id, f"Bài \u201c{title[:200]}\u201d không có nội dung.", item=failed_item(ident))
    audience, movements, priority = _categories(entry)
    kind, unit = _marked(entry, KIND_SCHEMES), _marked(entry, UNIT_SCHEMES)
    return SubmittedStory(
        source_id=source.id,
        external_id=ident,
        title=title or "(không có tiêu đề)",
        body=body,
        link=link,
        published_at=_when(entry),
        author=" ".join(str(entry.get("author", "")).split())[:200],
        audience=audience,
        priority=priority,
        movements=movements,
        content_type="text/html",
        kind=kind,
        unit=unit,
    )


def _marked(entry: feedparser.FeedParserDict, schemes: set[str]) -> str:
    """The first category term in one of these schemes ("" when there is none)."""
    for tag in entry.get("tags", []):
        if (tag.get("scheme") or "").strip().lower() in schemes and (tag.get("term") or "").strip():
            return str(tag.get("term")).strip()
    return ""


def _categories(entry: feedparser.FeedParserDict) -> tuple[tuple[str, ...], tuple[str, ...], Priority]:
    audience: list[str] = []
    movements: list[str] = []
    priority = Priority.NORMAL
    for tag in entry.get("tags", []):
        scheme = (tag.get("scheme") or "").strip().lower()
        term = (tag.get("term") or "").strip()
        if scheme in AUDIENCE_SCHEMES:
            audience.append(DISTRICT if term.lower() in {"district", "huyen", "toàn huyện"} else term)
        elif scheme in MOVEMENT_SCHEMES:
            movements.append(term)
        elif scheme in PRIORITY_SCHEMES:
            priority = _PRIORITIES.get(term.lower(), Priority.NORMAL)
    return tuple(dict.fromkeys(audience)), tuple(dict.fromkeys(movements)), priority


def _when(entry: feedparser.FeedParserDict) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    try:
        # feedparser gives UTC struct_time; the newsroom works in Vietnam time.
        utc = datetime.fromtimestamp(calendar.timegm(parsed), ZoneInfo("UTC"))
    except (OverflowError, ValueError, OSError):  # a year 99999 in a hand-written feed
        return None
    return utc.astimezone(LOCAL_TZ).replace(tzinfo=None)
