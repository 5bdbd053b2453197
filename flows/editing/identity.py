"""A story's identity: the fingerprint that finds duplicates and the slug that names its page."""

from __future__ import annotations

import hashlib
import re
import unicodedata


def fingerprint(title: str, body_text: str) -> str:
    """Same story, same fingerprint, whatever the markup, spacing, case or punctuation."""
    words = re.findall(r"\w+", unicodedata.normalize("NFC", f"{title}\n{body_text}").casefold())
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()


def slugify(title: str, max_length: int = 80) -> str:
    """ASCII page name from a Vietnamese title ("Đình Cả" → "dinh-ca")."""
    text = unicodedata.normalize("NFD", title.replace("Đ", "D").replace("đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text[:max_length].rstrip("-") or "bai-viet"
