"""The report for the Home Affairs office in `bantin serve`: the same page `bantin report` writes, for any period,
and its workbook, for the viewer (the Home Affairs office) and editor roles. Reading only: nothing is written.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from flows import pipeline
from flows.errors import UserError
from flows.store.accounts import Account, Role
from flows.web.auth import role_in
from flows.web.files import content_disposition
from flows.web.pages import CSP
from flows.web.service import service
from flows.yearend.page import CSS, render
from flows.yearend.period import Period
from flows.yearend.sheets import xlsx_bytes

router = APIRouter(include_in_schema=False)
Readers = Annotated[Account, Depends(role_in(Role.VIEWER, Role.EDITOR))]
Text = Annotated[str | None, Query(max_length=10)]
PAGE = "/bao-cao/thi-dua"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def chosen_period(nam: str | None, tu: str | None, den: str | None, today: date) -> Period:
    """The period from the form: a year, or from and to (blank fields are left out); this year by default."""
    year = None
    if nam and nam.strip():
        if not nam.strip().isdigit():
            raise UserError(f"Năm '{nam[:10]}' không hợp lệ.", hint="Ví dụ: 2023.")
        year = int(nam)
    return Period.chosen(tu or None, den or None, year, today)


@router.get(PAGE)
def report_page(request: Request, account: Readers, nam: Text = None, tu: Text = None, den: Text = None) -> Response:
    svc = service(request)
    period = chosen_period(nam, tu, den, svc.today())
    facts = pipeline.report_facts(svc.newsroom, svc.store, period)
    query = f"tu={period.first.isoformat()}&den={period.last.isoformat()}"
    toolbar = {"action": PAGE, "year": period.whole_year, "first": period.first.isoformat(),
               "last": period.last.isoformat(), "xlsx": f"{PAGE}.xlsx?{query}"}
    html = render(facts, stylesheet=f"{PAGE}/bao-cao.css", toolbar=toolbar)
    return HTMLResponse(html, headers={"Content-Security-Policy": CSP, "Cache-Control": "private, no-cache"})


@router.get(f"{PAGE}/bao-cao.css")
def report_style(account: Readers) -> Response:
    return FileResponse(CSS, media_type="text/css; charset=utf-8")


@router.get(f"{PAGE}.xlsx")
def report_workbook(request: Request, account: Readers, nam: Text = None, tu: Text = None,
                    den: Text = None) -> Response:
    svc = service(request)
    period = chosen_period(nam, tu, den, svc.today())
    data = xlsx_bytes(pipeline.report_facts(svc.newsroom, svc.store, period))
    return Response(data, media_type=XLSX_TYPE, headers={
        "Content-Disposition": content_disposition(f"bao-cao-{period.slug}.xlsx", True),
        "Cache-Control": "private, no-cache"})
