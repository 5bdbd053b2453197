"""Everything the report says, as tables of plain values: counted by the store, timed by the bulletins' manifests,
named by the district's configuration. Formatting is left to the page and the sheets, so every output shows the
same numbers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flows.content import Newsroom
from flows.models import STORY_KINDS, Unit
from flows.store import Store
from flows.store.reports import BroadcastLine, StoryCount, StoryLine
from flows.yearend.airtime import BulletinKey, BulletinSheet, bulletin_sheets
from flows.yearend.downloads import StationDownloads, station_downloads
from flows.yearend.period import Period

UNKNOWN_UNIT = "Chưa xác định đơn vị"
MEASURES = ("received", "approved", "published", "aired")
# The tables in the order the page numbers them (Bảng 1, 2...); the workbook and the CSV files keep it.
TABLE_ORDER = ("theo-thang", "theo-loai-bai", "theo-phong-trao", "chien-dich", "theo-cum-khoi", "theo-don-vi",
               "theo-xa", "theo-dai", "dien-hinh", "khong-co-bai")
FEATURED_KINDS = ("model", "practice", "example")


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = "int"  # int, minutes (a value in seconds), text, month ("2023-06"), date, link, yesno
    width: int = 0  # share of the printed table's width in percent (0: as the browser lays it out)


@dataclass
class Table:
    """One table of the report; the page, the XLSX and the CSV all show exactly this."""

    id: str  # file and sheet name: ascii
    title: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    total: list[Any] | None = None  # the "Cộng" row, where adding up makes sense
    note: str = ""

    def column(self, title: str) -> list[Any]:
        i = [c.title for c in self.columns].index(title)
        return [r[i] for r in self.rows]


@dataclass(frozen=True)
class Airtime:
    """What a group of stories got on air in the period: bulletins that carried them, and seconds of speech."""

    bulletins: int = 0
    seconds: float = 0.0
    unknown: int = 0  # broadcasts whose bulletin has no manifest left (seconds unknown)


@dataclass(frozen=True)
class Summary:
    received: int
    approved: int
    published: int
    aired: int
    units: int  # units that sent at least one story
    units_known: int  # units in units.toml
    stations: int  # stations that aired at least one bulletin
    bulletins: int
    item_seconds: float  # seconds of stories on air
    bulletin_seconds: float  # whole bulletins, idents and headlines included
    alerts: int  # emergency items aired (not counted as propaganda stories)
    missing_manifests: int


@dataclass
class Report:
    """The facts of one period, ready to be laid out."""

    period: Period
    generated_at: datetime
    district: str  # "huyện Võ Nhai"
    centre: str
    portal: str
    authority: str
    issuer: str
    code: str
    place: str
    signer: str
    recipients: list[str]
    summary: Summary
    tables: dict[str, Table]
    months: list[tuple[str, int, int, int]]  # month, received, published, aired (the line chart)
    movement_bars: list[tuple[str, int, int]]  # name, received, aired
    commune_bars: list[tuple[str, int, int]]
    silent_units: list[str]
    silent_clusters: list[str]
    silent_communes: list[str]
    campaign_name: str
    campaign_day: date
    campaign: dict[str, int]
    downloads: bool  # the fetch log was there to count from

    def number(self, table_id: str) -> int:
        """The table's number on the page and in the workbook (Bảng 1...)."""
        return list(self.tables).index(table_id) + 1

    @property
    def empty(self) -> bool:
        """Nothing happened in the period: no story dated in it and no bulletin aired in it."""
        return self.summary.received == 0 and self.summary.bulletins == 0


