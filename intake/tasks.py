"""Intake's background work: long sources analysed out of the request, and a sweep that embeds claims the
save hook did not see (claims imported in bulk from others' reviews are created without Django's save
signals, and a failed embedding is retried here)."""

from django.db.models import Exists, OuterRef
from django_tasks import task

from background.queue import every

BATCH = 500  # all-MiniLM-L6-v2 on this 2-core machine: about 20-60 s for 500 claims


def claims_needing_vectors():
    from claims.models import Claim

    from . import transformer
    from .models import Embedding

    current = Embedding.objects.filter(
        corpus=Embedding.Corpus.CLAIM, object_id=OuterRef("pk"), updated_at__gte=OuterRef("updated_at"),
        model=transformer.MODEL_NAME,
    )
    return Claim.objects.filter(~Exists(current)).order_by("pk")


@task()
def embed_claims_sweep():
    from .matching import store_claim_embeddings

    claims = list(claims_needing_vectors().only("pk", "text", "quote")[:BATCH])
    store_claim_embeddings(claims)
    return len(claims)


@task()
def analyse_source_task(source_id):
    """A long source's analysis, out of the request (the workspace shows it once done)."""
    from claims.models import Source

    from .analysis import current_analysis

    source = Source.objects.filter(pk=source_id).first()
    if source is not None and source.text:
        current_analysis(source)


every(60, embed_claims_sweep)
