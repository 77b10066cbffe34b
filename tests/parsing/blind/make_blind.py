# ruff: noqa: E501 - the pages are written as markup, one source line per page line
"""Write the blind reading set: pages in six markups the reading rules never saw (written after
the rules were frozen at commit 5bcd3d5), each with the gold a reader should take from it.

    python tests/parsing/blind/make_blind.py    # rewrites *.html and expected.json here
"""

from __future__ import annotations

import json
from html import escape as e
from pathlib import Path

HERE = Path(__file__).resolve().parent

# ------------------------------------------------------------------ articles (our own text)

EN = [
    dict(title="Harbour city approves 14 factory projects in eastern zone", date="2024-03-12",
         stamp="2024-03-12T09:00:00+08:00", author="Grace Holt", source="City Information Office",
         paras=["The city's planning board approved 14 factory projects with total investment of "
                "5.6 billion yuan in the Eastern Economic Zone on Tuesday.",
                "Most of the plants will make parts for electric buses and farm machinery. Work on "
                "the first four is due to begin in May.",
                "Land and power",
                "The zone will provide 85 hectares of serviced land and a new 110-kilovolt "
                "substation, the board said.",
                "Officials expect the projects to create about 2,700 jobs when they are running."]),
    dict(title="Free trade zone customs clearance falls to 40 minutes", date="2024-02-05",
         stamp="2024-02-05T07:10:00+08:00", author="Omar Sidhu", source=None,
         paras=["Average customs clearance time for goods entering the pilot free trade zone fell "
                "to 40 minutes last year, down from three hours in 2021.",
                "The zone handled 212,000 import declarations in 2023, up 17 percent, customs "
                "officers told a briefing on Monday.",
                "Traders said the biggest change was a single online window that replaced five "
                "separate forms."]),
    dict(title="Night markets return to the old town", date="2023-11-20",
         stamp="2023-11-20T19:30:00+08:00", author="Lena Fischer", source="Provincial Daily",
         paras=["Night markets returned to three streets of the old town on Saturday after a "
                "two-year break.",
                "About 180 stalls sell grilled fish, noodles and handicrafts from 6 pm to "
                "midnight. Organisers counted 26,000 visitors on the first night.",
                "The markets will run every weekend until the end of February."]),
    dict(title="Science park tenants file 1,300 patents", date="2024-01-16",
         stamp="2024-01-16T08:45:00+08:00", author="Grace Holt", source=None,
         paras=["Companies in the Westlake Science Park filed 1,320 patent applications last "
                "year, 22 percent more than in 2022.",
                "Invention patents made up 61 percent of the total, the park's administration "
                "said in its annual report.",
                "Where the patents came from",
                "Medical device makers filed the most, followed by software and sensor companies."
                ]),
    dict(title="Coastal wind farm connects to the grid", date="2023-12-01",
         stamp="2023-12-01T06:55:00+08:00", author="Omar Sidhu", source="Energy Weekly",
         paras=["A 400-megawatt offshore wind farm began sending power to the grid on Friday, "
                "its operator said.",
                "The farm's 64 turbines are expected to generate 1.3 billion kilowatt-hours a "
                "year, enough for 500,000 homes.",
                "Construction took 26 months and cost 7.1 billion yuan."]),
    dict(title="Logistics park opens rail freight terminal", date="2024-04-08",
         stamp="2024-04-08T10:20:00+08:00", author="Lena Fischer", source=None,
         paras=["A rail freight terminal with six loading tracks opened at the Northern "
                "Logistics Park on Monday.",
                "The terminal can handle 1.5 million tonnes of cargo a year and links the park to "
                "two national freight corridors.",
                "Park companies expect to cut trucking costs by about a fifth."]),
    dict(title="University hospital adds 500 beds", date="2024-03-27",
         stamp="2024-03-27T16:00:00+08:00", author="Grace Holt", source=None,
         paras=["The university hospital opened a new inpatient building with 500 beds on "
                "Wednesday.",
                "The 14-storey building also houses a cancer centre and a rehabilitation ward.",
                "The hospital said waiting lists for surgery should shrink by a third this year."
                ]),
    dict(title="Export processing zone output up 11 percent", date="2024-02-22",
         stamp="2024-02-22T07:40:00+08:00", author="Omar Sidhu", source="Xinhua",
         paras=["Output in the Southern Export Processing Zone rose 11.3 percent year-on-year to "
                "37.9 billion yuan in 2023.",
                "Electronics assembly made up 58 percent of output, and garment makers 14 percent.",
                "The zone plans to add a bonded maintenance centre for aircraft parts in 2024."]),
    dict(title="City bus fares unchanged for tenth year", date="2023-10-30",
         stamp="2023-10-30T12:00:00+08:00", author="Lena Fischer", source=None,
         paras=["Bus fares in the city will stay at 1 yuan for a tenth straight year, the "
                "transport bureau said.",
                "The bureau spends about 900 million yuan a year on subsidies to keep fares low.",
                "Passenger numbers rose 8 percent this year as more people returned to offices."]),
]
ZH = [
    dict(title="南岭高新区一季度新增市场主体1260户", date="2023-04-12", stamp="2023-04-12 09:30",
         author="陈静", source="南岭日报",
         paras=["一季度，南岭高新区新增各类市场主体1260户，同比增长18.6%，其中新增企业482户。",
                "从产业分布看，新增企业主要集中在电子信息、智能制造和现代服务业，三者合计占比达72%。",
                "高新区行政审批局负责人介绍，企业开办实现“一窗受理、一日办结”，为市场主体发展提供了便利。"]),
    dict(title="东港物流园冷链仓储项目主体完工", date="2023-05-18", stamp="2023-05-18 16:20",
         author=None, source="市发改委",
         paras=["5月18日，东港物流园冷链仓储项目主体工程完工，项目总投资4.2亿元，建成后可新增冷库库容8万吨。",
                "项目将建设低温冷库、分拣中心和配送中心，预计今年10月投入使用。",
                "建设进展",
                "目前，项目设备采购已完成招标，制冷系统正在安装调试。"]),
    dict(title="全市前5个月实际利用外资增长9.3%", date="2023-06-12", stamp="2023-06-12 10:05",
         author="刘洋", source="北岸日报",
         paras=["1至5月，全市实际利用外资3.8亿美元，同比增长9.3%，其中制造业利用外资占比为46%。",
                "新设外商投资企业58家，同比增长23.4%。来自东盟国家的投资增长较快。",
                "市商务局表示，将继续办好投资促进活动，稳住外资基本盘。"]),
    dict(title="西城区开展夏季消防安全检查", date="2023-07-03", stamp="2023-07-03 08:50",
         author=None, source="西城区应急管理局",
         paras=["近日，西城区组织开展夏季消防安全检查，共检查商场、宾馆和餐饮场所326家，发现并督促整改隐患417处。",
                "检查组重点检查了消防通道、电气线路和灭火器材配备情况。",
                "区应急管理局提醒，夏季用电负荷大，各单位要加强巡查，防止电气火灾发生。"]),
    dict(title="临江经开区签约新材料项目总投资35亿元", date="2023-09-04",
         stamp="2023-09-03T23:10:00Z", author="周航", source="临江发布",
         paras=["9月4日上午，临江经济技术开发区举行新材料项目集中签约活动，共签约项目9个，总投资35亿元。",
                "签约项目涵盖碳纤维复合材料、电子级化学品和高性能涂料等领域。",
                "项目落地",
                "开发区将为签约项目提供全程代办服务，力争年内全部开工建设。"]),
    dict(title="河湾农业科技园入选省级现代农业产业园", date="2023-08-21", stamp="2023-08-21 15:40",
         author="孙悦", source="河湾县融媒体中心",
         paras=["近日，省农业农村厅公布第三批省级现代农业产业园名单，河湾农业科技园成功入选。",
                "园区规划面积12平方公里，以优质稻米和食用菌为主导产业，去年实现总产值28.5亿元，带动农户1.6万户。",
                "下一步，园区将推进稻米精深加工项目建设，延长产业链条。"]),
    dict(title="市图书馆暑期开展少儿阅读活动", date="2023-07-15", stamp="2023-07-15 11:00",
         author=None, source="市文化和旅游局",
         paras=["暑期期间，市图书馆推出少儿阅读系列活动，包括绘本故事会、科普讲座和读书分享会等共60场。",
                "活动面向全市6至14岁少年儿童，市民可通过图书馆公众号报名参加。"]),
    dict(title="北岸综合保税区上半年进出口额突破百亿元", date="2023-07-20",
         stamp="2023-07-20 17:15", author="刘洋", source="北岸日报",
         paras=["今年上半年，北岸综合保税区完成进出口额102.6亿元，同比增长21.8%，首次在半年内突破百亿元。",
                "其中，保税加工业务进出口额为64.3亿元，占比62.7%。",
                "综保区管理局表示，将加快引进保税研发和维修业务，推动综保区向高质量发展转型。"]),
    dict(title="高新区举办2023年创新创业大赛", date="2023-10-10", stamp="2023-10-10 14:30",
         author="陈静", source="南岭日报",
         paras=["10月10日，南岭高新区2023年创新创业大赛决赛举行，来自全国的30个项目同台竞技。",
                "最终，一个智能传感器项目获得一等奖，将获得200万元的落地扶持资金。",
                "自2016年以来，大赛累计吸引参赛项目1800余个，落地转化项目126个。"]),
]


