"""Scrapy's log lines about items name the article, not its whole text: the stock formatter
writes the item itself into "Scraped from", "Dropped:" and "Error processing" lines — an
article's body, facts and fingerprint, kilobytes per line."""

from __future__ import annotations

from typing import Any

from scrapy.logformatter import LogFormatter

TITLE_CHARS = 80


def brief(item: Any) -> str:
    """`<article URL «title»>` for an article item; other items as Scrapy writes them."""
    url = getattr(item, "url", None)
    if url is None:
        return repr(item)
    title = (getattr(item, "title", "") or "").strip()
    if len(title) > TITLE_CHARS:
        title = title[:TITLE_CHARS - 1] + "…"
    return f"<article {url} «{title}»>"


class BriefItemLogFormatter(LogFormatter):
    """LogFormatter with each item written as `brief(item)`."""

    def scraped(self, item, response, spider):
        return _briefed(super().scraped(item, response, spider))

    def dropped(self, item, exception, response, spider):
        return _briefed(super().dropped(item, exception, response, spider))

    def item_error(self, item, exception, response, spider):
        return _briefed(super().item_error(item, exception, response, spider))


def _briefed(result: dict) -> dict:
    args = result.get("args")
    if isinstance(args, dict) and "item" in args:
        result["args"] = {**args, "item": brief(args["item"])}
    return result
