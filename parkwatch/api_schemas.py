"""Response schemas of the JSON API, so its OpenAPI document says what each path returns."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Open(BaseModel):
    """A schema that documents its fields and lets new ones through."""

    model_config = ConfigDict(extra="allow")


class Conversion(Open):
    value: float
    unit: str | None
    consistent: bool | None
    implied_rate: float | None


class EntityRef(Open):
    id: str
    name_zh: str | None
    name_en: str | None


class FactOut(Open):
    value: float
    unit: str
    kind: str
    qualifier: str | None
    period: str | None
    basis: str | None
    metric: str | None
    subject: str | None
    share_of: str | None
    refers_to: int | None
    conversion: Conversion | None
    sentence: str
    start: int
    end: int
    extractor_version: str | None
    entity: EntityRef | None = None  # whose figure (a park, zone or place), if linked
    measure: str | None = None  # a measure of the vocabulary, or None when nothing fits
    series_id: str | None = None  # entity|measure|kind|granularity|unit, outcomes only
    status: str | None = None  # outcome | target | comparison


class ListedFact(FactOut):
    id: int
    article_id: int
    url: str
    published: str | None
    period_start: str | None
    period_end: str | None


class ArticleOut(Open):
    id: int
    source: str | None
    url: str
    canonical_url: str
    aliases: list[str]
    title: str
    published: str | None
    url_date: str | None
    section: str | None
    byline_source: str | None
    author: str | None
    language: str | None
    topics: list[str]
    topic_terms: dict[str, Any]
    duplicate_of: int | None
    similarity: float | None
    first_seen: str | None
    last_fetched: str | None
    text: str | None = None
    facts: list[FactOut]


class HitOut(Open):
    id: int
    url: str
    title: str
    published: str | None
    source: str | None
    section: str | None
    snippet: str
    score: float


class Paged(Open):
    limit: int
    offset: int
    next_offset: int | None


class ArticlePage(Paged):
    items: list[ArticleOut]
    after: int | None = None  # the article this page follows (keyset pagination)
    next_after: int | None  # pass as `after` for the next page; None on the last page


class HitPage(Paged):
    items: list[HitOut]


class FactPage(Paged):
    items: list[ListedFact]


class SeriesSource(Open):
    article_id: int
    url: str
    published: str | None
    fact_id: int


class SeriesValue(Open):
    value: float
    unit: str
    kind: str
    basis: str | None
    subject: str | None
    metric: str | None
    comparison: bool
    conflict: bool
    sources: list[SeriesSource]


class SeriesPoint(Open):
    period: str
    period_start: str | None
    period_end: str | None
    conflict: bool
    values: list[SeriesValue]


class SeriesOut(Open):
    metric: str | None  # by metric words: one point per period, its values and sources
    unit: str | None = None
    points: list[SeriesPoint] = []
    park: str | None = None  # by park and/or measure: one entry per series id
    measure: str | None = None
    series: list[ParkSeries] | None = None


class RunOut(Open):
    id: int
    source: str
    trigger: str
    status: str
    started_at: str | None
    finished_at: str | None
    pages: int
    new: int
    updated: int
    errors: int
    error: str | None


class RunPage(Paged):
    items: list[RunOut]


class SourceOut(Open):
    id: int
    name: str
    articles: int
    latest_run: int | None
    created_at: str


class SourceList(Open):
    items: list[SourceOut]


class Count(Open):
    name: str | int | None
    count: int


class FacetsOut(Open):
    sections: list[Count]
    topics: list[Count]
    languages: list[Count]
    units: list[Count]
    metrics: list[Count]
    measures: list[Count] = []  # facts linked to each measure (0022)
    parks: list[Count] = []  # facts linked to each park, its names as `example`


class HealthOut(Open):
    status: str
    articles: int
    database: str


class ErrorOut(BaseModel):
    """An error the API answers itself: one sentence."""

    detail: str


#: The errors every path may answer besides its own (422, bad parameters, FastAPI declares).
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "Bad search syntax (`q`, `metric`, `subject`)"},
    401: {"model": ErrorOut, "description": "Token missing or wrong (with `api_token` set)"},
    404: {"model": ErrorOut, "description": "No such id"},
    503: {"model": ErrorOut, "description": "The database did not answer"},
}


class ParkOut(Open):
    id: str
    name_zh: str | None
    name_en: str | None
    kind: str
    parent_id: str | None
    region: str | None
    provisional: bool
    merged_into: str | None
    facts: int | None = None
    articles: int | None = None


class ParkList(Open):
    items: list[ParkOut]


class ParkSeriesSource(Open):
    article_id: int
    url: str
    published: str | None
    fact_id: int
    value: float


class ParkSeriesPoint(Open):
    period: str
    period_start: str | None
    period_end: str | None
    value: float
    conflict: bool
    sources: list[ParkSeriesSource]


class ParkSeries(Open):
    series_id: str
    entity_id: str
    measure: str
    kind: str
    granularity: str
    unit: str
    entity: EntityRef | None
    measure_name: dict[str, Any] | None
    points: list[ParkSeriesPoint]


class ParkDetail(ParkOut):
    parent: ParkOut | None
    aliases: list[dict[str, Any]]
    articles: list[dict[str, Any]]
    measures: list[dict[str, Any]]
    series: list[ParkSeries]


SeriesOut.model_rebuild()
