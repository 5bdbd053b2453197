"""Plain text as HTML paragraphs: how a story typed in a form, a plain-text file or a plain-text feed gets the
paragraph structure the portal and the spoken form both read."""

from __future__ import annotations

import html
import re

_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


def paragraphs_html(text: str, *, lines_if_no_blank_line: bool = False) -> str:
    """Blank lines separate paragraphs; whitespace inside one collapses, as a browser would show it. The text is
    escaped: a "<" a writer typed ("nhiệt độ <5 độ C") is a character, never markup.

    `lines_if_no_blank_line`: text without any blank line (a phone's text box puts single line breaks between
    paragraphs) takes each line as a paragraph."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    blocks = _BLANK_LINE.split(text)
    if lines_if_no_blank_line and len(blocks) == 1:
        blocks = text.split("\n")
    return "".join(f"<p>{html.escape(' '.join(b.split()), quote=False)}</p>" for b in blocks if b.strip())
