"""The list page's filter choices (facets) and archive count are read again only when the
archive changed (a new article, fact or crawl run), not on every page load."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

import parkwatch.web.routes as routes
from foundation.settings import Settings
from parkwatch.api import create_app
from tests.query.conftest import insert


def test_choices_are_read_once_until_the_archive_changes(sqlite_archive, tmp_path,
                                                         monkeypatch) -> None:
    reads = []
    real = routes.facets
    monkeypatch.setattr(routes, "facets", lambda session: reads.append(1) or real(session))
    app = create_app(Settings(database_url=sqlite_archive.url, home=tmp_path))
    with TestClient(app) as client:
        first = client.get("/")
        assert first.status_code == 200 and "6 in the archive" in first.text
        assert "business/parks" in first.text  # a section among the choices
        assert client.get("/").status_code == 200 and len(reads) == 1  # from the cache
        insert(sqlite_archive.url, [("late", "Hulan opens a wetland park", "The park opened.",
                                     date(2024, 5, 1), "city/green", [], None)], {})
        after = client.get("/")
    assert len(reads) == 2  # the new article moved the token
    assert "7 in the archive" in after.text and "city/green" in after.text
