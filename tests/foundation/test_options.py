"""A crawl's options: one typed object, read back from the stored JSON form unchanged."""

from __future__ import annotations

from datetime import date

import pytest

from foundation.options import CrawlOptions
from foundation.settings import ConfigError


def test_the_stored_form_is_json_without_defaults() -> None:
    options = CrawlOptions(since=date(2024, 3, 1), full=True, settings=("DOWNLOAD_DELAY=0",))
    assert options.stored() == {"since": "2024-03-01", "full": True,
                                "settings": ["DOWNLOAD_DELAY=0"]}
    assert CrawlOptions().stored() == {}
    assert CrawlOptions.from_stored(options.stored()) == options


def test_requests_queued_before_the_type_read_back() -> None:
    """crawl_requests rows written by the queue as plain dicts (since as text)."""
    old = {"max_articles": 5, "since": "2024-03-01", "refresh": True, "settings": ["A=1"]}
    options = CrawlOptions.from_stored(old)
    assert options.since == date(2024, 3, 1) and options.max_articles == 5
    assert options.refresh and not options.full and options.settings == ("A=1",)
    assert CrawlOptions.from_stored(None) == CrawlOptions()
    assert options.spider_arguments() == {"max_articles": 5, "since": date(2024, 3, 1),
                                          "full": False, "refresh": True}


@pytest.mark.parametrize(("stored", "where"), [
    ({"since": "March"}, "since"),
    ({"max_articles": 0}, "max_articles"),
    ({"depth": 3}, "depth"),
])
def test_bad_stored_options_are_one_line(stored: dict[str, object], where: str) -> None:
    with pytest.raises(ConfigError, match=f"^bad crawl option {where}: ") as caught:
        CrawlOptions.from_stored(stored)
    assert "\n" not in str(caught.value)


def test_options_are_frozen_and_settings_add_up() -> None:
    options = CrawlOptions(settings=("B=2",))
    with pytest.raises(ValueError, match="frozen"):
        options.full = True  # type: ignore[misc]
    assert options.with_settings(["A=1"]).settings == ("A=1", "B=2")
