"""Capturing a claim, and the claim page with every action on it.

Each action is a POST to its own address. It parses its form, calls one function of claims/workflow.py and
redirects back to the claim page with a message. A refusal re-renders the claim page with the form as the
editor filled it and the workflow's message on the field at fault; a stale version also shows what
changed meanwhile, and the form then carries the current version, so saving again is a deliberate choice.
"""

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from claims import workflow
from claims.forms import (
    AppearanceForm,
    ApproveForm,
    ApproveUpdateForm,
    AssignForm,
    ClaimCaptureForm,
    ClaimEditForm,
    CloseForm,
    EvidenceForm,
    ReopenForm,
    SendBackForm,
    VerdictForm,
    VersionedForm,
)
from claims.models import Appearance, Claim, ClaimEvent, Evidence, as_id
from claims.people import display_name
from idempotency import keys

from .common import NOT_A_REVIEWER, already_saved, desk_view, refuse, reviewer_view
from .history import timeline

Status = Claim.Status


# ---------------------------------------------------------------------------------------------------------
# Capture.


@desk_view
@require_http_methods(["GET", "HEAD", "POST"])
def claim_new(request):
    """Capture a claim. A first save that looks like existing claims lists them and asks to confirm."""
    # ?source= and ?claimant= preset the menus (the "Capture a claim" links of a source's or claimant's page).
    initial = {name: as_id(request.GET[name]) for name in ("source", "claimant") if as_id(request.GET.get(name))}
    # ?quote= and ?quote_start=: a sentence or span picked in the intake workspace, with its offset in the text.
    start = request.GET.get("quote_start", "")
    if start.isascii() and start.isdigit() and len(start) < 10:
        initial["quote_start"] = int(start)
    if request.GET.get("quote"):
        initial["quote"] = request.GET["quote"]
    form = ClaimCaptureForm(request.POST or None, initial=initial or None)
    key = keys.key_of(request)
    if request.method == "POST" and (earlier := keys.previous(request.user, key)):
        return already_saved(request, earlier)
    similar = []
    if request.method == "POST" and form.is_valid():
        if not form.cleaned_data["confirm_new"]:
            similar = Claim.objects.similar_to(form.cleaned_data["text"])
        if not similar:
            try:
                claim = _capture(request, form, key)
            except keys.Duplicate:
                return already_saved(request, keys.previous(request.user, key))
            if claim is not None:
                return redirect(claim.get_desk_url())
    return render(request, "desk/claim_new.html", {"form": form, "similar": similar})


def _capture(request, form, key):
    data = form.cleaned_data
    try:
        # One transaction: a claimant or source typed inline is not kept when the claim is refused, and the
        # form's key is kept with the claim, so that posting the form again shows this claim.
        with keys.making(request.user, key) as made:
            claimant, source = form.reference_data()
            claim = workflow.create_claim(
                actor=request.user, text=data["text"], claimant=claimant, quote=data["quote"], source=source,
                claim_date=data["claim_date"], language=data["language"], topics=data["topics"],
                quote_start=data.get("quote_start"),
            )
            made(location=claim.get_desk_url())
    except workflow.WorkflowError as exc:
        form.add_workflow_error(exc)
        return None
    messages.success(request, f"Claim {claim.pk} captured.")
    _advise(request, claim)
    return claim


def _advise(request, claim):
    """Warnings that do not stop a save: a long text, a quote the source's full text does not contain."""
    if claim.text_is_long:
        messages.warning(request, f"The claim text is {len(claim.text)} characters; search engines show about "
                                  f"{settings.CLAIM_TEXT_SOFT_LIMIT}. Consider a shorter wording.")
    if claim.quote and claim.source_id and claim.source.text and claim.quote_start is None:
        messages.warning(request, "The quote was not found word for word in the source’s full text, so it is not "
                                  "highlighted there. Check it against the source.")


# ---------------------------------------------------------------------------------------------------------
# The claim page.


@desk_view
@require_http_methods(["GET", "HEAD", "POST"])
def claim_detail(request, pk):
    """GET: the claim page. POST: save the claim's fields."""
    if request.method == "POST":
        return _edit(request, get_object_or_404(Claim, pk=pk))
    return claim_page(request, pk)


