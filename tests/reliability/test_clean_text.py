"""Stored text is clean text: foundation.cleantext.clean_text over any string leaves nothing an
XML document, a terminal or a one-line field cannot hold, within its length, idempotently; and
the reader applies it to every text field of a page."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from crawler.parsing.article import parse_article
from foundation.cleantext import LIMITS, clean_text
from foundation.profile import Profile

ONE_LINE = ("title", "section", "author", "byline_source", "line")
# What must never come out: controls but tab/newline, surrogates, noncharacters, BOM, ESC.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff]")
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
NASTY = st.sampled_from(["\x00", "\x08", "\x1b", "\x1b[31m", "\x1b]0;title\x07", "\x7f",
                         "\x85", "\x9b", "\ud800", "\udfff", "\ufeff", "\ufffe", "\uffff",
                         "\U0010ffff", "\u202e", "\u2066", "\u2028", "\u2029", "\r\n", "\r",
                         "\t", "\x0b", "\x0c", "\u3000", "\u00a0", " ", "\n", "\n\n"])
TEXT = st.lists(st.one_of(st.text(max_size=20), NASTY), max_size=30).map("".join)
FIELDS = st.sampled_from([*ONE_LINE, "body"])


def xml_ok(text: str) -> bool:
    element = etree.Element("e")
    try:
        element.text = text
    except ValueError:
        return False
    return etree.fromstring(etree.tostring(element)).text in (text, None)


@given(TEXT, FIELDS)
@settings(max_examples=300, deadline=None, database=None)
def test_clean_text_leaves_nothing_an_output_cannot_hold(value: str, field: str) -> None:
    cleaned = clean_text(value, field)  # type: ignore[arg-type]
    assert not FORBIDDEN.search(cleaned), ascii(cleaned)
    assert clean_text(cleaned, field) == cleaned  # type: ignore[arg-type]
    assert len(cleaned) <= LIMITS[field]
    assert xml_ok(cleaned)
    assert cleaned == cleaned.strip() and "  " not in cleaned
    if field == "body":
        assert "\n\n" not in cleaned
    else:
        assert "\n" not in cleaned and "\t" not in cleaned and not BIDI.search(cleaned)


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cc", "Cs", "Zl",
                                                                          "Zp", "Zs", "Cf"]),
               min_size=1, max_size=60))
@settings(max_examples=150, deadline=None, database=None)
def test_clean_text_keeps_ordinary_text_as_it_is(value: str) -> None:
    if value == value.strip() and "\ufffe" not in value and "\uffff" not in value \
            and not re.search("[\ufdd0-\ufdef]", value) and not re.search(
                "[\U0001fffe-\U0001ffff]", value):
        assert clean_text(value, "title") == value


@pytest.mark.parametrize(("value", "field", "expected"), [
    ("Park\x08 output \x1b[31mdoubles\x1b[0m", "title", "Park output doubles"),
    ("\u202eevil\u202c title", "title", "evil title"),
    ("\u202earabic quote\u202c", "body", "\u202earabic quote\u202c"),  # a body keeps bidi
    (" first \r\n\r\n second\u2028third\x85fourth ", "body", "first\nsecond\nthird\nfourth"),
    ("Industrial\u3000Parks\t", "section", "Industrial Parks"),
    ("a\x00b\ufffec\ud800d\ufeffe", "author", "abcde"),
    ("", "title", ""),
    (None, "section", ""),
])
def test_clean_text_examples(value: str | None, field: str, expected: str) -> None:
    assert clean_text(value, field) == expected  # type: ignore[arg-type]


def test_long_fields_are_cut_at_a_word_with_an_ellipsis() -> None:
    title = clean_text("word " * 400, "title")
    assert len(title) <= LIMITS["title"] and title.endswith("word…")
    body = clean_text("\n".join(["x" * 1000] * 2000))  # 1,001 characters a paragraph
    size, paragraphs, ending = len(body), body.count("\n") + 1, body[-3:]
    assert size <= LIMITS["body"] and paragraphs == 1498 and ending == "xxx"
    assert clean_text("y" * 2_000_000)[-1] == "…"  # one huge paragraph: cut like a line


def test_the_reader_stores_clean_fields() -> None:
    page = ("<html><head><title>t</title>"
            '<meta name="author" content="Wang\x1b[2J Li\u202e">'
            '<meta property="article:section" content="Parks\x07 &amp; zones">'
            '<meta property="article:published_time" content="2024-03-01T08:00:00+08:00">'
            "</head><body><h1>Output\x08 \u202edoubles\u202c\x00 in Songbei</h1>"
            "<p>The park\x0b said \x1b[31moutput\x1b[0m rose 8 percent\ufffe in 2023.</p>"
            "<p>\u2028Its managers expect\x85more growth this year, they said.</p>"
            "</body></html>").encode("utf-8", "surrogatepass")
    article = parse_article(page, "http://example.com/a/1.html",
                            Profile(name="t", base_url="http://example.com"))
    assert article.title == "Output doubles in Songbei"
    assert article.author == "Wang Li"
    assert article.section == "Parks & zones"
    assert article.text == ("The park said output rose 8 percent in 2023.\n"
                            "Its managers expect more growth this year, they said.")
