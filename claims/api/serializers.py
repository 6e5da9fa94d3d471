"""The API's shapes. Serializers validate input and render output; every rule lives in claims/workflow.py.

Every response has the same keys for every caller. Fields named in ``Meta.editor_only`` are ``null`` for
callers who are not editors: a tipster's e-mail, a withheld evidence URL, the full source text, internal
history. Related objects are written as ids and read as small nested objects.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.validators import RegexValidator, URLValidator
from django.db import models as db_models
from django.utils import timezone
from django.utils.functional import cached_property
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject
from rest_framework.validators import UniqueValidator

from claims import models
from claims.jsonld import claim_review, claim_url
from claims.models import MAX_ID, Claim, Claimant, ClaimEvent, Evidence, Rating, Source, Topic, Verdict, http_url, limit
from claims.people import display_name
from claims.rendering import render_markdown
from claims.workflow import has_visible_text

# The notes and reasons of workflow actions become the event's note: its limit is theirs.
NOTE_LIMIT = limit(ClaimEvent, "note")
bcp47 = RegexValidator(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$", "Enter a BCP-47 language tag, e.g. en or pt-BR.")


def visible_text(value):
    # As the workflow counts it: spaces, zero-width characters and bidi marks alone are not text. Checked here
    # too so that a request hears of it together with every other field's error.
    if not has_visible_text(value):
        raise serializers.ValidationError("This field may not be blank: invisible characters do not count.",
                                          code="blank")


# DRF's own date output (ISO 8601 unless settings say otherwise), for the hand-written read paths.
DATE = serializers.DateField()


class SummaryRelatedField(serializers.PrimaryKeyRelatedField):
    # Written as an id; read as ``summary``, a small nested object, so that list readers need no second call.

    def __init__(self, summary=None, **kwargs):
        self.summary = summary
        super().__init__(**kwargs)

    def use_pk_only_optimization(self):
        return False

    @cached_property
    def summary_serializer(self):
        # One instance per field, reused for every row: building a serializer's fields costs far more
        # than representing one object, and a 50-row page would build them 150 times.
        return self.summary(context=self.context)

    def to_representation(self, value):
        return self.summary_serializer.to_representation(value)


class StrictCharField(serializers.CharField):
    # DRF turns 123 or true into "123" and "True"; a client that sends a number for a text has a bug to hear of.

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictSlugField(StrictCharField, serializers.SlugField):
    pass


class HttpURLField(serializers.URLField):
    # The models' http(s)-only rule. DRF drops a model URLField's validators for its own URLValidator, which
    # allows ftp: and ftps:; those reached the JSON-LD of claimants and sources.

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, URLValidator)] + [http_url]


class StrictSerializerMixin:
    # Text must be text, and addresses http(s), in every model serializer here.
    serializer_field_mapping = {**serializers.ModelSerializer.serializer_field_mapping,
                                models.HttpURLField: HttpURLField, db_models.CharField: StrictCharField,
                                db_models.TextField: StrictCharField}
    # Refuses keys the client may not write (unknown, or read-only such as ``status``) instead of silently
    # dropping them, and reads ``null`` as empty for the text fields that hide behind ``null``.
    # (Comments, not docstrings: the OpenAPI schema would show a base class's docstring on every component.)

    def to_internal_value(self, data):
        if isinstance(data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data) - writable)
            if unknown:
                raise serializers.ValidationError({name: ["This field cannot be written."] for name in unknown})
        values = super().to_internal_value(data)
        for name in getattr(self.Meta, "editor_only", ()):
            if values.get(name, "") is None and isinstance(self.fields[name], serializers.CharField):
                values[name] = ""
        return values


class AudienceSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    # Nulls the ``Meta.editor_only`` fields for callers who are not editors (``context["editor"]``).

    def get_fields(self):
        fields = super().get_fields()
        for name in getattr(self.Meta, "editor_only", ()):
            fields[name].allow_null = True
        return fields

    def to_representation(self, instance):
        # DRF's own loop, but a hidden field is never read: reading the assignee would cost a query.
        hidden = () if self.context.get("editor") else self.hidden_from_public(instance)
        data = {}
        for field in self._readable_fields:
            if field.field_name in hidden:
                data[field.field_name] = None
                continue
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            value = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            data[field.field_name] = None if value is None else field.to_representation(attribute)
        return data

    def hidden_from_public(self, instance):
        return getattr(self.Meta, "editor_only", ())


class PendingChangesField(serializers.JSONField):
    # A public claim's draft: {field: new value}. Typed in the schema by schema.PendingChangesFieldExtension.
    pass


class EventChangesField(serializers.JSONField):
    # An event's {field: [before, after]}. Typed in the schema by schema.EventChangesFieldExtension.
    pass


# ---------------------------------------------------------------------------------------------------------
# Reference data: claimants, sources, topics, ratings.


class ClaimantSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Claimant
        fields = ["id", "slug", "name", "kind"]


class ClaimantSerializer(AudienceSerializer):
    """Who makes claims: a person, an organisation or unnamed sources."""

    slug = StrictSlugField(max_length=200, required=False,
                                 validators=[UniqueValidator(Claimant.objects.all(), lookup="iexact")],
                                 help_text="e.g. sergey-lavrov; made from the name when left out.")

    class Meta:
        model = Claimant
        fields = ["id", "slug", "name", "kind", "description", "same_as"]


class SourceSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "title", "url", "outlet", "published_on"]


class SourceSerializer(AudienceSerializer):
    """A published document where claims appear. Its full text is for editors only."""

    class Meta:
        model = Source
        fields = ["id", "title", "url", "outlet", "author", "published_on", "language", "text", "created_at"]
        read_only_fields = ["created_at"]
        extra_kwargs = {"language": {"validators": [bcp47]}}
        editor_only = ["text"]

    def validate_url(self, url):
        other = Source.objects.at(url).exclude(pk=getattr(self.instance, "pk", None)).first() if url else None
        if other is not None:
            raise serializers.ValidationError(f"Source {other.pk} (“{other.title}”) already has this address.",
                                              code="unique")
        return url


class TopicSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    slug = StrictSlugField(max_length=100, validators=[UniqueValidator(Topic.objects.all(), lookup="iexact")],
                                 help_text="e.g. frozen-assets")

    class Meta:
        model = Topic
        fields = ["id", "slug", "name"]


class RatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rating
        fields = ["id", "slug", "label", "value", "definition", "colour", "order"]
        read_only_fields = fields


class UserSummarySerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = get_user_model()
        fields = ["id", "username", "name"]
        read_only_fields = fields

    def get_name(self, user) -> str:
        return display_name(user)


# ---------------------------------------------------------------------------------------------------------
# Claims.


class PublishedVerdictSerializer(serializers.ModelSerializer):
    rating = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Verdict
        fields = ["id", "rating", "rating_label", "rating_value", "summary", "correction_note", "proposed_at"]
        read_only_fields = fields


class ClaimSerializer(AudienceSerializer):
    """A checkable claim. ``null`` fields are for editors' eyes only."""

    # Null only for a reader tip not yet attributed; the workflow refuses null from the API.
    claimant = SummaryRelatedField(summary=ClaimantSummarySerializer, queryset=Claimant.objects.all(),
                                   allow_null=True, help_text="Who made the claim: a claimant id (read as an object).")
    source = SummaryRelatedField(summary=SourceSummarySerializer, queryset=Source.objects.all(), required=False,
                                 allow_null=True, help_text="Where it first appeared: a source id, or null.")
    topics = SummaryRelatedField(summary=TopicSerializer, queryset=Topic.objects.all(), many=True, required=False,
                                 help_text="Topic ids (read as objects).")
    language = StrictCharField(max_length=35, required=False, validators=[bcp47], help_text="e.g. en")
    published_verdict = PublishedVerdictSerializer(read_only=True, allow_null=True)
    assignee = UserSummarySerializer(read_only=True, allow_null=True)
    page_url = serializers.SerializerMethodField(help_text="The public fact-check page, once published.")
    imported_from = serializers.URLField(read_only=True, allow_blank=True,
                                         help_text="The ClaimReview this claim was imported from, if any.")
    tipster_email = serializers.CharField(read_only=True, allow_null=True, help_text="A reader tip's e-mail.")
    close_reason = serializers.ChoiceField(choices=Claim.CloseReason.choices, read_only=True, allow_blank=True)
    pending_changes = PendingChangesField(
        read_only=True, allow_null=True, source="draft_fields",
        help_text="Editors: edits to a public claim that readers do not see until a reviewer approves them "
                  "(POST approve-update/), as field → new value (ids for claimant, source and topics). The other "
                  "fields are what readers see.",
    )
    version = serializers.IntegerField(read_only=True, help_text="The claim's version (also its ETag).")

    class Meta:
        model = Claim
        fields = [
            "id", "text", "slug", "quote", "quote_start", "quote_end", "claimant", "source", "claim_date",
            "language", "topics", "published_verdict", "published_at", "page_url", "imported_from",
            "status", "close_reason", "assignee", "recheck_on", "duplicate_of", "is_reader_tip", "tipster_email",
            "pending_changes", "version", "created_at", "updated_at",
        ]
        read_only_fields = [
            "slug", "quote_start", "quote_end", "published_at", "imported_from", "status", "close_reason",
            "duplicate_of", "is_reader_tip", "tipster_email", "created_at", "updated_at",
        ]
        extra_kwargs = {"text": {"validators": [visible_text]}}
        editor_only = ["status", "close_reason", "assignee", "recheck_on", "duplicate_of", "is_reader_tip",
                       "tipster_email", "pending_changes"]

    def get_page_url(self, claim) -> str | None:
        return claim_url(claim) if claim.is_public else None

    def validate_claimant(self, claimant):
        if claimant is None:
            raise serializers.ValidationError("Choose who made the claim.", code="required")
        return claimant

    # The read path, written out. The fields above still validate input and describe the schema, but reading
    # through them (some forty fields and five nested serializers per claim) cost a page of 50 claims more
    # than twice its two queries. This writes the same keys in the same order, dates in DRF's own formats;
    # test_api_representation.py holds it equal, byte for byte, to ``generic_representation``.

    def to_representation(self, claim):
        verdict = claim.published_verdict
        return {
            "id": claim.id,
            "text": claim.text,
            "slug": claim.slug,
            "quote": claim.quote,
            "quote_start": claim.quote_start,
            "quote_end": claim.quote_end,
            "claimant": claimant_summary(claim.claimant),
            "source": source_summary(claim.source),
            "claim_date": DATE.to_representation(claim.claim_date),
            "language": claim.language,
            "topics": topics_of(claim),
            "published_verdict": None if verdict is None else self.verdict_summary(verdict),
            "published_at": self.datetimes.to_representation(claim.published_at),
            "page_url": self.get_page_url(claim),
            "imported_from": claim.imported_from,
            **(self.desk_fields(claim) if self.context.get("editor") else dict.fromkeys(self.Meta.editor_only)),
            "version": claim.version,
            "created_at": self.datetimes.to_representation(claim.created_at),
            "updated_at": self.datetimes.to_representation(claim.updated_at),
        }

    def generic_representation(self, claim):
        return super().to_representation(claim)

    @cached_property
    def datetimes(self):
        # DRF's DateTimeField looks the current time zone up for every value; a page has 200 of them.
        return serializers.DateTimeField(default_timezone=timezone.get_current_timezone() if settings.USE_TZ
                                         else None)

    def verdict_summary(self, verdict):
        return {
            "id": verdict.id,
            "rating": verdict.rating.slug,
            "rating_label": verdict.rating_label,
            "rating_value": verdict.rating_value,
            "summary": verdict.summary,
            "correction_note": verdict.correction_note,
            "proposed_at": self.datetimes.to_representation(verdict.proposed_at),
        }

    def desk_fields(self, claim):
        assignee = claim.assignee
        return {
            "status": claim.status,
            "close_reason": claim.close_reason,
            "assignee": None if assignee is None else {
                "id": assignee.id,
                "username": assignee.username,
                "name": display_name(assignee),
            },
            "recheck_on": DATE.to_representation(claim.recheck_on),
            "duplicate_of": claim.duplicate_of_id,
            "is_reader_tip": claim.is_reader_tip,
            "tipster_email": claim.tipster_email,
            "pending_changes": claim.draft_fields,
        }


