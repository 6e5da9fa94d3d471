"""The JSON API under /api/v1/. Views are thin: look the object up among what the caller may see, check the
role, validate the body, then call a workflow function (claims/workflow.py) or a read from permissions.py.

Errors are shaped in exceptions.py; the schema's error responses come from schema.py.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.decorators import api_view, authentication_classes, permission_classes, renderer_classes
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from claims import workflow
from claims.models import MAX_ID, Claim, Claimant, ClaimEvent, Rating
from claims.reference import LostRace, save_unique, unique_slug
from claims.workflow import EDITOR_PERMISSION, REVIEWER_PERMISSION, StaleVersion
from idempotency.keys import HEADER_PARAMETER, idempotent

from . import serializers as api
from .exceptions import Conflict, PreconditionRequired, etag
from .filters import ClaimFilter
from .pagination import CursorPage
from .parsers import StrictJSONParser
from .permissions import (
    is_editor,
    require,
    visible_claimants,
    visible_claims,
    visible_events,
    visible_evidence,
    visible_sources,
    visible_topics,
    visible_verdicts,
)
from .schema import (
    CLAIM_LIST_ERRORS,
    CREATE_ERRORS,
    IF_MATCH,
    LIST_ERRORS,
    READ_ERRORS,
    WORKFLOW_ERRORS,
    WRITE_ERRORS,
    errors,
)
from .throttles import AnonThrottle, UserThrottle


class APIBase(GenericAPIView):
    # Token first, so that a request without credentials gets 401 with a WWW-Authenticate header.
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    # Reads are open; writes need credentials (401). Roles are checked after the lookup, in each view.
    permission_classes = [IsAuthenticatedOrReadOnly]
    # DRF's JSON parser reads request.body, which enforces DATA_UPLOAD_MAX_MEMORY_SIZE (413, exceptions.py).
    parser_classes = [StrictJSONParser]
    renderer_classes = [JSONRenderer]
    throttle_classes = [AnonThrottle, UserThrottle]
    pagination_class = CursorPage
    filter_backends = []

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "editor": is_editor(self.request.user)}

    def paginated(self, queryset):
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def validated(self, serializer_class, instance=None, *, partial=False, data=None):
        serializer = serializer_class(instance, data=self.request.data if data is None else data, partial=partial,
                                      context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


# ---------------------------------------------------------------------------------------------------------
# Claims.


def expected_version(request, claim, data, *, required=True):
    """The claim version the caller says it is changing: its If-Match header, else ``version`` in the body.
    An If-Match that names another version is stale at once; a body version is checked by the workflow.
    Without either: 428, or None where the write needs no version (``required=False``: adding evidence)."""
    header = request.headers.get("If-Match")
    if header is None:
        if data.get("version") is None:
            if not required:
                data.pop("version", None)
                return None
            raise PreconditionRequired()
        return data.pop("version")
    data.pop("version", None)
    tags = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    if "*" in tags or etag(claim.version) in tags:
        return claim.version
    raise StaleVersion("The claim has changed since the version in If-Match. Read it again and retry.",
                       current=claim)


# Columns of the joined rows that no claim response shows. Each one is still fetched, converted and set on a
# model instance for every row; a verdict's analysis alone may run to 50,000 characters.
UNSHOWN = (
    "claimant__description", "claimant__same_as", "source__author", "source__language", "source__created_at",
    "published_verdict__claim", "published_verdict__analysis", "published_verdict__proposed_by",
    "published_verdict__proposed_by_name", "published_verdict__rating__label", "published_verdict__rating__value",
    "published_verdict__rating__definition", "published_verdict__rating__colour", "published_verdict__rating__order",
)


def as_shown(claims):
    """Claims loaded for ClaimSerializer: their topics in the same row (``topic_summaries``), and the joined
    rows without the columns it never shows."""
    return claims.with_topic_summaries().defer(*UNSHOWN)


TYPED_FILTERS = ("source", "status", "updated_after", "published_after")
# django-filter's schema leaves out the bounds the filter enforces (and calls it nullable).
SOURCE_FILTER = OpenApiParameter("source", {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                                 description="A source id.")


class ClaimFilterBackend(DjangoFilterBackend):
    # Without a filter parameter the FilterSet would build and validate an empty form only to hand the claims
    # back unchanged, for nearly a millisecond of a plain page's eleven.

    def filter_queryset(self, request, queryset, view):
        if request.query_params.keys().isdisjoint(view.filterset_class.base_filters):
            return queryset
        # django-filter reads an empty value as no filter at all: a sync client sending updated_after="" would
        # silently get everything. Typed filters must have a value.
        empty = [name for name in TYPED_FILTERS if request.query_params.get(name, None) == ""]
        if empty:
            raise ValidationError({name: ["This filter needs a value."] for name in empty})
        return super().filter_queryset(request, queryset, view)


class ClaimScoped(APIBase):
    # Endpoints under claims/{claim_id}/. The claim is looked up among those the caller may see.

    def get_claim(self):
        return get_object_or_404(visible_claims(self.request.user), pk=self.kwargs["claim_id"])

    def claim_response(self, claim, *, status_code=status.HTTP_200_OK, loaded=False):
        """The claim as the caller may see it, read again after a write unless ``loaded`` already."""
        if not loaded:
            claim = as_shown(visible_claims(self.request.user)).get(pk=claim.pk)
        headers = {"ETag": etag(claim.version)}
        if status_code == status.HTTP_201_CREATED:
            headers["Location"] = reverse("api:claim", args=[claim.pk])
        data = api.ClaimSerializer(claim, context=self.get_serializer_context()).data
        return Response(data, status=status_code, headers=headers)


@extend_schema(tags=["claims"])
class ClaimList(ClaimScoped):
    serializer_class = api.ClaimSerializer
    filter_backends = [ClaimFilterBackend]
    filterset_class = ClaimFilter
    cursor_ordering = ("-updated_at", "-id")

    def get_queryset(self):
        return as_shown(visible_claims(self.request.user))

    @extend_schema(summary="List claims",
                   description="Published claims for everybody; every claim for editors. Newest change first.",
                   parameters=[SOURCE_FILTER],
                   responses={200: api.ClaimSerializer(many=True), **errors(*CLAIM_LIST_ERRORS)})
    def get(self, request):
        return self.paginated(self.filter_queryset(self.get_queryset()))

    @extend_schema(summary="Capture a claim (editors)", parameters=[HEADER_PARAMETER],
                   description="The new claim is `new`; its ETag is in the headers.",
                   responses={201: api.ClaimSerializer, **errors(*CREATE_ERRORS, 409)})
    @idempotent
    def post(self, request):
        require(request.user, EDITOR_PERMISSION)
        data = self.validated(api.ClaimSerializer)
        claim = workflow.create_claim(actor=request.user, **data)
        return self.claim_response(claim, status_code=status.HTTP_201_CREATED)


@extend_schema(tags=["claims"])
class ClaimDetail(ClaimScoped):
    serializer_class = api.ClaimSerializer

    @extend_schema(summary="Read a claim", description="The ETag header carries the claim's version.",
                   responses={200: api.ClaimSerializer, **errors(*READ_ERRORS)})
    def get(self, request, claim_id):
        claim = get_object_or_404(as_shown(visible_claims(request.user)), pk=claim_id)
        return self.claim_response(claim, loaded=True)

    @extend_schema(summary="Edit a claim (editors)", parameters=[IF_MATCH],
                   description="Changes the claim's own fields; the response's ETag is its new version.",
                   request=api.ClaimEditSerializer,
                   responses={200: api.ClaimSerializer, **errors(*WORKFLOW_ERRORS)})
    @transaction.atomic  # the answer (body and ETag) shows this write, not a later one: the row stays locked
    def patch(self, request, claim_id):
        claim = self.get_claim()
        require(request.user, EDITOR_PERMISSION)
        data = self.validated(api.ClaimEditSerializer, claim, partial=True)
        version = expected_version(request, claim, data)
        claim = workflow.edit_claim(claim=claim, actor=request.user, version=version, **data)
        return self.claim_response(claim)


# ---------------------------------------------------------------------------------------------------------
# Evidence.


class EvidenceResponse:
    def evidence_response(self, evidence, *, status_code=status.HTTP_200_OK):
        evidence = visible_evidence(self.request.user).get(pk=evidence.pk)
        serializer = api.EvidenceChangeSerializer(evidence, context=self.get_serializer_context())
        return Response(serializer.data, status=status_code,
                        headers={"ETag": etag(evidence.claim.version)})


@extend_schema(tags=["evidence"])
class ClaimEvidence(EvidenceResponse, ClaimScoped):
    serializer_class = api.EvidenceSerializer
    cursor_ordering = ("added_at", "id")

    @extend_schema(summary="A claim's evidence",
                   description="For the public, a withheld item's url and archived_url are null.",
                   responses={200: api.EvidenceSerializer(many=True), **errors(*LIST_ERRORS)})
    def get(self, request, claim_id):
        return self.paginated(visible_evidence(request.user, self.get_claim()))

    @extend_schema(summary="Add evidence (editors)", parameters=[IF_MATCH, HEADER_PARAMETER],
                   description="Needs no version: two editors adding evidence at once both succeed. An If-Match "
                               "(or `version`) sent is still checked: stale, 412. The ETag of the response is the "
                               "claim's new version.",
                   request=api.EvidenceSerializer,
                   responses={201: api.EvidenceChangeSerializer, **errors(*WRITE_ERRORS, 409, 412, 422)})
    @transaction.atomic  # the answer (body and ETag) shows this write, not a later one: the row stays locked
    @idempotent
    def post(self, request, claim_id):
        claim = self.get_claim()
        require(request.user, EDITOR_PERMISSION)
        data = self.validated(api.EvidenceSerializer)
        version = expected_version(request, claim, data, required=False)
        evidence = workflow.add_evidence(claim=claim, actor=request.user, version=version, **data)
        return self.evidence_response(evidence, status_code=status.HTTP_201_CREATED)


class VersionQuery(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


@extend_schema(tags=["evidence"])
class EvidenceDetail(EvidenceResponse, APIBase):
    serializer_class = api.EvidenceSerializer

    def get_evidence(self):
        return get_object_or_404(visible_evidence(self.request.user), pk=self.kwargs["evidence_id"])

    @extend_schema(summary="Change evidence (editors)", parameters=[IF_MATCH],
                   description="If-Match carries the claim's ETag. The response's ETag is its new version.",
                   request=api.EvidenceSerializer,
                   responses={200: api.EvidenceChangeSerializer, **errors(*WORKFLOW_ERRORS)})
    @transaction.atomic  # the answer (body and ETag) shows this write, not a later one: the row stays locked
    def patch(self, request, evidence_id):
        evidence = self.get_evidence()
        require(request.user, EDITOR_PERMISSION)
        data = self.validated(api.EvidenceSerializer, evidence, partial=True)
        version = expected_version(request, evidence.claim, data)
        evidence = workflow.change_evidence(evidence=evidence, actor=request.user, version=version, **data)
        return self.evidence_response(evidence)

    @extend_schema(
        summary="Remove evidence (editors)",
        parameters=[IF_MATCH, OpenApiParameter("version", {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                                               description="The claim's version, without If-Match.")],
        description="If-Match carries the claim's ETag. The response's ETag is the claim's new version.",
        request=None, responses={204: None, **errors(*WORKFLOW_ERRORS)},
    )
    @transaction.atomic  # the answer (body and ETag) shows this write, not a later one: the row stays locked
    def delete(self, request, evidence_id):
        evidence = self.get_evidence()
        require(request.user, EDITOR_PERMISSION)
        query = self.validated(VersionQuery, data=request.query_params)
        version = expected_version(request, evidence.claim, query)
        claim = workflow.remove_evidence(evidence=evidence, actor=request.user, version=version)
        return Response(status=status.HTTP_204_NO_CONTENT, headers={"ETag": etag(claim.version)})


# ---------------------------------------------------------------------------------------------------------
# Verdicts and the workflow actions.


@extend_schema(tags=["verdicts"])
class ClaimVerdicts(ClaimScoped):
    serializer_class = api.VerdictSerializer
    cursor_ordering = ("-proposed_at", "-id")

    @extend_schema(summary="A claim's verdicts",
                   description="Every verdict for editors; for the public, those that were published.",
                   responses={200: api.VerdictSerializer(many=True), **errors(*LIST_ERRORS)})
    def get(self, request, claim_id):
        return self.paginated(visible_verdicts(request.user, self.get_claim()))

    @extend_schema(summary="Propose a verdict (editors)", parameters=[IF_MATCH, HEADER_PARAMETER],
                   description="researching → in_review. Needs at least one evidence item.",
                   request=api.VerdictSerializer,
                   responses={201: api.VerdictChangeSerializer, **errors(*WORKFLOW_ERRORS, 422)})
    @transaction.atomic  # the answer (body and ETag) shows this write, not a later one: the row stays locked
    @idempotent
    def post(self, request, claim_id):
        claim = self.get_claim()
        require(request.user, EDITOR_PERMISSION)
        data = self.validated(api.VerdictSerializer)
        version = expected_version(request, claim, data)
        verdict = workflow.propose_verdict(claim=claim, actor=request.user, version=version, **data)
        data = api.VerdictChangeSerializer(verdict, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED,
                        headers={"ETag": etag(verdict.claim.version)})


@extend_schema(tags=["workflow"])
class ClaimAction(ClaimScoped):
    # POST claims/{id}/<action>/: one workflow operation. Answers the claim as it is afterwards.

    permission = REVIEWER_PERMISSION

    def perform(self, **kwargs):
        raise NotImplementedError

    @extend_schema(parameters=[IF_MATCH], responses={200: api.ClaimSerializer, **errors(*WORKFLOW_ERRORS)})
    @transaction.atomic  # the answer (body and ETag) shows this write, not a later one: the row stays locked
    def post(self, request, claim_id):
        claim = self.get_claim()
        require(request.user, self.permission)
        data = self.validated(self.get_serializer_class())
        version = expected_version(request, claim, data)
        claim = self.perform(claim=claim, actor=request.user, version=version, **data)
        return self.claim_response(claim)


@extend_schema_view(post=extend_schema(summary="Start research (editors)",
                                       description="new → researching, assigned to you or to `assignee`."))
class StartClaim(ClaimAction):
    permission = EDITOR_PERMISSION
    serializer_class = api.StartSerializer

    def perform(self, **kwargs):
        return workflow.start_research(**kwargs)


@extend_schema_view(post=extend_schema(
    summary="Approve the pending verdict (reviewers)",
    description="Never by the verdict's proposer (409 own_verdict). The last required approval publishes it; "
                "replacing a published verdict needs a correction note."))
class ApproveClaim(ClaimAction):
    serializer_class = api.ApproveSerializer

    def perform(self, **kwargs):
        return workflow.approve(**kwargs)


@extend_schema_view(post=extend_schema(summary="Send back to research (reviewers)",
                                       description="in_review → researching, with a note for the proposer."))
class SendBackClaim(ClaimAction):
    serializer_class = api.SendBackSerializer

    def perform(self, **kwargs):
        return workflow.send_back(**kwargs)


@extend_schema_view(post=extend_schema(
    summary="Reopen (reviewers)",
    description="published → researching (the published verdict stays public until a correction replaces it); "
                "closed → new."))
class ReopenClaim(ClaimAction):
    serializer_class = api.ReopenSerializer

    def perform(self, **kwargs):
        return workflow.reopen(**kwargs)


@extend_schema_view(post=extend_schema(
    summary="Approve a public claim's pending changes (reviewers)",
    description="Publishes the edits waiting in `pending_changes`, and evidence and appearance changes, with a "
                "note for readers (a public `updated` event; the ClaimReview gets `dateModified`). Never by "
                "someone who made one of the changes (409 own_change); `REQUIRED_APPROVALS` apply."))
class ApproveUpdate(ClaimAction):
    serializer_class = api.ApproveUpdateSerializer

    def perform(self, **kwargs):
        return workflow.approve_update(**kwargs)


@extend_schema_view(post=extend_schema(
    summary="Discard a public claim's pending changes (editors)",
    description="The claim, its evidence and appearances go back to what readers see."))
class DiscardDraft(ClaimAction):
    permission = EDITOR_PERMISSION
    serializer_class = api.ActionSerializer

    def perform(self, **kwargs):
        return workflow.discard_draft(**kwargs)


@extend_schema_view(post=extend_schema(
    summary="Close (reviewers; editors a new reader tip)",
    description="new or researching → closed, with a reason. An editor who is not a reviewer may close a new "
                "reader tip as not checkable, duplicate or out of scope; anything else answers 403."))
class CloseClaim(ClaimAction):
    permission = EDITOR_PERMISSION  # the workflow checks the rest of the role rule
    serializer_class = api.CloseSerializer

    def perform(self, **kwargs):
        return workflow.close(**kwargs)


@extend_schema(tags=["history"])
class ClaimHistory(ClaimScoped):
    serializer_class = api.EventSerializer
    cursor_ordering = ("at", "id")

    @extend_schema(summary="A claim's history, oldest first",
                   description="Public events for everybody; every event for editors.",
                   responses={200: api.EventSerializer(many=True), **errors(*LIST_ERRORS)})
    def get(self, request, claim_id):
        return self.paginated(visible_events(request.user, self.get_claim()))


# ---------------------------------------------------------------------------------------------------------
# Reference data: plain saves, editors only. The public sees the claimants, sources and topics of published
# claims.


class ReferenceList(APIBase):
    visible = None  # the read from permissions.py
    permission = None  # needed to add one

    def get_queryset(self):
        return type(self).visible(self.request.user)

    def get(self, request):
        return self.paginated(self.get_queryset())

    @idempotent
    def post(self, request):
        require(request.user, self.permission)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        saved = save_reference(serializer, lambda: self.get_serializer(data=request.data),
                               lambda data: self.defaults(data))
        return Response(saved.data, status=status.HTTP_201_CREATED)

    def defaults(self, data):
        return {}


class ReferenceDetail(APIBase):
    visible = None
    permission = None  # needed to change one

    def get_queryset(self):
        return type(self).visible(self.request.user)

    def get(self, request, **kwargs):
        return Response(self.get_serializer(self.get_object()).data)

    def patch(self, request, **kwargs):
        instance = self.get_object()
        require(request.user, self.permission)
        serializer = self.get_serializer(instance, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        saved = save_reference(serializer, lambda: self.get_serializer(instance, data=request.data, partial=True))
        return Response(saved.data)


def save_reference(serializer, fresh, defaults=lambda data: {}):
    """Save a validated reference serializer. When a concurrent save takes one of its unique values first, a
    ``fresh()`` serializer validates the input again: a value the client chose now collides with the winner
    and is a 400 naming the field; a slug made from a name is made again (claims/reference.py)."""
    current = [serializer]

    def save():
        current[0].save(**defaults(current[0].validated_data))
        return current[0]

    def revalidate():
        current[0] = fresh()
        current[0].is_valid(raise_exception=True)

    try:
        return save_unique(save, revalidate=revalidate)
    except LostRace as exc:
        raise Conflict(str(exc)) from None


def reference_list_schema(noun, serializer):
    return extend_schema_view(
        get=extend_schema(summary=f"List {noun}s", responses={200: serializer(many=True), **errors(*LIST_ERRORS)}),
        post=extend_schema(summary=f"Add a {noun} (editors)", parameters=[HEADER_PARAMETER],
                           responses={201: serializer, **errors(*CREATE_ERRORS)}),
    )


def reference_detail_schema(noun, serializer):
    return extend_schema_view(
        get=extend_schema(summary=f"Read a {noun}", responses={200: serializer, **errors(*READ_ERRORS)}),
        patch=extend_schema(summary=f"Edit a {noun} (editors)",
                            responses={200: serializer, **errors(*WRITE_ERRORS)}),
    )


@extend_schema(tags=["claimants"])
@reference_list_schema("claimant", api.ClaimantSerializer)
class ClaimantList(ReferenceList):
    serializer_class = api.ClaimantSerializer
    visible = staticmethod(visible_claimants)
    permission = "claims.add_claimant"
    cursor_ordering = ("name", "id")

    def defaults(self, data):
        return {} if data.get("slug") else {"slug": unique_slug(Claimant, data["name"], fallback="claimant")}


@extend_schema(tags=["claimants"])
@reference_detail_schema("claimant", api.ClaimantSerializer)
class ClaimantDetail(ReferenceDetail):
    serializer_class = api.ClaimantSerializer
    visible = staticmethod(visible_claimants)
    permission = "claims.change_claimant"
    lookup_url_kwarg = "claimant_id"




@extend_schema(tags=["sources"])
@reference_list_schema("source", api.SourceSerializer)
class SourceList(ReferenceList):
    serializer_class = api.SourceSerializer
    visible = staticmethod(visible_sources)
    permission = "claims.add_source"
    cursor_ordering = ("-created_at", "-id")


@extend_schema(tags=["sources"])
@reference_detail_schema("source", api.SourceSerializer)
class SourceDetail(ReferenceDetail):
    serializer_class = api.SourceSerializer
    visible = staticmethod(visible_sources)
    permission = "claims.change_source"
    lookup_url_kwarg = "source_id"


@extend_schema(tags=["topics"])
@reference_list_schema("topic", api.TopicSerializer)
class TopicList(ReferenceList):
    serializer_class = api.TopicSerializer
    visible = staticmethod(visible_topics)
    permission = "claims.add_topic"
    cursor_ordering = ("name", "id")


@extend_schema(tags=["topics"])
@reference_detail_schema("topic", api.TopicSerializer)
class TopicDetail(ReferenceDetail):
    serializer_class = api.TopicSerializer
    visible = staticmethod(visible_topics)
    permission = "claims.change_topic"
    lookup_url_kwarg = "topic_id"


@extend_schema(tags=["ratings"])
class RatingList(APIBase):
    serializer_class = api.RatingSerializer
    cursor_ordering = ("order", "id")

    @extend_schema(summary="The rating scale", responses={200: api.RatingSerializer(many=True),
                                                          **errors(*LIST_ERRORS)})
    def get(self, request):
        return self.paginated(Rating.objects.all())


@extend_schema(tags=["claims"])
class SimilarClaims(APIBase):
    serializer_class = api.SimilarClaimSerializer
    pagination_class = None

    @extend_schema(
        summary="Claims that look like a text (duplicate suggestions)",
        description="Up to 5 claims whose text resembles `text`, best first, each with a `similarity` from 0 "
                    "to 1: the desk's near-duplicate warning. Anonymous clients see published claims only.",
        parameters=[OpenApiParameter("text", {"type": "string", "pattern": r"\S",
                                              "maxLength": settings.CLAIM_TEXT_HARD_LIMIT}, required=True,
                                     description="The wording of a new claim: more than spaces.")],
        responses={
            200: inline_serializer("SimilarClaims", {"results": api.SimilarClaimSerializer(many=True)}),
            **errors(*READ_ERRORS, 400),
        },
    )
    def get(self, request):
        text = request.query_params.get("text", "").strip()
        if not text:
            raise ValidationError({"text": ["The wording to compare with is required."]})
        if len(text) > settings.CLAIM_TEXT_HARD_LIMIT:
            raise ValidationError({"text": [f"A claim is at most {settings.CLAIM_TEXT_HARD_LIMIT} characters."]})
        claims = visible_claims(request.user).similar_to(text)
        return Response({"results": self.get_serializer(claims, many=True).data})


@extend_schema(tags=["claimreview"])
class ClaimReviewList(APIBase):
    serializer_class = api.ClaimReviewSerializer
    cursor_ordering = ("-published_at", "-id")

    @extend_schema(summary="ClaimReview JSON-LD of every published claim",
                   description="The same documents the public fact-check pages embed, newest first.",
                   responses={200: api.ClaimReviewSerializer(many=True), **errors(*LIST_ERRORS)})
    def get(self, request):
        # dateModified: the latest correction or approved update.
        corrections = ClaimEvent.objects.filter(claim=OuterRef("pk"),
                                                kind__in=[ClaimEvent.Kind.CORRECTED, ClaimEvent.Kind.UPDATED])
        claims = Claim.objects.public().annotate(
            corrected_at=Subquery(corrections.order_by("-at", "-id").values("at")[:1])
        )
        return self.paginated(claims)


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@authentication_classes([])
@permission_classes([])
@renderer_classes([JSONRenderer])
def not_found(request, path=""):
    """Unknown paths under /api/v1/ answer JSON too."""
    raise NotFound("No such endpoint. The API's endpoints are listed at /api/docs/.")
