"""Schemathesis against the API's own OpenAPI schema, on both backends: whatever the generated
parameters (hostile text, absurd numbers, unknown ids), every answer is below 500."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.generation.modes import GenerationMode

from foundation.settings import Settings
from parkwatch.api import create_app
from tests.conftest import REQUIRE

EXAMPLES = 40  # per operation, schema-conforming and schema-violating alike
# CI (PARKWATCH_REQUIRE_SERVICES=1) draws the same cases every run, so a failure there is the
# code's and reproduces; a developer's run draws new ones each time, to keep exploring (a new
# failure prints its case: method, path and parameters).
DERANDOMIZE = REQUIRE


def test_no_server_errors(archive, tmp_path) -> None:
    app = create_app(Settings(database_url=archive.url, home=tmp_path))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} >= {
        "/health", "/articles", "/articles/{article_id}", "/search", "/facts", "/series",
        "/runs", "/sources"}
    statuses: set[int] = set()
    methods: set[str] = set()
    for operation in operations:

        @given(case=st.one_of(operation.as_strategy(GenerationMode.POSITIVE),
                              operation.as_strategy(GenerationMode.NEGATIVE)))
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  derandomize=DERANDOMIZE, suppress_health_check=list(HealthCheck))
        def no_5xx(case) -> None:
            response = case.call()
            statuses.add(response.status_code)
            methods.add(case.method)
            assert response.status_code < 500, (case.method, case.path, case.path_parameters,
                                                case.query, response.text)

        no_5xx()
    assert 200 in statuses and statuses & {400, 404, 422}  # the fuzzing reached both sides
