"""Page → article, free of Scrapy: `parse_article(html_bytes, url, profile)`.

The parser (lxml, trafilatura) is imported on first use, so that importing this package for its
constants does not pull it in."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crawler.parsing.article import ParseError, ReadError, parse_article

__all__ = ["ParseError", "ReadError", "parse_article"]

NOT_AN_ARTICLE = "no publication date (not an article page)"  # final: not fetched again


def __getattr__(name: str) -> Any:
    if name in __all__:
        from crawler.parsing import article

        return getattr(article, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
