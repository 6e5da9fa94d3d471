"""The public site: published fact-checks for readers.

Every read starts from ``Claim.objects.public()``; anything it does not reach answers 404, so nothing that
is not published can be seen, or even confirmed to exist.
"""

import datetime
import re

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import cached_property
from django.views.decorators.http import require_http_methods, require_safe

from claims import caching, jsonld, rendering, workflow
from claims.addresses import client_ip
from claims.forms import ReaderTipForm
from claims.models import Claim, ClaimEvent, Evidence, Rating

PAGE_SIZE = 20
# The claimant and topic menus on the index list at most this many, the most checked.
FILTER_OPTIONS = 60
# Past this many rows, a page of search results is read ids first (see _Paginator.page).
DEFERRED_JOIN_AFTER = 200
HOME_LATEST = 8
TIP_WINDOW_SECONDS = 3600
MAX_QUERY_LENGTH = 200

STANCE_HEADINGS = {
    Evidence.Stance.SUPPORTS: "Evidence that supports the claim",
    Evidence.Stance.REFUTES: "Evidence that contradicts the claim",
    Evidence.Stance.CONTEXT: "Context",
}


def _http(url):
    """``url`` as a valid link if it is an http(s) address, else "". The workflow refuses other schemes; this
    guards the href of anything that reached the database another way."""
    return rendering.href(url)


class _CachedCount:
    """A list's total through the data cache: a COUNT over every published claim costs more as the archive
    grows, and the number changes only when public data does."""

    def __init__(self, queryset, count_key):
        self.queryset, self.count_key = queryset, count_key

    @cached_property
    def count(self):
        return caching.remember(f"count:{self.count_key}", self.queryset.count)


class CursorPage:
    """Keyset pagination of a newest-first list: ``?before=`` (older) or ``?after=`` (newer) a claim's
    position, its (published_at, id) written as ``<microseconds since 1970>.<id>``. A page is read through
    the (published_at, id) index from that position on, so the thousandth page costs what the first does;
    numbered pages would skip every row before them. (DRF's CursorPagination keys on published_at alone and
    steps over ties by offset: imported fact-checks share their review's date by the thousand.)

    ``object_list``, the links to the ``newer`` and ``older`` pages (or None), and ``paginator.count``."""

    def __init__(self, request, queryset, *, count_key):
        size = PAGE_SIZE
        self.paginator = _CachedCount(queryset, count_key)
        before, after = request.GET.get("before"), request.GET.get("after")
        if after is not None:  # newer than the position: read oldest first, then turned round
            published_at, pk = _position(after)
            newer = queryset.filter(published_at__gte=published_at).exclude(published_at=published_at, pk__lte=pk)
            rows = list(newer.order_by("published_at", "id")[: size + 1])
            more_newer, more_older = len(rows) > size, True
            rows = rows[:size][::-1]
        else:
            if before is not None:
                published_at, pk = _position(before)
                queryset = queryset.filter(published_at__lte=published_at).exclude(published_at=published_at,
                                                                                   pk__gte=pk)
            rows = list(queryset.order_by("-published_at", "-id")[: size + 1])
            more_newer, more_older = before is not None, len(rows) > size
            rows = rows[:size]
        self.object_list = rows
        self.newer = _link(request, "after", rows[0]) if rows and more_newer else None
        self.older = _link(request, "before", rows[-1]) if rows and more_older else None


_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def position_of(claim):
    """A claim's place in newest-first lists, as the ``before``/``after`` parameters write it."""
    return f"{(claim.published_at - _EPOCH) // datetime.timedelta(microseconds=1)}.{claim.pk}"


def _position(value):
    match = re.fullmatch(r"(-?\d{1,17})\.(\d{1,18})", value)
    if not match:
        raise Http404("That page of the list does not exist.")
    try:
        return _EPOCH + datetime.timedelta(microseconds=int(match[1])), int(match[2])
    except OverflowError:
        raise Http404("That page of the list does not exist.") from None


def _link(request, name, claim):
    query = request.GET.copy()
    for other in ("before", "after", "page"):
        query.pop(other, None)
    query[name] = position_of(claim)
    return f"{request.path}?{query.urlencode()}"


