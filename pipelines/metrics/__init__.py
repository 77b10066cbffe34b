"""Metric extraction: article text + publication date → typed numeric facts."""

from .extract import extract_facts
from .facts import Fact

#: Bump when the rules change so stored facts can be re-extracted.
EXTRACTOR_VERSION = "1.2"

__all__ = ["EXTRACTOR_VERSION", "Fact", "extract_facts"]
