"""Near duplicates: the same story rewritten by two units is found and kept as one story crediting both; two
different stories written from one template are not merged."""

from __future__ import annotations

from pathlib import Path

from flows import runtime
from flows.editing.likeness import NEAR_DUPLICATE, bands, likeness, shingles, signature
from flows.models import StoryState, SubmittedStory
from flows.pipeline import normalise

DATA = Path(__file__).resolve().parent / "data"
COMMUNE, UNION, OTHER = [(DATA / f).read_text(encoding="utf-8") for f in ("ban-xa.txt", "ban-doan-the.txt",
                                                                           "xa-khac.txt")]


def test_a_rewrite_is_near_and_a_story_from_the_same_template_is_not() -> None:
    assert likeness(COMMUNE, UNION) >= NEAR_DUPLICATE  # measured 0.60
    assert likeness(COMMUNE, OTHER) < NEAR_DUPLICATE  # measured 0.36: same closing sentence, other commune
    assert likeness(COMMUNE, COMMUNE) == 1.0


def test_signatures_are_stable_and_similar_texts_share_bands() -> None:
    a, b = signature(shingles(COMMUNE)), signature(shingles(UNION))
    assert a == signature(shingles(COMMUNE)) and len(a) == 64
    assert set(bands(a)) & set(bands(b))
    agree = sum(x == y for x, y in zip(a, b)) / len(a)
    assert abs(agree - likeness(COMMUNE, UNION)) < 0.2  # MinHash estimates the Jaccard similarity


def _html(text: str) -> tuple[str, str]:
    title, *paragraphs = text.strip().split("\n")
    return title, "".join(f"<p>{p}</p>" for p in paragraphs)


def test_one_story_from_two_units_is_kept_once_and_credits_both(content_dir: Path) -> None:
    newsroom, store = runtime.newsroom(str(content_dir)), runtime.store(str(content_dir))
    commune_src, union_src = newsroom.source("xa-la-hien"), newsroom.source("hoi-nong-dan")
    t1, b1 = _html(COMMUNE)
    t2, b2 = _html(UNION)
    t3, b3 = _html(OTHER)
    first = store.add_submission(SubmittedStory(commune_src.id, "a", t1, b1, link="https://lahien.example.vn/a"),
                                 commune_src)
    copy = store.add_submission(SubmittedStory(union_src.id, "b", t2, b2, link="https://hnd.example.vn/b"), union_src)
    other = store.add_submission(SubmittedStory(union_src.id, "c", t3, b3), union_src)
    report = normalise(newsroom, store)
    assert report.duplicates == {copy: first}
    assert first in report.ready and other in report.ready
    row = store.story(copy)
    assert row is not None and row.duplicate_of == first and row.state == StoryState.REJECTED.value
    credits = store.credits([first, other])
    assert [(c.source_id, c.kind) for c in credits[first]] == [("xa-la-hien", "own"), ("hoi-nong-dan", "near")]
    assert credits[first][1].link == "https://hnd.example.vn/b" and 0.5 <= credits[first][1].similarity < 1
    assert [c.source_id for c in credits[other]] == ["hoi-nong-dan"]


def test_an_exact_copy_credits_its_source_too(content_dir: Path) -> None:
    newsroom, store = runtime.newsroom(str(content_dir)), runtime.store(str(content_dir))
    a, b = newsroom.source("phong-vhtt"), newsroom.source("hoi-nong-dan")
    title, body = _html(COMMUNE)
    first = store.add_submission(SubmittedStory(a.id, "1", title, body), a)
    copy = store.add_submission(SubmittedStory(b.id, "2", title, body.replace("<p>", "<p> ")), b)
    normalise(newsroom, store)
    assert [(c.source_id, c.kind) for c in store.credits([first])[first]] == [("phong-vhtt", "own"),
                                                                               ("hoi-nong-dan", "exact")]
    assert store.story(copy).duplicate_of == first  # type: ignore[union-attr]