def gather_facts(newsroom: Newsroom, store: Store, period: Period, now: datetime | None = None) -> Report:
    """Count the period from the store and the manifests, and name everything as the district does."""
    settings = newsroom.settings
    first, last = period.first, period.last
    now = now or datetime.now().replace(microsecond=0)
    _ = newsroom.sources  # a source naming a unit units.toml lacks is a mistake to fix before counting
    units = {u.id: u for u in newsroom.units}
    clusters = {c.id: c for c in newsroom.clusters}
    communes = {c.id: c for c in newsroom.communes}
    movements = {m.id: m for m in newsroom.movements}
    stations = {s.id: s for s in newsroom.stations}

    counts = {by: {c.key: c for c in store.story_counts(first, last, by)}
              for by in ("month", "unit", "kind", "movement", "commune")}
    by_movement_month = store.story_counts(first, last, ("movement", "month"))
    by_movement_unit = store.story_counts(first, last, ("movement", "unit"))
    by_movement_commune = store.story_counts(first, last, ("movement", "commune"))

    broadcasts = store.broadcast_lines(first, last)
    sheets = bulletin_sheets(broadcasts, settings.audio.output)
    tags = store.tags_of([b.story_id for b in broadcasts])
    air = _airtime(broadcasts, sheets, tags, units)
    downloads = station_downloads(newsroom, store, sheets.values())

    total = _sum(counts["month"].values())
    tables: dict[str, Table] = {}
    months = period.months()
    bulletins_by_month: dict[str, set[BulletinKey]] = defaultdict(set)
    seconds_by_month: dict[str, float] = defaultdict(float)
    for key, sheet in sheets.items():
        month = f"{key[1]:%Y-%m}"
        bulletins_by_month[month].add(key)
        seconds_by_month[month] += sum(sheet.item_seconds.values())

    # Table 1: per month.
    t = Table("theo-thang", "Kết quả theo tháng", [
        Column("Tháng", "month"), *_measure_columns(),
        Column("Bản tin đã phát"), Column("Thời lượng phát tin (phút)", "minutes")])
    for month in months:
        c = counts["month"].get(month)
        t.rows.append([month, *_measures(c), len(bulletins_by_month.get(month, ())), seconds_by_month.get(month, 0.0)])
    t.total = ["Cộng", *_measures(total), len(sheets), sum(seconds_by_month[m] for m in months)]
    t.note = ("Bài tính theo ngày của bài; bản tin và thời lượng tính theo ngày phát. Thời lượng là phần đọc tin, "
              "không kể lời giới thiệu và nhạc hiệu.")
    tables[t.id] = t

    # Table 2: per movement, with its coverage.
    months_of: dict[str, set[str]] = defaultdict(set)
    for c in by_movement_month:
        movement, month = c.key.split("|")
        months_of[movement].add(month)
    units_of = _second_keys(by_movement_unit, known=units)
    communes_of = _second_keys(by_movement_commune, known=communes)
    t = Table("theo-phong-trao", "Kết quả theo phong trào thi đua", [
        Column("Phong trào", "text"), *_measure_columns(), Column("Bản tin đã phát"),
        Column("Thời lượng phát tin (phút)", "minutes"), Column("Số tháng có tin"), Column("Số đơn vị có bài"),
        Column("Số xã, thị trấn có tin")])
    for mid, known_movement in movements.items():
        a = air["movement"].get(mid, Airtime())
        t.rows.append([known_movement.name, *_measures(counts["movement"].get(mid)), a.bulletins, a.seconds,
                       len(months_of.get(mid, ())), len(units_of.get(mid, ())), len(communes_of.get(mid, ()))])
    t.note = (f"Một bài có thể thuộc nhiều phong trào nên các cột không cộng dọc. Kỳ báo cáo có {len(months)} tháng; "
              f"huyện có {len(units)} đơn vị và {len(communes)} xã, thị trấn.")
    tables[t.id] = t

    # Table 3: per unit; table 4: per cluster or block.
    t = Table("theo-don-vi", "Kết quả theo đơn vị", [
        Column("Đơn vị", "text"), Column("Cụm, khối thi đua", "text"), *_measure_columns(),
        Column("Bản tin đã phát"), Column("Thời lượng phát tin (phút)", "minutes")])
    unit_rows = [(uid, u.name, clusters[u.cluster].name if u.cluster in clusters else "") for uid, u in units.items()]
    stray = sorted(k for k in counts["unit"] if k not in units)  # "" (unknown) or a unit since removed
    unit_rows += [(k, UNKNOWN_UNIT if not k else f"{k} (không còn trong units.toml)", "") for k in stray]
    for uid, name, cluster in unit_rows:
        a = air["unit"].get(uid, Airtime())
        t.rows.append([name, cluster, *_measures(counts["unit"].get(uid)), a.bulletins, a.seconds])
    t.total = ["Cộng", "", *_measures(_sum(counts["unit"].values())), air["all"].bulletins, air["all"].seconds]
    t.note = "Bản tin và thời lượng: các bản tin có bài của đơn vị (một bản tin có bài của nhiều đơn vị được tính cho mỗi đơn vị)."
    tables[t.id] = t

    t = Table("theo-cum-khoi", "Kết quả theo cụm, khối thi đua", [
        Column("Cụm, khối thi đua", "text"), Column("Số đơn vị"), Column("Đơn vị có bài"), *_measure_columns(),
        Column("Thời lượng phát tin (phút)", "minutes")])
    for cid, group in clusters.items():
        members = [u for u in units.values() if u.cluster == cid]
        got = [counts["unit"][u.id] for u in members if u.id in counts["unit"]]
        seconds = sum(air["unit"].get(u.id, Airtime()).seconds for u in members)
        t.rows.append([group.name, len(members), sum(1 for c in got if c.received), *_measures(_sum(got)),
                       seconds])
    known_got = [c for k, c in counts["unit"].items() if k in units]
    t.total = ["Cộng", len(units), sum(1 for c in known_got if c.received), *_measures(_sum(known_got)),
               sum(air["unit"].get(u, Airtime()).seconds for u in units)]
    if "" in counts["unit"] or stray:
        t.note = "Không kể các bài chưa xác định được đơn vị (xem bảng theo đơn vị)."
    tables[t.id] = t

    # Table 5: per commune (stories about or addressed to it) and its own station.
    station_of = {s.commune: s for s in stations.values() if s.commune}
    per_station = _per_station(sheets, broadcasts)
    cluster_of_commune = {u.commune: clusters[u.cluster].name for u in units.values()
                          if u.commune and u.cluster in clusters}
    t = Table("theo-xa", "Kết quả theo xã, thị trấn", [
        Column("Xã, thị trấn", "text"), Column("Cụm thi đua", "text"), *_measure_columns(),
        Column("Số phong trào có tin"), Column("Bản tin của đài xã"), Column("Thời lượng phát tin trên đài xã (phút)", "minutes")])
    covered_movements = _second_keys(store.story_counts(first, last, ("commune", "movement")), known=movements)
    for cid, commune in communes.items():
        station = station_of.get(cid)
        own = per_station.get(station.id) if station else None
        t.rows.append([f"{commune.kind.capitalize()} {commune.name}", cluster_of_commune.get(cid, ""),
                       *_measures(counts["commune"].get(cid)), len(covered_movements.get(cid, ())),
                       own[0] if own else 0, own[1] if own else 0.0])
    t.note = "Bài nói về xã hoặc gửi riêng cho xã; một bài có thể thuộc nhiều xã nên các cột bài không cộng dọc."
    tables[t.id] = t

    # Table 6: per station, with the downloads when the fetch log is there.
    columns = [Column("Đài", "text"), Column("Bản tin đã phát"), Column("Lượt tin"),
               Column("Thời lượng phát tin (phút)", "minutes"), Column("Tổng thời lượng bản tin (phút)", "minutes")]
    if downloads is not None:
        columns += [Column("Bản tin đài đã tải đủ"), Column("Tải đủ trước giờ phát"), Column("Chưa tải đủ")]
    t = Table("theo-dai", "Phát thanh và tiếp nhận bản tin theo đài", columns)
    totals = [0, 0, 0.0, 0.0, 0, 0, 0]
    for sid, station in stations.items():
        n, item_s, whole_s, items = per_station.get(sid, (0, 0.0, 0.0, 0))
        row: list[Any] = [station.name, n, items, item_s, whole_s]
        if downloads is not None:
            d = downloads.get(sid) or StationDownloads(sid, n, 0, 0, 0, 0, n)
            row += [d.fetched, d.on_time, d.bulletins - d.fetched]
            totals[4:] = [totals[4] + d.fetched, totals[5] + d.on_time, totals[6] + d.bulletins - d.fetched]
        totals[:4] = [totals[0] + n, totals[1] + items, totals[2] + item_s, totals[3] + whole_s]
        t.rows.append(row)
    t.total = ["Cộng", *totals[:4], *(totals[4:] if downloads is not None else [])]
    t.note = ("Lượt tin: số lần một bài có mặt trong một bản tin. "
              + ("Tải đủ: các lần tải của chính đài cộng lại đủ cả tệp." if downloads is not None else
                 "Chưa có số liệu tải bản tin của các đài: nhật ký tải của dịch vụ bantin serve không có lượt tải nào "
                 "của các bản tin trong kỳ."))
    tables[t.id] = t

    # Table 7: per kind.
    t = Table("theo-loai-bai", "Kết quả theo loại bài", [Column("Loại bài", "text"), *_measure_columns(),
                                                          Column("Thời lượng phát tin (phút)", "minutes")])
    for kid, label in STORY_KINDS.items():
        if kid == "emergency":
            continue
        t.rows.append([label[0].upper() + label[1:], *_measures(counts["kind"].get(kid)),
                       air["kind"].get(kid, Airtime()).seconds])
    t.total = ["Cộng", *_measures(_sum(c for k, c in counts["kind"].items() if k in STORY_KINDS)),
               sum(a.seconds for k, a in air["kind"].items() if k in STORY_KINDS and k != "emergency")]
    tables[t.id] = t

    # Table 8: the featured models, practices and examples; table 9: the campaign's stories.
    featured = [s for s in store.story_lines(first, last, kinds=FEATURED_KINDS) if s.published or s.aired]
    tables["dien-hinh"] = _story_table("dien-hinh", "Mô hình tiêu biểu, cách làm hay, gương điển hình tiên tiến "
                                       "đã đăng, phát", featured, units, communes, with_kind=True)
    tables["dien-hinh"].note = "Các bài loại mô hình, cách làm hay, gương điển hình đã lên cổng thông tin hoặc lên sóng."
    campaign_id = settings.report.campaign
    campaign_name = movements[campaign_id].name if campaign_id in movements else campaign_id
    campaign_lines = store.story_lines(first, last, movement=campaign_id) if campaign_id else []
    tables["chien-dich"] = _story_table("chien-dich", f"Các bài về {campaign_name}", campaign_lines, units, communes,
                                        with_kind=True)
    day = settings.report.campaign_day
    campaign = {
        "received": len(campaign_lines), "approved": sum(s.approved for s in campaign_lines),
        "published": sum(s.published for s in campaign_lines), "aired": sum(s.aired for s in campaign_lines),
        "until_day": sum(s.dated <= day for s in campaign_lines),
        "after_day": sum(s.dated > day for s in campaign_lines),
        "units": len({s.unit for s in campaign_lines if s.unit in units}),
        "communes": len({c for s in campaign_lines for c in s.communes if c in communes}),
        "bulletins": air["movement"].get(campaign_id, Airtime()).bulletins,
        "seconds": int(round(air["movement"].get(campaign_id, Airtime()).seconds)),
    }

    # Who contributed nothing.
    silent_units = [u.name for u in units.values() if not _received(counts["unit"].get(u.id))]
    silent_clusters = [c.name for cid, c in clusters.items()
                       if not any(_received(counts["unit"].get(u.id)) for u in units.values() if u.cluster == cid)]
    silent_communes = [f"{c.kind} {c.name}" for cid, c in communes.items() if not _received(counts["commune"].get(cid))]
    t = Table("khong-co-bai", "Đơn vị, cụm, khối và xã, thị trấn không có bài trong kỳ",
              [Column("Loại", "text"), Column("Tên", "text")])
    t.rows = ([["Đơn vị", n] for n in silent_units] + [["Cụm, khối thi đua", n] for n in silent_clusters]
              + [["Xã, thị trấn", n] for n in silent_communes])
    tables[t.id] = t

    summary = Summary(
        received=total.received, approved=total.approved, published=total.published, aired=total.aired,
        units=sum(1 for k, c in counts["unit"].items() if k in units and c.received), units_known=len(units),
        stations=sum(1 for v in per_station.values() if v[0]), bulletins=len(sheets),
        item_seconds=sum(sum(s.item_seconds.values()) for s in sheets.values()),
        bulletin_seconds=sum(s.duration_seconds for s in sheets.values()),
        alerts=len({b.story_id for b in broadcasts if b.kind == "emergency"}),
        missing_manifests=sum(1 for s in sheets.values() if not s.found))
    report = settings.report
    district = settings.district
    return Report(
        period=period, generated_at=now, district=district.name, centre=district.centre, portal=settings.portal.title,
        authority=report.authority or f"UBND {district.name}", issuer=report.issuer, code=report.code,
        place=report.place or district.name.removeprefix("huyện ").strip(), signer=report.signer,
        recipients=list(report.recipients), summary=summary, tables={i: tables[i] for i in TABLE_ORDER},
        months=[(m, received, published, aired) for m in months
                for received, _approved, published, aired in [_measures(counts["month"].get(m))]],
        movement_bars=[(m.name, _received(counts["movement"].get(mid)), _aired(counts["movement"].get(mid)))
                       for mid, m in movements.items()],
        commune_bars=[(c.name, _received(counts["commune"].get(cid)), _aired(counts["commune"].get(cid)))
                      for cid, c in communes.items()],
        silent_units=silent_units, silent_clusters=silent_clusters, silent_communes=silent_communes,
        campaign_name=campaign_name, campaign_day=day, campaign=campaign, downloads=downloads is not None)


