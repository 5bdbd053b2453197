"""Render the static portal: every page as bytes, built from the whole context before anything is written."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from feedgen.feed import FeedGenerator
from jinja2 import Environment, PackageLoader, select_autoescape

from flows.models import Commune, Movement

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
_env = Environment(loader=PackageLoader("flows.portal", "templates"), autoescape=select_autoescape(["html"]),
                   keep_trailing_newline=True)


@dataclass(frozen=True)
class SiteInfo:
    title: str
    column: str
    centre: str
    base_url: str = "/"


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

    @property
    def date_vi(self) -> str:
        return f"ngày {self.published_at.day} tháng {self.published_at.month} năm {self.published_at.year}"

    @property
    def date_iso(self) -> str:
        return self.published_at.isoformat()

    @property
    def summary(self) -> str:
        first = self.body_text.split("\n", 1)[0]
        return first if len(first) <= 240 else first[:237].rsplit(" ", 1)[0] + "…"


@dataclass
class SiteContext:
    info: SiteInfo
    stories: Sequence[PortalStory]
    movements: Sequence[Movement]
    communes: Sequence[Commune]
    pages: dict[str, bytes] = field(default_factory=dict)


def _newest_first(stories: Sequence[PortalStory]) -> list[PortalStory]:
    return sorted(stories, key=lambda s: (s.published_at, s.id), reverse=True)


def _commune_label(c: Commune) -> str:
    return f"{c.kind} {c.name}"


def render_site(info: SiteInfo, stories: Sequence[PortalStory], movements: Sequence[Movement],
                communes: Sequence[Commune]) -> dict[str, bytes]:
    """Every file of the site, keyed by its path relative to the site root."""
    stories = _newest_first(stories)
    movement_by_id = {m.id: m for m in movements}
    commune_by_id = {c.id: c for c in communes}
    pages: dict[str, bytes] = {}

    def page(path: str, template: str, **ctx: object) -> None:
        depth = path.count("/")
        html = _env.get_template(template).render(site=info, root="../" * depth, **ctx)
        pages[path] = html.encode("utf-8")

    by_movement = {m.id: [s for s in stories if m.id in s.movements] for m in movements}
    by_commune = {c.id: [s for s in stories if c.id in s.communes] for c in communes}
    page("index.html", "index.html", stories=stories[:10],
         movements=[{"id": m.id, "name": m.name, "count": len(by_movement[m.id])} for m in movements])
    page("thi-dua-yeu-nuoc/index.html", "listing.html", heading=info.column, stories=stories,
         intro="Tin về các phong trào thi đua, mô hình tiêu biểu, gương điển hình tiên tiến và cách làm hay.")
    page("phong-trao/index.html", "directory.html", heading="Phong trào thi đua",
         entries=[{"href": f"phong-trao/{m.id}/index.html", "name": m.name, "count": len(by_movement[m.id])}
                  for m in movements])
    for m in movements:
        page(f"phong-trao/{m.id}/index.html", "listing.html", heading=m.name, stories=by_movement[m.id],
             intro=m.description)
    page("xa/index.html", "directory.html", heading="Xã, thị trấn",
         entries=[{"href": f"xa/{c.id}/index.html", "name": _commune_label(c).capitalize(),
                   "count": len(by_commune[c.id])} for c in communes])
    for c in communes:
        page(f"xa/{c.id}/index.html", "listing.html", heading=f"Tin {_commune_label(c)}", stories=by_commune[c.id])
    for s in stories:
        view = {
            "title": s.title, "body_html": s.body_html, "date_vi": s.date_vi, "date_iso": s.date_iso,
            "author": s.author, "source": s.source, "link": s.link, "audio_href": s.audio_href,
            "movements": [movement_by_id[m] for m in s.movements if m in movement_by_id],
            "communes": [{"id": c, "label": _commune_label(commune_by_id[c])} for c in s.communes
                         if c in commune_by_id],
        }
        page(f"bai/{s.slug}/index.html", "article.html", story=view)
    pages["rss.xml"] = render_rss(info, stories[:50])
    pages["static/style.css"] = (Path(__file__).parent / "templates" / "style.css").read_bytes()
    return pages


def render_rss(info: SiteInfo, stories: Sequence[PortalStory]) -> bytes:
    fg = FeedGenerator()
    base = info.base_url.rstrip("/") + "/"
    fg.title(f"{info.column} – {info.title}")
    fg.link(href=base, rel="alternate")
    fg.description(f"Chuyên mục {info.column}: {info.centre}")
    fg.language("vi")
    # The build date is the newest story's, not the clock's, so an unchanged site renders the same bytes.
    newest = stories[0].published_at if stories else datetime(2000, 1, 1)
    fg.lastBuildDate(newest.replace(tzinfo=LOCAL_TZ))
    for s in reversed(stories):  # feedgen prepends entries
        fe = fg.add_entry()
        fe.id(f"{base}bai/{s.slug}/")
        fe.guid(f"{base}bai/{s.slug}/", permalink=True)
        fe.title(s.title)
        fe.link(href=f"{base}bai/{s.slug}/")
        fe.description(s.summary)
        fe.pubDate(s.published_at.replace(tzinfo=LOCAL_TZ))
    return fg.rss_str(pretty=True)