def claim_page(request, pk, *, bound=None, conflict=None, preview=None):
    """Render the claim page. ``bound`` maps a panel's name to the form that was just refused, shown as the
    editor filled it; every other panel gets a fresh form at the claim's current version."""
    claim = get_object_or_404(Claim.objects.for_claim_page(), pk=pk)
    bound = bound or {}
    user = request.user
    verdicts = list(claim.verdicts.all())
    events = timeline(claim.events.all())
    pending = verdicts[0] if claim.status == Status.IN_REVIEW and verdicts else None
    approvals = [e for e in events if pending and e.verdict_id == pending.pk and e.kind == ClaimEvent.Kind.APPROVED]
    can_review = user.has_perm(workflow.REVIEWER_PERMISSION)
    correction = claim.published_verdict_id is not None
    fresh = {"version": claim.version}
    evidence = list(claim.evidence.all())
    appearances = list(claim.appearances.all())
    # On a public claim: what the desk changed that readers do not see yet, beside what they see.
    draft = None
    if correction and workflow.has_pending_changes(claim):
        draft = {
            "fields": [(Claim._meta.get_field(name).verbose_name, _readable(public), _readable(new))
                       for name, (public, new) in workflow.draft_changes(claim).items()],
            "evidence": [item for item in evidence if item.is_pending],
            "appearances": [item for item in appearances if item.is_pending],
            "is_author": user.pk in claim.draft_authors,
            "approvals": len(claim.draft_approvals),
            "has_approved": user.pk in claim.draft_approvals,
        }

    def form(name, cls, shown, initial=fresh, **kwargs):
        # A refused form is always shown, with its reason, even where its panel would not be.
        if name in bound:
            return bound[name]
        return cls(initial=initial, **kwargs) if shown else None

    context = {
        "claim": claim,
        "evidence": [item for item in evidence if not item.removed],
        "appearances": [item for item in appearances if not item.removed],
        "draft": draft,
        "verdicts": verdicts,
        "events": events,
        "pending": pending,
        "approvals": approvals,
        "is_proposer": pending is not None and pending.proposed_by_id == user.pk,
        "has_approved": any(e.actor_id == user.pk for e in approvals),
        "required_approvals": settings.REQUIRED_APPROVALS,
        "can_review": can_review,
        "evidence_open": claim.status in workflow.EVIDENCE_OPEN,
        "conflict": conflict,
        "preview": preview,
        "edit_form": form("edit", ClaimEditForm, claim.status != Status.CLOSED, ClaimEditForm.initial_for(claim)),
        "evidence_form": form("evidence", EvidenceForm, claim.status in workflow.EVIDENCE_OPEN),
        "verdict_form": form("verdict", VerdictForm, claim.status == Status.RESEARCHING, correction=correction),
        "approve_form": form("approve", ApproveForm, pending and can_review, correction=correction),
        "send_back_form": form("send_back", SendBackForm, pending and can_review),
        "reopen_form": form("reopen", ReopenForm, can_review and claim.status in (Status.PUBLISHED, Status.CLOSED)),
        "update_form": form("update", ApproveUpdateForm, draft and can_review and not draft["is_author"]),
        "discard_form": form("discard", VersionedForm, draft),
        "appearance_form": form("appearances", AppearanceForm, claim.status != Status.CLOSED),
        # Reviewers close new or researching claims; an editor may close a new reader tip (triage).
        "close_form": form("close", CloseForm, claim.status in (Status.NEW, Status.RESEARCHING)
                           and workflow.may_close(user, claim)),
        "assign_form": form(
            "assign", AssignForm, claim.status in (Status.NEW, Status.RESEARCHING, Status.IN_REVIEW),
            {**fresh, "assignee": claim.assignee_id or (user.pk if claim.status == Status.NEW else None)},
        ),
    }
    if context["close_form"] is not None and not can_review:  # an editor triaging a tip: its three reasons only
        reason = context["close_form"].fields["reason"]
        reason.choices = [(value, label) for value, label in reason.choices
                          if value in ("", *workflow.TIP_CLOSE_REASONS)]
    return render(request, "desk/claim.html", context)


def _readable(value):
    return ", ".join(value) if isinstance(value, list) else value


