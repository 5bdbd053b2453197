"""The JSON API (described by OpenAPI at /api/openapi.json): stations and their bulletins with manifests.

Playout software calls it with the station's key (`Authorization: Bearer <key>`); a logged-in browser with
its session. Errors are RFC 9457 problem details, rendered by flows.web.errors like every other error.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from flows.audio.archive import ArchivedBulletin, parse_day
from flows.models import Station
from flows.store.accounts import Role
from flows.web import links
from flows.web.auth import SESSION_COOKIE, current_account
from flows.web.delivery import Fetcher
from flows.web.errors import SLUGS, TITLES, Forbidden, LoginRequired
from flows.web.reports import STATE_VI, day_param, station_days
from flows.web.service import service

bearer = HTTPBearer(auto_error=False, description="Khóa của đài (station key), như trong địa chỉ podcast của đài.")
cookie = APIKeyCookie(name=SESSION_COOKIE, auto_error=False, description="Phiên đăng nhập của trình duyệt.")

router = APIRouter(prefix="/api/v1", tags=["stations"],
                   responses={400: {"description": "Yêu cầu không hợp lệ (ví dụ: ngày sai)"},
                              401: {"description": "Cần đăng nhập hoặc khóa của đài"},
                              403: {"description": "Không được phép"}, 404: {"description": "Không tìm thấy"}})


class Problem(BaseModel):
    """RFC 9457 problem details, with a Vietnamese detail and hint."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    hint: str | None = None
    errors: list[dict[str, str]] | None = Field(default=None, description="Tham số sai (khi status = 422)")


def describe_problems(app: FastAPI) -> None:
    """Make the OpenAPI description say what the app really answers on errors: problem details, every time."""
    plain = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        doc = plain()
        schemas = doc.setdefault("components", {}).setdefault("schemas", {})
        schemas["Problem"] = Problem.model_json_schema()
        for name in ("HTTPValidationError", "ValidationError"):
            schemas.pop(name, None)
        problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for operations in doc.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    if status.startswith(("4", "5")):
                        response["content"] = problem
                        if status == "422":
                            response["description"] = "Tham số không hợp lệ"
        app.openapi_schema = doc
        return doc

    app.openapi = openapi  # type: ignore[method-assign]


class SlotOut(BaseModel):
    id: str
    name: str
    time: str = Field(description="HH:MM, giờ Việt Nam")


class StationOut(BaseModel):
    id: str
    name: str
    kind: str
    slots: list[SlotOut]


class BulletinOut(BaseModel):
    station_id: str
    day: date
    slot_id: str
    slot_name: str
    emergency: bool = Field(description="Bản tin khẩn cấp (mã buổi bắt đầu bằng 'khan-cap-')")
    air_time: datetime = Field(description="Giờ phát, theo múi giờ của huyện")
    duration_seconds: float
    bytes: int | None = Field(description="Kích thước tệp MP3; null khi tệp đã xóa theo thời hạn lưu trữ")
    available: bool
    audio_url: str | None
    page_url: str
    manifest: dict[str, Any] = Field(description="Tệp mô tả .json của bản tin, nguyên văn")


class BulletinDetail(BulletinOut):
    transcript: str


class BulletinList(BaseModel):
    station: StationOut
    bulletins: list[BulletinOut]


class DeliveryOut(BaseModel):
    slot_id: str
    air_time: datetime
    state: str = Field(description="on_time, late, partial hoặc none")
    state_vi: str
    covered_bytes: int
    file_bytes: int
    complete_at: datetime | None = Field(description="UTC")
    fetchers: list[str]


class StationDayOut(BaseModel):
    station_id: str
    station_name: str
    all_on_time: bool
    bulletins: list[DeliveryOut]


class FetchReport(BaseModel):
    day: date
    not_fetched: list[str] = Field(description="Các đài chưa nhận đủ mọi bản tin trong ngày trước giờ phát")
    stations: list[StationDayOut]


def caller(request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)] = None,
           _session: Annotated[str | None, Depends(cookie)] = None) -> Fetcher:
    """Who calls: a station key (Bearer) or a logged-in session."""
    if credentials is not None:
        key = service(request).keys.find(credentials.credentials)
        if key is None:
            raise LoginRequired("Khóa của đài không đúng hoặc đã bị thu hồi.")
        return Fetcher(key=key)
    account = current_account(request)
    if account is None:
        if request.cookies.get(SESSION_COOKIE):
            raise LoginRequired("Phiên đăng nhập đã hết hạn, xin đăng nhập lại.")
        raise LoginRequired("Cần khóa của đài (Authorization: Bearer …) hoặc đăng nhập.")
    return Fetcher(account=account)


Caller = Annotated[Fetcher, Depends(caller)]


