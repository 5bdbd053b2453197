"""RSS and Atom feeds, parsed by feedparser from bytes (never from a URL: see fetch.py)."""

from __future__ import annotations

import calendar
import hashlib
from datetime import datetime
from zoneinfo import ZoneInfo

import feedparser

from flows.models import DISTRICT, Priority, Source, SourceFailure, SubmittedStory

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# Contributors mark an item's audience, movement and priority with categories in these schemes
# (RSS <category domain="audience">, Atom <category scheme="audience" term="...">).
AUDIENCE_SCHEMES = {"audience", "bantin:audience"}
MOVEMENT_SCHEMES = {"movement", "bantin:movement"}
PRIORITY_SCHEMES = {"priority", "bantin:priority"}
KIND_SCHEMES = {"kind", "bantin:kind"}  # news, model, practice, example (the year-end report's kinds)
UNIT_SCHEMES = {"unit", "bantin:unit"}  # the contributing unit's id in units.toml
_PRIORITIES = {p.name.lower(): p for p in Priority}
# Problems feedparser reports that do not lose any content (a wrong declared charset it corrected).
BENIGN = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


def parse_feed(data: bytes, source: Source, headers: dict[str, str] | None = None) -> tuple[list[SubmittedStory], list[SourceFailure]]:
    """Stories from a feed document; a broken document gives one failure with the reason."""
    parsed = feedparser.parse(data, response_headers=headers or {})
    entries = parsed.entries
    broken = bool(parsed.bozo) and not isinstance(parsed.bozo_exception, BENIGN)
    if not broken and not entries and not parsed.feed.get("title"):
        return [], [SourceFailure(source.id, "Nội dung tải về không phải là tin RSS/Atom (có thể là trang lỗi).")]
    stories, failures = [], []
    for entry in entries:
        story = _entry_story(entry, source)
        if isinstance(story, SubmittedStory):
            stories.append(story)
        elif not broken:  # in a cut-off document the last item is a fragment, part of the feed's failure
            failures.append(story)
    if broken:
        failures.insert(0, SourceFailure(source.id, _bozo_reason(parsed.bozo_exception, len(stories))))
    return stories, failures


def _bozo_reason(exc: Exception | None, complete: int) -> str:
    detail = getattr(exc, "getMessage", lambda: str(exc))()
    line = getattr(exc, "getLineNumber", lambda: None)()
    where = f" ở dòng {line}" if line else ""
    got = "không đọc được bài nào" if complete == 0 else f"chỉ đọc được {complete} bài trọn vẹn"
    return f"Tệp tin RSS/Atom bị hỏng{where} ({detail}), {got}. Hãy báo đơn vị gửi tin kiểm tra lại."


def _entry_story(entry: feedparser.FeedParserDict, source: Source) -> SubmittedStory | SourceFailure:
    title = (entry.get("title") or "").strip()
    body = ""
    if entry.get("content"):
        body = entry.content[0].get("value", "")
    body = body or entry.get("summary", "") or entry.get("description", "")
    ident = entry.get("id") or entry.get("link") or ""
    if not ident:
        ident = "sha256:" + hashlib.sha256((title + body).encode()).hexdigest()[:32]
    if not title and not body.strip():
        return SourceFailure(source.id, "Bài không có tiêu đề và không có nội dung.", item=ident)
    if not body.strip():
        return SourceFailure(source.id, f"Bài \u201c{title}\u201d không có nội dung.", item=ident)
    audience, movements, priority = _categories(entry)
    kind, unit = _marked(entry, KIND_SCHEMES), _marked(entry, UNIT_SCHEMES)
    return SubmittedStory(
        source_id=source.id,
        external_id=ident,
        title=title or "(không có tiêu đề)",
        body=body,
        link=entry.get("link", ""),
        published_at=_when(entry),
        author=entry.get("author", ""),
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
    # feedparser gives UTC struct_time; the newsroom works in Vietnam time.
    utc = datetime.fromtimestamp(calendar.timegm(parsed), ZoneInfo("UTC"))
    return utc.astimezone(LOCAL_TZ).replace(tzinfo=None)
