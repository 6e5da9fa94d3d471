"""Every state-changing operation on the register, one function each.

The desk, the API, the admin and the management commands all call these; nothing else changes state.
Each operation:

- takes keyword-only arguments, the acting user and the claim ``version`` the caller last saw;
- runs in one transaction, with the claim row locked, and refuses a stale version before writing (adding
  evidence excepted: an addition changes nothing anyone else is editing, so it needs no version; see
  ``add_evidence``);
- checks the rules of the workflow table in DESIGN.md and the actor's role;
- writes exactly one ``ClaimEvent`` and bumps ``Claim.version`` once;
- raises ``WorkflowError`` (``StaleVersion`` for a stale version) for every refusal, with nothing written.
"""

import contextlib
import contextvars
import datetime
import functools
import logging
import unicodedata

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from .models import Appearance, Claim, Claimant, ClaimEvent, Evidence, Rating, Source, Topic, Verdict, http_url
from .people import display_name

log = logging.getLogger("claims.workflow")

Status = Claim.Status
Kind = ClaimEvent.Kind

EDITOR_PERMISSION = "claims.change_claim"
REVIEWER_PERMISSION = "claims.review_claim"

CLAIM_FIELDS = ("text", "quote", "claimant", "source", "claim_date", "language", "recheck_on")
# What readers see of a claim: on a public claim, changes to these (and its topics) wait for a reviewer. The
# re-check date is the desk's own schedule and changes at once.
PUBLIC_CLAIM_FIELDS = ("text", "quote", "claimant", "source", "claim_date", "language", "topics")
DRAFT_NOTE = "Draft: readers see this change once a reviewer approves it."
EVIDENCE_FIELDS = ("url", "title", "publisher", "note", "stance", "archived_url", "withheld", "withheld_reason")


class WorkflowError(Exception):
    """The one domain error. ``code`` is machine-readable; ``message`` is for people; ``field``
    names the input at fault, when there is one."""

    code = "not_allowed"

    def __init__(self, message, *, code=None, field=None):
        super().__init__(message)
        self.message = message
        self.code = code or self.code
        self.field = field


class StaleVersion(WorkflowError):
    """Someone else changed the claim since the caller read it. ``current`` is the claim as it is now."""

    code = "stale_version"

    def __init__(self, message, *, current):
        super().__init__(message)
        self.current = current


def operation(func):
    """Run ``func`` in one transaction and log its outcome as one structured record (logger
    ``claims.workflow``) with the fields ``operation``, ``actor`` (user id; None for a reader tip), ``claim``
    (id; for a new claim, the one created), ``evidence`` (id, for evidence operations) and ``outcome``
    (``ok`` or the refusal's code).

    Each operation is wrapped just after its definition, ``approve = operation(approve)``, rather than with
    ``@operation``: mutmut skips decorated functions, and the workflow is mutation-tested
    (docs/mutation-testing.md)."""

    @functools.wraps(func)
    def wrapper(**kwargs):
        if _rehearsing.get():  # rolled back whatever happens: no outcome to log
            with transaction.atomic():
                return func(**kwargs)
        fields = {"operation": func.__name__, "actor": getattr(kwargs.get("actor"), "pk", None),
                  "claim": _claim_id(kwargs.get("claim") or kwargs.get("evidence"))}
        if kwargs.get("evidence") is not None:
            fields["evidence"] = kwargs["evidence"].pk
        try:
            with transaction.atomic():
                result = func(**kwargs)
        except WorkflowError as exc:
            _log_outcome(fields, exc.code)
            raise
        if fields["claim"] is None:
            fields["claim"] = _claim_id(result)
        if isinstance(result, Evidence):
            fields["evidence"] = result.pk
        _log_outcome(fields, "ok")
        return result

    return wrapper


_rehearsing = contextvars.ContextVar("rehearsing", default=False)


@contextlib.contextmanager
def rehearsal():
    """Run operations for real, then roll everything back: the rows, the version, the history, and the tasks and
    cache updates queued for the commit that never comes. The desk asks this way what an approval would do (the
    confirmation step) and shows what readers would then see (the preview), through the same code that will do
    it rather than a copy of it. Operations in a rehearsal log no outcome: nothing happened."""
    token = _rehearsing.set(True)
    try:
        with transaction.atomic():
            yield
            transaction.set_rollback(True)
    finally:
        _rehearsing.reset(token)


def _claim_id(obj):
    if isinstance(obj, Claim):
        return obj.pk
    return getattr(obj, "claim_id", None)  # evidence or a verdict


def _log_outcome(fields, outcome):
    log.info("%s %s actor=%s claim=%s", fields["operation"], "ok" if outcome == "ok" else f"refused ({outcome})",
             fields["actor"], fields["claim"], extra={**fields, "outcome": outcome})


# ---------------------------------------------------------------------------------------------------------
# Helpers shared by the operations.


def _require(actor, permission):
    if actor is None or not actor.is_authenticated or not actor.has_perm(permission):
        role = "a reviewer" if permission == REVIEWER_PERMISSION else "an editor"
        raise WorkflowError(f"Only {role} can do this.", code="permission_denied")


def _lock(claim, version):
    """The claim's row, locked until the transaction ends, provided nobody changed it since ``version``."""
    current = Claim.objects.select_for_update().get(pk=claim.pk)
    try:
        # The version arrives as text from forms and If-Match headers; garbage there is just not current.
        seen = int(version)
    except (TypeError, ValueError):
        seen = None
    if seen != current.version:
        raise StaleVersion(
            "Someone else changed this claim while you were working on it. Review their changes and try again.",
            current=current,
        )
    return current


