"""Eight people save the same unique value at the same moment, from real threads with their own database
connections: nobody gets a 500. A claimant's name may be shared (each gets a claimant, under its own slug); a
source address or topic slug is saved once, and the others get the source that won or a 409 naming the field.

PostgreSQL only, like test_concurrency.py: the in-memory SQLite test database is not shared between threads.
"""

import threading

import pytest
from django.db import connection
from django.test import Client

from claims.models import Claimant, Source, Topic

from .factories import EditorFactory, token_client

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="races between connections need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

BURST = 8
ROUNDS = 3


@pytest.fixture(autouse=True)
def _seeded(roles_and_ratings):
    """Every test here commits for real (conftest's roles_and_ratings)."""


def burst(request):
    """Run ``request(i)`` from BURST threads at once; return the responses."""
    barrier = threading.Barrier(BURST)
    responses = [None] * BURST

    def run(index):
        try:
            barrier.wait(timeout=10)
            responses[index] = request(index)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(BURST)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


@pytest.fixture
def editors():
    return [EditorFactory(username=f"racer{i}") for i in range(BURST)]


def api_clients(editors):
    clients = [token_client(editor) for editor in editors]
    for client in clients:
        client.raise_request_exception = False
    return clients


def desk_clients(editors):
    clients = []
    for editor in editors:
        client = Client(raise_request_exception=False)
        client.force_login(editor)
        clients.append(client)
    return clients


def statuses(responses):
    return sorted(response.status_code for response in responses)


def test_the_same_claimant_name_at_once_gives_each_a_claimant(editors):
    clients = api_clients(editors)
    for n in range(ROUNDS):
        responses = burst(lambda i, n=n: clients[i].post("/api/v1/claimants/", {"name": f"Sergey Lavrov {n}"},
                                                         format="json"))
        assert statuses(responses) == [201] * BURST
        assert Claimant.objects.filter(name=f"Sergey Lavrov {n}").values("slug").distinct().count() == BURST


def test_the_same_claimant_slug_at_once_is_saved_once_and_refused_by_name(editors):
    clients = api_clients(editors)
    for n in range(ROUNDS):
        responses = burst(lambda i, n=n: clients[i].post(
            "/api/v1/claimants/", {"name": "Lavrov", "slug": f"Lavrov-{n}" if i % 2 else f"lavrov-{n}"},
            format="json"))
        assert statuses(responses) == [201] + [409] * (BURST - 1)
        assert all("slug" in r.json()["errors"] for r in responses if r.status_code == 409)
        assert Claimant.objects.filter(slug__iexact=f"lavrov-{n}").count() == 1


def test_the_same_source_address_at_once_is_saved_once(editors):
    clients = api_clients(editors)
    for n in range(ROUNDS):
        url = f"https://news.example/lavrov-{n}"
        responses = burst(lambda i, url=url: clients[i].post("/api/v1/sources/", {"title": "Lavrov", "url": url},
                                                             format="json"))
        assert statuses(responses) == [201] + [409] * (BURST - 1)
        assert all("url" in r.json()["errors"] for r in responses if r.status_code == 409)
        assert Source.objects.filter(url=url).count() == 1


def test_the_same_topic_slug_at_once_is_saved_once(editors):
    clients = api_clients(editors)
    for n in range(ROUNDS):
        responses = burst(lambda i, n=n: clients[i].post("/api/v1/topics/", {"name": "Assets", "slug": f"assets-{n}"},
                                                         format="json"))
        assert statuses(responses) == [201] + [409] * (BURST - 1)
        assert all("slug" in r.json()["errors"] for r in responses if r.status_code == 409)
        assert Topic.objects.filter(slug=f"assets-{n}").count() == 1


def test_the_desk_adds_one_source_and_several_claimants_at_once(editors):
    clients = desk_clients(editors)
    for n in range(ROUNDS):
        url = f"https://news.example/desk-{n}"
        responses = burst(lambda i, n=n, url=url: clients[i].post("/desk/claims/new/", {
            "text": f"Frozen assets total {n}{i} billion euros", "new_claimant_name": f"Maria Zakharova {n}",
            "new_source_title": "Briefing", "new_source_url": url, "language": "en", "confirm_new": "on"}))
        assert statuses(responses) == [302] * BURST, [r.content[:500] for r in responses if r.status_code != 302]
        assert Source.objects.filter(url=url).count() == 1
        assert Claimant.objects.filter(name=f"Maria Zakharova {n}").count() == BURST


def test_the_desk_source_form_at_once_saves_once(editors):
    clients = desk_clients(editors)
    for n in range(ROUNDS):
        url = f"https://news.example/form-{n}"
        responses = burst(lambda i, url=url: clients[i].post("/desk/sources/new/", {
            "title": "Briefing", "url": url, "language": "en"}))
        codes = statuses(responses)
        assert 500 not in codes and codes.count(302) == 1, codes
        assert Source.objects.filter(url=url).count() == 1
