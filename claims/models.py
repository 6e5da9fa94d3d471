"""The claim register: models, and the QuerySet verbs that every page and endpoint reads through.

Writes do not live here: every state change is a function in ``claims/workflow.py``.
"""

import datetime
import functools
from urllib.parse import quote

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import connection, models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat, Lower, Upper
from django.urls import reverse
from django.utils.text import slugify

from . import search

# The largest id (and version) a 64-bit integer column holds on both databases: a number past it in a query
# raised OverflowError on SQLite, so every form, filter and serializer that takes an id stops there.
MAX_ID = 2**63 - 1


def limit(model, name):
    """The one size limit of a text field, in characters: its ``max_length``, TextFields included. The
    workflow enforces it for the desk, the API and imports; forms and serializers show it."""
    return model._meta.get_field(name).max_length


def as_id(value):
    """``value`` (a query parameter, say) as an id, or None when it is not one. ``str.isdigit`` alone lets
    through "²" and other digits that ``int`` refuses, and numbers past 64 bits."""
    value = str(value) if value is not None else ""
    if value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID:
        return int(value)
    return None

# Below this resemblance (0..1) a claim is not worth showing as a possible duplicate.
SIMILARITY_THRESHOLD = 0.3

# Only http(s): a javascript: or data: URL in an evidence link would run in a reader's browser.
http_url = URLValidator(schemes=["http", "https"], message="Enter a web address starting with http:// or https://.")


class HttpURLField(models.URLField):
    default_validators = [http_url]

    def formfield(self, **kwargs):
        from django import forms

        return super().formfield(**{"form_class": forms.URLField, "assume_scheme": "https", **kwargs})


class PrefixKey(models.Func):
    """A name as the type-ahead compares it: ``UPPER(name)``, and on PostgreSQL in code-point order
    (``COLLATE "C"``), so that every name starting with a prefix lies in one index range whatever the
    database's collation. The type-ahead's indexes (Meta.indexes of Claimant and Source) hold exactly this."""

    function = "UPPER"
    output_field = models.CharField()

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = self.as_sql(compiler, connection, **extra)
        return f'({sql} COLLATE "C")', params


