"""Which links may stand in a story, a page or a feed: an allow-list of URL schemes (pure).

Browsers forgive a lot in a URL: they drop tabs and newlines anywhere (`java\\tscript:`), trim leading spaces and
control characters, compare schemes without case, and decode character references in attributes before any of
that (`&#106;avascript:`). A block-list of bad schemes loses against that; an allow-list read the way a browser
reads the URL does not. Everything here works on the text *after* HTML parsing (an attribute's value), so
character references are already decoded by whoever parsed the markup.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
WEB_SCHEMES = frozenset({"http", "https"})

# What the URL parser of the WHATWG spec strips or ignores before it reads the scheme.
_C0_OR_SPACE = "".join(chr(c) for c in range(0x21))
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
# Anything that could still fold into a scheme in some other reader: controls, invisible characters, escapes.
_SUSPICIOUS = re.compile(r"[\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")


def browser_view(url: str) -> str:
    """The URL as a browser's URL parser sees it before it reads the scheme."""
    return _TAB_OR_NEWLINE.sub("", url.strip(_C0_OR_SPACE))


def scheme_of(url: str) -> str | None:
    """The scheme a browser would use for `url` (lower case), or None for a relative URL."""
    view = browser_view(url)
    match = _SCHEME.match(view)
    if match:
        return match.group(1).lower()
    # "javascript&colon;" and friends are not schemes once decoded by a parser; a colon before any
    # slash, question mark or hash still makes the browser try a scheme, so treat it as one.
    head = re.split(r"[/?#]", view, maxsplit=1)[0]
    if ":" in head:
        return head.split(":", 1)[0].lower() or "?"
    return None


def is_safe_url(url: str, *, allow_relative: bool = True, schemes: frozenset[str] = SAFE_SCHEMES) -> bool:
    """True when a browser following `url` stays on http, https or mailto (or a relative address)."""
    if not url or _SUSPICIOUS.search(url):
        return False
    scheme = scheme_of(url)
    if scheme is None:
        view = browser_view(url)
        # "//host/path" is relative in form but leaves the site: it is as safe as its http(s) form.
        return allow_relative or view.startswith("//")
    return scheme in schemes


def safe_url(url: str, *, allow_relative: bool = True, schemes: frozenset[str] = SAFE_SCHEMES) -> str:
    """`url` trimmed the way a browser trims it, or "" when it is not on the allow-list."""
    if not isinstance(url, str):
        return ""
    view = browser_view(url)
    return view if is_safe_url(view, allow_relative=allow_relative, schemes=schemes) else ""


def absolute_link(url: str, base: str) -> str:
    """A story's link as stored at ingest: absolute http(s) or mailto, resolved against the page or feed it
    came from; "" when it is unsafe, or relative with nothing to resolve it against."""
    view = safe_url(url)
    if not view:
        return ""
    if scheme_of(view) is None:
        if urlsplit(base).scheme not in WEB_SCHEMES:
            return ""
        view = urljoin(base, view)
    return view if scheme_of(view) in SAFE_SCHEMES and is_safe_url(view, allow_relative=False) else ""
