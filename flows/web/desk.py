"""The editors' desk: the review queue, a story's page, and the decisions an editor takes on one story or many.

Every action calls the newsroom library (flows.pipeline) with the editor's account name as the actor, so the
story's history says who did what and why. Only editors reach the desk: the role is checked on the server for
every request (pages and actions), and every form carries its CSRF token.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response

from flows import pipeline
from flows.errors import ConflictError, UserError
from flows.models import DISTRICT, Priority, Story, StoryState
from flows.pipeline.preview import reading_for, sentences
from flows.store import StoryFilter
from flows.store.accounts import Account, Role
from flows.web.auth import CsrfChecked, role_in
from flows.web.marks import marked
from flows.web.pages import page
from flows.web.service import Service, service

router = APIRouter(prefix="/bien-tap", include_in_schema=False)
EditorOnly = Annotated[Account, Depends(role_in(Role.EDITOR))]

WAITING = "cho-duyet"  # the queue's default view: what waits for an editor
ALL = "tat-ca"
WEEKDAY_NAMES = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
BULK_ACTIONS = {"duyet": "duyệt", "gac-lai": "gác lại", "rut": "rút", "khoi-phuc": "khôi phục"}


@dataclass(frozen=True)
class QueueLine:
    story: Story
    why: str  # why it waits, in the editor's words


def why_waiting(story: Story) -> str:
    if story.state is StoryState.FAILED:
        return f"Lỗi: {story.failure or 'không rõ'}"
    if story.state is StoryState.NORMALISED and story.review_until is not None:
        return "Nguồn tin cậy: tự lên sóng lúc " + _local(story.review_until) + " nếu không ai dừng"
    if story.state is StoryState.NORMALISED:
        return "Nguồn chưa tin cậy: chờ duyệt"
    if story.warnings:
        return f"Có {len(story.warnings)} cảnh báo soát lỗi"
    return story.state.label_vi


def _local(moment) -> str:  # type: ignore[no-untyped-def]
    from flows.web.pages import datetime_vi

    return datetime_vi(moment)


def _queue(svc: Service, state: str, source: str | None, commune: str | None, movement: str | None) -> list[Story]:
    if state == WAITING:
        found = pipeline.waiting_for_review(svc.store)
        return [s for s in found
                if (not source or s.source_id == source)
                and (not commune or commune in s.communes or commune in s.audience)
                and (not movement or movement in s.movements)]
    states = () if state == ALL else (StoryState(state),)
    return pipeline.find_stories(svc.store, StoryFilter(states=states, source=source or None,
                                                        commune=commune or None, movement=movement or None,
                                                        limit=500))


def _state_or_default(value: str | None) -> str:
    if not value:
        return WAITING
    if value in (WAITING, ALL) or value in {s.value for s in StoryState}:
        return value
    raise UserError(f"Không có trạng thái '{value[:40]}'.")


def _queue_page(request: Request, *, state: str = WAITING, source: str = "", commune: str = "",
                movement: str = "", results: list | None = None, error: str = "",  # type: ignore[type-arg]
                status_code: int = 200) -> Response:
    svc = service(request)
    stories = _queue(svc, state, source, commune, movement)
    waiting = pipeline.waiting_for_review(svc.store)
    counts = {
        "waiting": len(waiting),
        "untrusted": sum(1 for s in waiting if s.state is StoryState.NORMALISED and s.review_until is None),
        "window": sum(1 for s in waiting if s.state is StoryState.NORMALISED and s.review_until is not None),
        "failed": sum(1 for s in waiting if s.state is StoryState.FAILED),
        "flagged": sum(1 for s in waiting if s.state is StoryState.APPROVED),
    }
    return page(request, "desk_queue.html", {
        "lines": [QueueLine(s, why_waiting(s)) for s in stories], "counts": counts,
        "by_state": svc.store.counts(), "states": list(StoryState), "state": state, "source": source,
        "commune": commune, "movement": movement, "sources": svc.newsroom.sources,
        "communes": svc.newsroom.communes, "movements": svc.newsroom.movements, "WAITING": WAITING, "ALL": ALL,
        "source_names": {s.id: s.name for s in svc.newsroom.sources}, "results": results or [], "error": error,
        "bulk_actions": BULK_ACTIONS}, status_code=status_code)


@router.get("")
def queue(request: Request, account: EditorOnly,
          trang_thai: Annotated[str | None, Query(max_length=20)] = None,
          nguon: Annotated[str, Query(max_length=100)] = "", xa: Annotated[str, Query(max_length=100)] = "",
          phong_trao: Annotated[str, Query(max_length=100)] = "") -> Response:
    return _queue_page(request, state=_state_or_default(trang_thai), source=nguon, commune=xa, movement=phong_trao)


@router.post("/hang-loat", dependencies=[CsrfChecked])
def bulk(request: Request, account: EditorOnly, viec: Annotated[str, Form(max_length=20)],
         bai: Annotated[list[int], Form()] = [], ly_do: Annotated[str, Form(max_length=2000)] = "",  # noqa: B006
         trang_thai: Annotated[str, Form(max_length=20)] = WAITING) -> Response:
    """One action on the ticked stories; each story gets its own result, one refusal stops nothing."""
    svc = service(request)
    state = _state_or_default(trang_thai)
    if viec not in BULK_ACTIONS:
        raise UserError(f"Không có việc '{viec[:20]}'.")
    if not bai:
        return _queue_page(request, state=state, error="Chưa chọn bài nào.", status_code=422)
    try:
        results = _act(svc, viec, bai, account.username, ly_do)
    except UserError as exc:
        return _queue_page(request, state=state, error=exc.describe(), status_code=exc.http_status)
    return _queue_page(request, state=state, results=results)


def _act(svc: Service, action: str, ids: list[int], actor: str, reason: str) -> list[pipeline.ActionResult]:
    if action == "duyet":
        return pipeline.approve(svc.store, ids, actor)
    if action == "gac-lai":
        return pipeline.reject(svc.store, ids, actor, reason)
    if action == "rut":
        return pipeline.retract(svc.store, ids, actor, reason)
    return pipeline.restore(svc.store, ids, actor, reason)


# -- one story ----------------------------------------------------------------------------------------------
def story_page(request: Request, story_id: int, *, message: str = "", error: str = "", status_code: int = 200,
               preview: dict | None = None) -> Response:  # type: ignore[type-arg]
    svc = service(request)
    story = svc.store.story(story_id)
    body, unplaced = marked(story.body_text or "", story.warnings)
    district = next((s for s in svc.stations if s.is_district), svc.stations[0])
    reading = reading_for(svc.newsroom, story, district.id) if story.reading else ""
    return page(request, "desk_story.html", {
        "story": story, "body": body, "unplaced": unplaced, "reading": reading,
        "sentences": sentences(reading), "tags": svc.store.tags([story.id]).get(story.id, []),
        "revisions": svc.store.revisions(story.id), "broadcasts": svc.store.broadcasts_of(story.id),
        "source": svc.newsroom.find_source(story.source_id), "communes": svc.newsroom.communes,
        "commune_names": {c.id: c.name for c in svc.newsroom.communes},
        "movement_names": {m.id: m.name for m in svc.newsroom.movements},
        "stations": svc.stations, "priorities": list(Priority), "weekdays": list(enumerate(WEEKDAY_NAMES)),
        "DISTRICT": DISTRICT, "message": message, "error": error, "preview": preview,
        "bulk_actions": BULK_ACTIONS}, status_code=status_code)


@router.get("/bai/{story_id}")
def story(request: Request, story_id: int, account: EditorOnly) -> Response:
    return story_page(request, story_id)


def _done(request: Request, story_id: int, work) -> Response:  # type: ignore[no-untyped-def]
    """Run one action; the story's page comes back with what happened (or the library's refusal)."""
    service(request).store.story(story_id)  # no such story: a 404 page, not a form error
    try:
        message = work()
    except UserError as exc:
        return story_page(request, story_id, error=exc.describe(), status_code=exc.http_status)
    return story_page(request, story_id, message=message)


def _one(results: list[pipeline.ActionResult]) -> str:
    result = results[0]
    if not result.ok:  # the story exists (checked first): the refusal is its state's
        raise ConflictError(result.message)
    return result.message


@router.post("/bai/{story_id}/duyet", dependencies=[CsrfChecked])
def approve(request: Request, story_id: int, account: EditorOnly) -> Response:
    return _done(request, story_id, lambda: _one(pipeline.approve(service(request).store, [story_id],
                                                                  account.username)))


@router.post("/bai/{story_id}/gac-lai", dependencies=[CsrfChecked])
def reject(request: Request, story_id: int, account: EditorOnly,
           ly_do: Annotated[str, Form(max_length=2000)] = "") -> Response:
    return _done(request, story_id, lambda: _one(pipeline.reject(service(request).store, [story_id],
                                                                 account.username, ly_do)))


@router.post("/bai/{story_id}/rut", dependencies=[CsrfChecked])
def retract(request: Request, story_id: int, account: EditorOnly,
            ly_do: Annotated[str, Form(max_length=2000)] = "") -> Response:
    return _done(request, story_id, lambda: _one(pipeline.retract(service(request).store, [story_id],
                                                                  account.username, ly_do)))


@router.post("/bai/{story_id}/khoi-phuc", dependencies=[CsrfChecked])
def restore(request: Request, story_id: int, account: EditorOnly,
            ly_do: Annotated[str, Form(max_length=2000)] = "") -> Response:
    return _done(request, story_id, lambda: _one(pipeline.restore(service(request).store, [story_id],
                                                                  account.username, ly_do)))


@router.post("/bai/{story_id}/noi-nhan", dependencies=[CsrfChecked])
def audience(request: Request, story_id: int, account: EditorOnly,
             noi_nhan: Annotated[list[str], Form()] = []) -> Response:  # noqa: B006
    svc = service(request)

    def work() -> str:
        done = pipeline.set_audience(svc.newsroom, svc.store, story_id, noi_nhan, account.username)
        names = {c.id: c.name for c in svc.newsroom.communes}
        return "Nơi nhận: " + ", ".join("toàn huyện" if a == DISTRICT else names.get(a, a) for a in done.audience) + "."
    return _done(request, story_id, work)


def _date(value: str, what: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise UserError(f"{what} '{value[:20]}' không phải ngày (cần dạng năm-tháng-ngày).") from None


@router.post("/bai/{story_id}/thoi-gian-phat", dependencies=[CsrfChecked])
def air_window(request: Request, story_id: int, account: EditorOnly,
               tu_ngay: Annotated[str, Form(max_length=20)] = "", den_ngay: Annotated[str, Form(max_length=20)] = "",
               thu: Annotated[list[int], Form()] = []) -> Response:  # noqa: B006
    def work() -> str:
        done = pipeline.set_air_window(service(request).store, story_id, _date(tu_ngay, "Ngày đầu"),
                                       _date(den_ngay, "Ngày cuối"), account.username, thu)
        return f"Thời gian phát: {done.air_from:%d/%m/%Y} – {done.air_until:%d/%m/%Y}."
    return _done(request, story_id, work)


@router.post("/bai/{story_id}/muc-uu-tien", dependencies=[CsrfChecked])
def priority(request: Request, story_id: int, account: EditorOnly,
             muc: Annotated[str, Form(max_length=20)] = "") -> Response:
    def work() -> str:
        done = pipeline.set_priority(service(request).store, story_id, Priority.parse(muc), account.username)
        return f"Mức ưu tiên: {done.priority.label_vi}."
    return _done(request, story_id, work)


@router.post("/bai/{story_id}/sua", dependencies=[CsrfChecked])
def edit(request: Request, story_id: int, account: EditorOnly,
         tieu_de: Annotated[str, Form(max_length=500)] = "", noi_dung: Annotated[str, Form(max_length=100_000)] = "",
         ly_do: Annotated[str, Form(max_length=2000)] = "") -> Response:
    svc = service(request)

    def work() -> str:
        before = svc.store.story(story_id)
        text = noi_dung.replace("\r\n", "\n")
        changed_text = text.strip() != (before.body_text or "").strip()
        done = pipeline.edit_story(svc.newsroom, svc.store, story_id, account.username, title=tieu_de,
                                   text=text if changed_text else None, reason=ly_do)
        return f"Đã lưu bản {done.revision} của bài; văn bản đọc được làm lại."
    return _done(request, story_id, work)


@router.post("/bai/{story_id}/cach-doc", dependencies=[CsrfChecked])
def reading(request: Request, story_id: int, account: EditorOnly,
            cach_doc: Annotated[str, Form(max_length=100_000)] = "",
            bo: Annotated[str, Form(max_length=5)] = "") -> Response:
    def work() -> str:
        pipeline.set_reading(service(request).store, story_id, None if bo else cach_doc, account.username)
        return ("Đã bỏ cách đọc sửa tay; bài đọc theo văn bản đọc tự động." if bo
                else "Đã lưu cách đọc sửa tay; mọi đài sẽ đọc như vậy ở lần làm bản tin tới.")
    return _done(request, story_id, work)


# -- hear before it airs ----------------------------------------------------------------------------------
@router.post("/bai/{story_id}/nghe-thu", dependencies=[CsrfChecked])
def hear(request: Request, story_id: int, account: EditorOnly, dai: Annotated[str, Form(max_length=100)] = "",
         cau: Annotated[str, Form(max_length=10)] = "") -> Response:
    """Voice the story (or one sentence) in the chosen station's voice and give the page a player for it."""
    from flows.pipeline.preview import preview

    svc = service(request)
    try:
        station = svc.station(dai) if dai else next(s for s in svc.stations if s.is_district)
        chosen = int(cau) if cau.strip() else None
        clip = preview(svc.newsroom, svc.store.story(story_id), station.id, chosen)
    except ValueError:
        return story_page(request, story_id, error=f"Câu '{cau[:10]}' không đúng.", status_code=422)
    except UserError as exc:
        return story_page(request, story_id, error=exc.describe(), status_code=exc.http_status)
    return story_page(request, story_id, preview={
        "url": f"/bien-tap/nghe-thu/{clip.path.stem}.mp3", "station": station, "seconds": clip.duration_seconds,
        "engine": clip.engine, "note": clip.note, "text": clip.text, "sentence": chosen})


@router.get("/nghe-thu/{key}.mp3")
def preview_clip(request: Request, key: str, account: EditorOnly) -> Response:
    """A voiced clip from the speech cache, by its key (nothing else of the disk is reachable from here)."""
    from fastapi.responses import FileResponse

    from flows.audio.cache import SynthesisCache
    from flows.errors import NotFoundError

    if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
        raise NotFoundError("Không có đoạn nghe thử này.")
    hit = SynthesisCache(service(request).settings.audio.cache).get("segment", key, "mp3")
    if hit is None:
        raise NotFoundError("Không có đoạn nghe thử này (có thể đã bị xóa khỏi bộ nhớ đệm).",
                            hint="Bấm “Nghe thử” lần nữa.")
    return FileResponse(hit.path, media_type="audio/mpeg", headers={"Cache-Control": "private, max-age=3600"})
