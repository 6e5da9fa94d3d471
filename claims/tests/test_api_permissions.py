"""The API's permission matrix: every endpoint and method, as every persona, on visible and hidden objects.

The routes come from the URL resolver, so an endpoint added without a row here fails
``test_every_api_route_and_method_is_in_the_matrix``. Hidden objects answer 404 and never 403: to an
anonymous client (401 first on a write: no credentials, so nothing is looked up) and to a signed-in user
without a desk role.
"""

import pytest
from django.urls import URLResolver, get_resolver, reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims import workflow
from claims.models import Rating
from claims.tests.factories import (
    ClaimantFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
    in_review_claim,
    new_claim,
    published_claim,
    researching_claim,
)

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "outsider", "editor", "other_editor", "reviewer")
METHODS = ("get", "post", "put", "patch", "delete")



def api_routes():
    """(route name, kwarg names, allowed methods) of every pattern in the ``api`` namespace."""
    (api,) = [p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace == "api"]
    routes = []
    for pattern in api.url_patterns:
        view = pattern.callback.cls
        methods = {m for m in METHODS if m in view.http_method_names and hasattr(view, m)}
        routes.append((pattern.name, tuple(pattern.pattern.regex.groupindex), methods))
    return routes


@pytest.fixture
def world(editor, other_editor, reviewer, other_reviewer):
    """Public objects (a published claim, its claimant, source, topic and evidence) and hidden ones."""
    claimant, source, topic = ClaimantFactory(), SourceFactory(), TopicFactory()
    public = published_claim(actor=editor, approver=other_reviewer, claimant=claimant, source=source,
                             topics=[topic])
    hidden_claimant, hidden_source, hidden_topic = ClaimantFactory(), SourceFactory(), TopicFactory()
    fresh = new_claim(actor=editor, claimant=hidden_claimant, source=hidden_source, topics=[hidden_topic])
    researching = researching_claim(actor=editor)
    in_review = in_review_claim(actor=editor)
    return {
        "public": public, "new": fresh, "researching": researching, "in_review": in_review,
        "public_evidence": public.evidence.get(), "hidden_evidence": researching.evidence.get(),
        "claimant": claimant, "hidden_claimant": hidden_claimant, "source": source, "hidden_source": hidden_source,
        "topic": topic, "hidden_topic": hidden_topic,
    }


@pytest.fixture
def clients(editor, other_editor, reviewer):
    def with_token(user):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
        return client

    return {"anonymous": APIClient(), "outsider": with_token(UserFactory(username="olive")),
            "editor": with_token(editor), "other_editor": with_token(other_editor), "reviewer": with_token(reviewer)}


# (route, method, target, body, {persona: status}); the target names an object of ``world``.
A401_O403 = {"anonymous": 401, "outsider": 403}
A401_O404 = {"anonymous": 401, "outsider": 404}
HIDDEN_READ = {"anonymous": 404, "outsider": 404, "editor": 200, "other_editor": 200, "reviewer": 200}
OPEN_READ = dict.fromkeys(PERSONAS, 200)


def editors(status, reviewer=None):
    return {"editor": status, "other_editor": status, "reviewer": status if reviewer is None else reviewer}