def _require_status(claim, *allowed, doing):
    if claim.status not in allowed:
        names = " or ".join(str(Status(s).label).lower() for s in allowed)
        raise WorkflowError(
            f"Cannot {doing}: the claim is {claim.get_status_display().lower()}, and this needs it {names}.",
            code="invalid_transition",
        )


def has_visible_text(value):
    """Whether ``value`` holds a character a reader can see: something beyond whitespace and Unicode format
    characters (category Cf: zero-width spaces and joiners, bidi marks, the byte-order mark)."""
    return any(not char.isspace() and unicodedata.category(char) != "Cf" for char in value or "")


def _required_text(value, *, field, what):
    value = (value or "").strip()
    if not has_visible_text(value):
        raise WorkflowError(f"{what} is required.", code="required", field=field)
    return value


def _commit(claim, actor, kind, *, to_status=None, verdict=None, note="", changes=None, public=False, at=None):
    """Save the claim with its version bumped, and write the event that records the change."""
    _check_length(ClaimEvent, {"note": note})
    at = at or timezone.now()
    from_status = claim.status if claim.pk else ""
    if to_status is not None:
        claim.status = to_status
    claim.version += 1
    claim.save()
    ClaimEvent.objects.create(
        claim=claim,
        actor=actor,
        actor_name=_name(actor),
        at=at,
        kind=kind,
        from_status=from_status,
        to_status=claim.status,
        verdict=verdict,
        note=note,
        changes=changes or {},
        public=public,
    )
    return claim


def _name(user):
    return "Reader tip" if user is None else display_name(user)


def _display(value):
    """A JSON-safe rendering of a field value for the ``changes`` diff."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _check_text(text):
    text = _required_text(text, field="text", what="The claim text")
    if len(text) > settings.CLAIM_TEXT_HARD_LIMIT:
        raise WorkflowError(
            f"The claim text is {len(text)} characters; the limit is {settings.CLAIM_TEXT_HARD_LIMIT}. "
            "Word it more briefly and keep the full wording in the quote.",
            code="too_long",
            field="text",
        )
    return text


def _check_url(value, *, field):
    value = (value or "").strip()
    if value:
        try:
            http_url(value)
        except Exception:
            raise WorkflowError(
                "Enter a web address starting with http:// or https://.", code="invalid_url", field=field
            ) from None
    return value


def _check_length(model, values):
    """Refuse text longer than its field's ``max_length``: the one limit of each field (claims/models.py),
    for the desk, the API and imports alike. For a CharField it is the column (PostgreSQL would fail
    mid-transaction, SQLite would keep it all); for a TextField, the size the newsroom allows."""
    for name, value in values.items():
        limit = getattr(model._meta.get_field(name), "max_length", None)
        if limit and isinstance(value, str) and len(value) > limit:
            label = model._meta.get_field(name).verbose_name
            raise WorkflowError(
                f"The {label} is {len(value)} characters; the limit is {limit}.", code="too_long", field=name
            )


def _locate_quote(claim, start=None):
    """Offsets of the quote in the source's text: at ``start`` when it is there (a span picked in the intake
    workspace, where the same words may occur twice), else its first occurrence."""
    text = claim.source.text if claim.source else ""
    if start is not None and claim.quote and text[start:start + len(claim.quote)] == claim.quote:
        claim.quote_start, claim.quote_end = start, start + len(claim.quote)
        return
    claim.quote_start, claim.quote_end = claim.source.locate(claim.quote) if claim.source else (None, None)


def _pending_verdict(claim):
    verdict = claim.verdicts.order_by("-proposed_at", "-id").first()
    if verdict is None:
        raise WorkflowError("There is no proposed verdict to review.", code="no_verdict")
    return verdict


def approvers_of(verdict):
    """Users who signed off ``verdict``: every approval, including the one that published it."""
    return ClaimEvent.objects.filter(
        verdict=verdict, kind__in=[Kind.APPROVED, Kind.PUBLISHED, Kind.CORRECTED]
    ).exclude(actor=None)


# ---------------------------------------------------------------------------------------------------------
# Capture and edit.


def create_claim(*, actor, text, claimant=None, quote="", source=None, claim_date=None, language="en",
                 topics=(), recheck_on=None, is_reader_tip=False, note="", tipster_email="", quote_start=None):
    """Capture a claim. Reader tips arrive with no actor and no claimant; everything else needs an editor.
    ``tipster_email`` is a reader's optional address for follow-up, never shown publicly."""
    if not is_reader_tip:
        _require(actor, EDITOR_PERMISSION)
        if claimant is None:
            raise WorkflowError("Choose who made the claim.", code="required", field="claimant")
    claim = Claim(
        text=_check_text(text), claimant=claimant, quote=(quote or "").strip(), source=source,
        claim_date=claim_date, language=language or "en", recheck_on=recheck_on, is_reader_tip=is_reader_tip,
        tipster_email=(tipster_email or "").strip(), version=0,  # _commit bumps it to 1
    )
    _check_length(Claim, {"quote": claim.quote, "language": claim.language, "tipster_email": claim.tipster_email})
    _locate_quote(claim, quote_start)
    _commit(claim, actor, Kind.CREATED, to_status=Status.NEW, note=note)
    if topics:
        claim.topics.set(topics)
    return claim
create_claim = operation(create_claim)


