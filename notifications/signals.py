"""Events that may notify someone start the event sweep after they commit; a broken link notifies at once (it
is found by a worker already)."""

from django.apps import apps
from django.db.models.signals import post_save
from django.dispatch import receiver

from background.queue import enqueue_on_commit
from claims.models import ClaimEvent

from .notifying import NOTIFYING


@receiver(post_save, sender=ClaimEvent, dispatch_uid="notifications-claim-event")
def claim_event(sender, instance, created, raw=False, **kwargs):
    if created and not raw and instance.kind in NOTIFYING:
        from .tasks import process_events

        enqueue_on_commit(process_events)


if apps.is_installed("linkcheck"):
    from linkcheck.checking import link_broken

    @receiver(link_broken, dispatch_uid="notifications-link-broken")
    def on_link_broken(sender, link, **kwargs):
        from .notifying import notify_link_broken

        notify_link_broken(link)
