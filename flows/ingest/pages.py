"""A unit's news site without a feed: its listing page, then each article page, read with CSS selectors set per
source in sources.toml (`[source.page]`: links, title, body, date, drop).

The article keeps its text, its own date and its images with their captions; menus, share buttons, scripts,
comments and related-links boxes are dropped. robots.txt is honoured, and each host gets one request at a time
with a polite pause between them (fetch.HOSTS). Parsing is pure (`parse_listing`, `parse_article`); `read_pages`
does the fetching.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import requests
from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString

from flows.editing.links import WEB_SCHEMES, absolute_link, safe_url
from flows.ingest.errors import GatherError, TransientGatherError, failed_item
from flows.ingest.fetch import HOSTS, Fetched, Limits, Validators, fetch, new_session
from flows.ingest.inbox import dateline
from flows.models import PageRules, Source, SourceFailure, SubmittedStory
from flows.text import decode_vietnamese

# Where CMSs used by Vietnamese state portals put the article body, most specific first.
BODY_SELECTORS = ["[itemprop=articleBody]", "article .content", ".news-content", ".detail-content",
                  ".article-content", ".entry-content", ".noidung", "article", "main", "#content", "body"]
# Page furniture that is never part of a story, whatever the site.
FURNITURE = ["script", "style", "noscript", "template", "iframe", "object", "embed", "form", "button", "nav",
             "aside", "header", "footer", "svg", "link", "meta",
             "[class*=share]", "[class*=social]", "[class*=related]", "[class*=comment]", "[class*=breadcrumb]",
             "[class*=menu]", "[class*=banner]", "[class*=advert]", "[class*=tin-lien-quan]", "[class*=tinlienquan]",
             "[class*=print]", "[id*=share]", "[id*=related]", "[id*=comment]", "[id*=menu]", "[role=navigation]"]
CAPTION_CLASSES = re.compile(r"caption|desc|chu-?thich|chuthich|image-note|img-note", re.I)
DEFAULT_RULES = PageRules()
ROBOTS_MAX_BYTES = 500_000


@dataclass
class PagesRead:
    stories: list[SubmittedStory] = field(default_factory=list)
    failures: list[SourceFailure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    not_modified: bool = False
    validators: Validators | None = None


# -- pure parsing -------------------------------------------------------------------------------------------

def decode_page(data: bytes, headers: dict[str, str] | None = None) -> tuple[str, str | None]:
    """A page's text and a warning when it did not say its encoding and was not UTF-8 (an old windows-1258 site)."""
    headers = headers or {}
    declared = _charset(headers.get("content-type", "")) or _meta_charset(data)
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    text, encoding = decode_vietnamese(data, declared)
    if declared is None:
        return text, (f"Trang không khai báo bảng mã và không phải UTF-8; đã đọc theo bảng mã {encoding.upper()}. "
                      "Hãy kiểm tra dấu tiếng Việt.")
    return text, None


def _charset(content_type: str) -> str | None:
    m = re.search(r"charset\s*=\s*['\"]?([\w.\-]+)", content_type, re.I)
    return m.group(1) if m else None


def _meta_charset(data: bytes) -> str | None:
    m = re.search(rb"""<meta[^>]+charset\s*=\s*["']?([\w.\-]+)""", data[:4096], re.I)
    return m.group(1).decode("ascii", "replace") if m else None


def parse_listing(html: str, url: str, rules: PageRules = DEFAULT_RULES) -> list[str]:
    """Article addresses on a listing page, in page order, same site only, without repeats."""
    soup = BeautifulSoup(html, "html.parser")
    base = _base(soup, url)
    site = urlsplit(url)
    out: list[str] = []
    for a in soup.select(rules.links or "a"):
        href = a.get("href") if isinstance(a, Tag) else None
        if not isinstance(href, str) or not safe_url(href):
            continue
        target = urldefrag(urljoin(base, safe_url(href)))[0]
        parts = urlsplit(target)
        if parts.scheme != site.scheme or parts.netloc != site.netloc or target == urldefrag(url)[0]:
            continue  # another site, or the listing itself
        if site.scheme == "file" and not parts.path.startswith(site.path.rsplit("/", 1)[0] + "/"):
            continue  # a local listing may only lead to files beside it
        if target not in out:
            out.append(target)
    return out[:rules.max_articles]


