"""Page → article, free of Scrapy: `crawler.parsing.article.parse_article(html_bytes, url,
profile)`. This package's face holds only what callers need without the parser (lxml,
trafilatura), so that importing it for its constants does not pull the parser in."""

from __future__ import annotations

NOT_AN_ARTICLE = "no publication date (not an article page)"  # final: not fetched again