MATRIX = [
    ("claims", "get", None, None, OPEN_READ),
    ("claims", "post", None, lambda w: {"text": "A new claim", "claimant": w["claimant"].pk},
     {**A401_O403, **editors(201)}),
    ("claim", "get", "public", None, OPEN_READ),
    ("claim", "get", "new", None, HIDDEN_READ),
    ("claim", "patch", "public", {"recheck_on": "2030-01-01"}, {**A401_O403, **editors(200)}),
    ("claim", "patch", "researching", {"quote": "Verbatim"}, {**A401_O404, **editors(200)}),
    ("claim-evidence", "get", "public", None, OPEN_READ),
    ("claim-evidence", "get", "researching", None, HIDDEN_READ),
    ("claim-evidence", "post", "researching", {"title": "A report"}, {**A401_O404, **editors(201)}),
    # Published: the evidence the reviewers signed off is frozen.
    ("claim-evidence", "post", "public", {"title": "A report"}, {**A401_O403, **editors(409)}),
    ("claim-verdicts", "get", "public", None, OPEN_READ),
    ("claim-verdicts", "get", "in_review", None, HIDDEN_READ),
    ("claim-verdicts", "post", "researching", {"rating": "false", "summary": "No."}, {**A401_O404, **editors(201)}),
    ("claim-verdicts", "post", "public", {"rating": "false", "summary": "No."}, {**A401_O403, **editors(409)}),
    ("claim-start", "post", "new", {}, {**A401_O404, **editors(200)}),
    ("claim-start", "post", "public", {}, {**A401_O403, **editors(409)}),
    ("claim-approve", "post", "in_review", {}, {**A401_O404, **editors(403, reviewer=200)}),
    ("claim-approve", "post", "public", {}, {**A401_O403, **editors(403, reviewer=409)}),
    ("claim-send-back", "post", "in_review", {"note": "More sources."}, {**A401_O404, **editors(403, reviewer=200)}),
    ("claim-send-back", "post", "public", {"note": "More."}, {**A401_O403, **editors(403, reviewer=409)}),
    ("claim-reopen", "post", "public", {"reason": "New figures."}, {**A401_O403, **editors(403, reviewer=200)}),
    ("claim-reopen", "post", "new", {"reason": "New figures."}, {**A401_O404, **editors(403, reviewer=409)}),
    ("claim-close", "post", "new", {"reason": "out_of_scope"}, {**A401_O404, **editors(403, reviewer=200)}),
    ("claim-close", "post", "public", {"reason": "out_of_scope"}, {**A401_O403, **editors(403, reviewer=409)}),
    # A public claim with nothing pending: nothing to approve or discard.
    ("claim-approve-update", "post", "public", {"note": "Updated."}, {**A401_O403, **editors(403, reviewer=409)}),
    ("claim-approve-update", "post", "new", {"note": "Updated."}, {**A401_O404, **editors(403, reviewer=409)}),
    ("claim-discard-draft", "post", "public", {}, {**A401_O403, **editors(409)}),
    ("claim-discard-draft", "post", "new", {}, {**A401_O404, **editors(409)}),
    ("claim-history", "get", "public", None, OPEN_READ),
    ("claim-history", "get", "new", None, HIDDEN_READ),
    ("evidence", "patch", "hidden_evidence", {"note": "Checked."}, {**A401_O404, **editors(200)}),
    ("evidence", "patch", "public_evidence", {"note": "Checked."}, {**A401_O403, **editors(409)}),
    ("evidence", "delete", "hidden_evidence", None, {**A401_O404, **editors(204)}),
    ("evidence", "delete", "public_evidence", None, {**A401_O403, **editors(409)}),
    ("claimants", "get", None, None, OPEN_READ),
    ("claimants", "post", None, {"name": "Kaja Kallas"}, {**A401_O403, **editors(201)}),
    ("claimant", "get", "claimant", None, OPEN_READ),
    ("claimant", "get", "hidden_claimant", None, HIDDEN_READ),
    ("claimant", "patch", "claimant", {"description": "Minister"}, {**A401_O403, **editors(200)}),
    ("claimant", "patch", "hidden_claimant", {"description": "Minister"}, {**A401_O404, **editors(200)}),
    ("sources", "get", None, None, OPEN_READ),
    ("sources", "post", None, {"title": "An article"}, {**A401_O403, **editors(201)}),
    ("source", "get", "source", None, OPEN_READ),
    ("source", "get", "hidden_source", None, HIDDEN_READ),
    ("source", "patch", "source", {"outlet": "FT"}, {**A401_O403, **editors(200)}),
    ("source", "patch", "hidden_source", {"outlet": "FT"}, {**A401_O404, **editors(200)}),
    ("topics", "get", None, None, OPEN_READ),
    ("topics", "post", None, {"name": "Sanctions", "slug": "sanctions"}, {**A401_O403, **editors(201)}),
    ("topic", "get", "topic", None, OPEN_READ),
    ("topic", "get", "hidden_topic", None, HIDDEN_READ),
    ("topic", "patch", "topic", {"name": "Renamed"}, {**A401_O403, **editors(200)}),
    ("topic", "patch", "hidden_topic", {"name": "Renamed"}, {**A401_O404, **editors(200)}),
    ("ratings", "get", None, None, OPEN_READ),
    ("claimreview", "get", None, None, OPEN_READ),
    ("claims-similar", "get", None, None, OPEN_READ),
    # The catch-all: unknown paths under /api/v1/ are JSON 404s for every method.
    *[("not-found", method, None, None, dict.fromkeys(PERSONAS, 404)) for method in METHODS],
]