def edit_claim(*, claim, actor, version, **fields):
    """Change the claim's own fields (``CLAIM_FIELDS`` and ``topics``). Records a field-by-field diff.
    Saving with nothing changed writes nothing."""
    _require(actor, EDITOR_PERMISSION)
    unknown = set(fields) - set(CLAIM_FIELDS) - {"topics"}
    if unknown:
        raise TypeError(f"edit_claim() got unexpected fields: {', '.join(sorted(unknown))}")
    claim = _lock(claim, version)
    if claim.status == Status.CLOSED:
        raise WorkflowError("A closed claim cannot be edited; reopen it first.", code="invalid_transition")
    if "text" in fields:
        fields["text"] = _check_text(fields["text"])
    _check_length(Claim, fields)
    if "claimant" in fields and fields["claimant"] is None:
        raise WorkflowError("Choose who made the claim.", code="required", field="claimant")
    if _is_drafting(claim):
        return _edit_draft(claim, actor, fields)

    changes = {}
    for name in CLAIM_FIELDS:
        if name in fields and getattr(claim, name) != fields[name]:
            changes[name] = [_display(getattr(claim, name)), _display(fields[name])]
            setattr(claim, name, fields[name])
    new_topics = None
    if "topics" in fields:
        before = sorted(claim.topics.all(), key=lambda t: t.pk)
        after = sorted(fields["topics"], key=lambda t: t.pk)
        if before != after:
            changes["topics"] = [[t.name for t in before], [t.name for t in after]]
            new_topics = after
    if not changes:
        return claim
    if {"quote", "source"} & changes.keys():
        _locate_quote(claim)
    _commit(claim, actor, Kind.EDITED, changes=changes)
    if new_topics is not None:
        claim.topics.set(new_topics)
    return claim
edit_claim = operation(edit_claim)


def start_research(*, claim, actor, version, assignee=None):
    """new → researching, assigned to ``assignee`` (the actor by default)."""
    _require(actor, EDITOR_PERMISSION)
    claim = _lock(claim, version)
    _require_status(claim, Status.NEW, doing="start research")
    return _assign(claim, actor, assignee or actor, to_status=Status.RESEARCHING, kind=Kind.RESEARCH_STARTED)
start_research = operation(start_research)


def assign(*, claim, actor, version, assignee):
    """Hand an open claim to another editor (or to nobody) without moving it."""
    _require(actor, EDITOR_PERMISSION)
    claim = _lock(claim, version)
    _require_status(claim, Status.NEW, Status.RESEARCHING, Status.IN_REVIEW, doing="assign")
    if assignee == claim.assignee:
        raise WorkflowError("The claim is already assigned to them.", code="no_change", field="assignee")
    return _assign(claim, actor, assignee)
assign = operation(assign)


def _assign(claim, actor, assignee, *, to_status=None, kind=Kind.ASSIGNED):
    if assignee is not None and not assignee.has_perm(EDITOR_PERMISSION):
        raise WorkflowError(f"{_name(assignee)} is not an editor.", code="invalid_assignee", field="assignee")
    changes = {"assignee": [_display(claim.assignee), _display(assignee)]}
    claim.assignee = assignee
    return _commit(claim, actor, kind, to_status=to_status, changes=changes)


# ---------------------------------------------------------------------------------------------------------
# Evidence. It is gathered during research; once a verdict is proposed the evidence the reviewer signs off
# is frozen, so a reviewer never approves something that changed under them.

EVIDENCE_OPEN = (Status.NEW, Status.RESEARCHING)


def _clean_evidence(fields):
    cleaned = dict(fields)
    for name in ("url", "archived_url"):
        if name in cleaned:
            cleaned[name] = _check_url(cleaned[name], field=name)
    if "title" in cleaned:
        cleaned["title"] = _required_text(cleaned["title"], field="title", what="A title")
    if "stance" in cleaned and cleaned["stance"] not in Evidence.Stance.values:
        raise WorkflowError("Choose supports, refutes or context.", code="invalid", field="stance")
    _check_length(Evidence, cleaned)
    return cleaned


def _check_withheld(evidence):
    if evidence.withheld and not has_visible_text(evidence.withheld_reason):
        raise WorkflowError(
            "Say why the source is withheld.", code="required", field="withheld_reason"
        )


def add_evidence(*, claim, actor, title, version=None, url="", publisher="", note="",
                 stance=Evidence.Stance.CONTEXT, archived_url="", withheld=False, withheld_reason=""):
    """Add an evidence item to a claim in research. An addition edits nothing another editor may be editing, so
    two editors adding evidence at once both succeed: with ``version`` None it is added to the claim as it is
    now (still one at a time, under the claim's lock, so the limit and the status hold). A ``version`` given (an
    API client's If-Match) is checked like any other. The claim's version is still bumped: its evidence
    changed, so a verdict proposed, an item edited or an approval made on an earlier version is stale."""
    _require(actor, EDITOR_PERMISSION)
    claim = _lock(claim, version) if version is not None else Claim.objects.select_for_update().get(pk=claim.pk)
    _require_status(claim, *EVIDENCE_OPEN, doing="add evidence")
    if claim.evidence.count() >= settings.MAX_EVIDENCE_PER_CLAIM:
        raise WorkflowError(
            f"This claim has {settings.MAX_EVIDENCE_PER_CLAIM} evidence items, the most one claim can hold. "
            "Remove one that adds least, or combine two, before adding another.", code="too_much_evidence",
        )
    fields = _clean_evidence(dict(title=title, url=url, publisher=publisher, note=note, stance=stance,
                                  archived_url=archived_url, withheld=withheld, withheld_reason=withheld_reason))
    evidence = Evidence(claim=claim, added_by=actor, **fields)
    _check_withheld(evidence)
    evidence.save()
    _mark_draft(claim, actor)
    _commit(claim, actor, Kind.EVIDENCE_ADDED, changes={"evidence": [None, _evidence_summary(evidence)]})
    return evidence
