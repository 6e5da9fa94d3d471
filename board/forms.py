"""The board's forms: its filters (a GET form), bulk actions and the reply to a tipster.

The assignee and topic menus take their choices from lists the view reads once, so that the filter form and
the bulk form share one query each."""

import re

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

from claims.forms import NOTE_LIMIT, DeskForm, VersionedForm
from claims.models import MAX_ID, Claim, ClaimEvent, as_id
from idempotency.keys import key_field

Status = Claim.Status

COLUMNS = [
    (Status.NEW, "New"),
    (Status.RESEARCHING, "Researching"),
    (Status.IN_REVIEW, "In review"),
    (Status.PUBLISHED, "Recently published"),
]
# Each order is served, with the status, by an index (ClaimQuerySet.board_column).
SORTS = {
    "changed": (("-updated_at", "-id"), "Recently changed first"),
    "waiting": (("updated_at", "id"), "Untouched longest first"),
    "oldest": (("created_at", "id"), "Captured earliest first"),
    "newest": (("-created_at", "-id"), "Captured latest first"),
}
UNASSIGNED = "none"
MAX_SELECTED = 100
SELECTED = re.compile(r"^([0-9]{1,19}):([0-9]{1,19})$")


class QuickSelect(forms.Select):
    """A ``<select>`` rendered in one pass. Django renders every option through a template, and the board's
    menus (assignees, topics, the bulk form's) hold dozens of options on every request: that was a third of
    the page's time at 100k claims."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = {**self.build_attrs(self.attrs, attrs), "name": name}
        chosen = "" if value is None else str(value)
        options = format_html_join("", '<option value="{}"{}>{}</option>', (
            (str(key), " selected" if str(key) == chosen else "", label) for key, label in self.choices))
        return format_html("<select{}>{}</select>", flatatt(attrs), options)


def person(user):
    return user.get_full_name() or user.get_username()


class BoardFilterForm(DeskForm):
    id_prefix = "board"

    assignee = forms.ChoiceField(required=False, label="Assignee", widget=QuickSelect)
    topic = forms.ChoiceField(required=False, label="Topic", widget=QuickSelect)
    claimant = forms.CharField(
        required=False, max_length=200, label="Claimant",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "data-typeahead": "claimants",
                                      "dir": "auto"}),
        help_text="A name from the register, e.g. Sergey Lavrov",
    )
    status = forms.ChoiceField(required=False, label="Column", choices=[("", "All columns"), *COLUMNS],
                               widget=QuickSelect)
    captured_from = forms.DateField(required=False, label="Captured from",
                                    widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    captured_to = forms.DateField(required=False, label="Captured to",
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    sort = forms.ChoiceField(required=False, label="Order", choices=[(k, label) for k, (_, label) in SORTS.items()],
                             widget=QuickSelect,
                             help_text="Of the work columns; recently published is newest first.")
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000, widget=forms.HiddenInput)

    def __init__(self, *args, users=(), topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", "Anyone"), (UNASSIGNED, "Nobody"),
                                           *((str(user.pk), person(user)) for user in users)]
        self.fields["topic"].choices = [("", "Any topic"), *((topic.slug, topic.name) for topic in topics)]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("captured_from"), cleaned.get("captured_to")
        if start and end and start > end:
            self.add_error("captured_to", "The end of the date range comes before its start.")
        return cleaned

    @property
    def sort_order(self):
        return SORTS[self.cleaned_data.get("sort") or "changed"][0]


class BulkForm(DeskForm):
    """Many claims at once. Each selected claim arrives as ``<id>:<version>`` (its checkbox's value), so that a
    claim changed since the board was shown is refused as stale, alone."""

    id_prefix = "bulk"

    ASSIGN = "assign"
    ACTIONS = [
        (ASSIGN, "Assign to…"),
        (Claim.CloseReason.NOT_CHECKABLE, "Close: not checkable"),
        (Claim.CloseReason.DUPLICATE, "Close: duplicate of…"),
        (Claim.CloseReason.OUT_OF_SCOPE, "Close: out of scope"),
    ]

    action = forms.ChoiceField(choices=[("", "— choose an action —"), *ACTIONS], label="Action", widget=QuickSelect,
                               error_messages={"required": "Choose what to do with the selected claims."})
    assignee = forms.ChoiceField(required=False, label="Assign to", widget=QuickSelect)
    duplicate_of = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, label="Duplicate of claim number",
                                      help_text="Only for duplicates, e.g. 42.")
    note = forms.CharField(required=False, max_length=NOTE_LIMIT, label="Note (optional)",
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text="When closing: kept in each claim’s history, e.g. Opinion, not a fact.")
    submission_key = key_field()

    def __init__(self, *args, users=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.users = {str(user.pk): user for user in users}
        self.fields["assignee"].choices = [("", "— choose an editor —"),
                                           *((pk, person(user)) for pk, user in self.users.items())]

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action == self.ASSIGN and not cleaned.get("assignee"):
            self.add_error("assignee", "Choose whom to assign the claims to.")
        if action == Claim.CloseReason.DUPLICATE and cleaned.get("duplicate_of") is None \
                and "duplicate_of" not in self.errors:
            self.add_error("duplicate_of", "Say which claim these duplicate.")
        cleaned["selected"] = self.selected()
        return cleaned

    def selected(self):
        """[(claim id, version)] in the order ticked; refuses none, garbage and more than MAX_SELECTED."""
        values = self.data.getlist("claim") if hasattr(self.data, "getlist") else []
        if not values:
            raise forms.ValidationError("Select at least one claim.", code="required")
        if len(values) > MAX_SELECTED:
            raise forms.ValidationError(f"Select at most {MAX_SELECTED} claims at a time; you selected "
                                        f"{len(values)}.", code="too_many")
        pairs, seen = [], set()
        for value in values:
            match = SELECTED.match(value)
            pk = as_id(match.group(1)) if match else None
            if pk is None or as_id(match.group(2)) is None:
                raise forms.ValidationError("A selected claim could not be read. Reload the board and try again.",
                                            code="invalid")
            if pk not in seen:
                seen.add(pk)
                pairs.append((pk, int(match.group(2))))
        return pairs

    @property
    def assignee_user(self):
        return self.users.get(self.cleaned_data.get("assignee") or "")


class TipReplyForm(VersionedForm):
    id_prefix = "reply"

    message = forms.CharField(
        max_length=ClaimEvent._meta.get_field("note").max_length, label="Your reply",
        widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"}),
        error_messages={"required": "A message is required."},
        help_text="Plain text, sent by e-mail from the desk’s address and kept in the claim’s history (never "
                  "public), e.g. Thank you: we are checking it and will publish what we find.",
    )
