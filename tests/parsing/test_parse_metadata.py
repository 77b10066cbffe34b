"""Metadata-first reading, field by field: dates and their provenance (never dateModified, the
publisher's local day), titles without site suffixes, bylines, breadcrumbs, furniture, bounds."""

from __future__ import annotations

from datetime import date

import pytest

from crawler.parsing.article import ParseError, parse_article
from crawler.parsing.bounds import MAX_ELEMENTS, bounded_markup, cut_at_tag
from crawler.parsing.dates import timestamp_date, url_date, written_date
from crawler.parsing.furniture import is_furniture_line
from crawler.parsing.visible import crumb_names, read_header
from foundation.rules import ReadingRules
from tests.support.reading import address_profile

BODY = "".join(f"<p>Paragraph {i} of the story says something about the park's output.</p>"
               for i in range(4))


def page(head: str = "", top: str = "", url_tail: str = "") -> bytes:
    return (f"<html><head>{head}<title>The story – Some Site</title></head><body>"
            f"<div class='nav'><a href='/'>Home</a> <a href='/a/'>A</a></div>"
            f"<article><h1>The story</h1>{top}{BODY}</article></body></html>").encode()


def read(body: bytes, url: str = "https://news.example/a/2021/05/06/some-slug/", **rules):
    return parse_article(body, url, address_profile(url, "en", **rules))


@pytest.mark.parametrize(("stamp", "day"), [
    ("2024-03-11T07:30:00+08:00", date(2024, 3, 11)),
    ("2024-03-11T23:59:00-05:00", date(2024, 3, 11)),
    ("2024-03-11 09:30", date(2024, 3, 11)),
    ("2023年02月21日", date(2023, 2, 21)),
])
def test_timestamps_are_the_publishers_day(stamp: str, day: date) -> None:
    assert timestamp_date(stamp) == day


def test_utc_timestamps_move_to_the_profiles_offset() -> None:
    assert timestamp_date("2023-09-03T23:10:00Z") == date(2023, 9, 3)
    assert timestamp_date("2023-09-03T23:10:00Z", "+08:00") == date(2023, 9, 4)


def test_a_chinese_pages_utc_timestamp_is_its_beijing_day() -> None:
    stamp = ('<script type="application/ld+json">{"@type":"NewsArticle",'
             '"datePublished":"2023-09-03T23:10:00Z"}</script>')
    zh = ("<html><head>" + stamp + "</head><body><h1>标题</h1>"
          + "<p>开发区举行新材料项目集中签约活动，共签约项目9个，总投资35亿元。</p>" * 3
          + "</body></html>").encode()
    assert read(zh).published == date(2023, 9, 4)
    assert read(page(stamp)).published == date(2023, 9, 3)  # English: no offset assumed
    assert read(page(stamp), utc_offset="+08:00").published == date(2023, 9, 4)


def test_written_and_url_dates() -> None:
    assert written_date("Posted on March 8, 2024March 9, 2024") == date(2024, 3, 8)
    assert written_date("发布时间：2023-02-21 09:30") == date(2023, 2, 21)
    assert written_date("11 March 2024") == date(2024, 3, 11)
    assert url_date("/business/2024/03/11/some-slug/") == date(2024, 3, 11)
    assert url_date("/xwzx/yqdt/202302/t20230221_812345.html") == date(2023, 2, 21)
    assert url_date("/news/2023-02-21/1.html") == date(2023, 2, 21)
    assert url_date("/about/") is None


def test_date_sources_in_order_and_never_date_modified() -> None:
    modified = ('<script type="application/ld+json">{"@type":"NewsArticle",'
                '"dateModified":"2024-05-01T10:00:00+08:00"}</script>'
                '<meta property="article:modified_time" content="2024-05-01T10:00:00+08:00">')
    jsonld = ('<script type="application/ld+json">{"@type":"NewsArticle","headline":"The story",'
              '"datePublished":"2024-03-11T07:30:00+08:00","dateModified":"2024-05-01"}</script>')
    cases = [
        (jsonld + '<meta property="article:published_time" content="2024-01-01">', "", "jsonld",
         date(2024, 3, 11)),
        (modified + '<meta name="PubDate" content="2023-02-21 09:30">', "", "meta",
         date(2023, 2, 21)),
        (modified, '<time class="updated" datetime="2024-05-01">x</time>'
                   '<time datetime="2024-02-02T08:00:00+08:00">Feb 2</time>', "time",
         date(2024, 2, 2)),
        (modified, "<div>发布时间：2023-02-21 09:30　来源：开发区管委会</div>", "visible",
         date(2023, 2, 21)),
    ]
    for head, top, source, day in cases:
        article = read(page(head, top))
        assert (article.published, article.published_source) == (day, source)
    article = read(page(modified), url="https://news.example/a/2022/07/01/slug/")
    assert (article.published, article.published_source) == (date(2022, 7, 1), "url")
    assert article.url_date == date(2022, 7, 1)
    with pytest.raises(ParseError, match="no publication date"):  # dateless: not an article
        read(page(modified), url="https://news.example/tag/parks/")