class MenuQuerySet(models.QuerySet):
    """Claimants and sources offered in the desk's capture and edit menus."""

    menu_order = ("name", "id")
    prefix_field = "name"

    def starting_with(self, prefix):
        """Those whose name starts with ``prefix``, any case, in name order: the desk's type-ahead. One range
        of the prefix index (``UPPER(name) >= UPPER(prefix)`` and below it followed by the last code point),
        so that it costs the same at any size of the register. The database upper-cases both sides, so that
        they agree (SQLite upper-cases ASCII only)."""
        key = PrefixKey(self.prefix_field)
        low = Upper(models.Value(prefix, output_field=models.CharField()))
        high = Concat(low, models.Value("\U0010ffff"), output_field=models.CharField())
        return self.alias(prefix_key=key).filter(prefix_key__gte=low, prefix_key__lt=high).order_by(key, "id")

    def for_menu(self, size, *, keep=None):
        """By name: those of the ``size`` most recently changed claims, the newest few, and ``keep`` (the one
        the form holds). Every claimant or source would make the menu grow with the archive (20,000 sources
        at 100k claims: a 1.8 MB page that took two seconds)."""
        field = self.model._meta.model_name  # "claimant" or "source": the Claim field that points here
        recent = Claim.objects.exclude(**{field: None}).order_by("-updated_at", "-id").values(field)[:size]
        newest = self.order_by("-id").values("pk")[: max(size // 10, 1)]
        wanted = Q(pk__in=recent) | Q(pk__in=newest)
        if as_id(keep) is not None:
            wanted |= Q(pk=as_id(keep))
        return self.filter(wanted).order_by(*self.menu_order)


class SourceQuerySet(MenuQuerySet):
    menu_order = ("title", "id")
    prefix_field = "title"

    def at(self, url):
        """The source at ``url`` (none for an empty one). The partial unique index serves it: its condition
        is repeated so that SQLite's planner, which does not infer it from ``url = …``, can use the index."""
        return self.filter(url=url).exclude(url="")


class Source(models.Model):
    title = models.CharField(max_length=300, help_text="e.g. “Lavrov’s last tango: Putin’s summit failure”")
    url = HttpURLField(max_length=500, blank=True, help_text="e.g. https://example.org/2025/10/lavrov")
    outlet = models.CharField(max_length=200, blank=True, help_text="e.g. Financial Times")
    author = models.CharField(max_length=200, blank=True, help_text="e.g. Viktor Petersen")
    published_on = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=35, default="en", help_text="BCP-47 tag, e.g. en, ru, pt-BR")
    text = models.TextField(
        blank=True, max_length=500_000,
        help_text="The full text, pasted only to locate quotes. Never shown on public pages.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["url"], condition=~Q(url=""), name="source_url_unique_when_given"),
        ]
        # The desk's type-ahead (SourceQuerySet.starting_with).
        indexes = [models.Index(PrefixKey("title"), models.F("id"), name="source_title_prefix")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("public:source", args=[self.pk])

    def locate(self, quote):
        """Offsets of ``quote`` in the full text, or (None, None) when absent."""
        if not quote or not self.text:
            return None, None
        start = self.text.find(quote)
        return (start, start + len(quote)) if start >= 0 else (None, None)


class Claimant(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ORGANIZATION = "organization", "Organisation"
        UNNAMED = "unnamed", "Unnamed sources"

    name = models.CharField(max_length=200, help_text="e.g. Sergey Lavrov")
    slug = models.SlugField(max_length=200, unique=True, help_text="e.g. sergey-lavrov")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PERSON)
    description = models.CharField(max_length=300, blank=True, help_text="e.g. Russian Foreign Minister")
    same_as = HttpURLField(
        "same as", max_length=500, blank=True, help_text="e.g. https://en.wikipedia.org/wiki/Sergey_Lavrov"
    )

    objects = MenuQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            # A slug is an address: Sergey-Lavrov and sergey-lavrov must not be two claimants.
            models.UniqueConstraint(Lower("slug"), name="claimant_slug_unique_any_case",
                                    violation_error_message="A claimant with this slug already exists."),
        ]
        # The desk's type-ahead (MenuQuerySet.starting_with).
        indexes = [models.Index(PrefixKey("name"), models.F("id"), name="claimant_name_prefix")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        # Every card links its claimant: reversed once, as Claim.get_absolute_url is, and a Unicode slug
        # percent-encoded as reverse() encodes it.
        return _claimant_path().format(slug=quote(self.slug))


class Topic(models.Model):
    name = models.CharField(max_length=100, help_text="e.g. Frozen Russian assets")
    slug = models.SlugField(max_length=100, unique=True, help_text="e.g. frozen-assets")

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(Lower("slug"), name="topic_slug_unique_any_case",
                                    violation_error_message="A topic with this slug already exists."),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("public:topic", args=[self.slug])


class Rating(models.Model):
    """One step of the verdict scale. Ordinal ratings have a value (5 is truest); labels have none."""

    slug = models.SlugField(max_length=50, unique=True, help_text="e.g. mostly-false")
    label = models.CharField(max_length=50, help_text="e.g. Mostly false")
    value = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 (False) to 5 (True); empty for non-ordinal labels such as Misleading.",
    )
    definition = models.TextField(max_length=2000,
                                  help_text="e.g. The statement is accurate but leaves out important context.")
    colour = models.CharField(max_length=7, default="#555555", help_text="Badge colour, e.g. #b00020")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=1, value__lte=5), name="rating_value_1_to_5"
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def is_ordinal(self):
        return self.value is not None


