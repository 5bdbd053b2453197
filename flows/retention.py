"""Flow: remove bulletin MP3s past the retention period (manifests, transcripts, records and each station's
newest bulletins stay). Served daily at 03:15 by `bantin up` (flows/deployments.py); `bantin retention` runs the same library function."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flows.orchestration import flow

from flows import runtime
from flows.audio.archive import RetentionReport, remove_old_bulletins


@flow(name="retention")
def retention(content: str | None = None, days: int | None = None, dry_run: bool = False) -> RetentionReport:
    settings = runtime.newsroom(content).settings
    today = datetime.now(ZoneInfo(settings.district.timezone)).date()
    return remove_old_bulletins(settings.audio.output, settings.web.retention_days if days is None else days,
                                      today, dry_run)
