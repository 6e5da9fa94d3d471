"""New links on a claim are found, checked and captured after the change commits, without the workflow knowing:
every workflow operation writes a ClaimEvent in its transaction, and the kinds below can add URLs."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from background.queue import enqueue_on_commit
from claims.models import ClaimEvent

URL_EVENTS = {ClaimEvent.Kind.CREATED, ClaimEvent.Kind.EDITED, ClaimEvent.Kind.EVIDENCE_ADDED,
              ClaimEvent.Kind.EVIDENCE_CHANGED}


@receiver(post_save, sender=ClaimEvent, dispatch_uid="linkcheck-claim-event")
def claim_changed(sender, instance, created, raw=False, **kwargs):
    if created and not raw and instance.kind in URL_EVENTS:
        from .tasks import sync_claim_links

        enqueue_on_commit(sync_claim_links, instance.claim_id)