def zh_date(stamp: str) -> str:
    y, m, d = stamp[:10].split("-")
    return f"{y}年{m}月{d}日"


# ------------------------------------------------------------------ markups


def drupal(a: dict, n: int) -> tuple[str, str]:
    """English municipal site, Drupal-like: dcterms.date meta, 'Release Date', attachments."""
    body = "\n".join(f"<h3>{e(p)}</h3>" if len(p.split()) <= 4 else f"<p>{e(p)}</p>"
                     for p in a["paras"])
    src = f'<div class="field field--name-source">Source: {e(a["source"])}</div>' if a[
        "source"] else ""
    html = f"""<!DOCTYPE html><html lang="en" dir="ltr"><head>
<meta charset="utf-8"><title>{e(a['title'])} | Harbour City Government</title>
<meta name="dcterms.title" content="{e(a['title'])}">
<meta name="dcterms.date" content="{a['stamp']}">
<meta name="dcterms.modified" content="2024-05-01T10:00:00+08:00"></head>
<body class="path-node page-node-type-news"><div class="dialog-off-canvas-main-canvas">
<header role="banner"><div class="region-header"><a href="/" rel="home">Harbour City</a></div>
<nav role="navigation"><ul class="menu"><li><a href="/news">News</a></li><li><a href="/services">Services</a></li>
<li><a href="/business">Doing business</a></li><li><a href="/contact">Contact</a></li></ul></nav></header>
<div class="region-breadcrumb"><ol><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ol></div>
<main role="main"><div class="region-content">
<article role="article" class="node node--type-news node--view-mode-full">
<h1 class="page-title"><span class="field--name-title">{e(a['title'])}</span></h1>
<div class="node__meta">Release Date: {a['date']}</div>
<div class="node__content">
<div class="clearfix text-formatted field field--name-body">{body}</div>
{src}
<div class="field field--name-attachments"><div class="field__label">Attachment:</div>
<a href="/sites/default/files/2024-03/notice-{n}.pdf">notice-{n}.pdf</a> (1.2 MB)</div>
<div class="page-tools"><a href="javascript:print()">Print this page</a> | <a href="mailto:?">Email</a></div>
</div></article>
<div class="block block-views"><h2>Related links</h2><ul>
<li><a href="/news/a">Harbour city budget for 2024 published</a></li>
<li><a href="/news/b">New ferry timetable from April</a></li></ul></div>
</div></main>
<footer role="contentinfo"><p>© 2024 Harbour City Government. All rights reserved.</p>
<p><a href="/privacy">Privacy</a> · <a href="/accessibility">Accessibility</a></p></footer>
</div></body></html>"""
    return html, f"https://www.harbourcity.example/news/{a['date'].replace('-', '')}-{n}"