class _Paginator(Paginator):
    """Numbered pages, for lists not ordered newest first (search results by relevance, the corrections log),
    counted through the data cache."""

    def __init__(self, object_list, per_page, *, count_key):
        super().__init__(object_list, per_page)
        self.cached = _CachedCount(object_list, count_key)

    @cached_property
    def count(self):
        return self.cached.count

    def page(self, number):
        """Deep pages read their ids first, then the rows: skipping N entries of an index-only scan is cheap,
        skipping N whole rows with their joins is not, and grows with the archive."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if bottom < DEFERRED_JOIN_AFTER:
            return super().page(number)
        ids = list(self.object_list.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        rows = self.object_list.model._default_manager.none() if not ids else self.object_list.filter(pk__in=ids)
        by_id = {row.pk: row for row in rows}
        return self._get_page([by_id[pk] for pk in ids if pk in by_id], number, self)


def _page(request, queryset, *, count_key):
    return _Paginator(queryset, PAGE_SIZE, count_key=count_key).get_page(request.GET.get("page"))


def _search_page(request, public, q):
    """A page of a search with no other filter, as ``_page`` numbers it (an invalid number is the first page, one
    past the end the last), read with its total in one query (ClaimQuerySet.public_search_page)."""
    try:
        number = max(1, int(request.GET.get("page", 1)))
    except (TypeError, ValueError):
        number = 1
    number = min(number, 10**6)  # past any archive's last page; keeps the offset a small integer
    rows, total = public.public_search_page(q, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    paginator = Paginator(range(total), PAGE_SIZE)
    if not rows and number > paginator.num_pages:
        number = paginator.num_pages
        rows, total = public.public_search_page(q, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    return Page(rows, number, paginator)


def _newest_first(request, queryset, *, count_key):
    """A newest-first list: by keyset (``?before=``/``?after=``), the links the pages give; a ``?page=``
    number still answers, as DESIGN.md's URL map has it (deep numbered pages read ids first)."""
    if "page" in request.GET and not {"before", "after"} & request.GET.keys():
        return _page(request, queryset.order_by("-published_at", "-id"), count_key=count_key)
    return CursorPage(request, queryset, count_key=count_key)


# ---------------------------------------------------------------------------------------------------------
# Lists.


@require_safe
def home(request):
    public = Claim.objects.public()
    counts = caching.remember("rating-counts", public.rating_counts)
    # Only the ratings in use: a panel of zeros tells a reader nothing.
    ratings = [(rating, counts[rating.pk]) for rating in Rating.objects.all() if counts.get(rating.pk)]
    return render(request, "public/home.html", {
        "latest": list(public.cards().order_by("-published_at", "-id")[:HOME_LATEST]),
        "ratings": ratings,
        "total": sum(counts.values()),
        "corrections": list(public.corrections()[:3]),
    })


@require_safe
def claim_index(request):
    """The searchable, filterable list. Filters combine; each active one shows as a removable chip."""
    public = Claim.objects.public()
    q = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    options = caching.remember("index-options", lambda: {
        "rating": {r.slug: r.label for r in Rating.objects.all()},
        "claimant": _most_checked(public.claimants()),
        "topic": _most_checked(public.topics()),
    })
    cards = public.cards()
    claims = cards.search(q) if q else cards.order_by("-published_at", "-id")
    chips = [{"name": "q", "label": "Search", "value": q}] if q else []
    lookups = {"rating": "published_verdict__rating__slug", "claimant": "claimant__slug", "topic": "topics__slug"}
    selected = {}
    for name, lookup in lookups.items():
        value = request.GET.get(name, "").strip()
        label = _filter_label(public, name, value, options[name]) if value else None
        if label is None:  # no such rating, claimant or topic among published fact-checks: no filter, no chip
            continue
        claims = claims.filter(**{lookup: value})
        selected[name] = value
        chips.append({"name": name, "label": name.title(), "value": label})
    source_id = request.GET.get("source", "").strip()
    if source_id:
        valid = source_id.isascii() and source_id.isdigit() and len(source_id) < 19
        source = public.sources().filter(pk=source_id).first() if valid else None
        claims = claims.filter(source=source) if source else claims.none()
        selected["source"] = source_id
        chips.append({"name": "source", "label": "Source", "value": source.title if source else "unknown source"})
    count_key = f"index:{q}:{sorted(selected.items())}"
    # Search results come by relevance, in numbered pages; everything else newest first.
    if q and not selected:
        page = _search_page(request, cards, q)
    elif q:
        page = _page(request, claims, count_key=count_key)
    else:
        page = _newest_first(request, claims, count_key=count_key)
    return render(request, "public/claim_index.html", {
        "page": page, "q": q, "options": options, "selected": selected, "chips": chips,
    })


