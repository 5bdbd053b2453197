"""Publishers: the static site (default) and CMS adapters, behind one small interface."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from flows.models import Commune, Movement
from flows.portal.site import PortalStory, SiteInfo, render_site
from flows.portal.writer import WriteReport, atomic_write, write_site

__all__ = ["Publisher", "StaticSitePublisher", "PortalStory", "SiteInfo", "WriteReport", "atomic_write"]


class Publisher(Protocol):
    name: str

    def publish(self, info: SiteInfo, stories: list[PortalStory], movements: list[Movement],
                communes: list[Commune]) -> WriteReport: ...


class StaticSitePublisher:
    """A folder of HTML pages and an RSS feed that any web server can serve."""

    name = "static"

    def __init__(self, out: Path) -> None:
        self.out = out

    def publish(self, info: SiteInfo, stories: list[PortalStory], movements: list[Movement],
                communes: list[Commune]) -> WriteReport:
        return write_site(render_site(info, stories, movements, communes), self.out)
