"""The public page of a claim as it will be published, before anyone approves it.

The claim is published inside a transaction that is rolled back (``workflow.as_published``), and the real
fact-check page (public/claim_detail.html, with the public view's own context) is rendered from it: what the
reviewer sees is what the approval will publish, by construction, not a look-alike.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from claims import workflow
from claims.forms import NOTE_LIMIT
from claims.models import Claim
from claims.views.public import fact_check_context

from .common import desk_view


@desk_view
@never_cache  # private, no-store: a draft must not stay in any cache
@require_safe
def claim_preview(request, pk):
    """GET ?note=: the note for readers the approver means to give (a correction's or an update's)."""
    claim = get_object_or_404(Claim, pk=pk)
    note = request.GET.get("note", "")[:NOTE_LIMIT]
    try:
        with workflow.as_published(claim=claim, actor=request.user, note=note):
            published = Claim.objects.public_detail().get(pk=pk)
            context = fact_check_context(published)
            # Rendered inside the block: the template reads the rehearsed rows (topics, link health) as it goes.
            response = render(request, "desk/preview.html", {**context, "desk_claim": claim,
                                                             "is_update": claim.status != Claim.Status.IN_REVIEW})
    except workflow.WorkflowError as exc:
        raise Http404(exc.message) from None
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
