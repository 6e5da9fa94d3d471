"""Others' reviews as ClaimReview JSON-LD: each under its own publisher (``author``), its own ``url`` and its
own language, never ours. Only for API clients that ask (``/api/v1/claimreview/?include=others``); our pages
embed only our own reviews, as Google's guidelines allow ClaimReview only for one's own."""

from .parsing import platform_or_unnamed


def _organisation(review):
    site = review.publisher.site
    organisation = {"@type": "Organization"}
    if review.publisher_name:
        organisation["name"] = review.publisher_name
    if site:
        organisation["url"] = f"https://{site}"
    if len(organisation) == 1:
        organisation["name"] = review.publisher.name
    return organisation


def external_claim_review(review):
    """The ClaimReview of ``review`` (with its publisher loaded), field by field as imported: a re-import of it
    gives the same record."""
    rating = {"@type": "Rating"}
    if review.textual_rating:
        rating["alternateName"] = review.textual_rating
    for field, name in (("rating_value", "ratingValue"), ("best_rating", "bestRating"),
                        ("worst_rating", "worstRating")):
        if getattr(review, field) is not None:
            rating[name] = getattr(review, field)
    if review.rating_explanation:
        rating["ratingExplanation"] = review.rating_explanation
    item = {"@type": "Claim"}
    if review.claimant_name:
        author = {"@type": "Organization" if platform_or_unnamed(review.claimant_name) else "Person",
                  "name": review.claimant_name}
        if review.claimant_same_as:
            author["sameAs"] = review.claimant_same_as
        item["author"] = author
    if review.claim_date:
        item["datePublished"] = review.claim_date.isoformat()
    if review.appearance_url:
        item["appearance"] = {"@type": "CreativeWork", "url": review.appearance_url}
    document = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": review.url,
        "claimReviewed": review.claim_reviewed,
        "author": _organisation(review),
        "publisher": _organisation(review),
        "reviewRating": rating,
        "itemReviewed": item,
    }
    if review.language:
        document["inLanguage"] = review.language
    if review.review_date:
        document["datePublished"] = review.review_date.isoformat().replace("+00:00", "Z")
    if review.headline:
        document["headline"] = review.headline
    return document
