"""A reader no page can crash: over generated and mutated hostile pages (tests/support/pagegen),
parse_article returns a clean article or refuses the page with a reason — nothing else; a
failure inside reading is caught at the page's boundary (ReadError, counted by its kind) and
never reaches the batch. The longer run is bench/bench_reader_fuzz.py (10,000+ pages)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.parsing.article import ParseError, ReadError, parse_article
from crawler.pool import process_page
from foundation.cleantext import is_clean
from foundation.profile import Profile
from foundation.settings import load_settings
from tests.conftest import REQUIRE
from tests.support.pagegen import Page, fixture_pages, hostile_pages

EXAMPLES = 150  # pages per run; CI draws the same ones every run (derandomized)
PROFILES = [Profile(name="file", base_url="http://localhost"),
            load_settings().source("e-my399")]  # the generic and the anchored reader
TEXT_FIELDS = {"title": "title", "text": "body", "section": "section", "author": "author",
               "byline_source": "byline_source"}


def read(page: Page, profile: Profile) -> str:
    """'article' or 'refused'; a ReadError fails the test with the page that caused it."""
    try:
        article = parse_article(page.body, page.url, profile, page.charset)
    except ReadError as exc:
        raise AssertionError(f"{exc} on a {page.origin} page ({len(page.body)} bytes, "
                             f"charset {page.charset!r}): {page.body[:300]!r}") from exc
    except ParseError as exc:
        assert str(exc)
        return "refused"
    for name, field in TEXT_FIELDS.items():
        assert is_clean(getattr(article, name), field), (name, getattr(article, name))  # type: ignore[arg-type]
    assert article.published is not None and len(article.text) >= 40
    return "article"


@given(page=hostile_pages(), profile=st.sampled_from(PROFILES))
@settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=REQUIRE,
          suppress_health_check=list(HealthCheck))
def test_no_hostile_page_gets_past_the_reader(page: Page, profile: Profile) -> None:
    read(page, profile)


def test_the_fixture_pages_are_read_before_they_are_mutated() -> None:
    """The mutation base is made of real articles: the fuzzer starts from readable pages."""
    pages = fixture_pages()
    outcomes = [read(Page(body, "http://www.example.com/2024/03/01/a.html", None, name),
                     PROFILES[0]) for name, body in pages]
    assert len(pages) > 30 and outcomes.count("article") > len(pages) // 2


def test_a_failure_inside_reading_is_caught_at_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    from crawler.parsing import article

    def broken(_tree: object) -> None:
        raise ValueError("Input object is not an XML element: HtmlComment")

    monkeypatch.setattr(article, "read_metadata", broken)
    body = fixture_pages()[0][1]
    with pytest.raises(ReadError) as caught:
        parse_article(body, "http://localhost/a.html", PROFILES[0])
    assert caught.value.kind == "ValueError" and "HtmlComment" in str(caught.value)
    result = process_page(body, "http://localhost/a.html", PROFILES[0], facts=False,
                          fingerprints=False)
    assert result.item is None and result.error and result.kind == "ValueError"
    assert "cannot read the page (ValueError" in (result.skipped or "")


def test_a_failure_after_reading_is_caught_at_the_page_too(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from pipelines import stages

    def broken(_item: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(stages, "facts_of", broken)
    name, body = next((n, b) for n, b in fixture_pages() if n.startswith("e-my399/"))
    result = process_page(body, "http://e.my399.com/news/2024-03-01/1.html", PROFILES[1],
                          fingerprints=False)
    assert result.item is None and result.error and result.kind == "RecursionError", name


def test_htmldate_comment_between_heading_and_list() -> None:
    """The shape over which `read` stopped on real pages: a comment right before a list of
    links that follows a 'Related' heading (HtmlComment has no text_content)."""
    links = "".join(f"<li><a href='/n/{i}.html'>Another story number {i}</a></li>"
                    for i in range(6))
    page = ("<html><head><meta property='article:published_time' content='2024-03-01'>"
            "</head><body><article><h1>Songbei park opens</h1>"
            f"<p>{'The Songbei park opened a new plant on Monday. ' * 4}</p></article>"
            f"<h3>Related</h3><!-- related --><ul>{links}</ul></body></html>").encode()
    assert read(Page(page, "http://localhost/a.html", None, "probe"), PROFILES[0]) == "article"
