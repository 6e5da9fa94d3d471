"""Archived copies for readers and the desk, and the desk's broken-links queue."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from claims import workflow
from claims.models import Evidence
from claims.views.desk.common import desk_view

from . import services
from .models import Capture, Link

TEXT_LIMIT = 2_000_000  # characters of extracted text shown on one page


def visible_capture(request, pk):
    """A captured copy the caller may see: any for the desk, only copies of publicly shown links for others
    (so a withheld item's copy is a 404 to readers, like everything else they may not see)."""
    captures = Capture.objects.captured().select_related("link")
    if not request.user.has_perm(workflow.EDITOR_PERMISSION):
        captures = captures.public()
    return get_object_or_404(captures, pk=pk)


@require_safe
def capture_detail(request, pk):
    """The archived copy as text on a page of ours: the captured HTML never runs from our origin."""
    capture = visible_capture(request, pk)
    with capture.text.open("rb") as f:
        text = f.read(TEXT_LIMIT * 4).decode("utf-8", errors="replace")[:TEXT_LIMIT]
    response = render(request, "linkcheck/capture.html", {
        "capture": capture, "paragraphs": [p for p in text.split("\n\n") if p.strip()],
    })
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def capture_warc(request, pk):
    """The WARC file, as a download (never rendered by the browser)."""
    capture = visible_capture(request, pk)
    if not capture.warc:
        raise Http404("No WARC file for this copy.")
    response = FileResponse(capture.warc.open("rb"), as_attachment=True, filename=f"capture-{capture.pk}.warc.gz",
                            content_type="application/warc")
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Robots-Tag"] = "noindex"
    return response


@desk_view
@require_safe
def broken_links(request):
    """Links by health, the broken first: each with the claims whose evidence cites it."""
    counts = Link.objects.health_counts()
    health = request.GET.get("health", Link.Health.BROKEN)
    if health not in Link.Health.values:
        health = Link.Health.BROKEN
    links = Link.objects.filter(health=health).order_by("-consecutive_failures", "last_ok_at", "id")
    page = Paginator(links, 50).get_page(request.GET.get("page"))
    cited = {}
    for evidence in Evidence.objects.filter(url__in=[link.url for link in page]).select_related("claim"):
        cited.setdefault(evidence.url, []).append(evidence)
    for link in page:
        link.cited_by = cited.get(link.url, [])
    return render(request, "linkcheck/broken_links.html", {
        "page": page, "counts": counts, "health": health, "broken_after": settings.LINKCHECK_BROKEN_AFTER,
        "tabs": [(value, label, counts[value]) for value, label in Link.Health.choices],
    })


@desk_view
@require_POST
def link_check(request, pk):
    link = get_object_or_404(Link, pk=pk)
    services.request_check(link=link)
    messages.success(request, f"{link.url} will be checked again in a moment.")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("linkcheck:broken_links")
    return redirect(target)


@desk_view
@require_POST
def evidence_check(request, pk):
    evidence = get_object_or_404(Evidence.objects.exclude(url=""), pk=pk)
    links, _created = services.links_for([evidence.url])
    services.request_check(link=links[evidence.url])
    messages.success(request, f"“{evidence.title}”: the link will be checked again in a moment.")
    return redirect(evidence.claim.get_desk_url() + "#evidence")


@desk_view
@require_POST
def evidence_capture(request, pk):
    evidence = get_object_or_404(Evidence.objects.exclude(url=""), pk=pk)
    services.request_capture(evidence=evidence, actor=request.user)
    messages.success(request, f"“{evidence.title}”: a new archived copy is on its way.")
    return redirect(evidence.claim.get_desk_url() + "#evidence")