def _act(request, claim, form, panel, action, success):
    """Run ``action(cleaned_data)`` if ``form`` is valid; on success say ``success(result)`` and go back to the
    claim page (post/redirect/get), otherwise show the claim page with the form and the reason."""
    if form.is_valid():
        try:
            result = action(form.cleaned_data)
        except workflow.StaleVersion as exc:
            return _conflict(request, claim, form, panel, exc)
        except workflow.WorkflowError as exc:
            form.add_workflow_error(exc)
            # Said at the top too: the refused form's panel may be one this user is not shown.
            messages.error(request, f"Nothing was saved: {exc.message}")
            return claim_page(request, claim.pk, bound={panel: form})
        messages.success(request, success(result) if callable(success) else success)
        anchor = panel if panel in ("edit", "evidence", "assign", "draft", "appearances") else "verdict"
        return redirect(f"{claim.get_desk_url()}#{anchor}")
    messages.error(request, "Nothing was saved: see the message by the form.")
    return claim_page(request, claim.pk, bound={panel: form})


def _conflict(request, claim, form, panel, exc):
    """Show what changed since the editor's version, and keep what they typed; the form now carries the
    current version, so a second save overwrites on purpose."""
    their_version = form.cleaned_data["version"]
    form.data = form.data.copy()
    form.data["version"] = exc.current.version
    form.add_error(None, exc.message)
    since = ClaimEvent.objects.filter(claim=claim).select_related("verdict").order_by("id")[their_version:]
    conflict = {"their_version": their_version, "current": exc.current, "events": timeline(since)}
    return claim_page(request, claim.pk, bound={panel: form}, conflict=conflict)


def _edit(request, claim):
    form = ClaimEditForm(request.POST)

    def save(data):
        # One transaction: a claimant or source typed inline is not kept when the edit is refused.
        with transaction.atomic():
            claimant, source = form.reference_data()
            return workflow.edit_claim(claim=claim, actor=request.user, version=data["version"],
                                       **form.changes(claim, claimant, source))

    def said(result):
        if result.version == form.cleaned_data["version"]:
            return "Nothing to save: no field changed."
        _advise(request, result)
        return "Claim saved."

    return _act(request, claim, form, "edit", save, said)


# ---------------------------------------------------------------------------------------------------------
# Evidence.


@desk_view
@require_POST
def evidence_add(request, pk):
    claim = get_object_or_404(Claim, pk=pk)
    form = EvidenceForm(request.POST)
    key = keys.key_of(request)

    def add(data):
        # No version: another editor's addition since this page was read is no conflict (see add_evidence).
        with keys.making(request.user, key) as made:
            evidence = workflow.add_evidence(claim=claim, actor=request.user, **form.evidence_fields())
            made(location=f"{claim.get_desk_url()}#evidence")
        return evidence

    return _once(request, key, lambda: _act(request, claim, form, "evidence", add,
                                            lambda evidence: f"Evidence “{evidence.title}” added."))


def _once(request, key, act):
    """``act()`` unless the form with ``key`` was saved already; then, what it made."""
    try:
        if earlier := keys.previous(request.user, key):
            return already_saved(request, earlier)
        return act()
    except keys.Duplicate:
        return already_saved(request, keys.previous(request.user, key))


@desk_view
@require_http_methods(["GET", "HEAD", "POST"])
def evidence_edit(request, pk, evidence_pk):
    evidence = get_object_or_404(Evidence.objects.select_related("claim"), pk=evidence_pk, claim_id=pk)
    claim = evidence.claim
    form = EvidenceForm(request.POST or None, initial=EvidenceForm.initial_for(evidence, claim.version))
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            workflow.change_evidence(evidence=evidence, actor=request.user, version=form.cleaned_data["version"],
                                     **form.evidence_fields())
        except workflow.StaleVersion as exc:
            conflict = _evidence_conflict(request, claim, form, exc)
        except workflow.WorkflowError as exc:
            form.add_workflow_error(exc)
        else:
            messages.success(request, f"Evidence “{form.cleaned_data['title']}” saved.")
            return redirect(f"{claim.get_desk_url()}#evidence")
    return render(request, "desk/evidence_edit.html",
                  {"claim": claim, "evidence": evidence, "form": form, "conflict": conflict,
                   "editable": claim.status in workflow.EVIDENCE_OPEN})


def _evidence_conflict(request, claim, form, exc):
    their_version = form.cleaned_data["version"]
    form.data = form.data.copy()
    form.data["version"] = exc.current.version
    form.add_error(None, exc.message)
    since = ClaimEvent.objects.filter(claim=claim).select_related("verdict").order_by("id")[their_version:]
    return {"their_version": their_version, "current": exc.current, "events": timeline(since)}


