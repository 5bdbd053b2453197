"""Report: what the propaganda on the emulation movements achieved in a period, for the Home Affairs office.

Counts come from the store (stories by their own date; broadcasts by their day), airtime from the bulletins'
manifests, downloads from the stations' fetch log; the files are written by flows/yearend.
"""

from __future__ import annotations

from datetime import datetime

from flows.content import Newsroom
from flows.store import Store
from flows.yearend.facts import Report, gather_facts
from flows.yearend.period import Period
from flows.yearend.writer import ReportFiles, write_report


def report_facts(newsroom: Newsroom, store: Store, period: Period, now: datetime | None = None) -> Report:
    """The report's facts without writing anything (the web app renders them as a page)."""
    return gather_facts(newsroom, store, period, now)


def report(newsroom: Newsroom, store: Store, period: Period, *, now: datetime | None = None,
           pdf: bool = True) -> ReportFiles:
    """Count the period and write the report (HTML, PDF, XLSX, CSV) under the reports folder."""
    facts = gather_facts(newsroom, store, period, now)
    settings = newsroom.settings.report
    return write_report(facts, settings.output / period.slug, pdf=pdf, chromium=settings.chromium)
