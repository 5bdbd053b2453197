"""Fetching over real HTTP from a hostile server started by the tests, and from local files, with every failure.

Each bad server behaviour must end in a GatherError with a Vietnamese reason, never a traceback and never a
fetch that runs until the server gives up: the drip tests pass a deadline far shorter than the drip, so only the
deadline can end them with the "quá thời hạn" error.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from flows.ingest.errors import GatherError, TransientGatherError
from flows.ingest.fetch import Limits, Validators, declared_length, fetch, read_capped

FEED = (Path(__file__).resolve().parents[2] / "content" / "samples" / "feeds" / "phong-vhtt.xml").read_bytes()
ETAG = '"vhtt-2023-11-15"'  # what the test server (conftest.py) sends

# Generous limits for servers that answer (the machine may be busy); the drip tests set their own deadline.
FAST = Limits(connect_timeout=5.0, read_timeout=5.0, deadline=30.0, max_bytes=200_000, user_agent="bantin-test")


def _get(url: str, **kw: object):  # type: ignore[no-untyped-def]
    limits = Limits(**{**FAST.__dict__, **kw})
    return fetch(url, base=Path("."), limits=limits)


def test_fetches_feed_with_headers_and_validators(hostile_server: str) -> None:
    got = _get(f"{hostile_server}/feed.xml")
    assert got.data == FEED and got.headers["content-type"] == "application/rss+xml"
    assert got.validators == Validators(ETAG, got.headers["last-modified"]) and not got.not_modified


def test_unchanged_feed_costs_one_304(hostile_server: str, server_log) -> None:  # type: ignore[no-untyped-def]
    first = _get(f"{hostile_server}/feed.xml")
    again = fetch(f"{hostile_server}/feed.xml", base=Path("."), limits=FAST, validators=first.validators)
    assert again.not_modified and again.data == b"" and again.validators.etag == ETAG
    by_date = fetch(f"{hostile_server}/feed.xml", base=Path("."), limits=FAST,
                    validators=Validators(last_modified=first.validators.last_modified))
    assert by_date.not_modified
    assert server_log.hits["/feed.xml"] == 3


@pytest.mark.parametrize("path", ["/drip-body", "/drip-headers"])
def test_a_dripping_server_is_cut_at_the_deadline(hostile_server: str, path: str) -> None:
    # One byte every 0.1 s never trips the 2 s read timeout; only the 3 s deadline ends the fetch (the server
    # drips for 8 s, and a fetch that read to the end would fail differently, on the short body).
    with pytest.raises(TransientGatherError, match="quá thời hạn 3 giây"):
        _get(hostile_server + path, read_timeout=2.0, deadline=3.0)


def test_a_hanging_server_times_out(hostile_server: str) -> None:
    with pytest.raises(TransientGatherError, match="Quá thời gian chờ dữ liệu|quá thời hạn"):
        _get(f"{hostile_server}/hang", read_timeout=1.0, deadline=6.0)


@pytest.mark.parametrize(("path", "transient", "reason"), [
    ("/status/500", True, "HTTP 500"),
    ("/status/503", True, "HTTP 503"),
    ("/status/429", True, "HTTP 429"),
    ("/status/404", False, "HTTP 404"),
    ("/status/403", False, "HTTP 403"),
    ("/loop", False, "chuyển hướng quá 5 lần"),
    ("/loop-a", False, "vòng lặp chuyển hướng"),
    ("/redirect-js", False, "không phải http/https"),
    ("/redirect-file", False, "không phải http/https"),
    ("/huge", False, "vượt giới hạn"),
    ("/huge-declared", False, "quá lớn"),
    ("/gzip-bomb", False, "vượt giới hạn"),
])
def test_bad_servers_give_reasons(hostile_server: str, path: str, transient: bool, reason: str) -> None:
    with pytest.raises(GatherError, match=reason) as info:
        _get(hostile_server + path)
    assert info.value.transient is transient


def test_redirect_to_a_feed_is_followed(hostile_server: str) -> None:
    got = _get(f"{hostile_server}/redirect-ok")
    assert got.data == FEED and got.url.endswith("/feed.xml")


def test_non_numeric_content_length_is_read_under_the_cap(hostile_server: str) -> None:
    assert _get(f"{hostile_server}/bad-length").data == FEED
    with pytest.raises(GatherError, match="vượt giới hạn"):
        _get(f"{hostile_server}/bad-length", max_bytes=1000)


@pytest.mark.parametrize(("value", "length"), [("123", 123), ("abc", None), ("-1", None), ("", None),
                                               ("5, 5", 5), ("5, 6", None), ("1e9", None)])
def test_declared_length(value: str, length: int | None) -> None:
    assert declared_length(value) == length


def test_refused_connection_is_transient() -> None:
    with pytest.raises(TransientGatherError, match="Không kết nối"):
        _get("http://127.0.0.1:1/feed.xml")


def test_unknown_scheme_is_refused() -> None:
    with pytest.raises(GatherError, match="không được hỗ trợ"):
        _get("ftp://example.vn/feed.xml")


def test_local_files_by_path_and_url(tmp_path: Path) -> None:
    f = tmp_path / "f.xml"
    f.write_bytes(b"<rss/>")
    assert fetch("f.xml", base=tmp_path, limits=FAST).data == b"<rss/>"
    assert fetch(f.as_uri(), base=tmp_path, limits=FAST).data == b"<rss/>"
    with pytest.raises(GatherError, match="Không tìm thấy"):
        fetch("missing.xml", base=tmp_path, limits=FAST)
    with pytest.raises(GatherError, match="quá lớn"):
        fetch("f.xml", base=tmp_path, limits=Limits(max_bytes=3))
    with pytest.raises(GatherError, match="thư mục"):
        fetch(str(tmp_path), base=tmp_path, limits=FAST)


def test_dev_zero_is_refused_before_reading() -> None:
    # /dev/zero reports size 0 and never ends: only refusing non-regular files keeps memory bounded.
    with pytest.raises(GatherError, match="thiết bị"):
        fetch("/dev/zero", base=Path("/"), limits=Limits(max_bytes=1000))
    with pytest.raises(GatherError, match="thiết bị"):
        read_capped(Path("/dev/urandom"), 1000)


def test_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "feed.xml"
    os.mkfifo(fifo)
    with pytest.raises(GatherError, match="FIFO"):
        fetch("feed.xml", base=tmp_path, limits=FAST)


def test_symlink_is_refused_where_links_must_not_be_followed(tmp_path: Path) -> None:
    (tmp_path / "link.txt").symlink_to("/etc/passwd")
    with pytest.raises(GatherError, match="liên kết tượng trưng"):
        read_capped(tmp_path / "link.txt", 100_000, follow_symlinks=False)

