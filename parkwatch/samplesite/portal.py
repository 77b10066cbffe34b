"""A Chinese government portal in the TRS/WCM shape, rendered from gov_articles.json.

Columns `/xwzx/yqdt/index.html`, `index_1.html`…; articles `/xwzx/yqdt/202302/t20230221_812345.html`
with `PubDate`/`ArticleTitle`/`ColumnName` metas, a `发布时间：… 来源：… 作者：…` line, the body in
`#zoom` (TRS_Editor) and the usual furniture around it: print/close/font controls, 相关链接,
attachments, photo captions `（图为…）`, a `主办单位` footer with an ICP number. Some pages are
GBK-encoded; some columns page through a JavaScript pager with a `<noscript>` fallback.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from html import escape
from importlib import resources
from typing import Any

from parkwatch.samplesite.render import Page

Record = Mapping[str, Any]
SITE_NAME = "滨北经济技术开发区"
COLUMNS: dict[str, tuple[str, str]] = {  # column path: (parent name, column name)
    "xwzx/yqdt": ("新闻中心", "园区动态"),
    "xwzx/tzgg": ("新闻中心", "通知公告"),
    "xwzx/zwyw": ("新闻中心", "政务要闻"),
    "zsyz/xmjs": ("招商引资", "项目建设"),
}
JS_PAGER_COLUMNS = frozenset({"xwzx/yqdt", "zsyz/xmjs"})
STATIC_PAGES = {"/kfqgk/index.html": "开发区概况", "/xxgk/index.html": "信息公开"}
VARIANTS = ("trs",)


def load_portal_records() -> list[dict[str, Any]]:
    """The hand-written portal articles bundled as gov_articles.json."""
    text = resources.files("parkwatch.samplesite").joinpath("gov_articles.json").read_text(
        encoding="utf-8")
    records: list[dict[str, Any]] = json.loads(text)
    return records


def _e(text: str) -> str:
    return escape(text, quote=True)


def portal_article_path(record: Record) -> str:
    """`/xwzx/yqdt/202302/t20230221_812345.html` from the record's column, creation date, id."""
    day = record["created"].replace("-", "")
    return f"/{record['column']}/{day[:6]}/t{day}_{record['id']}.html"


def portal_listing_path(column: str, page_no: int) -> str:
    return f"/{column}/index.html" if page_no == 0 else f"/{column}/index_{page_no}.html"


def _is_subhead(paragraph: str) -> bool:
    return len(paragraph) <= 20 and not paragraph.endswith(("。", "！", "？", "”", "）"))


def _nav() -> str:
    items = ['<li><a href="/">首页</a></li>']
    items += [f'<li><a href="{portal_listing_path(c, 0)}">{_e(names[1])}</a></li>'
              for c, names in COLUMNS.items()]
    items += [f'<li><a href="{p}">{_e(t)}</a></li>' for p, t in STATIC_PAGES.items()]
    return '<div class="nav"><ul>' + "".join(items) + "</ul></div>"


def _shell(title: str, head_extra: str, main: str, charset: str) -> str:
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
 "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}" />
