"""Running the newsroom from the desk: start the nightly run, one stage or an emergency bulletin in a worker
process, follow its progress, and read the runs of the last days. When `bantin up` runs, the worker hands the
run to Prefect's server as a run of the matching deployment and follows it there. Editors only, every form with its token."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from flows.errors import UserError
from flows.service import running
from flows.store.accounts import Account, Role
from flows.web.auth import CsrfChecked, role_in
from flows.web.pages import page
from flows.web.runbook import KINDS, RunBook
from flows.web.service import Service, service

router = APIRouter(prefix="/bien-tap/chay", include_in_schema=False)
EditorOnly = Annotated[Account, Depends(role_in(Role.EDITOR))]
REFRESH_SECONDS = 2  # a running run's page reloads itself (a meta refresh: no script needed)


def runbook(svc: Service) -> RunBook:
    return RunBook(svc.settings.data_dir / "desk-runs")


def _runs_page(request: Request, error: str = "", status_code: int = 200) -> Response:
    svc = service(request)
    runs = runbook(svc).recent()
    up = running(svc.settings.data_dir)  # then the worker hands each run to Prefect's server (flows/web/worker.py)
    return page(request, "desk_runs.html", {"runs": runs, "kinds": KINDS, "stations": svc.stations,
                                            "prefect_ui": up.ui_url if up else "",
                                            "tomorrow": svc.today() + timedelta(days=1),
                                            "error": error, "refresh": REFRESH_SECONDS if any(r.running for r in runs) else 0},
                status_code=status_code)


@router.get("")
def runs(request: Request, account: EditorOnly) -> Response:
    return _runs_page(request)


@router.post("", dependencies=[CsrfChecked])
def start(request: Request, account: EditorOnly, viec: Annotated[str, Form(max_length=20)],
          ngay: Annotated[str, Form(max_length=20)] = "", dai: Annotated[list[str], Form()] = [],  # noqa: B006
          tieu_de: Annotated[str, Form(max_length=500)] = "",
          noi_dung: Annotated[str, Form(max_length=20_000)] = "") -> Response:
    svc = service(request)
    try:
        params: dict = {}  # type: ignore[type-arg]
        if ngay.strip():
            try:
                params["day"] = date.fromisoformat(ngay.strip()).isoformat()
            except ValueError:
                raise UserError(f"Ngày '{ngay[:20]}' không đúng (cần dạng năm-tháng-ngày).") from None
        params["stations"] = [svc.station(s).id for s in dai if s]
        if viec == "emergency":
            if not tieu_de.strip() or not noi_dung.strip():
                raise UserError("Tin khẩn cấp cần có tiêu đề và nội dung.")
            params.update(title=tieu_de.strip(), text=noi_dung.replace("\r\n", "\n").strip())
        run = runbook(svc).start(svc.newsroom.content, viec, account.username, params)
    except UserError as exc:
        return _runs_page(request, error=exc.describe(), status_code=exc.http_status)
    return RedirectResponse(f"/bien-tap/chay/{run.id}", status_code=303)


@router.get("/{run_id}")
def one_run(request: Request, run_id: str, account: EditorOnly) -> Response:
    run = runbook(service(request)).get(run_id)
    return page(request, "desk_run.html", {"run": run, "refresh": REFRESH_SECONDS if run.running else 0})