def topics_of(claim):
    # The API's claim views read the topics in the claim's row (views.as_shown); other callers may not.
    topics = getattr(claim, "topic_summaries", None)
    if topics is None:
        return [{"id": topic.id, "slug": topic.slug, "name": topic.name} for topic in claim.topics.all()]
    return topics


def claimant_summary(claimant):
    if claimant is None:
        return None
    return {"id": claimant.id, "slug": claimant.slug, "name": claimant.name, "kind": claimant.kind}


def source_summary(source):
    if source is None:
        return None
    return {"id": source.id, "title": source.title, "url": source.url, "outlet": source.outlet,
            "published_on": DATE.to_representation(source.published_on)}


class SimilarClaimSerializer(serializers.ModelSerializer):
    """A possible duplicate: enough to recognise it and open it."""

    claimant = ClaimantSummarySerializer(read_only=True, allow_null=True)
    similarity = serializers.FloatField(read_only=True, help_text="0 to 1: how alike the two texts read.")
    page_url = serializers.SerializerMethodField(help_text="The public fact-check page, once published.")

    class Meta:
        model = Claim
        fields = ["id", "text", "claimant", "similarity", "page_url"]
        read_only_fields = fields

    def get_page_url(self, claim) -> str | None:
        return claim_url(claim) if claim.is_public else None