<meta http-equiv="X-UA-Compatible" content="IE=edge" />
<title>{_e(title)}_{SITE_NAME}</title>
<meta name="SiteName" content="{SITE_NAME}" />
<meta name="SiteDomain" content="www.binbei-kfq.example" />
{head_extra}
<link href="/images/common.css" rel="stylesheet" type="text/css" />
<script type="text/javascript" src="/images/jquery.min.js"></script>
</head>
<body>
<div class="top"><div class="logo"><img src="/images/logo.png" alt="{SITE_NAME}" /></div>
<div class="topr"><a href="/">网站首页</a> | <a href="javascript:void(0)">设为首页</a> |
<a href="javascript:void(0)">加入收藏</a> | <a href="/wza/">无障碍浏览</a></div></div>
{_nav()}
<div class="main">
{main}
</div>
<div class="footer">
<p><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a> | <a href="/mzsm/">免责声明</a></p>
<p>主办单位：{SITE_NAME}管理委员会　承办单位：开发区党政办公室</p>
<p>地址：滨北市开发区创业大道88号　邮编：150000　联系电话：0000-87654321</p>
<p><a href="https://beian.miit.gov.cn/" target="_blank">北ICP备12345678号-1</a>
<img src="/images/ga.png" />北公网安备 00000000000001号　网站标识码：0000000001</p>
</div>
<script type="text/javascript">var _hmt = _hmt || [];</script>
</body>
</html>
"""


def _crumb(column: str) -> str:
    parent, name = COLUMNS[column]
    top = column.split("/")[0]
    return (f'<div class="position">当前位置：<a href="/">首页</a> &gt; '
            f'<a href="/{top}/">{_e(parent)}</a> &gt; '
            f'<a href="{portal_listing_path(column, 0)}">{_e(name)}</a></div>')


def _date_line(record: Record) -> str:
    parts = []
    day, clock = record["published"].split(" ")
    if record["date_style"] == "dash":
        parts.append(f"发布时间：{day} {clock}")
    elif record["date_style"] == "cn":
        y, m, d = day.split("-")
        parts.append(f"时间：{y}年{m}月{d}日")
    parts.append(f"来源：{_e(record['source'])}")
    if record.get("author"):
        parts.append(f"作者：{_e(record['author'])}")
    font = ('【字体：<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> '
            '<a href="javascript:doZoom(14)">小</a>】')
    return f'<div class="info"><span>{"　".join(parts)}</span>　{font}</div>'


def _zoom(record: Record) -> str:
    day = record["created"].replace("-", "")
    captions = record.get("captions", {})
    blocks = []
    for i, para in enumerate(record["paragraphs"]):
        if _is_subhead(para):
            blocks.append(f'<p style="text-indent:2em"><strong>{_e(para)}</strong></p>')
        else:
            blocks.append(f'<p style="text-indent:2em">{_e(para)}</p>')
        if str(i) in captions:
            blocks.append(f'<p style="text-align:center"><img src="./W0{day}{i}.jpg" '
                          f'oldsrc="W0{day}{i}.jpg" /></p>')
            blocks.append(f'<p style="text-align:center">{_e(captions[str(i)])}</p>')
    for j, name in enumerate(record.get("attachments", [])):
        lead = "附件：" if j == 0 else ""
        ext = name.rsplit(".", 1)[-1]
        blocks.append(f'<p>{lead}<a href="./P0{day}{record["id"]}{j}.{ext}">{_e(name)}</a></p>')
    return ('<div id="zoom" class="TRS_Editor"><style type="text/css">.TRS_Editor P{'
            'margin-top:0;margin-bottom:12px;line-height:2;font-size:16px;}</style>'
            '<div class="TRS_Editor">' + "\n".join(blocks) + "</div></div>")


def _metas(record: Record) -> str:
    name = COLUMNS[record["column"]][1]
    metas = [f'<meta name="ArticleTitle" content="{_e(record["title"])}" />',
             f'<meta name="ColumnName" content="{_e(name)}" />',
             f'<meta name="ColumnType" content="{_e(name)}" />',
             f'<meta name="ContentSource" content="{_e(record["source"])}" />']
    if record.get("meta", True):
        metas.insert(1, f'<meta name="PubDate" content="{record["published"]}" />')
    keywords = "，".join(["开发区", COLUMNS[record["column"]][1]])
    metas.append(f'<meta name="Keywords" content="{keywords}" />')
    return "\n".join(metas)


def render_portal_article(record: Record) -> bytes:
    """One article page, encoded as the record says (utf-8 or gbk)."""
    related = "".join(f'<li><a href="/xwzx/yqdt/">{_e(t)}</a></li>'
                      for t in record.get("related", []))
    related_html = (f'<div class="xglj"><h4>相关链接</h4><ul>{related}</ul></div>'
                    if related else "")
    main = f"""{_crumb(record["column"])}
