"""The web pages: latest articles and search, an article, a metric's series, sources and runs,
watches, and each watch's Atom feed. Read-only, GET only; assets are served from static/."""

from __future__ import annotations

import time
from datetime import date
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.models import Article, CrawlRun, Fact, Revision, Source, Watch
from archive.provenance import provenance
from archive.queries import FactFilter, article_dict, facets, get_article, list_articles
from archive.search import SearchSyntaxError, search
from parkwatch.web.highlight import pieces
from parkwatch.web.layout import (
    guard,
    human,
    open_session,
    query_url,
    render,
    snippet,
)

HERE = Path(__file__).parent
PAGE = 20
router = APIRouter(include_in_schema=False)

Text = Annotated[str | None, Query(max_length=200, pattern=r"^[^\x00]*$")]


CHOICES_TTL = 300.0


def _choices(request: Request, session: Session) -> tuple[dict[str, Any], int]:
    """The list page's filter choices (facets) and article count, read again only when the
    archive changed: a new article, fact or crawl run (every write that changes them makes
    one) moves the token — three index lookups instead of counting the whole archive on every
    page (2.5 s at a million articles on PostgreSQL). Kept CHOICES_TTL seconds at most, for a
    change that moves none of them (re-extraction deleting an article's only facts)."""
    token = (int(time.monotonic() // CHOICES_TTL),
             session.scalar(select(func.max(Article.id))),
             session.scalar(select(func.max(Fact.id))),
             session.scalar(select(func.max(CrawlRun.id))))
    cached = getattr(request.app.state, "choices", None)
    if cached is not None and cached[0] == token:
        return cached[1], cached[2]
    choices = facets(session)
    total = session.scalar(select(func.count()).select_from(Article)) or 0
    request.app.state.choices = (token, choices, total)
    return choices, total


def _sources(session: Session) -> list[str]:
    return list(session.scalars(select(Source.name).order_by(Source.name)))


def _parse_day(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise HTTPException(422, f"{name}: not a date (YYYY-MM-DD): {value}") from None


# ---------------------------------------------------------------- pages


@router.get("/", response_class=HTMLResponse)
def index(request: Request, q: Annotated[str | None, Query(max_length=1000)] = None,
          source: Text = None, section: Text = None, topic: Text = None,
          language: Text = None, since: Text = None, until: Text = None,
          offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
          after: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None) -> HTMLResponse:
    """Latest articles with filters; with q, search results with snippets. The article list
    pages by `after` (the last article shown: as fast at any depth), search results by
    `offset`."""
    from parkwatch.sections import article_filter

    guard(request)
    config = request.app.state.settings
    filters = article_filter(config, source=source or None, topic=topic or None,
                             section=section or None, language=language or None,
                             since=_parse_day(since, "since"), until=_parse_day(until, "until"))
    form = {"q": q or "", "source": source or "", "section": section or "",
            "topic": topic or "", "language": language or "", "since": since or "",
            "until": until or ""}
    error = None
    rows: list[dict[str, Any]] = []
    with open_session(request) as session:
        names = dict(session.execute(select(Source.id, Source.name)).all())
        if q and q.strip():
            try:
                hits = search(session, q, filters, limit=PAGE, offset=offset)
            except SearchSyntaxError as exc:
                error, hits = str(exc), []
            rows = [{**hit.as_dict(), "snippet": snippet(hit.snippet)} for hit in hits]
        else:
            try:
                listed = list_articles(session, filters, limit=PAGE,
                                       offset=0 if after else offset, after=after)
            except LookupError as exc:
                raise HTTPException(422, f"after: {exc}") from None
            for a in listed:
                rows.append({"id": a.id, "title": a.title, "url": a.url,
                             "published": a.published.isoformat() if a.published else None,
                             "section": a.section, "source": names.get(a.source_id),
                             "topics": a.topics or [], "facts": len(a.facts),
                             "snippet": " ".join(a.text.split())[:220]})
        choices, total = _choices(request, session)
    searching = bool(q and q.strip())
    more = newest = None
    if len(rows) == PAGE:
        more = (query_url("/", **form, offset=offset + PAGE) if searching
                else query_url("/", **form, after=rows[-1]["id"]))
    if after and not searching:
        offset, newest = 0, query_url("/", **form)
    fewer = (query_url("/", **form, offset=max(0, offset - PAGE)) if offset else None)
    return render(request, "index.html", {
        "rows": rows, "form": form, "error": error, "searching": bool(q and q.strip()),
        "sources": sorted(names.values()), "choices": choices, "total": total,
        "more": more, "fewer": fewer, "newest": newest, "offset": offset},
        status_code=400 if error else 200)


def _revisions(session: Session, article_id: int) -> list[dict[str, Any]]:
    rows = session.scalars(select(Revision).where(Revision.article_id == article_id)
                           .order_by(Revision.fetched_at.desc()))
    return [{"title": r.title, "fetched_at": r.fetched_at, "chars": len(r.text)} for r in rows]


@router.get("/article/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: int) -> HTMLResponse:
    """One article: dates, provenance, topics, aliases, duplicates, revisions, facts."""
    guard(request)
    with open_session(request) as session:
        found = get_article(session, article_id) if 0 < article_id < 2**31 else None
        if found is None:
            raise HTTPException(404, f"no article with id {article_id}")
        source = session.scalar(select(Source.name).where(Source.id == found.source_id))
        data = article_dict(found, source)
        data["published_source"] = getattr(found, "published_source", None)
        data["updated_at"] = found.updated_at
        data["provenance"] = provenance(session, found)  # where the reading came from
        copies = session.execute(select(Article.id, Article.title, Article.similarity)
                                 .where(Article.duplicate_of == found.id)
                                 .order_by(Article.id)).all()
        original = (session.execute(select(Article.id, Article.title)
                                    .where(Article.id == found.duplicate_of)).first()
                    if found.duplicate_of else None)
        revisions = _revisions(session, found.id)
    for fact in data["facts"]:
        key = fact["metric"] or ""
        fact["series_url"] = (query_url("/metric", m=key, unit=fact["unit"]) if key.strip()
                              else None)
        conversion = fact["conversion"]
        fact["bad_conversion"] = bool(conversion and conversion["consistent"] is False)
    return render(request, "article.html", {
        "a": data, "pieces": pieces(data["text"], data["facts"]), "copies": copies,
        "original": original, "revisions": revisions})


def _chart(points: list[dict[str, Any]], unit: str | None) -> dict[str, Any]:
    """The chart's data: x (period ends, epoch seconds), one y list per series; each point's
    article link and label. Comparisons are left out; rival values get their own series."""
    from datetime import datetime, time

    values = [(p, v) for p in points for v in p["values"] if not v["comparison"]]
    units: dict[str, int] = {}
    for _, v in values:
        units[v["unit"]] = units.get(v["unit"], 0) + 1
    chosen = unit if unit in units else (max(units, key=units.get) if units else None)
    xs, main, rival, links = [], [], [], []
    for p in points:
        mine = [v for v in p["values"] if v["unit"] == chosen and not v["comparison"]]
        end = p["period_end"] or p["period_start"]
        if not mine or not end:
            continue
        stamp = datetime.combine(date.fromisoformat(end), time(12)).timestamp()
        first = mine[0]
        second = next((v for v in mine[1:] if v["conflict"] and v["kind"] == first["kind"]),
                      None)
        xs.append(stamp)
        main.append(first["value"])
        rival.append(second["value"] if second else None)
        links.append({"period": p["period"],
                      "main": {"href": f"/article/{first['sources'][0]['article_id']}",
                               "label": f"{p['period']}: {human(first['value'])} {chosen}",
                               "conflict": first["conflict"]},
                      "rival": ({"href": f"/article/{second['sources'][0]['article_id']}",
                                 "label": f"{p['period']}: {human(second['value'])} {chosen} "
                                          "(conflicting)", "conflict": True}
                                if second else None)})
    return {"unit": chosen, "units": sorted(units), "x": xs, "main": main, "rival": rival,
            "links": links}


@router.get("/metric", response_class=HTMLResponse)
def metric_page(request: Request, m: Annotated[str, Query(min_length=1, max_length=200)],
                subject: Text = None, unit: Text = None) -> HTMLResponse:
    """A metric's series: chart, table of values with their articles, conflicts, CSV."""
    from archive.queries import metric_series
    from pipelines.metrics.units import canonical_unit

    guard(request)
    wanted = canonical_unit(unit) if unit else None
    error, points = None, []
    with open_session(request) as session:
        try:
            points = metric_series(session, FactFilter(metric=m, subject=subject or None,
                                                       unit=wanted))
        except SearchSyntaxError as exc:
            error = str(exc)
        from parkwatch.web.parks import metric_lines

        chart = _chart(points, wanted)
        if error is None:  # one line per series id
            chart["unit"], chart["lines"] = metric_lines(session, points,
                                                         chart["unit"] or wanted, m)
    subjects: dict[str, int] = {}
    for p in points:
        for v in p["values"]:
            if v["subject"]:
                subjects[v["subject"]] = subjects.get(v["subject"], 0) + 1
    return render(request, "metric.html", {
        "m": m, "subject": subject or "", "unit": unit or "", "points": points,
        "chart": chart, "error": error,
        "subjects": sorted(subjects, key=lambda s: (-subjects[s], s))[:30],
        "csv_url": query_url("/metric.csv", m=m, subject=subject, unit=unit),
        "json_url": query_url("/series", metric=m, subject=subject, unit=wanted)},
        status_code=400 if error else 200)


@router.get("/metric.csv")
def metric_csv(request: Request, m: Annotated[str, Query(min_length=1, max_length=200)],
               subject: Text = None, unit: Text = None) -> Response:
    """The series as CSV: one row per value, with its articles."""
    import csv
    import io

    from archive.export import safe_cell
    from archive.queries import metric_series
    from pipelines.metrics.units import canonical_unit

    guard(request)
    with open_session(request) as session:
        try:
            points = metric_series(session, FactFilter(
                metric=m, subject=subject or None,
                unit=canonical_unit(unit) if unit else None))
        except SearchSyntaxError as exc:
            raise HTTPException(400, str(exc)) from None
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["period", "period_start", "period_end", "value", "unit", "kind", "basis",
                     "subject", "metric", "comparison", "conflict", "article_ids", "urls"])
    for p in points:
        for v in p["values"]:
            writer.writerow([safe_cell(c) for c in (
                p["period"], p["period_start"], p["period_end"], v["value"], v["unit"],
                v["kind"], v["basis"], v["subject"], v["metric"], v["comparison"],
                v["conflict"], ";".join(str(s["article_id"]) for s in v["sources"]),
                " ".join(s["url"] for s in v["sources"]))])
    slug = "".join(c if c.isalnum() else "-" for c in m.lower()).strip("-") or "series"
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{slug}.csv"'})


@router.get("/status", response_class=HTMLResponse)
def status_page(request: Request) -> HTMLResponse:
    """Each source's health, last runs, next run and what discovery found."""
    from archive.models import CrawlRun
    from scheduler.history import run_dict, source_status

    guard(request)
    config = request.app.state.settings
    sources = source_status(config)
    with open_session(request) as session:
        runs = [run_dict(run, name) for run, name in session.execute(
            select(CrawlRun, Source.name).join(Source, Source.id == CrawlRun.source_id)
            .order_by(CrawlRun.id.desc()).limit(30))]
        counts = dict(session.execute(select(Source.name, func.count(Article.id))
                                      .join(Article, Article.source_id == Source.id)
                                      .group_by(Source.name)).all())
    return render(request, "status.html", {"sources": sources, "runs": runs,
                                            "counts": counts})


@router.get("/watches", response_class=HTMLResponse)
def watches_page(request: Request) -> HTMLResponse:
    """Every watch: what it asks, targets (redacted), health, latest attempts, feed."""
    from watches.outbox import attempts_of
    from watches.store import watch_rows

    guard(request)
    with open_session(request) as session:
        rows = watch_rows(session)
        ids = dict(session.execute(select(Watch.name, Watch.id)).all())
        for row in rows:
            row["attempts"] = attempts_of(session, ids[row["name"]], limit=5)
    return render(request, "watches.html", {"watches": rows})


@router.get("/feeds/{name}.atom")
def feed(request: Request, name: str) -> Response:
    """The watch's Atom feed; ETag / Last-Modified answer conditional GETs with 304."""
    from watches.feed import atom_feed, feed_state

    guard(request)
    with open_session(request) as session:
        watch = session.scalar(select(Watch).where(Watch.name == name))
        if watch is None:
            raise HTTPException(404, f"no watch named {name}")
        state = feed_state(session, watch)
        headers = {"ETag": state.etag,
                   "Last-Modified": format_datetime(state.last_modified, usegmt=True),
                   "Cache-Control": "no-cache"}
        if _not_modified(request, state):
            return Response(status_code=304, headers=headers)
        body = atom_feed(session, watch, str(request.base_url))
    return Response(body, media_type="application/atom+xml; charset=utf-8", headers=headers)


def _not_modified(request: Request, state) -> bool:
    match = request.headers.get("if-none-match")
    if match is not None:
        return state.etag in [tag.strip().removeprefix("W/") for tag in match.split(",")] \
            or match.strip() == "*"
    since = request.headers.get("if-modified-since")
    if since:
        try:
            return state.last_modified <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


# ---------------------------------------------------------------- wiring


def install(app: FastAPI) -> None:
    """Add the pages, the static assets and offline API docs to the API app."""
    from fastapi.openapi.docs import get_swagger_ui_html

    from parkwatch.web.errors import install_error_pages

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json", title="parkwatch API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/vendor/swagger-ui/favicon-32x32.png",
            swagger_ui_parameters={"validatorUrl": None})

    app.include_router(router)
    from parkwatch.web.parks import router as park_pages

    app.include_router(park_pages)
    from parkwatch.web.provenance import router as source_router  # /article/ID/source
    app.include_router(source_router)
    install_error_pages(app)
