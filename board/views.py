"""The desk's board of work in progress, its bulk actions, the type-ahead and the reply to a tipster.

Views are thin: they read through ``Claim.objects.for_board`` / ``board_column`` and
``Claimant/Source.objects.starting_with``, and write only through ``claims.workflow``.
"""

import json
import re

from django.contrib import messages
from django.db.models import CharField, Value
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from claims import workflow
from claims.forms import desk_users
from claims.models import Claim, Claimant, ClaimEvent, PrefixKey, Source, Topic
from claims.views.desk.common import already_saved, desk_view
from idempotency import keys

from .forms import COLUMNS, UNASSIGNED, BoardFilterForm, BulkForm, TipReplyForm, person

FILTERS = ("assignee", "topic", "claimant", "status", "captured_from", "captured_to")
COLUMN_SIZE = 12  # cards per column on the whole board
PAGE_SIZE = 50  # cards on one column's own page (?status=)
TYPEAHEAD_LIMIT = 10
TYPEAHEAD_MAX_LENGTH = 100
KEY = re.compile(r"[A-Za-z0-9_-]{1,255}")
# A refused reply's answer: too many replies is 429; a mail server's failure 503; other refusals 409.
REFUSED_STATUS = {"throttled": 429, "mail_failed": 503, "required": 400, "too_long": 400}


# ---------------------------------------------------------------------------------------------------------
# The board.


@desk_view
@require_safe
def board(request):
    """Columns by status, each its first COLUMN_SIZE cards and a link to the rest (?status=, PAGE_SIZE a
    page). Queries: the assignee and topic menus, a claimant's name when one is typed, and one per column."""
    users, topics = list(desk_users()), list(Topic.objects.all())
    form = BoardFilterForm(request.GET, users=users, topics=topics)
    bulk = BulkForm(users=users)
    context = {"form": form, "bulk": bulk, "columns": [], "today": timezone.localdate(),
               "board_url": request.get_full_path(),
               "active_filters": sum(bool(request.GET.get(name)) for name in FILTERS)}
    if not form.is_valid():
        return render(request, "board/board.html", context, status=400)
    claims, unknown = _filtered(Claim.objects.for_board(request.user), form.cleaned_data)
    context["unknown_claimant"] = unknown
    status, page = form.cleaned_data["status"], form.cleaned_data["page"] or 1
    size = PAGE_SIZE if status else COLUMN_SIZE
    for value, title in COLUMNS:
        if status and value != status:
            continue
        column = claims.board_column(value, order=form.sort_order)
        rows = list(column[(page - 1) * size: page * size + 1]) if not unknown else []
        context["columns"].append({
            "status": value, "title": title, "cards": rows[:size], "more": len(rows) > size,
            "more_url": _with(request.GET, status=value, page=page + 1 if status else None),
            "previous_url": _with(request.GET, page=page - 1 if page > 2 else None) if page > 1 else None,
            "all_url": _with(request.GET, status=value, page=None),
        })
    context.update(single=bool(status), page=page)
    return render(request, "board/board.html", context)


def _filtered(claims, data):
    """``claims`` narrowed by the filter form; also whether the typed claimant's name is unknown."""
    if data["assignee"] == UNASSIGNED:
        claims = claims.filter(assignee=None)
    elif data["assignee"]:
        claims = claims.filter(assignee_id=data["assignee"])
    if data["topic"]:
        claims = claims.filter(topics__slug=data["topic"])
    if data["claimant"].strip():
        # Everyone of that name (people share names), found through the type-ahead's index.
        ids = list(Claimant.objects.alias(key=PrefixKey("name"))
                   .filter(key=PrefixKey(_text(data["claimant"].strip()))).values_list("pk", flat=True)[:50])
        if not ids:
            return claims.none(), data["claimant"].strip()
        claims = claims.filter(claimant__in=ids)
    if data["captured_from"]:
        claims = claims.filter(created_at__date__gte=data["captured_from"])
    if data["captured_to"]:
        claims = claims.filter(created_at__date__lte=data["captured_to"])
    return claims, None


def _text(value):
    return Value(value, output_field=CharField())


def _with(params, **changes):
    """The board's address with ``params`` changed (None removes one)."""
    query = params.copy()
    for name, value in changes.items():
        query.pop(name, None)
        if value is not None:
            query[name] = value
    return f"{reverse('board:board')}?{query.urlencode()}" if query else reverse("board:board")


# ---------------------------------------------------------------------------------------------------------
# Bulk actions.


@desk_view
@require_POST
def bulk(request):
    """Apply one action to every selected claim, each through its workflow function (its own transaction
    and event). A refusal (role, state, a stale version) is reported for its claim and the rest go on. The
    results are kept with the form's one-time key, so that posting the form again shows them rather than
    acting twice; the browser is sent to them (post/redirect/get)."""
    users = list(desk_users())
    form = BulkForm(request.POST, users=users)
    back = _board_url(request.POST.get("next"))
    key = keys.key_of(request)
    key = key if KEY.fullmatch(key) else ""  # it becomes part of the results' address
    if earlier := keys.previous(request.user, key):
        return already_saved(request, earlier)
    if not form.is_valid():
        errors = [error for errors in form.errors.values() for error in errors]
        return render(request, "board/bulk_refused.html", {"errors": errors, "back": back}, status=400)
    try:
        with keys.making(request.user, key) as made:
            results = _apply(request.user, form)
            location = reverse("board:bulk_results", args=[key]) if key else ""
            made(location=location, body=json.dumps({"results": results, "back": back}))
    except keys.Duplicate:
        return already_saved(request, keys.previous(request.user, key))
    if not location:  # a post without a key (not from the board's form): nothing to redirect to
        return render(request, "board/bulk_results.html", _summary(results, back))
    return redirect(location)