<div class="article">
<h1 class="title">{_e(record["title"])}</h1>
{_date_line(record)}
<div class="content">
{_zoom(record)}
</div>
<div class="share">分享到：<a class="wx" href="javascript:void(0)">微信</a>
<a class="wb" href="javascript:void(0)">微博</a></div>
<div class="btns">【<a href="javascript:window.print()">打印本页</a>】
【<a href="javascript:window.close()">关闭窗口</a>】</div>
{related_html}
</div>"""
    encoding = record.get("encoding", "utf-8")
    charset = "gb2312" if encoding == "gbk" and record["id"] % 2 else encoding
    html = _shell(record["title"], _metas(record), main, charset)
    return html.encode("gb18030" if encoding == "gbk" else "utf-8")


def _listing(column: str, items: Sequence[Record], page_no: int, pages: int) -> str:
    lis = "\n".join(
        f'<li><a href=".{portal_article_path(r)[len(column) + 1:]}" target="_blank" '
        f'title="{_e(r["title"])}">{_e(r["title"])}</a><span>{r["published"][:10]}</span></li>'
        for r in items)
    if column in JS_PAGER_COLUMNS:
        fallback = (f'<a href="index_{page_no + 1}.html">下一页</a>'
                    if page_no + 1 < pages else "")
        pager = (f'<div class="page"><script type="text/javascript">'
                 f'createPageHTML({pages}, {page_no}, "index", "html");</script>'
                 f"<noscript>{fallback}</noscript></div>")
    else:
        links = []
        if page_no > 0:
            prev = "index.html" if page_no == 1 else f"index_{page_no - 1}.html"
            links += ['<a href="index.html">首页</a>', f'<a href="{prev}">上一页</a>']
        if page_no + 1 < pages:
            links += [f'<a href="index_{page_no + 1}.html">下一页</a>',
                      f'<a href="index_{pages - 1}.html">尾页</a>']
        pager = f'<div class="page">共{pages}页　{" ".join(links)}</div>'
    return f"""{_crumb(column)}
<div class="list"><ul>
{lis}
</ul>
{pager}
</div>"""


def build_portal_site(records: Sequence[Record], variant: str = "trs", per_page: int = 4,
                      base_url: str | None = None) -> dict[str, Page]:
    """The whole portal as {path: Page}: robots, home, column listings, articles, static pages."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; expected one of {VARIANTS}")
    ordered = sorted(records, key=lambda r: (r["published"], r["id"]), reverse=True)
    pages: dict[str, Page] = {
        "/robots.txt": Page(b"User-agent: *\nDisallow: /manage/\n", "text/plain; charset=utf-8")}
    for record in ordered:
        ctype = "text/html" if record.get("encoding") == "gbk" else "text/html; charset=utf-8"
        pages[portal_article_path(record)] = Page(render_portal_article(record), ctype)
    for column in COLUMNS:
        recs = [r for r in ordered if r["column"] == column]
        chunks = [recs[i:i + per_page] for i in range(0, len(recs), per_page)] or [[]]
        for page_no, chunk in enumerate(chunks):
            html = _shell(COLUMNS[column][1], "", _listing(column, chunk, page_no, len(chunks)),
                          "utf-8")
            pages[portal_listing_path(column, page_no)] = Page(html.encode())
    news = "\n".join(f'<li><a href="{portal_article_path(r)}">{_e(r["title"])}</a>'
                     f'<span>{r["published"][:10]}</span></li>' for r in ordered[:8])
    home = f'<div class="hot"><h3>工作动态</h3><ul>{news}</ul></div>'
    pages["/index.html"] = Page(_shell("首页", "", home, "utf-8").encode())
    for path, title in STATIC_PAGES.items():
        text = (f'<div class="position">当前位置：<a href="/">首页</a> &gt; {title}</div>'
                f"<div class=\"gk\"><p>{SITE_NAME}设立于1992年，规划面积86平方公里。</p></div>")
        pages[path] = Page(_shell(title, "", text, "utf-8").encode())
    return pages
