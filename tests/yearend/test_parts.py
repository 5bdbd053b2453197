"""The report's parts on their own: units.toml and its mistakes, a story's unit and kind, the period, Vietnamese
formats, the charts, and the migration that gives old stories their countable rows."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from bs4 import BeautifulSoup
from typer.testing import CliRunner

from flows.cli import app
from flows.content import ContentError, Newsroom
from flows.errors import UserError
from flows.ingest.feeds import parse_feed
from flows.models import Source, Unit
from flows.pipeline.attribution import kind_by_words, story_kind, story_unit
from flows.store import Store
from flows.store.db import MIGRATIONS
from flows.yearend import charts, numbers
from flows.yearend.period import Period

runner = CliRunner()


# -- units.toml -----------------------------------------------------------------------------------------------

def test_the_demo_units_name_every_commune_once(content_dir: Path) -> None:
    room = Newsroom.load(content_dir)
    by_commune = [u.commune for u in room.units if u.commune]
    assert sorted(by_commune) == sorted(c.id for c in room.communes)
    assert {c.kind for c in room.clusters} == {"cụm", "khối"}
    assert {s.id: s.unit for s in room.sources}["xa-la-hien"] == "ubnd-la-hien"


@pytest.mark.parametrize(("file", "old", "new", "said"), [
    ("sources.toml", 'unit = "phong-vhtt"', 'unit = "phong-van-hoa"',
     ["sources.toml, dòng ", 'khối [[source]] thứ 2 (id = "phong-vhtt"), khóa unit',
      'không có đơn vị "phong-van-hoa" trong units.toml']),
    ("units.toml", 'cluster = "khoi-noi-chinh"', 'cluster = "khoi-an-ninh"',
     ["units.toml, dòng ", '(id = "cong-an"), khóa cluster', 'không có cụm, khối thi đua "khoi-an-ninh"']),
    ("units.toml", 'commune = "vu-chan"', 'commune = "vu-chan-moi"',
     ["units.toml, dòng ", '(id = "ubnd-vu-chan"), khóa commune', 'không có xã "vu-chan-moi"']),
    ("units.toml", '\nkind = "cụm"', '\nkind = "nhóm"', ["units.toml, dòng ", "kind", 'không có loại cụm, khối "nhóm"']),
    ("units.toml", 'id = "cong-an"', 'id = "ban-chqs"', ["units.toml, dòng ", 'mã đơn vị "ban-chqs" trùng']),
])
def test_a_mistake_in_units_is_named_with_its_file_and_key(content_dir: Path, file: str, old: str, new: str,
                                                            said: list[str]) -> None:
    path = content_dir / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        room = Newsroom.load(content_dir)
        _ = room.sources, room.units
    for part in said:
        assert part in caught.value.describe()
    # Through the CLI: one Vietnamese line and exit 1, nothing else started.
    result = runner.invoke(app, ["report", "--year", "2023", "--no-pdf", "--content", str(content_dir)],
                           env={"COLUMNS": "250"})
    assert result.exit_code == 1 and said[-1] in result.output
    assert not (content_dir.parent / "reports").exists()


def test_without_units_toml_the_report_still_counts(content_dir: Path) -> None:
    (content_dir / "units.toml").unlink()
    text = (content_dir / "sources.toml").read_text(encoding="utf-8")
    (content_dir / "sources.toml").write_text(re.sub(r'unit = "[^"]+"\n', "", text), encoding="utf-8")
    room = Newsroom.load(content_dir)
    assert room.units == [] and room.clusters == [] and all(s.unit == "" for s in room.sources)


# -- a story's unit and kind ----------------------------------------------------------------------------------

UNITS = [Unit("cong-an", "Công an huyện Võ Nhai", "khoi-noi-chinh", aliases=("Công an huyện",)),
         Unit("phong-vhtt", "Phòng Văn hóa và Thông tin huyện", "khoi-quan-ly")]
SOURCE = Source("hop-thu", "Hộp thư", "inbox", "x", unit="phong-vhtt")


@pytest.mark.parametrize(("given", "author", "source", "unit", "warned"), [
    ("cong-an", "", SOURCE, "cong-an", False),  # the story's own word
    ("", "CÔNG AN HUYỆN", SOURCE, "cong-an", False),  # its author, however it is typed
    ("", "Cong an huyen Vo Nhai", SOURCE, "cong-an", False),
    ("", "Ai đó", SOURCE, "phong-vhtt", False),  # the source's
    ("", "Ai đó", None, "", False),  # nothing known
    ("khong-co", "Công an huyện", SOURCE, "cong-an", True),  # an unknown id: warned, then the rules
])
def test_a_storys_unit(given: str, author: str, source: Source | None, unit: str, warned: bool) -> None:
    got, warning = story_unit(given, author, source, UNITS)
    assert got == unit and (warning is not None) == warned
    if warning:
        assert warning.code == "unknown-unit" and "khong-co" in warning.message


@pytest.mark.parametrize(("given", "title", "text", "kind"), [
    ("practice", "Tin", "", "practice"),
    ("Gương điển hình tiên tiến", "Tin", "", "example"),
    ("cách làm hay", "Tin", "", "practice"),
    ("news", "Thần Sa biểu dương 12 gương điển hình", "", "example"),  # "news" is the default: words may say more
    ("", "Nhân rộng mô hình “Camera an ninh”", "", "model"),
    ("", "Phú Thượng trả kết quả tại nhà", "Đây là cách làm hay của xã.", "practice"),
    ("", "Hội nghị", "Một mô hình mới.", "news"),  # one passing "mô hình" is not enough
    ("", "Hội nghị", "Mô hình nuôi dê. Mô hình đã giúp 10 hộ.", "model"),
    ("", "Sơ kết năm", "Không có gì đặc biệt.", "news"),
])
def test_a_storys_kind(given: str, title: str, text: str, kind: str) -> None:
    assert story_kind(given, title, text)[0] == kind


def test_an_unknown_kind_is_a_warning_and_the_words_decide() -> None:
    kind, warning = story_kind("phóng sự", "Gương sáng xóm Na Ri", "")
    assert kind == "example" and warning is not None and warning.code == "unknown-kind"
    assert "phóng sự" in warning.message
    assert kind_by_words("", "") == "news"


def test_a_feed_item_names_its_kind_and_unit() -> None:
    feed = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
            '<item><title>Mô hình hay</title><guid>a1</guid><description>&lt;p&gt;Nội dung&lt;/p&gt;</description>'
            '<category domain="kind">practice</category><category domain="unit">cong-an</category></item>'
            '<item><title>Tin thường</title><guid>a2</guid><description>&lt;p&gt;Nội dung&lt;/p&gt;</description>'
            '</item></channel></rss>').encode()
    stories, failures = parse_feed(feed, Source("f", "F", "feed", "x"))
    assert failures == [] and [(s.kind, s.unit) for s in stories] == [("practice", "cong-an"), ("", "")]


# -- period, numbers, charts ----------------------------------------------------------------------------------

def test_the_period_from_the_command_line() -> None:
    today = date(2024, 2, 10)
    assert Period.chosen(None, None, 2023, today) == Period(date(2023, 1, 1), date(2023, 12, 31))
    assert Period.chosen(None, None, None, today) == Period.year(2024)
    assert Period.chosen("01/03/2023", "2023-06-30", None, today) == Period(date(2023, 3, 1), date(2023, 6, 30))
    assert Period.chosen("2023-03-01", None, None, today).last == date(2023, 12, 31)
    assert Period.year(2023).label == "năm 2023" and Period.year(2023).slug == "2023"
    odd = Period(date(2023, 11, 15), date(2024, 2, 3))
    assert odd.months() == ["2023-11", "2023-12", "2024-01", "2024-02"]
    assert odd.label == "từ ngày 15/11/2023 đến ngày 03/02/2024" and odd.slug == "2023-11-15_2024-02-03"
    for first, last, year, message in [("2023-12-31", "2023-01-01", None, "trước ngày đầu"),
                                       ("2023-13-01", None, None, "không đúng dạng"),
                                       ("2023-01-01", None, 2023, "không dùng cả hai")]:
        with pytest.raises(UserError, match=message):
            Period.chosen(first, last, year, today)


def test_vietnamese_number_and_date_formats() -> None:
    assert numbers.number(1234.5, 1) == "1.234,5" and numbers.number(1234567) == "1.234.567"
    assert numbers.number(0) == "0" and numbers.number(-1234.56, 1) == "-1.234,6" and numbers.number(-0.01, 1) == "0,0"
    assert numbers.minutes(754) == "12,6" and numbers.percent(1, 3) == "33,3%" and numbers.percent(1, 0) == "–"
    assert numbers.day(date(2023, 6, 1)) == "01/06/2023" and numbers.month("2023-06") == "Tháng 6/2023"
    assert numbers.moment(datetime(2024, 1, 5, 7, 3)) == "07 giờ 03, ngày 05/01/2024"


def test_charts_are_svg_with_bars_in_proportion_and_escaped_labels() -> None:
    svg = charts.bar_chart("Theo <phong trào>", [("A & B", (4, 2)), ("C", (0, 1))], ["Nhận", "Phát"])
    soup = BeautifulSoup(svg, "html.parser")
    bars = {(b["data-series"], b["data-value"]): float(b["width"]) for b in soup.select("rect.bar")}
    assert bars[("0", "4")] == pytest.approx(2 * bars[("1", "2")]) and bars[("0", "0")] == 0
    assert "A &amp; B" in svg and "Theo &lt;phong trào&gt;" in svg
    line = charts.line_chart("Theo tháng", ["2023-01", "2023-02"], [("Nhận", [0, 1234])])
    assert "T1/2023" in line and "2.000" in line  # the axis top, in Vietnamese format
    empty = charts.line_chart("Trống", ["2023-01"], [("Nhận", [0])])
    assert "<polyline" in empty  # no division by zero on a period with nothing


# -- the migration ---------------------------------------------------------------------------------------------

def test_stories_kept_before_the_report_get_their_rows(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    engine = sa.create_engine(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0003")
        connection.execute(sa.text(
            "INSERT INTO stories (source_id, external_id, title, raw_body, content_type, link, author, submitted_at, "
            "audience, movements, communes, priority, state, warnings, kind, revision) VALUES ('s', '1', 'Tin', 'x', "
            "'text/html', '', '', '2023-05-01 00:00:00', '[\"district\"]', '[\"nong-thon-moi\", \"ngan-sach\"]', "
            "'[\"la-hien\"]', 0, 'approved', '[]', 'news', 1)"))
    engine.dispose()
    store = Store(url)
    store.migrate()
    counts = {c.key: c.received for c in store.story_counts(date(2023, 1, 1), date(2023, 12, 31), "movement")}
    assert counts == {"nong-thon-moi": 1, "ngan-sach": 1}
    assert [c.key for c in store.story_counts(date(2023, 1, 1), date(2023, 12, 31), "commune")] == ["la-hien"]
    assert store.story(1).unit == ""
    store.engine.dispose()


def test_the_tag_rows_follow_every_change_of_a_storys_lists(content_dir: Path) -> None:
    from tests.yearend.conftest import add_story
    from flows.store import Normalised

    store = Store(Newsroom.load(content_dir).settings.store.url)
    store.migrate()
    story_id = add_story(store, "x", datetime(2023, 5, 1), movements=("ngan-sach",), communes=("la-hien",))
    store.revise(story_id, Normalised(title="Tin", slug="", body_html="<p>y</p>", body_text="y", spoken_text="y",
                                      fingerprint="g", movements=["dan-van-kheo"], communes=[], audience=["district"],
                                      warnings=[]), "biên tập viên", "sửa")
    first, last = date(2023, 1, 1), date(2023, 12, 31)
    assert [c.key for c in store.story_counts(first, last, "movement")] == ["dan-van-kheo"]
    assert store.story_counts(first, last, "commune") == []
    store.engine.dispose()