@desk_view
@require_POST
def evidence_remove(request, pk, evidence_pk):
    evidence = get_object_or_404(Evidence.objects.select_related("claim"), pk=evidence_pk, claim_id=pk)
    return _remove(request, evidence.claim, "evidence", f"Evidence “{evidence.title}” removed.",
                   lambda version: workflow.remove_evidence(evidence=evidence, actor=request.user, version=version))


def _remove(request, claim, anchor, success, remove):
    """A remove button's POST: ``remove(version)`` through the workflow, then back to the claim page's
    ``anchor`` with what happened (a refusal as an error message: the button has no form to show it on)."""
    form = VersionedForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Nothing was removed: reload the claim page and try again.")
    else:
        try:
            remove(form.cleaned_data["version"])
        except workflow.WorkflowError as exc:
            messages.error(request, f"Nothing was removed. {exc.message}")
        else:
            messages.success(request, success)
    return redirect(f"{claim.get_desk_url()}#{anchor}")


# ---------------------------------------------------------------------------------------------------------
# Verdicts, review and the claim's course.


@desk_view
@require_POST
def verdict_propose(request, pk):
    """Propose a verdict; the "Preview" button only shows the analysis rendered, saving nothing."""
    claim = get_object_or_404(Claim, pk=pk)
    form = VerdictForm(request.POST, correction=claim.published_verdict_id is not None)
    if request.POST.get("action") == "preview":
        return claim_page(request, pk, bound={"verdict": form}, preview=request.POST.get("analysis", ""))

    key = keys.key_of(request)

    def propose(data):
        with keys.making(request.user, key) as made:
            verdict = workflow.propose_verdict(
                claim=claim, actor=request.user, version=data["version"], rating=data["rating"],
                summary=data["summary"], analysis=data["analysis"], correction_note=data.get("correction_note", ""),
            )
            made(location=f"{claim.get_desk_url()}#verdict")
        return verdict

    return _once(request, key, lambda: _act(request, claim, form, "verdict", propose,
                                            "Verdict proposed: it now awaits a reviewer."))


@reviewer_view
@require_POST
def approve(request, pk):
    claim = get_object_or_404(Claim, pk=pk)
    form = ApproveForm(request.POST, correction=claim.published_verdict_id is not None)

    def sign_off(data):
        return workflow.approve(claim=claim, actor=request.user, version=data["version"], note=data["note"],
                                correction_note=data.get("correction_note", ""))

    def said(result):
        if result.status == Status.PUBLISHED:
            return "Approved and published."
        return "Approved. It publishes once enough reviewers have approved it."

    # An approval that publishes is confirmed first, on a page of its own (no script needed): rehearsed, so that
    # a refusal shows at once and only an approval that will publish asks for confirmation.
    if request.POST.get("confirmed") != "1" and form.is_valid():
        try:
            with workflow.rehearsal():
                publishes = sign_off(form.cleaned_data).status == Status.PUBLISHED
        except workflow.WorkflowError:
            publishes = False  # met again, for real, below: shown by _act
        if publishes:
            return _confirm_approval(request, claim, form)
    return _act(request, claim, form, "approve", sign_off, said)


def _confirm_approval(request, claim, form):
    claim = Claim.objects.select_related("claimant", "published_verdict__rating").get(pk=claim.pk)
    verdict = claim.verdicts.select_related("rating").order_by("-proposed_at", "-id").first()
    note = form.cleaned_data.get("correction_note") or verdict.correction_note
    preview = reverse("desk:claim_preview", args=[claim.pk])
    if claim.published_verdict_id and form.cleaned_data.get("correction_note"):
        preview += "?" + urlencode({"note": form.cleaned_data["correction_note"]})
    return render(request, "desk/approve_confirm.html", {
        "claim": claim, "verdict": verdict, "form": form, "correction_note": note, "preview_url": preview,
    })


