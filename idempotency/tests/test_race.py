"""A double click or a client's eager retry: two requests with one key at the same moment, from real threads
with their own database connections. One makes the record; the other waits on the key's unique row, rolls
back what it wrote and answers as a retry. PostgreSQL only, as claims/tests/test_concurrency.py explains."""

import threading

import pytest
from django.db import connection
from django.test import Client

from claims.models import Claim
from claims.tests.factories import ClaimantFactory, EditorFactory, token_client

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="racing connections need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def at_once(*calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return results


def test_two_api_posts_with_one_key_make_one_claim(roles_and_ratings):
    editor = EditorFactory(username="erin")
    body = {"text": "Frozen assets total 210 billion euros", "claimant": ClaimantFactory().pk}
    clients = [token_client(editor), token_client(editor)]
    for _ in range(3):
        key = f"race-{Claim.objects.count()}"
        first, second = at_once(*(lambda c=c, key=key: c.post("/api/v1/claims/", body, format="json",
                                                               HTTP_IDEMPOTENCY_KEY=key) for c in clients))
        assert first.status_code == second.status_code == 201
        assert first.json() == second.json()
        assert {first.get("Idempotent-Replayed"), second.get("Idempotent-Replayed")} == {None, "true"}
    assert Claim.objects.count() == 3


def test_a_double_click_on_the_capture_form_makes_one_claim(roles_and_ratings):
    editor = EditorFactory(username="erin")
    data = {"text": "Frozen assets total 210 billion euros", "claimant": ClaimantFactory().pk, "language": "en",
            "confirm_new": "on", "submission_key": "f" * 32}
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(editor)
    first, second = at_once(*(lambda c=c: c.post("/desk/claims/new/", data) for c in clients))
    claim = Claim.objects.get()
    assert first["Location"] == second["Location"] == claim.get_desk_url()