def test_title_byline_and_section() -> None:
    head = ('<meta name="ArticleTitle" content="The story">'
            '<meta name="ColumnName" content="园区动态">')
    article = read(page(head, "<p>By Anna Ruiz | Xinhua</p>"))
    assert article.title == "The story" and article.provenance["title"] == "meta"
    assert (article.author, article.byline_source) == ("Anna Ruiz", "Xinhua")
    assert article.section == "园区动态"
    article = read(page("", "<p>By Anna Ruiz (China Daily)</p>"))
    assert article.title == "The story" and article.provenance["title"] == "heading"
    assert (article.author, article.byline_source) == ("Anna Ruiz", "China Daily")
    zh = read(page("", "<div>来源：滨北日报　作者：赵刚</div>"))
    assert (zh.author, zh.byline_source) == ("赵刚", "滨北日报")


def test_breadcrumbs() -> None:
    assert crumb_names("当前位置：首页 > 新闻中心 > 园区动态") == ["新闻中心", "园区动态"]
    assert crumb_names("Home › Business › Some title") == ["Business", "Some title"]
    assert crumb_names("Homes for sale") is None
    head = read_header(["x", "Home › Business › The story", "Updated: 2024-01-02"])
    assert head.crumbs == ["Business", "The story"] and head.date == date(2024, 1, 2)


@pytest.mark.parametrize("line", [
    "【打印本页】 【关闭窗口】", "【字体：大 中 小】", "Print | Email | Share",
    "READ MORE: Other story", "（图为开发区内一家企业的生产车间。）", "（记者 王晓 摄）",
    "[Photo/Xinhua]", "附件：项目清单.xlsx",
    "2023年重点项目清单.xlsx", "主办单位：某某开发区管理委员会", "北ICP备12345678号-1",
    "We use cookies to improve your experience. By continuing to browse you agree.",
    "Sign up for our free newsletter and get the news in your inbox.", "相关链接", "分享到：",
])
def test_furniture_lines(line: str) -> None:
    assert is_furniture_line(line)


@pytest.mark.parametrize("line", [
    "Where the growth came from", "项目建设提速",
    "The park's output rose 8 percent to 4 billion yuan.",
    "一、项目建设情况", "Related companies in the park signed 12 deals worth 3 billion yuan.",
])
def test_story_lines_are_not_furniture(line: str) -> None:
    assert not is_furniture_line(line)


def test_profile_rules_refine() -> None:
    rules = ReadingRules(furniture=[r"^Editor:"], body_selector="article", utc_offset="+08:00")
    assert rules.furniture_re is not None and rules.furniture_re.search("Editor: Wang")
    with pytest.raises(ValueError):
        ReadingRules(date_pattern="(")
    with pytest.raises(ValueError):
        ReadingRules(utc_offset="8 hours")
    body = page("", "<p>Editor: Wang Fang</p>")
    assert "Editor: Wang" in read(body).text
    assert "Editor: Wang" not in read(body, furniture=[r"^Editor:"]).text
    assert read(body, body_selector="article").provenance["body"] == "selector"


def test_bounds() -> None:
    text = "<p>a" * (MAX_ELEMENTS + 10)
    assert cut_at_tag(text, MAX_ELEMENTS).count("<") == MAX_ELEMENTS
    markup, why = bounded_markup(("<p title='" + "x" * 50_000 + "'>t</p>").encode())
    assert why is None and len(markup) < 100
    assert bounded_markup(b"x" * 9_000_000)[1].startswith("page too large")
    assert bounded_markup(bytes(range(256)) * 64)[1] == "not a text page (binary content)"
    assert bounded_markup(b"just some words " * 100)[1] == "not an HTML page (no markup)"
    deep = ("<html><body>" + "<div>" * 50_000 + BODY).encode()
    with pytest.raises(ParseError):  # too deep to reach the text: refused, not a crash
        read(deep)
