"""The report for the Home Affairs office in the running `bantin serve`: the viewer and the editor read it and take
its workbook; an operator and a stranger do not; a wrong period is a Vietnamese error page."""

from __future__ import annotations

import io
from contextlib import closing
from datetime import datetime
from typing import TYPE_CHECKING

import openpyxl
from bs4 import BeautifulSoup

from tests.yearend.conftest import add_story, page_tables, row_of, vn_number

if TYPE_CHECKING:
    from tests.web.conftest import Server


def test_the_office_reads_the_report_of_any_year_and_takes_its_workbook(server: Server) -> None:
    store = server.store()
    add_story(store, "nv-1", datetime(2021, 5, 4), unit="cong-an", kind="example", movements=("an-ninh-to-quoc",),
              communes=("binh-long",))
    add_story(store, "nv-2", datetime(2021, 9, 1), unit="hoi-phu-nu", movements=("dan-van-kheo",), approve=False)
    with closing(server.login("noi-vu")) as viewer:
        r = viewer.get("/bao-cao/thi-dua", params={"nam": "2021"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
        assert "script-src" not in r.headers["content-security-policy"]  # the app's policy: no script at all
        soup = BeautifulSoup(r.text, "html.parser")
        assert soup.find("style") is None and not soup.select("[style]")  # the policy forbids inline styles
        facts = {b["data-key"]: vn_number(b.get_text()) for b in soup.select("strong.so")}
        assert (facts["received"], facts["approved"], facts["units"]) == (2, 1, 2)
        tables = page_tables(r.text)
        assert [vn_number(c) for c in row_of(tables["theo-don-vi"], "Công an huyện Võ Nhai")[2:6]] == [1, 1, 0, 0]
        assert [vn_number(c) for c in row_of(tables["theo-xa"], "Xã Bình Long")[2:6]] == [1, 1, 0, 0]
        assert [vn_number(c) for c in tables["theo-thang"]["total"][1:5]] == [2, 1, 0, 0]
        css = viewer.get(soup.select_one('link[rel="stylesheet"]')["href"])
        assert css.status_code == 200 and css.headers["content-type"].startswith("text/css") and "@page" in css.text
        workbook = viewer.get(soup.select_one(".thanh-cong-cu a[href$='.xlsx'], .thanh-cong-cu a[href*='.xlsx?']")["href"])
        assert workbook.status_code == 200 and "bao-cao-2021.xlsx" in workbook.headers["content-disposition"]
        book = openpyxl.load_workbook(io.BytesIO(workbook.content))
        total = next(row for row in book["theo-thang"].iter_rows(min_row=4, values_only=True) if row[1] == "Cộng")
        assert list(total[2:6]) == [2, 1, 0, 0]
        other = viewer.get("/bao-cao/thi-dua", params={"tu": "2021-09-01", "den": "2021-09-30"})
        assert other.status_code == 200
        assert [vn_number(c) for c in page_tables(other.text)["theo-thang"]["total"][1:3]] == [1, 0]
        wrong = viewer.get("/bao-cao/thi-dua", params={"tu": "2021-12-31", "den": "2021-01-01"})
        assert wrong.status_code == 400 and "ngày cuối 01/01/2021 trước ngày đầu 31/12/2021" in wrong.text
        assert viewer.get("/bao-cao/thi-dua", params={"nam": "hai nghìn"}).status_code == 400
        assert 'href="/bao-cao/thi-dua"' in viewer.get("/dai").text  # the menu leads there
    with closing(server.login("bien-tap")) as editor:
        assert editor.get("/bao-cao/thi-dua", params={"nam": "2021"}).status_code == 200
    with closing(server.login("op-binh-long")) as operator:
        refused = operator.get("/bao-cao/thi-dua", params={"nam": "2021"})
        assert refused.status_code == 403 and "Công an huyện" not in refused.text
        assert operator.get("/bao-cao/thi-dua.xlsx", params={"nam": "2021"}).status_code == 403
    with closing(server.client()) as stranger:
        away = stranger.get("/bao-cao/thi-dua", params={"nam": "2021"})
        assert away.status_code == 303 and away.headers["location"].startswith("/dang-nhap")
