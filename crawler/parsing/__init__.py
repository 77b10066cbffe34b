"""Page → article, free of Scrapy: `parse_article(html_bytes, url, profile)`."""

from crawler.parsing.article import ParseError, parse_article

__all__ = ["ParseError", "parse_article"]
