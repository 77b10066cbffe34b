"""Discovery, free of Scrapy: which URLs are articles, listings, feeds or sitemaps, and what
robots.txt, sitemaps, feeds and listing pages point at. The spider is a thin adapter."""

from crawler.discovery.feeds import FeedEntry, find_feeds, parse_feed
from crawler.discovery.listings import find_listings, next_page
from crawler.discovery.sitemaps import Sitemap, SitemapEntry, parse_sitemap, sitemaps_in_robots
from crawler.discovery.urls import classify_url, is_fetchable, url_date

__all__ = [
    "FeedEntry", "Sitemap", "SitemapEntry", "classify_url", "find_feeds", "find_listings",
    "is_fetchable", "next_page", "parse_feed", "parse_sitemap", "sitemaps_in_robots", "url_date",
]
