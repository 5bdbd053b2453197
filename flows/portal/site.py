"""Render the static portal: every page as bytes, built from the whole context before anything is written.

Safety rules, each enforced here rather than trusted from upstream:
- every URL written into a page or a feed passes the scheme allow-list (http, https, mailto, or our own relative
  links); a story's body is sanitised again at render (the same cleaner as normalise, so it is idempotent);
- text is escaped for where it goes: Jinja autoescapes HTML and attributes, lxml escapes XML, and an RSS
  description, which readers treat as HTML, gets the summary escaped once more so it shows as text;
- every path segment (a slug, a commune or movement id) is checked: `../../x` or `a b` becomes a safe name,
  and the writer refuses any path that leaves the site folder;
- feeds and the sitemap use absolute links, so they are written only when portal.base_url is an absolute address.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape as xml_escape
from zoneinfo import ZoneInfo

from feedgen.feed import FeedGenerator
from jinja2 import Environment, PackageLoader, select_autoescape

from flows.editing.clean import clean_html, clean_title
from flows.editing.identity import slugify
from flows.editing.links import WEB_SCHEMES, safe_url, scheme_of
from flows.models import Commune, Movement
from flows.portal.bulletins import HEADING as BULLETINS_HEADING, PAGE as BULLETINS_PAGE, StationBulletins

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
_env = Environment(loader=PackageLoader("flows.portal", "templates"), autoescape=select_autoescape(["html"]),
                   keep_trailing_newline=True)
_SEGMENT = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,118}[a-z0-9])?$")
STATIC = ("style.css", "tim-kiem.js", "favicon.svg")
EMERGENCY_KIND = "emergency"
# Emergencies (flood warnings, storms) are not emulation news: they get their own category and the front page's top.
EMERGENCY_PATH = "thong-bao-khan"
EMERGENCY_HEADING = "Thông báo khẩn"
EMERGENCY_ON_FRONT = 3


@dataclass(frozen=True)
class SiteInfo:
    title: str
    column: str
    centre: str
    base_url: str = "/"
    district: str = ""  # "huyện Võ Nhai"
    province: str = ""  # "tỉnh Thái Nguyên"
    address: str = ""
    phone: str = ""
    email: str = ""

    @property
    def absolute_base(self) -> str:
        """The base URL when it is an absolute http(s) address (feeds and the sitemap need one), else ""."""
        base = safe_url(self.base_url.strip(), allow_relative=False)
        return base.rstrip("/") + "/" if scheme_of(base) in WEB_SCHEMES else ""

    @property
    def authority(self) -> str:
        """The line above the portal's name: whose portal it is."""
        who = f"Ủy ban nhân dân {self.district}" if self.district else ""
        return " – ".join(p for p in (who, self.province) if p)


@dataclass(frozen=True)
class Credit:
    """A source a story credits (several when units sent the same story)."""

    name: str
    link: str = ""