# ---------------------------------------------------------------------------------------------------------
# Evidence and verdicts.


class VersionField(serializers.IntegerField):
    """The claim version the caller is changing, when it sends no If-Match header."""

    def __init__(self, **kwargs):
        super().__init__(write_only=True, required=False, min_value=1, max_value=MAX_ID,
                         help_text="The claim's version you are changing, when you send no If-Match header.",
                         **kwargs)


class EvidenceSerializer(AudienceSerializer):
    """An evidence item. For the public, a withheld item has no url or archived_url."""

    added_by_name = serializers.SerializerMethodField()
    version = VersionField()

    class Meta:
        model = Evidence
        fields = [
            "id", "claim", "url", "title", "publisher", "note", "stance", "archived_url", "withheld",
            "withheld_reason", "added_by_name", "added_at", "last_checked_at", "last_status", "version",
        ]
        read_only_fields = ["claim", "added_at", "last_checked_at", "last_status"]
        extra_kwargs = {"title": {"validators": [visible_text]}}
        editor_only = ["url", "archived_url", "withheld_reason", "added_by_name", "last_checked_at", "last_status"]

    def to_internal_value(self, data):
        # A withheld item needs its reason: reported with the other fields' errors, not after them.
        try:
            values, errors = super().to_internal_value(data), {}
        except serializers.ValidationError as exc:
            values, errors = None, dict(exc.detail) if isinstance(exc.detail, dict) else {}
        if isinstance(data, dict) and "withheld_reason" not in errors and self._withheld_without_reason(data):
            errors["withheld_reason"] = [serializers.ErrorDetail("Say why the source is withheld.",
                                                                 code="withheld_without_reason")]
        if errors:
            raise serializers.ValidationError(errors)
        return values

    def _withheld_without_reason(self, data):
        instance = self.instance if isinstance(self.instance, Evidence) else None
        withheld = data.get("withheld", instance.withheld if instance else False)
        reason = data.get("withheld_reason", instance.withheld_reason if instance else "")
        return withheld is True and not has_visible_text(reason if isinstance(reason, str) else "")

    def to_representation(self, evidence):
        # Readers see the item as a reviewer approved it; the desk's later edits are a draft.
        if not self.context.get("editor") and evidence.approved is not None:
            evidence = evidence.public_version()
        return super().to_representation(evidence)

    def hidden_from_public(self, evidence):
        # A withheld item's links would lead straight to the source it protects.
        hidden = ["withheld_reason", "added_by_name", "last_checked_at", "last_status"]
        return [*hidden, "url", "archived_url"] if evidence.withheld else hidden

    def get_added_by_name(self, evidence) -> str | None:
        return display_name(evidence.added_by) or None


