"""Flow: the report for the Home Affairs office over a period (HTML, PDF, XLSX, CSV under the reports folder)."""

from __future__ import annotations

from datetime import date

from flows.orchestration import flow

from flows import pipeline, runtime
from flows.yearend.period import Period
from flows.yearend.writer import ReportFiles


@flow(name="report")
def report(first: date, last: date, content: str | None = None, pdf: bool = True) -> ReportFiles:
    return pipeline.report(*runtime.open_newsroom(content), Period(first, last), pdf=pdf)