def parse_article(html: str, url: str, source: Source, rules: PageRules = DEFAULT_RULES) -> SubmittedStory:
    """One article page as a story: title, clean body with image captions, the article's own date."""
    soup = BeautifulSoup(html, "html.parser")
    base = _base(soup, url)
    title = _title(soup, rules)
    when = _article_date(soup, rules)
    body = _body(soup, rules)
    if body is None:
        raise GatherError("Trang web không có nội dung bài viết đọc được.")
    for selector in [*FURNITURE, *rules.drop]:
        for junk in body.select(selector):
            if junk is not body and not junk.decomposed:
                junk.decompose()
    for h1 in body.find_all("h1"):
        h1.decompose()  # the title is kept apart from the body
    if rules.date:
        for node in body.select(rules.date):
            node.decompose()  # the date line is metadata, not the story
    _absolute_links(body, base)
    _figures(body)
    text = body.get_text(" ", strip=True)
    if not text:
        raise GatherError("Trang web không có nội dung bài viết đọc được.")
    when = when or dateline(body.get_text("\n"))
    if not url:
        ident = "sha256:" + hashlib.sha256(html.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    else:
        ident = url if len(url) <= 300 else url[:120] + "#sha256:" + hashlib.sha256(url.encode()).hexdigest()
    return SubmittedStory(source_id=source.id, external_id=ident, title=title or "(không có tiêu đề)",
                          body=body.decode_contents(), link=absolute_link(url, url), published_at=when)


def _base(soup: BeautifulSoup, url: str) -> str:
    tag = soup.find("base", href=True)
    href = tag.get("href") if isinstance(tag, Tag) else None
    return urljoin(url, href) if isinstance(href, str) and safe_url(href) else url


def _title(soup: BeautifulSoup, rules: PageRules) -> str:
    if rules.title:
        node = soup.select_one(rules.title)
        if node is not None and node.get_text(strip=True):
            return node.get_text(" ", strip=True)
    og = soup.find("meta", attrs={"property": "og:title"})
    if isinstance(og, Tag) and og.get("content"):
        return str(og.get("content"))
    if soup.h1 and soup.h1.get_text(strip=True):
        return soup.h1.get_text(" ", strip=True)
    return soup.title.get_text(" ", strip=True) if soup.title else ""


def _body(soup: BeautifulSoup, rules: PageRules) -> Tag | None:
    selectors = [rules.body] if rules.body else BODY_SELECTORS
    for selector in selectors:
        node = soup.select_one(selector)
        if node is not None and node.get_text(strip=True):
            return node
    return None


_NUMERIC_DATE = re.compile(r"(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})(?:\D+(\d{1,2})[:hg](\d{2}))?")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?")
_WORD_DATE = re.compile(r"(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I)


def parse_date_text(text: str) -> datetime | None:
    """A date as Vietnamese sites print it: 14/11/2023 08:30, 14-11-2023, 2023-11-14T08:30, ngày 14 tháng 11 năm
    2023 (the day comes first)."""
    for pattern, order in ((_ISO_DATE, "ymd"), (_NUMERIC_DATE, "dmy"), (_WORD_DATE, "dmy")):
        m = pattern.search(text)
        if not m:
            continue
        groups = m.groups()
        d, mo, y = (groups[2], groups[1], groups[0]) if order == "ymd" else (groups[0], groups[1], groups[2])
        hh, mm = (groups[3], groups[4]) if len(groups) > 3 and groups[3] else ("0", "0")
        try:
            found = datetime(int(y), int(mo), int(d), int(hh), int(mm))
        except ValueError:
            continue
        if 1990 <= found.year <= 2100:
            return found
    return None


def _article_date(soup: BeautifulSoup, rules: PageRules) -> datetime | None:
    candidates: list[str] = []
    if rules.date:
        node = soup.select_one(rules.date)
        if node is not None:
            candidates.append(str(node.get("datetime") or "") if isinstance(node, Tag) else "")
            candidates.append(node.get_text(" ", strip=True))
    for key, value in (("property", "article:published_time"), ("itemprop", "datePublished"),
                       ("name", "pubdate"), ("name", "date")):
        meta = soup.find("meta", attrs={key: value})
        if isinstance(meta, Tag) and meta.get("content"):
            candidates.append(str(meta.get("content")))
    time_tag = soup.find("time")
    if isinstance(time_tag, Tag):
        candidates.append(str(time_tag.get("datetime") or time_tag.get_text(" ", strip=True)))
    for text in candidates:
        found = parse_date_text(text) if text else None
        if found:
            return found
    return None


def _absolute_links(body: Tag, base: str) -> None:
    # A relative link or image would point into the portal once the story is there: resolve it against the
    # article's own address (lazy-loading sites keep the real image in data-src).
    for img in body.find_all("img"):
        src = img.get("data-src") or img.get("data-original") or img.get("src") or ""
        resolved = absolute_link(str(src), base) if src else ""
        if resolved and urlsplit(resolved).scheme in WEB_SCHEMES:
            img["src"] = resolved
        else:
            img.decompose()
    for a in body.find_all("a"):
        href = a.get("href")
        if isinstance(href, str):
            resolved = absolute_link(href, base)
            if resolved:
                a["href"] = resolved
            else:
                del a["href"]


def _figures(body: Tag) -> None:
    """Every image with its caption as <figure><img><figcaption>, whatever the CMS used (a table with an
    'image_desc' cell, a paragraph with a caption class just after, an <em> line under the image)."""
    for img in list(body.find_all("img")):
        if img.decomposed:
            continue
        figure = img.find_parent("figure")
        if figure is not None:
            continue
        caption_text, holder = _caption(img)
        new = BeautifulSoup("", "html.parser")
        fig = new.new_tag("figure")
        image = new.new_tag("img", attrs={"src": str(img["src"]), "alt": str(img.get("alt") or caption_text or "")})
        fig.append(image)
        if caption_text:
            cap = new.new_tag("figcaption")
            cap.string = caption_text
            fig.append(cap)
        (holder or img).replace_with(fig)


def _caption(img: Tag) -> tuple[str, Tag | None]:
    table = img.find_parent("table")
    if table is not None and len(table.find_all("img")) == 1:
        cell = table.find(class_=CAPTION_CLASSES) or (table.find_all("td")[-1] if len(table.find_all("td")) > 1
                                                       else None)
        if cell is not None and cell.get_text(strip=True) and not cell.find("img"):
            return cell.get_text(" ", strip=True), table
    holder = img.parent if img.parent is not None and img.parent.name in {"p", "div", "span", "a"} else None
    start = holder if holder is not None and len(holder.get_text(strip=True)) == 0 else img
    sibling = start.find_next_sibling()
    while isinstance(sibling, NavigableString):
        sibling = sibling.find_next_sibling()
    if isinstance(sibling, Tag):
        classes = " ".join(sibling.get("class") or [])
        text = sibling.get_text(" ", strip=True)
        emphasis = sibling.find(["em", "i"]) if sibling.name == "p" else None
        italic = sibling.name in {"em", "i"} or (emphasis is not None
                                                 and sibling.get_text(strip=True) == emphasis.get_text(strip=True))
        if text and len(text) <= 300 and (CAPTION_CLASSES.search(classes) or italic):
            sibling.decompose()
            return text, start if start is not img else None
    return "", start if start is not img else None


# -- fetching ---------------------------------------------------------------------------------------------

def read_pages(source: Source, *, base: Path, limits: Limits, validators: Validators | None = None,
               delay: float = 1.0, robots: Callable[[str], "Robots"] | None = None) -> PagesRead:
    """The listing page, then each article on it, politely. One article that fails is one failure."""
    rules = source.page or DEFAULT_RULES
    out = PagesRead()
    web = source.location.startswith(("http://", "https://"))
    session = new_session(limits) if web else None
    try:
        rulebook = (robots or _robots_for(session, limits, delay))(source.location) if web else None
        if rulebook is not None and not rulebook.allowed(source.location):
            raise GatherError("Tệp robots.txt của trang web không cho phép máy đọc trang danh sách tin; bantin tôn "
                              "trọng điều này. Hãy đề nghị đơn vị mở quyền hoặc cung cấp RSS.")
        pause = max(delay, min(rulebook.delay, 30.0)) if rulebook else delay

        def get(url: str, conditional: Validators | None = None) -> Fetched:
            if not web:
                return fetch(url, base=base, limits=limits)
            return HOSTS.call(url, pause, lambda: fetch(url, base=base, limits=limits, validators=conditional,
                                                        session=session))

        listing = get(source.location, validators)
        if listing.not_modified:
            out.not_modified, out.validators = True, listing.validators
            return out
        out.validators = listing.validators if web else None
        html, note = decode_page(listing.data, listing.headers)
        if note:
            out.warnings.append(f"Trang danh sách: {note}")
        links = parse_listing(html, listing.url, rules)
        if not links:
            raise GatherError("Trang danh sách không có liên kết bài nào khớp bộ chọn "
                              f"“{rules.links}”; có thể trang đã đổi giao diện. Hãy sửa [source.page] links.")
        for link in links:
            if rulebook is not None and not rulebook.allowed(link):
                out.failures.append(SourceFailure(source.id, "robots.txt không cho phép đọc bài này.",
                                                  item=failed_item(link)))
                continue
            try:
                page = get(link)
                text, note = decode_page(page.data, page.headers)
                if note:
                    out.warnings.append(f"Bài {urlsplit(link).path.rsplit('/', 1)[-1] or link}: {note}")
                out.stories.append(parse_article(text, page.url or link, source, rules))
            except TransientGatherError as exc:
                out.failures.append(SourceFailure(source.id, f"{exc.message} Sẽ thử lại lần sau.",
                                                  item=failed_item(link)))
            except GatherError as exc:
                out.failures.append(SourceFailure(source.id, exc.message, item=failed_item(link)))
        return out
    finally:
        if session is not None:
            session.close()


class Robots:
    """A site's robots.txt rules for bantin's user agent."""

    def __init__(self, text: str, user_agent: str) -> None:
        from protego import Protego

        self._rules = Protego.parse(text)
        self._agent = user_agent

    def allowed(self, url: str) -> bool:
        return bool(self._rules.can_fetch(url, self._agent))

    @property
    def delay(self) -> float:
        return float(self._rules.crawl_delay(self._agent) or 0.0)


def _robots_for(session: requests.Session | None, limits: Limits, delay: float) -> Callable[[str], Robots]:
    def load(url: str) -> Robots:
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        small = Limits(**{**limits.__dict__, "max_bytes": ROBOTS_MAX_BYTES})
        try:
            got = HOSTS.call(robots_url, delay, lambda: fetch(robots_url, base=Path("."), limits=small,
                                                               session=session))
        except TransientGatherError:
            raise TransientGatherError("Không đọc được robots.txt của trang web (máy chủ lỗi hoặc quá chậm); "
                                       "lần này không đọc trang để tránh vi phạm quy định của trang.") from None
        except GatherError:
            return Robots("", limits.user_agent)  # no robots.txt (404) or an unusable one: allowed
        return Robots(got.data.decode("utf-8", "replace"), limits.user_agent)

    return load



def parse_page(data: bytes, source: Source, url: str = "") -> tuple[list[SubmittedStory], list[SourceFailure]]:
    """One page that carries one story (kept for callers that read a single article)."""
    html, _note = decode_page(data)
    try:
        return [parse_article(html, url or "", source, source.page or DEFAULT_RULES)], []
    except GatherError as exc:
        return [], [SourceFailure(source.id, exc.message, item=failed_item(url or "trang"))]