@reviewer_view
@require_POST
def approve_update(request, pk):
    """Make a public claim's draft public, with a note for readers."""
    claim = get_object_or_404(Claim, pk=pk)
    form = ApproveUpdateForm(request.POST)

    def act(data):
        return workflow.approve_update(claim=claim, actor=request.user, version=data["version"], note=data["note"])

    def said(result):
        if result.draft_fields or result.draft_approvals:
            return "Approved. The changes go public once enough reviewers have approved them."
        return "Approved: the changes are public."

    # As for a verdict: an approval that makes the changes public is confirmed first, after a rehearsal.
    if request.POST.get("confirmed") != "1" and form.is_valid():
        try:
            with workflow.rehearsal():
                publishes = not workflow.has_pending_changes(act(form.cleaned_data))
        except workflow.WorkflowError:
            publishes = False  # met again, for real, below: shown by _act
        if publishes:
            claim = Claim.objects.select_related("claimant", "published_verdict__rating").get(pk=claim.pk)
            preview = reverse("desk:claim_preview", args=[claim.pk]) + "?" + urlencode(
                {"note": form.cleaned_data["note"]})
            return render(request, "desk/approve_update_confirm.html", {
                "claim": claim, "form": form, "changes": workflow.draft_changes(claim), "preview_url": preview,
                "items": sum(item.is_pending for item in [*claim.evidence.all(), *claim.appearances.all()]),
            })
    return _act(request, claim, form, "update", act, said)


@desk_view
@require_POST
def discard_draft(request, pk):
    claim = get_object_or_404(Claim, pk=pk)
    form = VersionedForm(request.POST)

    def act(data):
        return workflow.discard_draft(claim=claim, actor=request.user, version=data["version"])

    return _act(request, claim, form, "discard", act, "Draft discarded: the claim is back to its public version.")


@desk_view
@require_POST
def appearance_add(request, pk):
    claim = get_object_or_404(Claim, pk=pk)
    form = AppearanceForm(request.POST)

    def add(data):
        return workflow.add_appearance(claim=claim, actor=request.user, version=data["version"], url=data["url"],
                                       outlet=data["outlet"], seen_on=data["seen_on"],
                                       archived_url=data["archived_url"])

    def said(appearance):
        if claim.published_verdict_id is not None:
            return "Appearance recorded. Readers see it once a reviewer approves the changes."
        return "Appearance recorded."

    return _act(request, claim, form, "appearances", add, said)


@desk_view
@require_POST
def appearance_remove(request, pk, appearance_pk):
    appearance = get_object_or_404(Appearance.objects.select_related("claim"), pk=appearance_pk, claim_id=pk)
    return _remove(request, appearance.claim, "appearances", "Appearance removed.",
                   lambda version: workflow.remove_appearance(appearance=appearance, actor=request.user,
                                                              version=version))


@reviewer_view
@require_POST
def send_back(request, pk):
    claim = get_object_or_404(Claim, pk=pk)
    form = SendBackForm(request.POST)

    def act(data):
        return workflow.send_back(claim=claim, actor=request.user, version=data["version"], note=data["note"])

    return _act(request, claim, form, "send_back", act, "Sent back to research, with your note.")


@reviewer_view
@require_POST
def reopen(request, pk):
    claim = get_object_or_404(Claim, pk=pk)
    form = ReopenForm(request.POST)

    def act(data):
        return workflow.reopen(claim=claim, actor=request.user, version=data["version"], reason=data["reason"])

    return _act(request, claim, form, "reopen", act, "Claim reopened.")


@desk_view  # the workflow decides: reviewers close claims, editors new reader tips
@require_POST
def close(request, pk):
    claim = get_object_or_404(Claim, pk=pk)
    if not workflow.may_close(request.user, claim):
        return refuse(request, NOT_A_REVIEWER)
    form = CloseForm(request.POST)

    def act(data):
        original = None
        if data["duplicate_of"] is not None:
            original = Claim.objects.filter(pk=data["duplicate_of"]).first()
            if original is None:
                raise workflow.WorkflowError(f"There is no claim number {data['duplicate_of']}.", code="not_found",
                                             field="duplicate_of")
        return workflow.close(claim=claim, actor=request.user, version=data["version"], reason=data["reason"],
                              note=data["note"], duplicate_of=original)

    return _act(request, claim, form, "close", act, "Claim closed.")


@desk_view
@require_POST
def assign(request, pk):
    """Assign the claim; assigning a new claim starts its research."""
    claim = get_object_or_404(Claim, pk=pk)
    form = AssignForm(request.POST)

    def act(data):
        if claim.status == Status.NEW:
            return workflow.start_research(claim=claim, actor=request.user, version=data["version"],
                                           assignee=data["assignee"])
        return workflow.assign(claim=claim, actor=request.user, version=data["version"], assignee=data["assignee"])

    def said(result):
        started = " Research has started." if claim.status == Status.NEW else ""
        return f"Assigned to {display_name(result.assignee) or 'nobody'}.{started}"

    return _act(request, claim, form, "assign", act, said)