class ClaimQuerySet(models.QuerySet):
    def public(self):
        """Claims readers may see: those with a published verdict. The only gate to public pages and
        anonymous API responses. Carries what the public index, claim, claimant, topic and source pages
        and the ClaimReview export need."""
        # The source's full text is never shown to readers: not even loaded.
        return self.published().select_related("claimant", "source", "published_verdict__rating").defer("source__text")

    def published(self):
        """public()'s condition alone, keeping this queryset's joins: for a verb that narrows a list of cards
        (``public_search_page``), which would otherwise read every card's source again for nothing."""
        return self.filter(published_verdict__isnull=False)

    def cards(self):
        """Only what a claim card (the ``claim_card`` tag, claims/templatetags/claims_tags.py) shows: the
        claimant, the published verdict with its rating, and the latest update or correction
        (``with_last_change``). Lists of cards skip the source join that public() carries for the fact-check
        page."""
        return self.select_related(None).select_related("claimant", "published_verdict__rating").with_last_change()

    def with_last_change(self):
        """Annotates ``last_change`` ("updated" or "corrected", else None) and ``last_change_at``: the latest
        approved update or correction readers were told of, read through its own small index
        (``event_public_change``). Every public card flags it, and the share card (sharecards) draws it."""
        return self.annotate(last_change=_LatestChange("kind", models.CharField()),
                             last_change_at=_LatestChange("at", models.DateTimeField()))

    def related_to(self, claim, *, limit=4):
        """Up to ``limit`` other claims related to ``claim``, as cards: a similar claim first (sharing its
        distinctive words, see search.similar_candidates), then the same claimant's, then those sharing a
        topic, newest first within each. On ``public()``: the fact-check page's "Related fact-checks".
        Four queries whatever the archive's size (fewer for a claim without claimant or topics): the words'
        counts, the similar claims, the claimant's and the topics' (each at most ``limit`` rows). A list."""
        others = self.cards().exclude(pk=claim.pk)
        newest = ("-published_at", "-id")
        groups = []
        found = search.similar_candidates(claim.text)
        if found is not None:
            ids, distance = found
            similar = others.filter(id__in=ids)
            similar = similar.alias(distance=distance).order_by("distance", *newest) if distance is not None \
                else similar.order_by(*newest)
            groups.append(similar[:limit])
        if claim.claimant_id is not None:
            groups.append(others.filter(claimant_id=claim.claimant_id).order_by(*newest)[:limit])
        topic_ids = [topic.pk for topic in claim.topics.all()]
        if topic_ids:
            # EXISTS rather than a join: no DISTINCT, so the newest-first index can stop at ``limit`` rows.
            shares_topic = Claim.topics.through.objects.filter(claim_id=models.OuterRef("pk"), topic_id__in=topic_ids)
            groups.append(others.filter(models.Exists(shares_topic)).order_by(*newest)[:limit])
        related = {}
        for group in groups:
            for other in group:
                related.setdefault(other.pk, other)
        return list(related.values())[:limit]

    def imported_from(self, review_url):
        """The claim imported from the ClaimReview at ``review_url`` (see SourceQuerySet.at for the exclude)."""
        return self.filter(imported_from=review_url).exclude(imported_from="")

    def with_topic_summaries(self):
        """Each claim's topics as ``topic_summaries``, a list of {id, slug, name} by name, read in the claim's
        own row (a JSON aggregate): the API's claim list shows fifty claims' topics, and a second query with a
        model instance per topic cost more than the rest of the row."""
        return self.annotate(topic_summaries=RawSQL(_TOPIC_SUMMARIES[connection.vendor], [],
                                                    output_field=models.JSONField()))

    def latest_published(self):
        """Public claims, newest publication first (home page, index, feeds)."""
        return self.public().order_by("-published_at", "-id")

    def public_detail(self):
        """The public fact-check page (/claims/<id>/<slug>/): a public claim with its topics, the evidence and
        appearances a reviewer approved (``public_evidence``, ``public_appearances``: rows whose
        ``public_version()`` readers see; what the desk changed since is a draft), its public timeline
        (``public_events``, with each event's verdict) and the sign-offs of the published verdict
        (``sign_offs``: name and date only)."""
        Kind = ClaimEvent.Kind
        return self.public().prefetch_related(
            "topics",
            models.Prefetch("appearances", queryset=Appearance.objects.approved(), to_attr="public_appearances"),
            models.Prefetch("evidence", queryset=Evidence.objects.approved(), to_attr="public_evidence"),
            models.Prefetch(
                "events", queryset=ClaimEvent.objects.filter(public=True).select_related("verdict"),
                to_attr="public_events",
            ),
            models.Prefetch(
                "events",
                queryset=ClaimEvent.objects.filter(
                    kind__in=[Kind.APPROVED, Kind.PUBLISHED, Kind.CORRECTED],
                    verdict=models.F("claim__published_verdict"),
                ).only("id", "claim_id", "verdict_id", "kind", "actor_name", "at"),
                to_attr="sign_offs",
            ),
        )

    def with_modified_at(self):
        """Annotates ``modified_at``: the latest publication or correction (sitemap ``lastmod``)."""
        return self.annotate(modified_at=models.Max("events__at", filter=Q(events__public=True)))

    def rating_counts(self):
        """{rating id: number of these claims whose published verdict has it} (home page)."""
        rows = self.order_by().values("published_verdict__rating").annotate(n=models.Count("pk"))
        return {row["published_verdict__rating"]: row["n"] for row in rows}

    def claimants(self):
        """The claimants of these claims. On ``public()``: the claimant pages, the index filter and the
        sitemap, so that a claimant with no published fact-check stays unknown to readers."""
        return Claimant.objects.filter(pk__in=self.values("claimant_id"))

    def topics(self):
        """The topics of these claims (on ``public()``: topic pages, index filter, sitemap)."""
        return Topic.objects.filter(pk__in=self.values("topics"))

    def sources(self):
        """The sources of these claims (on ``public()``: source pages, index filter, sitemap)."""
        return Source.objects.filter(pk__in=self.values("source_id"))

    def public_history(self):
        """The public events of these claims, publications, updates and corrections, newest first, each with its
        claim, claimant and verdict and ``previous_label`` (the rating it replaced, for a correction).
        On ``public()``: the Atom feed and, through ``corrections()``, the corrections log."""
        Kind = ClaimEvent.Kind
        shown = [Kind.PUBLISHED, Kind.CORRECTED, Kind.UPDATED]
        earlier = ClaimEvent.objects.filter(
            Q(at__lt=models.OuterRef("at")) | Q(at=models.OuterRef("at"), pk__lt=models.OuterRef("pk")),
            claim=models.OuterRef("claim"), public=True, kind__in=[Kind.PUBLISHED, Kind.CORRECTED],
        ).order_by("-at", "-id")
        return (
            ClaimEvent.objects.filter(claim__in=self.values("pk"), public=True, kind__in=shown)
            .select_related("claim__claimant", "verdict__rating")
            .annotate(previous_label=models.Subquery(earlier.values("verdict__rating_label")[:1]))
            .order_by("-at", "-id")
        )

    def corrections(self):
        """Corrections of these claims, newest first (on ``public()``: the corrections log)."""
        return self.public_history().filter(kind=ClaimEvent.Kind.CORRECTED)

    def for_desk(self, user):
        """Every claim, for the desk's lists and queues, with what a queue row shows (its verdict badge too)."""
        if not user.has_perm("claims.change_claim"):
            return self.none()
        return (
            self.select_related("claimant", "source", "assignee", "published_verdict__rating")
            .defer("source__text")  # a whole article per row, and no list shows it
            .order_by("-updated_at", "-id")
        )

    def for_board(self, user):
        """Claims as the desk's board shows them (/desk/board/): each card's claimant, assignee and published
        verdict; the source is not on a card. Nothing for a user who is not an editor."""
        if not user.has_perm("claims.change_claim"):
            return self.none()
        return self.select_related("claimant", "assignee", "published_verdict__rating").defer("draft")

    def board_column(self, status, *, order=("-updated_at", "-id")):
        """One column of the board: the claims in ``status`` in ``order`` (a pair of fields, each served with
        the status by an index: ``claim_status_updated`` or ``claim_status_created``). The published column
        is the recently published, newest first, whatever the order (``claim_public_newest``)."""
        if status == Claim.Status.PUBLISHED:
            # The verdict condition repeats the partial index's, which the planner does not infer from the status.
            return self.filter(status=status, published_verdict__isnull=False).order_by("-published_at", "-id")
        return self.filter(status=status).order_by(*order)

    def assigned_to(self, user):
        return self.filter(assignee=user).exclude(status__in=[Claim.Status.PUBLISHED, Claim.Status.CLOSED])

    def awaiting_review_by(self, user):
        """In review, with a pending verdict proposed by someone else and not yet approved by ``user``."""
        pending = Verdict.objects.filter(claim=models.OuterRef("pk")).order_by("-proposed_at", "-id")
        # EXISTS rather than comparing with the proposer: a proposer whose account was deleted is NULL, and
        # NOT (NULL = x) would hide the claim from every reviewer.
        proposed = Verdict.objects.filter(pk=models.OuterRef("pending_verdict"), proposed_by=user.pk)
        approved = ClaimEvent.objects.filter(
            verdict=models.OuterRef("pending_verdict"), actor=user.pk, kind=ClaimEvent.Kind.APPROVED
        )
        return (
            self.filter(status=Claim.Status.IN_REVIEW)
            .annotate(pending_verdict=models.Subquery(pending.values("pk")[:1]))
            .exclude(Q(models.Exists(proposed)) | Q(models.Exists(approved)))
        )

    def due_for_recheck(self, today):
        """Published verdicts whose re-check date has come, the most overdue first."""
        return self.filter(status=Claim.Status.PUBLISHED, recheck_on__lte=today).order_by("recheck_on", "id")

    def new_arrivals(self):
        """New claims, reader tips included, oldest first so that nothing waits forever (desk dashboard)."""
        return self.filter(status=Claim.Status.NEW).order_by("created_at", "id")

    def for_claim_page(self):
        """One claim with everything the desk's claim page shows: claimant, source, assignee, topics,
        evidence (with who added it), appearances, every verdict (with its rating) and the full history (each
        event with its verdict: "Verdict proposed" names the rating)."""
        return self.select_related(
            "claimant", "source", "assignee", "duplicate_of", "published_verdict__rating"
        ).prefetch_related(
            "topics",
            models.Prefetch("evidence", queryset=Evidence.objects.select_related("added_by")),
            "appearances",
            models.Prefetch("verdicts", queryset=Verdict.objects.select_related("rating")),
            models.Prefetch("events", queryset=ClaimEvent.objects.select_related("verdict").order_by("at", "id")),
        )

    def search(self, q):
        """Claims matching the words of ``q``, best match first (then newest). Full-text on both engines:
        the public index and home page, the desk search and the API ``q`` filter all use it."""
        found = search.matching(self, q)
        return self.none() if found is None else found.order_by("-search_rank", "-id")

    def public_search_page(self, q, *, offset, limit):
        """(claims, total): published claims matching ``q``, ``limit`` of them from ``offset`` on in
        ``search``'s order, and how many match in all; the public index's search without other filters.
        PostgreSQL ranks in the search table alone and reads only the page's claims (search.ranked_published),
        in one query with the total; elsewhere it is ``published().search(q)`` sliced and counted. The claims
        come with this queryset's joins: on ``cards()``, no source."""
        if connection.vendor != "postgresql":
            found = self.published().search(q)
            return list(found[offset : offset + limit]), found.count()
        ranked = search.ranked_published(q, offset=offset, limit=limit)
        if ranked is None:
            return [], 0
        ids, total = ranked
        rows = self.published().in_bulk(ids)
        return [rows[pk] for pk in ids if pk in rows], total

    def similar_to(self, text, *, limit=5, exclude=None):
        """Claims whose text looks like ``text``: the desk's near-duplicate warning while capturing a claim,
        and the API's duplicate suggestions. Returns a list, best first, each with ``.similarity`` 0..1.
        Three queries: the word counts, the candidates' ids and texts, and the best few whole."""
        found = search.similar_candidates(text)
        if found is None:
            return []
        ids, distance = found
        candidates = self.filter(id__in=ids)
        if exclude is not None:
            candidates = candidates.exclude(pk=exclude)
        if distance is None:
            pairs = candidates.order_by().values_list("pk", "text")[: search.CANDIDATE_LIMIT]
        else:
            nearest = candidates.alias(distance=distance).order_by("distance")
            pairs = nearest.values_list("pk", "text")[: search.RANKED_CANDIDATES]
        scores = {pk: search.resemblance(text, other) for pk, other in pairs}
        best = sorted((pk for pk, score in scores.items() if score >= SIMILARITY_THRESHOLD),
                      key=lambda pk: (-scores[pk], -pk))[:limit]
        if not best:
            return []
        rows = self.filter(pk__in=best).select_related("claimant", "published_verdict").in_bulk()
        for pk in best:
            rows[pk].similarity = scores[pk]
        return [rows[pk] for pk in best]


