"""Three pages written after the reading rules, in shapes the fixture sites lack (a first blind
probe of this session; two faults it found were fixed, so these are development pages now):
a provincial news page whose breadcrumb ends in "正文", an English page whose JSON-LD has only
dateModified, and a government notice under a disclosure table (索引号, 发布机构, 成文日期…)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from crawler.parsing.article import parse_article
from crawler.parsing.furniture import is_furniture_line, is_gov_info
from foundation.profile import Profile

PAGES = Path(__file__).parent / "probe"


def _read(name: str, url: str):
    """As a source added by its address alone reads it."""
    base = "/".join(url.split("/")[:3])
    return parse_article((PAGES / name).read_bytes(), url, Profile(name="probe", base_url=base))


def test_a_placeholder_crumb_is_not_the_section() -> None:
    article = _read("zh-news-crumb-placeholder.html",
                    "https://www.jbrb.example.cn/jj/202611/t20261130_55501.html")
    assert article.section == "经济频道"
    assert article.published == date(2026, 11, 30)
    assert article.byline_source == "江北日报"
    assert article.text.startswith("本报讯（记者 孙立）")
    assert article.text.endswith("盘活低效用地1200亩。")
    assert "热点新闻" not in article.text and "分享到" not in article.text


def test_date_modified_is_never_the_date() -> None:
    article = _read("en-time-and-modified.html",
                    "https://news.example.org/business/riverside-tech-park")
    assert article.published == date(2026, 11, 28)  # the <time>, not dateModified's 29th
    assert article.author == "Lin Qiao"
    assert article.text.split("\n")[0].startswith("The Riverside Science and Technology Park")
    assert "Related" not in article.text and "All rights reserved" not in article.text


def test_a_disclosure_table_is_not_body_text() -> None:
    article = _read("zh-gov-disclosure-table.html",
                    "https://www.example.gov.cn/zwgk/tzgg/notice-123.html")
    assert article.published == date(2026, 11, 27)  # still read from the page's metadata
    assert article.section == "通知公告"
    assert article.text.startswith("各市人民政府，省直有关部门：")
    assert "索引号" not in article.text and "成文日期" not in article.text
    assert "打印本页" not in article.text and "网站标识码" not in article.text


@pytest.mark.parametrize(("line", "expected"), [
    ("| 索引号： | 000000/2026-00123 | 发布机构： | 省发展改革委 | 成文日期： | 2026-11-20", True),
    ("发文字号：某发改〔2026〕12号 主题分类：工业 发布日期：2026-11-27", True),
    # a story may name one or two such words; only a table has several and a rare one
    ("发布日期：2026年11月27日，发布机构为省发展改革委。", False),
    ("据介绍，信息来源：省统计局，发布机构：省政府新闻办。", False),
])
def test_disclosure_lines(line: str, expected: bool) -> None:
    assert is_gov_info(line) is expected
    assert is_furniture_line(line) is expected


@pytest.mark.parametrize(("line", "names"), [
    ("您当前的位置：首页 >> 新闻动态 >> 正文", ["新闻动态", "正文"]),
    ("您所在的位置：滨北网 >> 经济", ["滨北网", "经济"]),  # a site name for the home step
    ("当前位置：经济频道 > 正文", ["经济频道", "正文"]),
    ("当前位置：首页 > 新闻中心 > 园区动态", ["新闻中心", "园区动态"]),
    ("主页 > 园区", ["园区"]),
    ("You are here: Home › Business", ["Business"]),
    ("项目位置：南湖大道18号", None),  # an address, not a trail
    ("位置：北京 朝阳", None),
])
def test_breadcrumb_prefixes(line: str, names: list[str] | None) -> None:
    from crawler.parsing.visible import crumb_names

    assert crumb_names(line) == names


def test_a_trail_behind_an_unfamiliar_prefix_gives_the_section(tmp_path) -> None:
    page = (PAGES / "zh-news-crumb-placeholder.html").read_text().replace(
        "当前位置：<a href=\"/\">首页</a> &gt; <a href=\"/jj/\">经济频道</a> &gt; 正文",
        "您当前的位置：<a href=\"/\">江北日报网</a> &gt;&gt; "
        "<a href=\"/jj/\">经济频道</a> &gt;&gt; 正文")
    assert "您当前的位置" in page
    name = tmp_path / "page.html"
    name.write_text(page)
    article = parse_article(name.read_bytes(), "https://www.jbrb.example.cn/jj/202611/t.html",
                            Profile(name="probe", base_url="https://www.jbrb.example.cn"))
    assert article.section == "经济频道"


@pytest.mark.parametrize(("line", "day"), [
    ("来源：江北日报  2026-11-30 07:30  编辑：周敏", date(2026, 11, 30)),
    ("2026-11-28 09:15 来源：新华网", date(2026, 11, 28)),
    ("2026年11月27日 16:20　浏览次数：35", date(2026, 11, 27)),
    ("发布时间：2026-11-26", date(2026, 11, 26)),  # labelled, as before
    ("2026-11-25 全市冬季供暖全面启动", None),  # a list's line: no source, editor or counter
])
def test_the_date_in_a_storys_info_line(line: str, day: date | None) -> None:
    from crawler.parsing.visible import _generic_date

    assert _generic_date(line) == day


def test_an_info_line_dates_a_page_whose_url_has_none() -> None:
    article = _read("zh-news-crumb-placeholder.html", "https://www.jbrb.example.cn/jj/t.html")
    assert (article.published, article.published_source) == (date(2026, 11, 30), "visible")


def test_a_breadcrumb_laid_out_as_list_items_gives_the_section() -> None:
    article = _read("en-breadcrumb-list.html",
                    "https://metro.example.com/business/zones/lakeside-hub")
    assert (article.section, article.provenance["section"]) == ("Development zones",
                                                                 "breadcrumb")
    assert article.published == date(2026, 11, 27)


@pytest.mark.parametrize(("markup", "steps"), [
    ('<ol class="breadcrumb"><li><a href="/">Home</a></li><li><a href="/n">News</a></li></ol>',
     ["News"]),
    ('<div class="crumbs"><a href="/">首页</a> &gt; <a href="/x">园区动态</a> &gt; 正文</div>',
     ["园区动态", "正文"]),
    # a menu or a list of places, not a trail: it does not start at home
    ('<ul class="location-list"><li><a href="/a">Harbin</a></li><li><a href="/b">Daqing</a>'
     '</li></ul>', None),
    ('<nav aria-label="breadcrumb"><ol><li><a href="/">Home</a></li></ol></nav>', None),
])
def test_markup_crumbs(markup: str, steps: list[str] | None) -> None:
    from lxml import html

    from crawler.parsing.metadata import markup_crumbs

    assert markup_crumbs(html.fromstring(f"<html><body>{markup}</body></html>")) == steps
