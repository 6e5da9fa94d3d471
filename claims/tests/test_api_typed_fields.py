"""The API's JSON fields have shapes of their own in the schema (EventChanges, PendingChanges, the ClaimReview's
JSON-LD), so that a generated client gets models. Every response here is validated against the schema
(conftest.py), and each key a change can hold is one the schema names and types, not the catch-all."""

import datetime

import pytest

from claims import workflow
from claims.tests.factories import TopicFactory, published_claim, rating, researching_claim
from reviews.tests.conftest import google_claim, run_import, write

from .schema_check import api_schema


def declared_changes():
    return set(api_schema()["components"]["schemas"]["EventChanges"]["properties"])


def history(client, claim):
    response = client.get(f"/api/v1/claims/{claim.pk}/history/?page_size=100")
    assert response.status_code == 200
    return response.json()["results"]


def fresh(claim):
    claim.refresh_from_db()
    return claim


@pytest.fixture
def every_kind_of_change(editor, reviewer, other_reviewer):
    """A claim through every operation that records changes, and an import that notes others' reviews."""
    claim = researching_claim(actor=editor)
    workflow.edit_claim(claim=claim, actor=editor, version=claim.version, text="Frozen assets total 300 billion",
                        claim_date=datetime.date(2025, 10, 21), recheck_on=datetime.date(2026, 1, 1),
                        topics=[TopicFactory(name="Sanctions")])
    evidence = claim.evidence.get()
    workflow.change_evidence(evidence=evidence, actor=editor, version=fresh(claim).version, withheld=True,
                             withheld_reason="Protects the source", title="Ministry figures")
    added = workflow.add_evidence(claim=fresh(claim), actor=editor, version=claim.version, title="Second",
                                  url="https://news.example/2", stance="supports")
    workflow.remove_evidence(evidence=added, actor=editor, version=fresh(claim).version)
    workflow.add_appearance(claim=fresh(claim), actor=editor, version=claim.version, url="https://tv.example/1",
                            outlet="TV")
    workflow.assign(claim=fresh(claim), actor=editor, version=claim.version, assignee=reviewer)
    workflow.propose_verdict(claim=fresh(claim), actor=editor, version=claim.version, rating=rating("false"),
                             summary="No.")
    workflow.approve(claim=fresh(claim), actor=other_reviewer, version=claim.version)
    # Reopened after publication: a drafted edit and evidence, approved as an update.
    workflow.reopen(claim=fresh(claim), actor=reviewer, version=claim.version, reason="New figures")
    workflow.edit_claim(claim=fresh(claim), actor=editor, version=claim.version, quote="Exactly so.")
    workflow.add_evidence(claim=fresh(claim), actor=editor, version=claim.version, title="Third",
                          url="https://news.example/3", stance="refutes")
    workflow.add_appearance(claim=fresh(claim), actor=editor, version=claim.version, url="https://tv.example/2")
    workflow.approve_update(claim=fresh(claim), actor=reviewer, version=claim.version, note="Quote made exact.")
    closed = researching_claim(actor=editor, text="Lavrov spoke first")
    workflow.close(claim=closed, actor=reviewer, version=closed.version, reason="duplicate", duplicate_of=claim)
    workflow.reopen(claim=fresh(closed), actor=reviewer, version=closed.version, reason="Not the same claim")
    return claim, closed


def test_every_change_an_event_records_is_a_typed_field_of_the_schema(every_kind_of_change, api_client_with_token,
                                                                     tmp_path):
    claim, closed = every_kind_of_change
    events = history(api_client_with_token, claim) + history(api_client_with_token, closed)
    # Others' reviews: one added to a claim of ours ([null, the review]), then changed (the review's address).
    run_import(write(tmp_path, [google_claim(1, text=claim.text)]))
    run_import(write(tmp_path, [google_claim(1, text=claim.text, claimReview=[{
        "publisher": {"name": "Full Fact", "site": "fullfact.org"}, "url": "https://fullfact.org/checks/1",
        "reviewDate": "2025-11-02T10:00:00Z", "textualRating": "Misleading", "languageCode": "en"}])]))
    events += history(api_client_with_token, claim)[-2:]
    keys = {key for event in events for key in event["changes"]}
    assert keys <= declared_changes(), keys - declared_changes()
    # The operations above write these; a key the schema lost, or an operation that stopped writing, fails here.
    assert keys >= {"text", "claim_date", "recheck_on", "topics", "evidence", "evidence_id", "withheld",
                    "withheld_reason", "title", "appearance", "appearances", "assignee", "quote", "close_reason",
                    "duplicate_of", "external_review", "textual_rating", "review_date"}


def test_pending_changes_are_typed_and_match_their_schema(editor, reviewer, other_reviewer, api_client_with_token):
    claim = published_claim(actor=editor, approver=other_reviewer)
    topic = TopicFactory()
    workflow.edit_claim(claim=claim, actor=editor, version=claim.version, text="Reworded",
                        claim_date=datetime.date(2025, 10, 20), topics=[topic])
    response = api_client_with_token.get(f"/api/v1/claims/{claim.pk}/")
    assert response.json()["pending_changes"] == {"text": "Reworded", "claim_date": "2025-10-20",
                                                  "topics": [topic.pk]}
    properties = api_schema()["components"]["schemas"]["PendingChanges"]["properties"]
    assert set(properties) == set(workflow.PUBLIC_CLAIM_FIELDS)


def test_others_claimreviews_match_the_typed_json_ld(tmp_path, editor, other_reviewer, anonymous):
    published_claim(actor=editor, approver=other_reviewer)
    run_import(write(tmp_path, [google_claim(1), google_claim(2, claimant="x.com", language="ar", rating="مضلل")]))
    response = anonymous.get("/api/v1/claimreview/?include=others")  # validated against ClaimReview
    assert response.status_code == 200
    results = response.json()["results"]
    theirs = [review for review in results if "publisher" in review]
    ours = [review for review in results if "publisher" not in review]
    assert len(theirs) == 2 and len(ours) == 1
    assert ours[0]["datePublished"] == datetime.date.fromisoformat(ours[0]["datePublished"]).isoformat()
    assert all(datetime.datetime.fromisoformat(review["datePublished"]).tzinfo for review in theirs)
    assert {review["itemReviewed"]["author"]["@type"] for review in theirs} == {"Person", "Organization"}
