"""What every desk view shares: the role gates and the one mapping of workflow refusals onto pages."""

from functools import wraps
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from claims import workflow

NOT_AN_EDITOR = (
    "The desk is for editors and reviewers, and your account is neither. "
    "Ask an administrator to add you to the Editors group."
)
NOT_A_REVIEWER = (
    "Only reviewers can approve, send back, reopen or close claims. "
    "Ask a reviewer to do it, or an administrator to add you to the Reviewers group."
)
PAGE_SIZE = 50


def refuse(request, message, *, status=403):
    """A readable refusal page: what was refused and what to do about it."""
    return render(request, "desk/refused.html", {"message": message}, status=status)


def desk_view(view):
    """Anonymous visitors go to the log-in page; logged-in users who are not editors get a 403."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.has_perm(workflow.EDITOR_PERMISSION):
            return refuse(request, NOT_AN_EDITOR)
        return view(request, *args, **kwargs)

    gated = login_required(wrapped)

    @wraps(view)
    def desk(request, *args, **kwargs):
        if request.method == "POST" and not request.user.is_authenticated:
            return _log_in_again(request)
        return gated(request, *args, **kwargs)

    return desk


def _log_in_again(request):
    """A form posted after the session ended: log in, then back to the page the form was on (the post itself is
    lost; desk.js kept its long texts in the browser and offers them there), not to the action's address, which
    answers only POST."""
    referer = request.headers.get("Referer", "")
    same_site = url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()},
                                                require_https=request.is_secure())
    back = urlsplit(referer)
    page = back.path + (f"?{back.query}" if back.query else "") if same_site and back.path else request.path
    return redirect_to_login(page)


def reviewer_view(view):
    """A reviewer's action: editors get a 403 that says who can do it."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.has_perm(workflow.REVIEWER_PERMISSION):
            return refuse(request, NOT_A_REVIEWER)
        return view(request, *args, **kwargs)

    return desk_view(wrapped)


def paginate(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def already_saved(request, earlier):
    """A create form posted again (Back, a double click) with the key of one that was saved: show what the
    first post made rather than making it twice."""
    messages.info(request, "That form was saved already, so nothing was saved twice. Here is what it made.")
    return redirect(earlier.location)
