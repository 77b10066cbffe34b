"""Page furniture that generic extraction keeps, recognised by its visible text, not its classes:
related-story blocks, "READ MORE:" lines, captions, print/close/font controls, share, newsletter
and cookie boxes, attachment lines, site footers and government portals' disclosure tables.
In-body subheads are never furniture."""

from __future__ import annotations

import re

from lxml import html

# Headings that open a block of links to other stories.
RELATED_HEAD = re.compile(
    r"^\s*(?:related(?:\s+(?:posts?|stories|articles|news|reading|coverage|content|links))?|"
    r"more (?:from|on|in) .{0,40}|more stories|you (?:may|might) (?:also )?like|"
    r"recommended(?: for you)?|read (?:more|next|also)|also read|see also|popular(?: posts)?|"
    r"most (?:read|popular|viewed)|trending|latest(?: news| posts)?|top stories|editor'?s picks?|"
    r"相关(?:链接|新闻|阅读|文章|报道|信息|稿件)|延伸阅读|推荐阅读|猜你喜欢|热点新闻|热门文章|"
    r"热门新闻|最新(?:新闻|文章|动态)|精彩推荐|图片新闻|更多(?:新闻|阅读)?)\s*[:：]?\s*$", re.I)
SHARE_HEAD = re.compile(r"^\s*(?:share(?: this(?: article| story)?)?|分享(?:到)?)\s*[:：]?",
                        re.I)
BOX_TEXT = re.compile(
    r"newsletter|sign up|subscribe|cookies?\b|we use cookies|privacy policy|订阅|扫一扫|"
    r"关注(?:我们|微信)|二维码", re.I)
CONTROL_WORDS = re.compile(
    r"打印(?:本页|此页|文章)?|关闭(?:窗口|本页)?|字体|[大中小]|收藏(?:本页)?|返回顶部|"
    r"分享到?|微信|微博|print(?: this(?: page| article)?)?|close(?: window)?|font(?: size)?|"
    r"email|e-mail|share|facebook|twitter|x|linkedin|whatsapp|top|[\s【】\[\]()（）:：|/·•、,，]")
READ_MORE = re.compile(
    r"^\s*(?:read more|also read|read also|related|see also|more|watch|listen|recommended|"
    r"related story|延伸阅读|相关阅读|相关链接|推荐阅读|相关新闻)\s*[:：»>]", re.I)
CAPTION = re.compile(
    r"^\s*[（(]\s*(?:图为|图片|图：|摄影|视频|图/|图片来源|Photo|Image|Picture|File photo)"
    r"[^\n]*[)）]\s*$|^\s*[（(][^()（）]{0,60}(?:摄|供图|图片来源[^()（）]*)\s*[)）]\s*$|"
    r"^\s*[\[【]\s*(?:Photo|Photos|Video|Image|图)\s*[/／:：][^\]】]*[\]】]\s*$|"
    r"^\s*(?:Photo|Image|Picture)\s*(?:[:：]|by\b|courtesy\b)", re.I)
ATTACHMENT = re.compile(
    r"^\s*(?:附件\s*\d*\s*[:：]?|相关附件\s*[:：]?|Attachments?\s*[:：]|Download\s*[:：])|"
    r"^\s*\d*[.、]?\s*[^\s。，,.]{1,80}\.(?:pdf|docx?|xlsx?|pptx?|zip|rar|7z|wps|et|ofd|csv)"
    r"\s*(?:[(（][^()（）]*[)）])?\s*$", re.I)
FOOTER = re.compile(
    r"主办单位|承办单位|主办\s*[:：]|承办\s*[:：]|协办单位|ICP\s*[备证]|公网安备|网站标识码|"
    r"版权所有|Copyright\s*(?:©|\(c\)|\d{4})|©\s*\d{4}|All rights reserved|"
    r"技术支持\s*[:：]|建议使用.{0,20}浏览器|网站地图\s*[|｜]", re.I)
# The labels of a government portal's information-disclosure table (信息公开 metadata: index
# number, issuing body, dates, document number, subject class), shown above the text.
GOV_INFO_LABEL = re.compile(
    r"(索引号|发布机构|发文机关|发文机构|成文日期|发布日期|生成日期|文号|发文字号|主题分类|"
    r"体裁分类|服务对象|主题词|有效性|公开方式|公开范围|信息来源|所属机构|信息分类|组配分类)"
    r"\s*[:：]")
GOV_INFO_RARE = frozenset({"索引号", "发文字号", "文号", "主题分类", "体裁分类", "组配分类",
                           "公开方式", "公开范围", "有效性", "成文日期", "生成日期"})