add_evidence = operation(add_evidence)


def change_evidence(*, evidence, actor, version, **fields):
    _require(actor, EDITOR_PERMISSION)
    unknown = set(fields) - set(EVIDENCE_FIELDS)
    if unknown:
        raise TypeError(f"change_evidence() got unexpected fields: {', '.join(sorted(unknown))}")
    claim = _lock(evidence.claim, version)
    _require_status(claim, *EVIDENCE_OPEN, doing="change evidence")
    evidence = _working_item(Evidence, evidence)
    changes = {}
    for name, value in _clean_evidence(fields).items():
        if getattr(evidence, name) != value:
            changes[name] = [_display(getattr(evidence, name)), _display(value)]
            setattr(evidence, name, value)
    if not changes:
        return evidence
    _check_withheld(evidence)
    evidence.save()
    _mark_draft(claim, actor)
    _commit(claim, actor, Kind.EVIDENCE_CHANGED, changes={"evidence_id": [evidence.pk, evidence.pk], **changes})
    return evidence
change_evidence = operation(change_evidence)


def remove_evidence(*, evidence, actor, version):
    _require(actor, EDITOR_PERMISSION)
    claim = _lock(evidence.claim, version)
    _require_status(claim, *EVIDENCE_OPEN, doing="remove evidence")
    evidence = _working_item(Evidence, evidence)
    summary = _evidence_summary(evidence)
    _remove_item(claim, actor, evidence)
    return _commit(claim, actor, Kind.EVIDENCE_REMOVED, changes={"evidence": [summary, None]})
remove_evidence = operation(remove_evidence)


def _evidence_summary(evidence):
    return {"id": evidence.pk, "title": evidence.title, "url": evidence.url, "stance": evidence.stance,
            "withheld": evidence.withheld}


# ---------------------------------------------------------------------------------------------------------
# Verdicts and review.


def propose_verdict(*, claim, actor, version, rating, summary, analysis="", correction_note=""):
    """researching → in_review with a new verdict. Needs a rating, a summary and at least one evidence item."""
    _require(actor, EDITOR_PERMISSION)
    claim = _lock(claim, version)
    _require_status(claim, Status.RESEARCHING, doing="propose a verdict")
    if not isinstance(rating, Rating):
        raise WorkflowError("Choose a rating.", code="required", field="rating")
    summary = _required_text(summary, field="summary", what="A summary")
    _check_length(Verdict, {"summary": summary, "analysis": analysis, "correction_note": correction_note})
    if claim.claimant_id is None:
        raise WorkflowError("Say who made the claim before proposing a verdict.", code="required", field="claimant")
    if not claim.evidence.working().exists():
        raise WorkflowError(
            "Add at least one evidence item before proposing a verdict.", code="evidence_required"
        )
    now = timezone.now()
    verdict = Verdict.objects.create(
        claim=claim, rating=rating, rating_label=rating.label, rating_value=rating.value, summary=summary,
        analysis=(analysis or "").strip(), correction_note=(correction_note or "").strip(),
        proposed_by=actor, proposed_by_name=_name(actor), proposed_at=now,
    )
    _commit(claim, actor, Kind.VERDICT_PROPOSED, to_status=Status.IN_REVIEW, verdict=verdict, at=now)
    return verdict
propose_verdict = operation(propose_verdict)


def approve(*, claim, actor, version, note="", correction_note=""):
    """Sign off the pending verdict. The last required approval publishes it; when it replaces a published
    verdict that is a correction, and a correction note (from the proposal or given here) is required."""
    _require(actor, REVIEWER_PERMISSION)
    claim = _lock(claim, version)
    _require_status(claim, Status.IN_REVIEW, doing="approve")
    verdict = _pending_verdict(claim)
    # Four eyes, for everyone: superusers pass every permission check, but not this one.
    if verdict.proposed_by_id == actor.pk:
        raise WorkflowError(
            "You proposed this verdict, so someone else must approve it.", code="own_verdict"
        )
    _refuse_own_draft(claim, actor)
    approvals = approvers_of(verdict)
    if approvals.filter(actor=actor).exists():
        raise WorkflowError("You have already approved this verdict.", code="already_approved")
    if approvals.values("actor").distinct().count() + 1 < settings.REQUIRED_APPROVALS:
        return _commit(claim, actor, Kind.APPROVED, verdict=verdict, note=(note or "").strip())
    return _publish(claim, actor, verdict, note=note, correction_note=correction_note)
approve = operation(approve)


def _publish(claim, actor, verdict, *, note, correction_note):
    now = timezone.now()
    if claim.published_verdict_id is not None:
        correction = (correction_note or "").strip()
        if not has_visible_text(correction):
            correction = verdict.correction_note
        if not has_visible_text(correction):
            raise WorkflowError(
                "This verdict replaces a published one: write a correction note saying what changed and why.",
                code="correction_note_required", field="correction_note",
            )
        kind, note = Kind.CORRECTED, correction
        changes = _apply_draft(claim)
    else:
        kind, note, changes = Kind.PUBLISHED, (note or "").strip(), None
        _approve_items(claim)
        claim.published_at = now
    claim.published_verdict = verdict
    return _commit(claim, actor, kind, to_status=Status.PUBLISHED, verdict=verdict, note=note, public=True, at=now,
                   changes=changes)


