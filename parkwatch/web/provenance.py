"""`/article/ID/source`: the stored raw page an article was read from, for inspection — as plain
text that no browser runs or renders (nosniff, and a sandboxing Content-Security-Policy that
allows nothing), decoded as the reader decodes it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from archive.models import Article, Page
from archive.provenance import pages_root
from archive.warc import PageGone, StoredPage, read_page
from parkwatch.web.layout import guard, open_session

router = APIRouter(include_in_schema=False)
#: Whatever a stored page holds, it is text here: not sniffed as HTML, no script, no request
#: for anything (an iframe or a new tab alike), no referrer.
SAFE_HEADERS = {"X-Content-Type-Options": "nosniff",
                "Content-Security-Policy": "sandbox; default-src 'none'",
                "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}


def _not_kept(why: str) -> HTMLResponse:
    """One sentence (ours, with nothing stored in it) as a 404 page."""
    return HTMLResponse(f"<!DOCTYPE html><title>No kept page</title><p>{why}</p>\n",
                        status_code=404, headers=SAFE_HEADERS)


def _text(page: StoredPage) -> str:
    from crawler.parsing.decode import decode_html

    kind = page.header("Content-Type") or ""
    declared = kind.split("charset=", 1)[1].split(";")[0].strip(" \"'") \
        if "charset=" in kind else None
    return decode_html(page.body, declared)


@router.get("/article/{article_id}/source")
def article_source(request: Request, article_id: int) -> Response:
    """The kept page of the article's reading, as text; 404 when none is kept."""
    guard(request)
    with open_session(request) as session:
        article = session.get(Article, article_id) if 0 < article_id < 2**31 else None
        if article is None:
            return _not_kept(f"There is no article with id {article_id}.")
        page = session.get(Page, article.page_record) if article.page_record else None
        if page is None:
            return _not_kept(f"No page is kept for article {article_id} (it was "
                             "stored before pages were kept, or its WARC file was pruned).")
        warc_file, offset = page.warc_file, page.warc_offset
    try:
        stored = read_page(pages_root(request.app.state.settings), warc_file, offset)
    except (PageGone, OSError, ValueError):
        return _not_kept(f"The page of article {article_id} is no longer in its "
                         "WARC file.")
    return Response(_text(stored), media_type="text/plain; charset=utf-8",
                    headers=SAFE_HEADERS)
