from urllib.parse import quote, urlencode

from django import template
from django.conf import settings
from django.urls import reverse

from claims.models import ClaimEvent
from sharecards import render

register = template.Library()


def _last_change(claim):
    """The latest update or correction from the fact-check page's prefetched public timeline (no query), as
    ``with_last_change`` annotates it for the card itself: the page and the image agree on the fingerprint."""
    changes = [e for e in claim.public_events if e.kind in (ClaimEvent.Kind.UPDATED, ClaimEvent.Kind.CORRECTED)]
    return (changes[-1].kind, changes[-1].at) if changes else (None, None)


@register.inclusion_tag("sharecards/meta.html")
def share_card_meta(claim):
    """og:image and the large Twitter card for a fact-check page (read through ``public_detail()``)."""
    last_change, last_change_at = _last_change(claim)
    values = render.facts(claim, site_name=settings.ORGANIZATION_NAME, last_change=last_change,
                          last_change_at=last_change_at)
    path = reverse("sharecards:card", args=[claim.pk])
    return {
        "image_url": f"{settings.SITE_URL}{path}?v={render.fingerprint(values)}",
        "width": render.WIDTH, "height": render.HEIGHT,
        "alt": f"{values['rating']}: “{claim.text}”" + (f", {values['claimant']}" if values["claimant"] else ""),
    }


@register.inclusion_tag("sharecards/links.html")
def share_links(claim, url):
    """Plain links to share a fact-check: no third-party script, no tracking, nothing loaded until a reader
    clicks. ``url`` is the page's canonical address."""
    title = f"Fact-check: {claim.text}"
    verdict = claim.published_verdict.rating_label
    text = f"{title} ({verdict})"
    links = [
        ("E-mail", "mailto:?" + urlencode({"subject": title, "body": f"{text}\n{url}"}, quote_via=quote)),
        ("X", "https://x.com/intent/post?" + urlencode({"text": text, "url": url})),
        ("Bluesky", "https://bsky.app/intent/compose?" + urlencode({"text": f"{text} {url}"})),
        ("Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})),
        ("LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url})),
        ("WhatsApp", "https://wa.me/?" + urlencode({"text": f"{text} {url}"})),
    ]
    return {"url": url, "links": links}
