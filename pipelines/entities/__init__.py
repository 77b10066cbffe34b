"""Entities and series: whose figure a fact is (a park, zone or place of the gazetteer, or a
provisional one), which measure it reports, and the series it belongs to."""

from .gazetteer import Entity, Gazetteer, ZoneType, default_gazetteer
from .link import ArticleLinks, FactLink, link_article, series_key

__all__ = ["ArticleLinks", "Entity", "FactLink", "Gazetteer", "ZoneType", "default_gazetteer",
           "link_article", "series_key"]
