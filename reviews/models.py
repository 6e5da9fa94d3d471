"""Fact-checks by others: reviews other publishers made, imported as they wrote them (DESIGN.md, "Fact-checks by
others"). They are theirs, never ours: nothing here is a verdict, and our ClaimReview output never carries them
under our name.

Writes: ``reviews/importing.py`` (the import), which changes claims only through ``claims.workflow``.
"""

import hashlib

from django.db import models
from django.db.models import Exists, OuterRef, Q

from claims.models import Claim, Rating


def rating_words(text):
    """A publisher's rating as the mapping compares it: case-folded, spaces collapsed, end punctuation dropped
    ("Pants on Fire!" and "pants on fire" are the same words)."""
    return " ".join((text or "").casefold().split()).rstrip(".!…")[:200]


def claim_key(text):
    """Which claim a review is about: its text, spaces collapsed and case-folded, hashed (reviews of the same
    wording by several publishers land on one claim)."""
    return hashlib.sha256(" ".join((text or "").casefold().split()).encode()).hexdigest()


def review_key(url, text):
    """One review of one claim: a review URL may carry several claims, and a claim several reviews."""
    return hashlib.sha256(f"{url}\n{claim_key(text)}".encode()).hexdigest()


class Publisher(models.Model):
    """A fact-checking organisation whose reviews we import. Known by its site when it gives one."""

    name = models.CharField(max_length=300, help_text="e.g. Full Fact")
    site = models.CharField(max_length=253, blank=True, help_text="The host name, e.g. fullfact.org")

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["site"], condition=~Q(site=""), name="publisher_site_unique"),
            models.UniqueConstraint(fields=["name"], condition=Q(site=""), name="publisher_name_unique_no_site"),
        ]

    def __str__(self):
        return self.name or self.site


class ExternalReviewQuerySet(models.QuerySet):
    def listed(self):
        """With the publisher, newest review first (the public "checked elsewhere" pages, the API export)."""
        return self.select_related("publisher").order_by(models.F("review_date").desc(nulls_last=True), "-id")

    def mapped_to(self, rating):
        """Reviews whose rating words the mapping puts on ``rating`` (house scale): for filters and counts only."""
        mapping = RatingMapping.objects.filter(words=OuterRef("rating_words"), rating=rating).filter(
            Q(publisher=None) | Q(publisher=OuterRef("publisher"))
        )
        return self.filter(Exists(mapping))

    def matching(self, text, limit=5):
        """Others' reviews of claims like ``text`` (the desk's "checked elsewhere" hints): the claims the full-text
        search finds among those others reviewed, best first."""
        claims = Claim.objects.filter(Exists(ExternalReview.objects.filter(claim=OuterRef("pk"))))
        found = claims.search(text)
        if found is None:
            return self.none()
        ids = list(found.values_list("pk", flat=True)[:limit])
        return self.filter(claim_id__in=ids).listed()


class ExternalReview(models.Model):
    """One publisher's review of one claim, field by field as the publisher wrote it."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="external_reviews")
    publisher = models.ForeignKey(Publisher, on_delete=models.PROTECT, related_name="reviews")
    key = models.CharField(max_length=64, unique=True, editable=False)  # review_key(url, claim_reviewed)
    claim_key = models.CharField(max_length=64, db_index=True, editable=False)
    url = models.CharField(max_length=2000, help_text="The original review, e.g. https://fullfact.org/health/…")
    publisher_name = models.CharField(max_length=300, blank=True, help_text="As the review names its publisher")
    claim_reviewed = models.TextField(help_text="The claim as the publisher worded it, in full.")
    claimant_name = models.TextField(blank=True)
    claimant_same_as = models.CharField(max_length=2000, blank=True)
    claim_date = models.DateField(null=True, blank=True)
    appearance_url = models.CharField(max_length=2000, blank=True)
    headline = models.TextField(blank=True)
    textual_rating = models.TextField(blank=True, help_text="The publisher's rating words, e.g. Pants on Fire")
    rating_words = models.CharField(max_length=200, blank=True, editable=False)
    rating_value = models.FloatField(null=True, blank=True)
    best_rating = models.FloatField(null=True, blank=True)
    worst_rating = models.FloatField(null=True, blank=True)
    rating_explanation = models.TextField(blank=True)
    language = models.CharField(max_length=35, blank=True, help_text="As given, e.g. ar; empty when not given")
    review_date = models.DateTimeField(null=True, blank=True)
    imported_at = models.DateTimeField()
    changed_at = models.DateTimeField(null=True, blank=True, help_text="When a re-import changed its rating or date")

    objects = ExternalReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]

    def __str__(self):
        return f"{self.publisher_name or self.publisher}: {self.textual_rating}"

    @property
    def publisher_label(self):
        return self.publisher_name or str(self.publisher)


class RatingMapping(models.Model):
    """A publisher's rating words on our scale, an editor's choice used for filters and counts only: the review
    keeps and shows its own words, and its ClaimReview never gets our numbers."""

    publisher = models.ForeignKey(Publisher, on_delete=models.CASCADE, null=True, blank=True,
                                  help_text="Empty: these words mean this for every publisher.")
    words = models.CharField(max_length=200, help_text="e.g. pants on fire (case and end punctuation ignored)")
    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["words", "id"]
        constraints = [
            models.UniqueConstraint(fields=["publisher", "words"], name="ratingmapping_unique"),
            models.UniqueConstraint(fields=["words"], condition=Q(publisher=None), name="ratingmapping_unique_any"),
        ]

    def __str__(self):
        return f"{self.words} → {self.rating}"

    def save(self, *args, **kwargs):
        self.words = rating_words(self.words)  # derived: the form compared with ExternalReview.rating_words
        super().save(*args, **kwargs)