def microdata(a: dict, n: int) -> tuple[str, str]:
    """English newspaper with schema.org microdata, 'ALSO READ:' lines, photo credits."""
    parts = []
    for i, p in enumerate(a["paras"]):
        parts.append(f"<h2>{e(p)}</h2>" if len(p.split()) <= 4 else f"<p>{e(p)}</p>")
        if i == 0:
            parts.append('<div class="inline-photo"><img src="/img/1.jpg"><p class="credit">'
                         "[Photo by Staff Photographer / For The Coastal Herald]</p></div>")
            parts.append('<p class="also"><b>ALSO READ:</b> <a href="/story/99">Port authority '
                         "names new chairman</a></p>")
    source = f" | {e(a['source'])}" if a["source"] else ""
    html = f"""<!doctype html><html><head><meta charset="utf-8">
<title>{e(a['title'])} - The Coastal Herald</title>
<meta name="description" content="{e(a['paras'][0][:120])}">
</head><body>
<div id="top-bar"><a href="/">The Coastal Herald</a> <a href="/login">Sign in</a></div>
<div id="menu"><a href="/nation">Nation</a> <a href="/business">Business</a> <a href="/world">World</a></div>
<div class="wrapper"><div class="main-col">
<article itemscope itemtype="http://schema.org/NewsArticle">
<meta itemprop="datePublished" content="{a['stamp']}">
<meta itemprop="dateModified" content="2024-06-30T22:00:00+08:00">
<h1 itemprop="headline">{e(a['title'])}</h1>
<div class="meta">By <span itemprop="author">{e(a['author'])}</span>{source}</div>
<div itemprop="articleBody">{''.join(parts)}</div>
<div class="share-bar">Share: <a href="#">Facebook</a> <a href="#">Twitter</a> <a href="#">WhatsApp</a></div>
<div class="subscribe">Subscribe to our daily newsletter for the top stories of the day.
<form><input type="email"><button>Go</button></form></div>
</article>
<div class="more"><h3>More from Business</h3><ul><li><a href="/b/1">Bank lending rises in February</a></li>
<li><a href="/b/2">Shipping rates fall again</a></li><li><a href="/b/3">Mall opens in north district</a></li></ul></div>
</div><div class="side"><h3>Most Popular</h3><ol><li><a href="/p/1">Storm warning for the coast</a></li>
<li><a href="/p/2">School term dates announced</a></li></ol></div></div>
<div id="footer">Copyright 2024 The Coastal Herald. Terms of use.</div></body></html>"""
    return html, f"https://coastalherald.example/business/{n}00{n}/"


