"""``/api/v1/claimreview/`` with ``?include=others``: our ClaimReviews and, beside them, others' reviews, each
under its own author, url, publisher and inLanguage. Without the parameter the endpoint is claims' own, ours
only. Served from here (its path is listed before claims.api.urls) so that claims/ knows nothing of this app."""

from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError

from claims.api.schema import LIST_ERRORS, errors
from claims.api.serializers import ClaimReviewSerializer
from claims.api.views import ClaimReviewList as OurClaimReviews
from claims.jsonld import claim_review
from claims.models import Claim, ClaimEvent

from .jsonld import external_claim_review
from .models import ExternalReview

INCLUDE = OpenApiParameter(
    "include", str, enum=["others"], required=False,
    description="`others`: also list other publishers' reviews of the same claims, each with its own `author`, "
                "`url`, `publisher` and `inLanguage` (ordered by claim, newest first; a page holds up to "
                "`page_size` claims). Without it: our own reviews only.",
)


class ClaimReviewList(OurClaimReviews):
    @extend_schema(summary="ClaimReview JSON-LD of every published claim (and others' reviews, when asked)",
                   description="Our own fact-checks, newest first: the documents the public pages embed. With "
                               "`include=others`, other publishers' reviews too, each under its own name.",
                   parameters=[INCLUDE],
                   responses={200: ClaimReviewSerializer(many=True), **errors(*LIST_ERRORS)})
    def get(self, request):
        include = request.query_params.get("include", "")
        if include not in ("", "others"):
            raise ValidationError({"include": ["Give include=others, or leave it out."]})
        if not include:
            return super().get(request)
        self.cursor_ordering = ("-id",)
        theirs = ExternalReview.objects.filter(claim=OuterRef("pk"))
        claims = Claim.objects.filter(Q(published_verdict__isnull=False) | Exists(theirs)).only("id").prefetch_related(
            Prefetch("external_reviews", queryset=ExternalReview.objects.listed(), to_attr="theirs"))
        page = self.paginate_queryset(claims)
        ours = self.ours([claim.pk for claim in page])
        results = []
        for claim in page:
            if claim.pk in ours:
                results.append(claim_review(ours[claim.pk], corrected_at=ours[claim.pk].corrected_at))
            results.extend(external_claim_review(review) for review in claim.theirs)
        return self.get_paginated_response(results)

    @staticmethod
    def ours(ids):
        """{id: claim} of those of ``ids`` that we published, read as the endpoint reads them without others."""
        corrections = ClaimEvent.objects.filter(claim=OuterRef("pk"), kind=ClaimEvent.Kind.CORRECTED)
        return Claim.objects.public().filter(pk__in=ids).annotate(
            corrected_at=Subquery(corrections.order_by("-at", "-id").values("at")[:1])).in_bulk()
