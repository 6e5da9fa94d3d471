"""The cache in front of public pages and anonymous API reads.

A cached response's key carries *generations*: tokens that change when what the response shows changes.

- ``reference``: claimants, sources, topics and ratings. Every public response depends on it.
- ``lists``: any public claim. Every list, feed, sitemap and count depends on it.
- ``claim:<id>``: one public claim. Its fact-check page and API detail depend on it (and on ``reference``),
  but not on ``lists``, so publishing claim A leaves claim B's cached page alone.

A change bumps exactly the generations it affects, after its transaction commits; old entries are never
read again and expire. Generations live in the cache itself (Redis when ``REDIS_URL`` is set, else files that
every worker process on the machine shares), so every process agrees without any process-local state.
Only the parameters that change a page (``PAGE_PARAMETERS``) make an entry. Logged-in users, unsafe methods,
requests carrying a session and responses that set cookies are never cached.
"""

import hashlib
import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.urls import Resolver404, resolve

REFERENCE = "gen:reference"
LISTS = "gen:lists"
CACHEABLE_NAMESPACES = {"public", "api"}
UNCACHEABLE_VIEWS = {"public:submit", "public:submit_thanks", "api:not-found"}
# Views that show one claim and nothing that changes without it: keyed on that claim's generation.
CLAIM_VIEWS = {"public:claim", "api:claim", "api:claim-evidence", "api:claim-verdicts", "api:claim-history"}
KEPT_HEADERS = ("Content-Type", "ETag", "Link", "Content-Language", "Vary", "X-Robots-Tag")
# The query parameters that change a public page or API read. A request with any other parameter, or a long
# query string, is answered but not stored: 300 requests with made-up query strings stored 300 pages.
PAGE_PARAMETERS = frozenset({
    "q", "rating", "claimant", "topic", "source", "page", "before", "after", "p",  # pages, the sitemap
    "cursor", "page_size", "status", "updated_after", "published_after", "text",  # the API
})
MAX_CACHED_QUERY = 256


def claim_generation_key(pk):
    return f"gen:claim:{pk}"


def generation(key):
    token = cache.get(key)
    if token is None:
        # A fresh random token, never a counter: an evicted generation must not resurrect stale entries.
        cache.add(key, uuid.uuid4().hex, None)
        token = cache.get(key)
    return token


def bump(*keys):
    cache.set_many({key: uuid.uuid4().hex for key in keys}, None)


def claim_changed(pk):
    bump(LISTS, claim_generation_key(pk))


def reference_changed():
    bump(REFERENCE)


def remember(name, compute):
    """``compute()``'s value, kept until public data changes: for figures that cost a scan of every public
    claim (filter options, counts), so that the pages using them stay as fast at 100k claims as at 1k.
    Kept whatever ``PUBLIC_CACHE_SECONDS`` says: it is data, invalidated like the pages, not a page.
    ``PUBLIC_DATA_CACHE = False`` computes every time (the tests, whose changes never commit)."""
    if not settings.PUBLIC_DATA_CACHE:
        return compute()
    key = "data:" + hashlib.sha256("|".join([name, generation(REFERENCE), generation(LISTS)]).encode()).hexdigest()
    return cache.get_or_set(key, compute, 24 * 3600)


class PublicCacheMiddleware:
    """Serve anonymous GETs of public pages and API reads from the cache (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = self.key_for(request)
        if key is None:
            return self.get_response(request)
        stored = cache.get(key)
        if stored is not None:
            return self.rebuild(stored)
        response = self.get_response(request)
        if response.status_code == 200 and not response.cookies and not response.streaming:
            cache.set(key, self.store(response), settings.PUBLIC_CACHE_SECONDS)
        return response

    def key_for(self, request):
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        if (
            settings.PUBLIC_CACHE_SECONDS <= 0
            or request.method not in ("GET", "HEAD")
            or match is None
            or match.namespace not in CACHEABLE_NAMESPACES
            or match.view_name in UNCACHEABLE_VIEWS
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or "HTTP_AUTHORIZATION" in request.META
            or request.user.is_authenticated
        ):
            return None
        query = request.META.get("QUERY_STRING", "")
        if len(query) > MAX_CACHED_QUERY or not PAGE_PARAMETERS.issuperset(request.GET.keys()):
            return None
        generations = [generation(REFERENCE)]
        if match.view_name in CLAIM_VIEWS:
            pk = match.kwargs.get("pk", match.kwargs.get("claim_id"))
            generations.append(generation(claim_generation_key(pk)))
        else:
            generations.append(generation(LISTS))
        accept = request.headers.get("Accept", "")
        # The same parameters in another order are the same page.
        raw = "|".join([request.path, urlencode(sorted(request.GET.lists()), doseq=True), accept, *generations])
        return "page:" + hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def store(response):
        return {
            "status": response.status_code,
            "content": response.content,
            "headers": {name: response[name] for name in KEPT_HEADERS if response.has_header(name)},
        }

    @staticmethod
    def rebuild(stored):
        response = HttpResponse(stored["content"], status=stored["status"])
        for name, value in stored["headers"].items():
            response[name] = value
        return response


def _on_claim_saved(sender, instance, **kwargs):
    # Only public claims are on cached pages; a draft's edits invalidate nothing.
    if instance.published_verdict_id is not None:
        pk = instance.pk
        transaction.on_commit(lambda: claim_changed(pk))


def _on_reference_changed(sender, **kwargs):
    transaction.on_commit(reference_changed)


def connect_signals():
    from .models import Claim, Claimant, Rating, Source, Topic

    post_save.connect(_on_claim_saved, sender=Claim, dispatch_uid="cache-claim-saved")
    for model in (Claimant, Source, Topic, Rating):
        post_save.connect(_on_reference_changed, sender=model, dispatch_uid=f"cache-{model.__name__}-saved")
        post_delete.connect(_on_reference_changed, sender=model, dispatch_uid=f"cache-{model.__name__}-deleted")
