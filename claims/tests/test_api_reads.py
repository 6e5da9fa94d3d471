"""Reading through the API: what the public may see, list filters, cursor pagination, query counts and
throttles."""

import datetime
import json

import pytest
from django.utils import timezone

from claims import workflow
from claims.models import Claim, ClaimEvent, Evidence, Rating
from claims.tests.factories import (
    ClaimantFactory,
    SourceFactory,
    TopicFactory,
    new_claim,
    published_claim,
    rating,
    researching_claim,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"




def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def ids(response):
    return [row["id"] for row in results(response)]


# ---------------------------------------------------------------------------------------------------------
# What the public never sees.

SECRETS = ("tipster@reader.example", "https://secret-source.example/leak", "Protects a ministry insider",
           "FULL SOURCE TEXT", "Internal reviewer note", "Pending correction summary",
           "Research for the correction")


@pytest.fixture
def sensitive_claim(editor, reviewer, other_reviewer):
    """A published reader tip with a withheld evidence item, a source with full text, an internal note and a
    pending (unpublished) correction."""
    source = SourceFactory(text="FULL SOURCE TEXT of the article, with the quote in it.")
    tip = workflow.create_claim(actor=None, text="Tipped claim", is_reader_tip=True,
                                tipster_email="tipster@reader.example")
    claim = workflow.edit_claim(claim=tip, actor=editor, version=tip.version, claimant=ClaimantFactory(),
                                source=source, quote="the quote")
    claim = workflow.start_research(claim=claim, actor=editor, version=claim.version)
    workflow.add_evidence(claim=claim, actor=editor, version=claim.version, title="Leaked memo",
                          url="https://secret-source.example/leak", withheld=True,
                          withheld_reason="Protects a ministry insider")
    claim.refresh_from_db()
    workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating("false"),
                             summary="It is false.")
    claim.refresh_from_db()
    claim = workflow.approve(claim=claim, actor=reviewer, version=claim.version, note="Internal reviewer note")
    claim = workflow.reopen(claim=claim, actor=reviewer, version=claim.version, reason="Internal reviewer note")
    workflow.add_evidence(claim=claim, actor=editor, version=claim.version, title="Research for the correction",
                          url="https://x.example/")
    claim.refresh_from_db()
    workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating("true"),
                             summary="Pending correction summary")
    return Claim.objects.get(pk=claim.pk)


def every_public_response(client, claim):
    paths = ["/claims/", f"/claims/{claim.pk}/", f"/claims/{claim.pk}/evidence/", f"/claims/{claim.pk}/verdicts/",
             f"/claims/{claim.pk}/history/", "/sources/", f"/sources/{claim.source_id}/", "/claimants/",
             "/claimreview/"]
    return {path: client.get(API + path) for path in paths}


def test_anonymous_responses_carry_no_secret(sensitive_claim, api_client):
    for path, response in every_public_response(api_client, sensitive_claim).items():
        assert response.status_code == 200, path
        body = response.content.decode()
        for secret in SECRETS:
            assert secret not in body, (path, secret)


def test_editors_see_what_the_public_does_not(sensitive_claim, api_client_with_token):
    bodies = "".join(r.content.decode() for r in every_public_response(api_client_with_token, sensitive_claim)
                     .values())
    for secret in SECRETS:
        assert secret in bodies, secret


def test_the_public_sees_a_withheld_item_without_its_links(sensitive_claim, api_client):
    withheld = [e for e in results(api_client.get(f"{API}/claims/{sensitive_claim.pk}/evidence/"))
                if e["withheld"]]
    assert withheld and withheld[0]["title"] == "Leaked memo"
    assert (withheld[0]["url"], withheld[0]["archived_url"], withheld[0]["withheld_reason"]) == (None, None, None)


def test_public_and_editor_responses_have_the_same_keys(sensitive_claim, api_client, api_client_with_token):
    public = every_public_response(api_client, sensitive_claim)
    desk = every_public_response(api_client_with_token, sensitive_claim)
    for path in public:
        a, b = public[path].json(), desk[path].json()
        rows_a, rows_b = a.get("results", [a]), b.get("results", [b])
        assert {tuple(sorted(r)) for r in rows_a} <= {tuple(sorted(r)) for r in rows_b}, path


# ---------------------------------------------------------------------------------------------------------
# Filters.


