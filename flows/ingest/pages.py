"""A web page that carries one story (a unit's own news page), read with beautifulsoup4."""

from __future__ import annotations

import hashlib

from bs4 import BeautifulSoup

from flows.models import Source, SourceFailure, SubmittedStory

# Where CMSs used by Vietnamese state portals put the article body, most specific first.
BODY_SELECTORS = ["article .content", "article", "[itemprop=articleBody]", ".news-content", ".detail-content",
                  "main", "#content", "body"]


def parse_page(data: bytes, source: Source, url: str = "") -> tuple[list[SubmittedStory], list[SourceFailure]]:
    soup = BeautifulSoup(data, "html.parser")
    og = soup.find("meta", attrs={"property": "og:title"})
    title = (str(og.get("content") or "") if og else "") or (soup.h1.get_text(" ", strip=True) if soup.h1 else "")
    title = title or (soup.title.get_text(strip=True) if soup.title else "")
    body = None
    for selector in BODY_SELECTORS:
        body = soup.select_one(selector)
        if body is not None and body.get_text(strip=True):
            break
    if body is None or not body.get_text(strip=True):
        return [], [SourceFailure(source.id, "Trang web không có nội dung bài viết đọc được.", item=url)]
    for h1 in body.find_all("h1"):
        h1.decompose()  # the title is kept apart from the body
    text = str(body)
    ident = url or "sha256:" + hashlib.sha256(data).hexdigest()[:32]
    return [SubmittedStory(source_id=source.id, external_id=ident, title=title.strip() or "(không có tiêu đề)",
                           body=text, link=url)], []
