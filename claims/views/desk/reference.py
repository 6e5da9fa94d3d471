"""Sources and claimants: reference data, created and edited here directly (no workflow state), and the
annotated view of a source with its claims highlighted in place."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_http_methods, require_safe

from claims.forms import ClaimantForm, SourceForm
from claims.models import Claim, Claimant, Source
from claims.reference import LostRace, save_unique
from idempotency import keys

from .common import already_saved, desk_view, paginate


@desk_view
@require_safe
def source_list(request):
    q = request.GET.get("q", "").strip()
    sources = Source.objects.annotate(claim_count=Count("claims")).order_by("-published_on", "-id")
    if q:
        sources = sources.filter(Q(title__icontains=q) | Q(outlet__icontains=q) | Q(url__icontains=q))
    return render(request, "desk/source_list.html", {"page": paginate(request, sources), "q": q})


@desk_view
@require_http_methods(["GET", "HEAD", "POST"])
def source_edit(request, pk=None):
    source = get_object_or_404(Source, pk=pk) if pk is not None else None
    form = SourceForm(request.POST or None, instance=source)
    if request.method == "POST":
        saved = _save_once(request, form, adding=source is None, name="desk:source")
        if saved is not None:
            return saved
    claims = Claim.objects.for_desk(request.user).filter(source=source) if source else Claim.objects.none()
    return render(request, "desk/source_form.html", {"form": form, "source": source, "claims": claims})


@desk_view
@require_safe
def source_annotated(request, pk):
    source = get_object_or_404(Source, pk=pk)
    claims = Claim.objects.for_desk(request.user).filter(source=source)
    annotated, claims = annotate(source, list(claims))
    return render(request, "desk/source_annotated.html", {"source": source, "claims": claims, "annotated": annotated})


def annotate(source, claims):
    """The source's text with each claim's quote marked in place, as safe HTML (format_html escapes every
    piece of the text), and the claims in reading order, each with ``.number`` and ``.located``.

    Offsets stored with a claim are used while they still match the text; otherwise the quote is looked
    for, so that a full text pasted after the claims were captured still locates them. A quote that
    overlaps an earlier one is listed below the text, not marked."""
    text, position = source.text, 0
    for claim in claims:
        start, end = claim.quote_start, claim.quote_end
        if start is None or not claim.quote or text[start:end] != claim.quote:
            start, end = source.locate(claim.quote)
        claim.span, claim.located = ((start, end) if start is not None and end > start else None), False
    for claim in sorted((c for c in claims if c.span), key=lambda c: (c.span[0], -c.span[1])):
        if claim.span[0] >= position:
            claim.located, position = True, claim.span[1]
    claims.sort(key=lambda c: (not c.located, c.span[0] if c.located else 0, c.pk))
    pieces, position = [], 0
    for number, claim in enumerate(claims, start=1):
        claim.number = number
        if not claim.located:
            continue
        start, end = claim.span
        pieces.append(text[position:start])
        pieces.append(format_html(
            '<a class="quote quote--{}" href="{}" id="claim-{}"><mark>{}</mark><sup>{}<span class="visually-hidden">'
            ", claim {}, {}</span></sup></a>",
            claim.status, claim.get_desk_url(), claim.pk, text[start:end], number, claim.pk,
            claim.get_status_display().lower(),
        ))
        position = end
    pieces.append(text[position:])
    return format_html_join("", "{}", ((piece,) for piece in pieces)), claims


@desk_view
@require_safe
def claimant_list(request):
    q = request.GET.get("q", "").strip()
    claimants = Claimant.objects.annotate(claim_count=Count("claims")).order_by("name", "id")
    if q:
        claimants = claimants.filter(Q(name__icontains=q) | Q(description__icontains=q))
    return render(request, "desk/claimant_list.html", {"page": paginate(request, claimants), "q": q})


@desk_view
@require_http_methods(["GET", "HEAD", "POST"])
def claimant_edit(request, pk=None):
    claimant = get_object_or_404(Claimant, pk=pk) if pk is not None else None
    form = ClaimantForm(request.POST or None, instance=claimant)
    if request.method == "POST":
        saved = _save_once(request, form, adding=claimant is None, name="desk:claimant")
        if saved is not None:
            return saved
    claims = Claim.objects.for_desk(request.user).filter(claimant=claimant) if claimant else Claim.objects.none()
    return render(request, "desk/claimant_form.html", {"form": form, "claimant": claimant, "claims": claims})


def _save_once(request, form, *, adding, name):
    """Save a source or claimant form and redirect to its page; None when the form has errors. A new one is
    made once per form shown: posting that form again (Back, a double click) shows the first one."""
    key = keys.key_of(request) if adding else ""
    try:
        if earlier := keys.previous(request.user, key):
            return already_saved(request, earlier)
        if not form.is_valid():
            return None
        with keys.making(request.user, key) as made:
            record = save_form(form)
            if record is None:
                raise NotSaved  # undoes the key's reservation with the rest
            made(location=reverse(name, kwargs={"pk": record.pk}))
    except keys.Duplicate:
        return already_saved(request, keys.previous(request.user, key))
    except NotSaved:
        return None
    messages.success(request, f"{record._meta.verbose_name.capitalize()} “{record}” saved.")
    return redirect(name, pk=record.pk)


class NotSaved(Exception):
    pass


def save_form(form):
    """``form.save()``; None, with the error on the form, when a concurrent save took its name or address
    (claims/reference.py)."""

    def revalidate():
        form.full_clean()  # the unique checks now see the winner, and name the field
        return form.is_valid()

    try:
        return save_unique(form.save, revalidate=revalidate)
    except LostRace as exc:
        form.add_error(None, str(exc))
        return None
