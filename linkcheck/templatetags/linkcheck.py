"""Link health beside each link on the claim pages: one query for every link a page shows.

    {% load linkcheck %}
    {% link_health evidence_groups appearances source_link as health %}
    {% link_badge health item.link %}
"""

from django import template
from django.db.models import OuterRef, Subquery

from ..models import Capture, Link

register = template.Library()


def _urls(values):
    for value in values:
        if not value:
            continue
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict) and "items" in value:  # a public page's evidence group
            yield from _urls(value["items"])
        elif hasattr(value, "url") and not isinstance(value, (list, tuple)):  # evidence, appearance
            yield getattr(value, "link", None) if hasattr(value, "link") else value.url
        else:
            yield from _urls(value)


def health_by_url(urls):
    """{url: Link} for ``urls``, each with ``capture_id``/``captured_at`` of its newest archived copy (or None)."""
    urls = {url for url in urls if url}
    if not urls:
        return {}
    newest = Capture.objects.captured().filter(link=OuterRef("pk")).order_by("-captured_at", "-id")
    links = Link.objects.filter(url__in=urls).annotate(
        capture_id=Subquery(newest.values("pk")[:1]), captured_at=Subquery(newest.values("captured_at")[:1])
    )
    return {link.url: link for link in links}


@register.simple_tag
def link_health(*sources):
    """The health of every URL in ``sources`` (strings, evidence items, appearances, lists or evidence groups)."""
    return health_by_url(_urls(sources))


@register.inclusion_tag("linkcheck/_badge.html")
def link_badge(health, url, desk=False):
    return {"link": health.get(url) if url else None, "desk": desk}