def table_font(a: dict, n: int) -> tuple[str, str]:
    """Old English site: one table cell, <font>, <br><br> paragraphs, 'Posted:' line."""
    src = f" | Source: {e(a['source'])}" if a["source"] else ""
    by = f"<br>By {e(a['author'])}" if a["author"] else ""
    html = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{e(a['title'])}</title></head><body bgcolor="#ffffff">
<table width="900" align="center"><tr><td colspan="2"><img src="/banner.gif"><br>
<a href="/">HOME</a> | <a href="/news/">NEWS</a> | <a href="/invest/">INVEST</a> | <a href="/about/">ABOUT</a></td></tr>
<tr><td width="200" valign="top"><b>Quick links</b><br><a href="/invest/policy.html">Investment policy</a><br>
<a href="/invest/parks.html">Our parks</a><br><a href="/contact.html">Contact</a></td>
<td valign="top"><font face="Arial" size="4"><b>{e(a['title'])}</b></font><br>
<font size="2" color="#666666">Posted: {a['date']}{src}</font>{by}<br><br>
<font size="3">{'<br><br>'.join(e(p) for p in a['paras'])}</font>
<br><br><a href="javascript:window.print()">[Print]</a> <a href="javascript:window.close()">[Close]</a>
</td></tr><tr><td colspan="2" align="center"><font size="1">Copyright (c) 2023 Invest North Office. All Rights Reserved.</font></td></tr>
</table></body></html>"""
    return html, f"http://www.investnorth.example/news/{n}/{a['date']}.html"


def people(a: dict, n: int) -> tuple[str, str]:
    """Chinese provincial news site: 'YYYY年MM月DD日HH:MM | 来源：', publishdate meta, 责编."""
    paras = "".join(f"<p><strong>{e(p)}</strong></p>" if len(p) <= 12 else
                    f"<p>　　{e(p)}</p>" for p in a["paras"])
    author = f"<p class='author'>记者 {e(a['author'])}</p>" if a["author"] else ""
    html = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>{e(a['title'])}--{e(a['source'])}网</title>
<meta name="keywords" content="高新区"><meta name="publishdate" content="{a['date']}">
<meta name="source" content="来源：{e(a['source'])}"></head><body>
<div class="header"><a href="/">首页</a> <a href="/sz/">时政</a> <a href="/jj/">经济</a> <a href="/sh/">社会</a></div>
<div class="main"><div class="layout rm_txt">
<div class="route"><a href="/">{e(a['source'])}网</a>&gt;&gt;<a href="/jj/">经济</a></div>
<div class="col col-1 fl"><h1>{e(a['title'])}</h1>
<div class="col-1-1 fl">{zh_date(a['stamp'])}{a['stamp'][11:]} | 来源：<a href="/">{e(a['source'])}</a></div>
<div class="rm_txt_con cf">{author}{paras}
<p class="paper_num">（责编：王芳、赵磊）</p></div>
<div class="edit cf"><div class="share">分享到：<a>微信</a><a>微博</a><a>QQ空间</a></div></div>
<div class="rm_relevant"><h2>相关新闻</h2><ul><li><a href="/jj/1.html">全省经济运行稳中向好</a></li>
<li><a href="/jj/2.html">多地出台稳外贸措施</a></li><li><a href="/jj/3.html">新型工业化推进会召开</a></li></ul></div>
</div><div class="col col-2 fr"><div class="ewm"><img src="/ewm.png"><p>扫描二维码关注我们</p></div></div>
</div></div><div class="footer"><p>{e(a['source'])}网版权所有，未经书面授权禁止使用</p><p>南ICP备00000001号</p></div>
</body></html>"""
    return html, f"http://news.nanling.example/n1/{a['date'].replace('-', '/')}/c{n}0{n}-{n}.html"


