"""The WordPress publisher against a real WordPress (Debian's package, served by `php -S`, on a MariaDB server
started for this session): posts made, updated in place, unpublished when retracted, nothing sent when nothing
changed; categories and tags made on demand; a refused post does not stop the others; wrong credentials and a
site that is down are named in Vietnamese."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import requests

from flows import pipeline, runtime
from flows.errors import OperationalError, TransientError, UserError
from flows.models import Commune, Movement, SubmittedStory
from flows.portal import Edition, PortalStory, SiteInfo, make_publisher
from flows.portal.wordpress import MARKER, WordPressPublisher
from flows.portal.wpclient import PASSWORD_ENV, WordPressClient
from flows.store import Publication
from tests.portal.wordpress_site import PACKAGES, RunningWordPress, WordPressSite, missing_parts

INFO = SiteInfo(title="Cổng thông tin điện tử huyện Võ Nhai", column="Thi đua yêu nước", centre="Trung tâm huyện",
                base_url="https://vonhai.example.gov.vn/")
MOVEMENTS = [Movement("nong-thon-moi", "Xây dựng nông thôn mới"), Movement("dan-van-kheo", "Dân vận khéo")]
COMMUNES = [Commune("than-sa", "Thần Sa", "xã"), Commune("dinh-ca", "Đình Cả", "thị trấn")]


@pytest.fixture(scope="session")
def wordpress() -> Iterator[WordPressSite]:
    missing = missing_parts()
    if missing:
        message = f"WordPress test parts missing: {', '.join(missing)} (apt-get install {PACKAGES}; .ci/run does it)"
        if os.environ.get("BANTIN_CI"):
            pytest.fail(message)
        pytest.skip(message)
    running = RunningWordPress()
    try:
        yield running.start()
    finally:
        running.stop()


@pytest.fixture(scope="session")
def author(wordpress: WordPressSite) -> tuple[str, str]:
    """A second account with the Author role (may publish and edit its own posts only) and its application
    password, made by the administrator over the REST API."""
    made = requests.post(wordpress.url, params={"rest_route": "/wp/v2/users"}, timeout=30,
                         auth=(wordpress.user, wordpress.password),
                         json={"username": "tac-gia", "email": "tacgia@example.org", "roles": ["author"],
                               "password": "Mot-mat-khau-dai-123"})
    assert made.status_code == 201, made.text
    key = requests.post(wordpress.url, params={"rest_route": f"/wp/v2/users/{made.json()['id']}/application-passwords"},
                        auth=(wordpress.user, wordpress.password), timeout=30, json={"name": "bantin"})
    assert key.status_code == 201, key.text
    return "tac-gia", key.json()["password"]


def _story(sid: int, title: str, body: str, kind: str = "news", movements: tuple[str, ...] = (),
           communes: tuple[str, ...] = ()) -> PortalStory:
    return PortalStory(id=sid, slug=f"bai-thu-{sid}", title=title, body_html=f"<p>{body}</p>", body_text=body,
                       published_at=datetime(2023, 12, 1, 8, 30), author="Phóng viên Hà", source="Phòng VH-TT",
                       link="https://vonhai.example.gov.vn/goc", movements=movements, communes=communes, kind=kind)


def _publisher(site: WordPressSite, password: str | None = None, user: str | None = None) -> WordPressPublisher:
    return WordPressPublisher(WordPressClient(site.url, user or site.user, password or site.password,
                                              sleep=lambda s: None))


def _posts(site: WordPressSite, **params: object) -> list[dict]:
    resp = site.get("/wp/v2/posts", per_page=100, status="publish,draft,private,pending,future", context="edit",
                    **params)
    assert resp.status_code == 200, resp.text
    return resp.json()


def _post_writes(site: WordPressSite) -> int:
    """Requests that change something, as the web server logged them (not as bantin counted them)."""
    log = site.root.parent / "php.log"
    return len(re.findall(r"\]: (?:POST|PUT|PATCH|DELETE) /\?rest_route=", log.read_text(errors="replace")))


def test_publish_change_retract_and_nothing_new(wordpress: WordPressSite) -> None:
    site = wordpress
    stories = [_story(101, "Thần Sa làm đường giao thông nông thôn", "Bà con góp ngày công mở đường liên xóm.",
                      movements=("nong-thon-moi",), communes=("than-sa",)),
               _story(102, "Đình Cả ra mắt mô hình dân vận khéo", "Hội Phụ nữ thị trấn giúp hộ nghèo nuôi gà.",
                      movements=("dan-van-kheo",), communes=("dinh-ca",)),
               _story(103, "Cảnh báo lũ quét trên suối Thần Sa", "Người dân không qua ngầm tràn khi nước lên.",
                      kind="emergency", communes=("than-sa",))]
    first = _publisher(site).publish(Edition(INFO, stories, MOVEMENTS, COMMUNES), {})
    assert not first.failed and first.pages_written == 3
    placed = {p.story_id: p for p in first.placed}
    ids = {sid: int(p.remote_id) for sid, p in placed.items()}
    assert len(set(ids.values())) == 3

    # As a reader sees them: published, the title as written, filed under the right categories and tags.
    cats = {c["slug"]: c for c in site.get("/wp/v2/categories", auth=False, per_page=100).json()}
    tags = {t["slug"]: t for t in site.get("/wp/v2/tags", auth=False, per_page=100).json()}
    assert cats["thi-dua-yeu-nuoc"]["name"] == "Thi đua yêu nước"
    assert cats["thong-bao-khan"]["name"] == "Thông báo khẩn"
    assert cats["nong-thon-moi"]["parent"] == cats["thi-dua-yeu-nuoc"]["id"]  # a movement sits under the column
    assert tags["than-sa"]["name"] == "Xã Thần Sa" and tags["dinh-ca"]["name"] == "Thị trấn Đình Cả"
    public = {p["id"]: p for p in site.get("/wp/v2/posts", auth=False, per_page=100).json()}
    road, alert = public[ids[101]], public[ids[103]]
    assert road["title"]["rendered"] == "Thần Sa làm đường giao thông nông thôn"
    assert set(road["categories"]) == {cats["thi-dua-yeu-nuoc"]["id"], cats["nong-thon-moi"]["id"]}
    assert road["tags"] == [tags["than-sa"]["id"]]
    assert alert["categories"] == [cats["thong-bao-khan"]["id"]]  # an emergency is not emulation news
    assert road["date_gmt"] == "2023-12-01T01:30:00"  # 8:30 in Võ Nhai
    assert placed[101].url == road["link"]
    page = requests.get(road["link"], timeout=30)
    assert page.status_code == 200 and "Thần Sa làm đường giao thông nông thôn" in page.text

    # Nothing changed: nothing sent (counted in the web server's own log).
    writes = _post_writes(site)
    standing = {p.story_id: p for p in first.placed}
    again = _publisher(site).publish(Edition(INFO, stories, MOVEMENTS, COMMUNES), standing)
    assert _post_writes(site) == writes
    assert again.pages_written == 0 and again.pages_unchanged == 3 and again.placed == first.placed

    # One story changed, one retracted: the change updates the same post, the retracted one leaves the site.
    before = {p["id"]: p for p in _posts(site, include=",".join(map(str, ids.values())))}
    changed = _story(101, "Thần Sa hoàn thành 2 km đường giao thông nông thôn",
                     "Bà con góp ngày công và hiến đất, con đường liên xóm đã xong.",
                     movements=("nong-thon-moi",), communes=("than-sa",))
    third = _publisher(site).publish(Edition(INFO, [changed, stories[2]], MOVEMENTS, COMMUNES), standing)
    assert not third.failed and third.withdrawn == [102] and third.pages_written == 1
    assert _post_writes(site) == writes + 2  # one update, one unpublish
    after = {p["id"]: p for p in _posts(site, include=",".join(map(str, ids.values())))}
    assert sorted(after) == sorted(before)  # no new post: updated in place
    new_placed = {p.story_id: p for p in third.placed}
    assert new_placed[101].remote_id == placed[101].remote_id and new_placed[101].content_hash != placed[101].content_hash
    assert after[ids[101]]["title"]["raw"] == "Thần Sa hoàn thành 2 km đường giao thông nông thôn"
    assert "hiến đất" in after[ids[101]]["content"]["raw"]
    assert after[ids[101]]["modified_gmt"] >= before[ids[101]]["modified_gmt"]
    assert after[ids[103]]["modified_gmt"] == before[ids[103]]["modified_gmt"]  # untouched
    assert after[ids[102]]["status"] == "draft"  # kept for the newsroom's WordPress editors, not public
    assert site.get(f"/wp/v2/posts/{ids[102]}", auth=False).status_code in (401, 403, 404)
    assert ids[102] not in {p["id"] for p in site.get("/wp/v2/posts", auth=False, per_page=100).json()}
    assert requests.get(f"{site.url}?p={ids[102]}", timeout=30).status_code == 404
    page = requests.get(after[ids[101]]["link"], timeout=30)
    assert "Thần Sa hoàn thành 2 km đường giao thông nông thôn" in page.text

    # The store lost its record (a run stopped between WordPress and the store, or a restored story): the
    # posts are found by their marker and reused, the retracted one comes back at its own address.
    every_post = sorted(p["id"] for p in _posts(site))
    restored = _publisher(site).publish(Edition(INFO, [changed, stories[1], stories[2]], MOVEMENTS, COMMUNES), {})
    assert {p.story_id: int(p.remote_id) for p in restored.placed} == ids
    assert sorted(p["id"] for p in _posts(site)) == every_post  # not one post more
    assert site.get(f"/wp/v2/posts/{ids[102]}", auth=False).json()["status"] == "publish"


def test_markup_in_a_title_or_body_does_not_reach_readers(wordpress: WordPressSite) -> None:
    site = wordpress
    story = PortalStory(id=201, slug="bai-xss", title="Tin <script>alert(1)</script>giá < 10 nghìn & quà",
                        body_html='<p onclick="alert(2)">Chữ<script>alert(3)</script><a href="javascript:alert(4)">x</a></p>'
                                  '<img src=x onerror=alert(5)>',
                        body_text="Chữ", published_at=datetime(2023, 12, 2, 9, 0), author="", source="Hội Nông dân & Phụ nữ < 5 xã")
    result = _publisher(site).publish(Edition(INFO, [story], MOVEMENTS, COMMUNES), {})
    assert not result.failed
    post = site.get(f"/wp/v2/posts/{result.placed[0].remote_id}", context="edit").json()
    raw = post["content"]["raw"]
    assert raw.startswith(MARKER.format(id=201))
    for bad in ("<script", "onclick", "onerror", "javascript:"):
        assert bad not in raw.lower()
    # WordPress keeps a title as HTML: the cleaned title's text goes in escaped, so "<" stays a character.
    assert post["title"]["raw"] == "Tin giá &lt; 10 nghìn &amp; quà"
    page = requests.get(post["link"], timeout=30).text
    assert "alert(" not in page and "Tin giá &lt; 10 nghìn &amp; quà" in page
    assert "Nguồn: Hội Nông dân &amp; Phụ nữ &lt; 5 xã</p>" in raw  # a source's name is text, not markup


def test_a_hand_written_post_with_the_same_slug_is_left_alone(wordpress: WordPressSite) -> None:
    site = wordpress
    mine = requests.post(site.url, params={"rest_route": "/wp/v2/posts"}, auth=(site.user, site.password), timeout=30,
                         json={"title": "Bài của ban biên tập", "content": "<p>Viết tay.</p>", "status": "publish",
                               "slug": "bai-thu-301"}).json()
    result = _publisher(site).publish(Edition(INFO, [_story(301, "Tin của bantin", "Nội dung của bantin.")],
                                              MOVEMENTS, COMMUNES), {})
    assert not result.failed and int(result.placed[0].remote_id) != mine["id"]
    kept = site.get(f"/wp/v2/posts/{mine['id']}", context="edit").json()
    assert kept["title"]["raw"] == "Bài của ban biên tập" and kept["content"]["raw"] == "<p>Viết tay.</p>"


def test_a_refused_post_is_reported_and_the_others_go_on(wordpress: WordPressSite, author: tuple[str, str]) -> None:
    """bantin's account made an Author: it may not edit a post another user made, so that story fails with
    WordPress's reason while a new story is still published."""
    site = wordpress
    # The site's categories are set up by its administrator (an Author may use them but not make them).
    assert not _publisher(site).publish(Edition(INFO, [_story(400, "Tin đầu", "Chuyên mục có sẵn.")], MOVEMENTS,
                                                COMMUNES), {}).failed
    theirs = requests.post(site.url, params={"rest_route": "/wp/v2/posts"}, auth=(site.user, site.password),
                           timeout=30, json={"title": "Bài của quản trị", "status": "publish",
                                             "content": MARKER.format(id=401) + "<p>Cũ.</p>"}).json()
    standing = {401: Publication(401, "wordpress", str(theirs["id"]), theirs["link"], "cu")}
    stories = [_story(401, "Tin sửa lại", "Nội dung mới của tin này."), _story(402, "Tin mới hẳn", "Một tin khác hẳn.")]
    result = _publisher(site, user=author[0], password=author[1]).publish(
        Edition(INFO, stories, MOVEMENTS, COMMUNES), standing)
    assert list(result.failed) == [401], result.failed
    assert "rest_cannot_edit" in result.failed[401]
    assert "WordPress từ chối (HTTP 403" in result.failed[401]
    assert [p.story_id for p in result.placed] == [402]
    assert site.get(f"/wp/v2/posts/{theirs['id']}", context="edit").json()["title"]["raw"] == "Bài của quản trị"