class _LatestChange(models.Func):
    """One column of a claim's latest public ``updated`` or ``corrected`` event, as a correlated subquery: the
    SQL that ``Subquery()`` of a ClaimEvent queryset gives, written out because compiling that queryset twice
    for every list of cards was 1.7 ms of a 27 ms search page (docs/performance.md, round 8). The claim's id
    is an expression, so the outer table keeps whatever alias Django gives it (in a subquery too). The kinds
    are ClaimEvent.Kind.UPDATED and CORRECTED; the conditions are the partial index's."""

    template = (
        "(SELECT latest_change.%(column)s FROM claims_claimevent latest_change "
        "WHERE latest_change.claim_id = %(expressions)s AND latest_change.public "
        "AND latest_change.kind IN ('updated', 'corrected') "
        "ORDER BY latest_change.at DESC, latest_change.id DESC LIMIT 1)"
    )

    def __init__(self, column, output_field):
        super().__init__(models.F("pk"), column=column, output_field=output_field)


_TOPICS_OF_CLAIM = (
    "SELECT t.id, t.slug, t.name FROM claims_claim_topics ct JOIN claims_topic t ON t.id = ct.topic_id "
    "WHERE ct.claim_id = claims_claim.id ORDER BY t.name, t.id"
)
_TOPIC_SUMMARIES = {
    "postgresql": "SELECT coalesce(json_agg(json_build_object('id', id, 'slug', slug, 'name', name)), '[]')::text "
                  f"FROM ({_TOPICS_OF_CLAIM}) AS topic",
    "sqlite": "SELECT coalesce(json_group_array(json_object('id', id, 'slug', slug, 'name', name)), '[]') "
              f"FROM ({_TOPICS_OF_CLAIM}) AS topic",
}


