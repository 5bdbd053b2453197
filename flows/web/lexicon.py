"""Teaching the reader from the desk: try an abbreviation or a pronunciation on a sentence, then save it in the
lexicon (for every station or one); the page lists who changed what. Editors only; every form with its token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from flows.errors import UserError
from flows.pipeline import teaching
from flows.store.accounts import Account, Role
from flows.store.lexiconlog import LexiconLog
from flows.web.auth import CsrfChecked, role_in
from flows.web.pages import page
from flows.web.service import service

router = APIRouter(prefix="/bien-tap/tu-dien", include_in_schema=False)
EditorOnly = Annotated[Account, Depends(role_in(Role.EDITOR))]

Field = Annotated[str, Form(max_length=500)]


def _page(request: Request, form: dict[str, str], *, message: str = "", error: str = "",
          trial: tuple[str, str] | None = None, status_code: int = 200) -> Response:
    svc = service(request)
    return page(request, "desk_lexicon.html", {
        "tables": teaching.TABLES, "stations": svc.stations, "form": form, "message": message, "error": error,
        "trial": trial, "changes": LexiconLog(svc.store).recent(),
        "station_names": {s.id: s.name for s in svc.stations}}, status_code=status_code)


@router.get("")
def lexicon(request: Request, account: EditorOnly) -> Response:
    return _page(request, {"bang": "abbreviations", "viet": "", "doc": "", "dai": "", "cau": ""})


@router.post("", dependencies=[CsrfChecked])
def teach(request: Request, account: EditorOnly, bang: Field = "", viet: Field = "", doc: Field = "",
          dai: Field = "", cau: Annotated[str, Form(max_length=2000)] = "", thu: Field = "") -> Response:
    """'Thử' (thu=1) shows the sentence read before and after; 'Lưu' saves the entry and records who did it."""
    svc = service(request)
    form = {"bang": bang, "viet": viet, "doc": doc, "dai": dai, "cau": cau}
    try:
        new = teaching.entry(svc.newsroom, bang, viet, doc, dai or None)
        trial = teaching.try_entry(svc.newsroom, new, cau) if (cau.strip() or thu) else None
        if thu:
            return _page(request, form, trial=trial)
        change, respoken = teaching.teach(svc.newsroom, svc.store, new, account.username)
    except UserError as exc:
        return _page(request, form, error=exc.describe(), status_code=exc.http_status)
    where = svc.station(change.station_id).name if change.station_id else "mọi đài"
    replaced = f" (thay cách đọc cũ “{change.previous}”)" if change.previous else ""
    again = (f" {len(respoken)} bài còn chờ phát được đọc lại theo cách mới (bài số {', '.join(map(str, respoken))})."
             if respoken else "")
    return _page(request, {**form, "viet": "", "doc": ""}, trial=trial,
                 message=f"Đã lưu: “{change.written}” đọc là “{change.spoken}” cho {where}{replaced}.{again}")
