"""The newsroom's operations: one typed library under every door (CLI, Prefect flows, web app, benchmarks).

Each operation takes the district's configuration (`Newsroom`) and the store, and returns typed
records and report dataclasses. Stages that fan out (gather, synthesise, check) take a `Fanout` that
decides how their steps run: a thread pool by default, Prefect tasks in flows/*.py.

    gather        read sources and keep what they gave            gathering.gather
    normalise     clean, tag, deduplicate, spoken form             normalising.normalise
    approve ...   editorial decisions, each recorded (approve, reject, retract, restore, edit, set the
                  reading, audience, air window, priority; list what waits)  editorial.*
    release_due   trusted stories whose review window ended go on air  normalising.release_due
    synthesise    voice once, build each station's bulletins       bulletins.synthesise
    publish       the portal through the configured publisher      publishing.publish
    check         decode and measure a day's bulletins             checking.check
    emergency     an urgent item on the chosen stations now        emergency.emergency
    nightly       all of it in order, with the night's report      nightly.nightly
    report        a period's results for the Home Affairs office   reporting.report
"""

from flows.pipeline.bulletins import (StationReport, SynthesiseReport, next_broadcast_day,
                                      prepare_jingle, synthesise, voice_job)
from flows.pipeline.checking import CheckReport, check
from flows.pipeline.editorial import (ActionResult, approve, edit_story, find_stories, reject, restore, retract,
                                      set_air_window, set_audience, set_priority, set_reading, waiting_for_review)
from flows.pipeline.emergency import emergency
from flows.pipeline.fanout import Fanout, Serial, Threads
from flows.pipeline.gathering import SourceReport, fetch_source, gather, keep, quiet_sources
from flows.pipeline.nightly import NightlyReport, night_report, nightly
from flows.pipeline.normalising import NormaliseReport, normalise, release_due
from flows.pipeline.publishing import PublishReport, publish
from flows.pipeline.reporting import report, report_facts

__all__ = [
    "ActionResult", "CheckReport", "Fanout", "NightlyReport", "NormaliseReport", "PublishReport", "Serial",
    "SourceReport", "StationReport", "SynthesiseReport", "Threads", "approve", "check",
    "emergency", "fetch_source", "gather", "keep", "next_broadcast_day", "night_report", "nightly", "normalise",
    "prepare_jingle", "publish", "quiet_sources", "reject", "set_audience", "synthesise", "voice_job", "edit_story", "find_stories",
    "release_due", "report", "report_facts", "restore", "retract", "set_air_window", "set_priority", "set_reading", "waiting_for_review",
]