class VerdictSerializer(AudienceSerializer):
    """A proposed verdict; never edited once made."""

    rating = serializers.SlugRelatedField(slug_field="slug", queryset=Rating.objects.all(),
                                          help_text="A rating slug, e.g. mostly-false.")
    analysis_html = serializers.SerializerMethodField(help_text="The analysis, rendered from Markdown and "
                                                                "sanitised.")
    is_published = serializers.SerializerMethodField(help_text="Whether this is the verdict the public sees.")
    version = VersionField()

    class Meta:
        model = Verdict
        fields = [
            "id", "claim", "rating", "rating_label", "rating_value", "summary", "analysis", "analysis_html",
            "correction_note", "proposed_by_name", "proposed_at", "is_published", "version",
        ]
        read_only_fields = ["claim", "rating_label", "rating_value", "proposed_by_name", "proposed_at"]
        extra_kwargs = {"summary": {"validators": [visible_text]}}
        editor_only = ["proposed_by_name"]

    def get_analysis_html(self, verdict) -> str:
        return render_markdown(verdict.analysis)

    def get_is_published(self, verdict) -> bool:
        return verdict.claim.published_verdict_id == verdict.pk


class ClaimEditSerializer(ClaimSerializer):
    """A claim's fields as an edit takes them: ``version`` is the one you are changing, without If-Match."""

    version = VersionField()


