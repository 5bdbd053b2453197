"""Watch the night's outcome: a station with no bulletin by a set time before its slot, a nightly run that
failed; each problem is told to the newsroom once (the store remembers what was sent).

    late_bulletins   which stations lack the bulletin of a slot that is due soon (pure over files + plan)
    night_failures   the bulletins a nightly run could not make
    tell             send each problem once through flows.alerts
    watch            late_bulletins + tell: what the `watch` deployment runs every few minutes
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flows.alerts import Alert, AlertError, channels, send
from flows.content import Newsroom
from flows.errors import BantinError
from flows.models import Slot, Station
from flows.pipeline.bulletins import SynthesiseReport
from flows.pipeline.normalising import local_now
from flows.pipeline.synthesising import plan_broadcasts
from flows.settings import AlertSettings
from flows.store import Store

GRACE_AFTER_SLOT = timedelta(hours=2)  # a slot missed longer ago than this is history, not news

Sender = Callable[[Alert, AlertSettings], list[str]]


@dataclass
class WatchReport:
    problems: list[Alert] = field(default_factory=list)
    told: list[str] = field(default_factory=list)  # keys told now
    known: list[str] = field(default_factory=list)  # told before (or being told by another pass)
    untold: dict[str, str] = field(default_factory=dict)  # key -> why it could not be told (tried again later)


def _slot_at(day: date, slot: Slot) -> datetime:
    return datetime.combine(day, time.fromisoformat(slot.time))


def bulletin_exists(newsroom: Newsroom, station: Station, day: date, slot: Slot) -> bool:
    folder = newsroom.settings.audio.output / station.id / day.isoformat()
    return (folder / f"{slot.id}.mp3").is_file() and (folder / f"{slot.id}.json").is_file()


def late_bulletins(newsroom: Newsroom, store: Store, now: datetime | None = None,
                   margin: timedelta | None = None) -> list[Alert]:
    """Stations whose bulletin for a slot starting within `margin` (or missed in the last two hours) is not
    written, leaving out stations with nothing to air that day."""
    now = now or local_now(newsroom)
    margin = margin if margin is not None else timedelta(minutes=newsroom.settings.alerts.late_minutes)
    missing: dict[date, list[tuple[Station, Slot]]] = {}
    for day in (now.date() - timedelta(days=1), now.date(), now.date() + timedelta(days=1)):
        for station in newsroom.stations:
            for slot in station.slots:
                at = _slot_at(day, slot)
                if at - margin <= now < at + GRACE_AFTER_SLOT and not bulletin_exists(newsroom, station, day, slot):
                    missing.setdefault(day, []).append((station, slot))
    alerts = []
    for day, pairs in missing.items():
        idle = {s.id for s in plan_broadcasts(newsroom, store, day, newsroom.lexicon(),
                                               stations=list({s.id: s for s, _ in pairs}.values())).idle}
        for station, slot in pairs:
            if station.id in idle:
                continue
            at = _slot_at(day, slot)
            left = (at - now).total_seconds() / 60
            when = f"còn {left:.0f} phút nữa là đến giờ phát" if left > 0 else f"đã quá giờ phát {-left:.0f} phút"
            reason = f"Chưa có tệp bản tin ({station.id}/{day.isoformat()}/{slot.id}.mp3); {when}."
            alerts.append(Alert(
                key=f"late:{station.id}:{day.isoformat()}:{slot.id}", kind="late", station_id=station.id,
                station_name=station.name, day=day, slot=slot.name, reason=reason,
                text=f"Cảnh báo bantin: {station.name} chưa có bản tin {slot.name} ngày {day:%d/%m/%Y} "
                     f"(phát lúc {slot.time}). {reason} Hãy kiểm tra lượt chạy đêm trên Prefect hoặc chạy lại: "
                     f"bantin run --date {day.isoformat()}"))
    return alerts


def night_failures(newsroom: Newsroom, report: SynthesiseReport) -> list[Alert]:
    """One alert per bulletin a run could not make (the failure line names the station and says why)."""
    return [failed_run(newsroom, report.day, line) for line in report.failures]


def failed_run(newsroom: Newsroom, day: date | None, reason: str, station: Station | None = None) -> Alert:
    """A nightly run (or one of its bulletins) that failed; `reason` in Vietnamese."""
    named = station or next((s for s in newsroom.stations if reason.startswith(s.name)), None)
    digest = hashlib.sha256(reason.encode("utf-8")).hexdigest()[:12]
    on = f" ngày {day:%d/%m/%Y}" if day else ""
    return Alert(key=f"failed:{day.isoformat() if day else '-'}:{named.id if named else '-'}:{digest}", kind="failed",
                 station_id=named.id if named else "", station_name=named.name if named else "", day=day, slot="",
                 reason=reason,
                 text=f"Cảnh báo bantin: lượt chạy đêm làm bản tin{on} không thành công"
                      + (f" cho {named.name}" if named else "") + f". Lý do: {reason}")


def tell(newsroom: Newsroom, store: Store, alerts: Sequence[Alert], sender: Sender = send) -> WatchReport:
    """Send each alert once: claimed in the store first, so two passes at once tell it once."""
    report = WatchReport(problems=list(alerts))
    settings = newsroom.settings.alerts
    if sender is send and not channels(settings):  # nowhere to tell: nothing is claimed, so nothing is lost
        report.untold = {a.key: "Chưa cấu hình nơi nhận cảnh báo ([alerts] trong bantin.toml)." for a in alerts}
        return report
    for alert in alerts:
        if not store.claim_alert(alert.key, alert.kind, alert.station_id, alert.day, alert.text):
            report.known.append(alert.key)
            continue
        try:
            delivered = sender(alert, settings)
        except (AlertError, BantinError) as exc:
            store.release_alert(alert.key)
            report.untold[alert.key] = exc.describe()
            continue
        store.alert_sent(alert.key, delivered)
        report.told.append(alert.key)
    return report


def watch(newsroom: Newsroom, store: Store, now: datetime | None = None, sender: Sender = send) -> WatchReport:
    """Tell the newsroom about every station whose next bulletin is not there in time."""
    return tell(newsroom, store, late_bulletins(newsroom, store, now), sender)