@functools.cache
def _claim_path():
    """The fact-check page's path as a format string, reversed once (the URLconf does not change)."""
    return reverse("public:claim", args=[1234567890, "slug-placeholder"]).replace("1234567890", "{pk}").replace(
        "slug-placeholder", "{slug}"
    )


@functools.cache
def _claimant_path():
    return reverse("public:claimant", args=["slug-placeholder"]).replace("slug-placeholder", "{slug}")


class Claim(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "New"
        RESEARCHING = "researching", "Researching"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
        CLOSED = "closed", "Closed"

    class CloseReason(models.TextChoices):
        NOT_CHECKABLE = "not_checkable", "Not checkable (opinion or prediction)"
        DUPLICATE = "duplicate", "Duplicate of another claim"
        OUT_OF_SCOPE = "out_of_scope", "Out of scope"
        # Known only from other publishers' fact-checks (the reviews app): not our work until reopened.
        CHECKED_ELSEWHERE = "checked_elsewhere", "Checked by other fact-checkers"

    text = models.CharField(
        max_length=settings.CLAIM_TEXT_HARD_LIMIT,
        help_text="The statement as the desk words it; keep it under 75 characters. "
        "e.g. “About €210bn of Russian central-bank assets are frozen”",
    )
    slug = models.SlugField(max_length=80, blank=True)
    quote = models.TextField(blank=True, max_length=5000, help_text="Verbatim from the source, a sentence or two.")
    quote_start = models.PositiveIntegerField(null=True, blank=True)
    quote_end = models.PositiveIntegerField(null=True, blank=True)
    # Empty only for a reader tip that the desk has not attributed yet; a verdict needs it.
    claimant = models.ForeignKey(
        Claimant, on_delete=models.PROTECT, null=True, blank=True, related_name="claims"
    )
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, related_name="claims",
        help_text="Where the claim first appeared.",
    )
    claim_date = models.DateField(null=True, blank=True, help_text="When the claim was made, e.g. 2025-10-22")
    language = models.CharField(max_length=35, default="en", help_text="BCP-47 tag, e.g. en")
    topics = models.ManyToManyField(Topic, blank=True, related_name="claims")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    close_reason = models.CharField(max_length=20, choices=CloseReason.choices, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_claims"
    )
    published_verdict = models.ForeignKey(
        "Verdict", on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    recheck_on = models.DateField(
        null=True, blank=True, help_text="Review the published verdict again on this date, e.g. when revised "
        "statistics are due."
    )
    duplicate_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    is_reader_tip = models.BooleanField(default=False)
    # A reader's e-mail, for a tip's follow-up only: never public, never in the API for anonymous clients.
    tipster_email = models.EmailField(blank=True)
    # The ClaimReview this claim was imported from (manage.py import_claimreview); unique, so that a
    # re-import of the same file adds nothing.
    imported_from = HttpURLField(max_length=500, blank=True, editable=False)
    # Edits to a public claim that readers do not see yet (claims/workflow.py, "Drafts"): ``fields`` maps a
    # field to its new value as JSON (ids for claimant, source and topics, ISO dates), ``authors`` and
    # ``approvals`` are user ids. The row's own columns stay the version the reviewers approved.
    # (Nullable: SQLite adds the column in place, where a NOT NULL one would rebuild the table under its triggers.)
    draft = models.JSONField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        permissions = [("review_claim", "Can approve, send back, reopen and close claims")]
        indexes = [
            # The public index and feeds: published claims, newest first.
            models.Index(
                fields=["-published_at", "-id"], name="claim_public_newest",
                condition=Q(published_verdict__isnull=False),
            ),
            # The API's claim list (newest change first), for the public and for the desk.
            models.Index(
                fields=["-updated_at", "-id"], name="claim_public_updated",
                condition=Q(published_verdict__isnull=False),
            ),
            models.Index(fields=["-updated_at", "-id"], name="claim_updated"),
            # The desk queues.
            models.Index(fields=["status", "-updated_at"], name="claim_status_updated"),
            # My assignments, newest change first.
            models.Index(fields=["assignee", "-updated_at"], name="claim_assignee_updated"),
            # The board's columns in order of capture (board/: ?sort=oldest and ?sort=newest).
            models.Index(fields=["status", "created_at", "id"], name="claim_status_created"),
            # New arrivals, oldest first (the dashboard's "New" queue).
            models.Index(fields=["created_at", "id"], name="claim_new_oldest", condition=Q(status="new")),
            # Published verdicts due for a re-check, most overdue first (the status in the condition, so that no
            # planner prefers the status index and walks every published claim).
            models.Index(fields=["recheck_on", "id"], name="claim_recheck_due",
                         condition=Q(status="published", recheck_on__isnull=False)),
            # Our own claims by their exact wording: an imported review of the same words lists on our page
            # (reviews/importing.py). Claims known only from others' reviews are left out of it.
            models.Index(fields=["text"], name="claim_desk_text", condition=~Q(close_reason="checked_elsewhere")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_verdict__isnull=False, published_at__isnull=False),
                name="published_claim_has_verdict",
            ),
            models.CheckConstraint(
                condition=Q(quote_start__isnull=True, quote_end__isnull=True)
                | Q(quote_start__isnull=False, quote_end__isnull=False, quote_end__gte=models.F("quote_start")),
                name="quote_offsets_ordered",
            ),
            models.CheckConstraint(condition=~Q(duplicate_of=models.F("id")), name="claim_not_own_duplicate"),
            models.CheckConstraint(condition=Q(version__gte=1), name="claim_version_positive"),
            models.UniqueConstraint(
                fields=["imported_from"], condition=~Q(imported_from=""), name="claim_imported_from_unique"
            ),
            models.CheckConstraint(
                condition=~Q(close_reason="duplicate") | Q(duplicate_of__isnull=False),
                name="duplicate_claim_names_original",
            ),
        ]

    def __str__(self):
        return self.text

    def save(self, *args, **kwargs):
        # Derived, not a rule: the URL slug follows the text.
        self.slug = slugify(self.text)[:80].strip("-") or "claim"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        # Lists render this for every row; reversing the URL each time cost more than the row's query.
        return _claim_path().format(pk=self.pk, slug=self.slug or "claim")

    def get_desk_url(self):
        return reverse("desk:claim", args=[self.pk])

    @property
    def text_is_long(self):
        return len(self.text) > settings.CLAIM_TEXT_SOFT_LIMIT

    @property
    def is_public(self):
        return self.published_verdict_id is not None

    def working_copy(self):
        """The claim as the desk works on it: this row (what readers see) with the draft's fields applied, as an
        unsaved copy (no query). ``working_topic_ids`` is the draft's topic ids, or None if it leaves them."""
        copy = Claim(**{field.attname: getattr(self, field.attname) for field in self._meta.concrete_fields})
        for name, value in self.draft_fields.items():
            if name != "topics":
                field = self._meta.get_field(name)
                setattr(copy, field.attname, field.to_python(value))
        copy.working_topic_ids = self.draft_fields.get("topics")
        return copy

    @property
    def draft_fields(self):
        """Field → new value of the edits waiting for a reviewer (empty when there are none)."""
        return (self.draft or {}).get("fields", {})

    @property
    def draft_authors(self):
        return (self.draft or {}).get("authors", [])

    @property
    def draft_approvals(self):
        return (self.draft or {}).get("approvals", [])


