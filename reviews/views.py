"""Public pages of others' fact-checks: whose each review is, their rating words, and a link to the original.

Nothing here is ours, and nothing says so: no "our verdict", no sign-off. Only what the publishers published is
shown (their wording of the claim, their rating), never a desk's draft of the claim it is attached to.
"""

from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from claims.models import Claim, Rating

from .models import ExternalReview, Publisher

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 200
SEARCH_LIMIT = 1000


def _param(request, name, limit):
    """A query parameter, cut to ``limit`` and without NULs (PostgreSQL refuses them in a query; SQLite would
    just find nothing): the same page on both databases."""
    return request.GET.get(name, "")[:limit].replace("\x00", "")


@require_GET
def index(request):
    """Others' fact-checks, newest first: ``?q=`` searches the claims they reviewed (in every language),
    ``?publisher=`` (a site) and ``?rating=`` (a house rating, through the rating mapping) narrow them."""
    q = _param(request, "q", MAX_QUERY_LENGTH)
    reviews = ExternalReview.objects.listed()
    if q.strip():
        found = Claim.objects.search(q)
        # The best SEARCH_LIMIT claims' ids, read first: SQLite's full-text join (claims/search.py) cannot be a
        # subquery, where Django renames the claim table it names.
        ids = [] if found is None else list(found.values_list("pk", flat=True)[:SEARCH_LIMIT])
        reviews = reviews.filter(claim_id__in=ids)
    publisher = _param(request, "publisher", 253)
    if publisher:
        reviews = reviews.filter(publisher__site=publisher)
    wanted = _param(request, "rating", 50)
    rating = Rating.objects.filter(slug=wanted).first() if wanted else None
    if rating is not None:
        reviews = reviews.mapped_to(rating)
    page = Paginator(reviews, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reviews/index.html", {
        "page": page, "q": q, "publisher": publisher, "rating": rating,
        "publishers": Publisher.objects.order_by("name", "id"), "ratings": Rating.objects.all(),
    })


@require_GET
def claim_reviews(request, pk):
    """One claim as others checked it: every publisher's review of it. 404 for a claim nobody else reviewed."""
    reviews = list(ExternalReview.objects.filter(claim_id=pk).listed().annotate(claim_language=F("claim__language")))
    if not reviews:
        raise Http404("No fact-check by others of this claim.")
    ours = Claim.objects.public().select_related(None).filter(pk=pk).only("id", "slug").first()
    wording = reviews[-1]  # the first review imported words the claim for the page's title
    return render(request, "reviews/claim.html", {
        "reviews": reviews, "wording": wording, "ours": ours,
        "language": wording.language or wording.claim_language,
    })

