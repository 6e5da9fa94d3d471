"""The intake workspace: a source's text with each sentence shaded by check-worthiness, the most check-worthy
listed first, repeats of checked claims linked, and any sentence or span captured as a claim."""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from background.queue import enqueue_on_commit
from claims import workflow
from claims.models import Claim, Source, as_id
from claims.views.desk.common import desk_view

from . import analysis
from .forms import SourceTextForm
from .tasks import analyse_source_task

TOP = 15  # the most check-worthy sentences listed above the text
LONG_TEXT = 20_000  # characters: longer texts are analysed by the task queue, not in the request


def capture_url(source, start, end):
    query = urlencode({"source": source.pk, "quote": source.text[start:end], "quote_start": start})
    return f"{reverse('desk:claim_new')}?{query}"


def shade(score):
    if score is None:
        return "none"
    return "high" if score >= 0.7 else "mid" if score >= 0.4 else "low"


def _pieces(source, rows):
    """The text as a run of pieces, each a sentence (with its row) or the gap between two."""
    pieces, position = [], 0
    for row in rows:
        if row["start"] > position:
            pieces.append({"start": position, "text": source.text[position:row["start"]]})
        pieces.append({"start": row["start"], "text": row["text"], "row": row})
        position = row["end"]
    if position < len(source.text):
        pieces.append({"start": position, "text": source.text[position:]})
    return pieces


@desk_view
@require_http_methods(["GET", "POST"])
def workspace(request, pk):
    source = get_object_or_404(Source, pk=as_id(pk) or 0)
    form = SourceTextForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        source.text = form.cleaned_data["text"]
        source.save(update_fields=["text"])
        if len(source.text) > LONG_TEXT:
            enqueue_on_commit(analyse_source_task, source.pk)
            messages.success(request, "Text saved; it is being analysed in the background. Reload in a moment.")
        else:
            analysis.analyse_source(source)
            messages.success(request, "Text saved and analysed.")
        return redirect("intake:workspace", pk=source.pk)
    stored, pending = (analysis.stored_analysis(source) if source.text else None), False
    if source.text and stored is None:
        if len(source.text) > LONG_TEXT:
            enqueue_on_commit(analyse_source_task, source.pk)
            pending = True
        else:
            stored = analysis.analyse_source(source)
    rows = analysis.with_matches(source, stored) if stored else []
    for row in rows:
        row["shade"] = shade(row["score"])
        row["capture_url"] = capture_url(source, row["start"], row["end"])
    ranked = sorted((r for r in rows if r["score"] is not None), key=lambda r: (-r["score"], r["start"]))[:TOP]
    return render(request, "intake/workspace.html", {
        "source": source, "form": form, "rows": rows, "ranked": ranked, "pieces": _pieces(source, rows),
        "unscored": sum(r["score"] is None for r in rows), "pending": pending,
    })


@desk_view
@require_POST
def capture(request, pk):
    """Ticked sentences (or a span given as start/end) become one quote on the capture form."""
    source = get_object_or_404(Source, pk=as_id(pk) or 0)
    try:
        if request.POST.get("start") and request.POST.get("end"):
            start, end = int(request.POST["start"]), int(request.POST["end"])
        else:
            analysed = analysis.current_analysis(source).sentences
            ticked = sorted(int(n) for n in request.POST.getlist("sentence"))
            start, end = analysed[ticked[0]]["start"], analysed[ticked[-1]]["end"]
    except (ValueError, IndexError):
        messages.error(request, "Tick at least one sentence, or select a span of the text.")
        return redirect("intake:workspace", pk=source.pk)
    if not 0 <= start < end <= len(source.text):
        messages.error(request, "That selection is not in the source's text.")
        return redirect("intake:workspace", pk=source.pk)
    while start < end and source.text[start].isspace():
        start += 1
    while end > start and source.text[end - 1].isspace():
        end -= 1
    if start == end:
        messages.error(request, "That selection holds no words.")
        return redirect("intake:workspace", pk=source.pk)
    return redirect(capture_url(source, start, end))


@desk_view
@require_POST
def record_appearance(request, pk):
    """The matched claim appeared again, in this source: record it through the workflow."""
    source = get_object_or_404(Source, pk=as_id(pk) or 0)
    claim = get_object_or_404(Claim.objects.for_desk(request.user), pk=as_id(request.POST.get("claim")) or 0)
    try:
        workflow.add_appearance(claim=claim, actor=request.user, version=claim.version, url=source.url,
                                outlet=source.outlet, seen_on=source.published_on)
    except workflow.WorkflowError as exc:
        messages.error(request, f"Claim {claim.pk}: {exc}")
    else:
        messages.success(request, f"Recorded this source as a new appearance of claim {claim.pk}.")
    return redirect("intake:workspace", pk=source.pk)
