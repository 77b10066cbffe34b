"""Metric extraction: article text + publication date → typed numeric facts
(`pipelines.metrics.extract.extract_facts`). The package's face holds the extractor's version
and the Fact type, which storage and linking need without the rules themselves."""

from .facts import Fact, Kind, Qualifier

#: Bump when the rules change so stored facts can be re-extracted.
EXTRACTOR_VERSION = "1.4.0"

__all__ = ["EXTRACTOR_VERSION", "Fact", "Kind", "Qualifier"]
