"""Three pages written after the reading rules, in shapes the fixture sites lack (a first blind
probe of this session; two faults it found were fixed, so these are development pages now):
a provincial news page whose breadcrumb ends in "正文", an English page whose JSON-LD has only
dateModified, and a government notice under a disclosure table (索引号, 发布机构, 成文日期…)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from crawler.parsing import parse_article
from crawler.parsing.furniture import is_furniture_line, is_gov_info
from crawler.profile import Profile

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