def url_for(name, target, world):
    if name == "not-found":
        return "/api/v1/no-such-thing/"
    kwargs = {route: kwargs for route, kwargs, _ in api_routes()}[name]
    if name == "claims-similar":
        return reverse("api:claims-similar") + "?text=frozen+assets"  # without a text: 400
    if not kwargs:
        return reverse(f"api:{name}")
    return reverse(f"api:{name}", kwargs={kwargs[0]: world[target].pk})


def test_every_api_route_and_method_is_in_the_matrix():
    covered = {(name, method) for name, method, *_ in MATRIX}
    for name, kwargs, methods in api_routes():
        for method in methods:
            assert (name, method) in covered, f"api:{name} {method.upper()} has no row in the permission matrix"
        if kwargs and name != "not-found":
            readable_hidden = [row for row in MATRIX if row[0] == name and row[4].get("outsider") == 404]
            assert readable_hidden, f"api:{name} has no row with a hidden object"
    assert len(api_routes()) >= 20


def test_the_matrix_names_every_persona():
    for name, method, _, _, expected in MATRIX:
        assert set(expected) == set(PERSONAS), (name, method)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name, method, target, body, expected", MATRIX,
                         ids=[f"{r[0]}-{r[1]}-{r[2] or 'list'}" for r in MATRIX])
def test_permission_matrix(world, clients, persona, name, method, target, body, expected):
    if callable(body):
        body = body(world)
    response = getattr(clients[persona], method)(url_for(name, target, world), body, format="json",
                                                headers={"If-Match": "*"})
    assert response.status_code == expected[persona], response.content
    if response.status_code != 204:
        assert response["Content-Type"] == "application/json"
        if response.status_code >= 400:
            assert set(response.json()) >= {"code", "detail"}


HIDDEN = {"claim_id": "new", "evidence_id": "hidden_evidence", "claimant_id": "hidden_claimant",
          "source_id": "hidden_source", "topic_id": "hidden_topic"}


@pytest.mark.parametrize("persona", ["anonymous", "outsider"])
def test_hidden_objects_answer_404_never_403_on_every_route(world, clients, persona):
    """Every route with an id and every method it allows, on an object the caller may not see."""
    checked = 0
    for name, kwargs, methods in api_routes():
        if not kwargs or name == "not-found":
            continue
        (kwarg,) = kwargs
        url = reverse(f"api:{name}", kwargs={kwarg: world[HIDDEN[kwarg]].pk})
        for method in methods:
            response = getattr(clients[persona], method)(url, {}, format="json", headers={"If-Match": "*"})
            allowed = {404} if persona == "outsider" or method == "get" else {401}
            assert response.status_code in allowed, (name, method, response.status_code)
            checked += 1
    assert checked >= 20


@pytest.mark.parametrize("persona", PERSONAS)
def test_unknown_ids_answer_404_to_everybody(world, clients, persona):
    for name, kwargs, methods in api_routes():
        if not kwargs or name == "not-found":
            continue
        (kwarg,) = kwargs
        url = reverse(f"api:{name}", kwargs={kwarg: 987654321})
        for method in methods:
            response = getattr(clients[persona], method)(url, {}, format="json", headers={"If-Match": "*"})
            expected = 401 if persona == "anonymous" and method != "get" else 404
            assert response.status_code == expected, (name, method)


def test_a_reviewer_who_proposed_cannot_approve_even_as_superuser(world, editor):
    boss = UserFactory(username="boss", is_superuser=True)
    claim = researching_claim(actor=boss)
    workflow.propose_verdict(claim=claim, actor=boss, version=claim.version, rating=Rating.objects.get(slug="false"),
                             summary="No.")
    client = APIClient()
    client.force_authenticate(boss)
    response = client.post(f"/api/v1/claims/{claim.pk}/approve/", {}, format="json", headers={"If-Match": "*"})
    assert response.status_code == 409
    assert response.json()["code"] == "own_verdict"
