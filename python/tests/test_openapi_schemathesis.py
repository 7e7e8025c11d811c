"""The OpenAPI document against a real `gpnav serve` (loopback, its own database), with
schemathesis generating requests the document says are valid: none may be refused as malformed
(400) or fail on the server (5xx), and every answer must match the document (status, content type,
schema). The number of examples per operation is bounded (GPNAV_SCHEMATHESIS_EXAMPLES, default 5)
so the run takes seconds.

Each operation on a study runs twice: with generated names (unknown studies) and on a study the
fixture made, whose trial 0 is running, so that asks, heartbeats and results are accepted too.

What the schema cannot state is allowed: an unknown study (404, the names are random), a trial
that is not running or a study that exists with other settings (409), and a new study whose budget,
space or start no architecture can meet (422, `POST /v1/studies`), a measurement of an architecture
or with a reading the library refuses (422, `POST /v1/devices/{name}/measurements`), a failed
measurement's error the library refuses (empty, a control character; 422, `.../failures`), and a Pareto objective
naming a metric the study's trials do not report (400 saying so)."""

from __future__ import annotations

import json
import os
import urllib.request

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from conftest import gpnav_binary, repository_file  # noqa: E402
from gpnav_serve import start_server  # noqa: E402

DOCUMENT = repository_file("Sources", "GPNavServer", "openapi.json")
EXAMPLES = int(os.environ.get("GPNAV_SCHEMATHESIS_EXAMPLES", "5"))

# Statuses the document cannot rule out for valid data: they depend on what the database holds.
ALLOWED = {404, 409}
# A measurement's architecture is checked by its family (the document states types, not every
# family's ranges), its reading by the latency rules and its target against the study's, a failed
# measurement's error by its one-line rule: 422.
ALLOWED_BY_OPERATION = {"POST /v1/studies": {422}, "POST /v1/devices/{name}/measurements": {422},
                        "POST /v1/devices/{name}/measurements/failures": {422}}
# An objective may name any metric the study's trials report: one they do not is a 400 that says so.
ALLOWED_WITH_MESSAGE = {("GET /v1/studies/{name}/pareto", 400): "unknown objective"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not os.access(gpnav_binary(), os.X_OK):
        pytest.skip(f"no gpnav binary at {gpnav_binary()}")
    running = start_server(str(tmp_path_factory.mktemp("schemathesis")))
    _post(running, "/v1/studies", {"name": KNOWN_STUDY, "budget": {"macs": 300000000}, "trials": 5})
    _post(running, f"/v1/studies/{KNOWN_STUDY}/suggestions", {"worker": "fixture"})
    yield running
    running.stop()


KNOWN_STUDY = "known"


def _post(server, path: str, body: dict) -> None:
    request = urllib.request.Request(server.url + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": f"Bearer {server.token}",
                                              "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as reply:
        assert reply.status in (200, 201)


def cases():
    with open(DOCUMENT, encoding="utf-8") as handle:
        schema = schemathesis.openapi.from_dict(json.load(handle))
    for result in schema.get_all_operations():
        operation = result.ok()
        yield pytest.param(operation, None, id=operation.label)
        if "{name}" in operation.path:
            yield pytest.param(operation, KNOWN_STUDY, id=f"{operation.label} on a known study")


@pytest.mark.parametrize(("operation", "study"), cases())
def test_valid_requests_are_never_refused_as_malformed_and_answers_match_the_document(server, operation, study):
    headers = {"Authorization": f"Bearer {server.token}"}
    allowed = ALLOWED | ALLOWED_BY_OPERATION.get(operation.label, set())
    strategy = operation.as_strategy(path_parameters={"name": study}) if study else operation.as_strategy()

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def check(case):
        response = case.call(base_url=server.url, headers=headers, timeout=30)
        status = response.status_code
        assert status < 500, f"{operation.label}: {status} {response.text[:300]}\n{server.log()[-1000:]}"
        explained = ALLOWED_WITH_MESSAGE.get((operation.label, status))
        accepted = 200 <= status < 300 or status in allowed or (explained is not None and explained in response.text)
        assert accepted, f"{operation.label}: valid data refused, {status} {response.text[:300]}"
        case.validate_response(response, checks=[status_code_conformance, content_type_conformance,
                                                 response_schema_conformance], headers=headers)

    check()
    assert server.process.poll() is None, "the server stopped"
