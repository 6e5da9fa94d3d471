"""Probes for load balancers: /healthz says the process is up without touching the database; /readyz says the
database answers and every migration is applied, or answers 503 with the reason."""

import json
from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.db.migrations import Migration

from claims.views import ops


def payload(response):
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def assert_never_cached(response):
    assert "no-store" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
    assert not response.cookies


@pytest.mark.django_db
def test_healthz_answers_ok_without_touching_the_database(anonymous, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = anonymous.get("/healthz")
    assert response.status_code == 200
    assert payload(response) == {"status": "ok"}
    assert_never_cached(response)


def test_healthz_answers_while_the_database_is_down(anonymous):
    # No django_db mark: pytest-django refuses any database access here, and the patch makes it fail too.
    with mock.patch.object(connections["default"], "cursor", side_effect=OperationalError("refused")):
        response = anonymous.get("/healthz")
    assert response.status_code == 200


@pytest.mark.django_db
def test_readyz_answers_ok_when_the_database_answers_and_migrations_are_applied(anonymous,
                                                                                django_assert_num_queries):
    # SELECT 1; the migration recorder: does django_migrations exist (one introspection query), which are
    # applied.
    with django_assert_num_queries(3):
        response = anonymous.get("/readyz")
    assert response.status_code == 200
    assert payload(response) == {"status": "ok"}
    assert_never_cached(response)


@pytest.mark.django_db
def test_readyz_answers_503_while_migrations_are_unapplied(anonymous):
    future = Migration("0099_future_change", "claims")
    with mock.patch.object(ops.MigrationExecutor, "migration_plan", return_value=[(future, False)]):
        response = anonymous.get("/readyz")
    assert response.status_code == 503
    assert payload(response) == {"status": "unavailable", "reason": "unapplied migrations",
                                 "pending": ["claims.0099_future_change"]}
    assert response["Retry-After"] == "5"
    assert_never_cached(response)


@pytest.mark.django_db
def test_readyz_answers_503_when_the_database_does_not_answer(anonymous, caplog):
    with mock.patch.object(connections["default"], "cursor",
                           side_effect=OperationalError("connection refused; password=hunter2")):
        response = anonymous.get("/readyz")
    assert response.status_code == 503
    assert payload(response) == {"status": "unavailable", "reason": "database unreachable"}
    assert b"hunter2" not in response.content and b"Traceback" not in response.content
    assert "database unreachable" in caplog.text


@pytest.mark.django_db
def test_readyz_is_not_served_from_the_public_cache(anonymous, settings):
    settings.PUBLIC_CACHE_SECONDS = 600
    assert anonymous.get("/readyz").status_code == 200
    future = Migration("0099_future_change", "claims")
    with mock.patch.object(ops.MigrationExecutor, "migration_plan", return_value=[(future, False)]):
        assert anonymous.get("/readyz").status_code == 503
    assert anonymous.get("/readyz").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_need_no_login_and_answer_the_same_to_an_editor(path, anonymous, editor_client):
    assert anonymous.get(path).status_code == 200
    assert editor_client.get(path).status_code == 200
    assert anonymous.head(path).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_refuse_writes(path, anonymous):
    assert anonymous.post(path).status_code == 405
    assert anonymous.delete(path).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_are_not_redirected_to_https(path, anonymous, settings):
    # Load balancers probe over plain HTTP inside the network.
    settings.SECURE_SSL_REDIRECT = True
    assert anonymous.get(path).status_code == 200
    assert anonymous.get("/methodology/").status_code == 301