# -- helpers -------------------------------------------------------------------------------------------------

def _measure_columns() -> list[Column]:
    return [Column("Bài nhận"), Column("Bài đã duyệt"), Column("Bài đã đăng cổng TTĐT"), Column("Bài đã phát thanh")]


def _measures(c: StoryCount | None) -> list[int]:
    return [0, 0, 0, 0] if c is None else [c.received, c.approved, c.published, c.aired]


def _received(c: StoryCount | None) -> int:
    return c.received if c else 0


def _aired(c: StoryCount | None) -> int:
    return c.aired if c else 0


def _sum(counts: Iterable[StoryCount]) -> StoryCount:
    got = list(counts)
    return StoryCount("", *(sum(getattr(c, m) for c in got) for m in MEASURES))


def _second_keys(counts: Sequence[StoryCount], known: dict[str, Any]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for c in counts:
        head, second = c.key.split("|")
        if second in known and c.received:
            out[head].add(second)
    return out


def _airtime(lines: Sequence[BroadcastLine], sheets: dict[BulletinKey, BulletinSheet],
             tags: dict[int, dict[str, tuple[str, ...]]], units: dict[str, Unit]) -> dict[str, Any]:
    """Bulletins and seconds of speech per movement, commune, unit and kind (alerts only under their kind)."""
    bulletins: dict[str, dict[str, set[BulletinKey]]] = defaultdict(lambda: defaultdict(set))
    seconds: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    unknown: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for line in lines:
        key = (line.station_id, line.day, line.slot_id)
        sheet = sheets[key]
        got = sheet.item_seconds.get(line.story_id) if sheet.found else None
        keys: list[tuple[str, str]] = [("kind", line.kind)]
        if line.kind != "emergency":
            story_tags = tags.get(line.story_id, {})
            keys += [("unit", line.unit), ("all", "")]
            keys += [("movement", m) for m in story_tags.get("movement", ())]
            keys += [("commune", c) for c in story_tags.get("commune", ())]
        for facet, value in keys:
            bulletins[facet][value].add(key)
            if got is None:
                unknown[facet][value] += 1
            else:
                seconds[facet][value] += got
    out: dict[str, Any] = {f: {} for f in ("kind", "unit", "movement", "commune")}
    for facet in bulletins:
        out.setdefault(facet, {})
        for value in bulletins[facet]:
            out[facet][value] = Airtime(len(bulletins[facet][value]), seconds[facet][value], unknown[facet][value])
    out["all"] = out.get("all", {}).get("", Airtime())
    return out


def _per_station(sheets: dict[BulletinKey, BulletinSheet],
                 lines: Sequence[BroadcastLine]) -> dict[str, tuple[int, float, float, int]]:
    """Per station: bulletins, seconds of stories, seconds of whole bulletins, story items carried."""
    out: dict[str, tuple[int, float, float, int]] = {}
    for (station_id, _day, _slot), sheet in sheets.items():
        n, item_s, whole_s, items = out.get(station_id, (0, 0.0, 0.0, 0))
        out[station_id] = (n + 1, item_s + sum(sheet.item_seconds.values()), whole_s + sheet.duration_seconds, items)
    for line in lines:  # items from the store: a bulletin whose manifest is gone still carried them
        n, item_s, whole_s, items = out[line.station_id]
        out[line.station_id] = (n, item_s, whole_s, items + 1)
    return out


def _best_link(s: StoryLine) -> str:
    """The portal's page when the portal has a web address (base_url), else where the contributor published it,
    else the portal's path: a link in a filed report must open from anywhere."""
    if s.portal_url.startswith(("http://", "https://")):
        return s.portal_url
    return s.link or s.portal_url


def _story_table(ident: str, title: str, lines: Sequence[StoryLine], units: dict[str, Unit],
                 communes: dict[str, Any], with_kind: bool = False) -> Table:
    columns = [Column("Ngày", "date", 11), Column("Tên bài", "text", 28)]
    if with_kind:
        columns.append(Column("Loại bài", "text", 12))
    columns += [Column("Đơn vị", "text", 14), Column("Xã, thị trấn", "text", 10), Column("Đã đăng", "yesno", 6),
                Column("Đã phát", "yesno", 6), Column("Liên kết", "link", 13)]
    t = Table(ident, title, columns)
    for s in lines:
        row: list[Any] = [s.dated, s.title]
        if with_kind:
            row.append(STORY_KINDS.get(s.kind, s.kind))
        row += [units[s.unit].name if s.unit in units else (s.unit or UNKNOWN_UNIT),
                ", ".join(communes[c].name for c in s.communes if c in communes),
                s.published, s.aired, _best_link(s)]
        t.rows.append(row)
    return t

