"""Clean submitted HTML to the small set of tags the portal shows, and get plain text from it."""

from __future__ import annotations

import re

import nh3
from bs4 import BeautifulSoup

from flows.text import fix_legacy, normalize_unicode

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "ul", "ol", "li", "blockquote", "h2", "h3", "h4", "a",
                "table", "thead", "tbody", "tr", "th", "td"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
_BLOCKS = {"p", "li", "blockquote", "h2", "h3", "h4", "tr", "div", "section", "article"}


def clean_html(raw: str) -> str:
    """Unicode-normalised, sanitised HTML: no scripts, styles, event handlers or foreign tags."""
    text = normalize_unicode(raw)
    # Bodies sent as bare text with <br> line breaks get paragraphs, so the portal and the
    # plain-text form both see the paragraph boundaries.
    if "<p" not in text.lower() and re.search(r"<br\s*/?>\s*<br\s*/?>", text, re.I):
        text = "".join(f"<p>{part}</p>" for part in re.split(r"(?:<br\s*/?>\s*){2,}", text, flags=re.I))
    cleaned = nh3.clean(text, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, link_rel="noopener nofollow",
                        clean_content_tags={"script", "style"})
    if "<p" not in cleaned and cleaned.strip():
        cleaned = f"<p>{cleaned.strip()}</p>"
    return cleaned.strip()


def html_to_text(html: str) -> str:
    """Plain text with one paragraph per line and single spaces inside."""
    soup = BeautifulSoup(html, "html.parser")
    paragraphs: list[str] = []
    blocks = soup.find_all(_BLOCKS)
    leaves = [b for b in blocks if not b.find(_BLOCKS)] if blocks else []
    for block in leaves or [soup]:
        for br in block.find_all("br"):
            br.replace_with("\n")
        for line in block.get_text("").split("\n"):
            line = " ".join(line.split())
            if line:
                paragraphs.append(line)
    return "\n".join(paragraphs)


def clean_title(raw: str) -> str:
    title = BeautifulSoup(raw, "html.parser").get_text(" ")
    title, _legacy = fix_legacy(normalize_unicode(title))
    return " ".join(title.split())


def repair_encoding(raw: str) -> tuple[str, str | None]:
    """Convert a body that arrived in TCVN3 or VNI to Unicode; returns the legacy name if any."""
    return fix_legacy(raw)
