"""Publish the portal's edition to a WordPress site (portal.publisher = "wordpress"), idempotently.

Each story is one post. What was sent is summed up in a content hash kept in the store's publication record
beside the post's id, so:
- a story that stands unchanged is not sent again (a publish with nothing new makes no write at all);
- a changed story updates its own post (same id, same address);
- a story no longer in the edition (retracted, or taken off the web) has its post set back to *draft*. Draft
  rather than trash: the post leaves the public site, its feeds, search and the public REST API at once, but
  keeps its id and slug, so a restored story comes back at the same address; trash renames the slug
  (`...__trashed`) and WordPress empties it after 30 days, so a restore would make a second post.
A post carries a marker comment with the story's id. When the store has no record of a story at this site
(a first publish, a restored story, or a run that stopped between WordPress and the store), the publisher
looks the post up by slug and adopts it only when it carries that marker, so a post is never duplicated and
a post the newsroom wrote by hand with the same slug is never overwritten.

The body goes through the static site's sanitiser (prepare_story). The account bantin uses is usually an
Editor or Administrator, whose posts WordPress does not filter (unfiltered_html): that sanitiser is the only
guard, and titles, excerpts and credits are escaped here because WordPress treats them as HTML.

Categories: the column ("Thi đua yêu nước"), "Thông báo khẩn" for emergencies, and each movement as a child
of the column; communes are tags. All are found by slug and created when missing.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass
from datetime import timezone
from typing import TYPE_CHECKING, Any

from flows.editing.identity import slugify
from flows.errors import TransientError, UserError
from flows.models import Commune, Movement
from flows.portal.site import (
    EMERGENCY_HEADING,
    EMERGENCY_PATH,
    LOCAL_TZ,
    PortalStory,
    SiteInfo,
    prepare_story,
    segment,
)
from flows.portal.wpclient import PASSWORD_ENV, WordPressClient, WordPressRefused
from flows.store import Publication

if TYPE_CHECKING:
    from flows.portal import Edition, PublishResult

# Bump when the post's shape changes, so every post is sent again once.
POST_FORMAT = 1
MARKER = "<!-- bantin:story={id} -->"
# After this many stories in a row fail because the site does not answer, the rest wait for the next run.
GIVE_UP_AFTER = 2
WAITING = "Chưa gửi: trang WordPress không trả lời, lần đăng sau sẽ gửi lại."


@dataclass(frozen=True)
class Term:
    taxonomy: str  # "categories" or "tags"
    slug: str
    name: str
    parent: str = ""  # the parent category's slug
    parent_name: str = ""


@dataclass(frozen=True)
class Post:
    """A story as a WordPress post, with terms by slug (their ids are the site's business, not the hash's)."""

    story_id: int
    slug: str
    title: str  # HTML: escaped text
    content: str
    excerpt: str
    date_gmt: str
    terms: tuple[Term, ...]

    @property
    def digest(self) -> str:
        shape = {"format": POST_FORMAT, "slug": self.slug, "title": self.title, "content": self.content,
                 "excerpt": self.excerpt, "date_gmt": self.date_gmt,
                 "terms": [[t.taxonomy, t.slug, t.name, t.parent, t.parent_name] for t in self.terms]}
        return hashlib.sha256(json.dumps(shape, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def column_term(info: SiteInfo) -> Term:
    return Term("categories", segment(slugify(info.column) or "thi-dua-yeu-nuoc"), info.column)


def story_post(story: PortalStory, info: SiteInfo, movements: dict[str, Movement],
               communes: dict[str, Commune]) -> Post:
    """The post for a story, built from the same cleaned story the static site shows."""
    s = prepare_story(story)
    column = column_term(info)
    terms: list[Term] = [Term("categories", EMERGENCY_PATH, EMERGENCY_HEADING) if s.is_emergency else column]
    for mid in s.movements:
        if mid in movements:
            terms.append(Term("categories", segment(mid), movements[mid].name, column.slug, column.name))
    for cid in s.communes:
        if cid in communes:
            c = communes[cid]
            label = f"{c.kind} {c.name}"
            terms.append(Term("tags", segment(cid), label[:1].upper() + label[1:]))
    published = s.published_at if s.published_at.tzinfo else s.published_at.replace(tzinfo=LOCAL_TZ)
    return Post(story_id=s.id, slug=s.slug, title=html.escape(s.title, quote=False),
                content=_content(s), excerpt=html.escape(s.summary, quote=False),
                date_gmt=published.astimezone(timezone.utc).replace(tzinfo=None, microsecond=0).isoformat(),
                terms=tuple(terms))


def _content(s: PortalStory) -> str:
    if s.body_html:
        body = s.body_html
    else:
        body = "".join(f"<p>{html.escape(p.strip(), quote=False)}</p>" for p in s.body_text.split("\n") if p.strip())
    credits = ", ".join(
        f'<a href="{html.escape(c.link)}">{html.escape(c.name, quote=False)}</a>' if c.link
        else html.escape(c.name, quote=False) for c in s.credits if c.name)
    byline = f"<p>{html.escape(s.author, quote=False)}</p>" if s.author else ""
    source = f'<p class="bantin-nguon">Nguồn: {credits}</p>' if credits else ""
    # WordPress turns line breaks in a post into <br> (wpautop): the sanitised HTML is joined on one line.
    flat = re.sub(r">\s*\n\s*<", "><", body).replace("\r", "").replace("\n", " ")
    return MARKER.format(id=s.id) + flat + byline + source


class WordPressPublisher:
    """The portal as posts of a WordPress site (see the module's docstring for what "idempotent" means here)."""

    name = "wordpress"

    def __init__(self, client: WordPressClient) -> None:
        self.client = client
        self._terms: dict[tuple[str, str], int] = {}

    @classmethod
    def from_settings(cls, settings: Any) -> "WordPressPublisher":
        """From portal.wordpress (url, user, timeout_seconds; the password from the environment)."""
        missing = [key for key, value in (("url", settings.url), ("user", settings.user)) if not value.strip()]
        if missing:
            raise UserError(f"Chưa khai báo {', '.join('portal.wordpress.' + m for m in missing)}.",
                            where="bantin.toml: [portal.wordpress]",
                            hint="Ghi địa chỉ trang WordPress (url) và tên đăng nhập (user) vào [portal.wordpress].")
        password = settings.password.get_secret_value()
        if not password:
            raise UserError("Chưa có mật khẩu ứng dụng WordPress.", where=PASSWORD_ENV,
                            hint=f"Tạo mật khẩu ứng dụng trong WordPress (Thành viên > Hồ sơ) và đặt vào biến môi "
                                 f"trường {PASSWORD_ENV}.")
        url = settings.url.strip()
        if not re.match(r"^https?://[^/\s]+", url):
            raise UserError(f"Địa chỉ WordPress '{url}' không phải địa chỉ http(s).", where="portal.wordpress.url",
                            hint="Ví dụ: https://vonhai.thainguyen.gov.vn/")
        return cls(WordPressClient(url, settings.user.strip(), password.replace(" ", ""),
                                   timeout=settings.timeout_seconds))

    def publish(self, edition: Edition, standing: dict[int, Publication]) -> PublishResult:
        from flows.portal import PublishResult

        self._check_account()
        movements = {m.id: m for m in edition.movements}
        communes = {c.id: c for c in edition.communes}
        result = PublishResult(where=self.client.url)
        unreachable = 0
        for story in edition.stories:
            post = story_post(story, edition.info, movements, communes)
            old = standing.get(story.id)
            if old is not None and old.remote_id and old.content_hash == post.digest:
                result.placed.append(old)
                result.pages_unchanged += 1
                continue
            if unreachable >= GIVE_UP_AFTER:
                result.failed[story.id] = WAITING
                continue
            try:
                result.placed.append(self._place(post, old))
                result.pages_written += 1
                unreachable = 0
            except TransientError as exc:
                unreachable += 1
                result.failed[story.id] = f"Chưa đăng được: {exc.describe()}"
            except WordPressRefused as exc:
                unreachable = 0
                result.failed[story.id] = f"Chưa đăng được: {exc.describe()}"
        shown = {s.id for s in edition.stories}
        for story_id, pub in standing.items():
            if story_id in shown:
                continue
            if unreachable >= GIVE_UP_AFTER:
                result.failed[story_id] = WAITING
                continue
            try:
                self._withdraw(pub)
                unreachable = 0
            except TransientError as exc:
                unreachable += 1
                result.failed[story_id] = f"Chưa gỡ được: {exc.describe()}"
                continue
            except WordPressRefused as exc:
                result.failed[story_id] = f"Chưa gỡ được: {exc.describe()}"
                continue
            result.withdrawn.append(story_id)
            result.pages_removed += 1
        return result

    def _check_account(self) -> None:
        """One request before any write: is the site there, does it take our password, may we publish?"""
        from flows.errors import OperationalError
        from flows.portal.wpclient import ACCOUNT_HINT

        try:
            me = self.client.call("GET", "/wp/v2/users/me", params={"context": "edit"})
        except WordPressRefused as exc:
            if exc.status == 404:
                raise OperationalError("Không thấy REST API của WordPress ở địa chỉ này.", where=self.client.where,
                                       hint="Kiểm tra portal.wordpress.url là địa chỉ gốc của trang WordPress và "
                                            "REST API không bị một phần mở rộng chặn.") from None
            raise OperationalError(f"WordPress không nhận tài khoản '{self.client.user}': {exc.message}",
                                   where=self.client.where, hint=ACCOUNT_HINT) from None
        capabilities = me.get("capabilities", {}) if isinstance(me, dict) else {}
        if not (isinstance(capabilities, dict) and capabilities.get("publish_posts")):
            raise OperationalError(f"Tài khoản WordPress '{self.client.user}' không được đăng bài.",
                                   where=self.client.where,
                                   hint="Cho tài khoản này vai trò Biên tập viên (Editor) hoặc Tác giả (Author) "
                                        "trong WordPress.")

    def _place(self, post: Post, old: Publication | None) -> Publication:
        body = {"title": post.title, "content": post.content, "excerpt": post.excerpt, "slug": post.slug,
                "status": "publish", "date_gmt": post.date_gmt,
                "categories": [self._term(t) for t in post.terms if t.taxonomy == "categories"],
                "tags": [self._term(t) for t in post.terms if t.taxonomy == "tags"]}
        remote = old.remote_id if old is not None and old.remote_id else self._find(post)
        data: Any = None
        if remote:
            try:
                data = self.client.call("POST", f"/wp/v2/posts/{int(remote)}", body=body)
            except WordPressRefused as exc:
                if exc.status not in (404, 410):  # deleted in WordPress by someone: made again below
                    raise
        if data is None:
            data = self._create(post, body)
        if not isinstance(data, dict) or not isinstance(data.get("id"), int):
            raise WordPressRefused("WordPress không trả lại số của bài vừa đăng.", where=self.client.where)
        return Publication(post.story_id, self.name, str(data["id"]), str(data.get("link", "")), post.digest)

    def _create(self, post: Post, body: dict[str, Any]) -> Any:
        """Make the post. A create is never repeated blindly: when the answer is lost (a timeout, a 5xx), the
        post may exist all the same, so it is looked up by its marker before trying again."""
        for attempt in range(self.client.max_attempts):
            if attempt:
                self.client.sleep(self.client._backoff(attempt))
                made = self._find(post)
                if made:
                    return self.client.call("POST", f"/wp/v2/posts/{int(made)}", body=body)
            try:
                return self.client.call("POST", "/wp/v2/posts", body=body, attempts=1)
            except TransientError:
                if attempt == self.client.max_attempts - 1:
                    raise
        raise AssertionError("unreachable")

    def _find(self, post: Post) -> str:
        """The post this story made earlier, by slug, if it carries the story's marker."""
        found = self.client.call("GET", "/wp/v2/posts", params={
            "slug": post.slug, "status": "publish,future,draft,pending,private", "context": "edit", "per_page": 20})
        marker = MARKER.format(id=post.story_id)
        for item in found if isinstance(found, list) else []:
            raw = item.get("content", {}).get("raw", "") if isinstance(item, dict) else ""
            if isinstance(raw, str) and raw.startswith(marker) and isinstance(item.get("id"), int):
                return str(item["id"])
        return ""

    def _withdraw(self, pub: Publication) -> None:
        if not pub.remote_id.isdigit():
            return  # nothing we can address: the record is all that stood
        try:
            self.client.call("POST", f"/wp/v2/posts/{pub.remote_id}", body={"status": "draft"})
        except WordPressRefused as exc:
            if exc.status not in (404, 410):  # already deleted in WordPress: it is down, which is what we want
                raise

    def _term(self, term: Term) -> int:
        """The id of a category or tag, made when the site does not have it yet (once per publish)."""
        key = (term.taxonomy, term.slug)
        if key in self._terms:
            return self._terms[key]
        found = self.client.call("GET", f"/wp/v2/{term.taxonomy}", params={"slug": term.slug})  # any role may read
        if isinstance(found, list) and found and isinstance(found[0], dict) and isinstance(found[0].get("id"), int):
            self._terms[key] = found[0]["id"]
            return self._terms[key]
        body: dict[str, Any] = {"name": term.name, "slug": term.slug}
        if term.parent:
            body["parent"] = self._term(Term("categories", term.parent, term.parent_name))
        try:
            made = self.client.call("POST", f"/wp/v2/{term.taxonomy}", body=body)
        except WordPressRefused as exc:
            # A term with this name but another slug (made by hand): use it rather than fail the story.
            existing = exc.data.get("data", {}).get("term_id") if isinstance(exc.data, dict) else None
            if exc.code == "term_exists" and isinstance(existing, int):
                self._terms[key] = existing
                return existing
            raise
        self._terms[key] = int(made["id"])
        return self._terms[key]
