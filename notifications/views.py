"""The desk inbox and email preferences."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .models import Kind, Notification, Preference


@login_required
@require_safe
def inbox(request):
    notifications = Notification.objects.for_inbox(request.user)
    page = Paginator(notifications, 50).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {
        "page": page, "unread": Notification.objects.filter(recipient=request.user).unread().count(),
    })


@login_required
@require_POST
def mark_read(request, pk):
    """Open a notification: it is read, and the desk page it concerns opens."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    Notification.objects.filter(pk=pk, read_at__isnull=True).update(read_at=timezone.now())
    return redirect(notification.url if notification.url.startswith("/") else "notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    Notification.objects.filter(recipient=request.user).unread().update(read_at=timezone.now())
    return redirect("notifications:inbox")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request):
    """One checkbox a kind: get it by email too (the inbox always has it)."""
    if request.method == "POST":
        chosen = set(request.POST.getlist("email"))
        for kind in Kind.values:
            Preference.objects.update_or_create(user=request.user, kind=kind, defaults={"email": kind in chosen})
        return redirect("notifications:preferences")
    off = set(Preference.objects.filter(user=request.user, email=False).values_list("kind", flat=True))
    kinds = [(value, label, value not in off) for value, label in Kind.choices]
    return render(request, "notifications/preferences.html", {"kinds": kinds})