class ApprovedCopyQuerySet(models.QuerySet):
    def working(self):
        """Items as the desk works on them: without those removed in a draft (still public until approved)."""
        return self.filter(removed=False)

    def approved(self):
        """Items readers see (as their ``public_version()``): those a reviewer approved."""
        return self.filter(approved__isnull=False)


class ApprovedCopy(models.Model):
    """Evidence and appearances: each row is the desk's working copy, and ``approved`` holds the public
    fields as a reviewer last approved them (null until then), so that an edit after publication reaches
    readers only through a reviewer. ``removed`` is a removal waiting for approval."""

    PUBLIC_FIELDS = ()

    approved = models.JSONField(null=True, blank=True, editable=False)
    removed = models.BooleanField(default=False, editable=False)

    objects = ApprovedCopyQuerySet.as_manager()

    class Meta:
        abstract = True

    def approved_values(self):
        """The public fields as they are now, in the form ``approved`` keeps them."""
        values = {}
        for name in self.PUBLIC_FIELDS:
            value = getattr(self, name)
            values[name] = value.isoformat() if isinstance(value, datetime.date) else value
        return values

    @property
    def is_pending(self):
        return self.removed or self.approved != self.approved_values()

    def public_version(self):
        """This item as readers see it: its approved fields (an unsaved copy; no query)."""
        copy = type(self)(**{f.attname: getattr(self, f.attname) for f in self._meta.concrete_fields})
        for name, value in (self.approved or {}).items():
            field = self._meta.get_field(name)
            setattr(copy, name, field.to_python(value))
        return copy


