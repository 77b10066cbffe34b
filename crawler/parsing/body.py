"""Article body cleaning: drop captions, image names, pagination and separators, and cut the
trailing teasers of other stories while keeping in-body subheads."""

from __future__ import annotations

import re

CAPTION = re.compile(r"^\s*[\[【(（]\s*(?:Photo|Photos|Video|图)\s*[/／:：].*[\]】)）]\s*$", re.I)
IMAGE_NAME = re.compile(r"^\s*[\w\-./]+\.(?:jpe?g|png|gif|webp|bmp)\s*$", re.I)
PAGER_WORDS = frozenset(
    [
        "…",
        "...",
        "上一页",
        "下一页",
        "首页",
        "尾页",
        "末页",
        "prev",
        "previous",
        "next",
        "last",
        "page",
        "lastpage",
        "first",
        "firstpage",
        "«",
        "»",
        "<",
        ">",
        "<<",
        ">>",
        "‹",
        "›",
    ]
)
SEPARATOR = re.compile(r"^\s*[-–—_*·•=]+\s*$")
ELLIPSIS = re.compile(r"(?:…|\.\.\.|\.\s\.\s\.)\s*[\"”’']?\s*$")
SENTENCE_END = re.compile(r"[.!?。！？;；:：,，][\"”’')）]*\s*$")
WORD = re.compile(r"[A-Za-z][A-Za-z\-']+")

# Words so common on a regional news site that sharing them says nothing about the story.
COMMON = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "that",
        "this",
        "from",
        "into",
        "over",
        "under",
        "about",
        "after",
        "before",
        "their",
        "its",
        "has",
        "have",
        "had",
        "was",
        "were",
        "are",
        "been",
        "will",
        "would",
        "can",
        "could",
        "may",
        "also",
        "more",
        "than",
        "which",
        "who",
        "whom",
        "whose",
        "what",
        "when",
        "where",
        "while",
        "year",
        "years",
        "new",
        "city",
        "cities",
        "province",
        "provincial",
        "china",
        "chinese",
        "harbin",
        "heilongjiang",
        "said",
        "says",
        "according",
        "total",
        "number",
        "percent",
        "billion",
        "million",
        "yuan",
        "people",
        "local",
        "government",
        "national",
        "first",
        "last",
        "other",
        "such",
        "some",
        "many",
        "most",
        "all",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "end",
        "per",
        "part",
        "parts",
        "well",
        "made",
        "make",
        "makes",
        "making",
        "day",
        "days",
        "time",
        "times",
        "week",
        "month",
        "months",
    ]
)


def is_noise_line(line: str) -> bool:
    """A caption, a bare image name, a pagination bar or a separator."""
    return bool(CAPTION.match(line) or IMAGE_NAME.match(line) or is_pagination(line))


def is_pagination(line: str) -> bool:
    """`1/8 1 2 3 … 下一页 尾页`, `Next lastpage`, `1 2 3 Next`."""
    if len(line) > 200:
        return False
    tokens = [t.lower() for t in line.split()]
    if not tokens:
        return False
    if re.fullmatch(r"\d+/\d+", tokens[0]):
        tokens = tokens[1:] or ["1"]
    return all(t.isdigit() or t in PAGER_WORDS for t in tokens)


def _content_words(text: str) -> set[str]:
    words = set()
    for word in WORD.findall(text.lower()):
        word = word.removesuffix("'s").strip("-'")
        if len(word) < 3 or word in COMMON:
            continue
        words.add(word[:-1] if word.endswith("s") and len(word) > 4 else word)
    return words


def _looks_like_title(line: str) -> bool:
    words = line.split()
    return (
        1 <= len(words) <= 18
        and len(line) <= 140
        and not SENTENCE_END.search(line)
        and (line[0].isupper() or line[0].isdigit() or not line[0].isascii())
    )


def _looks_like_lead(line: str) -> bool:
    return len(line) <= 500 and len(re.findall(r"[.!?](?:\s|$)", line)) <= 3


def _unrelated(candidate: str, body: list[str], threshold: float) -> bool:
    words = _content_words(candidate)
    if len(words) < 3:
        return False
    shared = words & _content_words(" ".join(body))
    return len(shared) / len(words) < threshold


def _single_sentence(line: str) -> bool:
    return len(re.findall(r"[.!?。](?:\s|$)", line.rstrip(".!?。 ") + " ")) == 0


def strip_teasers(
    paragraphs: list[str], link_texts: frozenset[str] = frozenset(), threshold: float = 0.3
) -> list[str]:
    """Cut trailing (title, lead) pairs of other stories from the end of a body.

    A pair is a teaser when its lead is cut short (…), when its title is the text of a link on
    the page, or when a headline-like title (4+ words) and a one-sentence lead share few content
    words with the body before it. Short subheads ("Next steps") followed by a full paragraph
    stay, and at least one body paragraph always stays.
    """
    paras = list(paragraphs)
    while True:
        while paras and SEPARATOR.match(paras[-1]):
            paras.pop()
        if (len(paras) >= 2 and ELLIPSIS.search(paras[-1])
                and not _looks_like_title(paras[-2])
                and _unrelated(paras[-1], paras[:-1], threshold)):
            paras.pop()  # a cut-short lead whose title the page did not show
            continue
        if len(paras) < 3:
            break
        title, lead = paras[-2], paras[-1]
        if not (_looks_like_title(title) and _looks_like_lead(lead)):
            break
        body = paras[:-2]
        headline = len(title.split()) >= 4
        if (
            ELLIPSIS.search(lead)
            or title.casefold() in link_texts
            or (headline and _single_sentence(lead)
                and _unrelated(f"{title} {lead}", body, threshold))
        ):
            paras = body
            continue
        break
    while paras and SEPARATOR.match(paras[-1]):
        paras.pop()
    return paras


def clean_body(lines: list[str]) -> list[str]:
    """Drop noise lines and collapse repeated blank structure."""
    return [line for line in (ln.strip() for ln in lines) if line and not is_noise_line(line)]