class EvidenceChangeSerializer(EvidenceSerializer):
    """An evidence item as added or changed, with the claim's version after the change (also the ETag), so
    that a client can chain its next change without reading the claim again."""

    claim_version = serializers.IntegerField(source="claim.version", read_only=True,
                                             help_text="The claim's version after this change.")

    class Meta(EvidenceSerializer.Meta):
        fields = [*EvidenceSerializer.Meta.fields, "claim_version"]


class VerdictChangeSerializer(VerdictSerializer):
    """A verdict as proposed, with the claim's version after the proposal (also the ETag)."""

    claim_version = serializers.IntegerField(source="claim.version", read_only=True,
                                             help_text="The claim's version after this change.")

    class Meta(VerdictSerializer.Meta):
        fields = [*VerdictSerializer.Meta.fields, "claim_version"]


class EventSerializer(AudienceSerializer):
    """One thing that happened to a claim. The public sees public events only, without actor or changes, and
    a note only on a correction or an update (their public notices), as on the fact-check page."""

    # Empty for the event that created the claim.
    from_status = serializers.ChoiceField(choices=Claim.Status.choices, read_only=True, allow_blank=True)
    to_status = serializers.ChoiceField(choices=Claim.Status.choices, read_only=True, allow_blank=True)
    changes = EventChangesField(read_only=True, allow_null=True,
                                help_text="What changed, field by field, as [before, after]: null for the public.")

    class Meta:
        model = ClaimEvent
        fields = ["id", "at", "kind", "from_status", "to_status", "actor_name", "verdict", "note", "changes",
                  "public"]
        read_only_fields = fields
        editor_only = ["actor_name", "changes", "note"]

    def hidden_from_public(self, event):
        # A correction's or an update's note is its public notice.
        if event.kind in (ClaimEvent.Kind.CORRECTED, ClaimEvent.Kind.UPDATED):
            return ["actor_name", "changes"]
        return self.Meta.editor_only


# ---------------------------------------------------------------------------------------------------------
# Workflow actions: the input each one takes.


class ActionSerializer(StrictSerializerMixin, serializers.Serializer):
    """The version you are changing (without If-Match) and the action's own input."""

    version = VersionField()

    class Meta:
        editor_only = ()


class StartSerializer(ActionSerializer):
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True), required=False, allow_null=True,
        help_text="The editor who researches it (a user id); you, when left out.",
    )


class ApproveSerializer(ActionSerializer):
    note = StrictCharField(required=False, allow_blank=True, max_length=NOTE_LIMIT)
    correction_note = StrictCharField(
        required=False, allow_blank=True, max_length=NOTE_LIMIT,
        help_text="Required when the verdict replaces a published one, unless the proposal carries it.",
    )


class SendBackSerializer(ActionSerializer):
    note = StrictCharField(max_length=NOTE_LIMIT, validators=[visible_text],
                           help_text="What the proposer should do next.")


class ApproveUpdateSerializer(ActionSerializer):
    note = StrictCharField(max_length=NOTE_LIMIT, help_text="What changed, for readers (shown on the public page).")


class ReopenSerializer(ActionSerializer):
    reason = StrictCharField(max_length=NOTE_LIMIT, validators=[visible_text],
                             help_text="Why the claim is looked at again.")


class CloseSerializer(ActionSerializer):
    reason = serializers.ChoiceField(choices=Claim.CloseReason.choices)
    note = StrictCharField(required=False, allow_blank=True, max_length=NOTE_LIMIT)
    duplicate_of = serializers.PrimaryKeyRelatedField(
        queryset=Claim.objects.all(), required=False, allow_null=True,
        help_text="The original claim's id, when the reason is duplicate.",
    )


# ---------------------------------------------------------------------------------------------------------
# ClaimReview export.


