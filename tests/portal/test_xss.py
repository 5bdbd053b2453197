"""A corpus of XSS vectors (script tags, event handlers, URL schemes in every spelling, SVG, MathML, CSS) sent
through every channel bantin gathers from: feed content, feed links, feed titles, inbox files (Markdown, text,
HTML, Word, front matter) and news-site pages. The whole newsroom runs (gather, normalise, publish) and the
portal's pages and feeds are then parsed the way a browser and a feed reader parse them; nothing executable
may be in the trees. Checked on parsed trees, not by searching strings."""

from __future__ import annotations

import html
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import html5lib
import pytest
from lxml import etree

from flows.content import Newsroom
from flows.editing.links import is_safe_url
from flows.pipeline import Serial, gather, normalise, publish
from flows.store import Store

ROOT = Path(__file__).resolve().parents[2]
VECTORS = [v for v in (Path(__file__).parent / "data" / "xss-vectors.txt").read_text(encoding="utf-8").splitlines()
           if v.strip()]
LINKS = ["javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
         "jav&#x0A;ascript:alert(1)", "&#106;avascript:alert(1)", "vbscript:msgbox(1)",
         "data:text/html,<script>alert(1)</script>", "javascript&colon;alert(1)", "\u200bjavascript:alert(1)"]
# Elements a story body may contain after cleaning; the page around it is our own template.
BODY_TAGS = {"p", "br", "strong", "b", "em", "i", "ul", "ol", "li", "blockquote", "h2", "h3", "h4", "a", "table",
             "thead", "tbody", "tr", "th", "td", "figure", "figcaption", "img"}
NEVER = {"script", "iframe", "object", "embed", "svg", "math", "style", "base", "frame", "frameset", "applet",
         "textarea", "details", "video", "audio", "source", "template", "noscript", "link", "meta", "form", "input",
         "button", "select"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "srcset", "xlink:href", "background",
                  "cite", "longdesc", "usemap", "manifest", "ping"}


def _feed(n_items: int = 0) -> str:
    items = []
    for i, vector in enumerate(VECTORS):
        items.append(f"""<item><title>{html.escape('Tin ' + str(i) + ' ' + vector)}</title><guid>xss-{i}</guid>
<link>{html.escape(LINKS[i % len(LINKS)], quote=False)}</link>
<description>{html.escape('Tóm tắt ' + vector)}</description>
<content:encoded><![CDATA[<p>Bài số {i} về phong trào thi đua của xã Thần Sa.</p>{vector}<p>Đoạn cuối bài {i}.</p>]]></content:encoded>
</item>""")
    return ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/'
            'modules/content/"><channel><title>Nguồn độc</title><link>https://doc.example.vn/</link>'
            f'<description>d</description>{"".join(items)}</channel></rss>\n')


def _inbox(folder: Path) -> None:
    from docx import Document

    folder.mkdir()
    for i, vector in enumerate(VECTORS[:12]):
        (folder / f"md-{i}.md").write_text(f"---\ntitle: Bài md {i} {vector}\n---\nNội dung xã Thần Sa {i}.\n\n"
                                           f"{vector}\n\n[liên kết]({LINKS[i % len(LINKS)]})\n", encoding="utf-8")
        (folder / f"txt-{i}.txt").write_text(f"Bài txt {i} {vector}\n\nNội dung {i}. {vector}\n", encoding="utf-8")
        (folder / f"html-{i}.html").write_text(f"<html><head><title>Bài html {i}</title></head><body><h1>Bài html "
                                               f"{i} {vector}</h1><p>Nội dung {i}.</p>{vector}</body></html>",
                                               encoding="utf-8")
    doc = Document()
    doc.add_heading("Bài Word " + VECTORS[0], level=1)
    for vector in VECTORS:
        doc.add_paragraph("Nội dung " + vector)
    doc.save(str(folder / "word.docx"))


def _site(folder: Path) -> None:
    folder.mkdir()
    links = "".join(f'<li><a class="t" href="bai-{i}.html">Bài {i}</a></li>' for i in range(len(VECTORS)))
    links += "".join(f'<li><a class="t" href="{html.escape(link)}">độc</a></li>' for link in LINKS)
    (folder / "index.html").write_text(f"<html><body><ul class='ds'>{links}</ul></body></html>", encoding="utf-8")
    for i, vector in enumerate(VECTORS):
        (folder / f"bai-{i}.html").write_text(
            f"<html><head><title>x</title></head><body><h1 class='td'>Bài trang {i} {vector}</h1>"
            f"<div class='nd'><p>Nội dung trang {i}.</p>{vector}<p><a href='{html.escape(LINKS[i % len(LINKS)])}'>"
            f"nguồn</a></p></div></body></html>", encoding="utf-8")


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    project = tmp_path_factory.mktemp("xss")
    content = project / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("samples", "inbox", ".gitkeep"))
    (content / "doc.xml").write_text(_feed(), encoding="utf-8")
    _inbox(content / "hop-thu")
    _site(content / "trang")
    (content / "sources.toml").write_text("""
[[source]]
id = "feed-doc"
name = "Nguồn <script>alert(1)</script> độc"
kind = "feed"
location = "doc.xml"
trusted = true
review_hours = 0

[[source]]
id = "hop-thu-doc"
name = "Hộp thư"
kind = "inbox"
location = "hop-thu"
trusted = true
review_hours = 0

[[source]]
id = "trang-doc"
name = "Trang xã"
kind = "page"
location = "trang/index.html"
trusted = true
review_hours = 0

[source.page]
links = ".ds a.t"
title = "h1.td"
body = ".nd"
""", encoding="utf-8")
    newsroom = Newsroom.load(content)
    store = Store(newsroom.settings.store.url)
    store.migrate()
    gather(newsroom, store, fanout=Serial())
    normalise(newsroom, store)
    publish(newsroom, store)
    yield newsroom.settings.portal.output