def test_wrong_credentials_are_named_with_a_hint_and_nothing_is_sent(wordpress: WordPressSite) -> None:
    site = wordpress
    writes = _post_writes(site)
    edition = Edition(INFO, [_story(501, "Tin không được gửi", "Không có.")], MOVEMENTS, COMMUNES)
    for publisher in (_publisher(site, password="abcd efgh ijkl mnop qrst uvwx"),
                      _publisher(site, password=site.admin_password),  # the login password is not accepted
                      _publisher(site, user="khong-co-ai")):
        with pytest.raises(OperationalError) as caught:
            publisher.publish(edition, {})
        assert "WordPress không nhận tài khoản" in caught.value.message
        assert PASSWORD_ENV in caught.value.hint and "Mật khẩu ứng dụng" in caught.value.hint
        assert site.password not in caught.value.describe()
    assert _post_writes(site) == writes
    assert not _posts(site, slug="bai-thu-501")


def test_wordpress_down_is_transient_after_retries() -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on: the site is down
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    waits: list[float] = []
    client = WordPressClient(f"http://127.0.0.1:{port}/", "bantin", "abcd efgh", sleep=waits.append,
                             max_attempts=3, timeout=5)
    with pytest.raises(TransientError) as caught:
        WordPressPublisher(client).publish(Edition(INFO, [_story(601, "Tin", "Nội dung.")], MOVEMENTS, COMMUNES), {})
    assert caught.value.transient and "Trang WordPress không kết nối được" in caught.value.message
    assert client.requests_sent == 3 and len(waits) == 2  # retried by flows/http.py's rule, then given up
    assert "abcd" not in caught.value.describe()