@pytest.fixture
def published_pair(editor, reviewer):
    lavrov, musk = ClaimantFactory(name="Sergey Lavrov", slug="sergey-lavrov"), ClaimantFactory(slug="musk")
    assets, summit = TopicFactory(slug="assets"), TopicFactory(slug="summit")
    source = SourceFactory()
    first = published_claim(actor=editor, approver=reviewer, claimant=lavrov, topics=[assets], source=source,
                            text="Frozen assets total 210 billion euros", rating_slug="false")
    second = published_claim(actor=editor, approver=reviewer, claimant=musk, topics=[summit],
                             text="The summit was cancelled by Moscow", rating_slug="true")
    return first, second


def test_filters_narrow_the_claim_list(published_pair, api_client):
    first, second = published_pair
    assert ids(api_client.get(f"{API}/claims/?rating=false")) == [first.pk]
    assert ids(api_client.get(f"{API}/claims/?claimant=musk")) == [second.pk]
    assert ids(api_client.get(f"{API}/claims/?topic=assets")) == [first.pk]
    assert ids(api_client.get(f"{API}/claims/?source={first.source_id}")) == [first.pk]
    assert ids(api_client.get(f"{API}/claims/?claimant=nobody")) == []


def test_q_searches_the_claims(published_pair, api_client):
    first, _ = published_pair
    assert ids(api_client.get(f"{API}/claims/?q=frozen")) == [first.pk]


def test_sync_filters_take_an_instant(published_pair, api_client):
    first, second = published_pair
    after_first = second.published_at.isoformat()
    assert ids(api_client.get(f"{API}/claims/", {"published_after": after_first})) == [second.pk]
    assert set(ids(api_client.get(f"{API}/claims/", {"updated_after": first.updated_at.isoformat()}))) == {
        first.pk, second.pk}
    future = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    assert ids(api_client.get(f"{API}/claims/", {"updated_after": future})) == []


@pytest.mark.parametrize("query", ["updated_after=yesterday", "published_after=2025-13-45", "source=abc",
                                   "status=unknown"])
def test_bad_filter_values_are_400(api_client_with_token, query):
    response = api_client_with_token.get(f"{API}/claims/?{query}")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_status_is_an_editors_filter(published_pair, editor, api_client, api_client_with_token):
    fresh = new_claim(actor=editor)
    refused = api_client.get(f"{API}/claims/?status=published")
    # Well formed, but it needs a role the caller lacks: 403, which the schema documents (not a 400, which a
    # client would read as its own mistake in the request's shape).
    assert refused.status_code == 403
    assert refused.json() == {"code": "permission_denied",
                              "detail": "Filtering by status needs an editor's permission."}
    assert ids(api_client_with_token.get(f"{API}/claims/?status=new")) == [fresh.pk]


def test_the_public_list_holds_published_claims_only(published_pair, editor, api_client, api_client_with_token):
    hidden = researching_claim(actor=editor)
    assert hidden.pk not in ids(api_client.get(f"{API}/claims/"))
    assert hidden.pk in ids(api_client_with_token.get(f"{API}/claims/"))


def test_reference_lists_show_the_public_only_what_published_claims_use(published_pair, editor, api_client,
                                                                          api_client_with_token):
    unused = ClaimantFactory(slug="unpublished-person")
    new_claim(actor=editor, claimant=unused)
    assert "unpublished-person" not in [c["slug"] for c in results(api_client.get(f"{API}/claimants/"))]
    assert "unpublished-person" in [c["slug"] for c in results(api_client_with_token.get(f"{API}/claimants/"))]
    assert api_client.get(f"{API}/claimants/{unused.pk}/").status_code == 404


# ---------------------------------------------------------------------------------------------------------
# Pagination.


def test_cursor_pages_walk_every_claim_once_in_a_total_order(editor, api_client_with_token):
    made = [new_claim(actor=editor, text=f"Claim {n}") for n in range(7)]
    # Same updated_at for several claims: the id breaks the tie, so no row is skipped or repeated.
    same = timezone.now()
    Claim.objects.filter(pk__in=[c.pk for c in made[:4]]).update(updated_at=same)
    seen, url = [], f"{API}/claims/?page_size=2"
    while url:
        page = api_client_with_token.get(url).json()
        assert len(page["results"]) <= 2
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    expected = list(Claim.objects.order_by("-updated_at", "-id").values_list("id", flat=True))
    assert seen == expected
    assert len(seen) == 7