def _attributes(tree) -> Iterator[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        for name, value in el.attrib.items():
            yield el.tag, str(name), value


def test_the_corpus_went_through_every_channel(portal: Path) -> None:
    articles = list((portal / "bai").glob("*/index.html"))
    # feed items, inbox files (md, txt, html, docx) and site pages all became stories on the portal
    assert len(articles) >= len(VECTORS) * 2 + 12
    titles = [html5lib.parse(p.read_bytes(), namespaceHTMLElements=False).find(".//h1").text or "" for p in articles]
    assert any(t.startswith("Bài md") for t in titles) and any(t.startswith("Bài trang") for t in titles)
    assert any(t.startswith("Bài Word") for t in titles) and any(t.startswith("Tin ") for t in titles)


def test_no_page_holds_anything_executable(portal: Path) -> None:
    pages = sorted(portal.rglob("*.html"))
    assert len(pages) > 50
    for path in pages:
        tree = html5lib.parse(path.read_bytes(), namespaceHTMLElements=False)
        rel = path.relative_to(portal).as_posix()
        for el in tree.iter():
            if not isinstance(el.tag, str):
                continue
            if el.tag == "script":  # only the search page's own script, by file, with no inline code
                assert rel == "tim-kiem/index.html" and el.get("src") == "../static/tim-kiem.js", rel
                assert not (el.text or "").strip()
                continue
            if el.tag in {"link", "meta"}:  # only in our own <head>
                assert el.get("rel") in {None, "stylesheet", "icon", "alternate"} and not el.get("http-equiv"), rel
                continue
            if el.tag in {"form", "input", "button", "noscript", "audio"}:
                assert rel in {"index.html", "tim-kiem/index.html"} or el.tag == "audio", (rel, el.tag)
                assert el.tag != "form" or el.get("action") in {"index.html", "tim-kiem/index.html"}
                continue
            assert el.tag not in NEVER, (rel, el.tag)
        for tag, name, value in _attributes(tree):
            assert not name.lower().startswith("on"), (rel, tag, name)
            assert name.lower() not in {"style", "srcdoc", "formaction"}, (rel, tag, name)
            if name.lower() in URL_ATTRIBUTES or name.lower().endswith(":href"):
                assert is_safe_url(value), (rel, tag, name, value)
                assert not value.startswith("//"), (rel, tag, name, value)
        for body in tree.iter("div"):
            if body.get("class") == "body":
                assert {el.tag for el in body.iter() if isinstance(el.tag, str)} - {"div"} <= BODY_TAGS, rel


def _fragment_elements(text: str) -> list[str]:
    return [el.tag for el in html5lib.parseFragment(text or "", namespaceHTMLElements=False).iter()
            if isinstance(el.tag, str) and el.tag != "DOCUMENT_FRAGMENT"]


def test_feeds_carry_text_and_absolute_safe_links(portal: Path) -> None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    feeds = sorted(portal.glob("*.xml")) + sorted(portal.glob("xa/*/rss.xml"))
    assert {p.name for p in feeds} >= {"rss.xml", "atom.xml", "sitemap.xml"}
    atom = "{http://www.w3.org/2005/Atom}"
    for path in feeds:
        root = etree.parse(str(path), parser).getroot()
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            tag = el.tag.split("}")[-1]
            if tag in {"link", "guid", "loc", "id"} and (el.text or "").strip():
                assert (el.text or "").startswith("https://"), (path.name, tag, el.text)
            if tag == "link" and el.get("href"):
                assert el.get("href", "").startswith("https://"), (path.name, el.get("href"))
            if el.tag.startswith(atom) and tag in {"title", "summary", "subtitle"}:
                # Atom text constructs are typed: "text" (the default) is never read as markup
                assert el.get("type") in {None, "text"}, (path.name, tag)
            elif tag in {"title", "description"}:
                # RSS readers render a description (and some a title) as HTML: what they build must be text only
                assert _fragment_elements(el.text or "") == [], (path.name, tag, el.text)
        assert not list(root.iter(f"{atom}content"))


def test_the_search_index_is_data_with_our_own_paths(portal: Path) -> None:
    rows = json.loads((portal / "tim-kiem" / "chi-muc.json").read_text(encoding="utf-8"))
    assert rows and all(r["u"].startswith("bai/") and r["u"].endswith("/index.html") for r in rows)
    assert all(".." not in r["u"] and "//" not in r["u"] for r in rows)


def test_titles_are_shown_as_text(portal: Path) -> None:
    for path in (portal / "bai").glob("*/index.html"):
        tree = html5lib.parse(path.read_bytes(), namespaceHTMLElements=False)
        h1 = tree.find(".//h1")
        assert h1 is not None and len(list(h1)) == 0  # no element inside the title
        title = tree.find(".//title")
        assert title is not None and len(list(title)) == 0


def test_portal_pages_are_valid_html5(portal: Path, vnu) -> None:  # type: ignore[no-untyped-def]
    pages = sorted(portal.rglob("*.html"))
    assert vnu.errors(pages) == []
