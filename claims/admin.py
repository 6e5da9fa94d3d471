"""The admin: reference data (sources, claimants, topics, ratings) is edited here directly. Claims, evidence,
appearances, verdicts and history are read-only: their changes must go through claims/workflow.py, which
the desk offers with version checks, the history it writes and the review that a change to a public claim
needs. The one claim action offered here calls the workflow too."""

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.utils.html import format_html

from . import workflow
from .models import Appearance, Claim, Claimant, ClaimEvent, Evidence, Rating, Source, Topic, Verdict


class CheckedChangeList(ChangeList):
    # A date-hierarchy year past what a date holds (?created_at__year=9223372036854775807) raised OverflowError,
    # where Django catches only ValueError: both are the admin's "incorrect lookup", which it answers with the
    # unfiltered list and ?e=1.

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except OverflowError as exc:
            raise IncorrectLookupParameters(exc) from exc


class ModelAdmin(admin.ModelAdmin):
    def get_changelist(self, request, **kwargs):
        return CheckedChangeList


class ReadOnlyAdmin(ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EvidenceInline(ReadOnlyInline):
    model = Evidence
    fields = ["title", "stance", "url", "withheld", "added_by", "added_at"]
    readonly_fields = fields


class AppearanceInline(ReadOnlyInline):
    model = Appearance
    fields = ["url", "outlet", "seen_on", "removed"]
    readonly_fields = fields


class VerdictInline(ReadOnlyInline):
    model = Verdict
    fields = ["rating_label", "summary", "proposed_by_name", "proposed_at"]
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    model = ClaimEvent
    fields = ["at", "actor_name", "kind", "from_status", "to_status", "note", "public"]
    readonly_fields = fields
    show_change_link = False


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    list_display = ["text", "claimant", "status", "published_rating", "assignee", "updated_at", "desk_link"]
    list_filter = ["status", "is_reader_tip", "published_verdict__rating", "topics", "language"]
    search_fields = ["text", "quote", "claimant__name", "source__title"]
    list_select_related = ["claimant", "assignee", "published_verdict"]
    date_hierarchy = "created_at"
    inlines = [EvidenceInline, AppearanceInline, VerdictInline, EventInline]
    actions = ["start_research"]

    @admin.display(description="Published verdict")
    def published_rating(self, claim):
        return claim.published_verdict.rating_label if claim.published_verdict else "—"

    @admin.display(description="Desk")
    def desk_link(self, claim):
        return format_html('<a href="{}">Open on the desk</a>', claim.get_desk_url())

    @admin.action(description="Start research on the selected new claims (assign to me)")
    def start_research(self, request, queryset):
        started = 0
        for claim in queryset.filter(status=Claim.Status.NEW):
            try:
                workflow.start_research(claim=claim, actor=request.user, version=claim.version)
                started += 1
            except workflow.WorkflowError as exc:
                self.message_user(request, f"{claim}: {exc.message}", messages.ERROR)
        self.message_user(request, f"Started research on {started} claim(s).", messages.SUCCESS)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("claims.view_claim")

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm(workflow.EDITOR_PERMISSION):
            actions.pop("start_research", None)
        return actions


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ["title", "claim", "stance", "publisher", "withheld", "last_status", "added_at"]
    list_filter = ["stance", "withheld", "last_status"]
    search_fields = ["title", "url", "publisher", "claim__text"]
    list_select_related = ["claim"]


@admin.register(Verdict)
class VerdictAdmin(ReadOnlyAdmin):
    list_display = ["claim", "rating_label", "proposed_by_name", "proposed_at"]
    list_filter = ["rating"]
    search_fields = ["summary", "claim__text"]
    list_select_related = ["claim"]


@admin.register(ClaimEvent)
class ClaimEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "claim", "kind", "actor_name", "from_status", "to_status", "public"]
    list_filter = ["kind", "public"]
    search_fields = ["claim__text", "actor_name", "note"]
    list_select_related = ["claim"]
    date_hierarchy = "at"


@admin.register(Source)
class SourceAdmin(ModelAdmin):
    list_display = ["title", "outlet", "author", "published_on", "language"]
    list_filter = ["outlet", "language"]
    search_fields = ["title", "url", "outlet", "author"]


@admin.register(Claimant)
class ClaimantAdmin(ModelAdmin):
    list_display = ["name", "kind", "description"]
    list_filter = ["kind"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Topic)
class TopicAdmin(ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Rating)
class RatingAdmin(ModelAdmin):
    list_display = ["label", "value", "order", "colour", "slug"]
    list_editable = ["order"]
    ordering = ["order"]


@admin.register(Appearance)
class AppearanceAdmin(ReadOnlyAdmin):
    list_display = ["url", "claim", "outlet", "seen_on", "removed"]
    search_fields = ["url", "outlet", "claim__text"]
    list_select_related = ["claim"]
