"""Desk pages. Placeholder routes until the desk lands (issue 3)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404


@login_required
def dashboard(request):
    raise Http404


@login_required
def claim_detail(request, pk):
    raise Http404