def _apply(user, form):
    data = form.cleaned_data
    action, selected = data["action"], data["selected"]
    claims = Claim.objects.in_bulk([pk for pk, _ in selected])
    original = None
    if action == Claim.CloseReason.DUPLICATE:
        original = Claim.objects.filter(pk=data["duplicate_of"]).first()
    results = []
    for pk, version in selected:
        claim = claims.get(pk)
        result = {"id": pk, "text": claim.text if claim else "", "ok": False}
        try:
            if claim is None:
                raise workflow.WorkflowError(f"There is no claim number {pk}.")
            if action == BulkForm.ASSIGN:
                _assign(claim, user, version, form.assignee_user)
                result["message"] = f"Assigned to {person(form.assignee_user)}."
            else:
                if action == Claim.CloseReason.DUPLICATE and original is None:
                    raise workflow.WorkflowError(f"There is no claim number {data['duplicate_of']} to be a "
                                                 "duplicate of.")
                workflow.close(claim=claim, actor=user, version=version, reason=action, note=data["note"],
                               duplicate_of=original)
                result["message"] = f"Closed: {Claim.CloseReason(action).label.lower()}."
            result["ok"] = True
        except workflow.WorkflowError as exc:
            result["message"] = exc.message
        results.append(result)
    return results


def _assign(claim, user, version, assignee):
    """As the claim page's "Assign": assigning a new claim starts its research."""
    if claim.status == Claim.Status.NEW:
        return workflow.start_research(claim=claim, actor=user, version=version, assignee=assignee)
    return workflow.assign(claim=claim, actor=user, version=version, assignee=assignee)


def _board_url(value):
    """Where "back to the board" goes: the board with the filters it had, never another site."""
    value = value or ""
    if value.startswith(reverse("board:board")) and url_has_allowed_host_and_scheme(value, allowed_hosts=None):
        return value
    return reverse("board:board")


def _summary(results, back):
    done = sum(result["ok"] for result in results)
    return {"results": results, "back": back, "done": done, "refused": len(results) - done}


@desk_view
@require_safe
def bulk_results(request, key):
    """What one bulk action did, claim by claim: the results kept with its key (the sender's own only)."""
    earlier = keys.previous(request.user, key)
    if earlier is None or not earlier.body:
        raise Http404("No such bulk action.")
    kept = json.loads(earlier.body)
    return render(request, "board/bulk_results.html", _summary(kept["results"], _board_url(kept.get("back"))))


# ---------------------------------------------------------------------------------------------------------
# Type-ahead.


@desk_view
@require_safe
def typeahead_claimants(request):
    """{"results": [{"id", "name", "label"}]}: the first TYPEAHEAD_LIMIT claimants whose name starts with
    ``?q=``, any case, from the whole register. One query."""
    return _typeahead(request, Claimant, lambda c: {"id": c.pk, "name": c.name,
                                                   "label": c.description or c.get_kind_display()})


@desk_view
@require_safe
def typeahead_sources(request):
    """As typeahead_claimants, for sources by title (labelled with their outlet and date)."""
    def row(source):
        label = " · ".join(part for part in (source.outlet, source.published_on and source.published_on.isoformat())
                           if part)
        return {"id": source.pk, "name": source.title, "label": label}

    return _typeahead(request, Source, row, only=("id", "title", "outlet", "published_on"))


def _typeahead(request, model, row, only=None):
    q = request.GET.get("q", "").strip()
    if len(q) > TYPEAHEAD_MAX_LENGTH:
        return JsonResponse({"error": f"Type at most {TYPEAHEAD_MAX_LENGTH} characters."}, status=400)
    if not q:
        return JsonResponse({"results": []})
    found = model.objects.starting_with(q)
    if only:
        found = found.only(*only)
    return JsonResponse({"results": [row(item) for item in found[:TYPEAHEAD_LIMIT]]})


# ---------------------------------------------------------------------------------------------------------
# Replying to a tipster.


@desk_view
@require_http_methods(["GET", "HEAD", "POST"])
def tip_reply(request, pk):
    """The tip, its sender's address, the replies so far, and a form to write another."""
    claim = get_object_or_404(Claim.objects.filter(is_reader_tip=True).exclude(tipster_email=""), pk=pk)
    form = TipReplyForm(request.POST or None, initial={"version": claim.version})
    status = 200
    if request.method == "POST":
        status = _reply(request, claim, form)
        if status is None:
            messages.success(request, f"Reply sent to {claim.tipster_email}. It is in the claim’s history.")
            return redirect(f"{claim.get_desk_url()}#history")
    replies = claim.events.filter(kind=ClaimEvent.Kind.REPLIED).order_by("at", "id")
    return render(request, "board/tip_reply.html", {"claim": claim, "form": form, "replies": replies},
                  status=status)


def _reply(request, claim, form):
    """Send the reply; None when it went, else the status of the refusal (the form then says why)."""
    if not form.is_valid():
        return 400
    try:
        workflow.reply_to_tipster(claim=claim, actor=request.user, version=form.cleaned_data["version"],
                                  message=form.cleaned_data["message"])
    except workflow.StaleVersion as exc:
        # The message stays as typed; the form now carries the current version, so sending is deliberate.
        form.data = form.data.copy()
        form.data["version"] = exc.current.version
        form.add_error(None, exc.message)
        return 409
    except workflow.WorkflowError as exc:
        form.add_workflow_error(exc)
        return REFUSED_STATUS.get(exc.code, 409)
    return None