def test_lists_have_one_shape(api_client):
    for path in ("/claims/", "/claimants/", "/sources/", "/topics/", "/ratings/", "/claimreview/"):
        body = api_client.get(API + path).json()
        assert set(body) == {"next", "previous", "results"}, path


def test_a_bad_cursor_is_404(api_client):
    response = api_client.get(f"{API}/claims/?cursor=bm9uc2Vuc2U")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_page_size_is_capped(editor, api_client):
    response = api_client.get(f"{API}/ratings/?page_size=100")
    assert response.status_code == 200
    assert len(response.json()["results"]) == Rating.objects.count()


# ---------------------------------------------------------------------------------------------------------
# Query counts: constant in the number of rows, related rows and page size.


def _published(editor, reviewer, n, *, evidence=1):
    topics = [TopicFactory(), TopicFactory()]
    return [published_claim(actor=editor, approver=reviewer, topics=topics, source=SourceFactory(),
                            evidence=evidence) for _ in range(n)]


@pytest.mark.parametrize("n, page_size", [(1, 1), (4, 2), (4, 50)])
def test_claim_list_queries_are_constant(editor, reviewer, api_client, api_client_with_token,
                                         django_assert_num_queries, n, page_size):
    _published(editor, reviewer, n)
    new_claim(actor=editor)
    # One: the page of claims (claimant, source, published verdict and its rating joined, topics aggregated).
    with django_assert_num_queries(1):
        assert len(results(api_client.get(f"{API}/claims/?page_size={page_size}"))) == min(n, page_size)
    # Editors: the token (with its user), the user's and the groups' permissions, then the same one.
    with django_assert_num_queries(4):
        assert len(results(api_client_with_token.get(f"{API}/claims/?page_size={page_size}"))) == min(
            n + 1, page_size)


@pytest.mark.parametrize("n", [1, 5])
def test_claim_detail_queries_are_constant(editor, reviewer, api_client, django_assert_num_queries, n):
    (claim,) = _published(editor, reviewer, 1, evidence=n)
    # One: the claim with its claimant, source, verdict, rating and topics.
    with django_assert_num_queries(1):
        assert api_client.get(f"{API}/claims/{claim.pk}/").status_code == 200


@pytest.mark.parametrize("n", [1, 6])
def test_evidence_list_queries_are_constant(editor, reviewer, api_client, api_client_with_token,
                                            django_assert_num_queries, n):
    (claim,) = _published(editor, reviewer, 1, evidence=n)
    # The claim; the page of evidence with who added it.
    with django_assert_num_queries(2):
        assert len(results(api_client.get(f"{API}/claims/{claim.pk}/evidence/"))) == n
    # Plus the token and the two permission queries.
    with django_assert_num_queries(5):
        assert len(results(api_client_with_token.get(f"{API}/claims/{claim.pk}/evidence/?page_size=3"))) == min(n, 3)


@pytest.mark.parametrize("corrections", [0, 2])
def test_verdict_and_history_lists_are_constant(editor, reviewer, other_reviewer, api_client,
                                                django_assert_num_queries, corrections):
    (claim,) = _published(editor, other_reviewer, 1)
    for n in range(corrections):
        claim = workflow.reopen(claim=claim, actor=reviewer, version=claim.version, reason="Revised figures")
        workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating("half-true"),
                                 summary=f"Correction {n}", correction_note="Revised.")
        claim.refresh_from_db()
        claim = workflow.approve(claim=claim, actor=reviewer, version=claim.version)
    # The claim; the verdicts that were published (EXISTS on their events), with rating and claim joined.
    with django_assert_num_queries(2):
        assert len(results(api_client.get(f"{API}/claims/{claim.pk}/verdicts/"))) == corrections + 1
    # The claim; its public events.
    with django_assert_num_queries(2):
        assert len(results(api_client.get(f"{API}/claims/{claim.pk}/history/"))) == corrections + 1


