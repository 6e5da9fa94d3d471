"""ClaimReview JSON-LD: parsed out of the rendered fact-check page and checked field by field against
DESIGN.md and Google's fact-check fields."""

import datetime
import json
import re

import pytest

from claims import jsonld, workflow
from claims.tests.factories import ClaimantFactory, SourceFactory, published_claim, rating

pytestmark = pytest.mark.django_db

SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def review_on_page(client, claim):
    page = client.get(claim.get_absolute_url()).content.decode()
    blocks = SCRIPT.findall(page)
    assert len(blocks) == 1, f"expected exactly one ClaimReview block, found {len(blocks)}"
    assert page.count("application/ld+json") == 1
    return json.loads(blocks[0]), page


def correct(claim, *, editor, reviewer, rating_slug, note):
    claim = workflow.reopen(claim=claim, actor=reviewer, version=claim.version, reason="New data")
    workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating(rating_slug),
                             summary="Revised summary.", correction_note=note)
    claim.refresh_from_db()
    return workflow.approve(claim=claim, actor=reviewer, version=claim.version)


@pytest.fixture
def lavrov_claim(editor, reviewer):
    claimant = ClaimantFactory(name="Sergey Lavrov", kind="person", same_as="https://en.wikipedia.org/wiki/Sergey_Lavrov")
    source = SourceFactory(url="https://news.example/briefing")
    return published_claim(actor=editor, approver=reviewer, text="Assets total 300 billion euros",
                           claimant=claimant, source=source, claim_date=datetime.date(2025, 10, 21),
                           rating_slug="mostly-false")


def test_ordinal_rating_is_complete_and_matches_the_page(anonymous, lavrov_claim, settings):
    data, page = review_on_page(anonymous, lavrov_claim)

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "ClaimReview"
    assert data["claimReviewed"] == "Assets total 300 billion euros"
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', page).group(1)
    assert data["url"] == canonical == settings.SITE_URL + lavrov_claim.get_absolute_url()
    assert data["author"] == {"@type": "Organization", "name": settings.ORGANIZATION_NAME, "url": settings.SITE_URL}
    assert data["datePublished"] == lavrov_claim.published_at.date().isoformat()
    assert "dateModified" not in data

    assert data["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Mostly false",
        "ratingValue": 2,
        "bestRating": 5,
        "worstRating": 1,
        "ratingExplanation": "The figure is wrong.",
    }
    assert data["itemReviewed"] == {
        "@type": "Claim",
        "author": {"@type": "Person", "name": "Sergey Lavrov", "sameAs": "https://en.wikipedia.org/wiki/Sergey_Lavrov"},
        "datePublished": "2025-10-21",
        "appearance": {"@type": "CreativeWork", "url": "https://news.example/briefing"},
    }
    # What the block says is what the page shows.
    assert "Assets total 300 billion euros" in page
    assert "Verdict: </span>Mostly false" in page
    assert "The figure is wrong." in page


@pytest.mark.parametrize("slug, label", [("misleading", "Misleading"), ("unsupported", "Unsupported")])
def test_non_ordinal_rating_carries_only_its_name(anonymous, editor, reviewer, slug, label):
    claim = published_claim(actor=editor, approver=reviewer, rating_slug=slug)
    data, _ = review_on_page(anonymous, claim)
    assert data["reviewRating"] == {"@type": "Rating", "alternateName": label,
                                    "ratingExplanation": "The figure is wrong."}


@pytest.mark.parametrize("slug, value", [("true", 5), ("mostly-true", 4), ("half-true", 3), ("false", 1)])
def test_each_ordinal_rating_has_its_value(anonymous, editor, reviewer, slug, value):
    data, _ = review_on_page(anonymous, published_claim(actor=editor, approver=reviewer, rating_slug=slug))
    assert data["reviewRating"]["ratingValue"] == value
    assert (data["reviewRating"]["bestRating"], data["reviewRating"]["worstRating"]) == (5, 1)


def test_organisation_claimant_without_same_as_or_source_url(anonymous, editor, reviewer):
    claimant = ClaimantFactory(name="The Kremlin", kind="organization", same_as="")
    claim = published_claim(actor=editor, approver=reviewer, claimant=claimant, source=SourceFactory(url=""))
    data, _ = review_on_page(anonymous, claim)
    assert data["itemReviewed"] == {"@type": "Claim", "author": {"@type": "Organization", "name": "The Kremlin"}}


def test_date_modified_appears_after_a_correction_and_follows_the_new_verdict(anonymous, editor, reviewer,
                                                                             lavrov_claim):
    claim = correct(lavrov_claim, editor=editor, reviewer=reviewer, rating_slug="misleading", note="New data.")
    data, page = review_on_page(anonymous, claim)
    corrected = claim.events.get(kind="corrected")
    assert data["dateModified"] == corrected.at.isoformat()
    assert data["datePublished"] == claim.published_at.date().isoformat()  # unchanged by the correction
    assert data["reviewRating"] == {"@type": "Rating", "alternateName": "Misleading",
                                    "ratingExplanation": "Revised summary."}
    assert "Verdict: </span>Misleading" in page and "Revised summary." in page


def test_date_modified_is_the_latest_of_several_corrections(anonymous, editor, reviewer, lavrov_claim):
    claim = correct(lavrov_claim, editor=editor, reviewer=reviewer, rating_slug="true", note="One.")
    claim = correct(claim, editor=editor, reviewer=reviewer, rating_slug="half-true", note="Two.")
    data, _ = review_on_page(anonymous, claim)
    latest = claim.events.filter(kind="corrected").order_by("-at", "-id").first()
    assert data["dateModified"] == latest.at.isoformat()
    assert data["reviewRating"]["ratingValue"] == 3


@pytest.mark.parametrize("payload", [
    '</script><script>alert("x")</script>',
    "</SCRIPT ><img src=x onerror=alert(1)>",
    "<!-- <script> -->",
    "Tom & Jerry’s “quote” \u2028 line",
])
def test_a_claim_text_cannot_break_out_of_the_script_block(anonymous, editor, reviewer, payload):
    claim = published_claim(actor=editor, approver=reviewer, text=payload[:200])
    data, page = review_on_page(anonymous, claim)
    assert data["claimReviewed"] == payload[:200]
    block = SCRIPT.search(page).group(1)
    assert "<" not in block and ">" not in block and "&" not in block
    assert "<script>alert" not in page and "<img src=x" not in page


def test_builder_needs_no_query_when_given_the_correction_date(editor, reviewer, django_assert_num_queries):
    from claims.models import Claim

    claim = Claim.objects.public().get(pk=published_claim(actor=editor, approver=reviewer).pk)
    with django_assert_num_queries(0):
        review = jsonld.claim_review(claim, corrected_at=None)
        jsonld.claim_review(claim, datetime.datetime(2025, 11, 1, tzinfo=datetime.UTC))
    assert review["@type"] == "ClaimReview"
