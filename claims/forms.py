"""Forms: the shapes of what people type in. Workflow rules live in claims/workflow.py, not here; a form
only checks types, lengths and web addresses, and the desk maps ``WorkflowError``s back onto its fields.

Sources and claimants are reference data, not workflow state: their forms save them directly.
"""

import re

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.text import normalize_newlines

from idempotency.keys import key_field

from . import rendering, workflow
from .models import MAX_ID, Claim, Claimant, ClaimEvent, Evidence, Rating, Source, Topic, Verdict, http_url, limit
from .people import display_name
from .reference import new_claimant, source_at, unique_slug

# Claimants and sources of this many recently changed claims are offered in the claim forms' menus.
MENU_SIZE = 100

BCP47 = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
TEXT_TOO_LONG = (
    "The claim text is %(show_value)d characters; the limit is %(limit_value)d. "
    "Word it more briefly and keep the full wording in the quote."
)


# Notes and reasons become the event's note: its limit is theirs.
NOTE_LIMIT = limit(ClaimEvent, "note")


class WebAddressInput(forms.URLInput):
    """``<input type="url">`` while its value is a valid web address. A value the form refused comes back in a
    plain text input: the editor's typing is kept to correct, and the page stays valid HTML (a type=url input's
    value must be a URL; a browser would also refuse to send the form again)."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        typed = context["widget"]["value"]
        if typed and rendering.href(typed) != typed.strip():
            context["widget"]["type"] = "text"
        return context


class HttpURLFormField(forms.URLField):
    """A web address, http(s) only: a javascript: or data: link would run in a reader's browser."""

    widget = WebAddressInput
    default_validators = [http_url]
    # A form field's own messages replace its validators' messages of the same code.
    default_error_messages = {"invalid": http_url.message}

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        kwargs.setdefault("max_length", 500)
        super().__init__(**kwargs)


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class ISODateInput(forms.DateInput):
    """``<input type="date">`` with its value in ISO 8601 (2025-10-22), the only form browsers accept there.
    Django would otherwise render the site language's format (22/10/2025 for en-gb), which the browser
    discards: saving the form unchanged would then erase the date."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")

    def get_context(self, name, value, attrs):
        # A refused value ("last week") comes back in a text input, kept to correct: a date input's value must
        # be a date, and the browser would show the field empty.
        context = super().get_context(name, value, attrs)
        if context["widget"]["value"] and not ISO_DATE.fullmatch(str(context["widget"]["value"])):
            context["widget"]["type"] = "text"
        return context


class MultilineField(forms.CharField):
    """Text typed in a ``<textarea>``. Browsers send its line ends as CRLF whatever was stored; read back as
    LF, so that saving a form unchanged changes nothing (a quote's place in its source text included)."""

    widget = forms.Textarea

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_newlines(value) if value else value


class DeskForm(forms.Form):
    """No colon after labels (the layout separates label and input). Several forms share the claim page, so
    each gets its own id prefix: names stay plain, ids stay unique."""

    id_prefix = "id"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def add_workflow_error(self, exc):
        """Show a ``WorkflowError`` on the field it names, or above the form."""
        field = exc.field if exc.field in self.fields and not self.fields[exc.field].widget.is_hidden else None
        self.add_error(field, exc.message)


class VersionedForm(DeskForm):
    """Every claim form carries the version the editor last saw, so a stale save is caught, not lost."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)


def required(message, **kwargs):
    """Keyword arguments for a required text field whose message is the workflow's own, and which, like the
    workflow, counts only visible characters (a zero-width space is not a reason). The form reports it with
    every other field's error at once; the workflow still has the last word."""

    def visible(value):
        if not workflow.has_visible_text(value):
            raise forms.ValidationError(message, code="required")

    messages = {"required": message, **kwargs.pop("error_messages", {})}
    return {"required": True, "error_messages": messages, "validators": [visible], **kwargs}


def language_field(**kwargs):
    return forms.CharField(
        max_length=35, initial="en", help_text="BCP-47 tag, e.g. en, ru, pt-BR", **kwargs,
        validators=[RegexValidator(BCP47, "Enter a language tag such as en, ru or pt-BR.")],
    )


def desk_users():
    """Active users who can work on claims: editors, reviewers and superusers (the assignee list)."""
    permission = Permission.objects.filter(codename="change_claim", content_type__app_label="claims")
    can_edit = Q(groups__permissions__in=permission) | Q(user_permissions__in=permission) | Q(is_superuser=True)
    return (
        get_user_model()
        .objects.filter(can_edit, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return display_name(user)


class RatingChoiceField(forms.ModelChoiceField):
    """Each option carries the rating's public definition, so the scale is applied as published."""

    def label_from_instance(self, rating):
        return f"{rating.label} — {rating.definition}"


# ---------------------------------------------------------------------------------------------------------
# Claims.


class ClaimFieldsForm(DeskForm):
    """The claim's own fields, with claimant and source picked from the lists or created inline."""

    id_prefix = "claim"
    claimant_required = False  # an unattributed reader tip may stay so when edited

    text = forms.CharField(
        **required("The claim text is required.", error_messages={"max_length": TEXT_TOO_LONG}),
        max_length=settings.CLAIM_TEXT_HARD_LIMIT, label="Claim text",
        widget=forms.TextInput(attrs={"data-soft-limit": settings.CLAIM_TEXT_SOFT_LIMIT, "autocomplete": "off",
                                      "dir": "auto"}),
        help_text=f"The statement as the desk words it. Keep it under {settings.CLAIM_TEXT_SOFT_LIMIT} characters "
        f"for search results; the limit is {settings.CLAIM_TEXT_HARD_LIMIT}.",
    )
    quote = MultilineField(
        required=False, max_length=limit(Claim, "quote"), widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text="Verbatim from the source, a sentence or two. Found in the source’s full text, it is highlighted.",
    )
    claimant = forms.ModelChoiceField(
        Claimant.objects.all(), required=False, empty_label="— choose a claimant —",
        help_text="Those of recently changed claims, and the newest. For another, use “Capture a claim” on their "
                  "page under Claimants.",
    )
    new_claimant_name = forms.CharField(
        max_length=200, required=False, label="…or a new claimant’s name", help_text="e.g. Sergey Lavrov"
    )
    new_claimant_description = forms.CharField(
        max_length=300, required=False, label="New claimant’s description", help_text="e.g. Russian Foreign Minister"
    )
    source = forms.ModelChoiceField(Source.objects.all(), required=False, empty_label="— no source —",
                                    help_text="Those of recently changed claims, and the newest. For another, "
                                              "give its address below.")
    new_source_title = forms.CharField(max_length=300, required=False, label="…or a new source’s title")
    new_source_url = HttpURLFormField(required=False, label="New source’s web address",
                                      help_text="e.g. https://example.org/2025/10/lavrov. A source already at this "
                                                "address is used, whether or not it is in the menu.")
    claim_date = forms.DateField(required=False, widget=ISODateInput(),
                                 help_text="When the claim was made, e.g. 2025-10-22")
    language = language_field()
    topics = forms.ModelMultipleChoiceField(Topic.objects.all(), required=False, widget=forms.CheckboxSelectMultiple,
                                            help_text="Tick all that apply. New topics are added in the admin.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The menus offer the recently used (MENU_SIZE); any other is still accepted, and is named below them.
        for name, model in (("claimant", Claimant), ("source", Source)):
            field = self.fields[name]
            keep = self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name)
            field.widget.choices = [("", field.empty_label),
                                    *((item.pk, str(item)) for item in model.objects.for_menu(MENU_SIZE, keep=keep))]

    def clean(self):
        cleaned = super().clean()
        if self.claimant_required and not cleaned.get("claimant") and not cleaned.get("new_claimant_name") \
                and "claimant" not in self.errors:
            self.add_error("claimant", "Choose who made the claim.")
        if cleaned.get("claimant") and cleaned.get("new_claimant_name"):
            self.add_error("new_claimant_name", "Pick an existing claimant or name a new one, not both.")
        if cleaned.get("source") and (cleaned.get("new_source_title") or cleaned.get("new_source_url")):
            self.add_error("new_source_title", "Pick an existing source or describe a new one, not both.")
        url = cleaned.get("new_source_url")
        if url and not cleaned.get("new_source_title") and not Source.objects.at(url).exists():
            self.add_error("new_source_title", "Give the new source a title.")
        return cleaned

    def reference_data(self):
        """The claimant and source to use, creating the new ones typed into the form."""
        data = self.cleaned_data
        claimant, source = data.get("claimant"), data.get("source")
        if data.get("new_claimant_name"):  # a new claimant, even of a name already known: people share names
            claimant = new_claimant(name=data["new_claimant_name"],
                                    description=data.get("new_claimant_description", ""))
        url = data.get("new_source_url", "")
        if url or data.get("new_source_title"):  # likewise a source already at that address
            source = source_at(url, title=data["new_source_title"], language=data["language"])
        return claimant, source


class ClaimCaptureForm(ClaimFieldsForm):
    claimant_required = True

    # Where the quote starts in the source's text, when picked in the intake workspace (its words may recur).
    quote_start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    confirm_new = forms.BooleanField(
        required=False, label="None of these is the same claim: save it anyway",
    )
    submission_key = key_field()


class ClaimEditForm(ClaimFieldsForm, VersionedForm):
    recheck_on = forms.DateField(
        required=False, widget=ISODateInput(),
        help_text="Review the published verdict again on this date, e.g. when revised statistics are due.",
    )

    field_order = ["text", "quote", "claimant", "new_claimant_name", "new_claimant_description", "source",
                   "new_source_title", "new_source_url", "claim_date", "language", "topics", "recheck_on"]

    @staticmethod
    def initial_for(claim):
        """The claim as the desk works on it: on a public claim, with the draft's changes."""
        working = claim.working_copy()
        topics = working.working_topic_ids
        return {
            "text": working.text, "quote": working.quote, "claimant": working.claimant_id,
            "source": working.source_id, "claim_date": working.claim_date, "language": working.language,
            "topics": [t.pk for t in claim.topics.all()] if topics is None else topics,
            "recheck_on": working.recheck_on, "version": claim.version,
        }

    def changes(self, claim, claimant, source):
        """The fields for ``workflow.edit_claim``. An unattributed reader tip may stay unattributed."""
        data = self.cleaned_data
        fields = {name: data[name] for name in ("text", "quote", "claim_date", "language", "recheck_on", "topics")}
        fields["source"] = source
        if claimant is not None or claim.claimant_id is not None:
            fields["claimant"] = claimant
        return fields


# ---------------------------------------------------------------------------------------------------------
# Evidence, verdicts and review.


class EvidenceForm(VersionedForm):
    id_prefix = "evidence"

    title = forms.CharField(**required("A title is required."), max_length=300,
                            help_text="e.g. Euroclear half-year results 2025")
    url = HttpURLFormField(required=False, label="Web address",
                           help_text="http:// or https:// only; leave empty for an interview or a note.")
    publisher = forms.CharField(max_length=200, required=False, help_text="e.g. Euroclear")
    note = MultilineField(required=False, max_length=limit(Evidence, "note"), widget=forms.Textarea(attrs={"rows": 3}),
                         label="Excerpt or note",
                           help_text="The excerpt, or what this shows.")
    stance = forms.ChoiceField(choices=Evidence.Stance.choices, initial=Evidence.Stance.CONTEXT,
                               widget=forms.RadioSelect)
    archived_url = HttpURLFormField(required=False, label="Archived copy", help_text="e.g. a web.archive.org copy")
    withheld = forms.BooleanField(required=False, label="Withhold the web address from the public",
                                  help_text="Readers see the description but not the link, to protect the source.")
    withheld_reason = forms.CharField(max_length=300, required=False, label="Why it is withheld")
    submission_key = key_field()  # used when adding

    @staticmethod
    def initial_for(evidence, version):
        fields = ("title", "url", "publisher", "note", "stance", "archived_url", "withheld", "withheld_reason")
        return {**{name: getattr(evidence, name) for name in fields}, "version": version}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("withheld") and not workflow.has_visible_text(cleaned.get("withheld_reason")) \
                and "withheld_reason" not in self.errors:
            self.add_error("withheld_reason", "Say why the source is withheld.")
        return cleaned

    def evidence_fields(self):
        return {name: value for name, value in self.cleaned_data.items() if name not in ("version", "submission_key")}


class VerdictForm(VersionedForm):
    id_prefix = "verdict"

    submission_key = key_field()
    rating = RatingChoiceField(Rating.objects.all(), empty_label="— choose a rating —",
                               error_messages={"required": "Choose a rating."})
    summary = MultilineField(
        **required("A summary is required."), max_length=600, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One or two sentences; readers and search engines see it beside the rating.",
    )
    analysis = MultilineField(
        required=False, max_length=limit(Verdict, "analysis"), widget=forms.Textarea(attrs={"rows": 8}),
        help_text="The write-up, in Markdown: **bold**, *italic*, [link](https://…), lists. Use “Preview” to check it.",
    )
    correction_note = MultilineField(
        required=False, max_length=NOTE_LIMIT, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="This verdict replaces a published one: say what changed and why. Readers see this note.",
    )

    def __init__(self, *args, correction=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not correction:
            del self.fields["correction_note"]


class ApproveForm(VersionedForm):
    id_prefix = "approve"

    note = MultilineField(required=False, max_length=NOTE_LIMIT, widget=forms.Textarea(attrs={"rows": 2}),
                         label="Note (optional)")
    correction_note = MultilineField(
        required=False, max_length=NOTE_LIMIT, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when this verdict replaces a published one and the proposer gave none.",
    )

    def __init__(self, *args, correction=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not correction:
            del self.fields["correction_note"]


class SendBackForm(VersionedForm):
    id_prefix = "send-back"

    note = MultilineField(**required("A note for the proposer is required."), max_length=NOTE_LIMIT,
                          widget=forms.Textarea(attrs={"rows": 2}),
                          label="Note for the proposer",
                           help_text="What needs another look. Required.")


class ApproveUpdateForm(VersionedForm):
    id_prefix = "update"

    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Note for readers",
                           help_text="What changed, shown on the public page, e.g. Added the Euroclear report of "
                                     "12 March. Required.")


class AppearanceForm(VersionedForm):
    id_prefix = "appearance"

    url = HttpURLFormField(required=False, label="Web address", help_text="e.g. https://social.example/post/1")
    outlet = forms.CharField(max_length=200, required=False, help_text="e.g. Telegram channel of the ministry")
    seen_on = forms.DateField(required=False, widget=ISODateInput(),
                              label="Seen on")
    archived_url = HttpURLFormField(required=False, label="Archived copy", help_text="e.g. a web.archive.org copy")


class ReopenForm(VersionedForm):
    id_prefix = "reopen"

    reason = MultilineField(**required("A reason is required."), max_length=NOTE_LIMIT,
                            widget=forms.Textarea(attrs={"rows": 2}),
                            label="Reason for reopening",
                             help_text="e.g. Eurostat revised the figure on 3 March. Required.")


class CloseForm(VersionedForm):
    id_prefix = "close"

    reason = forms.ChoiceField(
        choices=[("", "— choose a reason —"), *Claim.CloseReason.choices], label="Reason for closing",
        error_messages={"required": "Choose why the claim is closed: not checkable, duplicate or out of scope."},
    )
    duplicate_of = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, label="Duplicate of claim number",
                                      help_text="Only for duplicates: the number of the original claim, e.g. 42.")
    note = MultilineField(required=False, max_length=NOTE_LIMIT, widget=forms.Textarea(attrs={"rows": 2}),
                         label="Note (optional)")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == Claim.CloseReason.DUPLICATE and cleaned.get("duplicate_of") is None \
                and "duplicate_of" not in self.errors:
            self.add_error("duplicate_of", "Say which claim this duplicates.")
        return cleaned


class AssignForm(VersionedForm):
    id_prefix = "assign"

    assignee = UserChoiceField(desk_users(), required=False, empty_label="Nobody", label="Assign to")


# ---------------------------------------------------------------------------------------------------------
# Reference data.


class SourceForm(forms.ModelForm):
    url = HttpURLFormField(required=False, label="Web address", help_text="e.g. https://example.org/2025/10/lavrov")
    # Not stripped: the claims' quote offsets count from the text's first character.
    text = MultilineField(
        required=False, strip=False, widget=forms.Textarea(attrs={"rows": 14}), label="Full text",
        help_text="Paste the article’s full text to locate each claim’s quote in it. Never shown on public pages.",
    )
    language = language_field()
    submission_key = key_field()  # used when adding

    class Meta:
        model = Source
        fields = ["title", "url", "outlet", "author", "published_on", "language", "text"]
        widgets = {
            "published_on": ISODateInput(),
        }

    def clean_url(self):
        url = self.cleaned_data["url"]
        other = Source.objects.at(url).exclude(pk=self.instance.pk).first() if url else None
        if other:
            raise forms.ValidationError(f"“{other.title}” already has this address.")
        return url


class ClaimantForm(forms.ModelForm):
    same_as = HttpURLFormField(required=False, label="Same as",
                               help_text="Wikidata or Wikipedia page, e.g. https://en.wikipedia.org/wiki/Sergey_Lavrov")
    submission_key = key_field()  # used when adding

    class Meta:
        model = Claimant
        fields = ["name", "kind", "description", "same_as"]

    def save(self, commit=True):
        claimant = super().save(commit=False)
        if claimant._state.adding:
            # The slug is the public address; it is set once and kept, so links stay valid after a rename.
            # Made again on each try: a concurrent save may have taken the last one (claims/reference.py).
            claimant.slug = unique_slug(Claimant, claimant.name, fallback="claimant")
        if commit:
            claimant.save()
        return claimant


# ---------------------------------------------------------------------------------------------------------
# The public site.


class ReaderTipForm(forms.Form):
    """A reader's claim for the desk to check. Hard length limits on every field; ``website`` is a honeypot
    that people never see (it is off-screen and out of the tab order), so only a bot fills it in."""

    text = forms.CharField(
        max_length=settings.CLAIM_TEXT_HARD_LIMIT, label="The claim you want us to check",
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": settings.CLAIM_TEXT_HARD_LIMIT, "dir": "auto"}),
        help_text=f"Quote it as closely as you can, in up to {settings.CLAIM_TEXT_HARD_LIMIT} characters.",
    )
    url = HttpURLFormField(
        required=False, label="Where did you see it? (web address)",
        error_messages={"invalid": "Enter a web address starting with http:// or https://."},
        widget=WebAddressInput(attrs={"maxlength": 500, "placeholder": "https://"}),
        help_text="A link to the post, article or video, if it is online.",
    )
    details = forms.CharField(
        required=False, max_length=1000, label="Anything else we should know? (optional)",
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000, "dir": "auto"}),
        help_text="e.g. “Said in a TV interview on 3 November.” Up to 1,000 characters.",
    )
    email = forms.EmailField(
        required=False, max_length=254, label="Your e-mail (optional)",
        help_text="Only so that we can ask you a question or tell you when we publish. Never shown or shared.",
    )
    website = forms.CharField(required=False, max_length=200, label="Leave this field empty",
                              widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # Form.__init__ replaces a class-level label_suffix
        super().__init__(*args, **kwargs)

    def is_bot(self):
        """True when the honeypot holds anything, whether or not the rest of the form is valid."""
        return bool(self.data.get("website", "").strip())

    def note_for_desk(self):
        """What the desk's New queue shows beside the tip: where the reader saw it, and their note."""
        parts = ["Reader tip."]
        if self.cleaned_data["url"]:
            parts.append(f"Seen at: {self.cleaned_data['url']}")
        if self.cleaned_data["details"]:
            parts.append(self.cleaned_data["details"])
        return "\n".join(parts)
