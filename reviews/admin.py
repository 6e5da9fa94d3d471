"""Publishers and the rating mapping are reference data, edited here. Imported reviews are read-only: they are
the publishers' words, changed only by a re-import."""

from django.contrib import admin

from claims.admin import ReadOnlyAdmin

from .models import ExternalReview, Publisher, RatingMapping


@admin.register(Publisher)
class PublisherAdmin(admin.ModelAdmin):
    list_display = ["name", "site"]
    search_fields = ["name", "site"]


@admin.register(RatingMapping)
class RatingMappingAdmin(admin.ModelAdmin):
    list_display = ["words", "publisher", "rating"]
    list_filter = ["rating"]
    list_select_related = ["publisher", "rating"]
    search_fields = ["words"]
    autocomplete_fields = ["publisher"]


@admin.register(ExternalReview)
class ExternalReviewAdmin(ReadOnlyAdmin):
    list_display = ["publisher_name", "textual_rating", "language", "review_date", "url"]
    list_select_related = ["publisher"]
    list_filter = ["language"]
    search_fields = ["url", "claim_reviewed", "textual_rating"]
    show_full_result_count = False
