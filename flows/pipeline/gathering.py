"""Gather: read every source, keep what each gave in the store, count it for the editors' summary."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from flows.content import Newsroom
from flows.errors import BantinError, NotFoundError, UserError
from flows.ingest import Gathered, Known, Limits, Validators, read_source
from flows.ingest.silence import SilentSource, silent_sources
from flows.models import Source, SourceFailure
from flows.pipeline.fanout import Fanout, Threads
from flows.store import Store
from flows.store.locks import holding


@dataclass
class SourceReport:
    """One source's line in the run summary."""

    source_id: str
    source_name: str
    gathered: int = 0
    new: int = 0
    known: int = 0
    duplicate: int = 0
    failed: int = 0
    reasons: list[str] = field(default_factory=list)
    new_ids: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # not failures: "unchanged since last time", a guessed encoding

    @property
    def ok(self) -> bool:
        return not self.failed


def chosen_sources(newsroom: Newsroom, source_ids: Sequence[str] | None) -> list[Source]:
    """The named sources (all when none are named); an unknown id is a mistake, not an empty run."""
    readable = [s for s in newsroom.sources if s.kind != "submission"]  # those send their stories themselves
    if not source_ids:
        return readable
    known = {s.id: s for s in readable}
    pushed = [s.id for s in newsroom.sources if s.kind == "submission" and s.id in source_ids]
    if pushed:
        raise UserError(f"Nguồn {', '.join(pushed)} do đơn vị tự gửi tin qua bantin serve, không cần lấy tin.",
                        where="sources.toml", hint="Bỏ mã nguồn này khỏi lệnh gather.")
    unknown = [sid for sid in source_ids if sid not in known]
    if unknown:
        raise NotFoundError(f"Không có nguồn tin: {', '.join(unknown)}.", where="sources.toml",
                            hint="Xem mã các nguồn trong content/sources.toml.")
    return [known[sid] for sid in dict.fromkeys(source_ids)]


def fetch_source(newsroom: Newsroom, source: Source, validators: Validators | None = None) -> Gathered:
    """Read one source (network or files). Transient errors propagate so a caller may retry them.
    `validators` (Store.source_validators) make a web source's request conditional."""
    g = newsroom.settings.gather
    limits = Limits(connect_timeout=g.connect_timeout_seconds, read_timeout=g.timeout_seconds,
                    deadline=g.deadline_seconds, max_bytes=g.max_bytes, max_redirects=g.max_redirects,
                    user_agent=g.user_agent)
    return read_source(source, base=newsroom.content, limits=limits, validators=validators,
                       known=Known(newsroom.communes, newsroom.movements), polite_delay=g.polite_delay_seconds)


def failed_source(source: Source, error: BaseException) -> Gathered:
    """What a source gave when it could not be read at all (after any retries)."""
    if isinstance(error, BantinError):
        reason = error.message + (" Sẽ thử lại ở lần chạy sau." if error.transient else "")
    else:  # a bug or a surprise in one source must not stop the others
        reason = f"Lỗi không mong đợi khi đọc nguồn ({error.__class__.__name__}: {error})."
    return Gathered(source, failures=[SourceFailure(source.id, reason)])


def keep(store: Store, gathered: Gathered) -> SourceReport:
    """Store every story and every failed item; a source-wide failure is recorded as the run's error."""
    source = gathered.source
    report = SourceReport(source.id, source.name, gathered=len(gathered.stories))
    for story in gathered.stories:
        story_id = store.add_submission(story, source)
        if story_id is None:
            report.known += 1
        else:
            report.new += 1
            report.new_ids.append(story_id)
    for failure in gathered.failures:
        report.reasons.append(failure.reason)
        report.failed += 1
        if failure.item:  # an item of the source: keep it, marked failed, so nothing is lost
            store.add_failed_submission(source, failure.item, failure.item, "", failure.reason)
    source_error = next((f.reason for f in gathered.failures if not f.item), None)
    store.record_source_run(source.id, report.gathered, report.new, report.known, report.failed, source_error)
    # ingest: inbox files move only now that their stories are stored; validators kept for the next request.
    gathered.settle()
    store.record_source_check(source.id, ok=source_error is None, new=report.new,
                              etag=gathered.validators.etag if gathered.validators else None,
                              last_modified=gathered.validators.last_modified if gathered.validators else None)
    report.notes.extend(gathered.warnings)
    if gathered.not_modified:
        report.notes.append("Không đổi từ lần đọc trước (HTTP 304).")
    return report


@holding("gather")  # a second gathering waits, then finds the items kept
def gather(newsroom: Newsroom, store: Store, source_ids: Sequence[str] | None = None,
           fanout: Fanout | None = None) -> list[SourceReport]:
    """Read every source (or the named ones); a failing source is reported and the others go on."""
    sources = chosen_sources(newsroom, source_ids)

    def read(source: Source) -> Gathered:
        try:
            return fetch_source(newsroom, source, store.source_validators(source.id))
        except BantinError:
            raise  # the fan-out decides about retrying; the failure is kept below
        except Exception as exc:  # noqa: BLE001 - one source's surprise is that source's failure
            return failed_source(source, exc)

    fetched = (fanout or Threads()).map("fetch", read, sources, label=lambda s: s.id)
    return [keep(store, got if isinstance(got, Gathered) else failed_source(source, got))
            for source, got in zip(sources, fetched)]


def quiet_sources(newsroom: Newsroom, store: Store) -> list[SilentSource]:
    """The sources silent or unreadable for longer than their expect_every_days, as of now."""
    # Source checks are kept in the store's local naive time (flows.store.gathering).
    return silent_sources(newsroom.sources, store.source_states(), datetime.now().replace(microsecond=0))
