"""`bantin serve`: one ASGI app over audio_out and the store, a router per audience.

Routers: log in and out (auth), the stations' pages and downloads (stations), the addresses that carry a
station's key for machines (feeds), the JSON API (api), the newsroom's reports (reports), the report for the
Home Affairs office (yearend), accounts (admin), the editors' desk (desk, runs, today, lexicon), and
contributors' submissions (submissions: the phone form and the API, by the unit's key).
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.types import Message, Receive, Scope, Send

from flows import runtime
from flows.errors import BantinError
from flows.web import (admin, api, auth, desk, errors, feeds, lexicon, reports, runs, stations, submissions,
                       today, yearend)
from flows.web.pages import STATIC
from flows.web.service import Service

SECURITY_HEADERS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY")]


FILE_ADDRESS = re.compile(r"/k/(?P<station_id>[^/]+)/(?P<secret>[^/]+)/"
                          r"(?:moi-nhat/(?P<latest>[^/]+)|(?P<day>[^/]+)/(?P<slot_id>[^/]+))\.mp3")


class Doors:
    """The outermost layer: security headers on every response, and the station-key file addresses answered
    at once. Playout software and loudspeaker controllers fetch these all day, and FastAPI's routing, middleware
    and parameter checks were a sixth of the server's time per Range answer (measured with bench/serve.py's
    setup). Their errors go through the same renderer as every other (flows.web.errors)."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        found = FILE_ADDRESS.fullmatch(scope["path"]) if scope["method"] in ("GET", "HEAD") else None
        if found is None:
            await self.app(scope, receive, send_with_headers)
            return
        scope["app"] = self.app
        request = Request(scope, receive)
        try:
            response = await feeds.file_address(request, **found.groupdict())
        except BantinError as exc:
            response = errors.bantin_response(request, exc)
        await response(scope, receive, send_with_headers)


def create_app(content: str | None = None) -> FastAPI:
    """The app for a content folder (default: BANTIN_CONTENT or ./content)."""
    newsroom = runtime.newsroom(content)
    svc = Service.open(newsroom, runtime.store(content))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        svc.recorder.start()
        try:
            yield
        finally:
            svc.recorder.stop()

    app = FastAPI(title=f"bantin – {newsroom.settings.district.name}: bản tin các đài truyền thanh",
                  description="Danh sách bản tin của từng đài kèm tệp mô tả. Lỗi trả về theo RFC 9457 "
                              "(application/problem+json).",
                  version="1", openapi_url="/api/openapi.json", docs_url=None, redoc_url=None, lifespan=lifespan)
    app.state.service = svc
    errors.install(app)
    api.describe_problems(app)
    for router in (auth.router, stations.router, feeds.router, api.router, api.problems, reports.router,
                   admin.router, yearend.router, runs.router, today.router, lexicon.router, desk.router,
                   submissions.router, submissions.api):
        app.include_router(router)
    app.mount("/tinh", StaticFiles(directory=STATIC), name="static")
    return app


def create_asgi(content: str | None = None) -> Doors:
    """What the server runs: the app behind its doors."""
    return Doors(create_app(content))


def from_environment() -> Doors:
    """uvicorn's factory (`bantin serve` and its workers): the content folder comes from BANTIN_CONTENT."""
    return create_asgi(os.environ.get("BANTIN_CONTENT"))
