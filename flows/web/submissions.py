"""Contributing units send their stories: a form a commune's staff fill in on a phone, and a JSON API.

Both carry the unit's submission key (issued with `bantin submission-keys issue <source>`): in the form's address
(like a station's podcast address, so the page works from a bookmark without an account), or as
`Authorization: Bearer <key>` for the API. The form needs no CSRF token: it is authorised by the key in its own
address, which another site does not know. Every submission goes through flows.ingest.submission (the checks)
and the store's add_submission, then waits for an editor like any story from an untrusted source.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from flows.errors import ConflictError, NotFoundError, UserError
from flows.ingest.frontmatter import Known
from flows.ingest.submission import (FIELDS, LIMITS, MAX_FILES, Problem, SubmissionRefused, Upload, keep_files,
                                    read_submission)
from flows.models import Source
from flows.store.submissions import SubmissionKey
from flows.web.errors import Forbidden, LoginRequired, WebError, render_error
from flows.web.pages import page
from flows.web.service import Service, service

FORM_SLOTS = 4  # file inputs on the phone form; the API takes up to MAX_FILES
# The whole request, files included, before anything is parsed: a phone's clip and a few photos fit.
MAX_REQUEST = sum(sorted(LIMITS.values())[-2:]) + 20 * 1024 * 1024

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["submissions"])


class PayloadTooLarge(WebError):
    http_status = 413


class LengthRequired(WebError):
    http_status = 411


def _unit(svc: Service, key: SubmissionKey | None) -> Source:
    if key is None:
        raise NotFoundError("Địa chỉ gửi tin không đúng hoặc khóa đã bị thu hồi.",
                            hint="Xin Trung tâm cấp địa chỉ gửi tin mới cho đơn vị.")
    source = svc.newsroom.find_source(key.source_id)
    if source is None or source.kind != "submission":
        raise Forbidden(f"Nguồn {key.source_id} không còn nhận tin gửi trực tiếp.",
                        hint="Liên hệ Trung tâm để kiểm tra sources.toml.")
    return source


def _check_length(request: Request) -> None:
    length = request.headers.get("content-length")
    if length is None:
        raise LengthRequired("Yêu cầu gửi tin cần tiêu đề Content-Length.")
    if not length.isdigit() or int(length) > MAX_REQUEST:
        raise PayloadTooLarge(f"Bài gửi quá lớn (tối đa {MAX_REQUEST // 1048576} MB cả tệp kèm).",
                              hint="Gửi video ngắn hơn hoặc chia thành nhiều lần gửi.")


def _take(svc: Service, source: Source, fields: Mapping[str, Any], uploads: list[Upload]) -> tuple[int | None, str, int]:
    """Check, keep the files, store the story (blocking work: called in a worker thread)."""
    story, files = read_submission(fields, uploads, source, Known(svc.newsroom.communes, svc.newsroom.movements),
                                   svc.now())
    attachments = keep_files(files, svc.settings.data_dir / "attachments" / source.id)
    story_id = svc.store.add_submission(replace(story, attachments=attachments), source)
    return story_id, story.title, len(attachments)


async def _form_fields(request: Request) -> tuple[dict[str, Any], dict[str, str], list[Upload]]:
    """The story's fields, the phone form's captions (to show again with a refusal) and the files."""
    form = await request.form(max_files=MAX_FILES, max_fields=50)
    fields: dict[str, Any] = {}
    for name in FIELDS:
        values = [v for v in form.getlist(name) if isinstance(v, str)]
        if name in ("audience", "movements"):
            fields[name] = values
        elif values:
            fields[name] = values[0]
    uploads: list[Upload] = []
    captions: dict[str, str] = {}
    for i in range(1, MAX_FILES + 1):
        item, caption = form.get(f"tep{i}"), form.get(f"chu_thich{i}")
        captions[f"chu_thich{i}"] = caption if isinstance(caption, str) else ""
        if isinstance(item, UploadFile) and item.filename:
            uploads.append(Upload(item.filename, await item.read(), captions[f"chu_thich{i}"]))
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]  # the API's multipart
    notes = [c for c in form.getlist("captions") if isinstance(c, str)]
    for n, item in enumerate(files):
        uploads.append(Upload(item.filename or "", await item.read(), notes[n] if n < len(notes) else ""))
    await form.close()
    return fields, captions, uploads


# -- the phone form ---------------------------------------------------------------------------------------------
@router.get("/gui-tin/{secret}")
def form_page(request: Request, secret: str) -> Response:
    svc = service(request)
    source = _unit(svc, svc.store.submission_key(secret))
    return _form(request, svc, source, {}, [], 200)


def _form(request: Request, svc: Service, source: Source, values: dict[str, Any], problems: list[Any],
          status: int) -> Response:
    return page(request, "submit.html", {"source": source, "values": values, "problems": problems,
                                         "communes": svc.newsroom.communes, "movements": svc.newsroom.movements,
                                         "slots": FORM_SLOTS}, status_code=status,
                headers={"Referrer-Policy": "no-referrer", "Cache-Control": "no-store"})


@router.post("/gui-tin/{secret}")
async def form_post(request: Request, secret: str) -> Response:
    svc = service(request)
    source = _unit(svc, svc.store.submission_key(secret))
    _check_length(request)
    fields, captions, uploads = await _form_fields(request)
    try:
        story_id, title, files = await run_in_threadpool(_take, svc, source, fields, uploads)
    except SubmissionRefused as exc:
        return _form(request, svc, source, {**fields, **captions}, exc.problems, 422)
    return page(request, "submitted.html", {"story_id": story_id, "title": title, "files": files},
                status_code=201 if story_id is not None else 200,
                headers={"Referrer-Policy": "no-referrer", "Cache-Control": "no-store"})


# -- the API --------------------------------------------------------------------------------------------------
def _bearer(request: Request) -> str:
    scheme, _, secret = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise LoginRequired("Cần khóa gửi tin của đơn vị (Authorization: Bearer <khóa>).")
    return secret.strip()


def _json_uploads(items: Any) -> list[Upload]:
    if items in (None, []):
        return []
    if not isinstance(items, list):
        raise SubmissionRefused([Problem("attachments", "phải là danh sách tệp {name, caption, data (base64)}")])
    uploads = []
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("data"), str):
            raise SubmissionRefused([Problem(f"attachments {n}", "thiếu data (nội dung tệp mã hóa base64)")])
        try:
            data = base64.b64decode(item["data"], validate=True)
        except (binascii.Error, ValueError):
            raise SubmissionRefused([Problem(f"attachments {n}", "data không phải base64 hợp lệ")]) from None
        uploads.append(Upload(str(item.get("name") or f"tep-{n}"), data, str(item.get("caption") or "")))
    return uploads


class AttachmentIn(BaseModel):
    name: str = Field(description="Tên tệp (chỉ để báo lỗi; bantin đặt tên theo SHA-256)")
    caption: str = Field(default="", description="Chú thích hiện dưới ảnh, video trên cổng thông tin")
    data: str = Field(description="Nội dung tệp, mã hóa base64")


class SubmissionIn(BaseModel):
    """A story as a unit sends it (for the OpenAPI description; the checks are flows.ingest.submission's)."""

    title: str = Field(description="Tiêu đề (bắt buộc, tối đa 300 ký tự)")
    text: str = Field(default="", description="Nội dung; để trống khi gửi kèm tệp Word .docx")
    author: str = ""
    date: str = Field(default="", description="Ngày của sự việc: 2023-06-08 hoặc 08/06/2023")
    audience: list[str] = Field(default_factory=list, description="Mã hoặc tên xã, thị trấn; “toàn huyện”")
    movements: list[str] = Field(default_factory=list, description="Mã hoặc tên phong trào thi đua")
    priority: str = Field(default="thường", description="thường, ưu tiên hoặc khẩn")
    attachments: list[AttachmentIn] = Field(default_factory=list)


def _inlined(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with its $defs written in place: a "#/$defs/..." reference would point into the OpenAPI
    document's root, where there is none."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return walk(dict(defs[ref.rsplit("/", 1)[1]]))
            return {k: walk(v) for k, v in node.items()}
        return [walk(v) for v in node] if isinstance(node, list) else node

    return walk(schema)  # type: ignore[no-any-return]


_MULTIPART = {"type": "object", "properties": {
    **{k: {"type": "string"} for k in ("title", "text", "author", "date", "priority")},
    "audience": {"type": "array", "items": {"type": "string"}},
    "movements": {"type": "array", "items": {"type": "string"}},
    "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
    "captions": {"type": "array", "items": {"type": "string"}}}}


@api.post("/submissions", status_code=201, summary="Gửi một tin, bài (JSON hoặc multipart/form-data)",
          responses={201: {"description": "Đã nhận bài"}, 401: {"description": "Thiếu khóa gửi tin"},
                     404: {"description": "Khóa không đúng hoặc đã thu hồi"},
                     409: {"description": "Bài này đã gửi trước đó"}, 411: {"description": "Thiếu Content-Length"},
                     413: {"description": "Quá lớn"}, 422: {"description": "Bài chưa nhận được: xem errors"}},
          openapi_extra={"requestBody": {"required": True, "content": {
              "application/json": {"schema": _inlined(SubmissionIn.model_json_schema())},
              "multipart/form-data": {"schema": _MULTIPART}}}})
async def submit(request: Request) -> Response:
    """Fields: title, text, author, date, audience, movements, priority; files as `attachments`
    ([{name, caption, data (base64)}]) in JSON, or as `files` (+ `captions`) in multipart/form-data."""
    svc = service(request)
    source = _unit(svc, svc.store.submission_key(_bearer(request)))
    _check_length(request)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        if kind == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise UserError("Nội dung gửi không phải JSON hợp lệ.") from None
            if not isinstance(body, dict):
                raise UserError("Nội dung gửi phải là một đối tượng JSON {title, text, ...}.")
            uploads = _json_uploads(body.pop("attachments", None))
            fields: dict[str, Any] = body
        elif kind == "multipart/form-data":
            fields, _, uploads = await _form_fields(request)
        else:
            raise UserError("Gửi bài dạng application/json hoặc multipart/form-data.")
        story_id, title, files = await run_in_threadpool(_take, svc, source, fields, uploads)
    except SubmissionRefused as exc:
        return render_error(request, 422, exc.message, hint=exc.hint, errors=[p.as_dict() for p in exc.problems])
    if story_id is None:
        raise ConflictError(f"Bài “{title}” đã được gửi trước đó; không nhận lại.")
    return JSONResponse({"id": story_id, "title": title, "attachments": files, "state": "submitted",
                         "message": "Đã nhận bài; biên tập viên sẽ xem trước khi đăng và phát."}, status_code=201)