def send_back(*, claim, actor, version, note):
    """in_review → researching, with the reviewer's note for the proposer."""
    _require(actor, REVIEWER_PERMISSION)
    claim = _lock(claim, version)
    _require_status(claim, Status.IN_REVIEW, doing="send back")
    note = _required_text(note, field="note", what="A note for the proposer")
    return _commit(claim, actor, Kind.SENT_BACK, to_status=Status.RESEARCHING, verdict=_pending_verdict(claim),
                   note=note)
send_back = operation(send_back)


def reopen(*, claim, actor, version, reason):
    """published → researching (the published verdict stays public until a correction replaces it);
    closed → new."""
    _require(actor, REVIEWER_PERMISSION)
    claim = _lock(claim, version)
    _require_status(claim, Status.PUBLISHED, Status.CLOSED, doing="reopen")
    reason = _required_text(reason, field="reason", what="A reason")
    if claim.status == Status.CLOSED:
        changes = {"close_reason": [claim.close_reason, ""], "duplicate_of": [claim.duplicate_of_id, None]}
        claim.close_reason, claim.duplicate_of = "", None
        return _commit(claim, actor, Kind.REOPENED, to_status=Status.NEW, note=reason, changes=changes)
    return _commit(claim, actor, Kind.REOPENED, to_status=Status.RESEARCHING, note=reason)
reopen = operation(reopen)


# What an editor may close a new reader tip as (triage); closing anything else is a reviewer's call.
TIP_CLOSE_REASONS = (Claim.CloseReason.NOT_CHECKABLE, Claim.CloseReason.DUPLICATE, Claim.CloseReason.OUT_OF_SCOPE)


def close(*, claim, actor, version, reason, note="", duplicate_of=None):
    """new or researching → closed, as not checkable, a duplicate (of ``duplicate_of``) or out of scope.
    Reviewers close any such claim; an editor may close a new reader tip (triage), for those three reasons."""
    _require(actor, EDITOR_PERMISSION)
    claim = _lock(claim, version)
    if not may_close(actor, claim):
        raise WorkflowError("Only a reviewer can close this claim. Editors may close a new reader tip.",
                            code="permission_denied")
    if not actor.has_perm(REVIEWER_PERMISSION) and reason and reason not in TIP_CLOSE_REASONS:
        raise WorkflowError("Choose why the tip is closed: not checkable, duplicate or out of scope.",
                            code="invalid", field="reason")
    _require_status(claim, Status.NEW, Status.RESEARCHING, doing="close")
    if reason not in Claim.CloseReason.values:
        raise WorkflowError(
            "Choose why the claim is closed: not checkable, duplicate or out of scope.", code="required",
            field="reason",
        )
    if reason == Claim.CloseReason.DUPLICATE:
        if duplicate_of is None:
            raise WorkflowError("Say which claim this duplicates.", code="required", field="duplicate_of")
        if duplicate_of.pk == claim.pk:
            raise WorkflowError("A claim cannot duplicate itself.", code="invalid", field="duplicate_of")
    else:
        duplicate_of = None
    claim.close_reason, claim.duplicate_of = reason, duplicate_of
    changes = {"close_reason": ["", reason]}
    if duplicate_of is not None:
        changes["duplicate_of"] = [None, duplicate_of.pk]
    return _commit(claim, actor, Kind.CLOSED, to_status=Status.CLOSED, note=(note or "").strip(), changes=changes)
close = operation(close)


def may_close(actor, claim):
    """The role rule of closing: a reviewer closes any claim (its state is checked apart); an editor a new
    reader tip only (triage). The desk asks it too, to offer the close form and to refuse with a 403."""
    if actor.has_perm(REVIEWER_PERMISSION):
        return True
    return actor.has_perm(EDITOR_PERMISSION) and claim.is_reader_tip and claim.status == Status.NEW


# ---------------------------------------------------------------------------------------------------------
# Tipsters: a reader who sent a tip with an e-mail address may get a reply from the desk. The reply is part of
# the claim's history (who wrote what to whom), never public.


def reply_to_tipster(*, claim, actor, version, message):
    """E-mail ``message`` to the reader who sent the tip, and record it as a non-public "replied" event (the
    message as its note). Refused past ``TIPSTER_REPLIES_PER_HOUR`` replies on the claim within an hour. The
    mail goes out inside the transaction: if the mail server refuses it, nothing is recorded."""
    _require(actor, EDITOR_PERMISSION)
    claim = _lock(claim, version)
    if not claim.is_reader_tip or not claim.tipster_email:
        raise WorkflowError("Only a reader tip with a contact address can be replied to.", code="no_contact")
    message = _required_text(message, field="message", what="A message")
    _check_length(ClaimEvent, {"note": message})
    since = timezone.now() - datetime.timedelta(hours=1)
    if claim.events.filter(kind=Kind.REPLIED, at__gte=since).count() >= settings.TIPSTER_REPLIES_PER_HOUR:
        raise WorkflowError(
            f"This tipster has had {settings.TIPSTER_REPLIES_PER_HOUR} replies in the last hour; wait before "
            "writing again.", code="throttled", field="message",
        )
    claim = _commit(claim, actor, Kind.REPLIED, note=message, changes={"to": [None, claim.tipster_email]})
    try:
        send_mail(
            subject=f"About your tip to {settings.ORGANIZATION_NAME}",
            message=f"{message}\n\n—\n{_name(actor)}, {settings.ORGANIZATION_NAME}\n\nYou told us: {claim.text}\n",
            from_email=None, recipient_list=[claim.tipster_email],
        )
    except Exception as exc:  # the mail server's failure, whatever its kind: nothing is recorded
        log.warning("reply to tipster on claim %s not sent: %s", claim.pk, exc)
        raise WorkflowError("The reply could not be sent (the mail server refused it). Nothing was recorded; "
                            "try again later.", code="mail_failed") from None
    return claim
