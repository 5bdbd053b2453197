"""HTTP file semantics as pure decisions (RFC 9110): Range, preconditions, Content-Disposition."""

from __future__ import annotations

from email.utils import formatdate
from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.web.errors import PreconditionFailed, RangeNotSatisfiable
from flows.web.files import FileFacts, ascii_name, content_disposition, parse_range, plan_response

FACTS = FileFacts(size=1000, mtime_ns=1_700_000_000_500_000_000, inode=42)


@pytest.mark.parametrize(("header", "spans"), [
    ("bytes=0-99", [(0, 99)]),
    ("bytes=900-", [(900, 999)]),
    ("bytes=-100", [(900, 999)]),
    ("bytes=-5000", [(0, 999)]),
    ("bytes=990-5000", [(990, 999)]),
    ("BYTES = 0-0", [(0, 0)]),
    ("bytes=0-1, 5-6", [(0, 1), (5, 6)]),
    ("bytes=1000-", []),
    ("bytes=5000-6000", []),
    ("bytes=-0", []),
    ("bytes=5-1", None),
    ("bytes=abc", None),
    ("bytes=-", None),
    ("bytes=1-2-3", None),
    ("bytes=+1-2", None),
    ("items=0-1", None),
    ("bytes 0-1", None),
    ("bytes=0-1,", None),
    ("bytes=" + ",".join(["0-1"] * 100), None),
    ("bytes=99999999999999999999-", None),
])
def test_parse_range(header: str, spans: list | None) -> None:
    assert parse_range(header, 1000) == spans


def test_nothing_is_satisfiable_in_an_empty_file() -> None:
    assert parse_range("bytes=0-", 0) == [] and parse_range("bytes=-10", 0) == []


@given(st.integers(0, 2000), st.integers(0, 2000), st.integers(1, 1500))
def test_every_satisfiable_span_lies_inside_the_file(a: int, b: int, size: int) -> None:
    for header in (f"bytes={a}-{b}", f"bytes={a}-", f"bytes=-{b}"):
        spans = parse_range(header, size)
        for first, last in spans or []:
            assert 0 <= first <= last < size


def _plan(method: str = "GET", **headers: str):  # type: ignore[no-untyped-def]
    return plan_response(method, {k.replace("_", "-"): v for k, v in headers.items()}, FACTS)


def test_whole_file_headers() -> None:
    plan = _plan()
    assert plan.status == 200 and (plan.start, plan.length) == (0, 1000)
    assert plan.headers["Content-Length"] == "1000" and plan.headers["Accept-Ranges"] == "bytes"
    assert plan.headers["ETag"] == FACTS.etag and plan.headers["Last-Modified"] == formatdate(1_700_000_000, usegmt=True)


def test_ranges_and_their_fallbacks() -> None:
    assert (_plan(range="bytes=10-19").status, _plan(range="bytes=10-19").headers["Content-Range"]) == \
        (206, "bytes 10-19/1000")
    assert _plan(range="bytes=0-1,2-3").headers["Content-Range"] == "bytes 0-3/1000"  # adjacent parts: one span
    assert _plan(range="bytes=0-1,500-501").status == 200  # disjoint parts: the whole file
    assert _plan(range="bytes=9-1").status == 200  # invalid header: ignored
    assert _plan("HEAD", range="bytes=0-1").status == 200  # Range is for GET only
    with pytest.raises(RangeNotSatisfiable) as caught:
        _plan(range="bytes=1000-")
    assert caught.value.headers == {"Content-Range": "bytes */1000"}


def test_conditional_requests() -> None:
    assert _plan(if_none_match=FACTS.etag).status == 304
    assert _plan(if_none_match=f'"x", W/{FACTS.etag}').status == 304  # weak comparison
    assert _plan(if_none_match='"other"').status == 200
    assert _plan(if_none_match="*").status == 304
    assert _plan(if_modified_since=formatdate(1_700_000_000, usegmt=True)).status == 304
    assert _plan(if_modified_since=formatdate(1_699_999_999, usegmt=True)).status == 200
    # If-None-Match wins over If-Modified-Since
    assert _plan(if_none_match='"other"', if_modified_since=formatdate(1_800_000_000, usegmt=True)).status == 200
    assert _plan(if_modified_since="not a date").status == 200
    assert "Content-Length" not in _plan(if_none_match=FACTS.etag).headers
    with pytest.raises(PreconditionFailed):
        _plan(if_match='"other"')
    with pytest.raises(PreconditionFailed):
        _plan(if_match=f"W/{FACTS.etag}")  # If-Match compares strongly
    assert _plan(if_match=FACTS.etag).status == 200
    with pytest.raises(PreconditionFailed):
        _plan(if_unmodified_since=formatdate(1_600_000_000, usegmt=True))


def test_if_range() -> None:
    assert _plan(range="bytes=0-9", if_range=FACTS.etag).status == 206
    assert _plan(range="bytes=0-9", if_range='"changed"').status == 200
    assert _plan(range="bytes=0-9", if_range=f"W/{FACTS.etag}").status == 200
    assert _plan(range="bytes=0-9", if_range=FACTS.last_modified).status == 206
    assert _plan(range="bytes=0-9", if_range=formatdate(1_600_000_000, usegmt=True)).status == 200


def test_content_disposition_carries_the_vietnamese_name_and_an_ascii_fallback() -> None:
    name = "Bản tin buổi sáng 25-11-2026 – Đài Truyền thanh xã Đình Cả.mp3"
    header = content_disposition(name, attachment=True)
    kind, fallback, star = (p.strip() for p in header.split(";"))
    assert kind == "attachment"
    assert fallback == 'filename="Ban-tin-buoi-sang-25-11-2026-Dai-Truyen-thanh-xa-Dinh-Ca.mp3"'
    assert star.startswith("filename*=UTF-8''") and unquote(star.split("''", 1)[1]) == name
    assert header.isascii()
    assert content_disposition(name, attachment=False).startswith("inline;")


@given(st.text(max_size=60))
def test_ascii_fallback_is_always_a_safe_token(text: str) -> None:
    name = ascii_name(text + ".mp3")
    assert name.isascii() and '"' not in name and "\\" not in name and "/" not in name
    assert name.endswith(".mp3")
