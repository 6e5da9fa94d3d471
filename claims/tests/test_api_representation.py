"""ClaimSerializer's hand-written read path writes exactly what DRF's generic, field-by-field path wrote: the
same keys in the same order, the same values and the same JSON bytes, for every kind of claim, for editors and
for the public. The generic path reads claims loaded as the views loaded them before ``as_shown``: topics
through ``prefetch_related("topics")`` and every column of the joined rows."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from rest_framework.renderers import JSONRenderer

from claims import workflow
from claims.api.permissions import visible_claims
from claims.api.serializers import ClaimSerializer
from claims.api.views import as_shown
from claims.models import Claim, Topic, Verdict
from claims.tests.factories import (
    EditorFactory,
    SourceFactory,
    TopicFactory,
    in_review_claim,
    new_claim,
    published_claim,
    rating,
    token_client,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"


def corrected(claim, *, editor, reviewer):
    """``claim`` published again by a correcting verdict, which carries a correction note."""
    claim = workflow.reopen(claim=claim, actor=reviewer, version=claim.version, reason="Revised figures")
    workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating("half-true"),
                             summary="Revised: partly right.", correction_note="The ministry revised its figures.")
    claim.refresh_from_db()
    return workflow.approve(claim=claim, actor=reviewer, version=claim.version)


def closed(claim, *, reviewer, reason, duplicate_of=None):
    return workflow.close(claim=claim, actor=reviewer, version=claim.version, reason=reason,
                          duplicate_of=duplicate_of)


@pytest.fixture
def register(editor, reviewer, other_reviewer):
    """One claim of every kind the list shows, by name."""
    source = SourceFactory(text="He said the assets total 210 billion euros, and more.",
                           published_on=datetime.date(2025, 10, 21))
    topics = [TopicFactory(name="Frozen assets"), TopicFactory(name="Budget"), TopicFactory(name="Élections")]

    published = published_claim(actor=editor, approver=reviewer, source=source, topics=topics,
                                quote="the assets total 210 billion euros", claim_date=datetime.date(2025, 10, 20))
    published = corrected(published, editor=editor, reviewer=other_reviewer)
    published = workflow.edit_claim(claim=published, actor=editor, version=published.version,
                                    recheck_on=datetime.date(2026, 1, 15))
    reopened = published_claim(actor=editor, approver=reviewer, text="Reopened, still public", rating_slug="true")
    reopened = workflow.reopen(claim=reopened, actor=reviewer, version=reopened.version, reason="New figures")

    assigned = new_claim(actor=editor, text="הנכסים המוקפאים שווים 210 מיליארד אירו 🇪🇺")
    nameless = EditorFactory(username="nameless", first_name="", last_name="")
    assigned = workflow.start_research(claim=assigned, actor=editor, version=assigned.version, assignee=nameless)

    original = new_claim(actor=editor, text="The summit was cancelled by Moscow")
    # A claim from the ClaimReview import before it moved to the reviews app, which kept the review's URL.
    imported = published_claim(actor=editor, approver=other_reviewer, text="Imported: the bridge cost €3bn",
                               rating_slug="misleading")
    Claim.objects.filter(pk=imported.pk).update(imported_from="https://checker.example/reviews/bridge")
    Verdict.objects.filter(pk=imported.published_verdict_id).update(
        proposed_at=datetime.datetime(2025, 9, 1, 12, 30, 15, 123456, tzinfo=datetime.UTC))
    imported.refresh_from_db()
    return {
        "published with source, topics, quote and a correction": published,
        "published without source, reopened": reopened,
        "imported, rated without a value": imported,
        "new": original,
        "reader tip without claimant": workflow.create_claim(
            actor=None, text="A reader's tip about the summit", is_reader_tip=True,
            tipster_email="reader@tips.example"),
        "researching, assigned to a user without a full name": assigned,
        "in review, assigned to its editor": in_review_claim(actor=editor, rating_slug="mostly-false",
                                                            topics=topics[:1]),
        "closed as a duplicate": closed(new_claim(actor=editor, text="Moscow cancelled the summit"),
                                        reviewer=reviewer, reason=Claim.CloseReason.DUPLICATE,
                                        duplicate_of=original),
        "closed as not checkable": closed(new_claim(actor=editor, text="The summit will fail"),
                                          reviewer=reviewer, reason=Claim.CloseReason.NOT_CHECKABLE),
    }


def generic(claims, *, editor):
    serializer = ClaimSerializer(context={"editor": editor})
    return [serializer.generic_representation(claim) for claim in claims]


def as_before(user):
    """The claims as the views loaded them before as_shown."""
    return visible_claims(user).prefetch_related("topics")


def assert_same(ours, theirs):
    assert ours == theirs
    for a, b in zip(ours, theirs, strict=True):
        assert list(a) == list(b)  # key order
    assert JSONRenderer().render(ours) == JSONRenderer().render(theirs)


def test_the_register_covers_every_status_and_shape(register):
    claims = list(register.values())
    assert {claim.status for claim in claims} == set(Claim.Status.values)
    assert any(claim.claimant_id is None for claim in claims)
    assert any(claim.source_id is None for claim in claims) and any(claim.source_id for claim in claims)
    assert any(claim.duplicate_of_id for claim in claims) and any(claim.imported_from for claim in claims)
    assert any(claim.is_reader_tip and claim.tipster_email for claim in claims)
    assert any(claim.assignee_id for claim in claims) and any(claim.recheck_on for claim in claims)


@pytest.mark.parametrize("editor_context", [True, False], ids=["editor", "public"])
def test_each_claim_reads_as_the_generic_path_wrote_it(register, editor, editor_context,
                                                       django_assert_num_queries):
    pks = sorted(claim.pk for claim in register.values())
    shown = list(as_shown(visible_claims(editor)).filter(pk__in=pks).order_by("pk"))
    before = list(as_before(editor).filter(pk__in=pks).order_by("pk"))
    serializer = ClaimSerializer(context={"editor": editor_context})
    # What as_shown loaded is all it reads: no deferred column, no relation left to fetch.
    with django_assert_num_queries(0):
        ours = [serializer.to_representation(claim) for claim in shown]
    assert_same(ours, generic(before, editor=editor_context))
    # Claims loaded some other way (topics prefetched the usual way) read the same too.
    assert_same([serializer.to_representation(claim) for claim in before], generic(before, editor=editor_context))


def test_the_published_claim_reads_in_full(register, editor):
    claim = as_shown(visible_claims(editor)).get(pk=register["published with source, topics, quote and a "
                                                          "correction"].pk)
    data = ClaimSerializer(context={"editor": True}).to_representation(claim)
    # Pinned values, so that both paths being wrong in the same way would still fail.
    assert data["topics"] == [{"id": t.pk, "slug": t.slug, "name": t.name} for t in Topic.objects.filter(claims=claim)]
    assert {t["name"] for t in data["topics"]} == {"Budget", "Élections", "Frozen assets"}
    assert data["source"]["published_on"] == "2025-10-21"
    assert data["claim_date"] == "2025-10-20" and data["recheck_on"] == "2026-01-15"
    assert (data["quote_start"], data["quote_end"]) == (8, 42)
    assert data["published_verdict"]["rating"] == "half-true"
    assert data["published_verdict"]["correction_note"] == "The ministry revised its figures."
    assert data["published_at"].endswith("Z") and data["published_verdict"]["proposed_at"].endswith("Z")
    assert data["page_url"].endswith(f"/claims/{claim.pk}/{claim.slug}/")


def test_dates_keep_microseconds_and_utc_as_z(register, editor):
    claim = as_shown(visible_claims(editor)).get(pk=register["imported, rated without a value"].pk)
    verdict = ClaimSerializer(context={"editor": False}).to_representation(claim)["published_verdict"]
    assert verdict["proposed_at"] == "2025-09-01T12:30:15.123456Z"
    assert verdict["rating"] == "misleading" and verdict["rating_value"] is None


def test_the_public_never_reads_desk_fields(register, editor):
    tip = as_shown(visible_claims(editor)).get(pk=register["reader tip without claimant"].pk)
    data = ClaimSerializer(context={"editor": False}).to_representation(tip)
    assert data["claimant"] is None
    assert {name: data[name] for name in ClaimSerializer.Meta.editor_only} == dict.fromkeys(
        ClaimSerializer.Meta.editor_only)
    assert "reader@tips.example" not in JSONRenderer().render(data).decode()


# ---------------------------------------------------------------------------------------------------------
# Through the endpoints.


def expected_page(claims, *, editor):
    return JSONRenderer().render({"next": None, "previous": None, "results": generic(claims, editor=editor)})


def test_the_public_list_is_byte_for_byte_the_generic_one(register, api_client, django_assert_num_queries):
    # One: the page of claims (claimant, source, published verdict and its rating joined, topics aggregated).
    with django_assert_num_queries(1):
        response = api_client.get(f"{API}/claims/?page_size=50")
    assert response.status_code == 200
    claims = as_before(AnonymousUser()).order_by("-updated_at", "-id")
    assert len(claims) == 3  # published, reopened (still public) and imported
    assert response.content == expected_page(claims, editor=False)


def test_the_editors_list_is_byte_for_byte_the_generic_one(register, editor, django_assert_num_queries):
    client = token_client(editor)
    # The token (with its user), the user's and the groups' permissions, the page of claims with their topics.
    with django_assert_num_queries(4):
        response = client.get(f"{API}/claims/?page_size=50")
    assert response.status_code == 200
    claims = as_before(editor).order_by("-updated_at", "-id")
    assert len(claims) == len(register)
    assert response.content == expected_page(claims, editor=True)


def test_claim_detail_is_byte_for_byte_the_generic_one(register, editor, api_client, django_assert_num_queries):
    published = register["published with source, topics, quote and a correction"]
    # One: the claim with its claimant, source, verdict, rating and topics.
    with django_assert_num_queries(1):
        response = api_client.get(f"{API}/claims/{published.pk}/")
    (claim,) = as_before(AnonymousUser()).filter(pk=published.pk)
    assert response.content == JSONRenderer().render(generic([claim], editor=False)[0])

    tip = register["reader tip without claimant"]
    response = token_client(editor).get(f"{API}/claims/{tip.pk}/")
    (claim,) = as_before(editor).filter(pk=tip.pk)
    assert response.content == JSONRenderer().render(generic([claim], editor=True)[0])


@pytest.mark.parametrize("query", ["rating=", "q=", "claimant=&topic=", "unknown=1"])
def test_empty_or_unknown_filters_list_what_no_filter_does(register, api_client_with_token, query):
    # A request without a filter parameter skips the FilterSet; an empty or unknown one must change nothing.
    plain = api_client_with_token.get(f"{API}/claims/?page_size=50")
    filtered = api_client_with_token.get(f"{API}/claims/?page_size=50&{query}")
    assert filtered.status_code == 200
    assert filtered.json()["results"] == plain.json()["results"]
    assert len(plain.json()["results"]) == len(register)
