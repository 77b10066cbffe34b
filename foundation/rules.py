"""How a site's pages read, as data: the optional reading keys of a source's profile.

Every key refines the generic reader and none is required: a source with only `base_url` reads
its pages from their metadata, visible date/byline/breadcrumb lines and trafilatura's body.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator

from foundation.offsets import parse_offset


class ReadingRules(BaseModel):
    """The reading keys of a profile (all optional)."""

    model_config = ConfigDict(extra="forbid")
    # "generic": metadata first, trafilatura's body cleaned of furniture.
    # "anchored": the body is the page's lines after the date/byline line, up to the furniture
    # (the e-my399 reading; it keeps <br>-separated lines that trafilatura merges or drops).
    reader: Literal["generic", "anchored"] = "generic"
    # Visible-text rules: a regex with a (?P<date>YYYY-MM-DD) group, a byline regex with
    # (?P<author>…) and (?P<source>…) groups, a breadcrumb regex with a (?P<section>…) group.
    date_pattern: str | None = None
    byline_pattern: str | None = None
    breadcrumb_pattern: str | None = None
    # The display name of each URL section, used when a page names none.
    section_names: dict[str, str] = {}
    # CSS selector of the element holding the body (e.g. "#zoom"), when trafilatura misses it.
    body_selector: str | None = None
    # More furniture: a body line matching one of these regexes is dropped.
    furniture: list[str] = []
    # Cut trailing teasers (title + lead of other stories) from the end of a body.
    strip_teasers: bool = True
    # The publisher's UTC offset ("+08:00"): a timestamp given in UTC is read as that local day.
    utc_offset: str | None = None

    @field_validator("date_pattern", "byline_pattern", "breadcrumb_pattern")
    @classmethod
    def _pattern(cls, pattern: str | None) -> str | None:
        if pattern is not None:
            _compile(pattern)
        return pattern

    @field_validator("furniture")
    @classmethod
    def _patterns(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            _compile(pattern)
        return patterns

    @field_validator("body_selector")
    @classmethod
    def _selector(cls, selector: str | None) -> str | None:
        if selector is not None:
            from cssselect import GenericTranslator, SelectorError

            try:
                GenericTranslator().css_to_xpath(selector)
            except SelectorError as exc:
                raise ValueError(f"bad CSS selector {selector!r}: {exc}") from None
        return selector

    @field_validator("utc_offset")
    @classmethod
    def _offset(cls, offset: str | None) -> str | None:
        if offset is not None and parse_offset(offset) is None:
            raise ValueError(f"bad UTC offset {offset!r}: expected e.g. +08:00")
        return offset

    @cached_property
    def furniture_re(self) -> re.Pattern[str] | None:
        if not self.furniture:
            return None
        return re.compile("|".join(f"(?:{p})" for p in self.furniture), re.I)

    def section_name(self, path_section: str) -> str:
        return self.section_names.get(path_section, path_section)


def _compile(pattern: str) -> None:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"bad regular expression {pattern!r}: {exc}") from None
