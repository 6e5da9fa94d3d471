"""ClaimReview JSON-LD, built once for the fact-check page and the API export alike.

Fields follow Google's fact-check guidelines as DESIGN.md lists them. The builder reads only what a
public claim carries (``Claim.objects.public()`` selects it), so it never runs a query of its own
except for the correction date, which callers may pass in to avoid one.
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

# What Django's json_script escapes: no value can close the <script> element or open a comment in it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def claim_url(claim):
    return settings.SITE_URL + claim.get_absolute_url()


def claim_review(claim, corrected_at=None):
    """The ClaimReview of a public claim. ``corrected_at``, the time of its latest correction, adds
    ``dateModified``."""
    verdict = claim.published_verdict
    rating = {"@type": "Rating", "alternateName": verdict.rating_label}
    if verdict.rating_value is not None:
        rating.update(ratingValue=verdict.rating_value, bestRating=5, worstRating=1)
    item = {"@type": "Claim"}
    if claim.claimant is not None:
        author = {"@type": "Person" if claim.claimant.kind == "person" else "Organization",
                  "name": claim.claimant.name}
        if claim.claimant.same_as:
            author["sameAs"] = claim.claimant.same_as
        item["author"] = author
    if claim.claim_date:
        item["datePublished"] = claim.claim_date.isoformat()
    if claim.source and claim.source.url:
        item["appearance"] = {"@type": "CreativeWork", "url": claim.source.url}
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": claim_url(claim),
        "claimReviewed": claim.text,
        "inLanguage": claim.language,
        "author": {"@type": "Organization", "name": settings.ORGANIZATION_NAME, "url": settings.SITE_URL},
        "datePublished": claim.published_at.date().isoformat(),
        "reviewRating": {**rating, "ratingExplanation": verdict.summary},
        "itemReviewed": item,
    }
    if corrected_at is not None:
        review["dateModified"] = corrected_at.isoformat()
    return review


def script_tag(data):
    """``data`` as one ``<script type="application/ld+json">`` element. ``<``, ``>`` and ``&`` are
    escaped inside the JSON (as Django's json_script does), so a claim text holding ``</script>``
    stays a string and never ends the element."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))
