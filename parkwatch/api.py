"""Read-only HTTP JSON API over the archive: articles, search, facts, series, runs, sources,
facets; the web pages (parkwatch.web) are served by the same app."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker

from archive.db import SQLITE_BUSY_TIMEOUT_MS, ensure_schema, is_read_only, normalise_url
from archive.models import Article, CrawlRun, Source
from archive.queries import (
    FactFilter,
    article_dict,
    facets,
    get_article,
    list_articles,
    list_facts,
    metric_series,
    source_names,
)
from archive.search import MAX_QUERY_CHARS, SearchSyntaxError, search
from archive.search_syntax import register_sqlite_functions
from foundation.settings import Settings
from parkwatch import api_schemas as out
from parkwatch.api_params import (
    DB,
    MAX_ID,
    NO_NUL,
    READ_METHODS,
    ArticleId,
    Limit,
    Offset,
    Since,
    Text,
    Until,
    invalid,
    known_unit,
    require_token,
)
from parkwatch.sections import article_filter, section_facets
from scheduler.history import run_dict


def read_only_engine(url: str) -> Engine:
    """An engine of its own whose connections cannot write (query_only / READ ONLY)."""
    url = normalise_url(url)
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"check_same_thread": False,
                                                  "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record) -> None:
            register_sqlite_functions(dbapi_connection)  # search snippets read the FTS view
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA query_only = ON")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True,
                         execution_options={"postgresql_readonly": True})


def create_app(settings: Settings) -> FastAPI:
    """The API app for one archive; the schema is brought up to date once, at creation."""
    engine = ensure_schema(settings.database_url)  # a read-only copy opens read-only (immutable)
    sessions = sessionmaker(engine if is_read_only(engine)
                            else read_only_engine(settings.database_url))
    app = FastAPI(title="parkwatch", version="1", docs_url=None, redoc_url=None,
                  responses=out.ERRORS, description=(
        "Read-only JSON API over the parkwatch archive. Every method but GET is refused. "
        "Web pages: `/`. Units: as stored (`percent`, `CNY`, `USD`, `km2`, …); `%`, `yuan`, "
        "`pct` and the like are accepted and mapped (see `/facets`)."))
    app.state.settings = settings
    app.state.sessions = sessions

    @app.middleware("http")
    async def refuse_writes(request: Request, call_next):
        if request.method not in READ_METHODS:
            return JSONResponse({"detail": "read-only API: only GET is allowed"},
                                status_code=405, headers={"Allow": "GET"})
        return await call_next(request)

    @app.exception_handler(SQLAlchemyError)
    async def database_unavailable(_request: Request, exc: SQLAlchemyError) -> JSONResponse:
        return JSONResponse({"detail": f"database unavailable: {type(exc).__name__}"},
                            status_code=503)

    guarded = [Depends(require_token)]

    @app.get("/health", response_model=out.HealthOut)
    def health(session: DB) -> dict[str, Any]:
        """Whether the archive answers, and how many articles it holds."""
        count = session.scalar(select(func.count()).select_from(Article)) or 0
        return {"status": "ok", "articles": count,
                "database": session.get_bind().dialect.name}

    @app.get("/articles", dependencies=guarded, response_model=out.ArticlePage,
             response_model_exclude_unset=True)  # no "text" key unless with_text
    def articles(session: DB, source: Text = None, topic: Text = None,
                 section: Annotated[str | None, Query(
                     max_length=200, pattern=NO_NUL,
                     description="Section path or name, any case.")] = None,
                 language: Text = None,
                 since: Since = None, until: Until = None, with_duplicates: bool = False,
                 with_text: bool = False, limit: Limit = 20, offset: Offset = 0,
                 after: Annotated[int | None, Query(
                     ge=1, le=MAX_ID,
                     description="The id of the last article of the previous page: the page "
                     "after it, as fast at any depth (`next_after` of the previous answer). "
                     "Not with `offset`.")] = None,
                 ) -> dict[str, Any]:
        """Stored articles, newest first (undated last), with their facts."""
        if after is not None and offset:
            raise invalid("after", "give either offset or after, not both", after)
        filters = article_filter(settings, source=source, topic=topic, section=section,
                                 language=language, since=since, until=until,
                                 with_duplicates=with_duplicates)
        names = source_names(session)
        try:
            rows = list_articles(session, filters, limit=limit, offset=offset, after=after)
        except LookupError as exc:
            raise invalid("after", str(exc), after) from None
        page = _page([article_dict(a, names.get(a.source_id), with_text) for a in rows],
                     limit, offset)
        page["next_after"] = rows[-1].id if len(rows) == limit else None
        if after is not None:
            page["after"], page["next_offset"] = after, None
        return page

    @app.get("/articles/{article_id}", dependencies=guarded, response_model=out.ArticleOut)
    def article(session: DB, article_id: ArticleId) -> dict[str, Any]:
        """One article with its text and facts."""
        found = get_article(session, article_id)
        if found is None:
            raise HTTPException(404, f"no article with id {article_id}")
        return article_dict(found, source_names(session).get(found.source_id))

    @app.get("/search", dependencies=guarded, response_model=out.HitPage)
    def search_articles(
        session: DB,
        q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS, pattern=NO_NUL,
                                description='Words, "phrases", AND / OR / NOT, prefix*.')],
        source: Text = None, topic: Text = None, section: Text = None, language: Text = None,
        since: Since = None, until: Until = None, limit: Limit = 20, offset: Offset = 0,
    ) -> dict[str, Any]:
        """Ranked full-text hits over title and text, with highlighted snippets."""
        filters = article_filter(settings, source=source, topic=topic, section=section,
                                 language=language, since=since, until=until)
        try:
            hits = search(session, q, filters, limit=limit, offset=offset)
        except SearchSyntaxError as exc:
            raise HTTPException(400, str(exc)) from None
        return _page([hit.as_dict() for hit in hits], limit, offset)

    @app.get("/facts", dependencies=guarded, response_model=out.FactPage)
    def facts(session: DB, metric: Text = None, subject: Text = None, unit: Text = None,
              kind: Text = None, period: Text = None,
              article_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
              limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        """Numeric facts with their article's URL and date."""
        filters = FactFilter(metric=metric, subject=subject, unit=known_unit(session, unit),
                             kind=kind,
                             period=period, article_id=article_id)
        try:
            rows = list_facts(session, filters, limit=limit, offset=offset)
        except SearchSyntaxError as exc:
            raise HTTPException(400, str(exc)) from None
        return _page(rows, limit, offset)

    @app.get("/series", dependencies=guarded, response_model=out.SeriesOut)
    def series(session: DB,
               metric: Annotated[str | None, Query(min_length=1, max_length=200,
                                                   pattern=NO_NUL)] = None,
               subject: Text = None, unit: Text = None, park: Text = None,
               measure: Text = None) -> dict[str, Any]:
        """One point per period for a metric, each value with all the articles reporting it;
        or, with `park` and/or `measure` (no metric), every series of that park's figures."""
        if metric is None:
            from parkwatch.api_parks import park_series

            if park is None and measure is None:
                raise invalid("metric", "give metric, or park and/or measure", None)
            return park_series(session, park, measure)
        wanted = known_unit(session, unit)
        try:
            points = metric_series(session, FactFilter(metric=metric, subject=subject,
                                                       unit=wanted))
        except SearchSyntaxError as exc:
            raise HTTPException(400, str(exc)) from None
        return {"metric": metric, "unit": wanted, "points": points}

    @app.get("/runs", dependencies=guarded, response_model=out.RunPage)
    def runs(session: DB, source: Text = None, status: Text = None, limit: Limit = 20,
             offset: Offset = 0) -> dict[str, Any]:
        """Crawl runs, newest first, with their counts."""
        stmt = select(CrawlRun, Source.name).join(Source, Source.id == CrawlRun.source_id)
        if source is not None:
            stmt = stmt.where(Source.name == source)
        if status is not None:
            stmt = stmt.where(CrawlRun.status == status)
        rows = session.execute(stmt.order_by(CrawlRun.id.desc()).limit(limit).offset(offset))
        return _page([run_dict(run, name) for run, name in rows], limit, offset)

    @app.get("/sources", dependencies=guarded, response_model=out.SourceList)
    def sources(session: DB) -> dict[str, Any]:
        """Sources seen in the archive, with their article counts and latest run."""
        counts = dict(session.execute(select(Article.source_id, func.count())
                                      .group_by(Article.source_id)).all())
        latest = dict(session.execute(select(CrawlRun.source_id, func.max(CrawlRun.id))
                                      .group_by(CrawlRun.source_id)).all())
        items = [{"id": s.id, "name": s.name, "articles": counts.get(s.id, 0),
                  "latest_run": latest.get(s.id), "created_at": s.created_at.isoformat()}
                 for s in session.scalars(select(Source).order_by(Source.name))]
        return {"items": items}

    @app.get("/facets", dependencies=guarded, response_model=out.FacetsOut)
    def facet_counts(session: DB) -> dict[str, Any]:
        """Sections (with their URL path), topics, languages, units and metrics, counted."""
        data = facets(session)
        data["sections"] = section_facets(settings, data["sections"])
        return data

    app.add_api_route("/api/facets", facet_counts, methods=["GET"], dependencies=guarded,
                      include_in_schema=False)

    from parkwatch.api_parks import router as parks_router
    from parkwatch.web.routes import install

    app.include_router(parks_router)

    install(app)
    return app


def _page(items: list[dict[str, Any]], limit: int, offset: int) -> dict[str, Any]:
    return {"items": items, "limit": limit, "offset": offset,
            "next_offset": offset + limit if len(items) == limit else None}