class Appearance(ApprovedCopy):
    """A further place the claim was repeated, to track its spread."""

    PUBLIC_FIELDS = ("url", "archived_url", "outlet", "seen_on")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="appearances")
    url = HttpURLField(max_length=500)
    archived_url = HttpURLField(max_length=500, blank=True)
    outlet = models.CharField(max_length=200, blank=True)
    seen_on = models.DateField(null=True, blank=True)

    objects = ApprovedCopyQuerySet.as_manager()

    class Meta:
        ordering = ["seen_on", "id"]

    def __str__(self):
        return self.url


class Evidence(ApprovedCopy):
    PUBLIC_FIELDS = ("url", "title", "publisher", "note", "stance", "archived_url", "withheld", "withheld_reason")

    class Stance(models.TextChoices):
        SUPPORTS = "supports", "Supports"
        REFUTES = "refutes", "Refutes"
        CONTEXT = "context", "Context"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    url = HttpURLField(
        max_length=500, blank=True,
        help_text="e.g. https://www.euroclear.com/newsandinsights/… — leave empty for an interview or a note.",
    )
    title = models.CharField(max_length=300, help_text="e.g. Euroclear half-year results 2025")
    publisher = models.CharField(max_length=200, blank=True, help_text="e.g. Euroclear")
    note = models.TextField(blank=True, max_length=10_000, help_text="The excerpt or what this shows.")
    stance = models.CharField(max_length=10, choices=Stance.choices, default=Stance.CONTEXT)
    archived_url = HttpURLField(max_length=500, blank=True, help_text="e.g. a web.archive.org copy")
    withheld = models.BooleanField(default=False, help_text="Hide the URL from the public to protect the source.")
    withheld_reason = models.CharField(max_length=300, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    last_checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    objects = ApprovedCopyQuerySet.as_manager()

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=Q(withheld=False) | ~Q(withheld_reason=""), name="withheld_evidence_has_reason"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def public_url(self):
        return "" if self.withheld else self.url


class Verdict(models.Model):
    """A proposed conclusion. Never edited: a new judgement is a new verdict."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="verdicts")
    rating = models.ForeignKey(Rating, on_delete=models.PROTECT, related_name="verdicts")
    # Snapshots, so that a later edit of the scale never rewrites what was published.
    rating_label = models.CharField(max_length=50)
    rating_value = models.PositiveSmallIntegerField(null=True, blank=True)
    summary = models.CharField(
        max_length=600, help_text="One or two sentences: the ClaimReview ratingExplanation."
    )
    analysis = models.TextField(blank=True, max_length=50_000, help_text="The write-up, in Markdown.")
    correction_note = models.TextField(
        blank=True, max_length=5000, help_text="What changed and why, when this verdict replaces a published one."
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    proposed_by_name = models.CharField(max_length=150)
    proposed_at = models.DateTimeField()

    class Meta:
        ordering = ["-proposed_at", "-id"]
        get_latest_by = ["proposed_at", "id"]

    def __str__(self):
        return f"{self.rating_label}: {self.claim_id}"


class ClaimEvent(models.Model):
    """One thing that happened to a claim. Append-only: database triggers refuse UPDATE and DELETE."""

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        EDITED = "edited", "Edited"
        ASSIGNED = "assigned", "Assigned"
        RESEARCH_STARTED = "research_started", "Research started"
        EVIDENCE_ADDED = "evidence_added", "Evidence added"
        EVIDENCE_CHANGED = "evidence_changed", "Evidence changed"
        EVIDENCE_REMOVED = "evidence_removed", "Evidence removed"
        VERDICT_PROPOSED = "verdict_proposed", "Verdict proposed"
        APPROVED = "approved", "Approved"
        SENT_BACK = "sent_back", "Sent back"
        PUBLISHED = "published", "Published"
        UPDATED = "updated", "Updated"
        REOPENED = "reopened", "Reopened"
        CORRECTED = "corrected", "Corrected"
        CLOSED = "closed", "Closed"
        # A reply e-mailed to a reader tip's sender (never public: its note is the message).
        REPLIED = "replied", "Replied to the tipster"

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="events")
    # SET_NULL is the one update the trigger allows: the actor's name below outlives the account.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    actor_name = models.CharField(max_length=150)
    at = models.DateTimeField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    from_status = models.CharField(max_length=20, choices=Claim.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Claim.Status.choices, blank=True)
    verdict = models.ForeignKey(Verdict, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    note = models.TextField(blank=True, max_length=5000)
    changes = models.JSONField(default=dict, blank=True)
    public = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["claim", "at", "id"], name="event_claim_timeline"),
            # A card's "Updated"/"Corrected" flag (ClaimQuerySet.with_last_change): a handful of rows, where the
            # timeline index would read every event of each card's claim (cold pages at 1M claims).
            models.Index(models.F("claim"), models.F("at").desc(), models.F("id").desc(),
                         name="event_public_change",
                         condition=Q(public=True, kind__in=["updated", "corrected"])),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} by {self.actor_name}"


class ClaimSearch(models.Model):
    """The full-text document of a claim (text, quote, claimant name, published summary).

    Maintained by database triggers (migration 0005), never by Python, so that bulk loads, admin edits
    and raw SQL keep it current. On PostgreSQL ``document`` is a weighted tsvector behind a GIN index;
    SQLite keeps the same text in the FTS5 table ``claims_claimsearch_fts`` and leaves this table empty.
    Read it only through ``Claim.objects.search(q)``.
    """

    claim = models.OneToOneField(Claim, on_delete=models.CASCADE, primary_key=True, related_name="+")
    document = SearchVectorField(null=True)
    # PostgreSQL: published_verdict_id IS NOT NULL, as Claim.objects.public() tests it, kept by the same trigger
    # (migration 0015), so that a public search ranks its matches in this table alone (search.ranked_published).
    published = models.BooleanField(default=False, db_default=False)

    class Meta:
        default_permissions = ()

    def __str__(self):
        return f"search document of claim {self.claim_id}"
