"""Intake's own records: the vectors claims are matched by, and each source's analysed sentences."""

import numpy as np
from django.db import models

from claims.models import Source

from . import transformer


class EmbeddingQuerySet(models.QuerySet):
    def changed_since(self, moment):
        """What the in-memory matching index must (re)read: everything, or what changed at or after
        ``moment``. Read by ``intake.matching.Index.refresh`` only."""
        rows = self.filter(model=transformer.MODEL_NAME)  # vectors of an older model wait for the sweep
        rows = rows if moment is None else rows.filter(updated_at__gte=moment)
        return rows.order_by("updated_at", "pk").values_list("corpus", "object_id", "text", "vector", "updated_at")


class Embedding(models.Model):
    """One matchable text of a corpus (our claims; others' reviews once they have an app) and its vector.

    Written when a claim is captured, imported or edited (``intake.signals``) and by ``manage.py
    embed_claims``; read into memory by the matching index.
    """

    class Corpus(models.TextChoices):
        CLAIM = "claim", "Claim in the register"

    corpus = models.CharField(max_length=20, choices=Corpus.choices)
    object_id = models.BigIntegerField()
    text = models.TextField(help_text="What was embedded: the claim's text and quote.")
    vector = models.BinaryField(help_text=f"float32 × {transformer.DIMENSIONS}, unit length")
    # No default: a default naming the current model would need a migration each time the model changes.
    model = models.CharField(max_length=100,
                             help_text="What computed the vector (transformer.MODEL_NAME); rows of another model "
                                       "are recomputed.")
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = EmbeddingQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["corpus", "object_id"], name="embedding_unique_per_object")]

    def __str__(self):
        return f"{self.corpus} {self.object_id}"

    @property
    def array(self):
        return np.frombuffer(self.vector, dtype=np.float32)


class SourceAnalysis(models.Model):
    """A source's text split into sentences, each with its check-worthiness (None: not scored, e.g. not
    English). Matches are not stored: the register changes, so they are found when the page is read."""

    source = models.OneToOneField(Source, on_delete=models.CASCADE, primary_key=True, related_name="analysis")
    text_sha256 = models.CharField(max_length=64, help_text="Of the text analysed; a changed text is re-analysed.")
    sentences = models.JSONField(default=list, help_text='e.g. [{"start": 0, "end": 42, "score": 0.91}]')
    analysed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "source analyses"

    def __str__(self):
        return f"analysis of source {self.source_id}"
