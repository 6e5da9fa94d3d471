"""The editor's own page: their API token for the JSON API, and a link to change their password."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe
from rest_framework.authtoken.models import Token

from .common import desk_view


@desk_view
@require_safe
def profile(request):
    token = Token.objects.filter(user=request.user).first()
    return render(request, "desk/profile.html", {"token": token})


@desk_view
@require_POST
def token_create(request):
    """Create the user's API token, replacing any earlier one (which then stops working)."""
    with transaction.atomic():
        replaced, _ = Token.objects.filter(user=request.user).delete()
        Token.objects.create(user=request.user)
    messages.success(
        request, "A new API token was created; the old one no longer works." if replaced else "API token created."
    )
    return redirect("desk:profile")


@desk_view
@require_POST
def token_revoke(request):
    revoked, _ = Token.objects.filter(user=request.user).delete()
    if revoked:
        messages.success(request, "API token revoked: requests that use it are now refused.")
    else:
        messages.info(request, "You had no API token.")
    return redirect("desk:profile")
