"""Keep claims' vectors current. The vectors are a derived index, like the full-text document (which database
triggers keep): they are written after the claim's own transaction commits, and ``manage.py embed_claims``
fills in any that a failure left out."""

import logging

from django.db import DatabaseError, transaction
from django.db.models.signals import post_save

logger = logging.getLogger(__name__)


def _on_claim_saved(sender, instance, raw=False, **kwargs):
    if raw:  # fixtures and archive restores: the backfill command embeds them
        return
    claim_id = instance.pk

    def embed():
        from claims.models import Claim

        from .matching import store_claim_embeddings

        try:
            store_claim_embeddings(Claim.objects.filter(pk=claim_id))
        except DatabaseError as exc:  # an outage: one line, not a traceback per claim; the sweep embeds it later
            logger.warning("could not embed claim %s: the database is unavailable (%s)", claim_id,
                           str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        except Exception:  # the claim is saved; its vector can be rebuilt by embed_claims
            logger.exception("could not embed claim %s", claim_id)

    transaction.on_commit(embed)


def connect():
    from claims.models import Claim

    post_save.connect(_on_claim_saved, sender=Claim, dispatch_uid="intake-embed-claim")
