"""Metric extraction: article text + publication date → typed numeric facts."""

from .extract import extract_facts
from .facts import Fact, Kind, Qualifier

#: Bump when the rules change so stored facts can be re-extracted.
EXTRACTOR_VERSION = "1.4.0"

__all__ = ["EXTRACTOR_VERSION", "Fact", "Kind", "Qualifier", "extract_facts"]