def _filter_label(public, name, value, menu):
    """What a filter's chip says: the rating's label, or the claimant's or topic's name (from the menu, else
    one query for one outside the most-checked few), or None when no published fact-check has it."""
    if value in menu or name == "rating":
        return menu.get(value)
    found = public.claimants() if name == "claimant" else public.topics()
    return found.filter(slug=value).values_list("name", flat=True).first()


def _most_checked(queryset):
    """{slug: name} of the FILTER_OPTIONS claimants or topics with the most published fact-checks, by name:
    a menu of every claimant would grow with the archive (and every reader would download it). The others
    are a search or a link from their page away."""
    top = queryset.annotate(checks=Count("claims", filter=Q(claims__published_verdict__isnull=False)))
    top = top.order_by("-checks", "name", "id")[:FILTER_OPTIONS]
    return {item.slug: item.name for item in sorted(top, key=lambda item: (item.name, item.pk))}


@require_safe
def claimant_detail(request, slug):
    # 404 for a claimant with no published fact-check: their name alone could reveal unpublished work.
    public = Claim.objects.public()
    claimant = get_object_or_404(public.claimants(), slug=slug)
    page = _newest_first(request, public.cards().filter(claimant=claimant), count_key=f"claimant:{claimant.pk}")
    return render(request, "public/claimant.html", {"claimant": claimant, "same_as": _http(claimant.same_as),
                                                    "page": page})


@require_safe
def topic_detail(request, slug):
    public = Claim.objects.public()
    topic = get_object_or_404(public.topics(), slug=slug)
    page = _newest_first(request, public.cards().filter(topics=topic), count_key=f"topic:{topic.pk}")
    return render(request, "public/topic.html", {"topic": topic, "page": page})


@require_safe
def source_detail(request, pk):
    public = Claim.objects.public()
    source = get_object_or_404(public.sources(), pk=pk)
    page = _newest_first(request, public.cards().filter(source=source), count_key=f"source:{source.pk}")
    return render(request, "public/source.html", {"source": source, "source_link": _http(source.url),
                                                  "page": page})


@require_safe
def corrections(request):
    page = _page(request, Claim.objects.public().corrections(), count_key="corrections")
    return render(request, "public/corrections.html", {"page": page})


@require_safe
def methodology(request):
    return render(request, "public/methodology.html", {
        "ratings": Rating.objects.all(),
        "required_approvals": settings.REQUIRED_APPROVALS,
    })


# ---------------------------------------------------------------------------------------------------------
# The fact-check page.


@require_safe
def claim_detail(request, pk, slug=None):
    claim = get_object_or_404(Claim.objects.public_detail(), pk=pk)
    canonical = claim.get_absolute_url()
    if request.path != canonical:
        return redirect(canonical, permanent=True)
    return render(request, "public/claim_detail.html", fact_check_context(claim))


def fact_check_context(claim):
    """What public/claim_detail.html shows of ``claim``, read through ``Claim.objects.public_detail()``: the
    fact-check page, and the desk's preview of it (claims/views/desk/preview.py)."""
    # dateModified: the latest correction or approved update.
    changes = [e for e in claim.public_events if e.kind in (ClaimEvent.Kind.CORRECTED, ClaimEvent.Kind.UPDATED)]
    corrected_at = changes[-1].at if changes else None
    return {
        "claim": claim,
        "verdict": claim.published_verdict,
        "canonical_url": jsonld.claim_url(claim),
        "corrected_at": corrected_at,
        "modified_label": changes[-1].get_kind_display() if changes else "",
        "modified_kind": changes[-1].kind if changes else "",
        # Kept until public data changes, as the filter menus are: at 1M claims the four queries cost ~25 ms.
        "related": caching.remember(f"related:{claim.pk}", lambda: Claim.objects.public().related_to(claim)),
        "corrections": _describe_corrections(claim.public_events),
        "timeline": claim.public_events,
        "evidence_groups": _evidence_groups([item.public_version() for item in claim.public_evidence]),
        "appearances": [_with_links(item.public_version()) for item in claim.public_appearances],
        "sign_offs": claim.sign_offs,
        "source_link": _http(claim.source.url) if claim.source else "",
        "same_as": _http(claim.claimant.same_as) if claim.claimant else "",
        "claimreview": jsonld.script_tag(jsonld.claim_review(claim, corrected_at=corrected_at)),
    }


