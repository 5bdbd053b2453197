"""Clean submitted HTML to the small set of tags the portal shows, and get plain text from it."""

from __future__ import annotations

import re

import nh3
from bs4 import BeautifulSoup

from flows.editing.links import WEB_SCHEMES, safe_url, scheme_of
from flows.text import fix_legacy, normalize_unicode

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "ul", "ol", "li", "blockquote", "h2", "h3", "h4", "a",
                "table", "thead", "tbody", "tr", "th", "td", "figure", "figcaption", "img"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"},
                      "img": {"src", "alt", "width", "height"}}
# Removed with everything inside them: code, and the furniture of a web page that is not the story.
DROPPED_WITH_CONTENT = {"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math",
                        "nav", "aside", "form", "button", "select", "textarea", "head", "title"}
_BLOCKS = {"p", "li", "blockquote", "h2", "h3", "h4", "tr", "div", "section", "article", "figcaption"}
_URL_ATTRIBUTES = {("a", "href"), ("img", "src")}


def _attribute(tag: str, name: str, value: str) -> str | None:
    """Only allow-listed URLs, and only absolute ones: a relative link in a story would point into the portal."""
    if (tag, name) in _URL_ATTRIBUTES:
        url = safe_url(value, allow_relative=False)
        if not url:
            return None
        if tag == "img" and scheme_of(url) not in WEB_SCHEMES and not url.startswith("//"):
            return None  # an image is fetched by the browser: web addresses only, never mailto
        return url
    if name in {"width", "height", "colspan", "rowspan"}:
        return value if value.isdigit() and len(value) <= 4 else None
    return value


def clean_html(raw: str) -> str:
    """Unicode-normalised, sanitised HTML: no scripts, styles, event handlers, foreign tags or unsafe links."""
    text = normalize_unicode(raw)
    # Bodies sent as bare text with <br> line breaks get paragraphs, so the portal and the
    # plain-text form both see the paragraph boundaries.
    if "<p" not in text.lower() and re.search(r"<br\s*/?>\s*<br\s*/?>", text, re.I):
        text = "".join(f"<p>{part}</p>" for part in re.split(r"(?:<br\s*/?>\s*){2,}", text, flags=re.I))
    cleaned = nh3.clean(text, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, link_rel="noopener nofollow",
                        clean_content_tags=DROPPED_WITH_CONTENT, url_schemes={"http", "https", "mailto"},
                        attribute_filter=_attribute, url_relative="deny")
    if "<img" in cleaned or "<a" in cleaned:
        cleaned = _tidy(cleaned)
    if "<p" not in cleaned and cleaned.strip():
        cleaned = f"<p>{cleaned.strip()}</p>"
    return cleaned.strip()


def _tidy(cleaned: str) -> str:
    # An image whose address was refused is dropped, and every image has an alt text (HTML5 requires both); a
    # link whose address was refused becomes its text (a rel attribute without href is invalid HTML5).
    soup = BeautifulSoup(cleaned, "html.parser")
    for a in soup.find_all("a"):
        if not a.get("href"):
            a.unwrap()
    for img in soup.find_all("img"):
        if not img.get("src"):
            img.decompose()
        elif img.get("alt") is None:
            img["alt"] = ""
    for figure in soup.find_all("figure"):
        if not figure.get_text(strip=True) and not figure.find("img"):
            figure.decompose()
    return str(soup)


def html_to_text(html: str) -> str:
    """Plain text with one paragraph per line and single spaces inside. Image captions are left out: the plain
    text is what the radio reads, and "Ảnh: ..." is for the eye."""
    soup = BeautifulSoup(html, "html.parser")
    for caption in soup.find_all("figcaption"):
        caption.decompose()
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


MAX_TITLE = 300


def clean_title(raw: str) -> str:
    """A title as the portal, the feeds and the radio show it: plain text, legacy encodings repaired, NFC, no
    control or invisible characters, one line, single spaces.

    Legacy repair comes before Unicode clean-up: TCVN3's "ư" is the byte of a soft hyphen, which the clean-up
    would delete as invisible, leaving "Thi ®ua yªu n­íc" unrepairable."""
    text = raw.replace("\x00", " ")
    if "<" in text and ">" in text:
        text = BeautifulSoup(text, "html.parser").get_text(" ")
    text, _legacy = fix_legacy(text)
    text = normalize_unicode(text)
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = " ".join(text.split())
    if len(text) > MAX_TITLE:
        text = text[:MAX_TITLE].rsplit(" ", 1)[0] + "…"
    return text


def repair_encoding(raw: str) -> tuple[str, str | None]:
    """Convert a body that arrived in TCVN3 or VNI to Unicode; returns the legacy name if any."""
    return fix_legacy(raw)