@dataclass(frozen=True)
class Media:
    """A photo, clip or recording a unit sent with the story, shown on its article."""

    kind: str  # "photo", "video", "audio"
    source: str  # the file bantin keeps; the publisher places a copy beside the pages
    media_type: str
    caption: str = ""
    href: str = ""  # relative to the site root, set by the publisher

    @property
    def file_name(self) -> str:
        return self.source.replace("\\", "/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class PortalStory:
    """A published story as the portal shows it."""

    id: int
    slug: str
    title: str
    body_html: str
    body_text: str
    published_at: datetime
    author: str
    source: str
    link: str = ""
    movements: tuple[str, ...] = ()
    communes: tuple[str, ...] = ()  # communes it is about or addressed to
    audio_href: str = ""  # relative to the site root
    audio_source: str = ""  # the story's voiced clip, which the publisher places beside its pages
    credits: tuple[Credit, ...] = ()  # every source that sent it; empty: the story's own source
    villages: tuple[str, ...] = ()  # "Kim Sơn (xã Thần Sa)"
    kind: str = "news"  # "emergency": a notice from the centre, filed under "Thông báo khẩn", not the column
    media: tuple[Media, ...] = ()

    @property
    def is_emergency(self) -> bool:
        return self.kind == EMERGENCY_KIND

    @property
    def date_vi(self) -> str:
        return f"ngày {self.published_at.day} tháng {self.published_at.month} năm {self.published_at.year}"

    @property
    def date_iso(self) -> str:
        return self.published_at.replace(microsecond=0).isoformat()

    @property
    def summary(self) -> str:
        first = self.body_text.split("\n", 1)[0]
        return first if len(first) <= 240 else first[:237].rsplit(" ", 1)[0] + "…"


def segment(value: str) -> str:
    """A safe path segment for an id or slug: kept when already one, else made one (never '..' or '/')."""
    if _SEGMENT.match(value or ""):
        return value
    slug = slugify(value or "")
    return f"{slug[:60]}-{hashlib.sha256((value or '').encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"


def _commune_label(c: Commune) -> str:
    return f"{c.kind} {c.name}"


def _capital(text: str) -> str:
    """First letter up, the rest as written: "xã Thần Sa" -> "Xã Thần Sa" (str.capitalize would give "Xã thần sa")."""
    return text[:1].upper() + text[1:]


def _newest_first(stories: Sequence[PortalStory]) -> list[PortalStory]:
    return sorted(stories, key=lambda s: (s.published_at, s.id), reverse=True)


def prepare_story(story: PortalStory) -> PortalStory:
    """The story as it may be shown: safe path, clean title, sanitised body, allowed links only."""
    credits = story.credits or (Credit(story.source, story.link),)
    return replace(
        story,
        slug=segment(story.slug or str(story.id)),
        title=clean_title(story.title) or "(không có tiêu đề)",
        body_html=clean_html(story.body_html) if story.body_html.strip() else "",
        link=safe_url(story.link, allow_relative=False),
        audio_href=_own_path(story.audio_href),
        credits=tuple(Credit(clean_title(c.name), safe_url(c.link, allow_relative=False)) for c in credits),
        movements=tuple(m for m in story.movements if m),
        communes=tuple(c for c in story.communes if c),
        media=tuple(replace(m, href=_own_path(m.href), caption=clean_title(m.caption)) for m in story.media
                    if m.kind in ("photo", "video", "audio") and _own_path(m.href)),
    )


def _own_path(href: str) -> str:
    """A path inside the site (audio/x.mp3): relative, no scheme, no '..'."""
    if not href or scheme_of(href) is not None or href.startswith(("/", "\\")) or ".." in href.split("/"):
        return ""
    return "/".join(segment(p) if i < href.count("/") else _file_name(p) for i, p in enumerate(href.split("/")))


def _file_name(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return f"{segment(stem)}.{segment(ext)}" if dot and stem else segment(name)


def _station_views(stations: Sequence[StationBulletins]) -> list[dict[str, object]]:
    """The stations as the pages show them: a safe anchor, a clean name, only bulletins placed inside the site."""
    views: list[dict[str, object]] = []
    for st in stations:
        shown = [replace(b, href=_own_path(b.href), titles=tuple(clean_title(t) for t in b.titles))
                 for b in st.bulletins]
        views.append({"id": st.id, "anchor": segment(st.id), "name": clean_title(st.name) or st.id,
                      "commune": segment(st.commune) if st.commune else None, "bulletins": [b for b in shown if b.href]})
    return views


def render_site(info: SiteInfo, stories: Sequence[PortalStory], movements: Sequence[Movement],
                communes: Sequence[Commune], bulletins: Sequence[StationBulletins] = ()) -> dict[str, bytes]:
    """Every file of the site, keyed by its path relative to the site root (without the MP3s, which the
    publisher places: each story's clip and each station's latest bulletins)."""
    stories = _newest_first([prepare_story(s) for s in stories])
    movements = [replace(m, id=segment(m.id)) for m in movements]
    communes = [replace(c, id=segment(c.id)) for c in communes]
    movement_by_id = {m.id: m for m in movements}
    commune_by_id = {c.id: c for c in communes}
    base = info.absolute_base
    pages: dict[str, bytes] = {}

    def page(path: str, template: str, **ctx: object) -> None:
        depth = path.count("/")
        html = _env.get_template(template).render(site=info, root="../" * depth, feeds=bool(base), **ctx)
        pages[path] = html.encode("utf-8")

    by_movement = {m.id: [s for s in stories if m.id in s.movements] for m in movements}
    by_commune = {c.id: [s for s in stories if c.id in s.communes] for c in communes}
    commune_entries = [{"id": c.id, "name": _capital(_commune_label(c)), "count": len(by_commune[c.id])}
                       for c in communes]
    movement_entries = [{"id": m.id, "name": m.name, "count": len(by_movement[m.id])} for m in movements]
    notices = [s for s in stories if s.is_emergency]
    column = [s for s in stories if not s.is_emergency]
    page("index.html", "index.html", stories=column[:10], notices=notices[:EMERGENCY_ON_FRONT],
         movements=movement_entries, communes=commune_entries)
    page("thi-dua-yeu-nuoc/index.html", "listing.html", heading=info.column, stories=column,
         intro="Tin về các phong trào thi đua, mô hình tiêu biểu, gương điển hình tiên tiến và cách làm hay.")
    page(f"{EMERGENCY_PATH}/index.html", "listing.html", heading=EMERGENCY_HEADING, stories=notices,
         intro=f"Thông báo khẩn của {info.centre}: thiên tai, dịch bệnh và các việc cần báo ngay tới người dân.")
    page("phong-trao/index.html", "directory.html", heading="Phong trào thi đua",
         entries=[{"href": f"phong-trao/{m['id']}/index.html", "name": m["name"], "count": m["count"]}
                  for m in movement_entries])
    for m in movements:
        page(f"phong-trao/{m.id}/index.html", "listing.html", heading=m.name, stories=by_movement[m.id],
             intro=m.description)
    stations = _station_views(bulletins)
    page(BULLETINS_PAGE, "bulletins.html", heading=BULLETINS_HEADING, stations=stations)
    page("xa/index.html", "directory.html", heading="Xã, thị trấn",
         entries=[{"href": f"xa/{c['id']}/index.html", "name": c["name"], "count": c["count"]}
                  for c in commune_entries])
    for c in communes:
        label = _capital(_commune_label(c))
        embed = f"{base}xa/{c.id}/nhung.html" if base else f"xa/{c.id}/nhung.html"
        page(f"xa/{c.id}/index.html", "commune.html", heading=f"Tin {_commune_label(c)}", label=label,
             commune=c, stories=by_commune[c.id], embed_url=embed,
             stations=[st for st in stations if st["commune"] == c.id])
        page(f"xa/{c.id}/nhung.html", "embed.html", label=label, commune=c, stories=by_commune[c.id][:10],
             page_url=f"{base}xa/{c.id}/index.html" if base else "index.html")
        if base:
            pages[f"xa/{c.id}/rss.xml"] = render_rss(info, by_commune[c.id][:50], title=f"Tin {_commune_label(c)}",
                                                      path=f"xa/{c.id}/")
    for s in stories:
        view = {
            "title": s.title, "body_html": s.body_html, "date_vi": s.date_vi, "date_iso": s.date_iso,
            "author": s.author, "link": s.link, "audio_href": s.audio_href, "credits": s.credits,
            "villages": s.villages, "media": s.media,
            "category": ({"href": f"{EMERGENCY_PATH}/index.html", "name": EMERGENCY_HEADING} if s.is_emergency
                         else {"href": "thi-dua-yeu-nuoc/index.html", "name": info.column}),
            "movements": [movement_by_id[m] for m in s.movements if m in movement_by_id],
            "communes": [{"id": c, "label": _commune_label(commune_by_id[c])} for c in s.communes
                         if c in commune_by_id],
        }
        page(f"bai/{s.slug}/index.html", "article.html", story=view, summary=s.summary)
    page("tim-kiem/index.html", "search.html")
    pages["tim-kiem/chi-muc.json"] = search_index(stories)
    page("lien-he/index.html", "contact.html")
    if base:
        pages["rss.xml"] = render_rss(info, stories[:50])
        pages["atom.xml"] = render_atom(info, stories[:50])
        pages["sitemap.xml"] = render_sitemap(base, [p for p in pages if p.endswith(".html")
                                                     and not p.endswith("nhung.html")], stories)
    for name in STATIC:
        pages[f"static/{name}"] = (Path(__file__).parent / "templates" / name).read_bytes()
    return pages


def search_index(stories: Sequence[PortalStory]) -> bytes:
    """What the search page searches: title, summary, date and the article's own path. Read by the page's script
    as data (JSON.parse, textContent), never as markup."""
    rows = [{"t": s.title, "s": s.summary, "d": s.date_vi, "u": f"bai/{s.slug}/index.html"} for s in stories]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _feed_title(info: SiteInfo, title: str | None) -> str:
    return f"{title or info.column} – {info.title}"


def render_rss(info: SiteInfo, stories: Sequence[PortalStory], title: str | None = None, path: str = "") -> bytes:
    """RSS 2.0 with absolute links. Titles are plain text; a description is read as HTML by feed readers, so the
    summary is escaped once more and shows as the text it is."""
    base = info.absolute_base
    fg = FeedGenerator()
    fg.title(_feed_title(info, title))
    fg.link(href=f"{base}{path}index.html" if path else base, rel="alternate")
    fg.link(href=f"{base}{path}rss.xml", rel="self")
    fg.description(f"Chuyên mục {info.column}: {info.centre}")
    fg.language("vi")
    # The build date is the newest story's, not the clock's, so an unchanged site renders the same bytes.
    newest = stories[0].published_at if stories else datetime(2000, 1, 1)
    fg.lastBuildDate(newest.replace(tzinfo=LOCAL_TZ))
    for s in reversed(stories):  # feedgen prepends entries
        url = f"{base}bai/{s.slug}/index.html"
        fe = fg.add_entry()
        fe.id(url)
        fe.guid(url, permalink=True)
        fe.title(s.title)
        fe.link(href=url)
        fe.description(xml_escape(s.summary))
        fe.pubDate(s.published_at.replace(tzinfo=LOCAL_TZ))
    return fg.rss_str(pretty=True)


def render_atom(info: SiteInfo, stories: Sequence[PortalStory]) -> bytes:
    """Atom 1.0: title and summary typed as text, so no reader takes them for markup."""
    base = info.absolute_base
    fg = FeedGenerator()
    fg.id(base)
    fg.title(_feed_title(info, None))
    fg.link(href=base, rel="alternate")
    fg.link(href=f"{base}atom.xml", rel="self")
    fg.author({"name": info.centre})
    fg.language("vi")
    newest = stories[0].published_at if stories else datetime(2000, 1, 1)
    fg.updated(newest.replace(tzinfo=LOCAL_TZ))
    for s in reversed(stories):
        url = f"{base}bai/{s.slug}/index.html"
        fe = fg.add_entry()
        fe.id(url)
        fe.title(s.title)
        fe.link(href=url)
        fe.summary(s.summary)
        fe.updated(s.published_at.replace(tzinfo=LOCAL_TZ))
        fe.published(s.published_at.replace(tzinfo=LOCAL_TZ))
    return fg.atom_str(pretty=True)


def render_sitemap(base: str, paths: Sequence[str], stories: Sequence[PortalStory]) -> bytes:
    dates = {f"bai/{s.slug}/index.html": s.published_at.date().isoformat() for s in stories}
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path in sorted(paths):
        loc = xml_escape(base + quote(path, safe="/-._~"))
        when = f"<lastmod>{dates[path]}</lastmod>" if path in dates else ""
        lines.append(f"  <url><loc>{loc}</loc>{when}</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


@dataclass
class SiteContext:
    info: SiteInfo
    stories: Sequence[PortalStory]
    movements: Sequence[Movement]
    communes: Sequence[Commune]
    pages: dict[str, bytes] = field(default_factory=dict)
