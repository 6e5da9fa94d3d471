"""Link health and archived copies of the web pages the register cites.

A ``Link`` is one URL, however many claims cite it (evidence, sources, appearances, claimants' ``same_as``): its
health is that of the address, checked when first seen and then on a schedule. A ``Capture`` is one archived
copy of a page (a WARC file and its extracted text), made when evidence is added or on request.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.fields.json import KT
from django.urls import reverse
from django.utils import timezone

from claims.models import Appearance, Claim, Evidence, HttpURLField


class LinkQuerySet(models.QuerySet):
    def due(self, now=None):
        """Links whose next check is due and that no worker holds: the scheduler's sweep."""
        now = now or timezone.now()
        stale = now - timezone.timedelta(hours=1)
        return self.filter(next_check_at__lte=now).filter(Q(queued_at__isnull=True) | Q(queued_at__lt=stale))

    def broken(self):
        return self.filter(health=Link.Health.BROKEN)

    def failing(self):
        return self.filter(health__in=[Link.Health.FAILING, Link.Health.BROKEN])

    def health_counts(self):
        """{health: count}: the desk's broken-links queue heading."""
        counts = dict(self.values_list("health").annotate(n=models.Count("id")).order_by())
        return {health: counts.get(health, 0) for health in Link.Health.values}

    def cited_by_claim(self, claim):
        return self.filter(url__in=claim_urls(claim))


class Link(models.Model):
    class Health(models.TextChoices):
        UNCHECKED = "unchecked", "Not checked yet"
        OK = "ok", "Working"
        FAILING = "failing", "Failing"  # failed lately, not yet often enough in a row to call broken
        BROKEN = "broken", "Broken"

    url = HttpURLField(max_length=500, unique=True, help_text="e.g. https://www.euroclear.com/results-2025")
    health = models.CharField(max_length=10, choices=Health.choices, default=Health.UNCHECKED)
    consecutive_failures = models.PositiveIntegerField(default=0)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_ok_at = models.DateTimeField(null=True, blank=True)
    next_check_at = models.DateTimeField(default=timezone.now)
    queued_at = models.DateTimeField(null=True, blank=True)
    status = models.PositiveSmallIntegerField(null=True, blank=True, help_text="HTTP status, e.g. 200 or 404")
    final_url = models.URLField(max_length=2000, blank=True)
    content_type = models.CharField(max_length=200, blank=True)
    size = models.BigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    elapsed_ms = models.PositiveIntegerField(null=True, blank=True)
    error_code = models.CharField(max_length=40, blank=True, help_text="e.g. timeout, connection, refused_address")
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LinkQuerySet.as_manager()

    class Meta:
        ordering = ["url"]
        indexes = [
            models.Index(fields=["next_check_at"], name="link_due"),
            models.Index(fields=["health", "last_checked_at"], name="link_health"),
        ]

    def __str__(self):
        return self.url

    @property
    def is_broken(self):
        return self.health == self.Health.BROKEN

    @property
    def outcome(self):
        """What the last check found, in a few words: "200", "404", "timeout"."""
        if self.error_code:
            return self.error_code.replace("_", " ")
        return str(self.status) if self.status else ""


class CaptureQuerySet(models.QuerySet):
    def captured(self):
        return self.filter(state=Capture.State.CAPTURED)

    def public(self):
        """Copies of pages a public page links to: the URL of non-withheld evidence, of an appearance or of the
        source of a published claim. A withheld item's copy is never among them (unless the same URL is public
        elsewhere, where readers see it anyway)."""
        public_claims = Claim.objects.public()
        # As readers see them: the approved copy of each item (an edit since is a draft they do not see).
        urls = (
            Evidence.objects.approved().filter(claim__in=public_claims).exclude(approved__withheld=True)
            .annotate(public_url=KT("approved__url")).values("public_url")
        )
        appearance_urls = (
            Appearance.objects.approved().filter(claim__in=public_claims)
            .annotate(public_url=KT("approved__url")).values("public_url")
        )
        source_urls = public_claims.exclude(source__url="").values("source__url")
        return self.captured().filter(
            Q(link__url__in=urls) | Q(link__url__in=appearance_urls) | Q(link__url__in=source_urls)
        )


def capture_path(capture, filename):
    return f"captures/{timezone.now():%Y/%m}/{capture.link_id}-{filename}"


class Capture(models.Model):
    """An archived copy of a page: the WARC (request's answer as received) and the text extracted from it."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        CAPTURED = "captured", "Captured"
        FAILED = "failed", "Failed"

    link = models.ForeignKey(Link, on_delete=models.CASCADE, related_name="captures")
    evidence = models.ForeignKey(Evidence, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    captured_at = models.DateTimeField(null=True, blank=True)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    final_url = models.URLField(max_length=2000, blank=True)
    content_type = models.CharField(max_length=200, blank=True)
    size = models.BigIntegerField(null=True, blank=True, help_text="bytes of the page as received")
    sha256 = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the page as received")
    warc = models.FileField(upload_to=capture_path, blank=True)
    warc_sha256 = models.CharField(max_length=64, blank=True)
    text = models.FileField(upload_to=capture_path, blank=True)
    error = models.CharField(max_length=500, blank=True)

    objects = CaptureQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["link", "state", "-captured_at"], name="capture_latest")]

    def __str__(self):
        return f"{self.link.url} ({self.get_state_display()})"

    def get_absolute_url(self):
        return reverse("linkcheck:capture", args=[self.pk])

    def get_warc_url(self):
        return reverse("linkcheck:capture_warc", args=[self.pk])


def claim_urls(claim):
    """Every URL a claim cites: its evidence (withheld included: the desk checks those too), appearances, source
    and claimant's same_as."""
    urls = set(Evidence.objects.filter(claim=claim).exclude(url="").values_list("url", flat=True))
    urls |= set(Appearance.objects.filter(claim=claim).values_list("url", flat=True))
    if claim.source_id and claim.source.url:
        urls.add(claim.source.url)
    if claim.claimant_id and claim.claimant.same_as:
        urls.add(claim.claimant.same_as)
    return urls
