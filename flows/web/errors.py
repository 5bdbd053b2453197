"""Errors of the web doors and the ONE place where every error becomes a response.

Browsers get a Vietnamese page, machines (the JSON API, the station-key addresses, any client that asks for
JSON) get RFC 9457 problem details (application/problem+json). Errors of the BantinError family carry their
Vietnamese message, hint and HTTP status; framework errors (no such route, wrong method, bad parameters) are
given the same shape here. Anything else is a bug: a plain 500 for the client, the traceback in the log.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from flows.errors import BantinError, UserError

log = logging.getLogger("bantin.web")

PROBLEM_TYPE = "application/problem+json"

# Short Vietnamese titles by status, for problem details and error pages.
TITLES = {
    400: "Yêu cầu không hợp lệ",
    401: "Cần đăng nhập",
    403: "Không được phép",
    404: "Không tìm thấy",
    405: "Phương thức không được hỗ trợ",
    409: "Xung đột trạng thái",
    412: "Điều kiện không thỏa",
    416: "Khoảng byte không hợp lệ",
    422: "Dữ liệu không hợp lệ",
    429: "Quá nhiều lần thử",
    500: "Lỗi hệ thống",
    503: "Tạm thời không phục vụ được",
}

SLUGS = {400: "bad-request", 401: "login-required", 403: "forbidden", 404: "not-found", 405: "method-not-allowed",
         409: "conflict", 412: "precondition-failed", 416: "range-not-satisfiable", 422: "invalid-input",
         429: "too-many-attempts", 500: "server-error", 503: "unavailable"}


class WebError(UserError):
    """A refusal by the web app; `headers` go on the response (Retry-After, Content-Range, WWW-Authenticate)."""

    headers: dict[str, str] = {}


class LoginRequired(WebError):
    http_status = 401


class Forbidden(WebError):
    http_status = 403


class CsrfRefused(Forbidden):
    """A form came without the token of the page that showed it (another site may be posting on your behalf)."""


class TooManyAttempts(WebError):
    http_status = 429

    def __init__(self, message: str, retry_after: int, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.headers = {"Retry-After": str(max(1, retry_after))}


class RangeNotSatisfiable(WebError):
    http_status = 416

    def __init__(self, size: int) -> None:
        super().__init__(f"Khoảng byte yêu cầu nằm ngoài tệp (tệp dài {size} byte).",
                         hint="Tải lại từ đầu, không gửi tiêu đề Range.")
        self.headers = {"Content-Range": f"bytes */{size}"}


class PreconditionFailed(WebError):
    http_status = 412

    def __init__(self) -> None:
        super().__init__("Tệp đã thay đổi so với bản mà yêu cầu nhắc tới (If-Match / If-Unmodified-Since).")


def wants_problem(request: Request) -> bool:
    """Machines get problem details: the API, the station-key addresses, and clients that ask for JSON."""
    path = request.url.path
    if path.startswith(("/api/", "/k/")):
        return True
    accept = request.headers.get("accept", "")
    return ("json" in accept) and "text/html" not in accept


def render_error(request: Request, status: int, detail: str, *, hint: str = "", where: str = "",
                 transient: bool = False, headers: dict[str, str] | None = None,
                 errors: list[dict[str, Any]] | None = None) -> Response:
    """The one renderer: a problem-details document or a Vietnamese page, same status, same headers."""
    headers = dict(headers or {})
    title = TITLES.get(status) or HTTPStatus(status).phrase
    if status == 401 and not wants_problem(request) and request.method in ("GET", "HEAD"):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/dang-nhap?tiep={quote(target, safe='')}", status_code=303)
    if wants_problem(request):
        body: dict[str, Any] = {"type": f"/api/problems/{SLUGS.get(status, 'error')}", "title": title,
                                "status": status, "detail": detail, "instance": request.url.path}
        if hint:
            body["hint"] = hint
        if where:
            body["where"] = where
        if transient:
            body["transient"] = True
        if errors:
            body["errors"] = errors
        if status == 401:
            headers.setdefault("WWW-Authenticate", 'Bearer realm="bantin"')
        return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_TYPE)
    from flows.web.pages import page

    return page(request, "error.html", {"status": status, "title": title, "detail": detail, "hint": hint,
                                        "errors": errors or []}, status_code=status, headers=headers)


def bantin_response(request: Request, exc: BantinError) -> Response:
    """An error of the BantinError family, rendered (its status, message, hint and headers)."""
    if exc.http_status >= 500:
        log.error("%s %s: %s", request.method, request.url.path, exc.describe())
    return render_error(request, exc.http_status, exc.message, hint=exc.hint, where=exc.where,
                        transient=exc.transient, headers=getattr(exc, "headers", None))


def install(app: FastAPI) -> None:
    """Route every error of the app through render_error."""

    @app.exception_handler(BantinError)
    async def _bantin(request: Request, exc: BantinError) -> Response:
        return bantin_response(request, exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        detail = {404: "Không có trang hoặc tệp này.",
                  405: f"Địa chỉ này không nhận phương thức {request.method}."}.get(exc.status_code)
        if detail is None:
            detail = exc.detail if isinstance(exc.detail, str) else TITLES.get(exc.status_code, "Lỗi")
        return render_error(request, exc.status_code, detail, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [{"where": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")}
                  for e in exc.errors()]
        where = ", ".join(e["where"] for e in errors)
        return render_error(request, 422, f"Tham số không hợp lệ: {where}.", errors=errors)

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> Response:
        log.exception("Lỗi chưa lường trước khi phục vụ %s %s", request.method, request.url.path)
        return render_error(request, 500, "Máy chủ gặp lỗi chưa lường trước; lỗi đã được ghi lại.",
                            hint="Thử lại sau ít phút; nếu vẫn lỗi, báo cho quản trị viên.")
