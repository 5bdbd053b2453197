"""Server-rendered Vietnamese pages: one Jinja2 environment, the filters the pages use, one `page()` to render.

Pages carry no script at all (the policy header forbids it): everything reads and works without JavaScript
on a cheap phone; the audio player is the browser's own.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from starlette.templating import Jinja2Templates

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")

# No script anywhere; styles from our own file; media only from here; no framing (clickjacking).
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; media-src 'self'; form-action 'self'; "
       "base-uri 'none'; frame-ancestors 'none'")


def size(n: int | None) -> str:
    """Bytes for people, with a Vietnamese decimal comma: 9057501 -> '8,6 MB'."""
    if n is None:
        return "—"
    value, unit = float(n), "byte"
    for unit in ("byte", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            break
        value /= 1024
    text = f"{value:.0f}" if unit == "byte" or value >= 100 else f"{value:.1f}"
    return f"{text.replace('.', ',')} {unit}"


def duration(seconds: float | None) -> str:
    if not seconds:
        return "—"
    total = int(seconds)  # as players show it
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def day_vi(day: date) -> str:
    return f"{WEEKDAYS[day.weekday()]}, {day:%d/%m/%Y}"


def datetime_vi(moment: datetime | None, tz: str = "Asia/Ho_Chi_Minh") -> str:
    """A UTC (naive) or aware moment in the district's time."""
    if moment is None:
        return "—"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    local = moment.astimezone(ZoneInfo(tz))
    return f"{local:%H:%M} {local:%d/%m/%Y}"


templates = Jinja2Templates(directory=str(TEMPLATES))
templates.env.filters.update(size=size, duration=duration, day_vi=day_vi, datetime_vi=datetime_vi)


def page(request: Request, name: str, context: dict[str, Any], status_code: int = 200,
         headers: dict[str, str] | None = None) -> HTMLResponse:
    """Render a page with what every page needs: who is logged in and the form token for this browser."""
    from flows.web.auth import csrf_for, current_session

    session = current_session(request)
    token = csrf_for(request)
    service = getattr(request.app.state, "service", None)
    district = service.settings.district.name if service is not None else ""
    ctx = {"account": session.account if session else None, "csrf_token": token, "district": district,
           "timezone": service.settings.district.timezone if service is not None else "Asia/Ho_Chi_Minh",
           **context}
    response = templates.TemplateResponse(request, name, ctx, status_code=status_code)
    response.headers["Content-Security-Policy"] = CSP
    response.headers["Cache-Control"] = "private, no-cache"
    for key, value in (headers or {}).items():
        response.headers[key] = value
    from flows.web.auth import set_csrf_cookie

    set_csrf_cookie(request, response)
    return response
