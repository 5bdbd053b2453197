"""Logging in and out, who is asking, what their role allows, and the CSRF check on every form.

Every rule is checked on the server for every request; a page only hides what the server would refuse anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from flows.store.accounts import Account, LoginSession, Role, utcnow
from flows.web.errors import CsrfRefused, Forbidden, LoginRequired, TooManyAttempts
from flows.web.pages import page
from flows.web.security import csrf_ok, csrf_token, new_cookie_value
from flows.web.service import service

SESSION_COOKIE = "bantin_session"
CSRF_COOKIE = "bantin_csrf"
LOGIN_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_NAME = 5  # wrong passwords for one name within the window, then that name waits
MAX_FAILURES_PER_CLIENT = 20  # wrong logins from one address within the window, whatever the names

router = APIRouter(include_in_schema=False)


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


# -- who is asking ----------------------------------------------------------------------------------
def current_session(request: Request) -> LoginSession | None:
    """The live login of this browser (looked up once per request)."""
    if not hasattr(request.state, "login"):
        token = request.cookies.get(SESSION_COOKIE, "")
        request.state.login = service(request).accounts.session_for(token) if token else None
    return request.state.login  # type: ignore[no-any-return]


def current_account(request: Request) -> Account | None:
    session = current_session(request)
    return session.account if session else None


def logged_in(request: Request) -> Account:
    account = current_account(request)
    if account is None:
        had_cookie = bool(request.cookies.get(SESSION_COOKIE))
        raise LoginRequired("Phiên đăng nhập đã hết hạn, xin đăng nhập lại." if had_cookie
                            else "Cần đăng nhập để xem trang này.")
    return account


def role_in(*roles: Role) -> Callable[[Request], Account]:
    """A dependency that lets only these roles through."""

    def check(request: Request) -> Account:
        account = logged_in(request)
        if account.role not in roles:
            raise Forbidden(f"Tài khoản '{account.username}' ({account.role.label_vi}) không được làm việc này.")
        return account

    return check


def may_see_station(account: Account, station_id: str) -> None:
    if not account.may_see(station_id):
        raise Forbidden(f"Tài khoản '{account.username}' chỉ xem được đài của mình ({account.station_id}).")


def may_manage_keys(account: Account) -> bool:
    return account.role is Role.EDITOR


def may_see_keys(account: Account, station_id: str) -> bool:
    return account.role is Role.EDITOR or (account.role is Role.OPERATOR and account.station_id == station_id)


# -- CSRF ---------------------------------------------------------------------------------------------
def _binding(request: Request) -> tuple[str, str]:
    cookie = str(request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf_cookie", ""))
    session = current_session(request)
    return cookie, session.token_hash if session else ""


def csrf_for(request: Request) -> str:
    """The token for forms on this page (a browser without the cookie gets one with this response)."""
    if not request.cookies.get(CSRF_COOKIE) and not getattr(request.state, "new_csrf_cookie", ""):
        request.state.new_csrf_cookie = new_cookie_value()
    cookie, session = _binding(request)
    return csrf_token(service(request).secret, cookie, session)


def set_csrf_cookie(request: Request, response: Response) -> None:
    made = getattr(request.state, "new_csrf_cookie", "")
    if made:
        response.set_cookie(CSRF_COOKIE, made, httponly=True, samesite="strict", secure=_secure(request), path="/")


async def csrf_checked(request: Request) -> None:
    """Every POST form carries the token its page was given; anything else is refused."""
    form = await request.form()
    token = form.get("csrf_token")
    cookie, session = _binding(request)
    if not isinstance(token, str) or not csrf_ok(service(request).secret, cookie, session, token):
        raise CsrfRefused("Biểu mẫu đã cũ hoặc không gửi từ trang của bantin.",
                          hint="Tải lại trang rồi gửi lại.")


CsrfChecked = Depends(csrf_checked)


# -- login and logout ---------------------------------------------------------------------------------
def _safe_next(target: str | None) -> str:
    """Only a path on this site (never '//host' or a scheme) may follow a login."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/dang-nhap")
def login_page(request: Request, tiep: str = "/") -> Response:
    if current_account(request) is not None:
        return RedirectResponse(_safe_next(tiep), status_code=303)
    return page(request, "login.html", {"next": _safe_next(tiep), "error": "", "username": ""})


@router.post("/dang-nhap", dependencies=[CsrfChecked])
def login(request: Request, ten: Annotated[str, Form(max_length=200)] = "",
          mat_khau: Annotated[str, Form(max_length=1000)] = "", tiep: Annotated[str, Form()] = "/") -> Response:
    svc = service(request)
    client = client_address(request)
    name = ten.strip().lower()[:50]
    by_name, by_client, oldest = svc.accounts.recent_failures(name, client, LOGIN_WINDOW)
    if by_name >= MAX_FAILURES_PER_NAME or by_client >= MAX_FAILURES_PER_CLIENT:
        wait = LOGIN_WINDOW - (utcnow() - oldest) if oldest else LOGIN_WINDOW
        minutes = max(1, int(wait.total_seconds() // 60) + 1)
        raise TooManyAttempts(f"Đăng nhập sai quá nhiều lần. Xin thử lại sau {minutes} phút.",
                              retry_after=int(wait.total_seconds()) + 1)
    account = svc.accounts.verify(name, mat_khau, client)
    if account is None:
        return page(request, "login.html", {"next": _safe_next(tiep), "username": name,
                                            "error": "Sai tên đăng nhập hoặc mật khẩu."}, status_code=401)
    lifetime = timedelta(hours=svc.settings.web.session_hours)
    token, _ = svc.accounts.start_session(account, lifetime, client)
    response = RedirectResponse(_safe_next(tiep), status_code=303)
    response.set_cookie(SESSION_COOKIE, token, max_age=int(lifetime.total_seconds()), httponly=True,
                        samesite="lax", secure=_secure(request), path="/")
    return response


@router.post("/dang-xuat", dependencies=[CsrfChecked])
def logout(request: Request) -> Response:
    token = request.cookies.get(SESSION_COOKIE, "")
    if token:
        service(request).accounts.end_session(token)
    response = RedirectResponse("/dang-nhap", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