def _may_see(fetcher: Fetcher, station_id: str) -> None:
    if fetcher.key is not None and fetcher.key.station_id != station_id:
        raise Forbidden(f"Khóa này là của đài {fetcher.key.station_id}, không phải đài {station_id}.")
    if fetcher.account is not None and not fetcher.account.may_see(station_id):
        raise Forbidden(f"Tài khoản '{fetcher.account.username}' chỉ xem được đài {fetcher.account.station_id}.")


def _station(s: Station) -> StationOut:
    return StationOut(id=s.id, name=s.name, kind=s.kind,
                      slots=[SlotOut(id=x.id, name=x.name, time=x.time) for x in s.slots])


def _bulletin(request: Request, fetcher: Fetcher, b: ArchivedBulletin) -> dict[str, Any]:
    base = links.base_url(request)
    if not b.available:
        audio = None
    elif fetcher.key is not None:
        audio = links.keyed_audio(request, fetcher.key, b)
    else:
        audio = base + links.bulletin_audio(b)
    return {"station_id": b.station_id, "day": b.day, "slot_id": b.slot_id, "slot_name": b.slot_name,
            "emergency": b.emergency, "air_time": b.air_time(service(request).settings.district.timezone),
            "duration_seconds": b.duration_seconds, "bytes": b.audio_bytes, "available": b.available,
            "audio_url": audio, "page_url": base + links.bulletin_page(b), "manifest": b.manifest}


@router.get("/stations", summary="Các đài mà người gọi được xem")
def stations(request: Request, fetcher: Caller) -> list[StationOut]:
    visible = []
    for s in service(request).stations:
        try:
            _may_see(fetcher, s.id)
        except Forbidden:
            continue
        visible.append(_station(s))
    return visible


@router.get("/stations/{station_id}/bulletins", summary="Các bản tin của một đài, mới nhất trước, kèm tệp mô tả")
def bulletins(request: Request, station_id: str, fetcher: Caller,
              since: Annotated[date | None, Query(description="Từ ngày (YYYY-MM-DD)")] = None,
              until: Annotated[date | None, Query(description="Đến ngày (YYYY-MM-DD)")] = None) -> BulletinList:
    svc = service(request)
    station = svc.station(station_id)
    _may_see(fetcher, station.id)
    found = svc.archive.bulletins(station.id, since=since, until=until)
    return BulletinList(station=_station(station),
                        bulletins=[BulletinOut(**_bulletin(request, fetcher, b)) for b in found])


@router.get("/stations/{station_id}/bulletins/{day}/{slot_id}", summary="Một bản tin: tệp mô tả và lời đọc")
def bulletin(request: Request, station_id: str, day: str, slot_id: str, fetcher: Caller) -> BulletinDetail:
    svc = service(request)
    station = svc.station(station_id)
    _may_see(fetcher, station.id)
    b = svc.archive.bulletin(station.id, parse_day(day), slot_id)
    return BulletinDetail(**_bulletin(request, fetcher, b), transcript=svc.archive.transcript(b))


@router.get("/reports/fetches", tags=["reports"],
            summary="Các đài đã nhận bản tin của một ngày trước giờ phát chưa (biên tập viên, Phòng Nội vụ)")
def fetch_report(request: Request, fetcher: Caller,
                 day: Annotated[str | None, Query(description="Ngày (YYYY-MM-DD), mặc định hôm nay")] = None
                 ) -> FetchReport:
    if fetcher.account is None or fetcher.account.role not in (Role.EDITOR, Role.VIEWER, Role.ADMIN):
        raise Forbidden("Chỉ biên tập viên và Phòng Nội vụ xem được báo cáo này.")
    svc = service(request)
    chosen = day_param(day, svc)
    days = station_days(svc, chosen)
    return FetchReport(day=chosen, not_fetched=[sd.station.id for sd in days if sd.bulletins and not sd.all_on_time],
                       stations=[StationDayOut(
                           station_id=sd.station.id, station_name=sd.station.name, all_on_time=sd.all_on_time,
                           bulletins=[DeliveryOut(slot_id=b.slot_id, air_time=b.air_time(svc.settings.district.timezone),
                                                  state=d.state, state_vi=STATE_VI[d.state], covered_bytes=d.covered,
                                                  file_bytes=d.file_bytes, complete_at=d.complete_at,
                                                  fetchers=list(d.fetchers))
                                      for b, d in sd.bulletins]) for sd in days])


problems = APIRouter(include_in_schema=False)


@problems.get("/api/problems/{slug}")
def problem_type(slug: str) -> HTMLResponse:
    """What a problem type means (the `type` URI of problem details points here)."""
    for status, known in SLUGS.items():
        if known == slug:
            return HTMLResponse(f"<!doctype html><html lang=vi><meta charset=utf-8><title>{TITLES[status]}</title>"
                                f"<h1>{status} – {TITLES[status]}</h1><p>Xem trường <code>detail</code> và "
                                "<code>hint</code> của câu trả lời để biết lý do và cách xử lý.</p></html>")
    return HTMLResponse("<!doctype html><html lang=vi><meta charset=utf-8><title>Không có</title></html>",
                        status_code=404)