reply_to_tipster = operation(reply_to_tipster)


# ---------------------------------------------------------------------------------------------------------
# Appearances: further places the claim was repeated. Recorded at any stage but closed; on a public claim a
# new or removed appearance is a draft like any other change.


def add_appearance(*, claim, actor, version, url, outlet="", seen_on=None, archived_url=""):
    _require(actor, EDITOR_PERMISSION)
    claim = _lock(claim, version)
    _require_status(claim, Status.NEW, Status.RESEARCHING, Status.IN_REVIEW, Status.PUBLISHED,
                    doing="record an appearance")
    url = _check_url(url, field="url")
    if not url:
        raise WorkflowError("The appearance's web address is required.", code="required", field="url")
    appearance = Appearance(claim=claim, url=url, outlet=(outlet or "").strip(), seen_on=seen_on,
                            archived_url=_check_url(archived_url, field="archived_url"))
    _check_length(Appearance, {"url": appearance.url, "outlet": appearance.outlet,
                               "archived_url": appearance.archived_url})
    appearance.save()
    _mark_draft(claim, actor)
    _commit(claim, actor, Kind.EDITED, changes={"appearance": [None, _appearance_summary(appearance)]},
            note=DRAFT_NOTE if _is_drafting(claim) else "")
    return appearance
add_appearance = operation(add_appearance)


def remove_appearance(*, appearance, actor, version):
    _require(actor, EDITOR_PERMISSION)
    claim = _lock(appearance.claim, version)
    _require_status(claim, Status.NEW, Status.RESEARCHING, Status.IN_REVIEW, Status.PUBLISHED,
                    doing="remove an appearance")
    appearance = _working_item(Appearance, appearance)
    summary = _appearance_summary(appearance)
    _remove_item(claim, actor, appearance)
    return _commit(claim, actor, Kind.EDITED, changes={"appearance": [summary, None]},
                   note=DRAFT_NOTE if _is_drafting(claim) else "")
remove_appearance = operation(remove_appearance)


def _appearance_summary(appearance):
    return {"id": appearance.pk, "url": appearance.url, "outlet": appearance.outlet}


# ---------------------------------------------------------------------------------------------------------
# Drafts. Once a claim is public, what readers see is what reviewers approved: the claim row itself, and the
# ``approved`` copy of each evidence item and appearance. The desk's later changes are a draft (the claim's
# ``draft`` and the items' working fields) until a reviewer who made none of them approves it: as an update
# (``approve_update``, a public "updated" event with its note) or with a correction (``approve``).


def _is_drafting(claim):
    return claim.published_verdict_id is not None


def _working_item(model, item):
    """The item as it is now; one removed in a draft is gone for the desk."""
    current = model.objects.filter(pk=item.pk, removed=False).first()
    if current is None:
        raise WorkflowError("That item has been removed.", code="not_found")
    return current


def _remove_item(claim, actor, item):
    if item.approved is None:
        item.delete()  # readers never saw it
    else:
        item.removed = True  # readers still see it until a reviewer approves the removal
        item.save(update_fields=["removed"])
    _mark_draft(claim, actor)


def _mark_draft(claim, actor, fields=None):
    """Record ``actor`` as an author of the claim's draft (a drafted change voids earlier approvals of it)."""
    if not _is_drafting(claim):
        return
    draft = claim.draft or {}
    claim.draft = {
        "fields": draft.get("fields", {}) if fields is None else fields,
        "authors": sorted({*draft.get("authors", []), actor.pk}),
        "approvals": [],
    }


def _json_value(name, value):
    """A claim field's value as the draft keeps it."""
    if name == "topics":
        return sorted(topic.pk for topic in value)
    if name in ("claimant", "source"):
        return None if value is None else value.pk
    return value.isoformat() if isinstance(value, datetime.date) else value


def _row_value(claim, name):
    """The approved (public) value of a claim field, as the draft keeps it."""
    if name == "topics":
        return sorted(claim.topics.values_list("pk", flat=True))
    if name in ("claimant", "source"):
        return getattr(claim, f"{name}_id")
    return _json_value(name, getattr(claim, name))


def _describe(name, value):
    """A draft value as people read it in the history: names rather than ids."""
    if name == "topics":
        return list(Topic.objects.filter(pk__in=value).order_by("name", "id").values_list("name", flat=True))
    if name in ("claimant", "source") and value is not None:
        model = Claimant if name == "claimant" else Source
        return _display(model.objects.filter(pk=value).first())
    return value


def _edit_draft(claim, actor, fields):
    draft_fields = dict(claim.draft_fields)
    changes = {}
    for name in CLAIM_FIELDS:
        if name in fields and name not in PUBLIC_CLAIM_FIELDS and getattr(claim, name) != fields[name]:
            changes[name] = [_display(getattr(claim, name)), _display(fields[name])]
            setattr(claim, name, fields[name])
    direct = set(changes)
    for name in PUBLIC_CLAIM_FIELDS:
        if name not in fields:
            continue
        new, public = _json_value(name, fields[name]), _row_value(claim, name)
        before = draft_fields.get(name, public)
        if new == before:
            continue
        changes[name] = [_describe(name, before), _describe(name, new)]
        if new == public:
            draft_fields.pop(name)
        else:
            draft_fields[name] = new
    if not changes:
        return claim
    drafted = changes.keys() - direct
    if drafted:
        _mark_draft(claim, actor, fields=draft_fields)
    return _commit(claim, actor, Kind.EDITED, changes=changes, note=DRAFT_NOTE if drafted else "")


