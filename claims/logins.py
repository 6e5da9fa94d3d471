"""Slowing password guessing down without letting a stranger lock anyone out.

OWASP's Authentication Cheat Sheet: throttle and delay rather than lock an account for good, because a lock
that anyone can trigger is a way to keep a real user out. Three limits, counted from django-axes' log of
failed log-ins (``AccessFailureLog``, in the database, so every app server and worker sees the same counts),
each against the client's address as claims/addresses.py decides it:

1. **One account from one address** (django-axes): ``AXES_FAILURE_LIMIT`` failures (5) pause that account
   from that address for ``AXES_COOLOFF_MINUTES`` (15). Other addresses are unaffected.
2. **One address, any accounts** (spraying): ``LOGIN_FAILURES_PER_ADDRESS`` failures (20) within
   ``LOGIN_WINDOW_MINUTES`` (15) and that address gets 429 until the oldest of them leaves the window.
3. **One account, any addresses** (a distributed guess): past ``LOGIN_FAILURES_PER_ACCOUNT`` failures (10)
   within the window, the account takes one attempt per ``LOGIN_ACCOUNT_DELAY_SECONDS`` (30) from browsers
   that have never logged in to it; the others get 429 with ``Retry-After``. A browser that has logged in
   to the account before carries a signed cookie saying so (OWASP's "device cookie") and is never delayed,
   so the real user logs in in the middle of an attack.

A refused (429) attempt never reaches the password check and is not counted as a failure.
"""

import datetime
import math

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core import signing
from django.shortcuts import render
from django.utils import timezone

from .addresses import client_ip

DEVICE_COOKIE = "login_device"
DEVICE_SALT = "claims.logins.device"
DEVICE_MAX_AGE = 180 * 24 * 3600
DEVICE_ACCOUNTS = 5  # the last few accounts this browser logged in to


def window():
    return datetime.timedelta(minutes=settings.LOGIN_WINDOW_MINUTES)


def trusted_accounts(request):
    try:
        return signing.loads(request.COOKIES.get(DEVICE_COOKIE, ""), salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return []


def retry_after(request, username):
    """Seconds this attempt must wait, or 0 when it may go ahead to the password check."""
    from axes.models import AccessFailureLog

    now = timezone.now()
    since = now - window()
    by_address = AccessFailureLog.objects.filter(ip_address=client_ip(request), attempt_time__gte=since)
    if by_address.count() >= settings.LOGIN_FAILURES_PER_ADDRESS:
        oldest = by_address.order_by("attempt_time").values_list("attempt_time", flat=True).first()
        return max(1, math.ceil((oldest + window() - now).total_seconds()))
    if not username or username in trusted_accounts(request):
        return 0
    by_account = AccessFailureLog.objects.filter(username=username, attempt_time__gte=since)
    if by_account.count() < settings.LOGIN_FAILURES_PER_ACCOUNT:
        return 0
    latest = by_account.order_by("-attempt_time").values_list("attempt_time", flat=True).first()
    wait = latest + datetime.timedelta(seconds=settings.LOGIN_ACCOUNT_DELAY_SECONDS) - now
    return max(0, math.ceil(wait.total_seconds()))


class LoginThrottleMiddleware:
    """Applies the limits to every password log-in form (the site's and the admin's, both named ``login``),
    and gives a browser that logs in the cookie that exempts it from the per-account delay."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        username = getattr(request, "_logged_in_as", None)
        if username:
            accounts = [username, *(a for a in trusted_accounts(request) if a != username)][:DEVICE_ACCOUNTS]
            response.set_cookie(DEVICE_COOKIE, signing.dumps(accounts, salt=DEVICE_SALT), max_age=DEVICE_MAX_AGE,
                                secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax")
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if request.method != "POST" or match is None or match.url_name != "login":
            return None
        wait = retry_after(request, request.POST.get("username", "").strip())
        if not wait:
            return None
        response = render(request, "registration/throttled.html", {"minutes": math.ceil(wait / 60)}, status=429)
        response["Retry-After"] = str(wait)
        return response


def _remember_login(sender, request=None, user=None, **kwargs):
    if request is not None and user is not None:
        request._logged_in_as = user.get_username()


user_logged_in.connect(_remember_login, dispatch_uid="claims-login-device")
