"""The editor's own page: their API token for the JSON API, and a link to change their password.

A token is shown once, in the answer to the request that made it (as GitHub does); afterwards the profile says
only that one exists, when it was made and how it begins. Pages that show a secret are never stored by a
browser or a proxy (``Cache-Control: no-store``, through ``never_cache``).
"""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from rest_framework.authtoken.models import Token

from .common import desk_view

PREFIX = 4  # characters of a token the profile shows, so that its owner can tell which one it is


@desk_view
@require_safe
@never_cache
def profile(request):
    return _profile(request, token=Token.objects.filter(user=request.user).first())


def _profile(request, *, token, new_key=None):
    return render(request, "desk/profile.html", {"token": token, "new_key": new_key,
                                                 "token_prefix": token.key[:PREFIX] if token else ""})


@desk_view
@require_POST
@never_cache
def token_create(request):
    """Create the user's API token, replacing any earlier one (which then stops working), and show it: this
    answer is the only time it is shown."""
    with transaction.atomic():
        replaced, _ = Token.objects.filter(user=request.user).delete()
        token = Token.objects.create(user=request.user)
    messages.success(
        request, "A new API token was created; the old one no longer works." if replaced else "API token created."
    )
    return _profile(request, token=token, new_key=token.key)


@desk_view
@require_POST
def token_revoke(request):
    revoked, _ = Token.objects.filter(user=request.user).delete()
    if revoked:
        messages.success(request, "API token revoked: requests that use it are now refused.")
    else:
        messages.info(request, "You had no API token.")
    return redirect("desk:profile")
