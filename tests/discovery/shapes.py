"""Two small sites in other shapes than e-my399, served by SiteServer for discovery tests: a
WordPress-like English site (robots Sitemap: line, sitemap index with per-year sitemaps, a
feed, /page/N/ pagination, dated slugs) and a TRS/WCM-like government portal (column
overview, `createPageHTML` script pager with a <noscript> fallback, tYYYYMMDD_ID articles).
All text is written for these tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from parkwatch.samplesite import SiteServer
from parkwatch.samplesite.render import Page

XML = "application/xml; charset=utf-8"
PER_PAGE = 3


@dataclass
class Story:
    path: str
    title: str
    day: str  # YYYY-MM-DD
    paragraphs: list[str]


def _en_story(section: str, n: int) -> Story:
    day = (datetime(2024, 3, 28) - timedelta(days=2 * n)).date().isoformat()
    y, m, d = day.split("-")
    title = f"Riverside {section} park adds workshop number {n}"
    paras = [f"The riverside {section} park opened workshop number {n} on a quiet morning, "
             "its managers said, adding space for small makers of parts and tools.",
             f"Workshop {n} covers a floor of modest size and will host several firms that "
             "moved from older buildings near the station.",
             "Officials expect the new space to be full before the end of the season."]
    return Story(f"/{section}/{y}/{m}/{d}/riverside-workshop-{n}/", title, day, paras)


def _zh_story(n: int) -> Story:
    day = (datetime(2023, 2, 21) - timedelta(days=n)).date().isoformat()
    compact = day.replace("-", "")
    title = f"园区第{n}号标准厂房项目开工建设"
    paras = [f"本报讯 园区第{n}号标准厂房项目近日正式开工，项目计划建设多栋厂房，"
             "用于引进装备制造和新材料企业。",
             f"据介绍，第{n}号项目由园区管委会统一规划，预计年内完成主体结构施工。",
             "园区相关负责人表示，将继续优化服务，推动项目早日投产见效。"]
    return Story(f"/xwzx/yqdt/{compact[:6]}/t{compact}_{81000 + n}.html", title, day, paras)


def _article_html(story: Story, lang: str) -> bytes:
    dateline = f"Updated : {story.day}" if lang == "en" else f"发布时间：{story.day} 09:30"
    body = "".join(f"<p>{p}</p>" for p in story.paragraphs)
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{story.title} - Site</title></head><body>"
            f'<nav><a href="/">Home</a></nav><h1>{story.title}</h1><p>{dateline}</p>'
            f"{body}<footer>Copyright the test site</footer></body></html>").encode()


def _page(html: str, content_type: str = "text/html; charset=utf-8",
          modified: datetime | None = None) -> Page:
    return Page(html.encode() if isinstance(html, str) else html, content_type, modified)


class ShapeSite:
    """A site of one shape on a local server; `add_story()` publishes one more article."""

    def __init__(self, shape: str, count: int = 10, delay: float = 0.0) -> None:
        self.shape = shape
        self.server = SiteServer()
        if delay:
            self.server.delay = delay
        self.stories: list[Story] = []
        for n in range(count, 0, -1):
            self.stories.insert(0, self._story(n))
        self.next_n = count + 1

    def _story(self, n: int) -> Story:
        return _en_story("business", n) if self.shape == "wordpress" else _zh_story(n)

    def start(self) -> ShapeSite:
        self.server.start()
        self.render()
        return self

    def stop(self) -> None:
        self.server.stop()

    @property
    def url(self) -> str:
        return self.server.url

    def add_story(self) -> Story:
        n = self.next_n
        self.next_n += 1
        story = self._story(n)
        if self.shape == "wordpress":
            story.path = story.path.replace("/2024/03/", "/2024/04/", 1)
            story.day = "2024-04-" + story.path.split("/")[4]
        else:
            story.day = "2023-03-01"
            story.path = f"/xwzx/yqdt/202303/t20230301_{81000 + n}.html"
        self.stories.insert(0, story)
        self.render()
        return story

    def article_paths(self) -> list[str]:
        return [s.path for s in self.stories]

    def article_requests(self) -> list[str]:
        paths = set(self.article_paths())
        return [p for m, p, _ in self.server.requests if m == "GET" and p in paths]

    def render(self) -> None:
        pages = self._wordpress() if self.shape == "wordpress" else self._trs()
        for story in self.stories:
            pages[story.path] = _page(_article_html(
                story, "en" if self.shape == "wordpress" else "zh").decode())
        self.server.pages.clear()
        self.server.pages.update(pages)

    def _chunks(self) -> list[list[Story]]:
        return [self.stories[i:i + PER_PAGE] for i in range(0, len(self.stories), PER_PAGE)]

    def _wordpress(self) -> dict[str, Page]:
        base = self.url
        pages = {"/robots.txt": _page(f"User-agent: *\nDisallow: /wp-admin/\n"
                                      f"Sitemap: {base}/sitemap_index.xml\n",
                                      "text/plain; charset=utf-8")}
        feed_items = "".join(f"<item><title>{s.title}</title><link>{base}{s.path}</link>"
                             f"<pubDate>{s.day}</pubDate></item>" for s in self.stories[:3])
        pages["/feed/"] = _page(f'<?xml version="1.0"?><rss version="2.0"><channel>'
                                f"<title>Test</title>{feed_items}</channel></rss>",
                                "application/rss+xml; charset=utf-8")
        years: dict[str, list[Story]] = {}
        for story in self.stories:
            years.setdefault(story.day[:4] if story.day >= "2024-03-15" else "old", []
                             ).append(story)
        index = []
        for year, stories in years.items():
            name = f"/sitemap-{year}.xml"
            urls = "".join(f"<url><loc>{base}{s.path}</loc><lastmod>{s.day}</lastmod></url>"
                           for s in stories)
            pages[name] = _page('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/'
                                f'schemas/sitemap/0.9">{urls}</urlset>', XML)
            newest = max(s.day for s in stories)
            index.append(f"<sitemap><loc>{base}{name}</loc><lastmod>{newest}</lastmod>"
                         "</sitemap>")
        pages["/sitemap_index.xml"] = _page(
            '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
            f'sitemap/0.9">{"".join(index)}</sitemapindex>', XML)
        nav = ('<nav class="menu"><a href="/">Home</a><a href="/business/">Business</a>'
               '<a href="/about/">About</a><a href="/tag/parks/">Parks</a></nav>')
        latest = "".join(f'<li><a href="{s.path}">{s.title}</a></li>' for s in self.stories[:2])
        latest += ('<a href="/wp-admin/2024/03/01/draft-post/">draft</a>'  # robots-disallowed
                   '<a href="http://offsite.test/business/2024/03/02/elsewhere/">offsite</a>'
                   '<a href="/files/annual-report.pdf">report</a>'
                   '<a href="/notices/100234.html">notice</a>')  # article-shaped, no date
        pages["/notices/100234.html"] = _page(
            f"<html><body>{nav}<h1>Opening hours</h1><p>The visitor centre opens on "
            "weekdays from nine to five, and on weekends by appointment only.</p>"
            "</body></html>")
        pages["/"] = _page(f'<html><head><link rel="alternate" type="application/rss+xml" '
                           f'href="/feed/"></head><body>{nav}<ul>{latest}</ul></body></html>')
        pages["/about/"] = _page(f"<html><body>{nav}<p>About this site.</p></body></html>")
        pages["/tag/parks/"] = _page(f"<html><body>{nav}<p>Tagged.</p></body></html>")
        chunks = self._chunks()
        for number, chunk in enumerate(chunks, start=1):
            items = "".join(f'<h2><a href="{s.path}">{s.title}</a></h2>' for s in chunk)
            older = (f'<a class="next" href="/business/page/{number + 1}/">Older posts</a>'
                     if number < len(chunks) else "")
            path = "/business/" if number == 1 else f"/business/page/{number}/"
            pages[path] = _page(f"<html><body>{nav}{items}{older}</body></html>")
        return pages

    def _trs(self) -> dict[str, Page]:
        nav = ('<div class="nav"><a href="/">首页</a><a href="/xwzx/">新闻中心</a>'
               '<a href="/zwgk/">政务公开</a></div>')
        pages = {"/robots.txt": _page("User-agent: *\nDisallow: /search/\n",
                                      "text/plain; charset=utf-8")}
        pages["/"] = _page(f"<html><body>{nav}<p>欢迎访问</p></body></html>")
        pages["/xwzx/"] = _page(f'<html><body>{nav}<a href="/xwzx/yqdt/">园区动态</a>'
                                '<a href="/xwzx/tzgg/">通知公告</a></body></html>')
        pages["/zwgk/"] = _page(f"<html><body>{nav}<p>政务公开</p></body></html>")
        pages["/xwzx/tzgg/"] = _page(f"<html><body>{nav}<p>暂无</p></body></html>")
        chunks = self._chunks()
        for number, chunk in enumerate(chunks):
            items = "".join(f'<li><a href="./{s.path.split("/", 3)[3]}">{s.title}</a>'
                            f"<span>{s.day}</span></li>" for s in chunk)
            name = "index.html" if number == 0 else f"index_{number}.html"
            fallback = (f'<noscript><a href="index_{number + 1}.html">下一页</a></noscript>'
                        if number + 1 < len(chunks) else "")
            pager = (f'<script>createPageHTML({len(chunks)}, {number}, "index", "html");'
                     f"</script>{fallback}")
            pages[f"/xwzx/yqdt/{name}"] = _page(
                f"<html><body>{nav}<ul>{items}</ul>{pager}</body></html>")
        return pages


def now() -> datetime:
    return datetime.now(UTC)