def draft_changes(claim):
    """The draft's field changes as people read them: {field: [what readers see, the draft]}."""
    return {name: [_describe(name, _row_value(claim, name)), _describe(name, value)]
            for name, value in claim.draft_fields.items()}


def has_pending_changes(claim):
    """Whether the claim holds changes readers do not see yet."""
    return bool(claim.draft_fields) or any(
        item.is_pending for item in [*claim.evidence.all(), *claim.appearances.all()]
    )


def _refuse_own_draft(claim, actor):
    if actor.pk in claim.draft_authors and has_pending_changes(claim):
        raise WorkflowError(
            "You made changes in this draft, so someone else must approve them.", code="own_change"
        )


def _apply_draft(claim):
    """Make the draft what readers see: the claim's fields, then evidence and appearances. Returns the
    changes, field by field, for the public event."""
    changes = {}
    for name, value in claim.draft_fields.items():
        before = _describe(name, _row_value(claim, name))
        if name == "topics":
            topics = list(Topic.objects.filter(pk__in=value))
            claim.topics.set(topics)
        elif name in ("claimant", "source"):
            model = Claimant if name == "claimant" else Source
            related = None if value is None else model.objects.filter(pk=value).first()
            if value is not None and related is None:
                raise WorkflowError(f"The draft's {name} no longer exists; choose another.", code="invalid",
                                    field=name)
            setattr(claim, name, related)
        else:
            setattr(claim, name, Claim._meta.get_field(name).to_python(value))
        changes[name] = [before, _describe(name, value)]
    if {"quote", "source"} & claim.draft_fields.keys():
        _locate_quote(claim)
    claim.draft = None
    changes.update(_approve_items(claim))
    return changes


def _approve_items(claim):
    """Approve every evidence item and appearance as the desk has it now. Returns what readers will see
    change: {"evidence": [titles before, titles after]} and the same for appearances (URLs)."""
    changes = {}
    for name, model, label in (("evidence", Evidence, "title"), ("appearances", Appearance, "url")):
        before, after, approved, removed = [], [], [], []
        for item in model.objects.filter(claim=claim):
            if not item.is_pending:
                continue
            if item.approved is not None:
                before.append(item.approved[label])
            if item.removed:
                removed.append(item.pk)
                continue
            item.approved = item.approved_values()
            approved.append(item)
            after.append(item.approved[label])
        # A few statements however many items changed: a publication (and its preview) costs the same with 50.
        model.objects.filter(pk__in=removed).delete()
        model.objects.bulk_update(approved, ["approved"])
        if before or after:
            changes[name] = [before, after]
    return changes


def approve_update(*, claim, actor, version, note):
    """Publish a public claim's draft: its changed wording, links, evidence or appearances. A reviewer who
    made none of the changes approves it, ``REQUIRED_APPROVALS`` times; the last approval makes it public
    with an "updated" event carrying ``note`` (what changed, for readers)."""
    _require(actor, REVIEWER_PERMISSION)
    claim = _lock(claim, version)
    if not _is_drafting(claim):
        raise WorkflowError("Only a published claim has updates to approve; approve its verdict instead.",
                            code="invalid_transition")
    _require_status(claim, Status.PUBLISHED, Status.RESEARCHING, Status.IN_REVIEW, doing="approve an update")
    if not has_pending_changes(claim):
        raise WorkflowError("There are no changes waiting for approval.", code="no_change")
    note = _required_text(note, field="note", what="A note for readers saying what was updated")
    _refuse_own_draft(claim, actor)
    if actor.pk in claim.draft_approvals:
        raise WorkflowError("You have already approved these changes.", code="already_approved")
    approvals = [*claim.draft_approvals, actor.pk]
    if len(approvals) < settings.REQUIRED_APPROVALS:
        claim.draft = {**claim.draft, "approvals": approvals}
        return _commit(claim, actor, Kind.APPROVED, note=note)
    changes = _apply_draft(claim)
    return _commit(claim, actor, Kind.UPDATED, verdict=claim.published_verdict, note=note, changes=changes,
                   public=True)
approve_update = operation(approve_update)


PREVIEW_NOTE = "The note you write when approving appears here."


@contextlib.contextmanager
def as_published(*, claim, actor, note=""):
    """Inside this block, the claim as readers will see it once its pending verdict (a publication or a
    correction) or its draft (an update) gets its last approval: published by the code that will publish it
    (``_publish``, ``_apply_draft``), with ``actor`` as the approver and ``note`` as the public note of a
    correction or update (a placeholder when empty). Everything is rolled back on leaving (``rehearsal``).
    Yields the claim; raises WorkflowError (``no_change``) when nothing awaits approval."""
    with rehearsal():
        claim = Claim.objects.select_for_update().get(pk=claim.pk)
        note = (note or "").strip()
        if claim.status == Status.IN_REVIEW:
            verdict = _pending_verdict(claim)
            correction = note or verdict.correction_note or PREVIEW_NOTE
            _publish(claim, actor, verdict, note="", correction_note=correction)
        elif _is_drafting(claim) and has_pending_changes(claim):
            _commit(claim, actor, Kind.UPDATED, verdict=claim.published_verdict, note=note or PREVIEW_NOTE,
                    changes=_apply_draft(claim), public=True)
        else:
            raise WorkflowError("Nothing on this claim awaits approval.", code="no_change")
        yield claim