def _describe_corrections(events):
    """Corrections newest first, each with ``previous_label``: the rating shown before it."""
    described, previous = [], None
    for event in events:
        if event.kind == ClaimEvent.Kind.CORRECTED:
            event.previous_label = previous
            described.append(event)
        if event.verdict is not None:
            previous = event.verdict.rating_label
    return described[::-1]


def _evidence_groups(items):
    groups = []
    for stance, heading in STANCE_HEADINGS.items():
        members = [_with_links(e) for e in items if e.stance == stance]
        if members:
            groups.append({"stance": stance, "heading": heading, "items": members})
    return groups


def _with_links(item):
    """Safe hrefs for an evidence item or appearance. A withheld item keeps neither link."""
    withheld = getattr(item, "withheld", False)
    item.link = "" if withheld else _http(item.url)
    item.archive_link = "" if withheld else _http(item.archived_url)
    return item


# ---------------------------------------------------------------------------------------------------------
# Reader tips.


@require_http_methods(["GET", "HEAD", "POST"])
def submit(request):
    """A reader's claim for the desk's New queue. CSRF-protected, rate-limited per address, with a
    honeypot field that a person never sees: a bot that fills it is thanked and ignored."""
    if request.method != "POST":
        return render(request, "public/submit.html", {"form": ReaderTipForm()})
    form = ReaderTipForm(request.POST)
    if form.is_bot():
        return redirect("public:submit_thanks")
    if _tips_sent(request) >= settings.READER_TIPS_PER_HOUR:
        # The form comes back as the reader typed it, so that nothing is lost when they try again later.
        return render(request, "public/submit.html", {"form": form, "limited": settings.READER_TIPS_PER_HOUR},
                      status=429)
    if form.is_valid():
        try:
            workflow.create_claim(actor=None, is_reader_tip=True, text=form.cleaned_data["text"],
                                  note=form.note_for_desk(), tipster_email=form.cleaned_data["email"])
        except workflow.WorkflowError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            _count_tip(request)
            return redirect("public:submit_thanks")
    return render(request, "public/submit.html", {"form": form}, status=400)


def _tip_key(request):
    return f"reader-tip:{client_ip(request)}"


def _tips_sent(request):
    """Tips accepted from this address in the current hour. Only accepted tips count: a refused form (empty,
    a javascript: link) uses none of the allowance."""
    return cache.get(_tip_key(request), 0)


def _count_tip(request):
    """Count an accepted tip against the sender's hourly allowance. The count lives in the shared cache, so
    every app server sees the same number."""
    key = _tip_key(request)
    cache.add(key, 0, timeout=TIP_WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=TIP_WINDOW_SECONDS)


@require_safe
def submit_thanks(request):
    return render(request, "public/submit_thanks.html")


# ---------------------------------------------------------------------------------------------------------
# For machines.

HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?")
CSS_IDENT = re.compile(r"[-a-zA-Z0-9_]+")


@require_safe
def rating_styles(request):
    """Each rating's badge colour as a class, ``.badge--rating-<slug>``, so that badges carry no style
    attribute: the Content-Security-Policy refuses inline styles. Generated rather than a static file because
    the colours are edited in the admin. Anything but a #rgb or #rrggbb colour is left out (the badge falls
    back to grey), so no admin entry can write CSS of its own."""
    rules = [
        f".badge--rating-{rating.slug} {{ --badge: {rating.colour}; }}\n"
        for rating in Rating.objects.only("slug", "colour")
        if CSS_IDENT.fullmatch(rating.slug) and HEX_COLOUR.fullmatch(rating.colour)
    ]
    return HttpResponse(rules, content_type="text/css; charset=utf-8")


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Allow: /",
        "Disallow: /desk/",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /api/",
        "Disallow: /submit/",
        "Allow: /api/docs/",
        "",
        f"Sitemap: {settings.SITE_URL}/sitemap.xml",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")

