"""The Atom feed of the public site: every publication, update and correction, newest first."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from claims.models import Claim, ClaimEvent

FEED_SIZE = 30


class LatestFactChecks(Feed):
    """Publications and corrections (``Claim.objects.public().public_history()``: one query)."""

    feed_type = Atom1Feed

    def title(self):
        return f"{settings.ORGANIZATION_NAME}: fact-checks and corrections"

    def subtitle(self):
        return "Every fact-check we publish, and every correction we make to one."

    def link(self):
        return settings.SITE_URL + reverse("public:home")

    def feed_url(self):
        return settings.SITE_URL + reverse("public:feeds")

    def author_name(self):
        return settings.ORGANIZATION_NAME

    def items(self):
        return Claim.objects.public().public_history()[:FEED_SIZE]

    def item_title(self, event):
        label = event.verdict.rating_label if event.verdict else ""
        if event.kind == ClaimEvent.Kind.CORRECTED:
            return f"Correction: {event.claim.text} (now rated {label})"
        if event.kind == ClaimEvent.Kind.UPDATED:
            return f"Updated: {event.claim.text} ({label})"
        return f"{label}: {event.claim.text}"

    def item_description(self, event):
        # Feed readers treat the description as HTML; escape it so it is read as the plain text it is.
        if event.kind == ClaimEvent.Kind.CORRECTED:
            changed = f"We changed our rating from {event.previous_label} to {event.verdict.rating_label}. "
            return escape(changed + event.note)
        if event.kind == ClaimEvent.Kind.UPDATED:
            return escape(event.note)
        return escape(event.verdict.summary if event.verdict else "")

    def item_link(self, event):
        url = settings.SITE_URL + event.claim.get_absolute_url()
        return f"{url}#correction-{event.pk}" if event.kind == ClaimEvent.Kind.CORRECTED else url

    def item_guid(self, event):
        return f"{settings.SITE_URL}/claims/{event.claim_id}/#event-{event.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, event):
        return event.at

    def item_updateddate(self, event):
        return event.at

    def item_author_name(self, event):
        return settings.ORGANIZATION_NAME

    def item_categories(self, event):
        return [event.verdict.rating_label] if event.verdict else []