def discard_draft(*, claim, actor, version):
    """Throw a public claim's draft away: its fields, evidence and appearances go back to what readers see."""
    _require(actor, EDITOR_PERMISSION)
    claim = _lock(claim, version)
    if not _is_drafting(claim) or not has_pending_changes(claim):
        raise WorkflowError("There are no changes to discard.", code="no_change")
    changes = {name: [draft, public] for name, (public, draft) in draft_changes(claim).items()}
    for item in [*claim.evidence.all(), *claim.appearances.all()]:
        if item.approved is None:
            item.delete()
        elif item.is_pending:
            for name, value in item.approved.items():
                setattr(item, name, item._meta.get_field(name).to_python(value))
            item.removed = False
            item.save()
    claim.draft = None
    return _commit(claim, actor, Kind.EDITED, changes=changes, note="Draft discarded: back to the public version.")
discard_draft = operation(discard_draft)


# ---------------------------------------------------------------------------------------------------------
# Fact-checks by others (the reviews app's import). Their reviews are theirs: these operations never make a
# verdict, never publish, and never put a claim in a desk queue.


def record_checked_elsewhere(*, actor, claims=(), notes=()):
    """Claims known from other publishers' fact-checks, many at once (an import is thousands of them).

    ``claims``: unsaved ``Claim`` objects (text, quote, claimant, claim_date, language), each saved **closed as
    checked elsewhere**, so that it waits in no queue (a reviewer's reopen takes it to new, to check it
    ourselves), with a ``created`` event noting whose review it came from (``claim.origin_note``).
    ``notes``: ``(claim_id, note, changes)`` for claims that exist: another review was added, or a review's rating
    or date changed; each gets an ``edited`` event and its version bumped.
    Returns the saved claims."""
    _require(actor, REVIEWER_PERMISSION)
    now = timezone.now()
    claims = list(claims)
    for claim in claims:
        _check_length(Claim, {"language": claim.language})
        claim.text = _check_text(claim.text)
        claim.slug = slugify(claim.text)[:80].strip("-") or "claim"  # bulk_create skips Claim.save()
        claim.status, claim.close_reason, claim.version = Status.CLOSED, Claim.CloseReason.CHECKED_ELSEWHERE, 1
        claim.created_at = claim.updated_at = now
    _insert(Claim, claims)
    events = [
        ClaimEvent(claim_id=claim.pk, actor=actor, actor_name=_name(actor), at=now, kind=Kind.CREATED,
                   from_status="", to_status=Status.CLOSED, note=getattr(claim, "origin_note", ""))
        for claim in claims
    ]
    notes = list(notes)
    if notes:
        ids = {claim_id for claim_id, _, _ in notes}
        statuses = dict(Claim.objects.filter(pk__in=ids).values_list("pk", "status"))
        for claim_id, note, changes in notes:
            events.append(ClaimEvent(claim_id=claim_id, actor=actor, actor_name=_name(actor), at=now,
                                     kind=Kind.EDITED, from_status=statuses[claim_id],
                                     to_status=statuses[claim_id], note=note, changes=changes or {}))
        Claim.objects.filter(pk__in=ids).update(version=models.F("version") + 1, updated_at=now)
    _insert(ClaimEvent, events)
    return claims
record_checked_elsewhere = operation(record_checked_elsewhere)


def _insert(model, objects):
    """bulk_create for thousands of rows, their ids set: bulk_create prepares every value of every row through
    the query compiler (and on PostgreSQL through arrays), which was half the import's time. Text goes as it
    is; every other value through its field's own preparation. PostgreSQL takes the ids from the table's
    sequence first and the rows by COPY; SQLite one multi-row INSERT … RETURNING a chunk (a statement of
    thousands of placeholders was an eighth of the import's time on PostgreSQL, in psycopg's parsing of it)."""
    if not objects:
        return
    if not connection.features.can_return_rows_from_bulk_insert:
        model.objects.bulk_create(objects)
        return
    pk = model._meta.pk
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    plain = [isinstance(field, models.CharField | models.TextField) for field in fields]
    quote = connection.ops.quote_name
    table, columns = quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)

    def values(obj):
        return [getattr(obj, field.attname) if is_plain else field.get_db_prep_save(getattr(obj, field.attname),
                                                                                    connection)
                for field, is_plain in zip(fields, plain, strict=True)]

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [model._meta.db_table, pk.column, len(objects)])
            for obj, (key,) in zip(objects, cursor.fetchall(), strict=True):
                obj.pk = key
            with cursor.cursor.copy(f"COPY {table} ({quote(pk.column)}, {columns}) FROM STDIN") as copy:
                for obj in objects:
                    copy.write_row([obj.pk, *values(obj)])
        else:
            row = "(" + ", ".join(["%s"] * len(fields)) + ")"
            step = max(1, 30_000 // len(fields))  # under SQLite's limit on parameters
            for start in range(0, len(objects), step):
                chunk = objects[start:start + step]
                cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * len(chunk))} "
                               f"RETURNING {quote(pk.column)}", [value for obj in chunk for value in values(obj)])
                for obj, (key,) in zip(chunk, cursor.fetchall(), strict=True):
                    obj.pk = key
    for obj in objects:
        obj._state.adding, obj._state.db = False, connection.alias