@pytest.mark.parametrize("n", [1, 4])
def test_reference_and_export_lists_are_constant(editor, reviewer, api_client, api_client_with_token,
                                                 django_assert_num_queries, n):
    _published(editor, reviewer, n)
    for path in ("/claimants/", "/sources/", "/topics/", "/ratings/", "/claimreview/"):
        # One query: the page (the ClaimReview export's correction date is a subquery of it).
        with django_assert_num_queries(1):
            assert results(api_client.get(API + path)), path
        # Editors: the token and the two permission queries first.
        with django_assert_num_queries(4):
            assert results(api_client_with_token.get(API + path + "?page_size=2")), path


def test_the_claimreview_export_is_the_public_pages_json_ld(editor, reviewer, api_client):
    from claims.jsonld import claim_review

    (claim,) = _published(editor, reviewer, 1)
    exported = results(api_client.get(f"{API}/claimreview/"))
    assert exported == [json.loads(json.dumps(claim_review(Claim.objects.public().get(pk=claim.pk))))]


def test_the_claimreview_export_dates_a_correction(editor, reviewer, other_reviewer, api_client):
    (claim,) = _published(editor, other_reviewer, 1)
    claim = workflow.reopen(claim=claim, actor=reviewer, version=claim.version, reason="Revised")
    workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating("true"),
                             summary="True after all.", correction_note="Revised.")
    claim.refresh_from_db()
    workflow.approve(claim=claim, actor=reviewer, version=claim.version)
    corrected = ClaimEvent.objects.get(claim=claim, kind="corrected")
    (review,) = results(api_client.get(f"{API}/claimreview/"))
    assert review["dateModified"] == corrected.at.isoformat()
    assert review["reviewRating"]["ratingValue"] == 5


# ---------------------------------------------------------------------------------------------------------
# Throttles.


def test_anonymous_clients_are_throttled(settings, api_client):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "100/minute"}}
    statuses = [api_client.get(f"{API}/ratings/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api_client.get(f"{API}/ratings/")
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


def test_users_have_their_own_rate(settings, api_client_with_token):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"anon": "1/minute", "user": "2/minute"}}
    statuses = [api_client_with_token.get(f"{API}/ratings/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_evidence_urls_survive_for_editors(editor, api_client_with_token):
    claim = researching_claim(actor=editor)
    (row,) = results(api_client_with_token.get(f"{API}/claims/{claim.pk}/evidence/"))
    assert row["url"] == Evidence.objects.get(claim=claim).url
    assert row["added_by_name"] == "Erin Editor"


# ---------------------------------------------------------------------------------------------------------
# Duplicate suggestions.


def test_similar_claims_suggest_a_reworded_duplicate(api_client_with_token, editor):
    from .factories import new_claim

    original = new_claim(actor=editor, text="About €210 billion of Russian central bank reserves are frozen")
    new_claim(actor=editor, text="Lavrov missed a Security Council meeting")
    response = api_client_with_token.get("/api/v1/claims/similar/", {"text": "Russia has €210bn frozen in the EU"})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["id"] for r in results][:1] == [original.pk]
    assert 0 < results[0]["similarity"] <= 1


def test_similar_claims_show_anonymous_clients_published_claims_only(api_client, editor, reviewer):
    from .factories import new_claim, published_claim

    public = published_claim(actor=editor, approver=reviewer, text="Frozen Russian reserves total 210 billion euros")
    new_claim(actor=editor, text="Frozen Russian reserves total 200 billion euros")
    response = api_client.get("/api/v1/claims/similar/", {"text": "Frozen Russian reserves total 210bn euros"})
    assert [r["id"] for r in response.json()["results"]] == [public.pk]


def test_similar_claims_without_text_are_refused(api_client, django_assert_num_queries):
    with django_assert_num_queries(0):  # nothing to compare: no query
        response = api_client.get("/api/v1/claims/similar/")
    assert response.status_code == 400
    assert "text" in response.json()["errors"]


def test_similar_claims_query_count_is_constant(api_client_with_token, editor, django_assert_num_queries):
    from .factories import new_claim

    for n in range(8):
        new_claim(actor=editor, text=f"Frozen Russian reserves total {200 + n} billion euros")
    api_client_with_token.get("/api/v1/claims/similar/", {"text": "Frozen"})  # reads and caches word statistics
    # token, the user's groups and permissions (2), the words and their counts, the candidates (ids and texts),
    # the best five in full
    with django_assert_num_queries(6):
        response = api_client_with_token.get("/api/v1/claims/similar/", {"text": "Frozen Russian reserves 205bn"})
    assert len(response.json()["results"]) == 5
