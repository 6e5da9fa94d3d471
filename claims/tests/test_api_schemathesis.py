"""Schemathesis against /api/schema/, as an anonymous client and as an editor with a token.

Two runs of it:

- in-process over WSGI, inside the test's transaction, on both databases: every operation's generated requests
  with the checks that need no run of schemathesis' own (no 5xx; status code, content type and body as the
  schema says), and every real object of the fixture read through every GET route;
- ``st run`` with every check schemathesis has (``--checks all``: negative data rejected, positive data
  accepted, missing required headers, unsupported methods, use after free, resource availability, ignored
  auth, object-level authorization, response headers, response time …) and its phases (examples, coverage,
  fuzzing, and the stateful phase, which chains operations through the links it infers from responses),
  against a live server, on PostgreSQL. The statuses it accepts beyond its defaults, each with its reason, are
  in ``schemathesis.toml`` beside this file. The coverage phase, the longest, runs in the ``slow`` suite.

Examples are bounded so that CI stays quick.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection
from django.urls import URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from claims import workflow
from claims.models import Claim, Claimant, Evidence, Source, Topic
from claims.tests.factories import (
    SourceFactory,
    TopicFactory,
    in_review_claim,
    new_claim,
    published_claim,
    rating,
    researching_claim,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = settings(
    max_examples=10, deadline=None, database=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def unthrottled(settings):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"}}
    cache.clear()


@pytest.fixture
def api_schema(db, settings, editor, reviewer, other_reviewer):
    unthrottled(settings)
    # Some of everything for the generated requests to find.
    some_of_everything(editor, reviewer, other_reviewer)
    # As Django's test client does: a request must not close the test's connection (and its transaction).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def some_of_everything(editor, reviewer, other_reviewer):
    """A published claim with a withheld source and a correction, a closed duplicate, and claims in review,
    in research and new (a reader tip)."""
    claim = researching_claim(actor=editor, source=SourceFactory(text="Full text"), topics=[TopicFactory()])
    workflow.change_evidence(evidence=claim.evidence.get(), actor=editor, version=claim.version, withheld=True,
                             withheld_reason="Protects the source")
    claim.refresh_from_db()
    workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating("misleading"),
                             summary="Misleading.")
    claim.refresh_from_db()
    claim = workflow.approve(claim=claim, actor=other_reviewer, version=claim.version)
    claim = workflow.reopen(claim=claim, actor=reviewer, version=claim.version, reason="New figures")
    workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating("half-true"),
                             summary="Half true.", correction_note="Revised figures.")
    claim.refresh_from_db()
    workflow.approve(claim=claim, actor=reviewer, version=claim.version)
    duplicate = new_claim(actor=editor)
    workflow.close(claim=duplicate, actor=reviewer, version=duplicate.version, reason="duplicate", duplicate_of=claim)
    published_claim(actor=editor, approver=other_reviewer)
    in_review_claim(actor=editor)
    workflow.create_claim(actor=None, text="A reader's tip", is_reader_tip=True, tipster_email="r@example.org")


def api_operations():
    """(OpenAPI path, method) of every API route and method, read from the URL resolver."""
    (api,) = [p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace == "api"]
    operations = []
    for pattern in api.url_patterns:
        if pattern.name == "not-found":
            continue
        path = "/api/v1/" + re.sub(r"<int:(\w+)>", r"{\1}", str(pattern.pattern))
        view = pattern.callback.cls
        operations += [(path, m) for m in ("get", "post", "patch", "delete") if hasattr(view, m)]
    return operations


# schemathesis' own pytest integration (``from_fixture``) does not run on pytest 9, so each operation is a
# plain parametrized test that runs Hypothesis over the operation's generated cases.
@pytest.mark.parametrize("path, method", api_operations())
def test_generated_requests_conform_to_the_schema(api_schema, editor, path, method):
    operation = api_schema[path][method.upper()]
    token = Token.objects.get_or_create(user=editor)[0].key
    for headers in ({}, {"Authorization": f"Token {token}"}):  # anonymous, then an editor
        conforms(operation, headers)


def conforms(operation, headers):
    @EXAMPLES
    @given(case=operation.as_strategy())
    def run(case):
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS)

    run()


OBJECTS = {"claim_id": Claim, "evidence_id": Evidence, "claimant_id": Claimant, "source_id": Source,
           "topic_id": Topic}


@pytest.mark.parametrize("caller", ["anonymous", "editor"])
def test_every_real_object_reads_conform_to_the_schema(api_schema, editor, caller):
    """Generated ids rarely name a real row: read every object of the fixture through every GET route."""
    headers = {}
    if caller == "editor":
        headers["Authorization"] = f"Token {Token.objects.get_or_create(user=editor)[0].key}"
    statuses = set()
    for path, method in api_operations():
        parameters = re.findall(r"{(\w+)}", path)
        if method != "get" or not parameters:
            continue
        (name,) = parameters
        for pk in OBJECTS[name].objects.values_list("pk", flat=True):
            case = api_schema[path]["GET"].Case(path_parameters={name: pk})
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS)
            statuses.add(response.status_code)
    assert 200 in statuses
    assert (404 in statuses) == (caller == "anonymous")


# ---------------------------------------------------------------------------------------------------------
# Every check, by schemathesis' own runner.

SETTINGS = Path(__file__).with_name("schemathesis.toml")
live_server_on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a live server's test ends with a flush, which SQLite's append-only history trigger refuses "
           "(PostgreSQL's TRUNCATE does not fire it); CI runs this on PostgreSQL",
)


def st_run(url, headers, *, examples, phases, folder):
    """``st run --checks all`` against the live server; (exit code, its report)."""
    command = [
        sys.executable, "-m", "schemathesis.cli", "--config-file", str(SETTINGS), "run", f"{url}/api/schema/",
        "--checks", "all", "--phases", phases, "--max-examples", str(examples), "--workers", "1",
        "--generation-deterministic", "--no-color", "--output-truncate", "true",
        *[argument for header in headers for argument in ("--header", header)],
    ]
    environment = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120"}
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=folder, env=environment)
    return result.returncode, result.stdout + result.stderr


def every_check(live_server, settings, tmp_path, caller, editor, reviewer, other_reviewer, *, examples, phases):
    unthrottled(settings)
    some_of_everything(editor, reviewer, other_reviewer)
    headers = [] if caller == "anonymous" else [f"Authorization: Token {Token.objects.create(user=editor).key}"]
    code, report = st_run(live_server.url, headers, examples=examples, phases=phases, folder=tmp_path)
    summary = report[report.rfind("SUMMARY"):]
    assert code == 0 and "Failures:" not in summary and "Test cases:" in summary, report[-30000:]
    # It ran: every operation of the schema was tested, and something was generated for it.
    (selected,) = re.findall(r"Selected: (\d+)/(\d+)", summary)
    assert selected[0] == selected[1] and int(selected[0]) >= 30, summary
    assert re.search(r"Tested: " + selected[0] + r"\b", summary), summary
    if "stateful" in phases and caller == "editor":  # it chained writes through links inferred from responses
        covered = re.search(r"API Links: +(\d+) covered", report)
        assert covered and int(covered[1]) >= 1, report[-5000:]
    return report


@live_server_on_postgresql
@pytest.mark.parametrize("caller", ["anonymous", "editor"])
def test_every_schemathesis_check_passes(roles_and_ratings, live_server, settings, tmp_path, caller, editor,
                                         reviewer, other_reviewer):
    """Examples, fuzzing and the stateful phase: about 30 s a caller."""
    every_check(live_server, settings, tmp_path, caller, editor, reviewer, other_reviewer,
                examples=5, phases="examples,fuzzing,stateful")


@pytest.mark.slow
@live_server_on_postgresql
@pytest.mark.parametrize("caller", ["anonymous", "editor"])
def test_every_schemathesis_check_passes_in_the_coverage_phase(roles_and_ratings, live_server, settings,
                                                               tmp_path, caller, editor, reviewer, other_reviewer):
    """The coverage phase (each parameter's boundaries, missing and extra values, wrong types) and a longer
    stateful phase: about 2 min a caller, so once, in the slow suite."""
    every_check(live_server, settings, tmp_path, caller, editor, reviewer, other_reviewer,
                examples=40, phases="coverage,stateful")