class DatePublishedField(serializers.CharField):
    # Ours is a date (2025-10-23); another publisher's is the date-time it gave (2025-10-23T10:00:00Z). Typed in
    # the schema by schema.DatePublishedFieldExtension.
    pass



class JsonLdSerializer(serializers.Serializer):
    # Schema-only: JSON-LD names (@type, sameAs) are not Python identifiers, so each subclass lists its fields
    # in ``json_ld_fields()``. The documents themselves are built by claims.jsonld and reviews.jsonld.

    def get_fields(self):
        return self.json_ld_fields()


class ClaimReviewOrganizationSerializer(JsonLdSerializer):
    """A schema.org Organization: the publisher of a review."""

    def json_ld_fields(self):
        return {"@type": serializers.CharField(help_text="Organization"),
                "name": serializers.CharField(help_text="e.g. the ORGANIZATION_NAME setting, or Full Fact"),
                "url": serializers.CharField(required=False, help_text="The publisher's site.")}


class ClaimReviewRatingSerializer(JsonLdSerializer):
    """A schema.org Rating. Numbers only where the scale is ordinal (ours: 1 to 5) or the publisher gave them."""

    def json_ld_fields(self):
        return {"@type": serializers.CharField(help_text="Rating"),
                "alternateName": serializers.CharField(required=False, help_text="The rating's words, e.g. "
                                                                                  "Mostly false."),
                "ratingValue": serializers.FloatField(required=False, help_text="e.g. 2"),
                "bestRating": serializers.FloatField(required=False, help_text="5 on our scale"),
                "worstRating": serializers.FloatField(required=False, help_text="1 on our scale"),
                "ratingExplanation": serializers.CharField(required=False, help_text="The verdict's summary.")}


class ClaimReviewClaimantSerializer(JsonLdSerializer):
    """Who made the claim: a schema.org Person or Organization."""

    def json_ld_fields(self):
        return {"@type": serializers.ChoiceField(choices=["Person", "Organization"]),
                "name": serializers.CharField(help_text="e.g. Sergey Lavrov"),
                "sameAs": serializers.CharField(required=False, help_text="e.g. a Wikidata page.")}


class ClaimReviewAppearanceSerializer(JsonLdSerializer):
    """Where the claim appeared: a schema.org CreativeWork."""

    def json_ld_fields(self):
        return {"@type": serializers.CharField(help_text="CreativeWork"),
                "url": serializers.CharField(help_text="The source's address.")}


class ClaimReviewClaimSerializer(JsonLdSerializer):
    """The claim reviewed: a schema.org Claim."""

    def json_ld_fields(self):
        return {"@type": serializers.CharField(help_text="Claim"),
                "author": ClaimReviewClaimantSerializer(required=False),
                "datePublished": serializers.DateField(required=False, help_text="When the claim was made."),
                "appearance": ClaimReviewAppearanceSerializer(required=False)}


class ClaimReviewSerializer(JsonLdSerializer):
    """A schema.org ClaimReview: ours as claims.jsonld.claim_review builds it (the block the public page embeds),
    or, with ``include=others``, another publisher's as reviews.jsonld builds it, under its own name."""

    def json_ld_fields(self):
        return {
            "@context": serializers.CharField(help_text="https://schema.org"),
            "@type": serializers.CharField(help_text="ClaimReview"),
            "url": serializers.CharField(help_text="The fact-check page (ours), or the original review (theirs)."),
            "claimReviewed": serializers.CharField(),
            "inLanguage": serializers.CharField(required=False, help_text="e.g. en; left out when a publisher "
                                                                         "gave none."),
            "author": ClaimReviewOrganizationSerializer(help_text="Who checked the claim."),
            "publisher": ClaimReviewOrganizationSerializer(required=False, help_text="Others' reviews: their "
                                                                                   "publisher, as author."),
            "datePublished": DatePublishedField(required=False),
            "dateModified": serializers.DateTimeField(required=False,
                                                      help_text="Ours, after a correction or an approved update."),
            "headline": serializers.CharField(required=False, help_text="Others' reviews: their headline."),
            "reviewRating": ClaimReviewRatingSerializer(),
            "itemReviewed": ClaimReviewClaimSerializer(),
        }

    def to_representation(self, claim):
        return claim_review(claim, corrected_at=claim.corrected_at)
