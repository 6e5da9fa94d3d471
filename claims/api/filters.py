"""Query filters for the claim list: ``q``, ``rating``, ``claimant``, ``topic``, ``source``, ``status``
(editors only) and the sync cursors ``updated_after`` / ``published_after``."""

import django_filters
from django import forms
from rest_framework.exceptions import PermissionDenied

from claims.models import MAX_ID, Claim

from .permissions import is_editor


class IntegerFilter(django_filters.Filter):
    field_class = forms.IntegerField


class ClaimFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", max_length=200,
                                  help_text="Full-text search of the claims.")
    rating = django_filters.CharFilter(field_name="published_verdict__rating__slug",
                                       help_text="The published verdict's rating slug, e.g. mostly-false.")
    claimant = django_filters.CharFilter(field_name="claimant__slug", help_text="A claimant slug.")
    topic = django_filters.CharFilter(field_name="topics__slug", help_text="A topic slug.")
    source = IntegerFilter(field_name="source_id", min_value=1, max_value=MAX_ID, help_text="A source id.")
    status = django_filters.ChoiceFilter(choices=Claim.Status.choices, method="by_status",
                                         help_text="Workflow stage. Editors only: 403 for other callers.")
    updated_after = django_filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte",
        help_text="Claims changed at or after this instant (ISO 8601), for sync clients.")
    published_after = django_filters.IsoDateTimeFilter(
        field_name="published_at", lookup_expr="gte",
        help_text="Claims first published at or after this instant (ISO 8601).")

    class Meta:
        model = Claim
        fields = []

    def search(self, queryset, name, value):
        # The site's full-text search; its rank order gives way to the list's cursor order.
        return queryset.search(value)

    def by_status(self, queryset, name, value):
        if not is_editor(self.request.user):
            # A well-formed request the caller lacks the role for: 403, as every other editors-only thing.
            raise PermissionDenied("Filtering by status needs an editor's permission.")
        return queryset.filter(status=value)
