"""The story store: one class made of one part per concern (stories, broadcasts, runs, publications)."""

from __future__ import annotations

from flows.store.alerts import AlertQueries
from flows.store.base import MIGRATIONS, StoreBase, StoreError, StoreLostError
from flows.store.broadcasts import BroadcastQueries
from flows.store.gathering import GatheringQueries
from flows.store.publications import Publication, PublicationQueries
from flows.store.locks import LockQueries
from flows.store.reports import ReportQueries
from flows.store.runs import RunQueries
from flows.store.stories import Normalised, StoryQueries
from flows.store.submissions import SubmissionQueries


class Store(StoryQueries, BroadcastQueries, RunQueries, PublicationQueries, GatheringQueries, ReportQueries,
            SubmissionQueries, AlertQueries, LockQueries, StoreBase):
    """The story store. One instance per process; sessions are short and per operation."""


__all__ = ["MIGRATIONS", "Normalised", "Publication", "Store", "StoreError", "StoreLostError"]
