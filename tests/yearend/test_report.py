"""Every number of the report against a store filled with known stories, on SQLite and on PostgreSQL; the page read
back with bs4, the workbook with openpyxl, the CSV files with the csv module."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from bs4 import BeautifulSoup

from flows import pipeline
from flows.yearend.period import Period
from tests.yearend.conftest import Filled, page_tables, row_of, vn_number

NOW = datetime(2024, 1, 15, 9, 30)
MEASURE_HEAD = ["Bài nhận", "Bài đã duyệt", "Bài đã đăng cổng TTĐT", "Bài đã phát thanh"]


def _numbers(cells: list[str]) -> list[float]:
    return [vn_number(c) for c in cells]


def test_every_number_on_the_page_matches_the_known_store(filled: Filled) -> None:
    files = pipeline.report(filled.newsroom, filled.store, Period.year(2023), now=NOW, pdf=False)
    html = files.html.read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    t = page_tables(html)

    # The summary paragraph: s1–s4 are 2023's stories (s5 a duplicate, s6/s7 outside, s8 an alert).
    facts = {b["data-key"]: b.get_text() for b in soup.select("strong.so")}
    assert facts["received"] == "4" and facts["approved"] == "3" and facts["published"] == "2"
    assert facts["aired"] == "2" and facts["units"] == "3"
    assert facts["bulletins"] == "6" and facts["stations"] == "2"
    assert facts["minutes"] == "4,3"  # 30 + 60 + 60 + 90,5 + 20 seconds of items = 260,5 s
    assert "1 tin khẩn cấp" in _text(soup.select_one("#ket-qua-chung"))
    assert "1 bản tin không còn tệp mô tả" in _text(soup.select_one("#ket-qua-chung"))

    months = t["theo-thang"]
    assert months["head"] == ["Tháng", *MEASURE_HEAD, "Bản tin đã phát", "Thời lượng phát tin (phút)"]
    assert [r[0] for r in months["rows"]] == [f"Tháng {m}/2023" for m in range(1, 13)]
    assert _numbers(row_of(months, "Tháng 1/2023")[1:]) == [0, 0, 0, 0, 1, 0.5]
    assert _numbers(row_of(months, "Tháng 3/2023")[1:]) == [2, 2, 2, 1, 2, 2.0]
    assert _numbers(row_of(months, "Tháng 6/2023")[1:]) == [1, 1, 0, 1, 2, 1.5]
    assert _numbers(row_of(months, "Tháng 7/2023")[1:]) == [1, 0, 0, 0, 0, 0]
    assert _numbers(row_of(months, "Tháng 8/2023")[1:]) == [0, 0, 0, 0, 1, 0.3]
    assert _numbers(row_of(months, "Tháng 12/2023")[1:]) == [0, 0, 0, 0, 0, 0]
    assert months["total"][0] == "Cộng" and _numbers(months["total"][1:]) == [4, 3, 2, 2, 6, 4.3]

    movements = t["theo-phong-trao"]
    ntm = row_of(movements, "Cả nước chung sức xây dựng nông thôn mới")
    # received, approved, published, aired, bulletins, minutes, months, units, communes
    assert _numbers(ntm[1:]) == [2, 2, 2, 1, 3, 2.5, 1, 2, 1]  # s6 (dated 2022) aired on 2/1/2023
    campaign = row_of(movements, next(r[0] for r in movements["rows"] if r[0].startswith("Kỷ niệm 75 năm")))
    assert _numbers(campaign[1:]) == [2, 2, 1, 2, 4, 3.5, 2, 2, 2]
    dvk = row_of(movements, "Dân vận khéo")
    assert _numbers(dvk[1:]) == [0] * 9
    assert movements["total"] is None  # a story with two movements would count twice

    units = t["theo-don-vi"]
    assert _numbers(row_of(units, "Phòng Văn hóa và Thông tin huyện")[2:]) == [1, 1, 1, 1, 3, 2.5]  # s6 aired in Jan
    assert _numbers(row_of(units, "Hội Nông dân huyện Võ Nhai")[2:]) == [1, 1, 1, 0, 0, 0]
    assert row_of(units, "UBND xã Thần Sa")[1] == "Cụm thi đua số 2 (các xã vùng cao)"
    assert _numbers(row_of(units, "UBND xã Thần Sa")[2:]) == [1, 1, 0, 1, 2, 1.5]
    assert _numbers(row_of(units, "Chưa xác định đơn vị")[2:]) == [1, 0, 0, 0, 0, 0]
    assert _numbers(row_of(units, "Công an huyện Võ Nhai")[2:]) == [0] * 6
    assert _numbers(units["total"][2:]) == [4, 3, 2, 2, 5, 4.0]  # bulletins with propaganda stories (not the alert)

    clusters = t["theo-cum-khoi"]
    assert _numbers(row_of(clusters, "Khối các cơ quan chuyên môn thuộc UBND huyện")[1:]) == [4, 1, 1, 1, 1, 1, 2.5]
    assert _numbers(row_of(clusters, "Khối các cơ quan Đảng, Mặt trận Tổ quốc và đoàn thể")[1:]) == [7, 1, 1, 1, 1, 0, 0]
    assert _numbers(row_of(clusters, "Cụm thi đua số 2 (các xã vùng cao)")[1:]) == [7, 1, 1, 1, 0, 1, 1.5]
    assert _numbers(row_of(clusters, "Khối nội chính")[1:]) == [2, 0, 0, 0, 0, 0, 0]
    assert _numbers(clusters["total"][1:]) == [30, 3, 3, 3, 2, 2, 4.0]  # the unit-less s4 is not in a cluster

    communes = t["theo-xa"]
    # received..aired, movements covered, the commune station's bulletins and minutes
    assert _numbers(row_of(communes, "Xã La Hiên")[2:]) == [1, 1, 1, 1, 2, 2, 1.0]
    assert _numbers(row_of(communes, "Xã Thần Sa")[2:]) == [2, 1, 0, 1, 1, 0, 0]
    assert row_of(communes, "Xã Thần Sa")[1] == "Cụm thi đua số 2 (các xã vùng cao)"
    assert _numbers(row_of(communes, "Thị trấn Đình Cả")[2:]) == [0] * 7

    stations = t["theo-dai"]
    assert stations["head"] == ["Đài", "Bản tin đã phát", "Lượt tin", "Thời lượng phát tin (phút)",
                                "Tổng thời lượng bản tin (phút)", "Bản tin đài đã tải đủ", "Tải đủ trước giờ phát",
                                "Chưa tải đủ"]
    # vo-nhai: 4 bulletins (Jan, Mar, Jun, the alert), items 30+60+90,5+20 s; each manifest adds 10 s of idents.
    # Fetched whole: March (before 06:00) and the alert (two pieces before 09:00); January only by an editor,
    # June only in part. La Hiên: March after its slot; June has no manifest left.
    assert _numbers(row_of(stations, "Đài Truyền thanh huyện Võ Nhai")[1:]) == [4, 4, 3.3, 4.0, 2, 2, 2]
    assert _numbers(row_of(stations, "Đài Truyền thanh xã La Hiên")[1:]) == [2, 2, 1.0, 1.2, 1, 0, 1]
    assert _numbers(row_of(stations, "Đài Truyền thanh xã Tràng Xá")[1:]) == [0] * 7
    assert _numbers(stations["total"][1:]) == [6, 6, 4.3, 5.2, 3, 2, 3]

    kinds = t["theo-loai-bai"]
    assert _numbers(row_of(kinds, "Mô hình tiêu biểu")[1:]) == [1, 1, 1, 1, 2.0]
    assert _numbers(row_of(kinds, "Gương điển hình tiên tiến")[1:]) == [1, 1, 0, 1, 1.5]
    assert _numbers(row_of(kinds, "Tin tức")[1:]) == [2, 1, 1, 0, 0.5]
    assert _numbers(row_of(kinds, "Cách làm hay")[1:]) == [0] * 5
    assert _numbers(kinds["total"][1:]) == [4, 3, 2, 2, 4.0]

    featured = t["dien-hinh"]
    assert [(r[0], r[1], r[2], r[5], r[6]) for r in featured["rows"]] == [
        ("10/03/2023", "Bài s1", "mô hình tiêu biểu", "Có", "Có"),
        ("11/06/2023", "Bài s3", "gương điển hình tiên tiến", "Không", "Có")]
    links = [a["href"] for a in soup.select("#bang-dien-hinh a")]
    assert links == ["http://cong/s1.html", "http://nguon/s3"]  # the portal's page when there is one

    campaign_table = t["chien-dich"]
    assert [r[1] for r in campaign_table["rows"]] == ["Bài s1", "Bài s3"]
    summary = _text(soup.select_one("#chien-dich-tom-tat"))
    assert "2 bài đến ngày 11/06/2023 và 0 bài sau ngày đó" in summary
    assert "của 2 đơn vị, nói về 2 xã" in summary and "trong 4 bản tin với 3,5 phút" in summary

    silent_units = _text(soup.select_one("#don-vi-khong-bai"))
    assert "(27)" in silent_units and "Công an huyện Võ Nhai" in silent_units
    assert "Phòng Văn hóa và Thông tin huyện" not in silent_units
    silent_clusters = _text(soup.select_one("#cum-khoi-khong-bai"))
    assert "(3)" in silent_clusters and "Khối nội chính" in silent_clusters
    assert "Cụm thi đua số 1 (thị trấn và các xã vùng thấp)" in silent_clusters
    silent_communes = _text(soup.select_one("#xa-khong-bai"))
    assert "(13)" in silent_communes and "Thần Sa" not in silent_communes and "thị trấn Đình Cả" in silent_communes

    assert soup.select_one("#chua-co-nhat-ky") is None  # the fetch log is there to count from
    # The heading of an administrative report and the blank signature block.
    text = _text(soup)
    for part in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "UBND HUYỆN VÕ NHAI",
                 "PHÒNG NỘI VỤ", "Số: ........../BC-PNV", "Võ Nhai, ngày ...... tháng ...... năm ..........",
                 "BÁO CÁO", "năm 2023", "Nơi nhận:", "TRƯỞNG PHÒNG", "09 giờ 30, ngày 15/01/2024"):
        assert part in text, part
    assert soup.find("script") is None and len(soup.select("svg.chart")) == 3


def test_the_workbook_and_the_csv_files_hold_the_same_tables_as_the_page(filled: Filled) -> None:
    files = pipeline.report(filled.newsroom, filled.store, Period.year(2023), now=NOW, pdf=False)
    tables = page_tables(files.html.read_text(encoding="utf-8"))
    book = openpyxl.load_workbook(files.xlsx)
    assert book.sheetnames == list(tables) + ["khong-co-bai"]
    for name, table in tables.items():
        sheet = book[name]
        values = [list(r) for r in sheet.iter_rows(min_row=4, values_only=True)]
        rows = values[:len(table["rows"])]
        assert [[_cell(v) for v in r[1:]] for r in rows] == [[_page(c) for c in r] for r in table["rows"]], name
        if table["total"] is not None:
            total = values[len(table["rows"])]
            assert total[1] == "Cộng"
            assert [_cell(v) for v in total[2:]] == [_page(c) for c in table["total"][1:]], name
            # The workbook's sums agree with its own total row (numbers, not text).
            for col, value in enumerate(total[2:], start=2):
                if isinstance(value, (int, float)) and not isinstance(value, bool) and name != "theo-cum-khoi":
                    column_sum = sum(r[col] for r in rows if isinstance(r[col], (int, float)))
                    assert column_sum == pytest.approx(value, abs=0.051 * len(rows)), (name, col)
    csv_files = sorted(files.csv)
    assert [p.name for p in csv_files][:2] == ["bang-01-theo-thang.csv", "bang-02-theo-loai-bai.csv"]
    with csv_files[0].open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    assert rows[0][:3] == ["TT", "Tháng", "Bài nhận"]
    assert rows[3][1:] == ["Tháng 3/2023", "2", "2", "2", "1", "2", "2,0"]
    assert rows[-1][1:] == ["Cộng", "4", "3", "2", "2", "6", "4,3"]


def _text(element: object) -> str:
    return " ".join(element.get_text(" ").split())  # type: ignore[attr-defined]


def _page(text: str) -> object:
    try:
        return vn_number(text)
    except (ValueError, AssertionError):
        return text


def _cell(value: object) -> object:
    if isinstance(value, bool) or value is None:
        return {True: "Có", False: "Không", None: ""}[value]
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y}"
    return str(value)


def test_any_period_not_only_a_year(filled: Filled) -> None:
    period = Period(date(2023, 3, 11), date(2023, 6, 30))
    files = pipeline.report(filled.newsroom, filled.store, period, now=NOW, pdf=False)
    assert files.folder.name == "2023-03-11_2023-06-30" and files.html.name == "bao-cao-2023-03-11_2023-06-30.html"
    soup = BeautifulSoup(files.html.read_text(encoding="utf-8"), "html.parser")
    assert "từ ngày 11/03/2023 đến ngày 30/06/2023" in _text(soup.select_one("h1"))
    t = page_tables(str(soup))
    assert [r[0] for r in t["theo-thang"]["rows"]] == ["Tháng 3/2023", "Tháng 4/2023", "Tháng 5/2023", "Tháng 6/2023"]
    # s2 (20/3) and s3 (11/6, late evening) are in; s1 (10/3) is not, though its bulletins of 11/3 are.
    assert _numbers(t["theo-thang"]["total"][1:]) == [2, 2, 1, 1, 4, 3.5]


def test_a_period_with_nothing_says_so(filled: Filled) -> None:
    files = pipeline.report(filled.newsroom, filled.store, Period.year(2030), now=NOW, pdf=False)
    assert files.empty
    soup = BeautifulSoup(files.html.read_text(encoding="utf-8"), "html.parser")
    assert "không có bài tuyên truyền nào" in _text(soup.select_one("#khong-co-so-lieu"))
    assert soup.select("table.so-lieu") == [] and "TRƯỞNG PHÒNG" in soup.get_text()
    book = openpyxl.load_workbook(files.xlsx)
    months = [list(r) for r in book["theo-thang"].iter_rows(min_row=4, values_only=True)]
    total = next(r for r in months if r[1] == "Cộng")
    assert total[2:] == [0, 0, 0, 0, 0, 0] and len([r for r in months if isinstance(r[0], int)]) == 12


def test_the_report_counts_what_normalise_decided(content_dir: Path) -> None:
    """Through the real door: an inbox file naming its unit and kind, a feed item, a story found by its author."""
    from flows import runtime

    inbox = content_dir / "samples" / "inbox"
    (inbox / "2023-09-01-mo-hinh.md").write_text(
        "---\ntitle: Mô hình nuôi ong ở Vũ Chấn\nauthor: Ai đó\ndate: 2023-09-01\naudience: vu-chan\n"
        "kind: mô hình tiêu biểu\nunit: ubnd-vu-chan\nmovement: nong-dan-san-xuat-gioi\n---\n\n"
        "Xã Vũ Chấn có 30 hộ nuôi ong.\n", encoding="utf-8")
    room, store = runtime.open_newsroom(str(content_dir))
    pipeline.gather(room, store)
    pipeline.normalise(room, store)
    stories = {s.title: s for s in store.stories()}
    bee = stories["Mô hình nuôi ong ở Vũ Chấn"]
    assert (bee.kind, bee.unit) == ("model", "ubnd-vu-chan")
    assert stories["Cảnh giác với thủ đoạn lừa đảo qua mạng"].unit == "cong-an"  # by its author
    assert stories["Thần Sa biểu dương 12 gương điển hình làm theo lời Bác"].kind == "example"
    counts = {c.key: c.received for c in store.story_counts(date(2023, 1, 1), date(2023, 12, 31), "unit")}
    assert counts["ubnd-vu-chan"] == 1 and counts["cong-an"] == 1
    assert counts["phong-vhtt"] == sum(1 for s in store.stories() if s.source_id == "phong-vhtt"
                                       and s.duplicate_of is None and s.dated.year == 2023)


def test_bulletins_nobody_fetched_through_bantin_serve_are_no_data_not_zero(filled: Filled) -> None:
    files = pipeline.report(filled.newsroom, filled.store, Period(date(2024, 1, 1), date(2024, 1, 31)), now=NOW,
                            pdf=False)
    soup = BeautifulSoup(files.html.read_text(encoding="utf-8"), "html.parser")
    assert "không có lượt tải nào" in _text(soup.select_one("#chua-co-nhat-ky"))
    stations = page_tables(str(soup))["theo-dai"]
    assert "Chưa tải đủ" not in stations["head"] and _numbers(stations["total"][1:]) == [1, 1, 0.7, 0.8]
