"""The report on the demo content out of the box: the demo night (1/12/2023) and its stories of March–November
2023, through the library and through `bantin report`."""

from __future__ import annotations

from datetime import date

from bs4 import BeautifulSoup
from typer.testing import CliRunner

from flows import pipeline, runtime
from flows.cli import app
from flows.yearend.period import Period
from tests.yearend.conftest import page_tables, vn_number

runner = CliRunner()


def test_the_demo_year_is_reported_with_every_movement_and_its_bulletins(demo_night: dict) -> None:
    room, store = runtime.open_newsroom(demo_night["content"])
    files = pipeline.report(room, store, Period.year(2023), pdf=False)  # the PDF is checked in test_print.py
    stories = [s for s in store.stories() if s.duplicate_of is None and s.kind != "emergency"
               and s.dated.year == 2023]
    aired_days = {d for s in store.stories() for d, _station, _slot in store.broadcasts_of(s.id)}
    assert len(stories) >= 30 and date(2023, 12, 1) in aired_days
    soup = BeautifulSoup(files.html.read_text(encoding="utf-8"), "html.parser")
    facts = {b["data-key"]: vn_number(b.get_text()) for b in soup.select("strong.so")}
    assert facts["received"] == len(stories)
    assert facts["published"] == sum(1 for s in stories if s.portal_published_at is not None)
    assert facts["aired"] == sum(1 for s in stories if store.broadcasts_of(s.id))
    assert facts["bulletins"] == len({(st, d, sl) for s in store.stories() for d, st, sl in store.broadcasts_of(s.id)
                                      if d.year == 2023}) > 0
    assert facts["minutes"] > 0 and facts["stations"] == 16
    t = page_tables(str(soup))
    months = {r[0]: vn_number(r[1]) for r in t["theo-thang"]["rows"]}
    assert all(months[f"Tháng {m}/2023"] > 0 for m in range(3, 12))  # the demo's stories span March–November
    assert vn_number(t["theo-thang"]["rows"][11][5]) > 0  # and December is the night on air
    movement_rows = {r[0]: r for r in t["theo-phong-trao"]["rows"]}
    assert set(movement_rows) == {m.name for m in room.movements}
    assert all(vn_number(r[1]) >= 1 for r in movement_rows.values())
    campaign = next(r for name, r in movement_rows.items() if name.startswith("Kỷ niệm 75 năm"))
    assert len(t["chien-dich"]["rows"]) == vn_number(campaign[1])
    assert t["dien-hinh"]["rows"], "the demo features models and examples"
    assert all(r[-1].startswith(("http://", "https://", "/")) for r in t["dien-hinh"]["rows"])  # each with its link


def test_bantin_report_on_the_demo_content(demo_night: dict) -> None:
    result = runner.invoke(app, ["report", "--year", "2023", "--no-pdf", "--content", demo_night["content"]],
                           env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "Báo cáo năm 2023 (từ 01/01/2023 đến 31/12/2023)" in result.output and "bài nhận" in result.output
    assert "bao-cao-2023.xlsx" in result.output and "không yêu cầu (--no-pdf)" in result.output
    empty = runner.invoke(app, ["report", "--from", "2031-01-01", "--to", "2031-03-31", "--no-pdf",
                                "--content", demo_night["content"]], env={"COLUMNS": "250"})
    assert empty.exit_code == 0 and "Không có bài nào và không có bản tin nào trong kỳ" in empty.output
    wrong = runner.invoke(app, ["report", "--from", "2023-12-31", "--to", "2023-01-01",
                                "--content", demo_night["content"]], env={"COLUMNS": "250"})
    assert wrong.exit_code == 1 and "ngày cuối 01/01/2023 trước ngày đầu 31/12/2023" in wrong.output
