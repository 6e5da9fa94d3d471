"""Schemathesis against /api/schema/: generated requests to every operation, as an anonymous client and as an
editor with a token. No answer may be a 5xx, or break the schema (status code, content type, body).

Examples are bounded so that CI stays quick; the app runs in-process over WSGI, inside the test's transaction.
"""

import re

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
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


@pytest.fixture
def api_schema(db, settings, editor, reviewer, other_reviewer):
    settings.ALLOWED_HOSTS = ["localhost"]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"}}
    cache.clear()
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
