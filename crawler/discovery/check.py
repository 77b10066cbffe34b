"""`sources check`: read a few recent article pages of a source exactly as a crawl would and
measure per-field coverage, so a user sees whether a site reads well before the first crawl."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from crawler.discovery import feeds, listings, sitemaps, urls
from crawler.discovery.probe import PoliteFetcher, probe_site
from crawler.parsing.article import ParseError, parse_article
from foundation.profile import Profile
from pipelines.topics import rules_for, tag_topics

# Lines that look like page furniture left in a body (print/close controls, captions, share
# boxes, related-story headings, footers).
FURNITURE = re.compile(
    r"【(?:打印|关闭|字体|收藏)|打印本页|关闭窗口|^相关(?:链接|新闻|阅读)|^(?:READ MORE|Related|"
    r"Share|Print|Close|Editor'?s? note)\b|\[Photo|^Photo:|（图为|图为|主办单位|ICP备|"
    r"^Copyright|©|All rights reserved", re.I)


@dataclass
class PageReport:
    url: str
    ok: bool
    reason: str = ""
    title: str = ""
    published: str | None = None
    date_source: str | None = None
    body_chars: int = 0
    furniture: list[str] = field(default_factory=list)
    language: str | None = None
    topics: list[str] = field(default_factory=list)


@dataclass
class CheckReport:
    source: str
    pages: list[PageReport] = field(default_factory=list)
    candidates: int = 0
    requests: int = 0

    @property
    def articles(self) -> list[PageReport]:
        return [p for p in self.pages if p.ok]

    def coverage(self) -> dict[str, str]:
        """Per field: how many of the article pages read have it, and where dates came from."""
        good = self.articles
        n = len(good) or 1
        lengths = [p.body_chars for p in good]
        sources = Counter(p.date_source or "none" for p in good)
        languages = Counter(p.language or "?" for p in good)
        topics = Counter(t for p in good for t in p.topics)
        return {
            "articles read": f"{len(good)} of {len(self.pages)} pages "
                             f"({self.candidates} article URLs found)",
            "dates": f"{sum(1 for p in good if p.published)}/{len(good)} "
                     f"({', '.join(f'{k} {v}' for k, v in sources.most_common())})",
            "titles": f"{sum(1 for p in good if p.title)}/{len(good)}",
            "body length": (f"min {min(lengths)}, median {int(statistics.median(lengths))}, "
                            f"max {max(lengths)} characters") if lengths else "-",
            "suspected furniture": f"{sum(1 for p in good if p.furniture)}/{len(good)} pages"
                                   + (f" (e.g. {good_example(good)!r})"
                                      if any(p.furniture for p in good) else ""),
            "language": ", ".join(f"{k} {v}" for k, v in languages.most_common()) or "-",
            "topics": ", ".join(f"{k} {v}" for k, v in topics.most_common()) or
                      f"none of {n} tagged",
        }


def good_example(pages: list[PageReport]) -> str:
    return next(p.furniture[0] for p in pages if p.furniture)[:60]


def recent_article_urls(profile: Profile, fetcher: PoliteFetcher, wanted: int = 5) -> list[str]:
    """Article URLs of a source, newest first where the path says: its feeds, listing pages
    (and their next pages) and sitemaps as configured, else what a probe finds."""
    article_re = profile.article_re if profile.article_pattern else None
    listing_re = profile.listing_re if profile.listing_pattern else None
    fetcher.read_robots(profile.base_url)
    found: list[str] = []

    def enough() -> bool:
        return len(set(found)) >= wanted

    for url in map(profile.absolute, profile.feeds):
        answer = fetcher.get(url)
        if answer is not None and answer.status == 200:
            found += [e.url for e in feeds.parse_feed(answer.body, url) or []]
    pages = [profile.listing_url(s, 0) for s in profile.sections]
    pages += [profile.absolute(p) for p in profile.start_pages]
    for url in [p for p in pages if p][:4]:
        for _ in range(3):  # a listing and up to two of its next pages
            if enough() or url is None:
                break
            answer = fetcher.get(url)
            if answer is None or answer.status != 200:
                break
            found += listings.page_links(answer.text, answer.url, article_re,
                                         listing_re).articles
            url = listings.next_page(answer.text, answer.url)
    for url in map(profile.absolute, profile.sitemaps):
        if enough():
            break
        answer = fetcher.get(url)
        parsed = sitemaps.parse_sitemap(answer.body, url) if answer and answer.status == 200 \
            else None
        if parsed is not None and parsed.kind == "index" and parsed.entries:
            newest = max(parsed.entries, key=lambda e: e.lastmod.timestamp() if e.lastmod
                         else 0)
            answer = fetcher.get(newest.loc)
            parsed = sitemaps.parse_sitemap(answer.body, newest.loc) \
                if answer and answer.status == 200 else None
        if parsed is not None and parsed.kind == "urlset":
            found += [e.loc for e in parsed.entries]
    if not found:
        found = probe_site(profile.base_url, fetcher, article_re=article_re).articles
    found = [u for u in dict.fromkeys(found)
             if urls.same_site(u, profile.host) and
             urls.classify_url(u, article_re) not in (urls.ASSET, urls.NAVIGATION)]
    return sorted(found, key=lambda u: str(urls.url_date(u) or ""), reverse=True)


def check_source(profile: Profile, fetcher: PoliteFetcher, pages: int = 5) -> CheckReport:
    """Read up to `pages` recent article pages and report what each gives."""
    report = CheckReport(profile.name)
    candidates = recent_article_urls(profile, fetcher, pages)
    report.candidates = len(candidates)
    for url in candidates[:pages]:
        answer = fetcher.get(url)
        if answer is None or answer.status != 200:
            report.pages.append(PageReport(url, False, f"answered "
                                           f"{answer.status if answer else 'disallowed'}"))
            continue
        report.pages.append(read_page(answer.body, url, profile, answer.content_type))
    report.requests = fetcher.count
    return report


def read_page(body: bytes, url: str, profile: Profile, content_type: str = "") -> PageReport:
    charset = content_type.split("charset=", 1)[1].strip() if "charset=" in content_type \
        else None
    try:
        item = parse_article(body, url, profile, charset)
    except ParseError as exc:
        return PageReport(url, False, str(exc))
    url_day = item.url_date or urls.url_date(url)
    published = item.published or None
    source = getattr(item, "published_source", None) or ("page" if published else None)
    if published is None and url_day is not None:
        published, source = url_day, "url"
    if published is None:
        return PageReport(url, False, "not an article: no date")
    furniture = [line for line in item.text.split("\n") if FURNITURE.search(line)]
    topics = [t.topic for t in tag_topics(item.title, item.text, rules_for(profile.topics))]
    return PageReport(url, True, "", item.title, published.isoformat(), source,
                      len(item.text), furniture, item.language, topics)
