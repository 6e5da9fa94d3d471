"""A published fact-check's share card, at a stable address: ``/claims/<id>/card.png``.

The PNG is drawn once per version of what it shows and kept in the cache under its fingerprint, so an
approved update or correction (a new date on the card, perhaps a new rating or wording) draws a new one and
the old entry simply expires. Browsers and platforms revalidate with ETag / Last-Modified."""

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from claims.models import Claim

from . import render

# A day in the cache; a browser or a platform may reuse it for an hour before asking again (cheaply: 304).
KEEP_SECONDS = 24 * 3600
BROWSER_SECONDS = 3600


def card_values(claim):
    """The card's values for a claim read through ``Claim.objects.public().cards()``."""
    return render.facts(claim, site_name=settings.ORGANIZATION_NAME, last_change=claim.last_change,
                        last_change_at=claim.last_change_at)


@require_safe
def card(request, pk):
    # One query: the public claim with its claimant, verdict, rating and latest update or correction. Not
    # public (a draft, in review, closed, unknown): 404, the same answer as its page.
    claim = Claim.objects.public().cards().filter(pk=pk).first()
    if claim is None:
        raise Http404("No such fact-check.")
    values = card_values(claim)
    etag = f'"{render.fingerprint(values)}"'
    modified = claim.last_change_at or claim.published_at
    response = get_conditional_response(request, etag=etag, last_modified=int(modified.timestamp()))
    if response is None:
        key = f"sharecard:{etag.strip(chr(34))}"
        png = cache.get(key)
        if png is None:
            png = render.render(values)
            cache.set(key, png, KEEP_SECONDS)
        response = HttpResponse(png, content_type="image/png")
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified.timestamp())
    patch_cache_control(response, public=True, max_age=BROWSER_SECONDS)
    return response