def test_a_site_gone_mid_run_leaves_the_rest_for_the_next_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """The account check passed, then the site went away: two stories are tried (each under the retry rule), the
    others are marked to wait rather than each waiting out its own retries."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = WordPressClient(f"http://127.0.0.1:{port}/", "bantin", "abcd efgh", sleep=lambda s: None)
    publisher = WordPressPublisher(client)
    monkeypatch.setattr(publisher, "_check_account", lambda: None)  # it answered a moment ago
    stories = [_story(sid, f"Tin số {sid}", f"Nội dung tin số {sid}.") for sid in (701, 702, 703, 704)]
    retracted = {705: Publication(705, "wordpress", "99", "", "cu")}
    result = publisher.publish(Edition(INFO, stories, MOVEMENTS, COMMUNES), retracted)
    assert not result.placed and not result.withdrawn and sorted(result.failed) == [701, 702, 703, 704, 705]
    assert result.failed[701].startswith("Chưa đăng được: ") and "không kết nối được" in result.failed[701]
    assert "không kết nối được" in result.failed[702]
    assert all(result.failed[sid].startswith("Chưa gửi") for sid in (703, 704, 705))
    assert client.requests_sent == 2 * 3  # two stories' lookups, three tries each; none for the last two


def test_settings_choose_wordpress_and_keep_the_password_out_of_content(content_dir: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from flows.settings import load_settings

    toml = content_dir / "bantin.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace('[store]', '[portal.wordpress]\nurl = "https://vonhai.example.gov.vn/"\n'
                                 'user = "bantin"\n\n[store]').replace('output = "../portal_out"',
                                                                        'output = "../portal_out"\npublisher = "wordpress"'),
                    encoding="utf-8")
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    settings = load_settings(content_dir)
    with pytest.raises(UserError) as caught:  # no password yet: named, with where to put it
        make_publisher(settings.portal.publisher, settings.portal.output, "", settings.portal.wordpress)
    assert caught.value.where == PASSWORD_ENV
    monkeypatch.setenv(PASSWORD_ENV, "abcd efgh ijkl mnop qrst uvwx")
    settings = load_settings(content_dir)
    publisher = make_publisher(settings.portal.publisher, settings.portal.output, "", settings.portal.wordpress)
    assert isinstance(publisher, WordPressPublisher) and publisher.client.url == "https://vonhai.example.gov.vn/"
    assert "abcd" not in repr(settings)  # a secret, not printed
    toml.write_text(toml.read_text(encoding="utf-8").replace('user = "bantin"', 'user = "bantin"\npassword = "lo"'),
                    encoding="utf-8")
    with pytest.raises(UserError) as refused:
        load_settings(content_dir)
    assert "không ghi mật khẩu WordPress" in refused.value.message and "dòng" in refused.value.where


def test_the_pipeline_publishes_to_wordpress_and_notes_what_failed(wordpress: WordPressSite, author: tuple[str, str],
                                                                   content_dir: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Through the newsroom library: the store records each post; a retracted story is unpublished."""
    toml = content_dir / "bantin.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        '[store]', f'[portal.wordpress]\nurl = "{wordpress.url}"\nuser = "{wordpress.user}"\n\n[store]').replace(
        'output = "../portal_out"', 'output = "../portal_out"\npublisher = "wordpress"'), encoding="utf-8")
    monkeypatch.setenv(PASSWORD_ENV, wordpress.password)
    newsroom, store = runtime.open_newsroom(str(content_dir))
    source = newsroom.source("phong-vhtt")
    texts = {"a": ("Xã La Hiên mở lớp dạy nghề đan lát cho phụ nữ",
                   "Ba mươi chị em học đan giỏ tre, sản phẩm bán cho hợp tác xã của xã."),
             "b": ("Trường tiểu học Bình Long khánh thành thư viện xanh",
                   "Học sinh đọc sách dưới tán cây, thư viện do phụ huynh góp công dựng.")}
    ids = {}
    for ext, (title, body) in texts.items():
        ids[ext] = store.add_submission(SubmittedStory(
            "phong-vhtt", ext, title, f"<p>{body}</p>", published_at=datetime(2023, 12, 4, 8) + timedelta(hours=1)),
            source)
    pipeline.normalise(newsroom, store)
    first = pipeline.publish(newsroom, store)
    assert sorted(first.newly_published) == sorted(ids.values()) and not first.failed
    recorded = store.publications("wordpress")
    for sid in ids.values():
        post = wordpress.get(f"/wp/v2/posts/{recorded[sid].remote_id}", auth=False).json()
        assert post["status"] == "publish" and post["link"] == recorded[sid].url
    (result,) = pipeline.retract(store, [ids["b"]], "anh Tuấn", "Chờ nhà trường xác nhận")
    assert result.ok
    second = pipeline.publish(newsroom, store)
    assert second.withdrawn == [ids["b"]]
    gone = recorded[ids["b"]].remote_id
    assert wordpress.get(f"/wp/v2/posts/{gone}", context="edit").json()["status"] == "draft"
    assert "Gỡ khỏi cổng thông tin (wordpress)" in store.story(ids["b"]).events[-1].message
    # bantin's account is switched to an Author, who may not edit the administrator's posts: the edited story
    # fails with WordPress's reason in its history and keeps its record; the run itself goes on.
    toml.write_text(toml.read_text(encoding="utf-8").replace(f'user = "{wordpress.user}"', f'user = "{author[0]}"'),
                    encoding="utf-8")
    monkeypatch.setenv(PASSWORD_ENV, author[1])
    runtime.forget()
    newsroom, store = runtime.open_newsroom(str(content_dir))
    pipeline.edit_story(newsroom, store, ids["a"], "chị Lan", title="Xã La Hiên mở hai lớp dạy nghề đan lát")
    third = pipeline.publish(newsroom, store)
    assert list(third.failed) == [ids["a"]] and "rest_cannot_edit" in third.failed[ids["a"]]
    note = store.story(ids["a"]).events[-1].message
    assert note.startswith("Cổng thông tin (wordpress): Chưa đăng được: ") and "HTTP 403" in note
    assert store.publications("wordpress")[ids["a"]] == recorded[ids["a"]]  # the old record stands
    post = wordpress.get(f"/wp/v2/posts/{recorded[ids['a']].remote_id}", auth=False).json()
    assert post["title"]["rendered"] == texts["a"][0]  # WordPress still shows the last version it took
    # A password revoked in WordPress: the publish stops with the account named, nothing recorded as gone.
    monkeypatch.setenv(PASSWORD_ENV, "abcd efgh ijkl mnop qrst uvwx")
    runtime.forget()
    newsroom, store = runtime.open_newsroom(str(content_dir))
    with pytest.raises(OperationalError):
        pipeline.publish(newsroom, store)
    assert set(store.publications("wordpress")) == {ids["a"]}
