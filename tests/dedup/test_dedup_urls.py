"""Canonical URLs: every spelling of one page maps to one key, different pages stay apart."""

from __future__ import annotations

import pytest

from pipelines.urls import canonical_url

ONE_PAGE = [
    "http://e.my399.com/news/2023-06-12/6301.html",
    "https://e.my399.com/news/2023-06-12/6301.html",
    "HTTP://E.MY399.COM/news/2023-06-12/6301.html",
    "http://e.my399.com:80/news/2023-06-12/6301.html",
    "https://e.my399.com:443/news/2023-06-12/6301.html",
    "http://e.my399.com./news/2023-06-12/6301.html",
    "http://e.my399.com/news/2023-06-12/6301.html#comments",
    "http://e.my399.com/news/2023-06-12/6301.html?utm_source=wechat&utm_medium=social",
    "http://e.my399.com/news/2023-06-12/6301.html?from=timeline&isappinstalled=0",
    "http://e.my399.com/news/2023-06-12/6301.html?fbclid=IwAR0&spm=a2c4",
    "  http://e.my399.com/news/2023-06-12/6301.html  ",
]


@pytest.mark.parametrize("url", ONE_PAGE)
def test_spellings_of_one_page_share_one_canonical_url(url: str) -> None:
    assert canonical_url(url) == "http://e.my399.com/news/2023-06-12/6301.html"


def test_index_files_and_directory_are_one_page() -> None:
    expected = "http://e.my399.com/news/"
    for url in ("http://e.my399.com/news/", "http://e.my399.com/news/index.html",
                "http://e.my399.com/news/index.htm", "http://e.my399.com/news/index.shtml"):
        assert canonical_url(url) == expected


def test_meaningful_query_and_ports_are_kept_and_sorted() -> None:
    assert canonical_url("http://e.my399.com/list.php?page=2&cat=7&utm_campaign=x") == \
        "http://e.my399.com/list.php?cat=7&page=2"
    assert canonical_url("http://127.0.0.1:8080/news/1.html") == "http://127.0.0.1:8080/news/1.html"
    assert canonical_url("http://e.my399.com/news/1.html") != \
        canonical_url("http://e.my399.com/news/2.html")
    assert canonical_url("http://e.my399.com/News/1.html") != \
        canonical_url("http://e.my399.com/news/1.html")  # paths are case-sensitive


def test_percent_encoding_is_normalised() -> None:
    assert canonical_url("http://e.my399.com/a%7Eb/c d.html") == \
        canonical_url("http://e.my399.com/a~b/c%20d.html")
