"""Accounts, managed by an admin in the app (the same library as `bantin accounts`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from flows.errors import UserError
from flows.store.accounts import Account, Role, new_password
from flows.web.auth import CsrfChecked, role_in
from flows.web.pages import page
from flows.web.service import service

router = APIRouter(prefix="/quan-tri", include_in_schema=False)
AdminOnly = Annotated[Account, Depends(role_in(Role.ADMIN))]


def _accounts_page(request: Request, message: str = "", error: str = "", password: str = "",
                   status_code: int = 200) -> Response:
    svc = service(request)
    return page(request, "accounts.html", {
        "accounts": svc.accounts.list(), "roles": list(Role), "stations": svc.stations,
        "message": message, "error": error, "new_password": password}, status_code=status_code)


@router.get("/tai-khoan")
def accounts(request: Request, account: AdminOnly) -> Response:
    return _accounts_page(request)


@router.post("/tai-khoan", dependencies=[CsrfChecked])
def add_account(request: Request, account: AdminOnly, ten: Annotated[str, Form(max_length=50)],
                vai_tro: Annotated[str, Form(max_length=20)], ho_ten: Annotated[str, Form(max_length=200)] = "",
                dai: Annotated[str, Form(max_length=100)] = "", mat_khau: Annotated[str, Form(max_length=1000)] = ""
                ) -> Response:
    svc = service(request)
    password = mat_khau or new_password()
    try:
        made = svc.accounts.add(ten, password, vai_tro, station_id=dai or None, name=ho_ten,
                                known_stations={s.id for s in svc.stations}, actor=account.username)
    except UserError as exc:
        return _accounts_page(request, error=exc.describe(), status_code=exc.http_status)
    return _accounts_page(request, message=f"Đã tạo tài khoản '{made.username}' ({made.role.label_vi}).",
                          password="" if mat_khau else password)


@router.post("/tai-khoan/{username}/khoa", dependencies=[CsrfChecked])
def disable(request: Request, username: str, account: AdminOnly) -> Response:
    if username == account.username:
        raise UserError("Không tự khóa tài khoản của chính mình.")
    done = service(request).accounts.set_active(username, False, actor=account.username)
    return _accounts_page(request, message=f"Đã khóa tài khoản '{done.username}'; các phiên của tài khoản đã kết thúc.")


@router.post("/tai-khoan/{username}/mo", dependencies=[CsrfChecked])
def enable(request: Request, username: str, account: AdminOnly) -> Response:
    done = service(request).accounts.set_active(username, True, actor=account.username)
    return _accounts_page(request, message=f"Đã mở lại tài khoản '{done.username}'.")


@router.post("/tai-khoan/{username}/mat-khau", dependencies=[CsrfChecked])
def reset(request: Request, username: str, account: AdminOnly,
          mat_khau: Annotated[str, Form(max_length=1000)] = "") -> Response:
    password = mat_khau or new_password()
    done = service(request).accounts.reset_password(username, password, actor=account.username)
    return _accounts_page(request, message=f"Đã đặt mật khẩu mới cho '{done.username}'.",
                          password="" if mat_khau else password)