COOKIE = re.compile(r"\bcookies?\b.{0,200}\b(?:accept|agree|consent|continu|browse|use)", re.I)
NEWSLETTER = re.compile(r"\b(?:sign up|subscribe)\b.{0,80}\bnewsletters?\b|"
                        r"\bnewsletters?\b.{0,80}\b(?:sign up|subscribe|inbox)\b|"
                        r"^(?:subscribe|sign up)(?: now| today)?[.!]?$", re.I)


BLOCKS = ("figcaption", "div", "section", "aside", "ul", "ol", "nav", "form", "table", "dl",
          "footer")


def is_control_line(line: str) -> bool:
    """`【打印本页】【关闭窗口】`, `【字体：大 中 小】`, `Print | Email | Share`."""
    if len(line) > 60 or not line.strip():
        return False
    return not CONTROL_WORDS.sub("", line.lower()).strip()


def is_gov_info(text: str) -> bool:
    """Whether `text` reads as a disclosure table's labels and values: three labels or more,
    one of them a label only such a table has (索引号, 发文字号, 主题分类, 成文日期, …)."""
    labels = set(GOV_INFO_LABEL.findall(text))
    return len(labels) >= 3 and bool(labels & GOV_INFO_RARE)


def is_furniture_line(line: str, extra: re.Pattern[str] | None = None) -> bool:
    """A line that is never part of a story's text."""
    if extra is not None and extra.search(line):
        return True
    if len(line) > 300:
        return False
    if is_gov_info(line):
        return True
    return bool(
        is_control_line(line) or READ_MORE.match(line) or CAPTION.match(line)
        or ATTACHMENT.match(line) or (len(line) < 200 and FOOTER.search(line))
        or COOKIE.search(line) or NEWSLETTER.search(line) or RELATED_HEAD.match(line)
        or SHARE_HEAD.match(line) and len(line) < 40)


def _text(el: html.HtmlElement, limit: int = 2000) -> str:
    parts: list[str] = []
    size = 0
    for piece in el.itertext():
        parts.append(piece)
        size += len(piece)
        if size > limit:
            break
    return " ".join("".join(parts).split())


def _link_share(el: html.HtmlElement, text: str) -> float:
    linked = sum(len(" ".join(a.text_content().split())) for a in el.iter("a"))
    return linked / max(1, len(text))


def _first_line(el: html.HtmlElement) -> str:
    for child in el.iter():
        if child is el or not isinstance(child.tag, str):
            continue
        if child.tag in ("h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "p", "span", "div",
                         "header", "dt", "li", "a"):
            text = " ".join(child.text_content().split())
            if text:
                return text[:80]
    return _text(el, 80)


def _is_furniture_block(el: html.HtmlElement) -> bool:
    if el.tag == "figcaption":
        return True
    text = _text(el)
    if not text:
        return False
    head = _first_line(el)
    links = _link_share(el, text)
    if RELATED_HEAD.match(head) and links >= 0.5:
        return True
    if SHARE_HEAD.match(head) and len(text) < 160:
        return True
    if len(text) < 400 and (COOKIE.search(text) or NEWSLETTER.search(text)
                            or (el.tag == "form" and BOX_TEXT.search(text))):
        return True
    if el.tag in ("table", "dl", "ul", "div") and len(text) < 800 and is_gov_info(text):
        return True
    return (el.tag in ("ul", "ol") and links >= 0.9 and len(text) < 600
            and bool(RELATED_HEAD.match(_previous_text(el))))


def prune_furniture(root: html.HtmlElement) -> int:
    """Remove furniture blocks from the tree in place (the smallest block that reads as
    furniture, never the story around it); return how many were removed."""
    found = [el for el in root.iter(*BLOCKS) if _is_furniture_block(el)]
    holding = set()  # blocks with a furniture block inside: not themselves removed
    for el in found:
        for ancestor in el.iterancestors():
            if id(ancestor) in holding:
                break
            holding.add(id(ancestor))
    doomed = [el for el in found if id(el) not in holding]
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()  # keeps the text that follows the block
    return len(doomed)


def _previous_text(el: html.HtmlElement) -> str:
    """The text of the element before `el`; a comment or processing instruction between them
    (an HtmlComment has no text_content) is passed over."""
    prev = next((s for s in el.itersiblings(preceding=True) if isinstance(s.tag, str)), None)
    return " ".join(prev.text_content().split())[:80] if prev is not None else ""
