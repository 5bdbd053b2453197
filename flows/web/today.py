"""Today at a glance, for editors: every station's bulletins of the day (length, stories, dropped ones, who
fetched them), the sources that have gone quiet, what waits for a decision, and the runs still going."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from flows import pipeline
from flows.models import StoryState
from flows.store.accounts import Account, Role
from flows.web.auth import role_in
from flows.web.pages import page
from flows.web.reports import STATE_VI, day_param, station_days
from flows.web.runs import runbook
from flows.web.service import service

router = APIRouter(prefix="/bien-tap", include_in_schema=False)
EditorOnly = Annotated[Account, Depends(role_in(Role.EDITOR))]


@router.get("/hom-nay")
def today(request: Request, account: EditorOnly, ngay: Annotated[str | None, Query(max_length=10)] = None) -> Response:
    svc = service(request)
    day = day_param(ngay, svc)
    waiting = pipeline.waiting_for_review(svc.store)
    quiet = pipeline.quiet_sources(svc.newsroom, svc.store)
    return page(request, "desk_today.html", {
        "day": day, "days": station_days(svc, day), "states": STATE_VI, "quiet": quiet,
        "prev": day - timedelta(days=1), "next": day + timedelta(days=1),
        "decisions": {"waiting": len(waiting),
                      "failed": sum(1 for s in waiting if s.state is StoryState.FAILED),
                      "flagged": sum(1 for s in waiting if s.state is StoryState.APPROVED),
                      "window": [s for s in waiting if s.state is StoryState.NORMALISED and s.review_until]},
        "running": [r for r in runbook(svc).recent(days=2) if r.running]})