def municipal(a: dict, n: int) -> tuple[str, str]:
    """Chinese municipal portal, another CMS: table layout, GBK, '发布日期：', #Content."""
    paras = "".join(f"<p style='text-indent:2em'>{e(p)}</p>" for p in a["paras"])
    html = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">
<title>{e(a['title'])}-北岸市人民政府</title></head><body>
<table width="1000" align="center" class="top"><tr><td><img src="/images/top.jpg"></td></tr>
<tr><td class="daohang"><a href="/">首页</a>　<a href="/zwgk/">政务公开</a>　<a href="/bsfw/">办事服务</a>　<a href="/hdjl/">互动交流</a></td></tr></table>
<table width="1000" align="center"><tr><td class="weizhi">您所在的位置：<a href="/">首页</a> &gt;&gt; <a href="/zwgk/">政务公开</a> &gt;&gt; <a href="/zwgk/bmdt/">部门动态</a></td></tr>
<tr><td class="bt" align="center">{e(a['title'])}</td></tr>
<tr><td align="center" class="xx">发布日期：{a['date']}　　信息来源：{e(a['source'])}　　浏览次数：<span id="hits">368</span></td></tr>
<tr><td class="nr"><div id="Content">{paras}</div></td></tr>
<tr><td class="fj">附件下载：<a href="/u/{n}.doc">（无）</a></td></tr>
<tr><td align="right">[<a href="javascript:window.print()">打印本页</a>] [<a href="javascript:window.close()">关闭窗口</a>]</td></tr>
<tr><td><div class="ewm">扫一扫在手机打开当前页</div></td></tr></table>
<table width="1000" align="center" class="foot"><tr><td>版权所有：北岸市人民政府办公室　　网站标识码：0000000002<br>
北ICP备00000002号　　建议使用1366×768分辨率浏览本站</td></tr></table></body></html>"""
    return html, f"http://www.beian-city.example/zwgk/bmdt/{a['date'][:7].replace('-', '')}/{n}.shtml"


def app5(a: dict, n: int) -> tuple[str, str]:
    """Chinese HTML5 news app page: JSON-LD (UTC timestamps), captions, 延伸阅读, 责任编辑."""
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": a["title"],
          "datePublished": a["stamp"] if "T" in a["stamp"] else a["stamp"].replace(" ", "T")
          + ":00+08:00", "dateModified": "2023-12-31T02:00:00Z",
          "author": [{"@type": "Person", "name": a["author"]}] if a["author"] else [],
          "publisher": {"@type": "Organization", "name": a["source"]}}
    parts = []
    for i, p in enumerate(a["paras"]):
        parts.append(f"<h2>{e(p)}</h2>" if len(p) <= 12 else f"<p>{e(p)}</p>")
        if i == 0:
            parts.append('<p class="pic"><img src="/p/1.jpg"></p><p class="pic-desc">'
                         "（图为项目签约现场。通讯员 供图）</p>")
    html = f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{e(a['title'])}_{e(a['source'])}</title>
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script></head>
<body><header class="app-head"><a class="logo" href="/">{e(a['source'])}</a><a href="/download">下载客户端</a></header>
<section class="article">
<h1 class="article-title">{e(a['title'])}</h1>
<div class="article-info"><span class="src">{e(a['source'])}</span></div>
<section class="article-content">{''.join(parts)}</section>
<p class="editor">责任编辑：吴敏</p>
<section class="extend"><h3>延伸阅读</h3><a href="/a/1">全市重点项目建设提速</a><a href="/a/2">开发区招商引资成效明显</a></section>
<div class="app-banner">打开APP，阅读更多精彩内容</div>
</section>
<footer>© 2023 {e(a['source'])} 版权所有</footer></body></html>"""
    return html, f"https://m.linjiang.example/article/{n}{n}{n}{n}.html"


MARKUPS = [("en", drupal, EN[0:3]), ("en", microdata, EN[3:6]), ("en", table_font, EN[6:9]),
           ("zh", people, ZH[0:3]), ("zh", municipal, ZH[3:6]), ("zh", app5, ZH[6:9])]


def main() -> None:
    expected = {}
    for language, render, articles in MARKUPS:
        for n, article in enumerate(articles, 1):
            html, url = render(article, n)
            name = f"{render.__name__}-{n}.html"
            encoding = "gbk" if render is municipal else "utf-8"
            (HERE / name).write_bytes(html.encode("gb18030" if encoding == "gbk" else "utf-8"))
            expected[name] = {"url": url, "title": article["title"],
                              "published": article["date"], "language": language,
                              "encoding": None if encoding == "gbk" else "utf-8",
                              "text": article["paras"]}
    (HERE / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1)
                                        + "\n", encoding="utf-8")
    print(f"{len(expected)} blind pages written to {HERE}")


if __name__ == "__main__":
    main()
