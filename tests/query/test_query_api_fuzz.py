"""Schemathesis against the API's own OpenAPI schema, on both backends: whatever the generated
parameters (hostile text, absurd numbers, unknown ids), every answer is below 500, has a status
and content type the schema declares and a body that matches the declared schema; parameters
that break the schema answer 422 (401 only to a request without the right token)."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)
from starlette.testclient import TestClient

from foundation.settings import Settings
from parkwatch.api import create_app
from pipelines.metrics.units import KNOWN_UNITS
from tests.conftest import REQUIRE

EXAMPLES = 40  # per operation, schema-conforming and schema-violating alike
# CI (PARKWATCH_REQUIRE_SERVICES=1) draws the same cases every run, so a failure there is the
# code's and reproduces; a developer's run draws new ones each time, to keep exploring (a new
# failure prints its case: method, path and parameters).
DERANDOMIZE = REQUIRE
TOKEN = "fuzz-token-1"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, negative_data_rejection]
CONFIG = {"auth": {"openapi": {"HTTPBearer": {"bearer": TOKEN}}},
          "checks": {"negative_data_rejection": {"expected-statuses": ["401", "422"]}}}


def test_every_answer_is_declared_and_bad_parameters_are_422(archive, tmp_path) -> None:
    app = create_app(Settings(database_url=archive.url, home=tmp_path, api_token=TOKEN))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app,
                                            config=SchemathesisConfig.from_dict(CONFIG))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} >= {
        "/health", "/articles", "/articles/{article_id}", "/search", "/facts", "/series",
        "/runs", "/sources"}
    statuses: set[int] = set()
    for operation in operations:

        @given(case=st.one_of(operation.as_strategy(GenerationMode.POSITIVE),
                              operation.as_strategy(GenerationMode.NEGATIVE)))
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  derandomize=DERANDOMIZE, suppress_health_check=list(HealthCheck))
        def conforms(case) -> None:
            response = case.call()
            statuses.add(response.status_code)
            case.validate_response(response, checks=CHECKS)  # raises, naming the case
            if response.status_code == 401:
                sent = response.request.headers.get("Authorization")
                assert sent != f"Bearer {TOKEN}", (case.path, case.query)

        conforms()
    assert {200, 422} <= statuses and statuses & {400, 404}  # the fuzzing reached every side


def test_an_unknown_unit_is_422_naming_the_known_ones(archive, tmp_path) -> None:
    client = TestClient(create_app(Settings(database_url=archive.url, home=tmp_path)))
    for path, params in (("/facts", {}), ("/series", {"metric": "GDP"})):
        response = client.get(path, params={**params, "unit": "furlongs"})
        assert response.status_code == 422, path
        [error] = response.json()["detail"]
        assert error["loc"] == ["query", "unit"] and error["input"] == "furlongs"
        assert error["msg"].startswith("not a known unit: furlongs (known: ")
        assert {"CNY", "percent", "km2", "count"} <= set(
            error["msg"].split("(known: ")[1].split(";")[0].split(", "))
    assert len(KNOWN_UNITS) > 40
    assert client.get("/facts", params={"unit": "%"}).json()["items"]  # a usual spelling
    # a unit an older extractor stored, outside today's vocabulary, still finds its facts
    assert client.get("/facts", params={"unit": "million"}).json()["items"]


def test_an_after_that_names_no_article_is_422_in_fastapis_shape(archive, tmp_path) -> None:
    client = TestClient(create_app(Settings(database_url=archive.url, home=tmp_path)))
    for params in ({"after": 999_999}, {"after": 1, "offset": 5}):
        response = client.get("/articles", params=params)
        assert response.status_code == 422
        [error] = response.json()["detail"]
        assert error["loc"] == ["query", "after"] and error["type"] == "value_error"
