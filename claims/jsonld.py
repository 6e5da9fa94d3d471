"""ClaimReview JSON-LD, built once for the fact-check page and the API export alike.

Fields follow Google's fact-check guidelines as DESIGN.md lists them. The builder reads only what a
public claim carries (``Claim.objects.public()`` selects it), so it never runs a query of its own
except for the correction date, which callers may pass in to avoid one.
"""

from django.conf import settings


def claim_url(claim):
    return settings.SITE_URL + claim.get_absolute_url()


def claim_review(claim, *, corrected_at=None):
    verdict = claim.published_verdict
    rating = {"@type": "Rating", "alternateName": verdict.rating_label}
    if verdict.rating_value is not None:
        rating.update(ratingValue=verdict.rating_value, bestRating=5, worstRating=1)
    author = {"@type": "Person" if claim.claimant.kind == "person" else "Organization", "name": claim.claimant.name}
    if claim.claimant.same_as:
        author["sameAs"] = claim.claimant.same_as
    item = {"@type": "Claim", "author": author}
    if claim.claim_date:
        item["datePublished"] = claim.claim_date.isoformat()
    if claim.source and claim.source.url:
        item["appearance"] = {"@type": "CreativeWork", "url": claim.source.url}
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": claim_url(claim),
        "claimReviewed": claim.text,
        "author": {"@type": "Organization", "name": settings.ORGANIZATION_NAME, "url": settings.SITE_URL},
        "datePublished": claim.published_at.date().isoformat(),
        "reviewRating": {**rating, "ratingExplanation": verdict.summary},
        "itemReviewed": item,
    }
    if corrected_at is not None:
        review["dateModified"] = corrected_at.isoformat()
    return review
